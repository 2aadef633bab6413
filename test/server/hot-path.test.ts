/**
 * Guards for the hot-path optimisations of docs/performance.md: each test
 * fails if a shortcut taken for speed changes what a client sees.
 * - The parser reuses the string of a client's last command name: a name of
 *   the same length but other bytes, or other case, must not be taken for it.
 * - argv is sized from the announced count (up to 1024 slots): counts past
 *   that, and counts whose arguments arrive one byte at a time, still work.
 * - Replies are queued and written at the end of the event-loop turn: many
 *   clients served in one turn each get exactly their own replies, in order,
 *   and a QUIT or a protocol error still delivers its reply before closing.
 * - ArenaDatabase.set looks a key up once and writes in place when the new
 *   value fits the record's size class: overwriting keeps the key count, and
 *   a value that moves the key to a new record keeps its TTL under KEEPTTL.
 * - INFO stats reports event-loop stalls, and CONFIG RESETSTAT resets them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { eventLoopStats, resetEventLoopStats } from '../../src/server/event-loop-monitor.js';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

describe('command name reuse', () => {
  it('pipelined names of the same length but other bytes run their own commands', async () => {
    const req = Buffer.concat([resp('SET', 'nk', 'v1'), resp('GET', 'nk'), resp('DEL', 'nk'), resp('GET', 'nk'), resp('GEX', 'nk'), resp('get', 'nk')]);
    const r = await rawExchange(srv.port, req, { expect: "args beginning with: 'nk' \r\n$-1\r\n" });
    assert.equal(r.data, "+OK\r\n$2\r\nv1\r\n:1\r\n$-1\r\n-ERR unknown command 'GEX', with args beginning with: 'nk' \r\n$-1\r\n");
  });

  it('a name split across reads, and a name that is a prefix of the last one, are read whole', async () => {
    const chunks = [resp('SET', 'nk2', 'x'), Buffer.from('*2\r\n$3\r\nGE'), Buffer.from('T\r\n$3\r\nnk2\r\n'), resp('SETNX', 'nk2', 'y'), resp('SET', 'nk2', 'z'), resp('GET', 'nk2')];
    const r = await rawExchange(srv.port, chunks, { expect: '$1\r\nz\r\n' });
    assert.equal(r.data, '+OK\r\n$1\r\nx\r\n:0\r\n+OK\r\n$1\r\nz\r\n');
  });
});

describe('argument vector sizing', () => {
  it('MSET with 2,001 arguments (past the 1,024 preallocated) stores every pair', async () => {
    const args = ['MSET'];
    for (let i = 0; i < 1000; i++) args.push(`big:${i}`, `v${i}`);
    const c = new Redis(srv.port, '127.0.0.1');
    try {
      assert.equal(await c.call(...(args as [string, ...string[]])), 'OK');
      const got = (await c.mget(...Array.from({ length: 1000 }, (_, i) => `big:${i}`))) as string[];
      assert.deepEqual(got, Array.from({ length: 1000 }, (_, i) => `v${i}`));
    } finally {
      c.disconnect();
    }
  });

  it('a request fed one byte at a time parses as when sent whole', async () => {
    const req = Buffer.concat([resp('MSET', 'b1', 'one', 'b2', 'two'), resp('MGET', 'b1', 'b2', 'b3')]);
    const chunks = [...req].map((b) => Buffer.from([b]));
    const r = await rawExchange(srv.port, chunks, { expect: '$-1\r\n', timeoutMs: 5000 });
    assert.equal(r.data, '+OK\r\n*3\r\n$3\r\none\r\n$3\r\ntwo\r\n$-1\r\n');
  });
});

describe('replies written at the end of the turn', () => {
  it('50 clients pipelining at once each get exactly their own replies, in order', async () => {
    const CLIENTS = 50;
    const DEPTH = 200;
    const results = await Promise.all(Array.from({ length: CLIENTS }, (_, c) => {
      const parts: Buffer[] = [];
      let expected = '';
      for (let i = 0; i < DEPTH; i++) {
        parts.push(resp('SET', `turn:${c}:${i}`, `${c}-${i}`), resp('GET', `turn:${c}:${i}`));
        const v = `${c}-${i}`;
        expected += `+OK\r\n$${v.length}\r\n${v}\r\n`;
      }
      return rawExchange(srv.port, Buffer.concat(parts), { expect: expected.length, timeoutMs: 5000 }).then((r) => ({ r, expected }));
    }));
    for (const { r, expected } of results) assert.equal(r.data, expected);
  });

  it('QUIT after pipelined commands: every reply arrives, then the close', async () => {
    const r = await rawExchange(srv.port, Buffer.concat([resp('SET', 'q1', 'a'), resp('GET', 'q1'), resp('QUIT'), resp('GET', 'q1')]), { timeoutMs: 3000 });
    assert.equal(r.data, '+OK\r\n$1\r\na\r\n+OK\r\n');
    assert.equal(r.closed, true);
  });

  it('a protocol error after good requests: their replies, the error, then the close', async () => {
    const r = await rawExchange(srv.port, Buffer.concat([resp('SET', 'pe', 'b'), resp('GET', 'pe'), Buffer.from('*1\r\nx\r\n')]), { timeoutMs: 3000 });
    assert.equal(r.data, "+OK\r\n$1\r\nb\r\n-ERR Protocol error: expected '$', got 'x'\r\n");
    assert.equal(r.closed, true);
  });

  it('CLIENT LIST counts queued replies in omem only while they wait, never after', async () => {
    const c = new Redis(srv.port, '127.0.0.1');
    try {
      await c.set('om', 'x'.repeat(1000));
      const list = (await c.client('LIST')) as string;
      const me = list.split('\n').find((l) => l.includes('cmd=client|list'))!;
      // Its own reply is being built, nothing is queued yet.
      assert.match(me, / omem=0 /);
    } finally {
      c.disconnect();
    }
  });
});

describe('keyspace set', () => {
  it('overwriting a key keeps DBSIZE, new keys add to it, and a TTL is cleared by SET', async () => {
    const c = new Redis(srv.port, '127.0.0.1');
    try {
      await c.select(3);
      await c.flushdb();
      await c.set('o1', 'a');
      await c.set('o1', 'b', 'PX', 100000);
      await c.set('o2', 'c');
      assert.equal(await c.dbsize(), 2);
      assert.equal(await c.pttl('o1') > 0, true);
      await c.set('o1', 'd');
      assert.equal(await c.pttl('o1'), -1);
      assert.equal(await c.get('o1'), 'd');
      // Another size class: the key moves to a new record, still one key, TTL kept.
      await c.set('o1', 'e', 'PX', 100000);
      await c.set('o1', 'x'.repeat(500), 'KEEPTTL');
      assert.equal(await c.dbsize(), 2);
      assert.equal(await c.pttl('o1') > 0, true);
      assert.equal(await c.get('o1'), 'x'.repeat(500));
    } finally {
      c.disconnect();
    }
  });
});

describe('INFO stats event-loop stalls', () => {
  it('eventloop_max_stall_ms and eventloop_delay_p99_ms are reported, and a 60 ms block shows', async () => {
    const c = new Redis(srv.port, '127.0.0.1');
    try {
      const field = async (name: string): Promise<number> => {
        const info = (await c.info('stats')) as string;
        const m = info.match(new RegExp(`^${name}:([0-9.]+)\\r?$`, 'm'));
        assert.ok(m !== null, `${name} missing from INFO stats`);
        return Number(m[1]);
      };
      await c.config('RESETSTAT');
      // Block the event loop for 60 ms inside the server's process.
      await new Promise((r) => setTimeout(r, 10));
      const until = Date.now() + 60;
      while (Date.now() < until);
      await new Promise((r) => setTimeout(r, 20));
      const stalled = await field('eventloop_max_stall_ms');
      // The monitor ticks every 2 ms, and Date.now()'s millisecond makes the
      // block 59 to 60 ms, so the tick after it is at least 57 ms late.
      assert.ok(stalled >= 57, `a 60 ms block shows as ${stalled} ms`);
      const p99 = await field('eventloop_delay_p99_ms');
      assert.ok(p99 <= stalled, `the p99 (${p99} ms) is no later than the latest tick (${stalled} ms)`);
    } finally {
      c.disconnect();
    }
  });

  it('CONFIG RESETSTAT starts a new window: the figures read in the same turn are 0, whatever came before', async () => {
    await new Promise((r) => setTimeout(r, 10));
    const until = Date.now() + 30;
    while (Date.now() < until);
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(eventLoopStats().maxStallMs >= 27, `a 30 ms block shows (${eventLoopStats().maxStallMs} ms)`);
    // What CONFIG RESETSTAT calls; no timer tick can come between the two calls.
    resetEventLoopStats();
    assert.deepEqual(eventLoopStats(), { maxStallMs: 0, p99Ms: 0 });
  });
});
