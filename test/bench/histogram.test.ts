import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addEncoded, createHistogram, encodeHistogram, recordMs, summarize } from '../../src/bench/histogram.js';

test('histogram - records milliseconds as microseconds and reads percentiles back in ms', () => {
  const h = createHistogram();
  for (let i = 1; i <= 1000; i++) recordMs(h, i / 100); // 0.01 .. 10 ms
  const s = summarize(h);
  assert.equal(s.count, 1000);
  // 3 significant digits: within 0.1% of the exact order statistic.
  assert.ok(Math.abs(s.p50 - 5) / 5 < 0.002, `p50 ${s.p50}`);
  assert.ok(Math.abs(s.p90 - 9) / 9 < 0.002, `p90 ${s.p90}`);
  assert.ok(Math.abs(s.p99 - 9.9) / 9.9 < 0.002, `p99 ${s.p99}`);
  assert.ok(Math.abs(s.p999 - 9.99) / 9.99 < 0.002, `p999 ${s.p999}`);
  assert.ok(Math.abs(s.maxMs - 10) / 10 < 0.002, `max ${s.maxMs}`);
  h.destroy();
});

test('histogram - a multi-second stall is recorded, not clipped', () => {
  const h = createHistogram();
  recordMs(h, 0.1);
  recordMs(h, 12_345);
  assert.ok(Math.abs(summarize(h).maxMs - 12_345) / 12_345 < 0.002);
  h.destroy();
});

test('histogram - encoded histograms from threads add up', () => {
  const a = createHistogram();
  const b = createHistogram();
  for (let i = 0; i < 90; i++) recordMs(a, 1);
  for (let i = 0; i < 10; i++) recordMs(b, 100);
  const total = createHistogram();
  addEncoded(total, encodeHistogram(a));
  addEncoded(total, encodeHistogram(b));
  const s = summarize(total);
  assert.equal(s.count, 100);
  assert.equal(s.p50, 1);
  assert.ok(Math.abs(s.p99 - 100) < 0.1);
  for (const h of [a, b, total]) h.destroy();
});

test('histogram - an empty histogram summarizes to zeros', () => {
  const h = createHistogram();
  assert.deepEqual(summarize(h), { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, maxMs: 0 });
  h.destroy();
});

test('histogram - negative latencies (clock skew) are recorded as zero', () => {
  const h = createHistogram();
  recordMs(h, -0.5);
  assert.equal(summarize(h).count, 1);
  assert.equal(summarize(h).maxMs, 0);
  h.destroy();
});
