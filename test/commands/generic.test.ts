/**
 * The `generic` group's key commands (DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN,
 * RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, TOUCH, OBJECT) through ioredis,
 * node-redis and raw sockets, every error string asserted, and each spec
 * checked against Redis 7.0.15's COMMAND INFO and COMMAND DOCS as captured
 * in test/fixtures. Expected replies were taken from a live Redis 7.0.15.
 * The EXPIRE family lives in expire.test.ts.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';
import { GENERIC_COMMANDS } from '../../src/commands/generic.js';
import { CommandTable, type ArgSpec, type CommandSpec, type KeySpec } from '../../src/commands/table.js';
import { RawString } from '../../src/keyspace/keyspace.js';

let srv: TestServer;
let r: Redis;
let nr: ReturnType<typeof createClient>;

before(async () => {
  srv = await startTestServer();
  r = new Redis({ port: srv.port, lazyConnect: true, maxRetriesPerRequest: 0 });
  await r.connect();
  nr = createClient({ socket: { port: srv.port, host: '127.0.0.1' } });
  await nr.connect();
});

after(async () => {
  r.disconnect();
  await nr.quit().catch(() => {});
  await srv.close();
});

beforeEach(() => {
  for (const db of srv.server.dbs) db.clear();
  if (srv.server.clock.frozen) srv.server.clock.unfreeze();
});

/** The error message a command gets, e.g. `ERR syntax error`. */
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error reply');
}

/** SET for each key/value pair, pipelined (keeps these tests independent of MSET). */
async function setMany(...kv: string[]): Promise<void> {
  const p = r.pipeline();
  for (let i = 0; i < kv.length; i += 2) p.set(kv[i]!, kv[i + 1]!);
  await p.exec();
}

/** One command over a raw socket; the bytes of its reply. */
async function raw(...args: string[]): Promise<string> {
  const res = await rawExchange(srv.port, resp(...args), { expect: '\r\n', timeoutMs: 2000 });
  return res.data;
}

describe('DEL, UNLINK, EXISTS, TOUCH, TYPE', () => {
  test('DEL - counts the keys removed, each name once', async () => {
    await setMany('a', '1', 'b', '2');
    assert.equal(await r.call('DEL', 'a', 'a', 'b', 'nokey'), 2);
    assert.equal(await r.exists('a', 'b'), 0);
  });

  test('UNLINK - removes like DEL', async () => {
    await r.set('a', '1');
    assert.equal(await nr.unlink(['a', 'zz']), 1);
    assert.equal(await r.get('a'), null);
  });

  test('EXISTS - a key named twice counts twice', async () => {
    await r.set('a', '1');
    assert.equal(await r.exists('a', 'a', 'zz'), 2);
    assert.equal(await nr.exists(['a']), 1);
  });

  test('TOUCH - counts the keys that exist', async () => {
    await r.set('a', '1');
    assert.equal(await r.call('TOUCH', 'a', 'zz', 'a'), 2);
  });

  test('TYPE - string, or none for a missing key, as a status reply', async () => {
    await r.set('a', '1');
    assert.equal(await r.type('a'), 'string');
    assert.equal(await raw('TYPE', 'a'), '+string\r\n');
    assert.equal(await raw('TYPE', 'nokey'), '+none\r\n');
  });

  test('DEL, EXISTS, TOUCH, TYPE - an expired key is gone', async () => {
    srv.server.clock.freeze();
    await r.set('a', '1');
    await r.pexpire('a', 10);
    srv.server.clock.advance(10);
    assert.equal(await r.exists('a'), 0);
    assert.equal(await r.type('a'), 'none');
    await r.set('b', '1');
    await r.pexpire('b', 10);
    srv.server.clock.advance(10);
    assert.equal(await r.del('b'), 0);
  });

  test('EXISTS, TOUCH, TYPE count keyspace hits and misses; DEL does not', async () => {
    const stats = srv.server.stats;
    await r.set('a', '1');
    const hits = stats.keyspaceHits;
    const misses = stats.keyspaceMisses;
    await r.call('EXISTS', 'a', 'zz');
    await r.call('TOUCH', 'a');
    await r.call('TYPE', 'zz');
    await r.call('DEL', 'zz');
    assert.equal(stats.keyspaceHits - hits, 2);
    assert.equal(stats.keyspaceMisses - misses, 2);
  });

  test('DEL, UNLINK, EXISTS, TOUCH, TYPE - arity errors', async () => {
    for (const name of ['del', 'unlink', 'exists', 'touch', 'type']) {
      assert.equal(await raw(name.toUpperCase()), `-ERR wrong number of arguments for '${name}' command\r\n`);
    }
    assert.equal(await errorOf(r.call('TYPE', 'a', 'b')), "ERR wrong number of arguments for 'type' command");
  });
});

