/**
 * The type layer (value-type.ts) and the record's type byte: OBJECT ENCODING,
 * TYPE and OBJECT REFCOUNT compared with Redis 7.0.15 for every way a string
 * gets its encoding (through a real server, against live redis-server or its
 * recorded transcript), the type byte kept in step by each write path of
 * ArenaDatabase, keys longer than the record's 24-bit length field, and the
 * onExpired / onCreated hooks.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { ArenaDatabase, KEY_LEN_ESCAPE } from '../../src/keyspace/arena-store.js';
import { ByteView, KEEP_TTL, LOOKUP_BYTES, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, RawString } from '../../src/keyspace/keyspace.js';
import {
  OBJ_ENCODING_EMBSTR, OBJ_ENCODING_HT, OBJ_ENCODING_LISTPACK, OBJ_HASH, STRING_EMBSTR, STRING_INT, STRING_RAW, STRING_TYPE, TYPE_NONE,
  encodingNameOfByte, isInt64Text, typeByte, typeNameOfByte,
} from '../../src/keyspace/value-type.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { ScenarioOracle, type Step } from '../commands/scenario.js';
import { RespClient } from '../commands/resp-client.js';
import { startOracle } from '../commands/redis-oracle.js';

const SMALL = { initialBuckets: 4, pageSize: 64 * 1024 };
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('OBJECT ENCODING, TYPE and OBJECT REFCOUNT against Redis 7.0.15 (scenarios)', () => {
  let srv: TestServer;
  const oracle = new ScenarioOracle('type-layer');
  before(async () => {
    srv = await startTestServer();
    await oracle.start();
  });
  after(async () => {
    await oracle.stop();
    await srv.close();
  });

  /** Each write, then OBJECT ENCODING of its key. */
  const enc = (key: string, ...write: string[][]): Step[] => [...write.map((call) => ({ call })), { call: ['OBJECT', 'ENCODING', key] }];
  const scenarios: Record<string, Step[]> = {
    'SET - int, embstr and raw as tryObjectEncoding chooses': [
      ...enc('a', ['SET', 'a', '123']),
      ...enc('a', ['SET', 'a', '-5']),
      ...enc('a', ['SET', 'a', '0']),
      ...enc('a', ['SET', 'a', '12345678901234567890']),
      ...enc('a', ['SET', 'a', '9223372036854775807']),
      ...enc('a', ['SET', 'a', '9223372036854775808']),
      ...enc('a', ['SET', 'a', '-9223372036854775808']),
      ...enc('a', ['SET', 'a', '-9223372036854775809']),
      ...enc('a', ['SET', 'a', '-0']),
      ...enc('a', ['SET', 'a', '007']),
      ...enc('a', ['SET', 'a', ' 1']),
      ...enc('a', ['SET', 'a', '1.5']),
      ...enc('a', ['SET', 'a', '']),
      ...enc('a', ['SET', 'a', 'abc']),
      ...enc('a', ['SET', 'a', 'x'.repeat(44)]),
      ...enc('a', ['SET', 'a', 'x'.repeat(45)]),
      ...enc('a', ['SET', 'a', '7'.repeat(70_000)]),
      ...enc('a', ['SET', 'a', '12']),
    ],
    'the other setters - MSET, GETSET, SETNX, SETEX, PSETEX, SET GET, GETEX': [
      ...enc('m1', ['MSET', 'm1', '1', 'm2', 'abc']),
      { call: ['OBJECT', 'ENCODING', 'm2'] },
      ...enc('g', ['GETSET', 'g', '42']),
      ...enc('n', ['SETNX', 'n', '99']),
      ...enc('e', ['SETEX', 'e', '100', '8']),
      ...enc('p', ['PSETEX', 'p', '100000', 'x'.repeat(50)]),
      ...enc('s', ['SET', 's', 'abc'], ['SET', 's', '17', 'GET']),
      ...enc('s', ['GETEX', 's', 'PX', '100000']),
    ],
    'APPEND and SETRANGE - raw, but APPEND to a new key is tryObjectEncoded': [
      ...enc('h', ['APPEND', 'h', '123']),
      ...enc('h', ['APPEND', 'h', '4']),
      ...enc('i', ['SET', 'i', 'abc'], ['APPEND', 'i', '']),
      ...enc('i2', ['SET', 'i2', '5'], ['APPEND', 'i2', '']),
      ...enc('j', ['SETRANGE', 'j', '0', 'abc']),
      ...enc('k', ['SET', 'k', '12'], ['SETRANGE', 'k', '0', '3']),
      ...enc('k2', ['SET', 'k2', 'abc'], ['SETRANGE', 'k2', '0', '']),
      ...enc('k3', ['SET', 'k3', '12'], ['SETRANGE', 'k3', '5', 'z']),
      ...enc('y', ['SET', 'y', '1'], ['APPEND', 'y', '0']),
      ...enc('y', ['INCR', 'y']),
      ...enc('e2', ['SET', 'e2', 'x'.repeat(44)], ['APPEND', 'e2', 'y']),
    ],
    'INCR family - int; INCRBYFLOAT - a plain string, embstr or raw': [
      ...enc('l', ['INCR', 'l']),
      ...enc('l', ['INCRBY', 'l', '100000']),
      ...enc('l', ['DECRBY', 'l', '100001']),
      ...enc('d', ['DECR', 'd']),
      ...enc('f', ['INCRBYFLOAT', 'f', '1']),
      { call: ['OBJECT', 'REFCOUNT', 'f'] },
      ...enc('f', ['INCRBYFLOAT', 'f', '1.5']),
      ...enc('f', ['INCR', 'f'], ['INCRBYFLOAT', 'f', '-0.5']),
      ...enc('f2', ['SET', 'f2', '5'], ['INCRBYFLOAT', 'f2', '0']),
      { call: ['OBJECT', 'REFCOUNT', 'f2'] },
      ...enc('f2', ['INCR', 'f2']),
      { call: ['OBJECT', 'REFCOUNT', 'f2'] },
      ...enc('f3', ['INCRBYFLOAT', 'f3', '12345678901234567890123456789012345678901234567']),
    ],
    'COPY, RENAME and MOVE keep the encoding': [
      { call: ['INCRBYFLOAT', 'o', '2'] },
      ...enc('o2', ['COPY', 'o', 'o2']),
      ...enc('r2', ['SET', 'r', '7'], ['INCRBYFLOAT', 'r', '1'], ['RENAME', 'r', 'r2']),
      ...enc('a2', ['APPEND', 'a', '12'], ['APPEND', 'a', '3'], ['COPY', 'a', 'a2']),
      ...enc('i2', ['SET', 'i', '12'], ['COPY', 'i', 'i2']),
      { call: ['INCRBYFLOAT', 'mv', '3'] },
      { call: ['MOVE', 'mv', '1'] },
      { call: ['SELECT', '1'] },
      { call: ['OBJECT', 'ENCODING', 'mv'] },
      { call: ['SELECT', '0'] },
    ],
    'TYPE, and a missing or expired key': [
      { call: ['SET', 't', '1'] },
      { call: ['TYPE', 't'] },
      { call: ['TYPE', 'nosuch'] },
      { call: ['OBJECT', 'ENCODING', 'nosuch'] },
      { call: ['SET', 'gone', '1', 'PX', '1'] },
      { sleep: 20 },
      { call: ['OBJECT', 'ENCODING', 'gone'] },
      { call: ['TYPE', 'gone'] },
      { call: ['EXISTS', 'gone'] },
    ],
  };

  for (const [name, steps] of Object.entries(scenarios)) {
    test(name, async (t) => {
      await oracle.check(t, name, srv.port, { steps });
    });
  }
});

