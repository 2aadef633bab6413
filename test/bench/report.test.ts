import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMarkdown, renderJson, renderCsv, seriesTable, compareTable, isLagging, fmtRate, fmtMs, ROW_FIELDS } from '../../src/bench/report.js';
import { renderSvg, decadeRange, fmtTick } from '../../src/bench/chart.js';
import type { RowResult } from '../../src/bench/run.js';

function row(over: Partial<RowResult>): RowResult {
  return {
    series: 'A', server: 'mini-kv', host: '127.0.0.1', port: 7000, protocol: 'resp', mode: 'open',
    connections: 10, rate: 300, pipeline: 1, durationS: 2, offered: 3000, sent: 6000, replies: 6000,
    throughput: 2999.5, achieved: 0.99983, avgMs: 0.5123, p50: 0.4, p90: 0.8, p99: 1.5, p999: 3.25, maxMs: 12.5,
    errors: 0, timeouts: 0, lost: 0, connectFailures: 0, lagAvgMs: 0.6, lagMaxMs: 4, threads: 2, errorSamples: [], skipped: null,
    ...over,
  };
}

const ROWS: RowResult[] = [
  row({}),
  row({ rate: 3000, offered: 30000, throughput: 29000, achieved: 29000 / 30000, p99: 2 }),
  row({ server: 'redis', port: 6399, p99: 1.0, throughput: 3000, achieved: 1 }),
  row({ server: 'redis', port: 6399, rate: 3000, offered: 30000, throughput: 29500, achieved: 29500 / 30000, p99: 1.6 }),
  row({ series: 'B', connections: 10000, rate: 10, offered: 100000, throughput: 90000, achieved: 0.9, lagAvgMs: 45, lagMaxMs: 151, p99: 300 }),
  row({ series: 'B', server: 'redis', port: 6399, connections: 10000, rate: 10, offered: 100000, skipped: 'open-file limit 1024 too low', throughput: 0, achieved: null }),
];

test('report - numbers are formatted for reading', () => {
  assert.equal(fmtRate(30.16), '30.16');
  assert.equal(fmtRate(71731.83), '71,732');
  assert.equal(fmtMs(0.1234), '0.123');
  assert.equal(fmtMs(57.918), '57.92');
  assert.equal(fmtMs(151.2), '151.2');
});

test('report - a series table puts the seed columns first, then offered, achieved and percentiles', () => {
  const md = seriesTable([ROWS[0]], true);
  const [header, align, line] = md.split('\n');
  assert.equal(header, "| connections | requests/s per connection | throughput (replies/s) | average delay (ms) | offered (req/s) | achieved | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | max (ms) | errors | timeouts | send lag avg / max (ms) | seed's throughput / average delay (ms) |");
  assert.match(align, /^\| --- \| --- \| ---: \|/);
  assert.equal(line, '| 10 | 300 | 3,000 | 0.512 | 3,000 | 100.0% | 0.400 | 0.800 | 1.500 | 3.250 | 12.50 | 0 | 0 | 0.600 / 4.000 | 2,455 / 0.810 |');
});

test('report - lagging rows are flagged in the table and explained in the notes', () => {
  assert.equal(isLagging(ROWS[0]), false);
  assert.equal(isLagging(ROWS[4]), true);
  const md = renderMarkdown(ROWS, { withSeed: true });
  assert.match(md, /\| 45\.00 \/ 151\.0 ⚠ \|/);
  assert.match(md, /⚠ mini-kv, 10,000 connections at 10 req\/s each: the load generator fell behind its schedule, writing requests up to 151\.0 ms late \(45\.00 ms on average\)/);
  assert.match(md, /- redis, 10,000 connections at 10 req\/s each: skipped \(open-file limit 1024 too low\)\./);
});

test('report - markdown has both series, one table per server, and the comparison with ratios', () => {
  const md = renderMarkdown(ROWS, { withSeed: true });
  const a = md.indexOf('### Series A');
  const b = md.indexOf('### Series B');
  assert.ok(a >= 0 && b > a);
  assert.match(md, /\*\*mini-kv\*\* \(127\.0\.0\.1:7000, resp, open loop, 2 s per row\)/);
  assert.match(md, /\*\*mini-kv vs redis\*\*/);
  const cmp = compareTable(ROWS.slice(0, 4), 'mini-kv', 'redis').split('\n');
  assert.equal(cmp.length, 4);
  assert.equal(cmp[2], '| 10 | 300 | 3,000 | 3,000 | 1.00× | 0.512 | 0.512 | 1.00× | 1.500 | 1.000 | 1.50× |');
  assert.match(compareTable(ROWS.slice(4), 'mini-kv', 'redis'), /\| 10,000 \| 10 \| 90,000 \| skipped \| — \|/);
});

