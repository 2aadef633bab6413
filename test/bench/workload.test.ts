import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCommandPool, encodeCommand, parseMix, formatMix } from '../../src/bench/workload.js';

test('workload - --mix parses weights, defaults missing commands to 0', () => {
  assert.deepEqual(parseMix('get=1,set=1,del=1'), { get: 1, set: 1, del: 1 });
  assert.deepEqual(parseMix('GET=3, set=1'), { get: 3, set: 1, del: 0 });
  assert.deepEqual(parseMix('get'), { get: 1, set: 0, del: 0 });
  assert.equal(formatMix(parseMix('set=0.5,get=2')), 'get=2,set=0.5,del=0');
});

test('workload - --mix rejects unknown commands, bad weights and an all-zero mix', () => {
  assert.throws(() => parseMix('incr=1'), /unknown command 'incr'/);
  assert.throws(() => parseMix('get=-1'), /non-negative number/);
  assert.throws(() => parseMix('get=x'), /non-negative number/);
  assert.throws(() => parseMix('get=0,set=0'), /at least one weight/);
  assert.throws(() => parseMix('get=1,get=2'), /given twice/);
});

test('workload - commands encode as RESP multibulk or as one inline line', () => {
  assert.equal(encodeCommand('resp', ['SET', 'key-1', 'abc']).toString(), '*3\r\n$3\r\nSET\r\n$5\r\nkey-1\r\n$3\r\nabc\r\n');
  assert.equal(encodeCommand('text', ['SET', 'key-1', 'abc']).toString(), 'SET key-1 abc\n');
  assert.equal(encodeCommand('text', ['GET', 'key-9']).toString(), 'GET key-9\n');
});

test('workload - the pool holds the mix over the keyspace, laid end to end', () => {
  const pool = buildCommandPool({ protocol: 'text', keyspace: 50, valueSize: 5, mix: { get: 1, set: 1, del: 1 }, seed: 1, commands: 3000 });
  assert.equal(pool.count, 3000);
  assert.equal(pool.offsets[0], 0);
  assert.equal(pool.offsets[pool.count], pool.buf.length);
  const lines = pool.buf.toString().split('\n').slice(0, -1);
  assert.equal(lines.length, 3000);
  const byCmd = { GET: 0, SET: 0, DEL: 0 } as Record<string, number>;
  const keys = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const words = lines[i].split(' ');
    byCmd[words[0]]++;
    keys.add(words[1]);
    assert.match(words[1], /^key-(\d|[1-4]\d)$/);
    if (words[0] === 'SET') assert.match(words[2], /^[A-Za-z0-9]{5}$/);
    assert.equal(pool.buf.subarray(pool.offsets[i], pool.offsets[i + 1]).toString(), lines[i] + '\n');
  }
  // Equal weights: each command near a third (3000 draws; 800 is > 6 sigma away).
  for (const cmd of ['GET', 'SET', 'DEL']) assert.ok(byCmd[cmd] > 800, `${cmd}: ${byCmd[cmd]}`);
  assert.equal(keys.size, 50);
});

test('workload - the same seed gives the same pool; a weight of 0 leaves a command out', () => {
  const spec = { protocol: 'resp' as const, keyspace: 100000, valueSize: 3, mix: { get: 1, set: 0, del: 0 }, seed: 9, commands: 100 };
  const a = buildCommandPool(spec);
  assert.deepEqual(a.buf, buildCommandPool(spec).buf);
  assert.ok(!a.buf.includes('SET') && !a.buf.includes('DEL'));
});

test('workload - a value too long for an inline request is refused for the text protocol', () => {
  assert.throws(() => buildCommandPool({ protocol: 'text', keyspace: 10, valueSize: 70000, mix: { get: 1, set: 1, del: 1 }, seed: 1 }), /too large for the text protocol/);
});
