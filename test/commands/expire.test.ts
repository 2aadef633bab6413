/**
 * The expiry commands of the `generic` group (EXPIRE, PEXPIRE, EXPIREAT,
 * PEXPIREAT with NX/XX/GT/LT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST)
 * and active expiry. TTL tests freeze and advance the server's clock instead
 * of sleeping; only the background-cycle test lets real time run, and it
 * counts rather than times. Expected replies were taken from Redis 7.0.15.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';

let srv: TestServer;
let r: Redis;
let nr: ReturnType<typeof createClient>;

before(async () => {
  srv = await startTestServer();
  r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
  await r.connect();
  nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
  await nr.connect();
});

after(async () => {
  r.disconnect();
  await nr.quit().catch(() => {});
  await srv.close();
});

/** Every test starts with empty databases and a frozen clock at a round time. */
const T0 = 1_700_000_000_000;
beforeEach(() => {
  for (const db of srv.server.dbs) db.clear();
  srv.server.clock.freeze();
  srv.server.clock.set(T0);
});

const advance = (ms: number): void => srv.server.clock.advance(ms);

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error reply');
}

describe('EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT', () => {
  test('EXPIRE - the key is gone once its time has come, not a millisecond before', async () => {
    await r.set('k', 'v');
    assert.equal(await r.expire('k', 2), 1);
    assert.equal(await r.ttl('k'), 2);
    assert.equal(await r.pttl('k'), 2000);
    advance(1999);
    assert.equal(await r.get('k'), 'v');
    assert.equal(await r.pttl('k'), 1);
    advance(1);
    assert.equal(await r.get('k'), null);
    assert.equal(await r.exists('k'), 0);
    assert.equal(await r.ttl('k'), -2);
  });

  test('PEXPIRE - millisecond precision', async () => {
    await r.set('k', 'v');
    assert.equal(await r.pexpire('k', 1), 1);
    assert.equal(await r.pttl('k'), 1);
    advance(1);
    assert.equal(await r.exists('k'), 0);
  });

  test('EXPIREAT, PEXPIREAT - absolute times, read back by EXPIRETIME and PEXPIRETIME', async () => {
    await r.set('k', 'v');
    assert.equal(await r.expireat('k', T0 / 1000 + 100), 1);
    assert.equal(await r.call('EXPIRETIME', 'k'), T0 / 1000 + 100);
    assert.equal(await r.call('PEXPIRETIME', 'k'), T0 + 100_000);
    assert.equal(await r.pexpireat('k', T0 + 1234), 1);
    assert.equal(await r.pttl('k'), 1234);
    assert.equal(await r.call('PEXPIRETIME', 'k'), T0 + 1234);
    // EXPIRETIME rounds like TTL: 1234 ms past a second boundary ends at .234 s.
    assert.equal(await r.call('EXPIRETIME', 'k'), T0 / 1000 + 1);
  });

  test('TTL - rounds to the nearest second', async () => {
    await r.set('k', 'v');
    await r.pexpire('k', 1499);
    assert.equal(await r.ttl('k'), 1);
    await r.pexpire('k', 1500);
    assert.equal(await r.ttl('k'), 2);
    await r.pexpire('k', 499);
    assert.equal(await r.ttl('k'), 0);
  });

  test('TTL, PTTL, EXPIRETIME, PEXPIRETIME - -2 without the key, -1 without a TTL', async () => {
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) assert.equal(await r.call(cmd, 'nokey'), -2, cmd);
    await r.set('k', 'v');
    for (const cmd of ['TTL', 'PTTL', 'EXPIRETIME', 'PEXPIRETIME']) assert.equal(await r.call(cmd, 'k'), -1, cmd);
    const wire = await rawExchange(srv.port, resp('PTTL', 'nokey'), { expect: '\r\n' });
    assert.equal(wire.data, ':-2\r\n');
  });

  test('EXPIRE - a time at or before now deletes the key and answers 1', async () => {
    for (const args of [['EXPIRE', '0'], ['EXPIRE', '-10'], ['PEXPIRE', '0'], ['EXPIREAT', '1'], ['PEXPIREAT', String(T0)], ['EXPIREAT', '-5']]) {
      await r.set('k', 'v');
      assert.equal(await r.call(args[0]!, 'k', args[1]!), 1, args.join(' '));
      assert.equal(await r.exists('k'), 0, args.join(' '));
    }
    assert.equal(await r.call('PEXPIREAT', 'nokey', '1'), 0);
  });

  test('EXPIRE - on a missing or expired key answers 0', async () => {
    assert.equal(await r.expire('nokey', 100), 0);
    await r.set('k', 'v');
    await r.pexpire('k', 10);
    advance(10);
    assert.equal(await r.expire('k', 100), 0);
  });

  test('EXPIRE - NX, XX, GT, LT', async () => {
    await r.set('k', 'v');
    // No TTL: XX and GT fail (no TTL is an infinite one), NX and LT succeed.
    assert.equal(await r.call('EXPIRE', 'k', '100', 'XX'), 0);
    assert.equal(await r.call('EXPIRE', 'k', '100', 'GT'), 0);
    assert.equal(await r.ttl('k'), -1);
    assert.equal(await r.call('EXPIRE', 'k', '100', 'LT'), 1);
    assert.equal(await r.call('PERSIST', 'k'), 1);
    assert.equal(await r.call('EXPIRE', 'k', '100', 'nx'), 1);
    // With a TTL of 100 s.
    assert.equal(await r.call('EXPIRE', 'k', '200', 'NX'), 0);
    assert.equal(await r.call('EXPIRE', 'k', '100', 'GT'), 0);
    assert.equal(await r.call('EXPIRE', 'k', '100', 'LT'), 0);
    assert.equal(await r.call('EXPIRE', 'k', '300', 'gt'), 1);
    assert.equal(await r.ttl('k'), 300);
    assert.equal(await r.call('EXPIRE', 'k', '400', 'LT'), 0);
    assert.equal(await r.call('EXPIRE', 'k', '50', 'XX', 'LT'), 1);
    assert.equal(await r.ttl('k'), 50);
    assert.equal(await nr.expire('k', 60, 'GT'), 1);
    assert.equal(await nr.pExpire('k', 70_000, 'XX'), 1);
    assert.equal(await r.pttl('k'), 70_000);
    // A flag that fails leaves even a past time alone.
    assert.equal(await r.call('EXPIRE', 'k', '-1', 'GT'), 0);
    assert.equal(await r.exists('k'), 1);
    assert.equal(await r.call('EXPIRE', 'k', '-1', 'LT'), 1);
    assert.equal(await r.exists('k'), 0);
  });

  test('EXPIRE - option and time errors, options checked first', async () => {
    await r.set('k', 'v');
    const cases: [string[], string][] = [
      [['EXPIRE', 'k', 'abc'], 'ERR value is not an integer or out of range'],
      [['EXPIRE', 'k', '1.5'], 'ERR value is not an integer or out of range'],
      [['EXPIRE', 'k', ' 1'], 'ERR value is not an integer or out of range'],
      [['EXPIRE', 'k', '10', 'foo'], 'ERR Unsupported option foo'],
      [['EXPIRE', 'k', 'abc', 'foo'], 'ERR Unsupported option foo'],
      [['EXPIRE', 'k', '10', 'NX', 'XX'], 'ERR NX and XX, GT or LT options at the same time are not compatible'],
      [['EXPIRE', 'k', '10', 'nx', 'gt'], 'ERR NX and XX, GT or LT options at the same time are not compatible'],
      [['PEXPIRE', 'k', '10', 'LT', 'NX'], 'ERR NX and XX, GT or LT options at the same time are not compatible'],
      [['EXPIREAT', 'k', '10', 'GT', 'LT'], 'ERR GT and LT options at the same time are not compatible'],
      [['EXPIRE', 'k', 'abc', 'GT', 'LT'], 'ERR GT and LT options at the same time are not compatible'],
      [['EXPIRE', 'k', '9223372036854775807'], "ERR invalid expire time in 'expire' command"],
      [['EXPIRE', 'k', '9223372036854775'], "ERR invalid expire time in 'expire' command"],
      [['EXPIRE', 'k', '-9223372036854776'], "ERR invalid expire time in 'expire' command"],
      [['PEXPIRE', 'k', '9223372036854775807'], "ERR invalid expire time in 'pexpire' command"],
      [['EXPIREAT', 'k', '9223372036854775807'], "ERR invalid expire time in 'expireat' command"],
      [['PEXPIRE', 'k', '9223372036854775808'], 'ERR value is not an integer or out of range'],
      [['EXPIRE', 'k'], "ERR wrong number of arguments for 'expire' command"],
      [['PEXPIREAT', 'k'], "ERR wrong number of arguments for 'pexpireat' command"],
      [['TTL'], "ERR wrong number of arguments for 'ttl' command"],
      [['PERSIST', 'k', 'x'], "ERR wrong number of arguments for 'persist' command"],
      [['EXPIRETIME', 'k', 'x'], "ERR wrong number of arguments for 'expiretime' command"],
    ];
    for (const [args, msg] of cases) assert.equal(await errorOf(r.call(args[0]!, ...args.slice(1))), msg, args.join(' '));
    // Overflow is found before the key is looked up, and does not touch the key.
    assert.equal(await errorOf(r.call('EXPIRE', 'nokey', '9223372036854775807')), "ERR invalid expire time in 'expire' command");
    assert.equal(await r.ttl('k'), -1);
    // The largest times that do not overflow are accepted.
    assert.equal(await r.call('PEXPIREAT', 'k', '9223372036854775807'), 1);
    assert.equal(await r.call('EXPIREAT', 'k', '9223372036854775'), 1);
    assert.equal(await r.call('EXPIRE', 'k', '-9223372036854775'), 1);
    assert.equal(await r.exists('k'), 0);
  });

  test('EXPIRE - replies on the wire', async () => {
    const wire = await rawExchange(srv.port, [resp('SET', 'k', 'v'), resp('EXPIRE', 'k', '10'), resp('EXPIRE', 'k', '1', 'bar\r\nbaz')], { expect: 'baz\r\n' });
    assert.equal(wire.data, "+OK\r\n:1\r\n-ERR Unsupported option bar  baz\r\n");
  });
});

