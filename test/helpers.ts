/**
 * Shared test helpers: a real server on a free port, raw socket exchanges,
 * and redis-cli detection. Every command test starts a server with
 * `startTestServer()` and closes it in an after hook.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { MiniKvServer, type ServerOptions } from '../src/server/server.js';

export interface TestServer {
  server: MiniKvServer;
  port: number;
  close(): Promise<void>;
}

/** Starts a mini-kv server on 127.0.0.1 and a free port. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = new MiniKvServer({ ...options, config: { port: 0, bind: '127.0.0.1', ...(options.config ?? {}) } });
  await server.listen();
  return { server, port: server.port, close: () => server.close() };
}

export interface RawResult {
  /** Everything received, as latin1. */
  data: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/**
 * Sends `chunks` (each written separately, in order) on a fresh connection and
 * collects what comes back until the server closes, `expect` bytes arrived,
 * or `timeoutMs` passes.
 */
export function rawExchange(port: number, chunks: (string | Buffer)[] | string | Buffer, opts: { expect?: string | number; timeoutMs?: number } = {}): Promise<RawResult> {
  const list = Array.isArray(chunks) ? chunks : [chunks];
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    let done = false;
    const finish = (closed: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data, closed });
    };
    const timer = setTimeout(() => finish(false), opts.timeoutMs ?? 1000);
    sock.on('data', (d) => {
      data += d.toString('latin1');
      const e = opts.expect;
      if (typeof e === 'string' && data.includes(e)) finish(false);
      if (typeof e === 'number' && data.length >= e) finish(false);
    });
    sock.on('close', () => finish(true));
    sock.on('error', (err) => (done ? undefined : reject(err)));
    sock.on('connect', async () => {
      for (const c of list) {
        sock.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
        if (list.length > 1) await new Promise((r) => setImmediate(r));
      }
    });
  });
}

/** A RESP multibulk request from arguments. */
export function resp(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

let redisCliPath: string | null | undefined;
/** The path of redis-cli, or null when it is not installed (tests then skip and say why). */
export function redisCli(): string | null {
  if (redisCliPath === undefined) {
    try {
      redisCliPath = execFileSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).trim() || null;
    } catch {
      redisCliPath = null;
    }
  }
  return redisCliPath;
}

export const NO_REDIS_CLI = 'redis-cli is not installed (apt-get install redis-tools)';
