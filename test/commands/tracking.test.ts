/**
 * Client-side caching (tracking.ts): CLIENT TRACKING in its modes, CLIENT
 * CACHING, GETREDIR, TRACKINGINFO, invalidation pushes and their order,
 * flush invalidations, REDIRECT (RESP3 pushes and RESP2 pub/sub messages),
 * tracking-table-max-keys, and node-redis's client-side cache working
 * against mini-kv. Scenarios are compared with a live Redis 7.0 (or its
 * recorded transcripts, test/fixtures/scenarios/tracking.json); what names
 * connection ids is asserted exactly here, as checked against Redis 7.0.15.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { BasicClientSideCache, createClient } from 'redis';
import { CLIENT_PUBSUB } from '../../src/commands/state.js';
import { redisServerBin, startRedisServer } from '../cli/oracle.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { RespClient, type Tree } from './resp-client.js';
import { scenarioSuite, type Step } from './scenario.js';

const HELLO3: Step = { quiet: ['HELLO', '3'] };
const hello3 = (c: number): Step => ({ c, quiet: ['HELLO', '3'] });
const inv = (...keys: string[]): Tree => ({ push: ['invalidate', { array: keys }] });

describe('client-side caching', () => {
  const suite = scenarioSuite('tracking');
  const oracle = suite.oracle;

  test('CLIENT TRACKING - a key read by a tracking client is invalidated once when another client writes it', async (t) => {
    const got = await oracle.check(t, 'default-mode', suite.srv.port, {
      clients: 2,
      steps: [
        HELLO3,
        { call: ['CLIENT', 'TRACKING', 'ON'] },
        { call: ['GET', 'k'] },
        { c: 1, call: ['SET', 'k', '1'] },
        { next: 1 },
        // Not read since: no second invalidation.
        { c: 1, call: ['SET', 'k', '2'] },
        { call: ['MGET', 'k', 'j'] },
        { c: 1, call: ['DEL', 'k', 'j'] },
        { next: 1 },
        { call: ['PING'] },
      ],
    });
    assert.deepEqual(got[3], [0, inv('k')]);
  });

  test('CLIENT TRACKING - the invalidation for a key the client wrote itself follows the reply; NOLOOP leaves it out', async (t) => {
    const got = await oracle.check(t, 'own-writes-noloop', suite.srv.port, {
      steps: [
        HELLO3,
        { call: ['CLIENT', 'TRACKING', 'ON'] },
        { call: ['GET', 'a'] },
        { call: ['SET', 'a', '1'] },
        { next: 1 },
        { call: ['MULTI'] },
        { call: ['GET', 'a'] },
        { call: ['SET', 'a', '2'] },
        { call: ['EXEC'] },
        { next: 1 },
        { call: ['CLIENT', 'TRACKING', 'ON', 'NOLOOP'] },
        { call: ['GET', 'a'] },
        { call: ['SET', 'a', '3'] },
        { call: ['PING'] },
      ],
    });
    assert.deepEqual(got[2], [0, { simple: 'OK' }]);
    assert.deepEqual(got[3], [0, inv('a')]);
    assert.deepEqual(got.at(-1), [0, { simple: 'PONG' }]);
  });

  test('CLIENT TRACKING - BCAST sends the keys changed under each prefix, NOLOOP without its own', async (t) => {
    const got = await oracle.check(t, 'bcast-prefixes', suite.srv.port, {
      clients: 2,
      steps: [
        HELLO3,
        { call: ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:', 'PREFIX', 'obj:'] },
        { call: ['CLIENT', 'TRACKINGINFO'] },
        { c: 1, call: ['SET', 'user:1', 'x'] },
        { next: 1 },
        { c: 1, call: ['MSET', 'user:3', 'z', 'obj:2', 'y', 'other', 'w', 'user:2', 'v'] },
        { next: 2 },
        { call: ['SET', 'obj:9', '1'] },
        { next: 1 },
        { call: ['CLIENT', 'TRACKING', 'OFF'] },
        { call: ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'NOLOOP'] },
        { call: ['SET', 'mine', '1'] },
        { c: 1, call: ['SET', 'theirs', '1'] },
        { next: 1 },
      ],
    });
    assert.deepEqual(got.at(-1), [0, inv('theirs')]);
  });

  test('CLIENT TRACKING - OPTIN tracks after CACHING YES only, OPTOUT all but after CACHING NO', async (t) => {
    const got = await oracle.check(t, 'optin-optout', suite.srv.port, {
      clients: 2,
      steps: [
        HELLO3,
        { call: ['CLIENT', 'TRACKING', 'ON', 'OPTIN'] },
        { call: ['GET', 'a'] },
        { call: ['CLIENT', 'CACHING', 'YES'] },
        { call: ['CLIENT', 'TRACKINGINFO'] },
        { call: ['GET', 'b'] },
        { call: ['GET', 'c'] },
        { c: 1, call: ['MSET', 'a', '1', 'b', '1', 'c', '1'] },
        { next: 1 },
        { call: ['CLIENT', 'CACHING', 'YES'] },
        { call: ['MULTI'] },
        { call: ['GET', 'p'] },
        { call: ['GET', 'q'] },
        { call: ['EXEC'] },
        { c: 1, call: ['MSET', 'p', '1', 'q', '1'] },
        { next: 2 },
        { call: ['CLIENT', 'TRACKING', 'OFF'] },
        { call: ['CLIENT', 'TRACKING', 'ON', 'OPTOUT'] },
        { call: ['CLIENT', 'CACHING', 'NO'] },
        { call: ['GET', 'x'] },
        { call: ['GET', 'y'] },
        { c: 1, call: ['MSET', 'x', '1', 'y', '1'] },
        { next: 1 },
        { call: ['PING'] },
      ],
    });
    assert.deepEqual(got[7], [0, inv('b')]);
  });

  test('CLIENT TRACKING - FLUSHDB and FLUSHALL invalidate every key of every tracking client with a null', async (t) => {
    const got = await oracle.check(t, 'flush', suite.srv.port, {
      clients: 3,
      steps: [
        HELLO3,
        hello3(2),
        { call: ['CLIENT', 'TRACKING', 'ON'] },
        { c: 2, call: ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'x'] },
        { call: ['GET', 'a'] },
        { c: 1, call: ['FLUSHDB'] },
        { next: 1 },
        { c: 2, next: 1 },
        { call: ['FLUSHALL'] },
        { next: 1 },
        { c: 2, next: 1 },
        // The table was emptied: no invalidation for a.
        { c: 1, call: ['SET', 'a', '1'] },
        { call: ['PING'] },
      ],
    });
    assert.deepEqual(got[4], [0, { push: ['invalidate', null] }]);
  });

  test('CLIENT TRACKING - keys are tracked by name across databases; RESP2 gets nothing without a redirect, and HELLO 3 keeps tracking', async (t) => {
    const got = await oracle.check(t, 'databases-resp2-hello', suite.srv.port, {
      clients: 2,
      steps: [
        { call: ['CLIENT', 'TRACKING', 'ON'] },
        { call: ['GET', 'a'] },
        { c: 1, call: ['SET', 'a', '1'] },
        { call: ['PING'] },
        { call: ['GET', 'a'] },
        HELLO3,
        { c: 1, call: ['SET', 'a', '2'] },
        { next: 1 },
        { call: ['SELECT', '1'] },
        { call: ['GET', 'b'] },
        { c: 1, call: ['SET', 'b', '1'] },
        { next: 1 },
        { call: ['CLIENT', 'TRACKINGINFO'] },
      ],
    });
    assert.deepEqual(got[3], [0, { simple: 'PONG' }]);
    assert.deepEqual(got[10], [0, inv('b')]);
  });

  test('CLIENT TRACKINGINFO - RESP2 and RESP3 shapes, every flag', async (t) => {
    await oracle.check(t, 'trackinginfo', suite.srv.port, {
      steps: [
        { call: ['CLIENT', 'TRACKINGINFO'] },
        { call: ['CLIENT', 'GETREDIR'] },
        { call: ['CLIENT', 'TRACKING', 'ON', 'OPTOUT', 'NOLOOP'] },
        { call: ['CLIENT', 'CACHING', 'NO'] },
        { call: ['CLIENT', 'TRACKINGINFO'] },
        { call: ['CLIENT', 'GETREDIR'] },
        { call: ['CLIENT', 'TRACKING', 'OFF'] },
        { call: ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'b', 'PREFIX', 'a'] },
        { call: ['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'c'] },
        { call: ['CLIENT', 'TRACKINGINFO'] },
        HELLO3,
        { call: ['CLIENT', 'TRACKINGINFO'] },
        { call: ['CLIENT', 'TRACKING', 'OFF'] },
        { call: ['CLIENT', 'TRACKINGINFO'] },
      ],
    });
  });

  const ERRORS: [string[], string][] = [
    [['CLIENT', 'TRACKING', 'MAYBE'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'ON', 'FOO'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'ON', 'REDIRECT'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'ON', 'PREFIX'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'OFF', 'FOO'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'ON', 'REDIRECT', 'x'], 'ERR value is not an integer or out of range'],
    [['CLIENT', 'TRACKING', 'ON', 'REDIRECT', '987654'], 'ERR The client ID you want redirect to does not exist'],
    [['CLIENT', 'TRACKING', 'ON', 'PREFIX', 'a'], 'ERR PREFIX option requires BCAST mode to be enabled'],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTIN'], 'ERR OPTIN and OPTOUT are not compatible with BCAST'],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'OPTOUT'], 'ERR OPTIN and OPTOUT are not compatible with BCAST'],
    [['CLIENT', 'TRACKING', 'ON', 'OPTIN', 'OPTOUT'], "ERR You can't specify both OPTIN mode and OPTOUT mode"],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a'], "ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single client must not overlap."],
    [['CLIENT', 'CACHING', 'YES'], 'ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled'],
    [['CLIENT', 'TRACKING', 'ON', 'OPTIN'], 'OK'],
    [['CLIENT', 'CACHING', 'NO'], 'ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.'],
    [['CLIENT', 'CACHING', 'MAYBE'], 'ERR syntax error'],
    [['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST'], "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."],
    [['CLIENT', 'TRACKING', 'OFF'], 'OK'],
    [['CLIENT', 'TRACKING', 'ON', 'OPTOUT'], 'OK'],
    [['CLIENT', 'CACHING', 'YES'], 'ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.'],
    [['CLIENT', 'TRACKING', 'OFF'], 'OK'],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:'], 'OK'],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'user:1'], "ERR Prefix 'user:1' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap."],
    [['CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'us'], "ERR Prefix 'us' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap."],
    [['CLIENT', 'TRACKING', 'ON'], "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."],
    [['CLIENT', 'TRACKING'], "ERR wrong number of arguments for 'client|tracking' command"],
    [['CLIENT', 'CACHING'], "ERR wrong number of arguments for 'client|caching' command"],
    [['CLIENT', 'GETREDIR', 'x'], "ERR wrong number of arguments for 'client|getredir' command"],
    [['CLIENT', 'TRACKINGINFO', 'x'], "ERR wrong number of arguments for 'client|trackinginfo' command"],
  ];

  test('CLIENT TRACKING and CACHING - every error, exact', async (t) => {
    const c = await RespClient.connect(suite.srv.port);
    try {
      for (const [cmd, expected] of ERRORS) {
        const reply = await c.call(...cmd);
        assert.deepEqual(reply, expected === 'OK' ? { simple: 'OK' } : { error: expected }, cmd.join(' '));
      }
    } finally {
      c.close();
    }
    await oracle.check(t, 'errors', suite.srv.port, { steps: ERRORS.map(([cmd]) => ({ call: cmd })) });
  });

  test('CLIENT TRACKING REDIRECT - RESP3 target gets pushes, a RESP2 target in pub/sub mode gets __redis__:invalidate messages, others nothing', async () => {
    const tracker = await RespClient.connect(suite.srv.port);
    const push3 = await RespClient.connect(suite.srv.port);
    const sub2 = await RespClient.connect(suite.srv.port);
    const plain2 = await RespClient.connect(suite.srv.port);
    const writer = await RespClient.connect(suite.srv.port);
    try {
      await push3.call('HELLO', '3');
      const id3 = (await push3.call('CLIENT', 'ID')) as number;
      const idSub = (await sub2.call('CLIENT', 'ID')) as number;
      const idPlain = (await plain2.call('CLIENT', 'ID')) as number;
      // What SUBSCRIBE sets (pub/sub is a separate module): sendTrackingMessage tests only this state.
      suite.srv.server.clients.get(idSub)!.flags |= CLIENT_PUBSUB;

      assert.deepEqual(await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id3)), { simple: 'OK' });
      assert.equal(await tracker.call('CLIENT', 'GETREDIR'), id3);
      assert.equal(await tracker.call('GET', 'r1'), null);
      await writer.call('SET', 'r1', 'x');
      assert.deepEqual(await push3.next(), inv('r1'));

      assert.deepEqual(await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(idSub)), { simple: 'OK' });
      await tracker.call('GET', 'r2');
      await writer.call('SET', 'r2', 'x');
      assert.deepEqual(await sub2.next(), { array: ['message', '__redis__:invalidate', { array: ['r2'] }] });
      await tracker.call('GET', 'r2');
      await writer.call('FLUSHALL');
      assert.deepEqual(await sub2.next(), { array: ['message', '__redis__:invalidate', null] });

      assert.deepEqual(await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(idPlain)), { simple: 'OK' });
      await tracker.call('GET', 'r3');
      await writer.call('SET', 'r3', 'x');
      // RESP2 without pub/sub has no way to receive it: the next item is PING's reply.
      assert.deepEqual(await plain2.call('PING'), { simple: 'PONG' });
      assert.deepEqual(await tracker.call('PING'), { simple: 'PONG' });

      assert.deepEqual(await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id3), 'REDIRECT', String(idSub)), { error: 'ERR A client can only redirect to a single other client' });
    } finally {
      for (const c of [tracker, push3, sub2, plain2, writer]) c.close();
    }
  });

  test('CLIENT TRACKING REDIRECT - a redirect client that has gone makes the redirect broken, told to a RESP3 client', async () => {
    const tracker = await RespClient.connect(suite.srv.port);
    const target = await RespClient.connect(suite.srv.port);
    const writer = await RespClient.connect(suite.srv.port);
    try {
      await tracker.call('HELLO', '3');
      const id = (await target.call('CLIENT', 'ID')) as number;
      await tracker.call('CLIENT', 'TRACKING', 'ON', 'REDIRECT', String(id));
      await tracker.call('GET', 'gone');
      target.close();
      while (suite.srv.server.clients.has(id)) await new Promise((r) => setTimeout(r, 5));
      await writer.call('SET', 'gone', '1');
      assert.deepEqual(await tracker.next(), { push: ['tracking-redir-broken', id] });
      assert.deepEqual(await tracker.call('CLIENT', 'TRACKINGINFO'), {
        map: ['flags', { set: ['on', 'broken_redirect'] }, 'redirect', id, 'prefixes', { array: [] }],
      });
    } finally {
      tracker.close();
      writer.close();
    }
  });

  test('tracking-table-max-keys - past the limit, keys are invalidated (oldest first) before the next command runs', async () => {
    const run = async (port: number): Promise<Tree[]> => {
      const c = await RespClient.connect(port);
      try {
        await c.call('HELLO', '3');
        const out: Tree[] = [];
        out.push(await c.call('CONFIG', 'SET', 'tracking-table-max-keys', '1'));
        out.push(await c.call('CLIENT', 'TRACKING', 'ON'));
        out.push(await c.call('GET', 'm1'));
        out.push(await c.call('GET', 'm2'));
        c.send('PING');
        out.push(await c.next(), await c.next());
        out.push(await c.call('CONFIG', 'GET', 'tracking-table-max-keys'));
        out.push(await c.call('CONFIG', 'SET', 'tracking-table-max-keys', '1000000'));
        return out;
      } finally {
        c.close();
      }
    };
    const mine = await run(suite.srv.port);
    assert.deepEqual(mine, [{ simple: 'OK' }, { simple: 'OK' }, null, null, inv('m1'), { simple: 'PONG' }, { map: ['tracking-table-max-keys', '1'] }, { simple: 'OK' }]);
    if (redisServerBin() !== null) {
      // Redis picks the key by a random walk: the shape must match, the key is one of the two.
      const redis = await startRedisServer();
      try {
        const theirs = await run(redis.port);
        const key = ((theirs[4] as { push: Tree[] }).push[1] as { array: Tree[] }).array[0];
        assert.ok(key === 'm1' || key === 'm2');
        assert.deepEqual(theirs, [...mine.slice(0, 4), inv(key as string), ...mine.slice(5)]);
      } finally {
        await redis.close();
      }
    }
  });

  test('CLIENT TRACKING - the signal hooks are installed only while some client tracks; a client closing leaves the table', async () => {
    const { signals, tracking } = suite.srv.server;
    // Earlier tests' clients may still be closing on the server's side.
    while (tracking.trackingClients > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(tracking.active, false);
    assert.equal(signals.listening, false);
    const a = await RespClient.connect(suite.srv.port);
    const b = await RespClient.connect(suite.srv.port);
    await a.call('CLIENT', 'TRACKING', 'ON', 'BCAST', 'PREFIX', 'p');
    await b.call('CLIENT', 'TRACKING', 'ON');
    assert.equal(tracking.trackingClients, 2);
    assert.equal(tracking.totalPrefixes, 1);
    assert.equal(signals.listening, true);
    await b.call('GET', 'info:k');
    const info = String(await b.call('INFO'));
    // Keys read in earlier tests may still be remembered (as in Redis, until they change).
    assert.ok(tracking.totalKeys >= 1 && tracking.totalItems >= 1);
    for (const line of ['tracking_clients:2', `tracking_total_keys:${tracking.totalKeys}`, `tracking_total_items:${tracking.totalItems}`, 'tracking_total_prefixes:1']) {
      assert.ok(info.includes(`${line}\r\n`), line);
    }
    await b.call('CLIENT', 'TRACKING', 'OFF');
    assert.equal(tracking.trackingClients, 1);
    a.close();
    while (tracking.trackingClients > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(tracking.totalPrefixes, 0);
    assert.equal(tracking.active, false);
    assert.equal(signals.listening, false);
    b.close();
  });

  test('node-redis client-side cache - a GET is served from the cache until another client writes the key', async () => {
    const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
    const cached = createClient({ url: `redis://127.0.0.1:${suite.srv.port}`, RESP: 3, clientSideCache: cache });
    const other = createClient({ url: `redis://127.0.0.1:${suite.srv.port}` });
    await cached.connect();
    await other.connect();
    try {
      await other.set('csc:key', 'v1');
      const getCalls = (): number => suite.srv.server.stats.commands.get('get')?.calls ?? 0;
      assert.equal(await cached.get('csc:key'), 'v1');
      const callsAfterFirst = getCalls();
      assert.equal(await cached.get('csc:key'), 'v1');
      assert.equal(getCalls(), callsAfterFirst, 'the second GET never reached the server');
      assert.equal(cache.stats().hitCount, 1);
      const invalidated = once(cache, 'invalidate');
      await other.set('csc:key', 'v2');
      assert.deepEqual((await invalidated).map(String), ['csc:key']);
      assert.equal(await cached.get('csc:key'), 'v2');
      assert.equal(getCalls(), callsAfterFirst + 1);
    } finally {
      await cached.quit();
      await other.quit();
    }
  });
});
