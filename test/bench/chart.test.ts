/**
 * The SVG charts' structure: a title that fits the picture, a legend entry
 * per line, a distinct colour, dash pattern and marker per server, an
 * offered-load line, and more than one marker where there is data, for a
 * single run and for a seed-suite comparison. (The pictures themselves were
 * looked at as PNGs; see docs/benchmarks.md.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSvg, textWidth, timelineRates, niceStep, SERVER_STYLES } from '../../src/bench/chart.js';
import type { RowResult } from '../../src/bench/run.js';

function row(over: Partial<RowResult>): RowResult {
  return {
    series: 'run', server: 'mini-kv', host: '127.0.0.1', port: 7000, protocol: 'resp', mode: 'open',
    connections: 4, rate: 200, pipeline: 1, durationS: 2, offered: 800, sent: 1600, replies: 1600,
    throughput: 800, achieved: 1, avgMs: 0.5, p50: 0.4, p90: 0.8, p99: 1.5, p999: 3.25, maxMs: 12.5,
    errors: 0, timeouts: 0, lost: 0, connectFailures: 0, lagAvgMs: 0.1, lagMaxMs: 1, threads: 1, errorSamples: [], skipped: null,
    ...over,
  };
}

const TIMELINE: Array<[number, number]> = [[0.2, 150], [0.4, 310], [0.6, 470], [0.8, 630], [1.0, 790], [1.2, 950], [1.4, 1110], [1.6, 1270], [1.8, 1430], [2.0, 1600]];

interface Parsed {
  width: number;
  title: { size: number; text: string };
  legend: string[];
  series: Array<{ name: string; stroke: string; dash: string | null; width: string; points: number }>;
  offered: Array<{ points: number }>;
  markers: Map<string, number>;
}

/** Reads the parts of the SVG the tests check, by the classes chart.ts gives them. */
function parse(svg: string): Parsed {
  const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)?.[1]);
  const t = /<text class="title"[^>]*font-size="(\d+)"[^>]*>([^<]*)<\/text>/.exec(svg);
  assert.ok(t !== null, 'a title');
  const legend = [...svg.matchAll(/<g class="legend-entry" data-name="([^"]*)">/g)].map((m) => m[1]);
  const points = (d: string): number => d.split(/[ML]/).filter((p) => p.trim() !== '').length;
  const series = [...svg.matchAll(/<path class="series" data-name="([^"]*)" d="([^"]*)" fill="none" stroke="([^"]*)" stroke-width="([^"]*)"( stroke-dasharray="([^"]*)")?/g)]
    .map((m) => ({ name: m[1], stroke: m[3], width: m[4], dash: m[6] ?? null, points: points(m[2]) }));
  const offered = [...svg.matchAll(/<path class="offered" data-name="offered load" d="([^"]*)"/g)].map((m) => ({ points: points(m[1]) }));
  const markers = new Map<string, number>();
  for (const m of svg.matchAll(/<(circle|rect|path) class="marker"[^>]* stroke="([^"]*)"/g)) markers.set(`${m[1]} ${m[2]}`, (markers.get(`${m[1]} ${m[2]}`) ?? 0) + 1);
  return { width, title: { size: Number(t[1]), text: t[2] }, legend, series, offered, markers };
}

test('chart - a single run draws throughput over time, a visible offered-load line and the latency percentiles', () => {
  const title = 'mini-kv-benchmark: 127.0.0.1:23818 (resp, open loop, 2 s per row)';
  const svg = renderSvg([row({ timeline: TIMELINE })], { title });
  const p = parse(svg);
  assert.equal(p.width, 1040);
  assert.ok(textWidth(p.title.text, p.title.size, true) <= p.width - 40, 'the title fits');
  assert.deepEqual(p.legend, ['mini-kv', 'offered load']);
  assert.ok(svg.includes('>Throughput over time<') && svg.includes('>Latency by percentile<'));
  // Nine throughput points from ten samples, five percentiles.
  assert.deepEqual(p.series.map((s) => [s.name, s.points]), [['mini-kv', 9], ['mini-kv', 5]]);
  assert.deepEqual(p.offered, [{ points: 2 }], 'the offered load is a line from 0 s to the end of the run');
  assert.equal(p.markers.get(`circle ${SERVER_STYLES[0].color}`), 9 + 5 + 1 /* legend */);
  for (const cat of ['p50', 'p90', 'p99', 'p99.9', 'max']) assert.ok(svg.includes(`>${cat}</text>`), cat);
});

test('chart - a single run without a timeline still draws a line, not one dot', () => {
  const p = parse(renderSvg([row({})], { title: 'x' }));
  assert.equal(p.series[0].points, 2);
  assert.equal(p.offered[0].points, 2);
});