describe('KEYS', () => {
  test('KEYS - lists the keys matching a glob pattern', async () => {
    await setMany('foo_a', '1', 'foo_b', '1', 'foo_c', '1', 'key_x', '1', 'key_y', '1');
    assert.deepEqual((await r.keys('foo*')).sort(), ['foo_a', 'foo_b', 'foo_c']);
    assert.deepEqual((await r.keys('*_[a-b]')).sort(), ['foo_a', 'foo_b']);
    assert.deepEqual((await r.keys('key_?')).sort(), ['key_x', 'key_y']);
    assert.deepEqual((await nr.keys('*')).sort(), ['foo_a', 'foo_b', 'foo_c', 'key_x', 'key_y']);
  });

  test('KEYS - `*` also lists the empty key, which no other pattern matches', async () => {
    await r.set('', 'x');
    assert.deepEqual(await r.keys('*'), ['']);
    assert.deepEqual(await r.keys('**'), []);
  });

  test('KEYS - binary keys and escapes', async () => {
    const key = Buffer.from([0xff, 0x00, 0x2a, 0x0a]);
    await r.set(key, 'v');
    await r.set('a*b', 'v');
    await r.set('axb', 'v');
    assert.deepEqual(await r.callBuffer('KEYS', Buffer.from([0xff, 0x00, 0x3f, 0x0a])), [key]);
    assert.deepEqual(await r.keys('a\\*b'), ['a*b']);
  });

  test('KEYS - skips expired keys', async () => {
    srv.server.clock.freeze();
    await setMany('a', '1', 'b', '1');
    await r.pexpire('a', 5);
    srv.server.clock.advance(5);
    assert.deepEqual(await r.keys('*'), ['b']);
  });

  test('KEYS - with no pattern lists every key (the seed\'s text dialect), a third argument is refused', async () => {
    await setMany('a', '1', 'b', '1');
    const res = await rawExchange(srv.port, 'KEYS\nPING\n', { expect: 'PONG', timeoutMs: 2000 });
    assert.match(res.data, /^1\) ([ab])\n2\) (?!\1)[ab]\nPONG\n$/);
    assert.equal(await raw('KEYS', '*', 'x'), "-ERR wrong number of arguments for 'keys' command\r\n");
  });
});

