/**
 * SHUTDOWN and signals. SHUTDOWN's option errors and ABORT match
 * redis-server 7.0.15; an embedded server closes without ending the process;
 * the binary exits 0 on SHUTDOWN, on SIGTERM and SIGINT (answering what was
 * in flight, even with a client that never reads), and at once on a second
 * signal.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { resp as r, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

const BIN = fileURLToPath(new URL('../../../bin/mini-kv-server.js', import.meta.url));
const servers: TestServer[] = [];
const children = new Set<ChildProcess>();
after(async () => {
  for (const s of servers) await s.close();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

interface Child {
  child: ChildProcess;
  port: number;
  exited: Promise<{ code: number | null; signal: string | null; ms: number; out: string }>;
  stopAt: () => void;
}

/** Starts the binary on a free port and resolves at its ready line. */
function startBinary(args: string[] = ['--port', '0']): Promise<Child> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  let stoppedAt = 0;
  const exited = new Promise<{ code: number | null; signal: string | null; ms: number; out: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, ms: Date.now() - stoppedAt, out }));
  });
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /:(\d+) \(pid/.exec(out);
      if (m !== null) resolve({ child, port: Number(m[1]), exited, stopAt: () => (stoppedAt = Date.now()) });
    });
    child.on('exit', () => reject(new Error(`exited early: ${out}`)));
  });
}

describe('SHUTDOWN command', () => {
  test('SHUTDOWN - unknown words, ABORT with a flag and NOSAVE with SAVE are syntax errors; ABORT alone has nothing to abort', async () => {
    const s = await startTestServer();
    servers.push(s);
    const c = await RawConn.open(s.port);
    const syntax = '-ERR syntax error\r\n';
    for (const args of [['FOO'], ['NOSAVE', 'SAVE'], ['ABORT', 'NOW'], ['ABORT', 'FORCE'], ['SAVE', 'ABORT'], ['NOW', 'bar']]) {
      assert.equal(await c.ask(r('SHUTDOWN', ...args), syntax.length), syntax, args.join(' '));
      c.data = '';
    }
    const none = '-ERR No shutdown in progress.\r\n';
    assert.equal(await c.ask(r('SHUTDOWN', 'ABORT'), none.length), none);
    c.data = '';
    assert.equal(await c.ask(r('shutdown', 'abort'), none.length), none);
    c.destroy();
  });

  // SHUTDOWN SAVE is refused (nothing can be saved): test/server/config-runtime.test.ts.
  for (const args of [[], ['NOSAVE'], ['NOW'], ['FORCE'], ['NOSAVE', 'NOW', 'FORCE']]) {
    test(`SHUTDOWN ${args.join(' ')} - an embedded server answers what came before, closes every connection and stops listening; the process lives on`, async () => {
      const s = await startTestServer();
      servers.push(s);
      const other = await RawConn.open(s.port);
      assert.equal(await other.ask(r('PING'), 7), '+PONG\r\n');
      const c = await RawConn.open(s.port);
      c.write(Buffer.concat([r('SET', 'k', 'v'), r('GET', 'k'), r('SHUTDOWN', ...args), r('PING')]));
      assert.equal(await c.waitClose(), true);
      assert.equal(c.data, '+OK\r\n$1\r\nv\r\n', 'no reply to SHUTDOWN nor after it');
      assert.equal(await other.waitClose(), true);
      await s.server.closed;
      await assert.rejects(new Promise((resolve, reject) => {
        const sock = net.connect(s.port, '127.0.0.1', () => {
          sock.destroy();
          resolve(null);
        });
        sock.on('error', reject);
      }), { code: 'ECONNREFUSED' });
    });
  }
});

describe('the binary', () => {
  test('SHUTDOWN - the binary exits 0', async () => {
    const b = await startBinary();
    const c = await RawConn.open(b.port);
    b.stopAt();
    c.write(r('SHUTDOWN', 'NOSAVE'));
    const e = await b.exited;
    assert.equal(e.code, 0, e.out);
    assert.match(e.out, /SHUTDOWN received, exiting/);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} - replies in flight are sent, a client that never reads does not hold the exit, exit 0 within a second`, async (t) => {
      const b = await startBinary();
      const setter = await RawConn.open(b.port);
      assert.equal(await setter.ask(r('SET', 'big', 'x'.repeat(1024 * 1024)), 5), '+OK\r\n');
      const stuck = await RawConn.open(b.port, { keep: false });
      stuck.sock.pause();
      stuck.write(Buffer.concat(Array.from({ length: 50 }, () => r('GET', 'big'))));
      const c = await RawConn.open(b.port);
      assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      b.stopAt();
      b.child.kill(signal);
      const e = await b.exited;
      t.diagnostic(`exited ${e.ms} ms after ${signal}`);
      assert.equal(e.code, 0, e.out);
      assert.match(e.out, new RegExp(`Received ${signal}, shutting down`));
      assert.ok(e.ms < 1500, `exit took ${e.ms} ms`);
      assert.equal(await c.waitClose(), true);
    });
  }

  test('INFO config_file - the absolute path of the config file the binary was started with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mini-kv-conf-'));
    const file = join(dir, 'mini-kv.conf');
    writeFileSync(file, 'port 0\nhz 20\n');
    try {
      const b = await startBinary([file]);
      const c = await RawConn.open(b.port);
      c.write(r('INFO', 'server'));
      const info = await c.expect('io_threads_active');
      assert.match(info, new RegExp(`\r\nconfig_file:${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\r\n`));
      b.child.kill('SIGTERM');
      assert.equal((await b.exited).code, 0);
      c.destroy();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a second signal while shutting down exits at once, as Redis: "You insist... exiting now." and status 1', async () => {
    const b = await startBinary();
    const stuck = await RawConn.open(b.port, { keep: false });
    stuck.sock.pause();
    const setter = await RawConn.open(b.port);
    assert.equal(await setter.ask(r('SET', 'big', 'x'.repeat(1024 * 1024)), 5), '+OK\r\n');
    stuck.write(Buffer.concat(Array.from({ length: 50 }, () => r('GET', 'big'))));
    await new Promise((resolve) => setTimeout(resolve, 50));
    b.stopAt();
    // Both signals at once: a clean shutdown (which drops what slow readers
    // have not taken, as Redis does) usually ends before the second is
    // handled; when the second comes first, it must be Redis's abrupt exit.
    b.child.kill('SIGTERM');
    b.child.kill('SIGINT');
    const e = await b.exited;
    // libuv may hand the two signals over in either order.
    assert.match(e.out, /# Received (SIGTERM|SIGINT), shutting down\n/);
    if (/You insist/.test(e.out)) {
      assert.match(e.out, /# You insist\.\.\. exiting now\.\n$/);
      assert.equal(e.code, 1, e.out);
    } else {
      assert.equal(e.code, 0, e.out);
    }
  });

});