describe('DEBUG OBJECT reads the type layer', () => {
  test('refcount, encoding and serializedlength as Redis 7.0.15 reports them', async () => {
    const srv = await startTestServer({ config: { 'enable-debug-command': 'yes' } });
    const redis = await startOracle(['--enable-debug-command', 'yes']);
    const writes = [['SET', 'a', '5'], ['SET', 'b', '100000'], ['SET', 'c', 'abc'], ['INCRBYFLOAT', 'd', '3'], ['SET', 'e', '1'], ['APPEND', 'e', '2'], ['SET', 'f', '-300'], ['SET', 'g', '12345678901']];
    // Recorded from redis-server 7.0.15 (and compared with it live below when it is installed).
    const expected = [
      'refcount:2147483647 encoding:int serializedlength:2',
      'refcount:1 encoding:int serializedlength:5',
      'refcount:1 encoding:embstr serializedlength:4',
      'refcount:1 encoding:embstr serializedlength:2',
      'refcount:1 encoding:raw serializedlength:2',
      'refcount:1 encoding:int serializedlength:3',
      'refcount:1 encoding:int serializedlength:12',
    ];
    const fields = async (c: RespClient): Promise<string[]> => {
      await c.call('FLUSHALL');
      for (const w of writes) await c.call(...w);
      const out: string[] = [];
      for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
        const r = (await c.call('DEBUG', 'OBJECT', k)) as { simple: string };
        out.push(r.simple.replace(/^Value at:\S+ /, '').replace(/ lru:.*$/, ''));
      }
      return out;
    };
    const c = await RespClient.connect(srv.port);
    try {
      const ours = await fields(c);
      assert.deepEqual(ours, expected);
      if (redis !== null) assert.deepEqual(await fields(redis.client), ours);
    } finally {
      c.close();
      redis?.close();
      await srv.close();
    }
  });
});