describe('SCAN', () => {
  /** Every key of a full SCAN with `opts`, in the order returned (duplicates kept). */
  async function scanAll(...opts: string[]): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    let calls = 0;
    do {
      const [next, keys] = (await r.call('SCAN', cursor, ...opts)) as [string, string[]];
      out.push(...keys);
      cursor = next;
      assert.ok(++calls < 100000, 'SCAN does not end');
    } while (cursor !== '0');
    return out;
  }

  test('SCAN - a full iteration returns every key exactly once', async () => {
    const pipe = r.pipeline();
    for (let i = 0; i < 1000; i++) pipe.set(`key:${i}`, 'v');
    await pipe.exec();
    const keys = await scanAll();
    assert.equal(keys.length, 1000);
    assert.equal(new Set(keys).size, 1000);
  });

  test('SCAN - COUNT, MATCH and TYPE filter', async () => {
    const pipe = r.pipeline();
    for (let i = 0; i < 200; i++) pipe.set(`k${i}`, 'v');
    await pipe.exec();
    assert.equal((await scanAll('COUNT', '50')).length, 200);
    assert.deepEqual((await scanAll('MATCH', 'k1?')).sort(), ['k10', 'k11', 'k12', 'k13', 'k14', 'k15', 'k16', 'k17', 'k18', 'k19']);
    assert.equal((await scanAll('TYPE', 'STRING', 'COUNT', '1000')).length, 200);
    assert.equal((await scanAll('TYPE', 'hash')).length, 0);
    assert.equal((await scanAll('TYPE', 'nosuchtype')).length, 0);
    // A later MATCH wins, as in Redis.
    assert.deepEqual(await scanAll('MATCH', 'k1', 'MATCH', 'k2'), ['k2']);
  });

  test('SCAN - node-redis scanIterator sees every key', async () => {
    await setMany('x1', '1', 'x2', '2', 'y1', '3');
    const seen: string[] = [];
    for await (const batch of nr.scanIterator({ MATCH: 'x*', COUNT: 1 })) seen.push(...batch);
    assert.deepEqual(seen.sort(), ['x1', 'x2']);
  });

  test('SCAN - reply shape: cursor as a bulk string, then the keys', async () => {
    await r.set('only', 'v');
    assert.equal(await raw('SCAN', '0', 'COUNT', '100'), '*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n');
  });

  test('SCAN - cursors as strtoul reads them', async () => {
    await r.set('a', '1');
    // An empty cursor and a sign are accepted, as by strtoul; huge cursors end the scan.
    assert.deepEqual(await r.call('SCAN', ''), ['0', ['a']]);
    assert.deepEqual(await r.call('SCAN', '+0'), ['0', ['a']]);
    assert.deepEqual(await r.call('SCAN', '18446744073709551615'), ['0', []]);
    for (const bad of ['abc', ' 0', '0 ', '0x', '+', '-', '1.5', '18446744073709551616']) {
      assert.equal(await errorOf(r.call('SCAN', bad)), 'ERR invalid cursor', bad);
    }
  });

  test('SCAN - option errors', async () => {
    const cases: [string[], string][] = [
      [['COUNT'], 'ERR syntax error'],
      [['COUNT', '0'], 'ERR syntax error'],
      [['COUNT', '-1'], 'ERR syntax error'],
      [['COUNT', '-9223372036854775808'], 'ERR syntax error'],
      [['COUNT', 'abc'], 'ERR value is not an integer or out of range'],
      [['COUNT', '99999999999999999999'], 'ERR value is not an integer or out of range'],
      [['MATCH'], 'ERR syntax error'],
      [['TYPE'], 'ERR syntax error'],
      [['FOO', 'bar'], 'ERR syntax error'],
      [['MATCH', '*', 'COUNT'], 'ERR syntax error'],
    ];
    for (const [opts, msg] of cases) assert.equal(await errorOf(r.call('SCAN', '0', ...opts)), msg, opts.join(' '));
    // The cursor is checked before the options.
    assert.equal(await errorOf(r.call('SCAN', 'x', 'FOO')), 'ERR invalid cursor');
    assert.equal(await raw('SCAN'), "-ERR wrong number of arguments for 'scan' command\r\n");
  });

  test('SCAN - keys present throughout are returned while others are added and removed', async () => {
    const stable = new Set<string>();
    const pipe = r.pipeline();
    for (let i = 0; i < 2000; i++) {
      pipe.set(`stable:${i}`, 'v');
      stable.add(`stable:${i}`);
    }
    for (let i = 0; i < 2000; i++) pipe.set(`churn:${i}`, 'v');
    await pipe.exec();
    const seen = new Map<string, number>();
    let cursor = '0';
    let round = 0;
    do {
      const [next, keys] = (await r.call('SCAN', cursor, 'COUNT', '20')) as [string, string[]];
      for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
      cursor = next;
      // Between calls: remove some churn keys, add new ones.
      const p = r.pipeline();
      for (let j = 0; j < 20; j++) {
        p.del(`churn:${round * 20 + j}`);
        p.set(`added:${round}:${j}`, 'v');
      }
      await p.exec();
      round++;
    } while (cursor !== '0');
    assert.ok(round > 10, 'the scan took several steps');
    for (const k of stable) assert.equal(seen.get(k), 1, `${k} returned exactly once`);
  });
});

