/**
 * mini-kv-server: the binary around MiniKvServer. It owns everything
 * process-wide that the server must not touch: reading the config file and
 * command line (a bad line prints Redis's FATAL CONFIG FILE ERROR block to
 * stderr and exits 1), `daemonize` (Node cannot fork, so the binary starts
 * itself again detached and waits for the child's ready signal), changing
 * into `dir`, logging to stdout, signals, and the exit code.
 *
 * Log lines (Redis's format, see log.ts) go to stdout, or to `logfile` when
 * it is set; a daemonized server has no stdout (it is /dev/null, as Redis
 * makes it), so without a logfile it logs nowhere.
 */
import { spawn } from 'node:child_process';
import { readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ConfigFileError, MiniKvError } from '../errors.js';
import { DEFAULT_DAEMON_PIDFILE, fatalConfigReport, loadServerConfig, parseServerArgs, type Config } from './config.js';
import { formatLogLine } from './log.js';
import { MINIKV_VERSION, MiniKvServer, VERSION } from './server.js';

/** Set in the environment of the detached child a daemonizing parent starts; the child then reports over IPC. */
const DAEMON_CHILD_ENV = 'MINIKV_DAEMON_CHILD';

/** What a daemonized child sends its parent: ready, or the reason it could not start. */
type DaemonMessage = { ready: true; pid: number } | { error: string };

export async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: mini-kv-server [/path/to/mini-kv.conf] [--option value ...]\n' +
      'Options are named as in redis.conf, e.g. --port 7000 --bind 127.0.0.1 --requirepass secret\n' +
      'The command line is read after the config file, so it overrides it. --port 0 picks a free port.\n' +
      'Options mini-kv cannot honour are refused; see docs/configuration.md.\n');
    return;
  }
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`mini-kv-server v=${MINIKV_VERSION} redis-compat=${VERSION}\n`);
    return;
  }
  const daemonChild = process.env[DAEMON_CHILD_ENV] === '1' && typeof process.send === 'function';
  let config: Config;
  try {
    config = loadServerConfig(parseServerArgs(argv));
  } catch (e) {
    return failConfig(e);
  }
  if (config.getBool('daemonize') && !daemonChild) return daemonize(argv);
  // Redis writes /var/run/redis.pid when daemonized without a pidfile.
  if (config.getBool('daemonize') && config.get('pidfile') === '') config.setStartup('pidfile', DEFAULT_DAEMON_PIDFILE);
  // The config file as named from where the binary started, before changing into `dir`.
  const configFile = argv.length > 0 && !argv[0]!.startsWith('--') ? path.resolve(argv[0]!) : '';
  // As Redis, the process works from `dir` (checked to be a directory when read).
  process.chdir(config.get('dir'));
  if (daemonChild) {
    // Redis ignores SIGHUP; a detached server has no terminal to hang up.
    process.on('SIGHUP', () => {});
  }
  removePidfileAtExit(config);

  let server: MiniKvServer;
  try {
    server = new MiniKvServer({
      loadedConfig: config,
      configFile,
      log: (line) => process.stdout.write(line + '\n'),
      onShutdown: () => {
        server.logger.warning('SHUTDOWN received, exiting');
        process.exit(0);
      },
    });
  } catch (e) {
    return failConfig(e);
  }
  server.logger.warning(`mini-kv ${MINIKV_VERSION} (Redis ${VERSION} compatible) is starting, pid=${process.pid}, ` +
    (configFile === '' ? 'no config file (defaults and command line only)' : `config file ${configFile}`));
  // Signal handlers go in before listening: the ready line is the signal
  // that the process may be stopped, so a SIGTERM right after it must
  // already find them.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // As Redis's sigShutdownHandler on a second signal: not a clean shutdown, so exit 1.
      server.logger.warning('You insist... exiting now.');
      process.exit(1);
    }
    stopping = true;
    server.logger.warning(`Received ${signal}, shutting down`);
    // close() ends every connection at once (unread replies are dropped, as
    // Redis drops them); this timer is the backstop for exiting within a second.
    setTimeout(() => process.exit(0), 1000).unref();
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await server.listen();
  } catch (e) {
    if (stopping) return;
    if (!(e instanceof MiniKvError)) throw e;
    // As Redis: the reason goes to the log, and the process exits 1.
    server.logger.warning(e.message);
    if (daemonChild) sendToParent({ error: e.message });
    process.exit(1);
  }
  if (daemonChild) sendToParent({ ready: true, pid: process.pid });
}

/** Sends the daemonizing parent one message, then lets go of the channel so the parent can exit. */
function sendToParent(message: DaemonMessage): void {
  process.send!(message, () => process.disconnect?.());
}

/**
 * `daemonize yes`, the parent's half. Node cannot fork(), so the binary
 * starts itself again with the same arguments, detached in its own session
 * with stdin, stdout and stderr on /dev/null (Redis's daemonize() does the
 * same with dup2), marked by DAEMON_CHILD_ENV and given an IPC channel. The
 * parent waits for the child's ready message and exits 0, or prints why the
 * child could not start and exits 1. The configuration was already read
 * here, so a bad option fails in the foreground, where it can be seen.
 */
function daemonize(argv: readonly string[]): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...argv], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DAEMON_CHILD_ENV]: '1' },
  });
  return new Promise<never>(() => {
    child.on('message', (m: DaemonMessage) => {
      if ('ready' in m) {
        child.unref();
        child.disconnect();
        process.exit(0);
      }
      process.stderr.write(`mini-kv-server: ${m.error}\n`);
      process.exit(1);
    });
    child.on('exit', (code, signal) => {
      process.stderr.write(`mini-kv-server: the daemonized server exited before it was ready (${signal ?? `code ${code}`})\n`);
      process.exit(1);
    });
    child.on('error', (e) => {
      process.stderr.write(`mini-kv-server: could not start the daemonized server: ${e.message}\n`);
      process.exit(1);
    });
  });
}

/**
 * Removes the pidfile when the process exits by any path (a second signal
 * exits without waiting for close()), but only while it still holds this
 * process's pid.
 */
function removePidfileAtExit(config: Config): void {
  const pidfile = config.get('pidfile');
  if (pidfile === '') return;
  const file = config.resolvePath(pidfile);
  process.on('exit', () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // Never written, or already removed.
    }
  });
}

/**
 * Reports a configuration failure and exits 1: a bad line as Redis's FATAL
 * CONFIG FILE ERROR block on stderr; a config file that cannot be opened as
 * Redis logs it (a log line on stdout, role C: the server is not set up
 * yet); anything else thrown is rethrown.
 */
function failConfig(e: unknown): never {
  if (e instanceof ConfigFileError) {
    process.stderr.write(fatalConfigReport(e, MINIKV_VERSION));
    process.exit(1);
  }
  if (e instanceof ConfigError) {
    process.stdout.write(formatLogLine(process.pid, 'C', new Date(), 'warning', e.message) + '\n');
    process.exit(1);
  }
  throw e;
}