test('report - errors, timeouts and lost requests are reported with a sample', () => {
  const md = renderMarkdown([row({ errors: 5, timeouts: 2, lost: 3, errorSamples: ['ERR max number of clients reached'] })], { withSeed: false });
  assert.match(md, /\| 5 \(\+3 lost\) \| 2 \|/);
  assert.match(md, /5 error replies, 2 timeouts, 3 requests lost to closed connections\. First error: ERR max number of clients reached/);
});

test('report - JSON carries every row with the required fields', () => {
  const doc = JSON.parse(renderJson(ROWS, { tool: 't', startedAt: 'now', node: 'v20', cpus: 2, command: 'x', settings: { durationS: 2 } })) as { rows: Array<Record<string, unknown>>; settings: unknown };
  assert.equal(doc.rows.length, ROWS.length);
  assert.deepEqual(doc.settings, { durationS: 2 });
  for (const k of ['connections', 'rate', 'throughput', 'avgMs', 'p50', 'p99', 'p999', 'maxMs', 'server', 'protocol']) {
    assert.ok(k in doc.rows[0], k);
  }
  assert.deepEqual(Object.keys(doc.rows[0]), ROW_FIELDS);
  assert.equal(doc.rows[0].p999, 3.25);
  assert.equal(doc.rows[5].skipped, 'open-file limit 1024 too low');
});

test('report - CSV has a header and one line per row, quoting where needed', () => {
  const csv = renderCsv([row({ errorSamples: ['ERR a, "b"', 'c'] })]).trimEnd().split('\n');
  assert.equal(csv.length, 2);
  assert.equal(csv[0], ROW_FIELDS.join(','));
  assert.ok(csv[1].startsWith('A,mini-kv,127.0.0.1,7000,resp,open,10,300,1,2,3000,6000,6000,2999.5,0.99983,0.5123,0.4,0.8,1.5,3.25,12.5,'));
  assert.ok(csv[1].endsWith(',"ERR a, ""b""; c"'));
});

test('chart - log axes cover whole decades', () => {
  assert.deepEqual(decadeRange([3, 30000]), [1, 100000]);
  assert.deepEqual(decadeRange([0.2, 0.9]), [0.1, 1]);
  assert.deepEqual(decadeRange([10]), [10, 100]);
  assert.deepEqual(decadeRange([]), [1, 10]);
  assert.deepEqual([1, 100, 1000, 100000, 1e6, 0.1].map(fmtTick), ['1', '100', '1k', '100k', '1M', '0.1']);
});

test('chart - the suite SVG is self-contained, with a panel per series and metric', () => {
  const svg = renderSvg(ROWS, { title: 'mini-kv vs redis <test>' });
  assert.match(svg, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1040" height="720"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  assert.ok(svg.includes('mini-kv vs redis &lt;test&gt;'), 'text is escaped');
  assert.ok(!/<script|href=|@import|url\(/.test(svg), 'no external references or scripts');
  for (const t of ['A · 10 connections: throughput', 'A · 10 connections: p99 latency', 'B · 10 req/s per connection: throughput', 'B · 10 req/s per connection: p99 latency']) {
    assert.ok(svg.includes(t), t);
  }
  // Series A has 2 points per server, so each server draws a line in both A panels; skipped rows are left out.
  const lines = svg.match(/<path class="(series|offered)"[^>]*d="M[^"]*"/g) ?? [];
  assert.equal(lines.filter((p) => p.includes(' L')).length, 2 + 1 + 2 /* A: two servers + offered in throughput; two in p99 */);
  // One marker per measured point: A 2+2 in each of two panels, B one mini-kv point in each of two panels.
  assert.equal((svg.match(/class="marker"/g) ?? []).length - 2 /* legend */, 4 + 4 + 1 + 1);
  assert.ok(svg.includes('<title>mini-kv: 10 connections x 300 req/s: 3000 replies/s</title>'), 'points carry tooltips');
});

test('report - a remark about a server is said once, not once per row', () => {
  const note = 'note: the server answered inline commands in RESP; counted as RESP';
  const md = renderMarkdown([row({ server: 'redis', errorSamples: [note] }), row({ server: 'redis', rate: 30, errorSamples: [note] })], { withSeed: false });
  assert.equal(md.split('answered inline commands in RESP').length - 1, 1);
  assert.match(md, /- redis: the server answered inline commands in RESP; counted as RESP\./);
});
