import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schedule, requestsPerConnection, splitConnections } from '../../src/bench/scheduler.js';

test('scheduler - requests per connection is rate x duration, at least one', () => {
  assert.equal(requestsPerConnection(10, 2), 20);
  assert.equal(requestsPerConnection(3, 2), 6);
  assert.equal(requestsPerConnection(30000, 2), 60000);
  assert.equal(requestsPerConnection(3, 0.1), 1);
  assert.equal(requestsPerConnection(2.5, 1), 3);
});

test('scheduler - batch n goes to connection n mod C at (n + offset) x P / (C x rate)', () => {
  const s = new Schedule({ connections: 4, rate: 100, pipeline: 1, durationS: 1, offset: 0 });
  assert.equal(s.intervalMs, 2.5); // 4 x 100 = 400 requests/s in all
  assert.equal(s.totalBatches, 400);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((n) => s.connectionOf(n)), [0, 1, 2, 3, 0, 1]);
  assert.deepEqual([0, 1, 4, 399].map((n) => s.dueAtMs(n)), [0, 2.5, 10, 997.5]);
  // Each connection sends every 10 ms: exactly its rate.
  assert.equal(s.dueAtMs(5) - s.dueAtMs(1), 10);
});

test('scheduler - dueCount counts batches due at or before the instant, clamped', () => {
  const s = new Schedule({ connections: 2, rate: 10, pipeline: 1, durationS: 1, offset: 0 });
  // interval 50 ms; batch 0 at 0, batch 1 at 50, ...
  assert.equal(s.dueCount(-1), 0);
  assert.equal(s.dueCount(0), 1);
  assert.equal(s.dueCount(49.9), 1);
  assert.equal(s.dueCount(50), 2);
  assert.equal(s.dueCount(951), 20);
  assert.equal(s.dueCount(1e9), 20);
  for (let n = 0; n < s.totalBatches; n++) {
    assert.equal(s.dueCount(s.dueAtMs(n)), n + 1, `batch ${n} is due at its own time`);
  }
});

test('scheduler - an offset shifts every batch by a fraction of the interval', () => {
  const s = new Schedule({ connections: 1, rate: 1000, pipeline: 1, durationS: 1, offset: 0.5 });
  assert.equal(s.dueAtMs(0), 0.5);
  assert.equal(s.dueCount(0.4), 0);
  assert.equal(s.dueCount(0.5), 1);
  assert.equal(s.dueCount(1.5), 2);
});

test('scheduler - pipeline groups P requests per batch, the last batch may be short', () => {
  const s = new Schedule({ connections: 2, rate: 10, pipeline: 4, durationS: 1, offset: 0 });
  assert.equal(s.requestsPerConnection, 10);
  assert.equal(s.batchesPerConnection, 3);
  assert.equal(s.totalBatches, 6);
  assert.equal(s.intervalMs, 200); // 4 requests / (2 x 10 per s)
  const sizes = [0, 1, 2, 3, 4, 5].map((n) => s.batchSize(n));
  assert.deepEqual(sizes, [4, 4, 4, 4, 2, 2]);
  assert.equal(sizes.reduce((a, b) => a + b, 0), s.totalRequests);
});

test('scheduler - the seed rows offer exactly their load', () => {
  for (const [c, rate] of [[10, 3], [10, 30000], [3000, 10], [10000, 10]]) {
    const s = new Schedule({ connections: c, rate, pipeline: 1, durationS: 2, offset: 0 });
    assert.equal(s.totalRequests, c * rate * 2);
    // The last batch is due one interval before the window ends.
    assert.ok(Math.abs(s.dueAtMs(s.totalBatches - 1) - (2000 - s.intervalMs)) < 1e-6);
  }
});

test('scheduler - rejects a nonsensical schedule', () => {
  assert.throws(() => new Schedule({ connections: 0, rate: 1, pipeline: 1, durationS: 1, offset: 0 }), RangeError);
  assert.throws(() => new Schedule({ connections: 1, rate: 0, pipeline: 1, durationS: 1, offset: 0 }), RangeError);
});

test('scheduler - connections split evenly over workers, never zero', () => {
  assert.deepEqual(splitConnections(10, 2), [5, 5]);
  assert.deepEqual(splitConnections(3, 2), [2, 1]);
  assert.deepEqual(splitConnections(1, 4), [1]);
  assert.deepEqual(splitConnections(10000, 3), [3334, 3333, 3333]);
});
