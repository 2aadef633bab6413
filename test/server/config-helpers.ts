/**
 * Helpers for the configuration and logging tests: spawn bin/mini-kv-server.js
 * with options, wait for its ready line or its exit, parse log lines in
 * Redis's format, and kill whatever a test started in an after hook.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../bin/mini-kv-server.js', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** A log line in Redis's format: 1 pid, 2 role, 3 day, 4 month, 5 year, 6-9 time, 10 level mark, 11 message. */
export const LOG_LINE = /^(\d+):([MC]) (\d\d) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d{3}) ([.\-*#]) (.*)$/;
export const READY = /^Ready to accept connections tcp on (.+):(\d+) \(pid (\d+)\)$/;

/** Every child spawned here, for killChildren(). */
const children = new Set<ChildProcess>();

/** Kills every child still running (call in an after hook). */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export interface LogEntry {
  pid: number;
  role: string;
  mark: string;
  message: string;
}

/** Parses text into log entries; throws on a line that is not in Redis's format. */
export function logEntries(text: string): LogEntry[] {
  return text.split('\n').filter((l) => l !== '').map((l) => {
    const m = LOG_LINE.exec(l);
    if (m === null) throw new Error(`not a log line: ${JSON.stringify(l)}`);
    return { pid: Number(m[1]), role: m[2]!, mark: m[10]!, message: m[11]! };
  });
}

export interface Started {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
}

/** Spawns the server with stdout captured (stderr ignored); killed by killChildren(). */
export function spawnWithStdout(args: string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return { child, out: () => out };
}

/** Spawns the server with its output ignored (for logfile tests); killed by killChildren(). */
export function spawnBinary(args: string[], opts: { cwd?: string } = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore', cwd: opts.cwd });
  children.add(child);
  return child;
}

/** Spawns the server and resolves at its ready line on stdout (rejects if it exits first). */
export function startBinary(args: string[], opts: { cwd?: string } = {}): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  children.add(child);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stdout ${out} stderr ${err}`)), 10_000);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        const m = LOG_LINE.exec(line);
        const r = m === null ? null : READY.exec(m[11]!);
        if (r === null) continue;
        clearTimeout(timer);
        resolve({ child, port: Number(r[2]), stdout: () => out, stderr: () => err });
        return;
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stdout ${out} stderr ${err}`));
    });
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary to its exit (killed after 10 s); resolves with the exit code and output. */
export function runToExit(args: string[], opts: { cwd?: string } = {}): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: opts.cwd });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Resolves when the child has exited. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

let redisServerPath: string | null | undefined;
/** The path of redis-server, or null when it is not installed. */
export function redisServer(): string | null {
  if (redisServerPath === undefined) {
    const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
    redisServerPath = r.status === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : null;
  }
  return redisServerPath;
}

export const NO_REDIS_SERVER = 'redis-server is not installed (apt-get install redis-server)';

/** Waits until `cond` holds, polling every 20 ms, for at most `ms`; returns whether it held. */
export async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}
