/**
 * Backpressure: a client that pipelines GETs of a 1 MB value and never reads
 * cannot make the server buffer its replies without bound (Redis's default
 * `normal 0 0 0` would; mini-kv stops reading that client's requests while
 * more than OUTPUT_PAUSE_BYTES wait). Other clients are served meanwhile, and
 * once the slow client reads, every reply arrives whole and in order.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { OUTPUT_PAUSE_BYTES } from '../../src/server/connection.js';
import { resp as r, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

const MB = 1024 * 1024;
const servers: TestServer[] = [];
const conns: RawConn[] = [];
after(async () => {
  for (const c of conns) c.destroy();
  for (const s of servers) await s.close();
});

async function setup(): Promise<{ s: TestServer; io: Redis }> {
  const s = await startTestServer();
  servers.push(s);
  const io = new Redis({ port: s.port, host: '127.0.0.1' });
  await io.set('big', Buffer.alloc(MB, 98));
  return { s, io };
}

/** Largest output buffer among the server's clients. */
function maxOutput(s: TestServer): number {
  let max = 0;
  for (const c of s.server.clients.values()) max = Math.max(max, c.outputBufferLength());
  return max;
}

describe('backpressure', () => {
  test('a client pipelining 500 GETs of 1 MB without reading holds about a megabyte on the server; PING elsewhere is answered', async () => {
    const { s, io } = await setup();
    const slow = await RawConn.open(s.port, { keep: false });
    conns.push(slow);
    slow.sock.pause();
    const n = 500;
    slow.write(Buffer.concat(Array.from({ length: n }, () => r('GET', 'big'))));
    let peak = 0;
    for (let i = 0; i < 40; i++) {
      assert.equal(await io.ping(), 'PONG');
      assert.equal((await io.getBuffer('big'))?.length, MB);
      peak = Math.max(peak, maxOutput(s));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Paused between requests once over the threshold: at most one more reply
    // beyond it. (The output length counts what the socket still holds too, so
    // this bounds the server's memory for the 500 MB asked without asking the
    // garbage collector.)
    assert.ok(peak > 0, 'the slow reader has output waiting');
    assert.ok(peak <= OUTPUT_PAUSE_BYTES + 2 * MB, `peak output ${peak}`);
    // Now it reads: every reply arrives, whole.
    const reply = MB + `$${MB}\r\n\r\n`.length;
    slow.sock.resume();
    assert.equal(await slow.until(() => slow.bytes >= n * reply, 30_000), true, `got ${slow.bytes} of ${n * reply}`);
    assert.equal(slow.bytes, n * reply);
    io.disconnect();
  });

  test('a paused client resumes where it stopped: pipelined replies come back in order', async () => {
    const { s, io } = await setup();
    const c = await RawConn.open(s.port);
    conns.push(c);
    c.sock.pause();
    const parts: Buffer[] = [];
    for (let i = 0; i < 20; i++) parts.push(r('GET', 'big'), r('ECHO', `marker-${i}`));
    c.write(Buffer.concat(parts));
    await new Promise((resolve) => setTimeout(resolve, 50));
    c.sock.resume();
    const want = 20 * (MB + `$${MB}\r\n\r\n`.length) + [...Array(20).keys()].reduce((n, i) => n + `$${`marker-${i}`.length}\r\nmarker-${i}\r\n`.length, 0);
    assert.equal(await c.until(() => c.bytes >= want, 20_000), true);
    let pos = 0;
    for (let i = 0; i < 20; i++) {
      const head = `$${MB}\r\n`;
      assert.equal(c.data.slice(pos, pos + head.length), head);
      pos += head.length + MB + 2;
      const m = `$${`marker-${i}`.length}\r\nmarker-${i}\r\n`;
      assert.equal(c.data.slice(pos, pos + m.length), m);
      pos += m.length;
    }
    assert.equal(pos, c.data.length);
    io.disconnect();
  });
});
