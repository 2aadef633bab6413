/**
 * The mini-kv-server binary as a child process: the ready line, a config file
 * in redis.conf syntax overridden by the command line, clear failures with a
 * non-zero exit for unknown options, invalid values and a taken port, and a
 * clean exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { rawExchange } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/mini-kv-server.js', import.meta.url));
const READY = /^mini-kv (\d+\.\d+\.\d+) \(Redis 7\.0\.15 compatible\) ready to accept connections on (.+) \(pid (\d+)\)$/;

const dir = mkdtempSync(join(tmpdir(), 'mini-kv-main-'));
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  line: string;
  port: number;
  stdout: () => string;
}

/** Spawns the server and resolves at its ready line (rejects if it exits first). */
function startBinary(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stdout ${out} stderr ${err}`)), 10_000);
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl !== -1) {
        clearTimeout(timer);
        const line = out.slice(0, nl);
        const m = /:(\d+) \(pid/.exec(line);
        resolve({ child, line, port: m === null ? -1 : Number(m[1]), stdout: () => out });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stdout ${out} stderr ${err}`));
    });
  });
}

/** Runs the binary to its exit; resolves with the exit code and output. */
function runToExit(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('mini-kv-server - start and stop', () => {
  test('--port 0 prints one ready line with address, version and pid; SIGTERM exits 0', async () => {
    const s = await startBinary(['--port', '0']);
    const m = READY.exec(s.line);
    assert.ok(m !== null, s.line);
    assert.equal(Number(m[3]), s.child.pid);
    assert.match(m[2]!, new RegExp(`^127\\.0\\.0\\.1:${s.port}(, \\[::1\\]:${s.port})?$`));
    assert.ok(s.port > 0);
    // The server answers on the port it announced.
    const r = await rawExchange(s.port, '*1\r\n$4\r\nPING\r\n', { expect: '+PONG\r\n' });
    assert.equal(r.data, '+PONG\r\n');
    assert.equal(s.stdout().split('\n').filter((l) => l !== '').length, 1);
    s.child.kill('SIGTERM');
    const e = await exited(s.child);
    assert.deepEqual(e, { code: 0, signal: null });
  });

  test('SIGTERM with clients connected still exits 0', async () => {
    const s = await startBinary(['--port', '0', '--bind', '127.0.0.1']);
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.on('error', () => {});
    s.child.kill('SIGTERM');
    const e = await exited(s.child);
    sock.destroy();
    assert.deepEqual(e, { code: 0, signal: null });
  });

  test('A config file in redis.conf syntax is read, and the command line overrides it', async () => {
    const conf = join(dir, 'mini-kv.conf');
    writeFileSync(conf, '# mini-kv test configuration\n\nport 7\nbind 127.0.0.1\ninline-replies resp\n  hz 20  \n');
    const s = await startBinary([conf, '--port', '0']);
    assert.match(s.line, READY);
    assert.notEqual(s.port, 7);
    assert.match(s.line, new RegExp(`on 127\\.0\\.0\\.1:${s.port} \\(pid`));
    // inline-replies resp comes from the file.
    const r1 = await rawExchange(s.port, 'PING\r\n', { expect: '\r\n' });
    assert.equal(r1.data, '+PONG\r\n');
    s.child.kill('SIGTERM');
    await exited(s.child);

    const s2 = await startBinary([conf, '--port', '0', '--inline-replies', 'text']);
    const r2 = await rawExchange(s2.port, 'PING\r\n', { expect: '\n' });
    assert.equal(r2.data, 'PONG\n');
    s2.child.kill('SIGTERM');
    assert.equal((await exited(s2.child)).code, 0);
  });
});

describe('mini-kv-server - bad start-up', () => {
  test('An unknown option exits non-zero with a clear message', async () => {
    const r = await runToExit(['--port', '0', '--no-such-option', 'yes']);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, "mini-kv-server: Bad directive or wrong number of arguments: unknown option 'no-such-option'\n");
    assert.equal(r.stdout, '');
  });

  test('An unknown option in the config file exits non-zero with a clear message', async () => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, 'port 0\nbogus 1\n');
    const r = await runToExit([conf]);
    assert.notEqual(r.code, 0);
    assert.equal(r.stderr, "mini-kv-server: Bad directive or wrong number of arguments: unknown option 'bogus'\n");
  });

  test('Invalid values exit non-zero with a clear message', async () => {
    const cases: [string[], string][] = [
      [['--port', '70000'], `mini-kv-server: Invalid value for 'port' ("70000"): argument must be between 0 and 65535 inclusive\n`],
      [['--port', '0', '--hz', 'abc'], `mini-kv-server: Invalid value for 'hz' ("abc"): argument couldn't be parsed into an integer\n`],
      [['--port', '0', '--inline-replies', 'html'], `mini-kv-server: Invalid value for 'inline-replies' ("html"): argument(s) must be one of the following: text, resp\n`],
      [['--port', '0', '--protected-mode', 'maybe'], `mini-kv-server: Invalid value for 'protected-mode' ("maybe"): argument must be 'yes' or 'no'\n`],
    ];
    const results = await Promise.all(cases.map(([args]) => runToExit(args)));
    for (const [i, r] of results.entries()) {
      assert.notEqual(r.code, 0, cases[i]![0].join(' '));
      assert.equal(r.stderr, cases[i]![1]);
    }
  });

  test('A missing config file exits non-zero with a clear message', async () => {
    const r = await runToExit([join(dir, 'missing.conf')]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^mini-kv-server: Can't open the config file '.*missing\.conf': ENOENT/);
  });

  test('A taken port exits non-zero with a clear message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runToExit(['--port', String(port), '--bind', '127.0.0.1']);
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr, `mini-kv-server: Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use\n`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