describe('SCAN TYPE reads the type layer', () => {
  test('SCAN TYPE string, hash and list over strings of every encoding and a hash', async () => {
    const srv = await startTestServer();
    const client = new Redis({ port: srv.port, lazyConnect: true });
    try {
      await client.connect();
      await client.mset('int', '1', 'emb', 'abc', 'raw', 'x'.repeat(50));
      await client.append('app', 'z');
      await client.append('app', 'y');
      srv.server.dbs[0]!.set('h', { type: 'hash' }, NO_EXPIRY);
      const scanType = async (type: string): Promise<string[]> => {
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await client.scan(cursor, 'COUNT', 100, 'TYPE', type);
          keys.push(...batch);
          cursor = next;
        } while (cursor !== '0');
        return keys.sort();
      };
      assert.deepEqual(await scanType('string'), ['app', 'emb', 'int', 'raw']);
      assert.deepEqual(await scanType('hash'), ['h']);
      assert.deepEqual(await scanType('list'), []);
      assert.equal(await client.type('h'), 'hash');
    } finally {
      client.disconnect();
      await srv.close();
    }
  });
});

describe('value-type - the string encoding rules', () => {
  test('isInt64Text - string2ll canonical integers only', () => {
    const yes = ['0', '1', '-1', '9223372036854775807', '-9223372036854775808', '10', '-10'];
    const no = ['', '-', '-0', '01', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '12345678901234567890', '99999999999999999999', 'a'];
    for (const s of yes) assert.equal(isInt64Text(b(s), 0, s.length), true, s);
    for (const s of no) assert.equal(isInt64Text(b(s), 0, s.length), false, s);
    // At an offset, as the hot path calls it on a request buffer.
    assert.equal(isInt64Text(b('xx-42yy'), 2, 3), true);
  });

  test('type and encoding names of type bytes', () => {
    assert.equal(encodingNameOfByte(STRING_INT), 'int');
    assert.equal(encodingNameOfByte(STRING_EMBSTR), 'embstr');
    assert.equal(encodingNameOfByte(STRING_RAW), 'raw');
    assert.equal(typeNameOfByte(STRING_RAW), 'string');
    assert.equal(typeNameOfByte(typeByte(OBJ_HASH, OBJ_ENCODING_LISTPACK)), 'hash');
    assert.equal(encodingNameOfByte(typeByte(OBJ_HASH, OBJ_ENCODING_LISTPACK)), 'listpack');
  });

  test('STRING_TYPE - serialize is RDB string form: integers that fit 32 bits, else length and bytes', () => {
    assert.deepEqual([...STRING_TYPE.serialize('5', 1)], [0xc0, 5]);
    assert.deepEqual([...STRING_TYPE.serialize('-300', 1)], [0xc1, 0xd4, 0xfe]);
    assert.deepEqual([...STRING_TYPE.serialize('100000', 1)], [0xc2, 0xa0, 0x86, 0x01, 0x00]);
    assert.deepEqual([...STRING_TYPE.serialize('abc', OBJ_ENCODING_EMBSTR)], [3, 97, 98, 99]);
    assert.equal(STRING_TYPE.serialize('9223372036854775807', 1).length, 20);
    assert.equal(STRING_TYPE.serialize('x'.repeat(100), 0).length, 102);
    const raw = new RawString(b('12zz'), 2);
    assert.deepEqual([...STRING_TYPE.serialize(raw, 0)], [0xc0, 12]);
    const copy = STRING_TYPE.clone(raw) as RawString;
    assert.notEqual(copy.buf, raw.buf);
    assert.equal(copy.bytes().toString(), '12');
  });
});

