/**
 * Writes through the socket's handle (src/server/handle-writes.ts): over a
 * bare net.Server first (a write taken at once, a writev, a write the
 * kernel cannot take at once that stays in flight until the peer reads,
 * a write to a peer that has gone), then in the server: replies to a plain
 * TCP client never touch socket.write, and a TLS client's still do.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { handleWriterFor } from '../../src/server/handle-writes.js';
import { adoptForSharedReads } from '../../src/server/shared-reads.js';
import { resp, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

const MB = 1024 * 1024;

/** A net.Server whose one accepted socket is adopted, and a client connected to it. */
async function pair(): Promise<{ socket: net.Socket; client: RawConn; close(): Promise<void> }> {
  let accepted!: (s: net.Socket) => void;
  const got = new Promise<net.Socket>((resolve) => (accepted = resolve));
  const server = net.createServer((s) => {
    const adopted = adoptForSharedReads(s, () => {});
    assert.ok(adopted !== null, 'adopted');
    // A reset peer shows as a read error on our side too; the tests look at the writer's report.
    adopted.on('error', () => {});
    accepted(adopted);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = await RawConn.open((server.address() as net.AddressInfo).port);
  const socket = await got;
  return {
    socket,
    client,
    close: async () => {
      client.destroy();
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('HandleWriter', () => {
  test('small writes and a writev are taken at once, in order, with nothing in flight', async () => {
    const p = await pair();
    try {
      let drained = 0;
      const w = handleWriterFor(p.socket, () => drained++, () => assert.fail('no write fails'));
      assert.ok(w !== null, 'this Node has the handle and the binding');
      w.write(Buffer.from('one '));
      w.writev([Buffer.from('two '), Buffer.from('three '), Buffer.from('four')]);
      assert.equal(w.pendingBytes, 0);
      assert.equal(await p.client.until(() => p.client.data.length >= 18, 3000), true);
      assert.equal(p.client.data, 'one two three four');
      assert.equal(drained, 0, 'no drain without a write in flight');
    } finally {
      await p.close();
    }
  });

  test('a write the kernel cannot take at once stays in flight until the peer reads, then drains', async () => {
    const p = await pair();
    try {
      p.client.sock.pause();
      let drained = 0;
      const w = handleWriterFor(p.socket, () => drained++, () => assert.fail('no write fails'))!;
      const big = Buffer.alloc(16 * MB, 120);
      w.write(big);
      w.write(Buffer.from('end'));
      assert.ok(w.pendingBytes > 0, `pending ${w.pendingBytes}`);
      p.client.sock.resume();
      const total = big.length + 3;
      assert.equal(await p.client.until(() => p.client.bytes >= total, 20_000), true, `got ${p.client.bytes} of ${total}`);
      assert.equal(p.client.data.slice(-4), 'xend');
      for (let i = 0; i < 100 && w.pendingBytes > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(w.pendingBytes, 0);
      assert.equal(drained, 1);
    } finally {
      await p.close();
    }
  });

  test('writing to a peer that has reset the connection reports one failure', async () => {
    const p = await pair();
    try {
      let failures = 0;
      const w = handleWriterFor(p.socket, () => {}, () => failures++)!;
      p.client.sock.resetAndDestroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (let i = 0; i < 20 && failures === 0; i++) {
        w.write(Buffer.alloc(64 * 1024));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(failures, 1);
    } finally {
      await p.close();
    }
  });
});

describe('replies through the handle', () => {
  const servers: TestServer[] = [];
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('a plain TCP client gets every reply, small, pipelined and large, and socket.write is never called', async () => {
    const s = await startTestServer();
    servers.push(s);
    const c = await RawConn.open(s.port);
    assert.equal(await c.ask(resp('PING'), 7), '+PONG\r\n');
    let streamWrites = 0;
    for (const client of s.server.clients.values()) {
      const sock = (client as unknown as { socket: net.Socket }).socket;
      sock.write = (() => {
        streamWrites++;
        return true;
      }) as typeof sock.write;
    }
    const value = 'v'.repeat(3 * MB);
    const want = `+OK\r\n$${value.length}\r\n${value}\r\n` + ':1\r\n'.repeat(1) + ':2\r\n';
    c.data = '';
    c.write(Buffer.concat([resp('SET', 'k', value), resp('GET', 'k'), resp('INCR', 'n'), resp('INCR', 'n')]));
    assert.equal(await c.until(() => c.data.length >= want.length, 10_000), true);
    assert.equal(c.data, want);
    assert.equal(streamWrites, 0);
    c.destroy();
  });

  test('ioredis over the handle path and over streams (streamReads) sees the same replies', async () => {
    for (const streamReads of [false, true]) {
      const s = await startTestServer({ streamReads });
      servers.push(s);
      const io = new Redis({ port: s.port, host: '127.0.0.1' });
      try {
        const results = await io.pipeline().set('a', '1').incr('a').get('a').mget('a', 'b').exec();
        assert.deepEqual(results, [[null, 'OK'], [null, 2], [null, '2'], [null, ['2', null]]]);
      } finally {
        io.disconnect();
      }
    }
  });
});
