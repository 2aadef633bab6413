/**
 * Helpers for comparing mini-kv-cli with redis-cli 7.0.15: run either one
 * (mini-kv-cli in-process through main(), so a large table of cases stays
 * fast; redis-cli as a process), a fake RESP server that answers each
 * command with bytes recorded from redis-server (so both clients read the
 * very same reply, and reply shapes mini-kv cannot produce are covered), a
 * real redis-server on a free port when one is installed, and the recorded
 * fixtures (test/fixtures/cli/*.json) that stand in for redis-cli when it is
 * absent. Set MINIKV_RECORD_CLI_FIXTURES=1 to rewrite them from redis-cli.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { ReplyReader } from '../../src/cli/reply.js';
import { redisCli } from '../helpers.js';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
}

/** A Writable collecting latin1 text, like a pipe (not a terminal). */
function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(Buffer.from(chunk));
      cb();
    },
  }) as Writable & { text: () => string };
  w.text = () => Buffer.concat(chunks).toString('latin1');
  return w;
}

/** Runs mini-kv-cli's main() in this process with piped stdin/stdout/stderr. */
export async function miniCli(args: string[], opts: RunOptions = {}): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const input = opts.stdin ?? '';
  const stdin = Readable.from(input === '' ? [] : [typeof input === 'string' ? Buffer.from(input, 'utf8') : input]) as Readable & { isTTY?: boolean };
  const code = await main(args, { stdout, stderr, stdin, env: opts.env ?? {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Whether redis-cli is the live oracle (MINIKV_CLI_USE_FIXTURES=1 forces the recorded fixtures instead). */
export function oracleLive(): boolean {
  return redisCli() !== null && process.env.MINIKV_CLI_USE_FIXTURES !== '1';
}

/** Runs redis-cli to its exit (10 s at most). */
export function redisCliRun(args: string[], opts: RunOptions = {}): Promise<Run> {
  return spawnRun(redisCli()!, args, { ...opts, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...(opts.env ?? {}) } });
}

/** Runs `bin args` to its exit (10 s at most), `opts.stdin` on its stdin; `opts.env` replaces the environment when given. */
export function spawnRun(bin: string, args: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('latin1').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A program that exits before reading its stdin (a refused connection)
    // makes this write fail with EPIPE; its exit is what the test looks at.
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin ?? '');
  });
}

export const MINI_CLI_BIN = fileURLToPath(new URL('../../../bin/mini-kv-cli.js', import.meta.url));

/**
 * Spawns mini-kv-cli (or redis-cli) for the long-running modes, resolving
 * once `lines` lines have arrived on stdout (or 5 s have passed), then sends
 * SIGINT and waits for the exit.
 */
