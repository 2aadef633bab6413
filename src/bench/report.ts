/**
 * Turns measured rows into text: Markdown tables for people, JSON and CSV for
 * tools. (The SVG chart lives in chart.ts.) Pure functions of the rows: no
 * I/O, no clocks, so every format is tested exactly.
 */
import type { RowResult } from './run.js';
import { SERIES_TITLES, seedFigureFor } from './suite.js';

/** A row is flagged as lagging when the generator's writes were this late on average, in ms... */
export const LAG_AVG_WARN_MS = 2;
/** ...or this late at worst, in ms. Below these, the lag is timer granularity and GC. */
export const LAG_MAX_WARN_MS = 50;

export function isLagging(r: RowResult): boolean {
  return r.skipped === null && r.mode === 'open' && (r.lagAvgMs >= LAG_AVG_WARN_MS || r.lagMaxMs >= LAG_MAX_WARN_MS);
}

/** Requests or replies per second: two decimals below 1,000 (as the seed printed), whole numbers above. */
export function fmtRate(x: number): string {
  return x.toLocaleString('en-US', { minimumFractionDigits: x < 1000 ? 2 : 0, maximumFractionDigits: x < 1000 ? 2 : 0 });
}

/** Milliseconds with about 3-4 significant digits. */
export function fmtMs(x: number): string {
  if (x < 10) return x.toFixed(3);
  if (x < 100) return x.toFixed(2);
  return x.toFixed(1);
}

function fmtRatio(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

function fmtInt(x: number): string {
  return x.toLocaleString('en-US');
}

function table(header: string[], rows: string[][], rightAlignFrom = 0): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i >= rightAlignFrom ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
  return lines.join('\n');
}

/** The order series appear in: A, B, then anything else in order of first appearance. */
function seriesOrder(rows: RowResult[]): string[] {
  const seen: string[] = [];
  for (const r of rows) if (!seen.includes(r.series)) seen.push(r.series);
  return seen.sort((a, b) => rank(a) - rank(b));
}

function rank(s: string): number {
  return s === 'A' ? 0 : s === 'B' ? 1 : 2;
}

function serversOf(rows: RowResult[]): string[] {
  const out: string[] = [];
  for (const r of rows) if (!out.includes(r.server)) out.push(r.server);
  return out;
}

/**
 * One server's rows of one series. The seed's columns come first
 * (connections, requests/s per connection, throughput, average delay), then
 * offered load, achieved ratio, percentiles, errors, timeouts and send lag.
 * With `withSeed`, a last column repeats the seed's published figures.
 */
export function seriesTable(rows: RowResult[], withSeed: boolean): string {
  const header = ['connections', 'requests/s per connection', 'throughput (replies/s)', 'average delay (ms)', 'offered (req/s)', 'achieved', 'p50 (ms)', 'p90 (ms)', 'p99 (ms)', 'p99.9 (ms)', 'max (ms)', 'errors', 'timeouts', 'send lag avg / max (ms)'];
  if (withSeed) header.push("seed's throughput / average delay (ms)");
  const body = rows.map((r) => {
    const perConn = r.mode === 'closed' ? `closed (-P ${r.pipeline})` : fmtInt(r.rate);
    if (r.skipped !== null) {
      const cells = [fmtInt(r.connections), perConn, `skipped: ${r.skipped}`, '', '', '', '', '', '', '', '', '', '', ''];
      if (withSeed) cells.push(seedCell(r));
      return cells;
    }
    const lag = r.mode === 'closed' ? '—' : `${fmtMs(r.lagAvgMs)} / ${fmtMs(r.lagMaxMs)}${isLagging(r) ? ' ⚠' : ''}`;
    const errors = r.lost > 0 ? `${fmtInt(r.errors)} (+${fmtInt(r.lost)} lost)` : fmtInt(r.errors);
    const cells = [
      fmtInt(r.connections), perConn, fmtRate(r.throughput), fmtMs(r.avgMs),
      r.offered === null ? '—' : fmtRate(r.offered), fmtRatio(r.achieved),
      fmtMs(r.p50), fmtMs(r.p90), fmtMs(r.p99), fmtMs(r.p999), fmtMs(r.maxMs),
      errors, fmtInt(r.timeouts), lag,
    ];
    if (withSeed) cells.push(seedCell(r));
    return cells;
  });
  return table(header, body, 2);
}

function seedCell(r: RowResult): string {
  const f = seedFigureFor(r.series, r.connections, r.rate);
  return f === undefined ? '' : `${fmtRate(f.throughput)} / ${fmtMs(f.avgMs)}`;
}

/**
 * Side-by-side comparison of two servers over one series: throughput,
 * average delay and p99 of each, with the ratio first/second.
 */
export function compareTable(rows: RowResult[], first: string, second: string): string {
  const header = ['connections', 'requests/s per connection',
    `throughput ${first}`, `throughput ${second}`, `${first} / ${second}`,
    `avg ms ${first}`, `avg ms ${second}`, `${first} / ${second}`,
    `p99 ms ${first}`, `p99 ms ${second}`, `${first} / ${second}`];
  const body: string[][] = [];
  const keyOf = (r: RowResult): string => `${r.connections}x${r.rate}x${r.mode}`;
  const a = rows.filter((r) => r.server === first);
  for (const ra of a) {
    const rb = rows.find((r) => r.server === second && keyOf(r) === keyOf(ra));
    if (rb === undefined) continue;
    const both = ra.skipped === null && rb.skipped === null;
    const ratio = (x: number, y: number): string => (both && y > 0 ? `${(x / y).toFixed(2)}×` : '—');
    const val = (r: RowResult, f: (r: RowResult) => string): string => (r.skipped === null ? f(r) : 'skipped');
    body.push([
      fmtInt(ra.connections), ra.mode === 'closed' ? 'closed' : fmtInt(ra.rate),
      val(ra, (r) => fmtRate(r.throughput)), val(rb, (r) => fmtRate(r.throughput)), ratio(ra.throughput, rb.throughput),
      val(ra, (r) => fmtMs(r.avgMs)), val(rb, (r) => fmtMs(r.avgMs)), ratio(ra.avgMs, rb.avgMs),
      val(ra, (r) => fmtMs(r.p99)), val(rb, (r) => fmtMs(r.p99)), ratio(ra.p99, rb.p99),
    ]);
  }
  return table(header, body, 2);
}

