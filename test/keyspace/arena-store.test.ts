/**
 * The off-heap keyspace store (arena-store.ts) on its own: every Database
 * method, the allocator (size classes, in-place overwrites, free-list reuse,
 * pages of their own for big keys, values kept as objects), TTL bookkeeping
 * with its swap-remove, incremental rehashing from a 4-bucket table, SCAN's
 * exactly-once guarantee across growing and shrinking tables, and a
 * fast-check model test against a plain Map. Small tables and 64 KB pages
 * make the rare paths common.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { ArenaDatabase, HASH_SEED, hashBytes, HUGE_CLASS, MAX_CLASS_SIZE, RECORD_HEADER, SIZE_CLASS_BYTES, sizeClassOf } from '../../src/keyspace/arena-store.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { ByteView, KEEP_TTL, LOOKUP_BYTES, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, RawString, type StoredValue, type TypedValue } from '../../src/keyspace/keyspace.js';

const SMALL = { initialBuckets: 4, pageSize: 64 * 1024 };

function bytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** getBytes of a latin1 key: the value's bytes as a latin1 string, or the status when not LOOKUP_BYTES. */
function getViaBytes(db: ArenaDatabase, key: string, now = 0): string | number {
  const view = new ByteView();
  const k = bytes(key);
  const r = db.getBytes(k, 0, k.length, now, view);
  if (r !== LOOKUP_BYTES) return r;
  return Buffer.from(view.buf.buffer, view.buf.byteOffset + view.offset, view.length).toString('latin1');
}

/** Every key of a full SCAN with `count`, duplicates kept; `between` runs after each step. */
function scanAll(db: ArenaDatabase, count: number, now: number, between?: (step: number) => void): string[] {
  const out: string[] = [];
  let cursor = 0;
  let step = 0;
  do {
    cursor = db.scan(cursor, count, now, (k) => out.push(k));
    assert.ok(cursor >= 0 && cursor < 2 ** 32, `cursor ${cursor} in range`);
    between?.(step++);
    assert.ok(step < 1_000_000, 'scan ends');
  } while (cursor > 0);
  return out;
}

/** Every key SCAN returned came once, and every key of `stable` is among them. */
function assertEachOnce(keys: string[], stable: string[]): void {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  for (const k of stable) assert.equal(counts.get(k), 1, k);
  for (const [k, n] of counts) assert.equal(n, 1, `${k} returned once`);
}

function allBytes(): string {
  let s = '';
  for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
  return s;
}

describe('ArenaDatabase - size classes', () => {
  test('every size up to 64 KB gets the smallest class that holds it, within 8 bytes or 12.5%', () => {
    for (let size = 1; size <= MAX_CLASS_SIZE; size++) {
      const c = sizeClassOf(size);
      const bytesOf = SIZE_CLASS_BYTES[c]!;
      assert.ok(bytesOf >= size, `size ${size}`);
      assert.ok(SIZE_CLASS_BYTES[c - 1]! < size, `size ${size} not in a smaller class`);
      assert.equal(bytesOf % 8, 0);
      assert.ok(bytesOf - size < 8 || bytesOf <= size * 1.125, `size ${size}: class of ${bytesOf} bytes`);
    }
    assert.equal(sizeClassOf(MAX_CLASS_SIZE + 1), HUGE_CLASS);
    assert.equal(sizeClassOf(10_000_000), HUGE_CLASS);
  });
});

