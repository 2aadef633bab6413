// Shared by the bench/ scenarios: options, ports, and mini-kv or redis-server
// as a child process on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Splits a comma-separated option value into numbers. */
export const numberList = (s) => s.split(',').map(Number);

/** Splits a space-separated option value (extra node flags) into arguments. */
export const words = (s) => s.split(' ').filter(Boolean);

/**
 * util.parseArgs in strict mode over `argv`, plus `--help`/`-h`, which
 * prints the script's header comment (`scriptUrl`) and exits. A value may
 * start with a dash (`--node-flags "--max-semi-space-size=64"`): util.parseArgs
 * accepts that only as `--name=value`, so the pair is joined first.
 */
export function parseOptions(argv, options, scriptUrl) {
  const args = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const spec = a.startsWith('--') ? options[a.slice(2)] : undefined;
    if (spec?.type === 'string' && i + 1 < argv.length) args.push(`${a}=${argv[++i]}`);
    else args.push(a);
  }
  const { values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(readHeader(scriptUrl));
    process.exit(0);
  }
  return values;
}

/** The comment block between the shebang and the first import, without its `// `. */
function readHeader(scriptUrl) {
  const src = readFileSync(fileURLToPath(scriptUrl), 'utf8').split('\n');
  return src.slice(1, src.findIndex((l) => l.startsWith('import'))).map((l) => l.slice(3)).join('\n') + '\n';
}

/** Whether `cmd` is on the PATH. */
export function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

export async function waitForPort(port, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await connect(port)).destroy();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
      await sleep(50);
    }
  }
}

/**
 * Starts `kind` ('mini-kv' or 'redis') on a free loopback port, Redis with
 * persistence off, `nodeArgs` before mini-kv's script, and waits until it
 * accepts connections; `cpus` (a taskset list such as '0') pins it to those
 * CPUs (taskset execs the server, so `child.pid` is the server's). The child
 * is killed when this process exits; `stop()` kills it now and resolves once
 * it has exited.
 */
export async function startServer(kind, { nodeArgs = [], waitMs = 10_000, cpus = null, serverArgs = [] } = {}) {
  const port = await freePort();
  const [cmd, args] = kind === 'mini-kv'
    ? [process.execPath, [...nodeArgs, path.join(ROOT, 'bin/mini-kv-server.js'), '--port', String(port), '--bind', '127.0.0.1', ...serverArgs]]
    : ['redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...serverArgs]];
  const child = cpus === null ? spawn(cmd, args, { stdio: 'ignore' }) : spawn('taskset', ['-c', cpus, cmd, ...args], { stdio: 'ignore' });
  const kill = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('exit', kill);
  const stop = () => {
    kill();
    return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
  };
  try {
    await waitForPort(port, waitMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { label: kind, port, child, stop };
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (sysconf(_SC_CLK_TCK)). */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU time a process has used so far, in seconds of user and system time,
 * from /proc/<pid>/stat (utime and stime, fields 14 and 15); null where
 * /proc is not there. The resolution is one clock tick (10 ms), so measure
 * runs of a second or more.
 */
export function cpuTime(pid) {
  let text;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces; the fields after it are plain.
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) / CLK_TCK, sys: Number(f[12]) / CLK_TCK };
}
