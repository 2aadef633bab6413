import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { ConfigError, ListenError, ReplyError, startServer, type EmbeddedServer } from '../../src/index.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Resource kinds that would keep a process alive after close(). */
function liveHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap' || r === 'TCPSocketWrap' || r === 'Timeout' || r === 'Immediate');
}

describe('startServer', () => {
  test('startServer - exposes port, host and url, and answers a real client', async () => {
    const srv = await startServer();
    try {
      assert.ok(srv.port > 0);
      assert.equal(srv.host, '127.0.0.1');
      assert.equal(srv.url, `redis://127.0.0.1:${srv.port}`);
      const redis = new Redis(srv.url, { lazyConnect: true });
      await redis.connect();
      assert.equal(await redis.ping(), 'PONG');
      await redis.quit();
    } finally {
      await srv.close();
    }
  });

  test('close - is idempotent and leaves no handle that keeps the process alive', async () => {
    const before = liveHandles().length;
    const srv = await startServer();
    const redis = new Redis(srv.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    await redis.connect();
    await redis.set('k', 'v');
    const closedByServer = new Promise<void>((res) => redis.once('end', () => res()));
    const p1 = srv.close();
    const p2 = srv.close();
    assert.equal(p1, p2);
    await p1;
    await closedByServer;
    await srv.close();
    // Let the closed sockets' handles go away.
    await new Promise((r) => setTimeout(r, 20));
    assert.ok(liveHandles().length <= before, `handles left: ${liveHandles().join(',')}`);
  });

  test('startServer - rejects an unknown option with ConfigError', async () => {
    await assert.rejects(startServer({ 'no-such-option': 1 }), (e: unknown) => e instanceof ConfigError && e.code === 'ERR_MINIKV_CONFIG' && /no-such-option/.test(e.message));
    await assert.rejects(startServer({ hz: 'fast' }), (e: unknown) => e instanceof ConfigError);
  });

  test('startServer - rejects a port in use with ListenError', async () => {
    const a = await startServer();
    try {
      await assert.rejects(startServer({ port: a.port }), (e: unknown) => e instanceof ListenError && e.code === 'ERR_MINIKV_LISTEN' && /Address already in use/.test(e.message));
    } finally {
      await a.close();
    }
  });

  test('startServer - takes redis.conf options in kebab-case and camelCase', async () => {
    const srv = await startServer({ databases: 4, 'inline-replies': 'resp', protoMaxBulkLen: '2mb' });
    try {
      assert.equal(srv.server.dbs.length, 4);
      assert.equal(srv.server.config.get('inline-replies'), 'resp');
      assert.equal(srv.server.config.get('proto-max-bulk-len'), String(2 * 1024 * 1024));
    } finally {
      await srv.close();
    }
  });
});

describe('in-process access', () => {
  let srv: EmbeddedServer;
  let redis: Redis;
  before(async () => {
    srv = await startServer();
    redis = new Redis(srv.url);
  });
  after(async () => {
    redis.disconnect();
    await srv.close();
  });

  test('set and get - what the server stores is what a client reads, both ways', async () => {
    srv.flushAll();
    srv.set('greeting', 'héllo wörld');
    assert.equal(await redis.get('greeting'), 'héllo wörld');
    await redis.set('from-client', Buffer.from([0, 255, 13, 10]));
    assert.deepEqual(srv.getBuffer('from-client'), Buffer.from([0, 255, 13, 10]));
    assert.equal(srv.get('missing'), null);
    srv.set(Buffer.from([1, 2, 3]), 'bytes-key');
    assert.equal(await redis.get(Buffer.from([1, 2, 3]) as unknown as string), 'bytes-key');
  });

  test('keys, exists, del and dbSize - see the same keyspace as clients', async () => {
    srv.flushAll();
    await redis.set('user:1', 'a');
    await redis.set('user:2', 'b');
    srv.set('other', 'c');
    assert.deepEqual(srv.keys('user:*').sort(), ['user:1', 'user:2']);
    assert.equal(srv.dbSize(), 3);
    assert.equal(srv.exists('other'), true);
    assert.equal(srv.del('other', 'nope'), 1);
    assert.equal(srv.exists('other'), false);
    srv.flushAll();
    assert.equal(srv.dbSize(), 0);
    assert.equal(await redis.exists('user:1'), 0);
  });

  test('call - runs any command through the call path; errors throw ReplyError', async () => {
    srv.flushAll();
    assert.equal(srv.call(['SET', 'n', 41]), 'OK');
    assert.equal(srv.call(['INCR', 'n']), 42);
    assert.deepEqual(srv.call(['MGET', 'n', 'missing']), [Buffer.from('42'), null]);
    assert.throws(() => srv.call(['LPUSH_NOPE']), (e: unknown) => e instanceof ReplyError && e.code === 'ERR' && /unknown command 'LPUSH_NOPE'/.test(e.message));
    assert.throws(() => srv.call(['INCR']), (e: unknown) => e instanceof ReplyError && e.message === "ERR wrong number of arguments for 'incr' command");
    assert.throws(() => srv.call(['PING'], 99), /no database 99/);
    const stats = srv.call(['INFO', 'commandstats']) as Buffer;
    assert.match(stats.toString(), /cmdstat_incr:calls=1,.*rejected_calls=1,/);
  });

  test('helpers take the call path: a helper write aborts a client transaction watching the key', async () => {
    srv.flushAll();
    await redis.set('w', '1');
    await redis.watch('w');
    srv.set('w', '2');
    assert.equal(await redis.multi().get('w').exec(), null);
    await redis.watch('w');
    srv.expire('w', 60_000);
    assert.equal(await redis.multi().get('w').exec(), null);
    await redis.watch('w');
    srv.del('w');
    assert.equal(await redis.multi().get('w').exec(), null);
  });

  test('set with db - writes the selected database only', async () => {
    srv.flushAll();
    srv.set('k', 'in-db-3', { db: 3 });
    assert.equal(srv.get('k'), null);
    assert.equal(srv.get('k', 3), 'in-db-3');
  });
});

describe('clock control', () => {
  let srv: EmbeddedServer;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv.close());

  test('advance - a TTL set by a client runs out without sleeping (ioredis)', async () => {
    const redis = new Redis(srv.url);
    try {
      srv.clock.freeze();
      await redis.set('session', 'x', 'PX', 1000);
      await srv.clock.advance(400);
      assert.equal(await redis.pttl('session'), 600);
      assert.equal(srv.pttl('session'), 600);
      assert.equal(srv.ttl('session'), 1);
      await srv.clock.advance(599);
      assert.equal(await redis.get('session'), 'x');
      await srv.clock.advance(1);
      assert.equal(await redis.get('session'), null);
      assert.equal(srv.pttl('session'), -2);
    } finally {
      redis.disconnect();
      srv.clock.unfreeze();
    }
  });

  test('advance - resolves after active expiry removed the keys, with no access', async () => {
    srv.flushAll();
    srv.clock.freeze();
    for (let i = 0; i < 5000; i++) srv.set(`k${i}`, 'v', { px: 100 + (i % 50) });
    srv.set('stays', 'v');
    assert.equal(srv.dbSize(), 5001);
    await srv.clock.advance(149);
    // Only keys that nobody touched: dbSize counts without looking keys up.
    assert.equal(srv.dbSize(), 1);
    srv.clock.unfreeze();
  });

  test('set - clients see the new time in TTL, EXPIREAT and TIME (node-redis)', async () => {
    const client = createClient({ url: srv.url });
    await client.connect();
    try {
      srv.flushAll();
      const t0 = Date.UTC(2030, 0, 1);
      // Freeze first: set() then freeze() on a running clock lets a
      // millisecond pass in between, and TIME would show it.
      srv.clock.freeze();
      await srv.clock.set(new Date(t0));
      await client.set('deadline', 'x');
      await client.expireAt('deadline', t0 / 1000 + 60);
      assert.equal(await client.ttl('deadline'), 60);
      const time = (await client.sendCommand(['TIME'])) as string[];
      assert.deepEqual(time, [String(t0 / 1000), '0']);
      await srv.clock.set(t0 + 61_000);
      assert.equal(await client.exists('deadline'), 0);
    } finally {
      await client.quit();
      srv.clock.unfreeze();
    }
  });

  test('freeze and unfreeze - time stands still, then runs on from where it stood', async () => {
    srv.clock.freeze();
    const t = srv.clock.now();
    await new Promise((r) => setTimeout(r, 15));
    assert.equal(srv.clock.now(), t);
    assert.equal(srv.clock.frozen, true);
    srv.clock.unfreeze();
    assert.equal(srv.clock.frozen, false);
    assert.ok(srv.clock.now() >= t && srv.clock.now() < t + 1000);
  });

  test('frozenClock option - starts with time stopped at the given date', async () => {
    const s = await startServer({ frozenClock: new Date(Date.UTC(2001, 8, 9)) });
    try {
      assert.equal(s.clock.frozen, true);
      assert.equal(s.clock.now(), Date.UTC(2001, 8, 9));
    } finally {
      await s.close();
    }
  });
});

