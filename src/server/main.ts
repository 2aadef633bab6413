/**
 * mini-kv-server: parses redis-server style arguments (an optional config
 * file, then --name value options), starts the server, logs one line when it
 * is ready, and exits cleanly on SIGINT/SIGTERM (a second signal exits at
 * once). Exits non-zero with a clear message when an option is bad or the
 * port is taken.
 */
import path from 'node:path';
import { MiniKvError } from '../errors.js';
import { parseServerArgs } from './config.js';
import { MiniKvServer } from './server.js';

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: mini-kv-server [/path/to/mini-kv.conf] [--option value ...]\n' +
      'Options are named as in redis.conf, e.g. --port 7000 --bind 127.0.0.1 --requirepass secret\n' +
      'The command line overrides the config file. --port 0 picks a free port.\n');
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    const { MINIKV_VERSION, VERSION } = await import('./server.js');
    process.stdout.write(`mini-kv-server v=${MINIKV_VERSION} redis-compat=${VERSION}\n`);
    return;
  }
  let server: MiniKvServer;
  try {
    const config: Record<string, string> = {};
    for (const [name, value] of parseServerArgs(argv)) config[name] = value;
    const configFile = argv.length > 0 && !argv[0]!.startsWith('--') ? path.resolve(argv[0]!) : '';
    server = new MiniKvServer({
      config,
      configFile,
      log: (line) => process.stdout.write(line + '\n'),
      onShutdown: () => {
        process.stdout.write('SHUTDOWN received, exiting\n');
        process.exit(0);
      },
    });
  } catch (e) {
    return fail(e);
  }
  // Signal handlers go in before listening: the ready line is the signal
  // that the process may be stopped, so a SIGTERM right after it must
  // already find them.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(0);
    stopping = true;
    process.stdout.write(`Received ${signal}, shutting down\n`);
    // close() destroys sockets that have not finished within half a second;
    // this is the backstop for the promise of exiting within a second.
    setTimeout(() => process.exit(0), 1000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await server.listen();
  } catch (e) {
    if (stopping) return;
    fail(e);
  }
}

/** Reports a start-up failure (bad option, port in use) and exits 1; rethrows anything else. */
function fail(e: unknown): never {
  if (e instanceof MiniKvError) {
    process.stderr.write(`mini-kv-server: ${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