describe('PERSIST', () => {
  test('PERSIST - removes a TTL: 1, else 0', async () => {
    await r.set('k', 'v');
    assert.equal(await r.persist('k'), 0);
    await r.expire('k', 10);
    assert.equal(await r.persist('k'), 1);
    assert.equal(await r.ttl('k'), -1);
    advance(20_000);
    assert.equal(await r.get('k'), 'v');
    assert.equal(await r.persist('nokey'), 0);
  });

  test('PERSIST - an expired key is not revived', async () => {
    await r.set('k', 'v');
    await r.pexpire('k', 5);
    advance(5);
    assert.equal(await r.persist('k'), 0);
    assert.equal(await r.get('k'), null);
  });

  test('SET without KEEPTTL clears the TTL', async () => {
    await r.set('k', 'v');
    await r.expire('k', 10);
    await r.set('k', 'w');
    assert.equal(await r.ttl('k'), -1);
  });
});

describe('active expiry', () => {
  test('Active expiry - reclaims keys nobody touches (frozen clock, cycle run by hand)', async () => {
    const db = srv.server.dbs[0]!;
    const p = r.pipeline();
    for (let i = 0; i < 5000; i++) p.set(`k:${i}`, 'v').pexpire(`k:${i}`, 100);
    for (let i = 0; i < 100; i++) p.set(`keep:${i}`, 'v').pexpire(`keep:${i}`, 10_000);
    await p.exec();
    assert.equal(db.size(), 5100);
    assert.equal(db.expiresCount(), 5100);
    const expiredBefore = srv.server.stats.expiredKeys;
    advance(100);
    let runs = 0;
    while (db.size() > 100 && runs < 10_000) {
      srv.server.activeExpire.run();
      runs++;
    }
    assert.equal(db.size(), 100);
    assert.equal(db.expiresCount(), 100);
    assert.equal(srv.server.stats.expiredKeys - expiredBefore, 5000);
    assert.equal(await r.exists('keep:0'), 1);
  });

  test('Active expiry - every database gets its turn', async () => {
    for (const i of [0, 7, 15]) srv.server.dbs[i]!.set('k', 'v', T0 + 10);
    advance(10);
    for (let runs = 0; runs < 100; runs++) srv.server.activeExpire.run();
    for (const i of [0, 7, 15]) assert.equal(srv.server.dbs[i]!.size(), 0, `db ${i}`);
  });

  test('Active expiry - 100,000 keys with PX 100 are reclaimed in the background while another client is answered', async () => {
    const db = srv.server.dbs[0]!;
    const N = 100_000;
    const BATCH = 10_000;
    for (let b = 0; b < N; b += BATCH) {
      const p = r.pipeline();
      for (let i = b; i < b + BATCH; i++) p.set(`bulk:${i}`, 'v').pexpire(`bulk:${i}`, 100);
      await p.exec();
    }
    assert.equal(db.size(), N);
    // Let time run: the keys expire 100 ms from now and nobody reads them.
    srv.server.clock.unfreeze();
    const pinger = new Redis({ port: srv.port, host: '127.0.0.1', maxRetriesPerRequest: 0 });
    let pongs = 0;
    let stop = false;
    const pinging = (async () => {
      while (!stop) {
        assert.equal(await pinger.ping(), 'PONG');
        pongs++;
      }
    })();
    // Poll a bounded number of times (a generous 5 s in all); no latency is asserted.
    let tries = 0;
    while (db.size() > 0 && tries < 100) {
      await new Promise((res) => setTimeout(res, 50));
      tries++;
    }
    stop = true;
    await pinging;
    pinger.disconnect();
    assert.equal(db.size(), 0);
    assert.ok(pongs > 0, 'the other client was answered meanwhile');
  });
});