describe('RANDOMKEY', () => {
  test('RANDOMKEY - nil on an empty database, else an existing key', async () => {
    assert.equal(await r.randomkey(), null);
    assert.equal(await raw('RANDOMKEY'), '$-1\r\n');
    await setMany('a', '1', 'b', '2', 'c', '3');
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add((await nr.sendCommand(['RANDOMKEY'])) as string);
    assert.ok([...seen].every((k) => ['a', 'b', 'c'].includes(k)));
    assert.ok(seen.size > 1);
    assert.equal(await raw('RANDOMKEY', 'x'), "-ERR wrong number of arguments for 'randomkey' command\r\n");
  });

  test('RANDOMKEY - finds the one live key among many expired ones', async () => {
    srv.server.clock.freeze();
    const pipe = r.pipeline();
    for (let i = 0; i < 500; i++) pipe.set(`gone:${i}`, 'v').pexpire(`gone:${i}`, 10);
    pipe.set('live', 'v');
    await pipe.exec();
    srv.server.clock.advance(10);
    assert.equal(await r.randomkey(), 'live');
  });
});

describe('RENAME, RENAMENX', () => {
  test('RENAME - moves the value and its TTL', async () => {
    srv.server.clock.freeze();
    await r.set('a', 'v');
    await r.pexpire('a', 5000);
    assert.equal(await r.rename('a', 'b'), 'OK');
    assert.equal(await r.get('a'), null);
    assert.equal(await r.get('b'), 'v');
    assert.equal(await r.pttl('b'), 5000);
  });

  test('RENAME - over an existing key replaces it and its TTL', async () => {
    await r.set('a', 'v');
    await r.set('b', 'old');
    await r.expire('b', 100);
    assert.equal(await nr.rename('a', 'b'), 'OK');
    assert.equal(await r.get('b'), 'v');
    assert.equal(await r.ttl('b'), -1);
  });

  test('RENAME - same name: OK when the key exists, else no such key', async () => {
    await r.set('a', 'v');
    assert.equal(await raw('RENAME', 'a', 'a'), '+OK\r\n');
    assert.equal(await r.get('a'), 'v');
    assert.equal(await errorOf(r.rename('zz', 'zz')), 'ERR no such key');
    assert.equal(await errorOf(r.rename('zz', 'y')), 'ERR no such key');
    assert.equal(await raw('RENAME', 'a'), "-ERR wrong number of arguments for 'rename' command\r\n");
  });

  test('RENAMENX - only when the new name is free', async () => {
    await setMany('a', '1', 'b', '2');
    assert.equal(await r.renamenx('a', 'b'), 0);
    assert.equal(await r.renamenx('a', 'a'), 0);
    assert.equal(await r.renamenx('a', 'c'), 1);
    assert.equal(await r.get('c'), '1');
    assert.equal(await errorOf(r.renamenx('zz', 'q')), 'ERR no such key');
  });

  test('RENAME - an expired source is missing', async () => {
    srv.server.clock.freeze();
    await r.set('a', 'v');
    await r.pexpire('a', 1);
    srv.server.clock.advance(1);
    assert.equal(await errorOf(r.rename('a', 'b')), 'ERR no such key');
  });
});