export function spawnUntil(bin: 'mini' | 'redis', args: string[], lines: number, opts: RunOptions & { onLines?: (child: ChildProcess) => void; until?: RegExp } = {}): Promise<Run & { signal: string | null }> {
  return new Promise((resolve) => {
    // stdbuf keeps redis-cli's stdio line-buffered on a pipe, so nothing is lost to the SIGINT.
    const cmd = bin === 'mini' ? process.execPath : existsSync('/usr/bin/stdbuf') ? '/usr/bin/stdbuf' : redisCli()!;
    const argv = bin === 'mini' ? [MINI_CLI_BIN, ...args] : cmd === '/usr/bin/stdbuf' ? ['-oL', redisCli()!, ...args] : args;
    const child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: '/nonexistent', ...(opts.env ?? {}) } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const stop = (): void => {
      if (signalled) return;
      signalled = true;
      child.kill('SIGINT');
    };
    child.stdout.setEncoding('latin1').on('data', (d: string) => {
      stdout += d;
      if (opts.until !== undefined ? opts.until.test(stdout) : stdout.split('\n').length - 1 >= lines) stop();
    });
    child.stderr.setEncoding('latin1').on('data', (d: string) => (stderr += d));
    const t1 = setTimeout(stop, 5_000);
    const t2 = setTimeout(() => child.kill('SIGKILL'), 8_000);
    child.on('close', (code, signal) => {
      clearTimeout(t1);
      clearTimeout(t2);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // EPIPE when it exits first, as in spawnRun
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    opts.onLines?.(child);
  });
}

/** A RESP reply from a fake server: bytes, several writes with a pause between, or 'close' to hang up. */
export type FakeReply = string | Buffer | { chunks: (string | Buffer)[]; gapMs: number } | 'close';

export interface FakeServer {
  port: number;
  /** Every command received, as latin1 words. */
  received: string[][];
  close(): Promise<void>;
}

/**
 * A RESP server that answers each command with `respond(args)` (latin1
 * words): recorded bytes, or null for "+OK". It understands only multibulk
 * requests, which is all a CLI sends.
 */
export async function startFakeServer(respond: (args: string[]) => FakeReply | null): Promise<FakeServer> {
  const received: string[][] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const reader = new ReplyReader();
    sock.on('data', async (d: Buffer) => {
      // --pipe's final ECHO starts with an empty line, which a server ignores.
      reader.append(d);
      for (;;) {
        let r;
        try {
          reader.skipEmptyLines();
          r = reader.next();
        } catch {
          sock.destroy();
          return;
        }
        if (r === undefined) break;
        if (r.type !== 'array') continue;
        const args = r.elements.map((e) => (e.type === 'string' ? e.value.toString('latin1') : ''));
        received.push(args);
        const reply = respond(args) ?? '+OK\r\n';
        if (reply === 'close') {
          sock.destroy();
          return;
        }
        if (typeof reply === 'string' || Buffer.isBuffer(reply)) sock.write(typeof reply === 'string' ? Buffer.from(reply, 'latin1') : reply);
        else {
          for (const c of reply.chunks) {
            if (sock.destroyed) break;
            sock.write(typeof c === 'string' ? Buffer.from(c, 'latin1') : c);
            await new Promise((res) => setTimeout(res, reply.gapMs));
          }
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

let redisServerPath: string | null | undefined;
/** The path of redis-server, or null. */
export function redisServerBin(): string | null {
  if (redisServerPath === undefined) {
    redisServerPath = null;
    for (const dir of (process.env.PATH ?? '').split(':')) {
      if (dir !== '' && existsSync(`${dir}/redis-server`)) {
        redisServerPath = `${dir}/redis-server`;
        break;
      }
    }
  }
  return redisServerPath;
}

export const NO_REDIS_SERVER = 'redis-server is not installed (apt-get install redis-server)';

/** Starts redis-server on a free port (no persistence); resolves once it answers. */
export async function startRedisServer(extra: string[] = []): Promise<{ port: number; close(): Promise<void> }> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const child = spawn(redisServerBin()!, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', ...extra], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}

/** Recorded redis-cli outputs, keyed by case; written back when recording. */
export class Fixtures {
  private readonly data: Record<string, Run>;
  private readonly path: string;
  readonly recording = process.env.MINIKV_RECORD_CLI_FIXTURES === '1';

  constructor(name: string) {
    this.path = fileURLToPath(new URL(`../../../test/fixtures/cli/${name}.json`, import.meta.url));
    this.data = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, Run>) : {};
  }

  get(key: string): Run | undefined {
    return this.data[key];
  }

  set(key: string, run: Run): void {
    this.data[key] = run;
  }

  save(): void {
    if (!this.recording) return;
    const sorted = Object.fromEntries(Object.entries(this.data).sort(([a], [b]) => (a < b ? -1 : 1)));
    writeFileSync(this.path, JSON.stringify(sorted, null, 1) + '\n');
  }
}

/** Promisified execFile, for one-off commands. */
export function exec(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(cmd, args, (e, out) => (e ? reject(e) : resolve(out))));
}