describe('ArenaDatabase - strings, bytes and objects', () => {
  test('set, get, has, delete and size; getBytes fills the view or reports missing', () => {
    const db = new ArenaDatabase(3, SMALL);
    assert.equal(db.id, 3);
    assert.equal(db.size(), 0);
    assert.equal(db.get('a', 0), undefined);
    assert.equal(getViaBytes(db, 'a'), LOOKUP_MISSING);
    db.set('a', 'one', NO_EXPIRY);
    db.set('b', 'two', NO_EXPIRY);
    assert.equal(db.size(), 2);
    assert.equal(db.get('a', 0), 'one');
    assert.equal(getViaBytes(db, 'b'), 'two');
    assert.equal(db.has('a', 0), true);
    assert.equal(db.has('c', 0), false);
    assert.equal(db.delete('a', 0), true);
    assert.equal(db.delete('a', 0), false);
    assert.equal(db.has('a', 0), false);
    assert.equal(db.size(), 1);
    const k = bytes('xxkeyxx');
    const v = bytes('--value--');
    db.setBytes(k, 2, 3, v, 2, 5, NO_EXPIRY);
    assert.equal(db.get('key', 0), 'value');
    const view = new ByteView();
    assert.equal(db.getBytes(k, 2, 3, 0, view), LOOKUP_BYTES);
    assert.equal(Buffer.from(view.buf.subarray(view.offset, view.offset + view.length)).toString('latin1'), 'value');
    assert.equal(db.size(), 2);
  });

  test('overwrites with smaller, larger and same-class values keep one key and the right bytes', () => {
    const db = new ArenaDatabase(0, SMALL);
    const sizes = [0, 1, 3, 4, 12, 13, 100, 40, 300, 299, 5000, 7, 60_000, 64_000, 2, 0];
    for (const n of sizes) {
      const value = 'x'.repeat(Math.max(0, n - 1)) + (n > 0 ? String.fromCharCode(n % 256) : '');
      db.set('k', value, NO_EXPIRY);
      assert.equal(db.size(), 1);
      assert.equal(db.get('k', 0), value, `length ${n}`);
      assert.equal(getViaBytes(db, 'k'), value);
      // Exactly one live record, in the class of the current size.
      assert.equal(db.arenaStats().liveBytes, SIZE_CLASS_BYTES[sizeClassOf(RECORD_HEADER + 1 + n)]);
    }
    // A neighbour written before and after the overwrites is untouched.
    db.set('n', 'neighbour', NO_EXPIRY);
    for (const n of sizes) db.set('k', 'y'.repeat(n), NO_EXPIRY);
    assert.equal(db.get('n', 0), 'neighbour');
  });

  test('rewriting the same keys many times allocates no more pages; deleted records are reused', () => {
    const db = new ArenaDatabase(0, SMALL);
    const KEYS = 3000;
    const lengths = [5, 40, 200, 900];
    const round = (r: number): void => {
      for (let i = 0; i < KEYS; i++) db.set(`key:${i}`, 'v'.repeat(lengths[(i + r) % lengths.length]!), NO_EXPIRY);
    };
    round(0);
    round(1);
    round(2);
    round(3);
    const pages = db.arenaStats().pages;
    assert.ok(pages > 5, `several 64 KB pages in use (${pages})`);
    for (let r = 4; r < 40; r++) round(r);
    assert.equal(db.arenaStats().pages, pages);
    for (let i = 0; i < KEYS; i++) assert.equal(db.get(`key:${i}`, 0), 'v'.repeat(lengths[(i + 39) % lengths.length]!));
    // Delete everything and load it again: the free lists serve it all.
    for (let i = 0; i < KEYS; i++) db.delete(`key:${i}`, 0);
    assert.equal(db.arenaStats().liveBytes, 0);
    round(39);
    assert.equal(db.arenaStats().pages, pages);
    assert.equal(db.size(), KEYS);
  });

  test('binary keys and values with every byte 0..255 round-trip through strings and bytes', () => {
    const db = new ArenaDatabase(0, SMALL);
    const all = allBytes();
    db.set(all, all, NO_EXPIRY);
    assert.equal(db.get(all, 0), all);
    assert.equal(getViaBytes(db, all), all);
    const rev = [...all].reverse().join('');
    const k = bytes(rev);
    db.setBytes(k, 0, k.length, k, 0, k.length, NO_EXPIRY);
    assert.equal(db.get(rev, 0), rev);
    for (let i = 0; i < 256; i++) {
      const one = String.fromCharCode(i);
      db.set(one, `${i}`, NO_EXPIRY);
      db.set(`k${one}`, one, NO_EXPIRY);
    }
    for (let i = 0; i < 256; i++) {
      const one = String.fromCharCode(i);
      assert.equal(db.get(one, 0), `${i}`);
      assert.equal(getViaBytes(db, `k${one}`), one);
    }
    assert.equal(db.size(), 2 + 512);
    assert.deepEqual(new Set(db.keys(null, 0)).size, 514);
    assert.ok(db.keys(null, 0).includes(all));
  });

  test('the empty key and the empty value are ordinary entries', () => {
    const db = new ArenaDatabase(0, SMALL);
    db.set('', '', NO_EXPIRY);
    assert.equal(db.get('', 0), '');
    assert.equal(getViaBytes(db, ''), '');
    assert.equal(db.has('', 0), true);
    db.set('e', '', NO_EXPIRY);
    assert.equal(db.get('e', 0), '');
    assert.deepEqual(db.keys(null, 0).sort(), ['', 'e']);
    assert.deepEqual(scanAll(db, 10, 0).sort(), ['', 'e']);
    assert.equal(db.delete('', 0), true);
    assert.equal(db.get('', 0), undefined);
  });

  test('a key longer than 64 KB gets a page of its own, released on delete and on overwrite', () => {
    const db = new ArenaDatabase(0, SMALL);
    const long = 'L'.repeat(70_000) + 'end';
    const other = 'L'.repeat(70_000) + 'eNd';
    db.set(long, 'small', NO_EXPIRY);
    db.set(other, 'v'.repeat(100_000), 1000);
    assert.equal(db.arenaStats().hugePages, 2);
    assert.equal(db.get(long, 0), 'small');
    assert.equal(getViaBytes(db, other), LOOKUP_VALUE);
    assert.equal(db.get(other, 0), 'v'.repeat(100_000));
    assert.equal(db.getExpire(other), 1000);
    db.set(long, 'another value', KEEP_TTL);
    assert.equal(db.get(long, 0), 'another value');
    assert.equal(db.arenaStats().hugePages, 2);
    assert.deepEqual(db.keys('L*end', 0), [long]);
    assert.equal(db.delete(long, 0), true);
    assert.equal(db.arenaStats().hugePages, 1);
    assert.equal(db.get(long, 0), undefined);
    // A freed page index is reused.
    db.set(long + '2', 'x', NO_EXPIRY);
    assert.equal(db.arenaStats().hugePages, 2);
    assert.equal(db.get(long + '2', 0), 'x');
    assert.equal(db.get(other, 0), 'v'.repeat(100_000));
  });

  test('values past the largest class are kept as strings in the object table, from set and setBytes', () => {
    const db = new ArenaDatabase(0, SMALL);
    const big = 'b'.repeat(MAX_CLASS_SIZE);
    db.set('big', big, NO_EXPIRY);
    assert.equal(db.arenaStats().objects, 1);
    assert.equal(getViaBytes(db, 'big'), LOOKUP_VALUE);
    assert.equal(db.get('big', 0), big);
    const raw = Buffer.alloc(200_000, 0xfe);
    db.setBytes(bytes('bb'), 0, 2, raw, 0, raw.length, NO_EXPIRY);
    assert.equal(db.arenaStats().objects, 2);
    assert.equal(db.get('bb', 0), raw.toString('latin1'));
    // Back to a small value: the object is released and the bytes are inline.
    db.set('big', 'small', NO_EXPIRY);
    assert.equal(db.arenaStats().objects, 1);
    assert.equal(getViaBytes(db, 'big'), 'small');
    db.delete('bb', 0);
    assert.equal(db.arenaStats().objects, 0);
  });

  test('get returns the very RawString or typed object stored, so APPEND can grow it in place', () => {
    const db = new ArenaDatabase(0, SMALL);
    const rs = new RawString(Buffer.from('abc'), 3);
    db.set('r', rs, NO_EXPIRY);
    assert.equal(db.get('r', 0), rs);
    assert.equal(getViaBytes(db, 'r'), LOOKUP_VALUE);
    rs.buf = Buffer.from('abcdef');
    rs.length = 6;
    assert.equal((db.get('r', 0) as RawString).bytes().toString(), 'abcdef');
    const typed: TypedValue = { type: 'hash' };
    db.set('r', typed, KEEP_TTL);
    assert.equal(db.get('r', 0), typed);
    assert.equal(db.arenaStats().objects, 1);
    let visited: StoredValue | undefined;
    db.scan(0, 10, 0, (_k, v) => (visited = v));
    assert.equal(visited, typed);
    db.set('r', 'plain', NO_EXPIRY);
    assert.equal(db.arenaStats().objects, 0);
    assert.equal(db.get('r', 0), 'plain');
    // Handles are reused.
    for (let i = 0; i < 100; i++) db.set(`o${i}`, new RawString(Buffer.alloc(1), 1), NO_EXPIRY);
    for (let i = 0; i < 100; i++) db.delete(`o${i}`, 0);
    const again = new RawString(Buffer.from('z'), 1);
    db.set('o', again, NO_EXPIRY);
    assert.equal(db.get('o', 0), again);
    assert.equal(db.arenaStats().objects, 1);
  });
});