describe('ArenaDatabase - the type byte', () => {
  test('every write path records the encoding, in place and when the record moves', () => {
    const db = new ArenaDatabase(0, SMALL);
    assert.equal(db.lookupType('k', 0), TYPE_NONE);
    db.set('k', '123', NO_EXPIRY);
    assert.equal(db.lookupType('k', 0), STRING_INT);
    db.set('k', 'abc', NO_EXPIRY); // same size class: in place
    assert.equal(db.lookupType('k', 0), STRING_EMBSTR);
    db.set('k', 'x'.repeat(200), NO_EXPIRY); // moves to a bigger record
    assert.equal(db.lookupType('k', 0), STRING_RAW);
    db.setBytes(b('k'), 0, 1, b('..-77..'), 2, 3, NO_EXPIRY);
    assert.equal(db.lookupType('k', 0), STRING_INT);
    db.set('k', '12', NO_EXPIRY, STRING_EMBSTR); // the caller's choice (INCRBYFLOAT)
    assert.equal(db.lookupType('k', 0), STRING_EMBSTR);
    db.set('k', new RawString(b('12'), 2), KEEP_TTL);
    assert.equal(db.lookupType('k', 0), STRING_RAW);
    db.set('k', 'y'.repeat(70_000), NO_EXPIRY); // too long for a record: an object
    assert.equal(db.lookupType('k', 0), STRING_RAW);
    db.set('k', '1', NO_EXPIRY);
    assert.equal(db.lookupType('k', 0), STRING_INT);
    db.set('k', { type: 'hash' }, NO_EXPIRY);
    assert.equal(db.lookupType('k', 0), typeByte(OBJ_HASH, OBJ_ENCODING_HT));
    db.set('k', { type: 'hash', typeByte: typeByte(OBJ_HASH, OBJ_ENCODING_LISTPACK) }, NO_EXPIRY);
    assert.equal(db.lookupType('k', 0), typeByte(OBJ_HASH, OBJ_ENCODING_LISTPACK));
    assert.throws(() => db.set('k', { type: 'nonsense' }, NO_EXPIRY), /unknown value type/);
  });

  test('scan - each key with its resolved type byte', () => {
    const db = new ArenaDatabase(0, SMALL);
    db.set('i', '42', NO_EXPIRY);
    db.set('e', 'abc', NO_EXPIRY);
    db.set('r', new RawString(b('xy'), 2), NO_EXPIRY);
    db.set('h', { type: 'hash' }, NO_EXPIRY);
    const seen = new Map<string, number>();
    let cursor = 0;
    do cursor = db.scan(cursor, 10, 0, (k, _v, t) => seen.set(k, t)); while (cursor !== 0);
    assert.deepEqual([...seen].sort(), [['e', STRING_EMBSTR], ['h', typeByte(OBJ_HASH, OBJ_ENCODING_HT)], ['i', STRING_INT], ['r', STRING_RAW]]);
  });

  test('setFoundBytes - the in-place rewrite updates the encoding', () => {
    const db = new ArenaDatabase(0, SMALL);
    const view = new ByteView();
    db.set('c', '10', NO_EXPIRY);
    assert.equal(db.getBytes(b('c'), 0, 1, 0, view), LOOKUP_BYTES);
    db.setFoundBytes(b('ab'), 0, 2, KEEP_TTL);
    assert.equal(db.lookupType('c', 0), STRING_EMBSTR);
    assert.equal(db.getBytes(b('c'), 0, 1, 0, view), LOOKUP_BYTES);
    db.setFoundBytes(b('11'), 0, 2, KEEP_TTL);
    assert.equal(db.lookupType('c', 0), STRING_INT);
    assert.equal(db.get('c', 0), '11');
  });
});