describe('MOVE, COPY', () => {
  test('MOVE - to another database with its TTL, unless the target has the key', async () => {
    srv.server.clock.freeze();
    const now = srv.server.clock.now();
    await r.set('a', 'v');
    await r.pexpire('a', 1000);
    assert.equal(await r.move('a', 3), 1);
    assert.equal(await r.exists('a'), 0);
    const db3 = srv.server.dbs[3]!;
    assert.equal(db3.get('a', now), 'v');
    assert.equal(db3.getExpire('a'), now + 1000);
    await r.set('a', 'again');
    assert.equal(await r.move('a', 3), 0);
    assert.equal(await r.move('zz', 3), 0);
  });

  test('MOVE - errors', async () => {
    await r.set('a', 'v');
    assert.equal(await errorOf(r.move('a', 0)), 'ERR source and destination objects are the same');
    assert.equal(await errorOf(r.call('MOVE', 'a', 'x')), 'ERR value is not an integer or out of range');
    assert.equal(await errorOf(r.call('MOVE', 'a', '16')), 'ERR DB index is out of range');
    assert.equal(await errorOf(r.call('MOVE', 'a', '-1')), 'ERR DB index is out of range');
    assert.equal(await errorOf(r.call('MOVE', 'a', '2147483648')), 'ERR value is out of range, value must between -2147483648 and 2147483647');
    assert.equal(await errorOf(r.call('MOVE', 'a', '99999999999999999999')), 'ERR value is not an integer or out of range');
    assert.equal(await raw('MOVE', 'a'), "-ERR wrong number of arguments for 'move' command\r\n");
  });

  test('COPY - copies value and TTL; REPLACE and DB', async () => {
    srv.server.clock.freeze();
    const now = srv.server.clock.now();
    await r.set('a', 'v');
    await r.pexpire('a', 3000);
    assert.equal(await r.copy('a', 'b'), 1);
    assert.equal(await r.get('b'), 'v');
    assert.equal(await r.pttl('b'), 3000);
    await r.set('a', 'w');
    assert.equal(await r.copy('a', 'b'), 0);
    assert.equal(await r.get('b'), 'v');
    assert.equal(await r.call('COPY', 'a', 'b', 'replace'), 1);
    assert.equal(await r.get('b'), 'w');
    assert.equal(await r.call('COPY', 'a', 'a', 'DB', '5'), 1);
    assert.equal(srv.server.dbs[5]!.get('a', now), 'w');
    assert.equal(await nr.copy('zz', 'q'), 0);
  });

  test('COPY - the copy of a string grown in place is independent', async () => {
    const db = srv.server.dbs[0]!;
    const buf = Buffer.alloc(16);
    buf.write('abc', 'latin1');
    db.set('raw', new RawString(buf, 3), -1);
    assert.equal(await r.copy('raw', 'copy'), 1);
    buf.write('XYZ', 'latin1');
    assert.equal(await r.get('copy'), 'abc');
  });

  test('COPY - errors', async () => {
    await r.set('a', 'v');
    const cases: [string[], string][] = [
      [['a', 'a'], 'ERR source and destination objects are the same'],
      [['a', 'a', 'DB', '0'], 'ERR source and destination objects are the same'],
      [['a', 'a', 'REPLACE'], 'ERR source and destination objects are the same'],
      [['a', 'b', 'REPLACE', 'FOO'], 'ERR syntax error'],
      [['a', 'b', 'DB'], 'ERR syntax error'],
      [['a', 'b', 'DB', 'x'], 'ERR value is not an integer or out of range'],
      [['a', 'b', 'DB', '99'], 'ERR DB index is out of range'],
      [['a', 'b', 'DB', '-1'], 'ERR DB index is out of range'],
      [['a'], "ERR wrong number of arguments for 'copy' command"],
    ];
    for (const [args, msg] of cases) assert.equal(await errorOf(r.call('COPY', ...args)), msg, args.join(' '));
  });
});

