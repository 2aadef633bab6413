/**
 * The redis-benchmark compatible output, from histograms whose every value
 * is known: the figures and both distributions are worked out by hand from
 * hdr_histogram.c's iterators (3 significant digits, lowest discernible
 * value 10 us, so buckets below 16,384 us are 8 us wide), and the three
 * shapes are compared line for line with redis-benchmark 7.0's formats.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLatencyHistogram, recordLatencyUs, latencyFigures, percentileDistribution, cumulativeDistribution,
  quietLine, csvLine, detailedReport, CSV_HEADER, cFixed, type CompatResult,
} from '../../src/bench/redis-report.js';

function histogramOf(values: number[]) {
  const h = createLatencyHistogram();
  for (const v of values) recordLatencyUs(h, v);
  return h;
}

function result(values: number[], over: Partial<CompatResult> = {}): CompatResult {
  return {
    title: 'SET', finished: values.length, totalMs: 20, clients: 3, dataSize: 3, keepAlive: true,
    serverConfig: { save: '', appendonly: 'no' }, histogram: histogramOf(values), ...over,
  };
}

test('redis report - figures are read from buckets as hdr_min, hdr_mean, hdr_value_at_percentile and hdr_max read them', () => {
  // 48 -> [48,55], 100 -> [96,103], 690 -> [688,695]; means use the bucket middles 52, 100, 692.
  const f = latencyFigures(histogramOf([48, 100, 690]));
  assert.deepEqual(f, { count: 3, avgUs: (52 + 100 + 692) / 3, minUs: 48, p50Us: 103, p95Us: 695, p99Us: 695, maxUs: 695 });
  assert.deepEqual(latencyFigures(histogramOf([])), { count: 0, avgUs: 0, minUs: 0, p50Us: 0, p95Us: 0, p99Us: 0, maxUs: 0 });
  // Values past 3 s are clamped to 3 s, as redis-benchmark clamps them.
  assert.equal(latencyFigures(histogramOf([5_000_000])).maxUs, latencyFigures(histogramOf([3_000_000])).maxUs);
});

test('redis report - the percentile distribution steps by half distances to 100% and ends with the 100% line', () => {
  assert.deepEqual(percentileDistribution(histogramOf([48, 100, 690])), [
    { percentile: 0, valueUs: 55, cumulative: 1 },
    { percentile: 50, valueUs: 103, cumulative: 2 },
    { percentile: 75, valueUs: 695, cumulative: 3 },
    { percentile: 100, valueUs: 695, cumulative: 3 },
  ]);
  // A bucket holding most values yields one line: repeated cumulative counts are not printed.
  const many = percentileDistribution(histogramOf([...Array(99).fill(40), 400]));
  assert.deepEqual(many.map((l) => [l.percentile, l.valueUs, l.cumulative]), [[0, 47, 99], [99.21875, 407, 100], [100, 407, 100]]);
});

test('redis report - the cumulative distribution walks 100 us steps and prints where the count changes', () => {
  assert.deepEqual(cumulativeDistribution(histogramOf([48, 100, 690])), [
    { percentile: (2 / 3) * 100, valueUs: 103, cumulative: 2 }, // printed as 66.667%
    { percentile: 100, valueUs: 703, cumulative: 3 },
  ]);
  // Once the iterator stands past 2 ms (at the 2,000 us level, whose bucket ends at 2,007) the step
  // widens to 1 ms: the levels after it are 2100, 3100, ... 7100.
  assert.deepEqual(cumulativeDistribution(histogramOf([50, 2500, 7000])).map((l) => [l.valueUs, l.cumulative]), [[103, 1], [3103, 2], [7103, 3]]);
});

test('redis report - the -q line and the --csv row have redis-benchmark 7.0 shapes', () => {
  const r = result([48, 100, 690]); // 3 requests in 20 ms: 150 requests per second
  assert.equal(quietLine(r), 'SET: 150.00 requests per second, p50=0.103 msec\n');
  assert.equal(CSV_HEADER, '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"');
  assert.equal(csvLine(r), '"SET","150.00","0.281","0.048","0.103","0.695","0.695","0.695"\n');
  assert.equal(csvLine(result([48], { title: 'MSET (10 keys)', totalMs: 0 })), '"MSET (10 keys)","inf","0.052","0.048","0.055","0.055","0.055","0.055"\n');
  assert.equal(cFixed(NaN, 3), '-nan');
});

test('redis report - the detailed block is redis-benchmark 7.0\'s showLatencyReport(), line for line', () => {
  const expected = [
    '====== SET ======',
    '  3 requests completed in 0.02 seconds',
    '  3 parallel clients',
    '  3 bytes payload',
    '  keep alive: 1',
    '  host configuration "save": ',
    '  host configuration "appendonly": no',
    '  multi-thread: no',
    '',
    'Latency by percentile distribution:',
    '0.000% <= 0.055 milliseconds (cumulative count 1)',
    '50.000% <= 0.103 milliseconds (cumulative count 2)',
    '75.000% <= 0.695 milliseconds (cumulative count 3)',
    '100.000% <= 0.695 milliseconds (cumulative count 3)',
    '',
    'Cumulative distribution of latencies:',
    '66.667% <= 0.103 milliseconds (cumulative count 2)',
    '100.000% <= 0.703 milliseconds (cumulative count 3)',
    '',
    'Summary:',
    '  throughput summary: 150.00 requests per second',
    '  latency summary (msec):',
    '          avg       min       p50       p95       p99       max',
    '        0.281     0.048     0.103     0.695     0.695     0.695',
    '',
  ].join('\n');
  assert.equal(detailedReport(result([48, 100, 690])), expected);
  // Without the server's CONFIG the two host lines are left out, as in redis-benchmark.
  const bare = detailedReport(result([48], { serverConfig: null, keepAlive: false }));
  assert.ok(!bare.includes('host configuration'));
  assert.ok(bare.includes('  keep alive: 0\n  multi-thread: no\n'));
});