describe('ArenaDatabase - keys longer than the record length field', () => {
  // KEY_LEN_ESCAPE (16 MB - 1) is the first length kept aside.
  const long = (n: number, last: string): string => 'L'.repeat(n - 1) + last;

  test('set, get, getBytes, TTL, scan, keys, randomKey and delete of keys at and past the escape', () => {
    const db = new ArenaDatabase(0, SMALL);
    const k1 = long(KEY_LEN_ESCAPE + 10, 'a');
    const k2 = long(KEY_LEN_ESCAPE + 10, 'b'); // same length, differs in its last byte
    const k3 = long(KEY_LEN_ESCAPE, 'c'); // exactly the escape value
    const k4 = long(KEY_LEN_ESCAPE - 1, 'd'); // the longest length kept inline
    db.set(k1, 'one', NO_EXPIRY);
    db.set(k2, '2', NO_EXPIRY);
    db.set(k3, 'three', 100);
    db.set(k4, 'four', NO_EXPIRY);
    assert.equal(db.arenaStats().longKeys, 3);
    assert.equal(db.size(), 4);
    assert.equal(db.get(k1, 0), 'one');
    assert.equal(db.get(k2, 0), '2');
    assert.equal(db.get(k3, 0), 'three');
    assert.equal(db.get(k4, 0), 'four');
    assert.equal(db.get(long(KEY_LEN_ESCAPE + 10, 'z'), 0), undefined);
    assert.equal(db.get(long(KEY_LEN_ESCAPE + 11, 'a'), 0), undefined);
    assert.equal(db.lookupType(k2, 0), STRING_INT);
    // A record this big keeps its value as an object: getBytes says so, and finds by the long key.
    const kb = b(k1);
    const view = new ByteView();
    assert.equal(db.getBytes(kb, 0, kb.length, 0, view), LOOKUP_VALUE);
    const other = b(long(KEY_LEN_ESCAPE + 10, 'q'));
    assert.equal(db.getBytes(other, 0, other.length, 0, view), LOOKUP_MISSING);
    // A rewrite moves the record (a page of its own): its length moves with it.
    db.set(k1, 'x'.repeat(1000), NO_EXPIRY);
    assert.equal(db.get(k1, 0), 'x'.repeat(1000));
    assert.equal(db.lookupType(k1, 0), STRING_RAW);
    assert.equal(db.arenaStats().longKeys, 3);
    assert.equal(db.getExpire(k3), 100);
    const scanned: string[] = [];
    let cursor = 0;
    do cursor = db.scan(cursor, 10, 0, (k) => scanned.push(k)); while (cursor !== 0);
    assert.deepEqual(scanned.map((k) => k.length).sort(), [k1, k2, k3, k4].map((k) => k.length).sort());
    assert.equal(db.keys(null, 0).length, 4);
    assert.ok([k1, k2, k3, k4].includes(db.randomKey(0)!));
    assert.equal(db.delete(k2, 0), true);
    assert.equal(db.get(k2, 0), undefined);
    assert.equal(db.get(k1, 0), 'x'.repeat(1000));
    assert.equal(db.arenaStats().longKeys, 2);
    // Active expiry reclaims a long key too.
    const expired: number[] = [];
    db.onExpired = (k) => expired.push(k.length);
    const out = { checked: 0, expired: 0 };
    db.expireStep(200, 10, out);
    assert.equal(out.expired, 1);
    assert.deepEqual(expired, [k3.length]);
    assert.equal(db.arenaStats().longKeys, 1);
    db.clear();
    assert.equal(db.arenaStats().longKeys, 0);
  });

  test('through a server: SET, GET, OBJECT ENCODING, EXISTS and DEL of a key past the escape', async () => {
    const srv = await startTestServer();
    const client = new Redis({ port: srv.port, lazyConnect: true });
    try {
      await client.connect();
      const key = long(KEY_LEN_ESCAPE + 1000, 'k');
      assert.equal(await client.set(key, '42'), 'OK');
      assert.equal(await client.get(key), '42');
      assert.equal(await client.object('ENCODING', key), 'int');
      assert.equal(await client.exists(long(KEY_LEN_ESCAPE + 1000, 'j')), 0);
      assert.equal(await client.incr(key), 43);
      assert.equal(await client.dbsize(), 1);
      assert.equal(await client.del(key), 1);
      assert.equal(await client.dbsize(), 0);
    } finally {
      client.disconnect();
      await srv.close();
    }
  });
});

