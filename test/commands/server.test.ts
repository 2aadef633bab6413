/**
 * The server group: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, INFO and
 * CONFIG, through ioredis, node-redis (RESP2 and RESP3), raw sockets and
 * redis-cli. Expected replies and errors were checked against Redis 7.0.15.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, afterEach, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { NO_REDIS_CLI, rawExchange, redisCli, resp, startTestServer, type TestServer } from '../helpers.js';
import { RespClient } from './resp-client.js';

const run = promisify(execFile);

/** INFO text as sections: title -> field -> value. */
function parseInfo(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string>>();
  let current: Map<string, string> | null = null;
  for (const line of text.split('\r\n')) {
    if (line.startsWith('# ')) {
      current = new Map();
      sections.set(line.slice(2), current);
    } else if (line !== '') {
      const colon = line.indexOf(':');
      assert.ok(current !== null && colon > 0, `stray INFO line ${JSON.stringify(line)}`);
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return sections;
}

describe('server commands', () => {
  let srv: TestServer;
  let redis: Redis;
  let c: RespClient;

  before(async () => {
    srv = await startTestServer();
    redis = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await redis.connect();
    c = await RespClient.connect(srv.port);
  });

  afterEach(async () => {
    srv.server.clock.unfreeze();
    await redis.flushall();
  });

  after(async () => {
    redis.disconnect();
    c.close();
    await srv.close();
  });

  describe('DBSIZE, FLUSHDB, FLUSHALL', () => {
    test('DBSIZE - counts the keys of the selected database only', async () => {
      assert.equal(await redis.dbsize(), 0);
      await redis.mset('a', '1', 'b', '2', 'c', '3');
      assert.equal(await redis.dbsize(), 3);
      await redis.select(1);
      assert.equal(await redis.dbsize(), 0);
      await redis.select(0);
      assert.deepEqual(await c.call('DBSIZE', 'x'), { error: "ERR wrong number of arguments for 'dbsize' command" });
    });

    test('FLUSHDB - empties only the selected database; ASYNC and SYNC accepted', async () => {
      const x = await RespClient.connect(srv.port);
      await x.call('SELECT', '2');
      await x.call('SET', 'in-2', 'v');
      await redis.set('in-0', 'v');
      assert.deepEqual(await x.call('FLUSHDB'), { simple: 'OK' });
      assert.equal(await x.call('DBSIZE'), 0);
      assert.equal(await redis.dbsize(), 1);
      assert.equal(await redis.flushdb('ASYNC'), 'OK');
      assert.equal(await redis.dbsize(), 0);
      assert.deepEqual(await x.call('FLUSHDB', 'sync'), { simple: 'OK' });
      x.close();
    });

    test('FLUSHDB/FLUSHALL - anything but ASYNC or SYNC is a syntax error', async () => {
      for (const cmd of ['FLUSHDB', 'FLUSHALL']) {
        assert.deepEqual(await c.call(cmd, 'x'), { error: 'ERR syntax error' });
        assert.deepEqual(await c.call(cmd, 'ASYNC', 'SYNC'), { error: 'ERR syntax error' });
      }
    });

    test('FLUSHALL - empties every database', async () => {
      const x = await RespClient.connect(srv.port);
      await x.call('SELECT', '7');
      await x.call('SET', 'k', 'v');
      await redis.set('k', 'v');
      assert.deepEqual(await c.call('FLUSHALL', 'SYNC'), { simple: 'OK' });
      assert.equal(await x.call('DBSIZE'), 0);
      assert.equal(await redis.dbsize(), 0);
      for (const db of srv.server.dbs) assert.equal(db.size(), 0);
      x.close();
    });
  });

  describe('SWAPDB', () => {
    test('SWAPDB - swaps the data; clients keep their index and see the other data', async () => {
      const x = await RespClient.connect(srv.port);
      await x.call('SELECT', '1');
      await x.call('SET', 'where', 'one');
      await redis.set('where', 'zero');
      assert.deepEqual(await x.call('SWAPDB', '0', '1'), { simple: 'OK' });
      assert.equal(await x.call('GET', 'where'), 'zero');
      assert.equal(await redis.get('where'), 'one');
      assert.equal(srv.server.dbs[0]!.id, 0);
      assert.equal(srv.server.dbs[1]!.id, 1);
      // The caller itself sees the swap at once.
      assert.deepEqual(await x.call('SWAPDB', '1', '0'), { simple: 'OK' });
      assert.equal(await x.call('GET', 'where'), 'one');
      assert.deepEqual(await x.call('SWAPDB', '1', '1'), { simple: 'OK' });
      assert.equal(await x.call('GET', 'where'), 'one');
      x.close();
    });

    test('SWAPDB - errors name which index is wrong', async () => {
      assert.deepEqual(await c.call('SWAPDB', 'x', '1'), { error: 'ERR invalid first DB index' });
      assert.deepEqual(await c.call('SWAPDB', '0', 'x'), { error: 'ERR invalid second DB index' });
      assert.deepEqual(await c.call('SWAPDB', 'x', 'x'), { error: 'ERR invalid first DB index' });
      assert.deepEqual(await c.call('SWAPDB', '2147483648', '0'), { error: 'ERR invalid first DB index' });
      assert.deepEqual(await c.call('SWAPDB', '0', '16'), { error: 'ERR DB index is out of range' });
      assert.deepEqual(await c.call('SWAPDB', '-1', '0'), { error: 'ERR DB index is out of range' });
      assert.deepEqual(await c.call('SWAPDB', '0'), { error: "ERR wrong number of arguments for 'swapdb' command" });
    });
  });

  describe('TIME', () => {
    test('TIME - seconds and microseconds of the server clock', async () => {
      srv.server.clock.freeze();
      srv.server.clock.set(1_700_000_000_123);
      assert.deepEqual(await redis.time(), ['1700000000', '123000']);
      srv.server.clock.advance(1_877);
      assert.deepEqual(await c.call('TIME'), { array: ['1700000002', '0'] });
      assert.deepEqual(await c.call('TIME', 'x'), { error: "ERR wrong number of arguments for 'time' command" });
    });

    test('TIME - a running clock has real microseconds, within the millisecond the keyspace sees', async () => {
      srv.server.clock.unfreeze();
      const micros = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const before = srv.server.clock.now();
        const [sec, usec] = (await redis.call('TIME')) as [string, string];
        const after = srv.server.clock.now();
        const ms = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
        assert.ok(ms >= before && ms <= after, `TIME's ${ms} ms lies between ${before} and ${after}`);
        assert.ok(Number(usec) < 1e6);
        micros.add(usec.slice(-3));
      }
      // 20 readings all ending in the same three digits would mean millisecond resolution.
      assert.ok(micros.size > 1, `microseconds always end in ${[...micros][0]}`);
    });
  });

  describe('INFO', () => {
    test('INFO - default sections in Redis order, CRLF lines, sections apart by an empty line', async () => {
      const text = (await c.call('INFO')) as string;
      assert.equal(typeof text, 'string');
      assert.ok(text.startsWith('# Server\r\nredis_version:7.0.15\r\n'));
      assert.ok(text.includes('\r\n\r\n# Clients\r\n'));
      assert.ok(text.endsWith('\r\n') && !text.endsWith('\r\n\r\n'));
      assert.deepEqual([...parseInfo(text).keys()], ['Server', 'Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Modules', 'Errorstats', 'Cluster', 'Keyspace']);
    });

    test('INFO server - Redis field names plus minikv_version', async () => {
      const s = parseInfo((await c.call('INFO', 'server')) as string).get('Server')!;
      assert.equal(s.get('redis_version'), '7.0.15');
      assert.equal(s.get('redis_mode'), 'standalone');
      assert.equal(s.get('minikv_version'), '0.1.0');
      assert.equal(s.get('tcp_port'), String(srv.port));
      assert.equal(s.get('process_id'), String(process.pid));
      assert.equal(s.get('run_id'), srv.server.runId);
      assert.match(s.get('run_id')!, /^[0-9a-f]{40}$/);
      assert.equal(s.get('hz'), '10');
      assert.equal(s.get('arch_bits'), '64');
      for (const f of ['os', 'uptime_in_seconds', 'uptime_in_days', 'executable', 'config_file']) assert.ok(s.has(f), f);
    });

    test('INFO server - uptime follows the server clock', async () => {
      srv.server.clock.freeze();
      srv.server.clock.set(srv.server.startTime + 2 * 86400_000 + 5_000);
      const s = parseInfo((await c.call('INFO', 'server')) as string).get('Server')!;
      assert.equal(s.get('uptime_in_seconds'), String(2 * 86400 + 5));
      assert.equal(s.get('uptime_in_days'), '2');
    });

    test('INFO - several sections, any case, each once, in Redis order', async () => {
      const text = (await c.call('INFO', 'KEYSPACE', 'clients', 'Clients')) as string;
      assert.deepEqual([...parseInfo(text).keys()], ['Clients', 'Keyspace']);
      assert.equal(await c.call('INFO', 'nosuch'), '');
      assert.deepEqual([...parseInfo((await c.call('INFO', 'default')) as string).keys()], [...parseInfo((await c.call('INFO')) as string).keys()]);
    });

    test('INFO all and everything - add commandstats', async () => {
      for (const arg of ['all', 'everything', 'EVERYTHING']) {
        const sections = parseInfo((await c.call('INFO', arg)) as string);
        assert.ok(sections.has('Commandstats'), arg);
        assert.ok(sections.has('Keyspace'), arg);
      }
      const stats = parseInfo((await c.call('INFO', 'commandstats')) as string).get('Commandstats')!;
      assert.match(stats.get('cmdstat_info')!, /^calls=\d+,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0$/);
    });

    test('INFO keyspace - one line per non-empty database', async () => {
      assert.equal(await c.call('INFO', 'keyspace'), '# Keyspace\r\n');
      await redis.set('k1', 'v');
      await redis.set('k2', 'v', 'EX', 100);
      await redis.select(3);
      await redis.set('k3', 'v');
      await redis.select(0);
      assert.equal(await c.call('INFO', 'keyspace'), '# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n');
    });

    test('INFO clients and stats - connections, commands, hits and misses', async () => {
      const x = await RespClient.connect(srv.port);
      await x.call('SET', 'hit', 'v');
      const before = parseInfo((await x.call('INFO', 'stats')) as string).get('Stats')!;
      await x.call('GET', 'hit');
      await x.call('GET', 'miss');
      await x.call('GET', 'miss');
      const s = parseInfo((await x.call('INFO', 'stats', 'clients')) as string);
      const stats = s.get('Stats')!;
      assert.equal(Number(stats.get('keyspace_hits')) - Number(before.get('keyspace_hits')), 1);
      assert.equal(Number(stats.get('keyspace_misses')) - Number(before.get('keyspace_misses')), 2);
      assert.equal(Number(stats.get('total_commands_processed')) - Number(before.get('total_commands_processed')), 4);
      for (const f of ['total_connections_received', 'instantaneous_ops_per_sec', 'total_net_input_bytes', 'total_net_output_bytes', 'rejected_connections', 'expired_keys', 'total_error_replies']) assert.ok(stats.has(f), f);
      const clients = s.get('Clients')!;
      assert.equal(clients.get('connected_clients'), String(srv.server.clients.size));
      assert.equal(clients.get('maxclients'), '10000');
      x.close();
    });

    test('INFO memory - used_memory from the process, with human forms', async () => {
      const m = parseInfo((await c.call('INFO', 'memory')) as string).get('Memory')!;
      assert.ok(Number(m.get('used_memory')) > 0);
      assert.match(m.get('used_memory_human')!, /^\d+\.\d\d[KMG]$/);
      assert.ok(Number(m.get('used_memory_rss')) > 0);
      assert.equal(m.get('maxmemory'), '0');
      assert.equal(m.get('maxmemory_human'), '0B');
      assert.equal(m.get('maxmemory_policy'), 'noeviction');
    });

    test('INFO - a verbatim string in RESP3, a bulk in RESP2', async () => {
      const raw = await rawExchange(srv.port, [resp('HELLO', '3'), resp('INFO', 'cluster')], { expect: 'cluster_enabled:0\r\n\r\n' });
      const body = '# Cluster\r\ncluster_enabled:0\r\n';
      assert.ok(raw.data.endsWith(`=${body.length + 4}\r\ntxt:${body}\r\n`), raw.data);
      const raw2 = await rawExchange(srv.port, resp('INFO', 'cluster'), { expect: 'cluster_enabled:0\r\n\r\n' });
      assert.equal(raw2.data, `$${body.length}\r\n${body}\r\n`);
    });

    test('node-redis RESP3 - INFO arrives as text', async () => {
      const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3 });
      client.on('error', () => {});
      await client.connect();
      try {
        const text = String(await client.info('server'));
        assert.match(text, /redis_version:7\.0\.15\r\n/);
      } finally {
        await client.close();
      }
    });
  });

  describe('CONFIG', () => {
    test('CONFIG GET - exact names, glob patterns, several at once', async () => {
      assert.deepEqual(await c.call('CONFIG', 'GET', 'maxclients'), { array: ['maxclients', '10000'] });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'maxclient*', 'hz', 'nosuch'), { array: ['maxclients', '10000', 'hz', '10'] });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'h?', 'hz'), { array: ['hz', '10'] });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'nosuch'), { array: [] });
      const all = await c.call('CONFIG', 'GET', '*');
      assert.ok(typeof all === 'object' && all !== null && 'array' in all && all.array.includes('databases'));
    });

    test('CONFIG GET - an exact name is echoed as spelled, a pattern matches any case', async () => {
      assert.deepEqual(await c.call('CONFIG', 'GET', 'HZ'), { array: ['HZ', '10'] });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'H?'), { array: ['hz', '10'] });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'HZ', 'h?'), { array: ['HZ', '10'] });
    });

    test('CONFIG GET - a map in RESP3 (node-redis)', async () => {
      const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3 });
      client.on('error', () => {});
      await client.connect();
      try {
        const r = (await client.configGet(['hz', 'maxclients'])) as unknown;
        const get = (k: string): unknown => (r instanceof Map ? r.get(k) : (r as Record<string, unknown>)[k]);
        assert.equal(get('hz'), '10');
        assert.equal(get('maxclients'), '10000');
      } finally {
        await client.close();
      }
      const raw = await rawExchange(srv.port, [resp('HELLO', '3'), resp('CONFIG', 'GET', 'hz')], { expect: '$2\r\n10\r\n' });
      assert.ok(raw.data.endsWith('%1\r\n$2\r\nhz\r\n$2\r\n10\r\n'), raw.data);
    });

    test('CONFIG SET - several pairs at once', async () => {
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '20', 'maxclients', '500'), { simple: 'OK' });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'hz', 'maxclients'), { array: ['hz', '20', 'maxclients', '500'] });
      assert.equal(await redis.config('SET', 'hz', '10', 'maxclients', '10000'), 'OK');
      assert.deepEqual(await redis.config('GET', 'hz'), ['hz', '10']);
    });

    test('CONFIG SET - all or nothing', async () => {
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '12', 'nosuch', '1'), { error: "ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'" });
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '12', 'maxclients', '0'), { error: "ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 1000000 inclusive" });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'hz'), { array: ['hz', '10'] });
    });

    test('CONFIG SET - Redis errors for bad values, duplicates and odd arguments', async () => {
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', 'x'), { error: "ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer" });
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '20', 'hz', '30'), { error: "ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter" });
      assert.deepEqual(await c.call('CONFIG', 'SET', 'protected-mode', 'maybe'), { error: "ERR CONFIG SET failed (possibly related to argument 'protected-mode') - argument must be 'yes' or 'no'" });
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz', '20', 'maxclients'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('CONFIG', 'SET', 'hz'), { error: "ERR wrong number of arguments for 'config|set' command" });
      assert.deepEqual(await c.call('CONFIG', 'GET'), { error: "ERR wrong number of arguments for 'config|get' command" });
      assert.deepEqual(await c.call('CONFIG'), { error: "ERR wrong number of arguments for 'config' command" });
      assert.deepEqual(await c.call('CONFIG', 'foo'), { error: "ERR unknown subcommand 'foo'. Try CONFIG HELP." });
    });

    test('CONFIG RESETSTAT - zeroes the INFO counters', async () => {
      await redis.get('nothing-here');
      assert.deepEqual(await c.call('CONFIG', 'RESETSTAT'), { simple: 'OK' });
      const stats = parseInfo((await c.call('INFO', 'stats')) as string).get('Stats')!;
      assert.equal(stats.get('keyspace_misses'), '0');
      assert.equal(stats.get('total_connections_received'), '0');
      assert.equal(stats.get('total_commands_processed'), '1'); // the INFO itself
      assert.deepEqual(await c.call('CONFIG', 'RESETSTAT', 'x'), { error: "ERR wrong number of arguments for 'config|resetstat' command" });
    });

    test('CONFIG HELP - Redis help layout', async () => {
      const help = await c.call('CONFIG', 'HELP');
      assert.ok(typeof help === 'object' && help !== null && 'array' in help);
      assert.deepEqual(help.array.slice(0, 3), [
        { simple: 'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' },
        { simple: 'GET <pattern>' },
        { simple: '    Return parameters matching the glob-like <pattern> and their values.' },
      ]);
    });
  });

  describe('redis-cli', () => {
    const cli = redisCli();
    test('redis-cli - INFO server, DBSIZE and CONFIG GET', { skip: cli === null ? NO_REDIS_CLI : false }, async () => {
      const base = ['-h', '127.0.0.1', '-p', String(srv.port)];
      assert.match((await run(cli!, [...base, 'INFO', 'server'])).stdout, /^# Server\r?\nredis_version:7\.0\.15\r?\n/);
      await redis.set('cli-key', 'v');
      assert.equal((await run(cli!, [...base, 'DBSIZE'])).stdout, '1\n');
      assert.equal((await run(cli!, [...base, 'CONFIG', 'GET', 'hz'])).stdout, 'hz\n10\n');
    });
  });
});
