/**
 * Shared-buffer reads (src/server/shared-reads.ts): an accepted plain socket
 * is moved into a socket that reads into one shared buffer. First the
 * adoption itself over a bare net.Server, then the server's behaviour on
 * both read paths: the shared buffer (the default) and streams (the
 * fallback, and what TLS always uses). A read is valid only during its
 * callback, so the cases that keep input past one read matter most:
 * requests cut at every byte, a value bigger than the 64 KB buffer, and a
 * client paused for output with requests still unparsed.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import tls from 'node:tls';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { adoptForSharedReads } from '../../src/server/shared-reads.js';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

const MB = 1024 * 1024;

describe('adoptForSharedReads', () => {
  test('an accepted socket reads into the shared buffer, pauses, resumes and sees the peer close', async () => {
    const received: string[] = [];
    const held: { socket: net.Socket | null } = { socket: null };
    let closed = false;
    const server = net.createServer((s) => {
      held.socket = adoptForSharedReads(s, (buf, n) => {
        received.push(buf.latin1Slice(0, n));
        held.socket!.write(`got ${n}\n`);
      });
      held.socket?.on('close', () => {
        closed = true;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const c = await RawConn.open(port);
    try {
      c.write('hello');
      assert.equal(await c.until(() => c.data === 'got 5\n', 3000), true);
      const adopted = held.socket;
      assert.ok(adopted !== null, 'adopted');
      adopted.pause();
      c.write('while paused');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(received, ['hello']);
      adopted.resume();
      assert.equal(await c.until(() => received.join('') === 'hellowhile paused', 3000), true);
      c.sock.end();
      for (let i = 0; i < 100 && !closed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(closed, true);
    } finally {
      c.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('a TLS socket, or a socket without a handle, is left alone', () => {
    let called = false;
    assert.equal(adoptForSharedReads(new tls.TLSSocket(new net.Socket()), () => (called = true)), null);
    assert.equal(adoptForSharedReads(new net.Socket(), () => (called = true)), null);
    assert.equal(called, false);
  });
});

for (const streamReads of [false, true]) {
  describe(`a server reading ${streamReads ? 'streams' : 'into the shared buffer'}`, () => {
    let srv: TestServer | null = null;
    const start = async (): Promise<TestServer> => {
      srv ??= await startTestServer({ streamReads });
      return srv;
    };
    after(async () => {
      await srv?.close();
    });

    test('requests cut across reads at many points parse as when sent whole', async () => {
      const s = await start();
      const req = Buffer.concat([resp('SET', 'sr:k', 'value'), resp('MSET', 'sr:a', '1', 'sr:b', '2'), resp('GET', 'sr:k'), resp('MGET', 'sr:a', 'sr:b'), Buffer.from('PING\n')]);
      // The inline PING is answered in the text dialect.
      const want = '+OK\r\n+OK\r\n$5\r\nvalue\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\nPONG\n';
      const c = await RawConn.open(s.port);
      try {
        for (let at = 1; at < req.length; at += 5) {
          const from = c.data.length;
          // A pause between the parts makes them two reads: the second
          // overwrites the shared buffer the first was read into.
          c.write(req.subarray(0, at));
          await new Promise((resolve) => setTimeout(resolve, 5));
          c.write(req.subarray(at));
          assert.equal(await c.until(() => c.data.length - from >= want.length, 3000), true, `cut at ${at}`);
          assert.equal(c.data.slice(from), want, `cut at ${at}`);
        }
      } finally {
        c.destroy();
      }
    });

    test('a 3 MB value arrives over many reads and comes back whole', async () => {
      const s = await start();
      const io = new Redis(s.port, '127.0.0.1');
      try {
        const big = Buffer.alloc(3 * MB);
        for (let i = 0; i < big.length; i++) big[i] = i % 251;
        assert.equal(await io.set('sr:big', big), 'OK');
        assert.deepEqual(await io.getBuffer('sr:big'), big);
      } finally {
        io.disconnect();
      }
    });

    test('a client paused for output with requests unread gets every reply in order once it reads', async () => {
      const s = await start();
      const io = new Redis(s.port, '127.0.0.1');
      await io.set('sr:mb', Buffer.alloc(MB, 98));
      const c = await RawConn.open(s.port);
      try {
        c.sock.pause();
        const parts: Buffer[] = [];
        for (let i = 0; i < 8; i++) parts.push(resp('GET', 'sr:mb'), resp('ECHO', `m${i}`));
        c.write(Buffer.concat(parts));
        await new Promise((resolve) => setTimeout(resolve, 50));
        c.sock.resume();
        const one = `$${MB}\r\n`.length + MB + 2;
        const want = 8 * (one + '$2\r\nm0\r\n'.length);
        assert.equal(await c.until(() => c.bytes >= want, 20_000), true);
        let pos = 0;
        for (let i = 0; i < 8; i++) {
          const head = `$${MB}\r\n`;
          assert.equal(c.data.slice(pos, pos + head.length), head);
          pos += one;
          assert.equal(c.data.slice(pos, pos + 8), `$2\r\nm${i}\r\n`);
          pos += 8;
        }
        assert.equal(pos, c.data.length);
      } finally {
        c.destroy();
        io.disconnect();
      }
    });

    test('2 MB of pipelined SETs in one write (read 64 KB a turn) get every reply, in order; others are served meanwhile', async () => {
      const s = await start();
      const parts: Buffer[] = [];
      for (let i = 0; i < 20_000; i++) parts.push(resp('SET', `sr:load:${i}`, 'v'.repeat(100)));
      const load = Buffer.concat(parts);
      assert.ok(load.length > 2 * MB);
      const c = await RawConn.open(s.port, { keep: false });
      const io = new Redis(s.port, '127.0.0.1');
      try {
        c.write(load);
        assert.equal(await io.ping(), 'PONG');
        assert.equal(await c.until(() => c.bytes >= 20_000 * 5, 20_000), true);
        assert.equal(c.bytes, 20_000 * '+OK\r\n'.length);
        assert.deepEqual(await io.mget('sr:load:0', 'sr:load:19999'), ['v'.repeat(100), 'v'.repeat(100)]);
      } finally {
        c.destroy();
        io.disconnect();
      }
    });

    test('QUIT answers and closes; a client that goes away is removed', async () => {
      const s = await start();
      const r = await rawExchange(s.port, Buffer.concat([resp('PING'), resp('QUIT')]), { timeoutMs: 3000 });
      assert.equal(r.data, '+PONG\r\n+OK\r\n');
      assert.equal(r.closed, true);
      const before = s.server.clients.size;
      const c = await RawConn.open(s.port);
      c.write(resp('PING'));
      assert.equal(await c.until(() => c.data === '+PONG\r\n', 3000), true);
      assert.equal(s.server.clients.size, before + 1);
      c.sock.end();
      for (let i = 0; i < 100 && s.server.clients.size > before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(s.server.clients.size, before);
    });
  });
}
