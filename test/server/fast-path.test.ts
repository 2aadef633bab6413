/**
 * The fast paths (FastHandler in src/commands/table.ts): GET, SET, MSET, INCR
 * and DECR run on requests whose arguments are still bytes. Each test sends
 * the same requests as bytes (pipelined RESP, which takes the fast path) and
 * checks the replies and the stored state against what the full handlers
 * answer, including every case a fast path hands back to its handler.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';

let srv: TestServer;
let client: Redis;
before(async () => {
  srv = await startTestServer();
  client = new Redis(srv.port, '127.0.0.1');
});
after(async () => {
  client.disconnect();
  await srv.close();
});

/** Sends `reqs` in one write and returns the replies once `expect` ends them. */
async function pipeline(reqs: Buffer[], expect: string): Promise<string> {
  const r = await rawExchange(srv.port, Buffer.concat(reqs), { expect });
  return r.data;
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** Builds `key` with APPENDs, so that its value is kept as an object, not a record's bytes. */
async function appended(key: string, ...parts: string[]): Promise<void> {
  await client.del(key);
  for (const p of parts) await client.append(key, p);
}

describe('fast paths - GET and SET', () => {
  it('SET and GET of binary keys and values round-trip every byte', async () => {
    const data = await pipeline([resp('SET', ALL_BYTES, ALL_BYTES), resp('GET', ALL_BYTES)], '\r\n$256\r\n');
    assert.equal(data.length, '+OK\r\n$256\r\n'.length + 256 + 2);
    assert.equal(data.slice(11, 11 + 256), ALL_BYTES.latin1Slice(0, 256));
    assert.deepEqual(await client.getBuffer(ALL_BYTES), ALL_BYTES);
  });

  it('an empty key and an empty value are stored', async () => {
    const data = await pipeline([resp('SET', '', ''), resp('GET', ''), resp('EXISTS', '')], ':1\r\n');
    assert.equal(data, '+OK\r\n$0\r\n\r\n:1\r\n');
  });

  it('GET of a missing key is nil in RESP2 and RESP3', async () => {
    const data = await pipeline([resp('GET', 'fp:missing'), resp('HELLO', '3'), resp('GET', 'fp:missing')], '_\r\n');
    assert.ok(data.startsWith('$-1\r\n%'));
    assert.ok(data.endsWith('_\r\n'));
  });

  it('values longer than the copy loop and up to 100 KB come back whole', async () => {
    const mid = Buffer.alloc(100, 'm');
    const big = Buffer.alloc(100_000, 'b');
    const data = await pipeline([resp('SET', 'fp:mid', mid), resp('SET', 'fp:big', big), resp('GET', 'fp:mid'), resp('GET', 'fp:big')], 'b\r\n');
    assert.equal(data, `+OK\r\n+OK\r\n$100\r\n${'m'.repeat(100)}\r\n$100000\r\n${'b'.repeat(100_000)}\r\n`);
  });

  it('SET with options is left to the full handler: EX sets a TTL, NX and GET answer as usual', async () => {
    const data = await pipeline([resp('SET', 'fp:opt', 'a', 'EX', '100'), resp('TTL', 'fp:opt'), resp('SET', 'fp:opt', 'b', 'NX'), resp('SET', 'fp:opt', 'c', 'GET'), resp('SET', 'fp:opt', 'd', 'BAD')], 'error\r\n');
    assert.equal(data, '+OK\r\n:100\r\n$-1\r\n$1\r\na\r\n-ERR syntax error\r\n');
  });

  it('a plain SET removes the TTL, as the full SET does', async () => {
    await client.set('fp:ttl', 'x', 'EX', 100);
    const data = await pipeline([resp('SET', 'fp:ttl', 'y'), resp('TTL', 'fp:ttl')], ':-1\r\n');
    assert.equal(data, '+OK\r\n:-1\r\n');
  });

  it('GET of a value built by APPEND (kept as an object) is answered by the full handler', async () => {
    await appended('fp:app', 'abc', 'def');
    const data = await pipeline([resp('GET', 'fp:app')], 'abcdef\r\n');
    assert.equal(data, '$6\r\nabcdef\r\n');
  });

  it('arity errors come from the dispatcher with Redis 7.0.15 text', async () => {
    const data = await pipeline([resp('GET'), resp('GET', 'a', 'b'), resp('SET', 'a'), resp('MSET', 'a', '1', 'b'), resp('INCR', 'a', 'b')], "'incr' command\r\n");
    assert.equal(
      data,
      "-ERR wrong number of arguments for 'get' command\r\n" +
        "-ERR wrong number of arguments for 'get' command\r\n" +
        "-ERR wrong number of arguments for 'set' command\r\n" +
        "-ERR wrong number of arguments for 'mset' command\r\n" +
        "-ERR wrong number of arguments for 'incr' command\r\n",
    );
    assert.equal(await client.exists('a', 'b'), 0);
  });

  it('keyspace hits and misses and command calls are counted as by the full handler', async () => {
    await client.config('RESETSTAT');
    await client.set('fp:stat', 'v');
    await pipeline([resp('GET', 'fp:stat'), resp('GET', 'fp:stat'), resp('GET', 'fp:nostat')], '$-1\r\n');
    const info = await client.info('stats');
    assert.match(info, /keyspace_hits:2\r\n/);
    assert.match(info, /keyspace_misses:1\r\n/);
    const cmds = await client.info('commandstats');
    assert.match(cmds, /cmdstat_get:calls=3,/);
  });

  it('a client that has not authenticated gets NOAUTH from the fast commands too', async () => {
    const locked = await startTestServer({ config: { requirepass: 'pw' } });
    try {
      const r = await rawExchange(locked.port, Buffer.concat([resp('SET', 'k', 'v'), resp('GET', 'k'), resp('AUTH', 'pw'), resp('GET', 'k')]), { expect: '$-1\r\n' });
      assert.equal(r.data, '-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n+OK\r\n$-1\r\n');
    } finally {
      await locked.close();
    }
  });

  it('an expired key is gone for the fast GET, and counted as expired', async () => {
    srv.server.clock.freeze();
    try {
      await client.set('fp:exp', 'v', 'PX', 50);
      srv.server.clock.advance(51);
      const data = await pipeline([resp('GET', 'fp:exp'), resp('EXISTS', 'fp:exp')], ':0\r\n');
      assert.equal(data, '$-1\r\n:0\r\n');
    } finally {
      srv.server.clock.unfreeze();
    }
  });
});

describe('fast paths - MSET', () => {
  it('stores every pair, overwriting values of any length', async () => {
    const args: string[] = [];
    for (let i = 0; i < 50; i++) args.push(`fp:m${i}`, 'v'.repeat(i));
    await client.set('fp:m3', 'a much longer value than three bytes');
    const data = await pipeline([resp('MSET', ...args)], '+OK\r\n');
    assert.equal(data, '+OK\r\n');
    const got = await client.mget(...Array.from({ length: 50 }, (_, i) => `fp:m${i}`));
    assert.deepEqual(got, Array.from({ length: 50 }, (_, i) => 'v'.repeat(i)));
  });

  it('removes TTLs as the full MSET does', async () => {
    await client.set('fp:mt', 'x', 'EX', 100);
    await pipeline([resp('MSET', 'fp:mt', 'y')], '+OK\r\n');
    assert.equal(await client.ttl('fp:mt'), -1);
  });
});

describe('fast paths - INCR and DECR', () => {
  it('count from a missing key, keep the TTL, and store the canonical text', async () => {
    await client.del('fp:n');
    const data = await pipeline([resp('INCR', 'fp:n'), resp('INCR', 'fp:n'), resp('DECR', 'fp:n'), resp('DECR', 'fp:n'), resp('DECR', 'fp:n')], ':-1\r\n');
    assert.equal(data, ':1\r\n:2\r\n:1\r\n:0\r\n:-1\r\n');
    await client.set('fp:n', '41', 'EX', 100);
    await pipeline([resp('INCR', 'fp:n')], ':42\r\n');
    assert.equal(await client.ttl('fp:n'), 100);
    assert.equal(await client.get('fp:n'), '42');
    assert.equal(await client.object('ENCODING', 'fp:n'), 'int');
  });

  it('leave non-integers, overflow and values past 2^53 to the full handler', async () => {
    await client.set('fp:bad', '1.5');
    await client.set('fp:sp', ' 1');
    await client.set('fp:max', '9223372036854775807');
    await client.set('fp:big', '9007199254740991');
    const data = await pipeline(
      [resp('INCR', 'fp:bad'), resp('INCR', 'fp:sp'), resp('INCR', 'fp:max'), resp('INCR', 'fp:big'), resp('DECR', 'fp:big')],
      ':9007199254740991\r\n',
    );
    assert.equal(
      data,
      '-ERR value is not an integer or out of range\r\n' +
        '-ERR value is not an integer or out of range\r\n' +
        '-ERR increment or decrement would overflow\r\n' +
        ':9007199254740992\r\n' +
        ':9007199254740991\r\n',
    );
    assert.equal(await client.get('fp:max'), '9223372036854775807');
  });

  it('a value built in place by APPEND is counted by the full handler', async () => {
    await appended('fp:ap', '1', '0');
    const data = await pipeline([resp('INCR', 'fp:ap')], ':11\r\n');
    assert.equal(data, ':11\r\n');
  });
});