describe('ArenaDatabase - a write right after a read of the same key', () => {
  // store() reuses the record find() found last, and where it sits in its
  // chain, while no chain has changed since. Keys chosen to share one bucket
  // of a 64-bucket table make each change below hit that chain: a stale
  // position would relink through a freed record or drop a neighbour.
  const BUCKETS = 64;
  function sameBucket(n: number): string[] {
    const want = hashBytes(bytes('target'), 0, 6, HASH_SEED) & (BUCKETS - 1);
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) {
      const k = bytes(`c${i}`);
      if ((hashBytes(k, 0, k.length, HASH_SEED) & (BUCKETS - 1)) === want) out.push(`c${i}`);
    }
    return out;
  }
  /** Reads `key` as GET does, runs `change`, then writes `key` a value of another size class, as INCR does. */
  function readChangeWrite(db: ArenaDatabase, key: string, change: () => void): void {
    assert.equal(typeof getViaBytes(db, key), 'string');
    change();
    const k = bytes(key);
    const v = bytes('w'.repeat(200));
    db.setBytes(k, 0, k.length, v, 0, v.length, KEEP_TTL);
  }
  function chain(): { db: ArenaDatabase; keys: string[] } {
    const db = new ArenaDatabase(0, { initialBuckets: BUCKETS, pageSize: 64 * 1024 });
    const keys = sameBucket(4);
    // Inserted at the head: the chain reads keys[3] → keys[2] → keys[1] → keys[0].
    for (const k of keys) db.set(k, 'v', NO_EXPIRY);
    return { db, keys };
  }

  test('the record before it moved to a bigger record in between', () => {
    const { db, keys } = chain();
    readChangeWrite(db, keys[0]!, () => db.set(keys[1]!, 'z'.repeat(100), NO_EXPIRY));
    assert.equal(db.get(keys[0]!, 0), 'w'.repeat(200));
    assert.equal(db.get(keys[1]!, 0), 'z'.repeat(100));
    assert.deepEqual(db.keys(null, 0).sort(), [...keys].sort());
  });

  test('a new key went in front of it in between', () => {
    const { db, keys } = chain();
    const [extra] = sameBucket(5).slice(4);
    readChangeWrite(db, keys[3]!, () => db.set(extra!, 'new', NO_EXPIRY));
    assert.equal(db.get(extra!, 0), 'new');
    assert.equal(db.get(keys[3]!, 0), 'w'.repeat(200));
    assert.equal(db.size(), 5);
    assert.deepEqual(db.keys(null, 0).sort(), [...keys, extra!].sort());
  });

  test('the record before it was deleted in between', () => {
    const { db, keys } = chain();
    readChangeWrite(db, keys[1]!, () => db.delete(keys[2]!, 0));
    assert.equal(db.get(keys[1]!, 0), 'w'.repeat(200));
    assert.deepEqual(db.keys(null, 0).sort(), [keys[0]!, keys[1]!, keys[3]!].sort());
  });

  test('active expiry reclaimed the record before it in between', () => {
    const { db, keys } = chain();
    db.setExpire(keys[2]!, 10);
    const out = { checked: 0, expired: 0 };
    readChangeWrite(db, keys[1]!, () => db.expireStep(20, 10, out));
    assert.equal(out.expired, 1);
    assert.equal(db.get(keys[1]!, 30), 'w'.repeat(200));
    assert.deepEqual(db.keys(null, 30).sort(), [keys[0]!, keys[1]!, keys[3]!].sort());
  });

  test('the key itself was deleted, or everything cleared, in between', () => {
    const a = chain();
    readChangeWrite(a.db, a.keys[2]!, () => a.db.delete(a.keys[2]!, 0));
    assert.equal(a.db.size(), 4);
    assert.equal(a.db.get(a.keys[2]!, 0), 'w'.repeat(200));
    const b = chain();
    readChangeWrite(b.db, b.keys[2]!, () => b.db.clear());
    assert.deepEqual(b.db.keys(null, 0), [b.keys[2]!]);
  });

  test('nothing changed: INCR-like rewrites of many keys stay right', () => {
    const db = new ArenaDatabase(0, SMALL);
    for (let i = 0; i < 500; i++) db.set(`n${i}`, '0', NO_EXPIRY);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 500; i++) {
        const k = bytes(`n${i}`);
        const next = bytes(String(Number(getViaBytes(db, `n${i}`)) + (round === 2 ? 1e9 : 1)));
        db.setBytes(k, 0, k.length, next, 0, next.length, KEEP_TTL);
      }
    }
    for (let i = 0; i < 500; i++) assert.equal(db.get(`n${i}`, 0), String(1e9 + 2));
  });
});