describe('OBJECT', () => {
  test('OBJECT ENCODING - int, embstr, raw; nil for a missing key', async () => {
    const cases: [string, string][] = [
      ['123', 'int'], ['-123', 'int'], ['9223372036854775807', 'int'], ['9223372036854775808', 'embstr'],
      ['00', 'embstr'], ['hello', 'embstr'], ['x'.repeat(44), 'embstr'], ['x'.repeat(45), 'raw'],
    ];
    for (const [value, enc] of cases) {
      await r.set('k', value);
      assert.equal(await r.object('ENCODING', 'k'), enc, value);
    }
    assert.equal(await r.object('ENCODING', 'zz'), null);
    assert.equal(await raw('OBJECT', 'encoding', 'zz'), '$-1\r\n');
  });

  test('OBJECT REFCOUNT - shared integers report INT_MAX', async () => {
    await r.set('k', '100');
    assert.equal(await r.object('REFCOUNT', 'k'), 2147483647);
    await r.set('k', '10000');
    assert.equal(await r.object('REFCOUNT', 'k'), 1);
    await r.set('k', 'hello');
    assert.equal(await r.object('REFCOUNT', 'k'), 1);
  });

  test('OBJECT FREQ and IDLETIME - follow maxmemory-policy', async () => {
    await r.set('k', 'v');
    assert.equal(await errorOf(r.object('FREQ', 'k')), 'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
    assert.equal(await r.object('IDLETIME', 'k'), 0);
    assert.equal(await r.object('FREQ', 'zz'), null);
    assert.equal(srv.server.config.setRuntime([['maxmemory-policy', 'allkeys-lfu']]), null);
    try {
      assert.equal(await errorOf(r.object('IDLETIME', 'k')), 'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
      assert.equal(await r.object('FREQ', 'k'), 5);
    } finally {
      srv.server.config.setRuntime([['maxmemory-policy', 'noeviction']]);
    }
  });

  test('OBJECT HELP - Redis\'s text, as status lines', async () => {
    const help = (await r.object('HELP')) as string[];
    assert.equal(help.length, 15);
    assert.equal(help[0], 'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    assert.equal(help[14], '    Prints this help.');
    const wire = await rawExchange(srv.port, resp('OBJECT', 'HELP'), { expect: 'Prints this help.\r\n', timeoutMs: 2000 });
    assert.ok(wire.data.startsWith('*15\r\n+OBJECT <subcommand>'));
  });

  test('OBJECT - subcommand and arity errors', async () => {
    assert.equal(await raw('OBJECT'), "-ERR wrong number of arguments for 'object' command\r\n");
    assert.equal(await raw('OBJECT', 'foo'), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    assert.equal(await raw('OBJECT', 'help', 'x'), "-ERR wrong number of arguments for 'object|help' command\r\n");
    assert.equal(await raw('OBJECT', 'encoding'), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
    assert.equal(await raw('OBJECT', 'encoding', 'a', 'b'), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
  });
});

// ---------------------------------------------------------------------------
// Specs against Redis 7.0.15's COMMAND INFO and COMMAND DOCS.

type Typed = unknown;
/** The fixture's typed RESP3 tree as plain JSON: maps become objects, sets arrays in the order captured. */
function plain(t: Typed): unknown {
  if (t === null || typeof t !== 'object') return t;
  const o = t as Record<string, unknown>;
  if ('simple' in o) return o.simple;
  if ('array' in o) return (o.array as Typed[]).map(plain);
  if ('set' in o) return (o.set as Typed[]).map(plain);
  if ('map' in o) {
    const m = o.map as Typed[];
    const out: Record<string, unknown> = {};
    for (let i = 0; i < m.length; i += 2) out[m[i] as string] = plain(m[i + 1]);
    return out;
  }
  throw new Error(`unknown typed node ${JSON.stringify(t)}`);
}

const sorted = (a: readonly string[]): string[] => [...a].sort();

function keySpecOf(k: KeySpec): unknown {
  const bs = k.beginSearch.type === 'index' ? { type: 'index', spec: { index: k.beginSearch.index } } : k.beginSearch;
  const fk = k.findKeys.type === 'range' ? { type: 'range', spec: { lastkey: k.findKeys.lastkey, keystep: k.findKeys.step, limit: k.findKeys.limit } } : k.findKeys;
  return { flags: sorted(k.flags), begin_search: bs, find_keys: fk };
}

function argOf(a: ArgSpec): unknown {
  const o: Record<string, unknown> = { name: a.name, type: a.type };
  if (a.key_spec_index !== undefined) o.key_spec_index = a.key_spec_index;
  if (a.token !== undefined) o.token = a.token;
  if (a.since !== undefined) o.since = a.since;
  const flags = [a.optional ? 'optional' : '', a.multiple ? 'multiple' : '', a.multiple_token ? 'multiple_token' : ''].filter((f) => f !== '');
  if (flags.length > 0) o.flags = flags.sort();
  if (a.arguments !== undefined) o.arguments = a.arguments.map(argOf);
  return o;
}

function sortArgFlags(args: unknown): unknown {
  return (args as Record<string, unknown>[]).map((a) => ({
    ...a,
    ...(a.flags !== undefined ? { flags: sorted(a.flags as string[]) } : {}),
    ...(a.arguments !== undefined ? { arguments: sortArgFlags(a.arguments) } : {}),
  }));
}

const table = new CommandTable(GENERIC_COMMANDS);
function aclOf(fullName: string): readonly string[] {
  const [top, sub] = fullName.split('|') as [string, string | undefined];
  const cmd = table.lookup(top)!;
  return sub === undefined ? cmd.aclCategories : cmd.subcommands!.get(sub)!.aclCategories;
}

function checkSpec(spec: CommandSpec, info: unknown[], docs: Record<string, unknown>, fullName: string): void {
  const [name, arity, flags, first, last, step, acl, tips, keySpecs] = info as [string, number, string[], number, number, number, string[], string[], unknown[]];
  assert.equal(fullName, name);
  // KEYS alone differs, on purpose: arity -1 so that a bare KEYS lists every key.
  assert.equal(spec.arity, name === 'keys' ? -1 : arity, `${name} arity`);
  assert.deepEqual(sorted(spec.flags), sorted(flags), `${name} flags`);
  assert.deepEqual([spec.firstKey, spec.lastKey, spec.step], [first, last, step], `${name} key positions`);
  assert.deepEqual(sorted(spec.tips ?? []), sorted(tips), `${name} tips`);
  const redisKeySpecs = (keySpecs as { flags: string[] }[]).map((k) => ({ ...k, flags: sorted(k.flags) }));
  assert.deepEqual((spec.keySpecs ?? []).map(keySpecOf), redisKeySpecs, `${name} key specs`);
  assert.equal(spec.summary, docs.summary, `${name} summary`);
  assert.equal(spec.since, docs.since, `${name} since`);
  assert.equal(spec.group, docs.group, `${name} group`);
  assert.equal(spec.complexity, docs.complexity, `${name} complexity`);
  assert.deepEqual((spec.args ?? []).map(argOf), sortArgFlags(docs.arguments ?? []), `${name} arguments`);
  assert.deepEqual(spec.history ?? [], docs.history ?? [], `${name} history`);
  // ACL categories as the table derives them; OBJECT the container is Redis's
  // one exception (just @slow), which is COMMAND's to special-case.
  if (fullName !== 'object') assert.deepEqual(sorted(aclOf(fullName)), sorted(acl), `${name} ACL categories`);
}

test('generic specs match Redis 7.0.15 COMMAND INFO and COMMAND DOCS', () => {
  const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/redis-7.0.15-commands.json', import.meta.url), 'utf8')) as { commands: Record<string, { info: Typed; docs: Typed }> };
  let checked = 0;
  for (const spec of GENERIC_COMMANDS) {
    const entry = fixture.commands[spec.name];
    assert.ok(entry, `${spec.name} is in the fixture`);
    const info = plain(entry.info) as unknown[];
    const docs = plain(entry.docs) as Record<string, unknown>;
    checkSpec(spec, info, docs, spec.name);
    checked++;
    if (spec.subcommands !== undefined) {
      const subInfos = info[9] as unknown[][];
      const subDocs = docs.subcommands as Record<string, Record<string, unknown>>;
      assert.equal(spec.subcommands.length, subInfos.length, `${spec.name} subcommand count`);
      for (const sub of spec.subcommands) {
        const full = `${spec.name}|${sub.name}`;
        const subInfo = subInfos.find((i) => i[0] === full);
        assert.ok(subInfo, `${full} is in the fixture`);
        checkSpec(sub, subInfo, subDocs[full]!, full);
        checked++;
      }
    }
  }
  assert.equal(checked, 27);
});