describe('many servers', () => {
  test('many servers - keyspace, clock, config and clients are independent', async () => {
    const servers = await Promise.all(Array.from({ length: 12 }, (_, i) => startServer({ databases: 2 + i })));
    const clients = servers.map((s) => new Redis(s.url));
    try {
      assert.equal(new Set(servers.map((s) => s.port)).size, 12);
      await Promise.all(clients.map((c, i) => c.set('who', `server-${i}`)));
      servers[3]!.clock.freeze();
      await servers[3]!.clock.advance(3_600_000);
      for (let i = 0; i < servers.length; i++) {
        assert.equal(await clients[i]!.get('who'), `server-${i}`);
        assert.equal(servers[i]!.server.dbs.length, 2 + i);
        assert.equal(servers[i]!.server.clients.size, 1);
      }
      assert.ok(Math.abs(servers[4]!.clock.now() - Date.now()) < 60_000);
      assert.ok(servers[3]!.clock.now() - Date.now() > 3_000_000);
      await servers[0]!.close();
      assert.equal(await clients[1]!.get('who'), 'server-1');
    } finally {
      for (const c of clients) c.disconnect();
      await Promise.all(servers.map((s) => s.close()));
    }
  });
});

describe('packaging', () => {
  test('require - the package loads from CommonJS and starts a server', () => {
    const script = `const m = require(${JSON.stringify(ROOT)}); m.startServer().then(async (s) => { console.log(typeof m.startServer, s.port > 0); await s.close(); });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'function true');
  });

  test('import - importing the package starts nothing', () => {
    const script = `await import(${JSON.stringify(resolve(ROOT, 'dist/src/index.js'))}); await new Promise((r) => setImmediate(r)); console.log(JSON.stringify(process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'PipeWrap')));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout.trim()), []);
  });
});