describe('ArenaDatabase - setFoundBytes', () => {
  const view = new ByteView();
  const found = (db: ArenaDatabase, key: string): number => {
    const k = bytes(key);
    return db.getBytes(k, 0, k.length, 0, view);
  };
  const put = (db: ArenaDatabase, value: string, expireAt = KEEP_TTL): void => {
    const v = bytes(value);
    db.setFoundBytes(v, 0, v.length, expireAt);
  };

  test('replaces the value of the key getBytes just found: same class in place, another class moved, TTL kept or cleared', () => {
    const db = new ArenaDatabase(0, SMALL);
    for (let i = 0; i < 200; i++) db.set(`f${i}`, String(i), i % 3 === 0 ? 5000 : NO_EXPIRY);
    for (let i = 0; i < 200; i++) {
      assert.equal(found(db, `f${i}`), LOOKUP_BYTES);
      put(db, i % 2 === 0 ? String(i + 1) : 'x'.repeat(100 + i));
    }
    assert.equal(db.size(), 200);
    for (let i = 0; i < 200; i++) {
      assert.equal(db.get(`f${i}`, 0), i % 2 === 0 ? String(i + 1) : 'x'.repeat(100 + i));
      assert.equal(db.getExpire(`f${i}`), i % 3 === 0 ? 5000 : NO_EXPIRY);
    }
    assert.equal(found(db, 'f0'), LOOKUP_BYTES);
    put(db, 'plain', NO_EXPIRY);
    assert.equal(db.getExpire('f0'), NO_EXPIRY);
    assert.deepEqual(db.keys(null, 0).length, 200);
  });

  test('refuses when the last call did not find that key as bytes', () => {
    const db = new ArenaDatabase(0, SMALL);
    db.set('a', '1', NO_EXPIRY);
    db.set('b', '2', NO_EXPIRY);
    db.set('obj', new RawString(Buffer.from('raw'), 3), NO_EXPIRY);
    const refused = /must follow a getBytes/;
    assert.throws(() => put(db, 'x'), refused); // nothing found yet
    assert.equal(found(db, 'nope'), LOOKUP_MISSING);
    assert.throws(() => put(db, 'x'), refused);
    assert.equal(found(db, 'obj'), LOOKUP_VALUE);
    assert.throws(() => put(db, 'x'), refused);
    assert.equal(found(db, 'a'), LOOKUP_BYTES);
    db.has('b', 0); // another lookup in between
    assert.throws(() => put(db, 'x'), refused);
    assert.equal(found(db, 'a'), LOOKUP_BYTES);
    db.set('c', '3', NO_EXPIRY); // a change in between
    assert.throws(() => put(db, 'x'), refused);
    assert.deepEqual([db.get('a', 0), db.get('b', 0), db.get('c', 0)], ['1', '2', '3']);
  });
});

describe('ArenaDatabase - TTLs', () => {
  test('set with a time, getExpire, setExpire, persist, KEEP_TTL and NO_EXPIRY', () => {
    const db = new ArenaDatabase(0, SMALL);
    db.set('a', 'v', 5000);
    db.set('b', 'v', NO_EXPIRY);
    assert.equal(db.getExpire('a'), 5000);
    assert.equal(db.getExpire('b'), NO_EXPIRY);
    assert.equal(db.getExpire('none'), NO_EXPIRY);
    assert.equal(db.expiresCount(), 1);
    db.setExpire('b', 7000);
    db.setExpire('none', 7000);
    assert.equal(db.getExpire('b'), 7000);
    assert.equal(db.expiresCount(), 2);
    assert.equal(db.size(), 2);
    // KEEP_TTL through an in-place overwrite and through a new record.
    db.set('a', 'w', KEEP_TTL);
    assert.equal(db.getExpire('a'), 5000);
    db.set('a', 'w'.repeat(3000), KEEP_TTL);
    assert.equal(db.getExpire('a'), 5000);
    db.set('a', new RawString(Buffer.from('x'), 1), KEEP_TTL);
    assert.equal(db.getExpire('a'), 5000);
    db.set('a', 'v', 6000);
    assert.equal(db.getExpire('a'), 6000);
    assert.equal(db.expiresCount(), 2);
    db.set('a', 'v', NO_EXPIRY);
    assert.equal(db.getExpire('a'), NO_EXPIRY);
    assert.equal(db.expiresCount(), 1);
    assert.equal(db.persist('a'), false);
    assert.equal(db.persist('b'), true);
    assert.equal(db.persist('b'), false);
    assert.equal(db.persist('none'), false);
    assert.equal(db.expiresCount(), 0);
  });

  test('a key past its time is absent to get, getBytes, has and delete, and reported as a lazy expiry', () => {
    const expired: string[] = [];
    const db = new ArenaDatabase(0, { ...SMALL, onLazyExpire: (k) => expired.push(k) });
    for (const k of ['g', 'b', 'h', 'd', 'live']) db.set(k, 'v', k === 'live' ? 2000 : 1000);
    assert.equal(db.get('g', 999), 'v');
    assert.equal(db.get('g', 1000), undefined);
    assert.equal(getViaBytes(db, 'b', 1000), LOOKUP_MISSING);
    assert.equal(db.has('h', 1500), false);
    assert.equal(db.delete('d', 1000), false);
    assert.deepEqual(expired, ['g', 'b', 'h', 'd']);
    assert.equal(db.size(), 1);
    assert.equal(db.expiresCount(), 1);
    assert.equal(db.delete('live', 1999), true);
    assert.deepEqual(expired, ['g', 'b', 'h', 'd']);
  });

  test('expireStep reclaims exactly the expired keys among thousands; the other TTLs stay right', () => {
    const db = new ArenaDatabase(0, SMALL);
    const N = 5000;
    const at = (i: number): number => 1000 + (i % 7) * 100; // times 1000..1600
    for (let i = 0; i < N; i++) db.set(`t:${i}`, `v${i}`, at(i));
    for (let i = 0; i < N; i += 3) db.persist(`t:${i}`); // holes filled by swap-remove
    for (let i = 0; i < 500; i++) db.set(`plain:${i}`, 'v', NO_EXPIRY);
    const withTtl = (i: number): boolean => i % 3 !== 0;
    assert.equal(db.expiresCount(), N - Math.ceil(N / 3));
    const now = 1300; // expires i % 7 in 0..3
    const out = { checked: 0, expired: 0 };
    let expired = 0;
    let steps = 0;
    // A step never examines more than asked, and a full pass finishes.
    for (let checked = 0; checked < 2 * N; checked += out.checked) {
      db.expireStep(now, 20, out);
      assert.ok(out.checked <= 20 && out.checked > 0);
      expired += out.expired;
      steps++;
    }
    let want = 0;
    for (let i = 0; i < N; i++) if (withTtl(i) && at(i) <= now) want++;
    assert.equal(expired, want);
    assert.ok(steps > 100);
    assert.equal(db.size(), N + 500 - want);
    for (let i = 0; i < N; i++) {
      const gone = withTtl(i) && at(i) <= now;
      assert.equal(db.get(`t:${i}`, 0), gone ? undefined : `v${i}`, `t:${i}`);
      assert.equal(db.getExpire(`t:${i}`), gone || !withTtl(i) ? NO_EXPIRY : at(i), `t:${i}`);
    }
    assert.equal(db.expiresCount(), N - Math.ceil(N / 3) - want);
    // Everything else expires later. The walk is mid-pass: finishing it and
    // one whole pass (at most twice the count) reclaims them all.
    const left = db.expiresCount();
    for (let checked = 0; checked < 2 * left; checked += out.checked) {
      db.expireStep(10_000, 1000, out);
      if (out.checked === 0) break;
    }
    assert.equal(db.expiresCount(), 0);
    assert.equal(db.size(), Math.ceil(N / 3) + 500);
    db.expireStep(10_000, 20, out);
    assert.deepEqual(out, { checked: 0, expired: 0 });
  });
});

