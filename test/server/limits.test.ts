/**
 * Client limits over real sockets: maxclients, timeout (driven by the
 * server clock and one ticker), tcp-keepalive, client-query-buffer-limit,
 * proto-max-bulk-len, a huge announced bulk holding only what arrived,
 * client-output-buffer-limit for normal clients (hard, and soft with its
 * seconds), 2,000 concurrent connections with PING still answered, CONFIG
 * GET port after --port 0. Reactions match redis-server 7.0.15 (closing
 * without a reply where Redis does).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { parseOutputBufferLimits } from '../../src/server/config.js';
import { resp as r, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

const servers: TestServer[] = [];
const conns: RawConn[] = [];
after(async () => {
  for (const c of conns) c.destroy();
  for (const s of servers) await s.close();
});

async function server(config: Record<string, string | number> = {}): Promise<TestServer> {
  const s = await startTestServer({ config });
  servers.push(s);
  return s;
}

async function open(port: number, keep = true): Promise<RawConn> {
  const c = await RawConn.open(port, { keep });
  conns.push(c);
  return c;
}

describe('maxclients', () => {
  test('maxclients - the next client gets the error and is closed; a freed slot is reused', async () => {
    const s = await server({ maxclients: 2 });
    const a = await open(s.port);
    const b = await open(s.port);
    assert.equal(await a.ask(r('PING'), 7), '+PONG\r\n');
    assert.equal(await b.ask(r('PING'), 7), '+PONG\r\n');
    const c = await open(s.port);
    assert.equal(await c.waitClose(), true);
    assert.equal(c.data, '-ERR max number of clients reached\r\n');
    assert.equal(s.server.stats.rejectedConnections, 1);
    a.destroy();
    await a.waitClose();
    for (let i = 0; i < 50 && s.server.clients.size > 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const d = await open(s.port);
    assert.equal(await d.ask(r('PING'), 7), '+PONG\r\n');
  });

  test('maxclients - CONFIG SET lowers it at run time', async () => {
    const s = await server();
    const a = await open(s.port);
    assert.equal(await a.ask(r('CONFIG', 'SET', 'maxclients', '1'), 5), '+OK\r\n');
    const b = await open(s.port);
    assert.equal(await b.waitClose(), true);
    assert.equal(b.data, '-ERR max number of clients reached\r\n');
    assert.equal(await a.ask(r('PING'), 7), '+PONG\r\n');
  });
});

describe('timeout and tcp-keepalive', () => {
  test('timeout - an idle client is closed once the ticker sees it idle past the timeout; an active one stays', async () => {
    const s = await server({ timeout: 10 });
    s.server.clock.freeze();
    const idle = await open(s.port);
    const busy = await open(s.port);
    assert.equal(await idle.ask(r('PING'), 7), '+PONG\r\n');
    assert.equal(await busy.ask(r('PING'), 7), '+PONG\r\n');
    s.server.limits.tick(); // first sight of both
    s.server.clock.advance(6000);
    assert.equal(await busy.ask(r('PING'), 7), '+PONG\r\n');
    s.server.limits.tick();
    assert.equal(idle.closed, false);
    s.server.clock.advance(5000); // idle for 11 s, busy for 5 s
    s.server.limits.tick();
    assert.equal(await idle.waitClose(), true);
    assert.equal(idle.data, '+PONG\r\n', 'closed without a reply, as Redis');
    assert.equal(busy.closed, false);
    assert.equal(await busy.ask(r('PING'), 7), '+PONG\r\n');
  });

  test('timeout - 0 never closes; CONFIG SET timeout applies at run time', async () => {
    const s = await server();
    s.server.clock.freeze();
    const c = await open(s.port);
    s.server.limits.tick();
    s.server.clock.advance(365 * 86400_000);
    s.server.limits.tick();
    assert.equal(await c.ask(r('CONFIG', 'SET', 'timeout', '1'), 5), '+OK\r\n');
    s.server.limits.tick();
    s.server.clock.advance(1001);
    s.server.limits.tick();
    assert.equal(await c.waitClose(), true);
  });

  test('timeout - with the real clock and ticker, an idle client is closed within a few seconds', async () => {
    const s = await server({ timeout: 1 });
    const c = await open(s.port);
    assert.equal(await c.waitClose(6000), true);
  });

  test('tcp-keepalive - each accepted socket gets keep-alive with the configured delay', async (t) => {
    const calls: [boolean | undefined, number | undefined][] = [];
    const original = net.Socket.prototype.setKeepAlive;
    t.after(() => {
      net.Socket.prototype.setKeepAlive = original;
    });
    net.Socket.prototype.setKeepAlive = function (this: net.Socket, enable?: boolean, delay?: number) {
      calls.push([enable, delay]);
      return original.call(this, enable, delay);
    };
    const s = await server({ 'tcp-keepalive': 60 });
    const c = await open(s.port);
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
    assert.deepEqual(calls, [[true, 60_000]]);
    calls.length = 0;
    const s0 = await server({ 'tcp-keepalive': 0 });
    const c0 = await open(s0.port);
    assert.equal(await c0.ask(r('PING'), 7), '+PONG\r\n');
    assert.deepEqual(calls, []);
  });
});

describe('input limits', () => {
  test('client-query-buffer-limit - a client whose unparsed input passes it is closed without a reply', async () => {
    const s = await server({ 'client-query-buffer-limit': '1mb' });
    const c = await open(s.port);
    c.write('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n');
    c.write(Buffer.alloc(1_500_000, 97));
    assert.equal(await c.waitClose(), true);
    assert.equal(c.data, '');
    const other = await open(s.port);
    assert.equal(await other.ask(r('EXISTS', 'k'), 4), ':0\r\n');
  });

  test('client-query-buffer-limit - input under the limit is served', async () => {
    const s = await server({ 'client-query-buffer-limit': '1mb' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('SET', 'k', 'x'.repeat(900_000)), 5), '+OK\r\n');
  });

  test('proto-max-bulk-len - a longer bulk is a protocol error, then the connection closes', async () => {
    const s = await server({ 'proto-max-bulk-len': '1mb' });
    const c = await open(s.port);
    c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`);
    assert.equal(await c.waitClose(), true);
    assert.equal(c.data, '-ERR Protocol error: invalid bulk length\r\n');
    const ok = await open(s.port);
    assert.equal(await ok.ask(r('SET', 'k', 'x'.repeat(1024 * 1024)), 5), '+OK\r\n');
  });

  test('proto-max-bulk-len - CONFIG SET applies to clients already connected', async () => {
    const s = await server();
    const early = await open(s.port);
    assert.equal(await early.ask(r('PING'), 7), '+PONG\r\n');
    const admin = await open(s.port);
    assert.equal(await admin.ask(r('CONFIG', 'SET', 'proto-max-bulk-len', '1mb'), 5), '+OK\r\n');
    early.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`);
    assert.equal(await early.waitClose(), true);
    assert.equal(early.data, '+PONG\r\n-ERR Protocol error: invalid bulk length\r\n');
  });

  test('a huge announced bulk holds only the bytes that arrived', async () => {
    const s = await server();
    const before = process.memoryUsage().arrayBuffers;
    const clients: RawConn[] = [];
    for (let i = 0; i < 20; i++) {
      const c = await open(s.port);
      c.write(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870000\r\n`);
      c.write(Buffer.alloc(100_000, 120));
      clients.push(c);
    }
    for (let i = 0; i < 100; i++) {
      let sum = 0;
      for (const cl of s.server.clients.values()) sum += cl.queryBufferLength();
      if (sum >= 20 * 100_000) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    let pending = 0;
    for (const cl of s.server.clients.values()) pending += cl.queryBufferLength();
    assert.equal(pending, 20 * 100_000, 'every byte sent is counted as query buffer');
    const grown = process.memoryUsage().arrayBuffers - before;
    // 20 announced 512 MB bulks would be 10 GB; what arrived is 2 MB, held in buffers of at most twice that.
    assert.ok(grown < 64 * 1024 * 1024, `array buffers grew by ${grown} bytes`);
    for (const c of clients) c.destroy();
  });
});

describe('output limits', () => {
  test('client-output-buffer-limit - parsed as Redis: classes, units, merge; errors in Redis\'s words', async () => {
    const parsed = parseOutputBufferLimits('normal 1mb 2kb 3 replica 1 2 3');
    assert.deepEqual(parsed, new Map([['normal', { hard: 1048576, soft: 2048, softSeconds: 3 }], ['slave', { hard: 1, soft: 2, softSeconds: 3 }]]));
    const s = await server();
    const c = await open(s.port);
    const wrong = "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.\r\n";
    assert.equal(await c.ask(r('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1 2'), wrong.length), wrong);
    const cls = "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.\r\n";
    assert.equal(await c.ask(r('CONFIG', 'SET', 'client-output-buffer-limit', 'foo 1 2 3'), cls.length), cls);
    const bad = "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.\r\n";
    assert.equal(await c.ask(r('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1x 2 3'), bad.length), bad);
    assert.equal(await c.ask(r('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 1mb 2kb 3'), 5), '+OK\r\n');
    const want = 'normal 1048576 2048 3 slave 268435456 67108864 60 pubsub 33554432 8388608 60';
    const got = await c.ask(r('CONFIG', 'GET', 'client-output-buffer-limit'), 40 + want.length);
    assert.equal(got, `*2\r\n$26\r\nclient-output-buffer-limit\r\n$${want.length}\r\n${want}\r\n`);
  });

  test('client-output-buffer-limit - over the hard limit a client that does not read is closed; others are served', async () => {
    const s = await server({ 'client-output-buffer-limit': 'normal 256kb 0 0' });
    const setter = await open(s.port);
    assert.equal(await setter.ask(r('SET', 'big', 'v'.repeat(1024 * 1024)), 5), '+OK\r\n');
    const slow = await open(s.port, false);
    slow.sock.pause();
    slow.write(Buffer.concat(Array.from({ length: 64 }, () => r('GET', 'big'))));
    for (let i = 0; i < 500 && s.server.clients.size > 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(s.server.clients.size, 1, 'the slow reader was closed');
    assert.equal(await setter.ask(r('PING'), 7), '+PONG\r\n');
  });

  test('client-output-buffer-limit - over the soft limit for longer than its seconds closes; under it, nothing happens', async () => {
    const s = await server({ 'client-output-buffer-limit': 'normal 0 128kb 5' });
    s.server.clock.freeze();
    const setter = await open(s.port);
    assert.equal(await setter.ask(r('SET', 'big', 'v'.repeat(1024 * 1024)), 5), '+OK\r\n');
    const slow = await open(s.port, false);
    slow.sock.pause();
    slow.write(Buffer.concat(Array.from({ length: 16 }, () => r('GET', 'big'))));
    let conn = null;
    for (let i = 0; i < 500; i++) {
      for (const c of s.server.clients.values()) if (c.outputBufferLength() >= 128 * 1024) conn = c;
      if (conn !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(conn !== null, 'the slow reader has output pending');
    s.server.limits.tick();
    s.server.clock.advance(4000);
    s.server.limits.tick();
    assert.equal(s.server.clients.size, 2, 'still within the soft seconds');
    s.server.clock.advance(2000);
    s.server.limits.tick();
    assert.equal(s.server.clients.size, 1, 'closed after the soft seconds');
    assert.equal(await setter.ask(r('PING'), 7), '+PONG\r\n');
  });
});

describe('many connections', () => {
  test('2,000 concurrent connections are held and PING is still answered', async () => {
    const s = await server();
    const many: net.Socket[] = [];
    // In batches under the listen backlog (511), as a real crowd arrives over time.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 200 }, () => new Promise<void>((resolve, reject) => {
        const sock = net.connect(s.port, '127.0.0.1', () => resolve());
        sock.on('error', reject);
        many.push(sock);
      })));
      for (let i = 0; i < 300 && s.server.clients.size < many.length; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(s.server.clients.size, 2000);
    const io = new Redis({ port: s.port, host: '127.0.0.1' });
    for (let i = 0; i < 100; i++) assert.equal(await io.ping(), 'PONG');
    io.disconnect();
    for (const sock of many) sock.destroy();
  });
});

describe('CONFIG GET port', () => {
  test('CONFIG GET port - reports the port actually taken after --port 0', async () => {
    const s = await server({ port: 0 });
    const c = await open(s.port);
    const p = String(s.port);
    assert.equal(await c.ask(r('CONFIG', 'GET', 'port'), 20 + p.length), `*2\r\n$4\r\nport\r\n$${p.length}\r\n${p}\r\n`);
  });
});