test('chart - closed loop has no offered load to draw or name', () => {
  const p = parse(renderSvg([row({ mode: 'closed', offered: null, achieved: null, rate: 0, timeline: TIMELINE })], { title: 'x' }));
  assert.deepEqual(p.legend, ['mini-kv']);
  assert.deepEqual(p.offered, []);
});

test('chart - a long title shrinks to fit, and a very long one widens the picture instead of being clipped', () => {
  const long = 'mini-kv-benchmark: mini-kv vs redis-7.0.15-with-a-rather-long-label-to-test-wrapping (resp, open loop, 2 s per row)';
  const p = parse(renderSvg([row({ timeline: TIMELINE })], { title: long }));
  assert.ok(p.title.size < 17 && p.title.size >= 12, String(p.title.size));
  assert.ok(textWidth(long, p.title.size, true) <= p.width - 40);
  const huge = 'x'.repeat(300);
  const q = parse(renderSvg([row({})], { title: huge }));
  assert.ok(q.width > 1040);
  assert.ok(textWidth(huge, q.title.size, true) <= q.width - 40);
});

const SUITE: RowResult[] = [];
for (const server of ['mini-kv', 'redis']) {
  for (const rate of [3, 30, 300, 3000, 30000]) SUITE.push(row({ series: 'A', server, connections: 10, rate, offered: 10 * rate, throughput: 10 * rate, p99: server === 'redis' ? 1 : 2 }));
  for (const connections of [3, 30, 300, 3000, 10000]) SUITE.push(row({ series: 'B', server, connections, rate: 10, offered: 10 * connections, throughput: 10 * connections, p99: 3 }));
}

test('chart - in a suite comparison each server has its own colour, dash pattern and marker, and a legend entry', () => {
  const title = 'mini-kv-benchmark: mini-kv vs redis (resp, open loop, 5 s per row)';
  const p = parse(renderSvg(SUITE, { title }));
  assert.equal(p.width, 1040);
  assert.ok(textWidth(p.title.text, p.title.size, true) <= p.width - 40);
  assert.deepEqual(p.legend, ['mini-kv', 'redis', 'offered load']);
  const style = (name: string) => p.series.filter((s) => s.name === name);
  const [a, b] = [style('mini-kv'), style('redis')];
  assert.equal(a.length, 4);
  assert.equal(b.length, 4);
  // Throughput lines coincide here (both achieved the offered load): they differ in colour, width and dash.
  assert.notEqual(a[0].stroke, b[0].stroke);
  assert.notEqual(a[0].dash, b[0].dash);
  assert.ok(Number(a[0].width) > Number(b[0].width), 'the first server is drawn wider, so the second does not hide it');
  // Markers: filled circles for the first, hollow squares for the second, one per point (plus the legend's).
  assert.equal(p.markers.get(`circle ${SERVER_STYLES[0].color}`), 20 + 1);
  assert.equal(p.markers.get(`rect ${SERVER_STYLES[1].color}`), 20 + 1);
  assert.deepEqual(p.offered.map((o) => o.points), [5, 5]);
  // Every server style differs from every other in colour and dash pattern.
  const keys = SERVER_STYLES.slice(0, 4).map((s) => `${s.color} ${s.dash} ${s.marker}`);
  assert.equal(new Set(keys).size, 4);
  assert.equal(new Set(SERVER_STYLES.slice(0, 4).map((s) => s.marker)).size, 4);
});

test('chart - the legend wraps rather than running off the picture', () => {
  const rows = ['a-very-long-server-label-number-one', 'a-very-long-server-label-number-two', 'a-very-long-server-label-number-three', 'four']
    .map((server) => row({ server, timeline: TIMELINE }));
  const svg = renderSvg(rows, { title: 't' });
  const p = parse(svg);
  assert.deepEqual(p.legend, ['a-very-long-server-label-number-one', 'a-very-long-server-label-number-two', 'a-very-long-server-label-number-three', 'four', 'offered load']);
  const xs = [...svg.matchAll(/<g class="legend-entry"[^>]*>\n<line x1="([\d.]+)" y1="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.ok(new Set(xs.map(([, y]) => y)).size >= 2, 'two legend rows');
  for (const [x] of xs) assert.ok(x >= 0 && x < p.width, String(x));
});

test('chart - timeline rates and axis steps', () => {
  const rates = timelineRates([[0.1, 10], [0.2, 30], [0.3, 50], [0.5, 90]]).map((r) => [Number(r.t.toFixed(6)), Math.round(r.rate)]);
  assert.deepEqual(rates, [[0.2, 200], [0.4, 200]], 'steps of at least 0.15 s, from the first sample');
  assert.deepEqual(timelineRates([]), []);
  assert.deepEqual([niceStep(800), niceStep(2), niceStep(95000), niceStep(0)], [200, 0.5, 20000, 1]);
});