describe('ArenaDatabase - incremental rehashing and SCAN', () => {
  for (const prefault of [false, true]) test(`growing from 4 buckets through many doublings while reading, deleting and scanning mid-rehash${prefault ? ', tables faulted in first' : ''}`, () => {
    const db = new ArenaDatabase(0, { ...SMALL, prefaultBuckets: prefault ? 64 : 2 ** 30 });
    let sawSpare = 0;
    const model = new Map<string, string>();
    let sawRehash = 0;
    for (let i = 0; i < 40_000; i++) {
      const k = `key:${i}`;
      db.set(k, `v${i}`, NO_EXPIRY);
      model.set(k, `v${i}`);
      if (db.arenaStats().spareBuckets > 0) sawSpare++;
      if (db.arenaStats().rehashing) {
        sawRehash++;
        const j = (i * 7919) % (i + 1);
        assert.equal(db.get(`key:${j}`, 0), model.get(`key:${j}`));
        if (i % 5 === 0) {
          assert.equal(db.delete(`key:${j}`, 0), model.delete(`key:${j}`));
        }
        if (i % 4999 === 0) {
          const keys = scanAll(db, 50, 0);
          assert.equal(keys.length, model.size);
          assert.equal(new Set(keys).size, model.size);
        }
      }
    }
    assert.ok(sawRehash > 1000, `rehashes seen (${sawRehash})`);
    assert.equal(sawSpare > 0, prefault, `spares seen (${sawSpare})`);
    assert.equal(db.size(), model.size);
    // Grown to hold every key, or about to (its next table being faulted in).
    assert.ok(db.arenaStats().buckets >= model.size || db.arenaStats().spareBuckets > 0);
    for (const [k, v] of model) assert.equal(db.get(k, 0), v);
    // Shrink: delete nearly everything, then the table rehashes down.
    const keys = [...model.keys()];
    for (let i = 0; i < keys.length - 100; i++) db.delete(keys[i]!, 0);
    for (let i = 0; i < 100_000 && db.arenaStats().rehashing; i++) db.has('x', 0);
    assert.ok(db.arenaStats().buckets <= 256, `shrunk to ${db.arenaStats().buckets} buckets`);
    for (let i = keys.length - 100; i < keys.length; i++) assert.equal(db.get(keys[i]!, 0), model.get(keys[i]!));
    assert.equal(db.size(), 100);
  });

  test('a big table to grow into is faulted in first: the rehash starts 16 new keys per page later, every key readable meanwhile', () => {
    // 4,096 buckets (16 KB, 4 pages) is the first table made a spare here.
    const db = new ArenaDatabase(0, { ...SMALL, prefaultBuckets: 4096 });
    let i = 0;
    const add = (): void => {
      db.set(`key:${i}`, `v${i}`, NO_EXPIRY);
      i++;
    };
    while (db.arenaStats().spareBuckets === 0) {
      add();
      assert.ok(i <= 2048, 'a spare by the time 2,048 buckets are full');
    }
    assert.equal(i, 2048, 'the spare comes when the table is full');
    while (db.arenaStats().rehashing) db.has('x', 0);
    assert.deepEqual([db.arenaStats().buckets, db.arenaStats().spareBuckets], [2048, 4096]);
    // Overwrites of existing keys do not bring the rehash closer.
    for (let j = 0; j < 1000; j++) db.set(`key:${j}`, `w${j}`, NO_EXPIRY);
    let extra = 0;
    while (!db.arenaStats().rehashing) {
      assert.equal(db.arenaStats().spareBuckets, 4096);
      add();
      extra++;
      assert.ok(extra <= 4 * 16, `the rehash starts within 64 new keys (${extra})`);
    }
    assert.equal(extra, 4 * 16 - 1, 'one touch per 16 new keys that find the table full, the first at 2,048');
    assert.deepEqual([db.arenaStats().buckets, db.arenaStats().spareBuckets], [2048 + 4096, 0]);
    while (db.arenaStats().rehashing) db.has('x', 0);
    assert.equal(db.arenaStats().buckets, 4096);
    for (let j = 0; j < i; j++) assert.equal(db.get(`key:${j}`, 0), j < 1000 ? `w${j}` : `v${j}`);
    assert.equal(db.size(), i);
  });

  test('active expiry steps fault in a spare too; a shrink drops it and uses its table at once', () => {
    const db = new ArenaDatabase(0, { ...SMALL, prefaultBuckets: 4096 });
    // The first spare, 4,096 buckets (4 pages), is faulted in by one step (up to 64 pages).
    let i = 0;
    while (db.arenaStats().spareBuckets === 0) db.set(`key:${i++}`, 'v', NO_EXPIRY);
    assert.equal(db.arenaStats().spareBuckets, 2 * i);
    while (db.arenaStats().rehashing) db.has('x', 0);
    db.expireStep(0, 10, { checked: 0, expired: 0 });
    assert.equal(db.arenaStats().rehashing, false, 'the step only prepares');
    db.set(`key:${i++}`, 'v', NO_EXPIRY);
    assert.equal(db.arenaStats().rehashing, true, 'the next new key starts the rehash');
    assert.equal(db.arenaStats().spareBuckets, 0);
    while (db.arenaStats().rehashing) db.has('x', 0);
    // Back to full, a spare again; then deleting nearly everything shrinks at once.
    while (db.arenaStats().spareBuckets === 0) db.set(`key:${i++}`, 'v', NO_EXPIRY);
    while (db.arenaStats().rehashing) db.has('x', 0);
    for (let j = 20; j < i; j++) db.delete(`key:${j}`, 0);
    assert.equal(db.arenaStats().spareBuckets, 0, 'the spare was dropped');
    while (db.arenaStats().rehashing) db.has('x', 0);
    assert.ok(db.arenaStats().buckets <= 32, `shrunk to ${db.arenaStats().buckets}`);
    for (let j = 0; j < 20; j++) assert.equal(db.get(`key:${j}`, 0), 'v');
  });

  test('SCAN returns every key exactly once, whatever the COUNT', () => {
    const db = new ArenaDatabase(0, SMALL);
    for (let i = 0; i < 5000; i++) db.set(`{tag}:${i}`, 'v', NO_EXPIRY);
    for (const count of [1, 3, 10, 1000, 100_000]) {
      const keys = scanAll(db, count, 0);
      assert.equal(keys.length, 5000, `COUNT ${count}`);
      assert.equal(new Set(keys).size, 5000, `COUNT ${count}`);
    }
    assert.equal(db.scan(2 ** 32, 10, 0, () => assert.fail('no key for a foreign cursor')), -1);
  });

  test('SCAN - keys present throughout are returned exactly once while the table grows', () => {
    const db = new ArenaDatabase(0, SMALL);
    const stable: string[] = [];
    for (let i = 0; i < 2000; i++) {
      stable.push(`stable:${i}`);
      db.set(`stable:${i}`, 'v', NO_EXPIRY);
      db.set(`churn:${i}`, 'v', NO_EXPIRY);
    }
    const before = db.arenaStats().buckets;
    let added = 0;
    const keys = scanAll(db, 5, 0, (step) => {
      for (let j = 0; j < 4; j++) {
        db.delete(`churn:${step * 4 + j}`, 0);
        db.set(`new:${added++}`, 'v', NO_EXPIRY);
        db.set(`new:${added++}`, 'v', NO_EXPIRY);
      }
    });
    assert.ok(db.arenaStats().buckets >= before * 4, 'the table grew at least twice during the scan');
    assertEachOnce(keys, stable);
  });

  test('SCAN - keys present throughout are returned exactly once while the table shrinks', () => {
    const db = new ArenaDatabase(0, SMALL);
    const stable: string[] = [];
    for (let i = 0; i < 300; i++) {
      stable.push(`stable:${i}`);
      db.set(`stable:${i}`, 'v', NO_EXPIRY);
    }
    for (let i = 0; i < 30_000; i++) db.set(`churn:${i}`, 'v', NO_EXPIRY);
    const before = db.arenaStats().buckets;
    let next = 0;
    let stepsAfterShrink = 0;
    const keys = scanAll(db, 20, 0, () => {
      for (let j = 0; j < 600 && next < 30_000; j++) db.delete(`churn:${next++}`, 0);
      // Reads, as on a busy server, move the rehash along.
      for (let j = 0; j < 300; j++) db.has(`stable:${j}`, 0);
      if (db.arenaStats().buckets * 16 <= before) stepsAfterShrink++;
    });
    assert.equal(next, 30_000, 'every churn key was deleted during the scan');
    assert.ok(stepsAfterShrink > 3, `the scan went on in a table shrunk from ${before} buckets (${stepsAfterShrink} steps)`);
    assertEachOnce(keys, stable);
  });

  test('SCAN and KEYS skip expired keys without deleting them', () => {
    const db = new ArenaDatabase(0, SMALL);
    for (let i = 0; i < 1000; i++) db.set(`k:${i}`, 'v', i % 2 === 0 ? 100 : NO_EXPIRY);
    assert.equal(scanAll(db, 10, 100).length, 500);
    assert.equal(scanAll(db, 10, 99).length, 1000);
    assert.equal(db.keys(null, 100).length, 500);
    assert.equal(db.keys('k:1?', 100).length, 5);
    assert.equal(db.size(), 1000);
  });
});