export interface MarkdownOptions {
  /** Add the seed's published figures as a last column (the seed suite). */
  withSeed: boolean;
}

/**
 * The whole Markdown report: per series, one table per server, then (with two
 * servers) the side-by-side comparison; then notes on lagging rows, errors and
 * skipped rows.
 */
export function renderMarkdown(rows: RowResult[], opts: MarkdownOptions): string {
  const out: string[] = [];
  const servers = serversOf(rows);
  for (const series of seriesOrder(rows)) {
    const inSeries = rows.filter((r) => r.series === series);
    out.push(`### ${SERIES_TITLES[series] ?? `Series ${series}`}`, '');
    for (const server of servers) {
      const mine = inSeries.filter((r) => r.server === server);
      if (mine.length === 0) continue;
      const r0 = mine[0];
      out.push(`**${server}** (${r0.host}:${r0.port}, ${r0.protocol}, ${r0.mode} loop, ${r0.durationS} s per row)`, '');
      out.push(seriesTable(mine, opts.withSeed && (series === 'A' || series === 'B')), '');
    }
    if (servers.length >= 2) {
      out.push(`**${servers[0]} vs ${servers[1]}**`, '');
      out.push(compareTable(inSeries, servers[0], servers[1]), '');
    }
  }
  const notes = renderNotes(rows);
  if (notes.length > 0) out.push('**Notes**', '', ...notes, '');
  return out.join('\n');
}

function rowName(r: RowResult): string {
  const load = r.mode === 'closed' ? `closed loop -P ${r.pipeline}` : `${fmtInt(r.rate)} req/s each`;
  return `${r.server}, ${fmtInt(r.connections)} connections at ${load}`;
}

/** One line per problem: the generator lagging, errors, timeouts, lost requests, skipped rows. */
export function renderNotes(rows: RowResult[]): string[] {
  const notes: string[] = [];
  for (const r of rows) {
    if (r.skipped !== null) {
      notes.push(`- ${rowName(r)}: skipped (${r.skipped}).`);
      continue;
    }
    if (isLagging(r)) {
      notes.push(`- ⚠ ${rowName(r)}: the load generator fell behind its schedule, writing requests up to ${fmtMs(r.lagMaxMs)} ms late (${fmtMs(r.lagAvgMs)} ms on average), so the server was offered less than planned at times. Latencies still count from the scheduled times.`);
    }
    if (r.errors > 0 || r.timeouts > 0 || r.lost > 0 || r.connectFailures > 0) {
      const parts: string[] = [];
      if (r.errors > 0) parts.push(`${fmtInt(r.errors)} error replies`);
      if (r.timeouts > 0) parts.push(`${fmtInt(r.timeouts)} timeouts`);
      if (r.lost > 0) parts.push(`${fmtInt(r.lost)} requests lost to closed connections`);
      if (r.connectFailures > 0) parts.push(`${fmtInt(r.connectFailures)} connections failed to open`);
      const errs = r.errorSamples.filter((s) => !s.startsWith('note: '));
      const sample = errs.length > 0 ? ` First error: ${errs.slice(0, 2).join('; ')}` : '';
      notes.push(`- ${rowName(r)}: ${parts.join(', ')}.${sample}`);
    }
  }
  // Remarks about a server rather than a row (e.g. it answers inline commands in RESP) are said once per server.
  const said = new Set<string>();
  for (const r of rows) {
    for (const s of r.errorSamples) {
      if (!s.startsWith('note: ') || said.has(`${r.server}\0${s}`)) continue;
      said.add(`${r.server}\0${s}`);
      notes.push(`- ${r.server}: ${s.slice('note: '.length)}.`);
    }
  }
  return notes;
}

/** Fields of a row in JSON and CSV, in this order. */
export const ROW_FIELDS: Array<keyof RowResult> = [
  'series', 'server', 'host', 'port', 'protocol', 'mode', 'connections', 'rate', 'pipeline', 'durationS',
  'offered', 'sent', 'replies', 'throughput', 'achieved', 'avgMs', 'p50', 'p90', 'p99', 'p999', 'maxMs',
  'errors', 'timeouts', 'lost', 'connectFailures', 'lagAvgMs', 'lagMaxMs', 'threads', 'skipped', 'errorSamples',
];

export interface JsonMeta {
  tool: string;
  startedAt: string;
  node: string;
  cpus: number;
  command: string;
  settings: Record<string, unknown>;
}

export function renderJson(rows: RowResult[], meta: JsonMeta): string {
  const ordered = rows.map((r) => Object.fromEntries(ROW_FIELDS.map((f) => [f, r[f]])));
  return JSON.stringify({ ...meta, rows: ordered }, null, 2) + '\n';
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = Array.isArray(v) ? v.join('; ') : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(rows: RowResult[]): string {
  const lines = [ROW_FIELDS.join(',')];
  for (const r of rows) lines.push(ROW_FIELDS.map((f) => csvCell(r[f])).join(','));
  return lines.join('\n') + '\n';
}
