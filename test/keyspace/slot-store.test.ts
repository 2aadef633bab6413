/**
 * The slot-partitioned keyspace past its per-Map limit. A JavaScript Map holds
 * at most 2^24 entries; each slot chains another Map when one is full. These
 * tests lower that limit to 4 so that thousands of keys, many of them in one
 * slot through a hash tag, exercise the chains: every command still works,
 * and SCAN returns every key exactly once, even while the keyspace changes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { SlotDatabase } from '../../src/keyspace/slot-store.js';
import { keyHashSlot } from '../../src/keyspace/slot.js';
import { NO_EXPIRY } from '../../src/keyspace/keyspace.js';
import { startTestServer, type TestServer } from '../helpers.js';

const LIMIT = 4;
const TAGGED = 5000; // 1250 Maps in one slot: past 1024, the chain length an earlier cursor encoding allowed
const SPREAD = 2000;

/** Every key of a full scan of `db` with `count`, duplicates kept. */
function scanAll(db: SlotDatabase, count: number, now: number, between?: (step: number) => void): string[] {
  const out: string[] = [];
  let cursor = 0;
  let step = 0;
  do {
    cursor = db.scan(cursor, count, now, (k) => out.push(k));
    between?.(step++);
    assert.ok(step < 1_000_000, 'scan ends');
  } while (cursor > 0);
  return out;
}

describe('SlotDatabase with a lowered partition limit', () => {
  test('keys in one slot chain many Maps; get, has, delete, keys and randomKey see them all', () => {
    const db = new SlotDatabase(0, { partitionLimit: LIMIT });
    for (let i = 0; i < TAGGED; i++) db.set(`{tag}:${i}`, `v${i}`, NO_EXPIRY);
    for (let i = 0; i < SPREAD; i++) db.set(`key:${i}`, `w${i}`, NO_EXPIRY);
    assert.equal(new Set(Array.from({ length: 10 }, (_, i) => keyHashSlot(`{tag}:${i}`))).size, 1);
    assert.equal(db.size(), TAGGED + SPREAD);
    for (let i = 0; i < TAGGED; i += 7) assert.equal(db.get(`{tag}:${i}`, 0), `v${i}`);
    // Overwriting a key in a later Map keeps one copy.
    db.set(`{tag}:${TAGGED - 1}`, 'new', NO_EXPIRY);
    assert.equal(db.size(), TAGGED + SPREAD);
    assert.equal(db.get(`{tag}:${TAGGED - 1}`, 0), 'new');
    assert.equal(db.keys(null, 0).length, TAGGED + SPREAD);
    assert.equal(db.keys('{tag}:1??', 0).length, 100);
    const k = db.randomKey(0);
    assert.ok(k !== null && db.has(k, 0));
    for (let i = 0; i < TAGGED; i += 2) assert.equal(db.delete(`{tag}:${i}`, 0), true);
    assert.equal(db.size(), TAGGED / 2 + SPREAD);
    assert.equal(db.has('{tag}:0', 0), false);
    assert.equal(db.has('{tag}:1', 0), true);
  });

  test('SCAN returns every key exactly once, whatever the COUNT', () => {
    const db = new SlotDatabase(0, { partitionLimit: LIMIT });
    for (let i = 0; i < TAGGED; i++) db.set(`{tag}:${i}`, 'v', NO_EXPIRY);
    for (let i = 0; i < SPREAD; i++) db.set(`key:${i}`, 'v', NO_EXPIRY);
    for (const count of [1, 3, 10, 1000, 100_000]) {
      const keys = scanAll(db, count, 0);
      assert.equal(keys.length, TAGGED + SPREAD, `COUNT ${count}`);
      assert.equal(new Set(keys).size, TAGGED + SPREAD, `COUNT ${count}`);
    }
  });

  test('SCAN - keys present throughout are returned exactly once while others are added and removed', () => {
    const db = new SlotDatabase(0, { partitionLimit: LIMIT });
    const stable: string[] = [];
    for (let i = 0; i < 1500; i++) {
      stable.push(`{tag}:stable:${i}`, `stable:${i}`);
      db.set(`{tag}:stable:${i}`, 'v', NO_EXPIRY);
      db.set(`stable:${i}`, 'v', NO_EXPIRY);
      db.set(`{tag}:churn:${i}`, 'v', NO_EXPIRY);
      db.set(`churn:${i}`, 'v', NO_EXPIRY);
    }
    let added = 0;
    const keys = scanAll(db, 5, 0, (step) => {
      // Free room in early Maps of the chain and fill it with new keys.
      for (let j = 0; j < 4; j++) {
        db.delete(`{tag}:churn:${step * 4 + j}`, 0);
        db.delete(`churn:${step * 4 + j}`, 0);
        db.set(`{tag}:new:${added}`, 'v', NO_EXPIRY);
        db.set(`new:${added++}`, 'v', NO_EXPIRY);
      }
    });
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    assert.ok(added > 100, 'the keyspace changed during the scan');
    for (const k of stable) assert.equal(counts.get(k), 1, k);
    for (const [k, n] of counts) assert.equal(n, 1, `${k} returned once`);
  });

  test('SCAN skips expired keys; active expiry walks the chains', () => {
    const db = new SlotDatabase(0, { partitionLimit: LIMIT });
    for (let i = 0; i < 1000; i++) db.set(`{tag}:${i}`, 'v', i % 2 === 0 ? 100 : NO_EXPIRY);
    assert.equal(scanAll(db, 10, 100).length, 500);
    const out = { checked: 0, expired: 0 };
    let expired = 0;
    for (let i = 0; i < 1000 && db.expiresCount() > 0; i++) {
      db.expireStep(100, 20, out);
      expired += out.expired;
    }
    assert.equal(expired, 500);
    assert.equal(db.size(), 500);
  });
});

describe('a server with a lowered partition limit', () => {
  let srv: TestServer;
  let r: Redis;

  before(async () => {
    srv = await startTestServer({ partitionLimit: LIMIT });
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

  test('GET, EXISTS, DEL, RENAME, RANDOMKEY and KEYS work across chained Maps', async () => {
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
    assert.equal(await r.set('{tag}:7', 'v7'), 'OK');
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
});