describe('ArenaDatabase - randomKey and clear', () => {
  test('randomKey: null when empty, any live key, and expired picks are deleted on the way', () => {
    const expired: string[] = [];
    const db = new ArenaDatabase(0, { ...SMALL, onLazyExpire: (k) => expired.push(k) });
    assert.equal(db.randomKey(0), null);
    for (let i = 0; i < 50; i++) db.set(`k:${i}`, 'v', NO_EXPIRY);
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) seen.add(db.randomKey(0)!);
    assert.ok(seen.size > 30, `spread over keys (${seen.size})`);
    for (const k of seen) assert.ok(db.has(k, 0));
    const db2 = new ArenaDatabase(0, { ...SMALL, onLazyExpire: (k) => expired.push(k) });
    for (let i = 0; i < 200; i++) db2.set(`e:${i}`, 'v', 10);
    db2.set('live', 'v', NO_EXPIRY);
    assert.equal(db2.randomKey(10), 'live');
    assert.ok(expired.length > 0 && expired.every((k) => k.startsWith('e:')));
    assert.equal(db2.size(), 201 - expired.length);
    for (let i = 0; i < 200; i++) db2.delete(`e:${i}`, 10);
    assert.equal(db2.size(), 1);
    db2.delete('live', 0);
    assert.equal(db2.randomKey(0), null);
  });

  test('clear drops every page, object and TTL; the database works again after', () => {
    const db = new ArenaDatabase(0, SMALL);
    for (let i = 0; i < 5000; i++) db.set(`k:${i}`, 'v'.repeat(i % 50), i % 2 === 0 ? 100 : NO_EXPIRY);
    db.set('obj', new RawString(Buffer.from('x'), 1), NO_EXPIRY);
    db.set('L'.repeat(70_000), 'v', NO_EXPIRY);
    db.clear();
    assert.equal(db.size(), 0);
    assert.equal(db.expiresCount(), 0);
    assert.deepEqual(db.arenaStats(), { pages: 0, hugePages: 0, pageBytes: 0, liveBytes: 0, freeBytes: 0, objects: 0, buckets: 4, rehashing: false, spareBuckets: 0, longKeys: 0 });
    assert.equal(db.get('k:1', 0), undefined);
    assert.equal(db.randomKey(0), null);
    assert.deepEqual(scanAll(db, 10, 0), []);
    db.set('k:1', 'again', 50);
    assert.equal(db.get('k:1', 0), 'again');
    assert.equal(db.getExpire('k:1'), 50);
    assert.equal(db.size(), 1);
  });
});