describe('ArenaDatabase - onExpired and onCreated', () => {
  test('onCreated - once per key added, not for overwrites, moves or TTL changes', () => {
    const db = new ArenaDatabase(0, SMALL);
    const created: string[] = [];
    db.onCreated = (k) => created.push(k);
    db.set('a', '1', NO_EXPIRY);
    db.set('a', '2', NO_EXPIRY);
    db.set('a', 'x'.repeat(300), NO_EXPIRY); // moves
    db.setBytes(b('b'), 0, 1, b('v'), 0, 1, 1000);
    db.setBytes(b('b'), 0, 1, b('w'), 0, 1, KEEP_TTL);
    db.setExpire('a', 50);
    db.set('c', new RawString(b('r'), 1), NO_EXPIRY);
    assert.deepEqual(created, ['a', 'b', 'c']);
    db.delete('a', 0);
    db.set('a', '3', NO_EXPIRY);
    assert.deepEqual(created, ['a', 'b', 'c', 'a']);
    db.onCreated = null;
    db.set('d', '1', NO_EXPIRY);
    assert.equal(created.length, 4);
  });

  test('onExpired - lazy expiry by get, getBytes, has, lookupType and delete; active expiry; not for a plain delete', () => {
    const lazy: string[] = [];
    const db = new ArenaDatabase(0, { ...SMALL, onLazyExpire: (k) => lazy.push(k) });
    const expired: string[] = [];
    db.onExpired = (k) => expired.push(k);
    for (const k of ['g', 'gb', 'h', 't', 'd', 'act', 'live']) db.set(k, 'v', k === 'live' ? 1000 : 10);
    db.set('plain', 'v', NO_EXPIRY);
    assert.equal(db.get('g', 10), undefined);
    const kb = b('gb');
    assert.equal(db.getBytes(kb, 0, 2, 11, new ByteView()), LOOKUP_MISSING);
    assert.equal(db.has('h', 12), false);
    assert.equal(db.lookupType('t', 13), TYPE_NONE);
    assert.equal(db.delete('d', 14), false); // an expired key is not deleted "by" DEL: it expired
    assert.equal(db.delete('plain', 14), true);
    assert.deepEqual(expired, ['g', 'gb', 'h', 't', 'd']);
    assert.deepEqual(lazy, expired);
    const out = { checked: 0, expired: 0 };
    db.expireStep(20, 100, out);
    assert.equal(out.expired, 1);
    assert.deepEqual(expired, ['g', 'gb', 'h', 't', 'd', 'act']);
    assert.deepEqual(lazy.length, 5, 'active expiry is not lazy');
    assert.equal(db.get('live', 20), 'v');
    assert.equal(db.size(), 1);
  });
});