describe('ArenaDatabase - model test', () => {
  type Op =
    | { op: 'set'; key: string; value: string; ttl: number }
    | { op: 'setBytes'; key: string; value: string; ttl: number }
    | { op: 'setObj'; key: string }
    | { op: 'get' | 'getBytes' | 'has' | 'del' | 'persist' | 'getExpire'; key: string }
    | { op: 'expire'; key: string; at: number }
    | { op: 'advance'; ms: number }
    | { op: 'step'; max: number }
    | { op: 'scan' | 'keys' | 'random' | 'clear' };

  const key = fc.oneof(
    fc.constantFrom('a', 'b', 'c', '', 'key:1', 'key:2'),
    fc.integer({ min: 0, max: 300 }).map((i) => `k${i}`),
    fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a).toString('latin1')),
  );
  const value = fc.oneof(
    fc.string({ maxLength: 8 }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
    fc.integer({ min: 0, max: 3000 }).map((n) => 'x'.repeat(n)),
    fc.constantFrom('y'.repeat(MAX_CLASS_SIZE + 10)),
  );
  // KEEP_TTL, NO_EXPIRY or a time up to 50 ms from the model's clock.
  const ttl = fc.oneof(fc.constant(KEEP_TTL), fc.constant(NO_EXPIRY), fc.integer({ min: 0, max: 50 }));
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 60, arbitrary: fc.record({ op: fc.constant('set' as const), key, value, ttl }) },
    { weight: 40, arbitrary: fc.record({ op: fc.constant('setBytes' as const), key, value, ttl }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constant('setObj' as const), key }) },
    { weight: 80, arbitrary: fc.record({ op: fc.constantFrom('get' as const, 'getBytes' as const, 'has' as const, 'del' as const, 'persist' as const, 'getExpire' as const), key }) },
    { weight: 20, arbitrary: fc.record({ op: fc.constant('expire' as const), key, at: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 20 }) }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constant('step' as const), max: fc.integer({ min: 1, max: 30 }) }) },
    { weight: 10, arbitrary: fc.record({ op: fc.constantFrom('scan' as const, 'keys' as const, 'random' as const) }) },
    { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
  );

  test('random operation sequences behave as a Map with expiry times', () => {
    fc.assert(
      // prefault: every table from 8 buckets up is a spare before its rehash.
      fc.property(fc.boolean(), fc.array(op, { maxLength: 300 }), (prefault, ops) => {
        const db = new ArenaDatabase(0, prefault ? { ...SMALL, prefaultBuckets: 8 } : SMALL);
        const values = new Map<string, StoredValue>();
        const expires = new Map<string, number>();
        let now = 1000;
        const live = (k: string): boolean => values.has(k) && !((expires.get(k) ?? Infinity) <= now);
        // The model's lazy expiry: a lookup of an expired key forgets it.
        const touch = (k: string): void => {
          if (values.has(k) && !live(k)) {
            values.delete(k);
            expires.delete(k);
          }
        };
        const modelSet = (k: string, v: StoredValue, t: number): void => {
          values.set(k, v);
          if (t === NO_EXPIRY) expires.delete(k);
          else if (t !== KEEP_TTL) expires.set(k, now + t);
        };
        const liveKeys = (): string[] => [...values.keys()].filter(live).sort();
        /** Drops from the model the expired keys the store no longer holds; returns how many, asserting they had expired. */
        const forgetReclaimed = (): number => {
          const held = new Set(db.keys(null, 0));
          let n = 0;
          for (const k of [...values.keys()]) {
            if (held.has(k)) continue;
            assert.ok(!live(k), `${JSON.stringify(k)} was live`);
            values.delete(k);
            expires.delete(k);
            n++;
          }
          return n;
        };
        for (const o of ops) {
          switch (o.op) {
            case 'set':
              db.set(o.key, o.value, o.ttl >= 0 ? now + o.ttl : o.ttl);
              modelSet(o.key, o.value, o.ttl);
              break;
            case 'setBytes': {
              const k = bytes(o.key);
              const v = bytes(o.value);
              db.setBytes(k, 0, k.length, v, 0, v.length, o.ttl >= 0 ? now + o.ttl : o.ttl);
              modelSet(o.key, o.value, o.ttl);
              break;
            }
            case 'setObj': {
              const rs = new RawString(Buffer.from('raw'), 3);
              db.set(o.key, rs, KEEP_TTL);
              modelSet(o.key, rs, KEEP_TTL);
              break;
            }
            case 'get':
              touch(o.key);
              assert.equal(db.get(o.key, now), values.get(o.key));
              break;
            case 'getBytes': {
              touch(o.key);
              const want = values.get(o.key);
              const got = getViaBytes(db, o.key, now);
              if (want === undefined) assert.equal(got, LOOKUP_MISSING);
              else if (typeof want === 'string' && want.length + o.key.length + RECORD_HEADER <= MAX_CLASS_SIZE) assert.equal(got, want);
              else assert.equal(got, LOOKUP_VALUE);
              break;
            }
            case 'has':
              touch(o.key);
              assert.equal(db.has(o.key, now), values.has(o.key));
              break;
            case 'del': {
              const was = live(o.key);
              assert.equal(db.delete(o.key, now), was);
              values.delete(o.key);
              expires.delete(o.key);
              break;
            }
            case 'persist':
              assert.equal(db.persist(o.key), values.has(o.key) && expires.delete(o.key));
              break;
            case 'getExpire':
              assert.equal(db.getExpire(o.key), values.has(o.key) ? (expires.get(o.key) ?? NO_EXPIRY) : NO_EXPIRY);
              break;
            case 'expire':
              db.setExpire(o.key, now + o.at);
              if (values.has(o.key)) expires.set(o.key, now + o.at);
              break;
            case 'advance':
              now += o.ms;
              break;
            case 'step': {
              const out = { checked: 0, expired: 0 };
              const before = values.size;
              db.expireStep(now, o.max, out);
              assert.ok(out.checked <= o.max && out.expired <= out.checked);
              assert.equal(db.size(), before - out.expired);
              // Whatever it reclaimed had expired: sync the model to the store.
              assert.equal(forgetReclaimed(), out.expired);
              break;
            }
            case 'scan':
              assert.deepEqual(scanAll(db, 3, now).sort(), liveKeys());
              break;
            case 'keys':
              assert.deepEqual(db.keys(null, now).sort(), liveKeys());
              break;
            case 'random': {
              const k = db.randomKey(now);
              forgetReclaimed();
              if (k === null) assert.equal(liveKeys().length, 0);
              else assert.ok(live(k), `random key ${JSON.stringify(k)} is live`);
              break;
            }
            case 'clear':
              db.clear();
              values.clear();
              expires.clear();
              break;
          }
          assert.equal(db.size(), values.size);
          assert.equal(db.expiresCount(), [...expires.keys()].filter((k) => values.has(k)).length);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('a server on ArenaDatabase', () => {
  const TAGGED = 5000; // one hash tag: nothing in the store depends on slots
  const SPREAD = 2000;
  let srv: TestServer;
  let r: Redis;

  before(async () => {
    srv = await startTestServer();
    r = new Redis({ port: srv.port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    const p = r.pipeline();
    for (let i = 0; i < TAGGED; i++) p.set(`{tag}:${i}`, `v${i}`);
    for (let i = 0; i < SPREAD; i++) p.set(`key:${i}`, `w${i}`);
    await p.exec();
  });

  after(async () => {
    r.disconnect();
    await srv.close();
  });

  test('GET, EXISTS, DEL, RENAME, RANDOMKEY and KEYS over keys sharing one hash tag', async () => {
    assert.equal(srv.server.dbs[0]!.size(), TAGGED + SPREAD);
    assert.equal(await r.get(`{tag}:${TAGGED - 1}`), `v${TAGGED - 1}`);
    assert.equal(await r.get('{tag}:0'), 'v0');
    assert.equal(await r.exists('{tag}:10', '{tag}:4999', 'key:1999', '{tag}:5000'), 3);
    assert.equal(await r.rename('{tag}:5', '{tag}:renamed'), 'OK');
    assert.equal(await r.get('{tag}:renamed'), 'v5');
    assert.equal(await r.exists('{tag}:5'), 0);
    assert.equal(await r.rename('{tag}:renamed', '{tag}:5'), 'OK');
    assert.equal(await r.del('{tag}:7', '{tag}:8', 'key:9'), 3);
    assert.equal(await r.exists('{tag}:7'), 0);
    await r.set('{tag}:7', 'v7');
    await r.set('{tag}:8', 'v8');
    await r.set('key:9', 'w9');
    const random = await r.randomkey();
    assert.ok(random !== null && (await r.exists(random)) === 1);
    assert.equal((await r.keys('*')).length, TAGGED + SPREAD);
    assert.equal((await r.keys('{tag}:2??')).length, 100);
  });

  test('SCAN returns every key exactly once', async () => {
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await r.call('SCAN', cursor, 'COUNT', '50')) as [string, string[]];
      seen.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    assert.equal(seen.length, TAGGED + SPREAD);
    assert.equal(new Set(seen).size, TAGGED + SPREAD);
  });

  test('APPEND and SETRANGE grow a value kept in a record into an object, and back with SET', async () => {
    await r.set('grow', 'abc');
    assert.equal(await r.append('grow', 'def'), 6);
    assert.equal(await r.append('grow', 'ghi'), 9);
    assert.equal(await r.get('grow'), 'abcdefghi');
    assert.equal(await r.setrange('grow', 12, 'Z'), 13);
    assert.equal(await r.getBuffer('grow').then((b) => b!.toString('latin1')), 'abcdefghi\0\0\0Z');
    await r.set('grow', 'small again');
    assert.equal(await r.get('grow'), 'small again');
    const big = 'b'.repeat(100_000);
    await r.set('big', big);
    assert.equal(await r.get('big'), big);
    assert.equal(await r.strlen('big'), 100_000);
  });

  test('FLUSHALL empties the databases and they fill again', async () => {
    await r.select(1);
    await r.set('other', 'db');
    await r.select(0);
    assert.equal(await r.flushall(), 'OK');
    assert.equal(await r.dbsize(), 0);
    assert.equal(srv.server.dbs[1]!.size(), 0);
    assert.equal(await r.get('{tag}:1'), null);
    await r.set('{tag}:1', 'again');
    assert.equal(await r.get('{tag}:1'), 'again');
    assert.equal(await r.dbsize(), 1);
  });
});
