/**
 * A self-contained SVG chart of measured rows. Pure function of the rows;
 * hand-written SVG with no scripts, fonts or external references, so it
 * renders the same in any browser, on GitHub, and as an <img>.
 *
 * Two layouts:
 *
 *   the seed suite (series A and/or B), log-log:
 *     +------------------------+------------------------+
 *     | A: throughput vs rate  | B: throughput vs conns |
 *     | A: p99 vs rate         | B: p99 vs conns        |
 *     +------------------------+------------------------+
 *
 *   a single run (series "run", one row per server):
 *     +---------------------------+---------------------------+
 *     | throughput over time,     | latency by percentile     |
 *     | with the offered load     | (p50, p90, p99, p99.9,    |
 *     | as a dashed line          |  max), log y              |
 *     +---------------------------+---------------------------+
 *
 * Readability rules: every server has its own colour AND its own dash
 * pattern and marker (circle, square, triangle, diamond), the first drawn
 * widest so that identical figures still show both lines; the offered load
 * is a thin dark dotted line drawn over them; the legend names every line;
 * the title shrinks (and the picture widens if it must) until its estimated
 * width fits, and the legend wraps instead of running off the edge.
 */
import type { RowResult } from './run.js';

/** Panel geometry in SVG user units (pixels at 100% zoom). */
const PANEL_W = 520;
const PANEL_H = 320;
const MARGIN = { left: 70, right: 20, top: 34, bottom: 48 };
const TITLE_SIZE = 17;
const TITLE_MIN_SIZE = 12;
const LEGEND_ROW_H = 20;
/** Space kept free on each side of the title and the legend. */
const SIDE_PAD = 20;

/** One visual style per server, in order: colour, stroke width, dash pattern, marker. */
export const SERVER_STYLES: ReadonlyArray<{ color: string; width: number; dash: string | null; marker: Marker }> = [
  { color: '#1f77b4', width: 4, dash: null, marker: 'circle' },
  { color: '#d62728', width: 2, dash: '8 4', marker: 'square' },
  { color: '#2ca02c', width: 2, dash: '3 3', marker: 'triangle' },
  { color: '#9467bd', width: 2, dash: '10 3 2 3', marker: 'diamond' },
  { color: '#ff7f0e', width: 2, dash: '1 3', marker: 'circle' },
  { color: '#8c564b', width: 2, dash: '12 4', marker: 'square' },
];
export const OFFERED_STYLE = { color: '#333333', width: 1.5, dash: '2 3' };
/** Panel titles, short enough for a 520-unit panel. */
const SHORT_TITLES: Record<string, string> = { A: 'A · 10 connections', B: 'B · 10 req/s per connection' };

type Marker = 'circle' | 'square' | 'triangle' | 'diamond';

interface Point {
  x: number;
  y: number;
  tip: string;
}

interface Line {
  name: string;
  /** Index into SERVER_STYLES, or -1 for the offered load. */
  style: number;
  points: Point[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Estimated rendered width of `s` in Helvetica/Arial at `size` px: about
 * 0.58 em per ordinary character, wide capitals and narrow punctuation
 * weighted apart, bold 15% wider. Checked against rsvg-convert's rendering of
 * our titles (it measured 4% under this for bold), so it errs wide: what fits
 * by this estimate fits on screen.
 */
export function textWidth(s: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of s) {
    if ('il.,:;|!\'· '.includes(ch)) em += 0.3;
    else if ('mwMW@'.includes(ch)) em += 0.9;
    else if (ch >= 'A' && ch <= 'Z') em += 0.7;
    else em += 0.58;
  }
  return em * size * (bold ? 1.15 : 1);
}

/** 1, 10, 100, 1k, 10k, 100k, 1M; below 1: 0.1, 0.01 … */
export function fmtTick(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  if (v >= 1) return String(Number(v.toPrecision(3)));
  return String(Number(v.toPrecision(1)));
}

/** The decade range [10^a, 10^b] covering all positive values (at least one decade wide). */
export function decadeRange(values: number[]): [number, number] {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (pos.length === 0) return [1, 10];
  const lo = Math.floor(Math.log10(Math.min(...pos)));
  let hi = Math.ceil(Math.log10(Math.max(...pos)));
  if (hi <= lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

/** A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals up to `max`. */
export function niceStep(max: number, ticks = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

function markerSvg(kind: Marker, x: number, y: number, color: string, filled: boolean, tip: string): string {
  const fill = filled ? color : '#ffffff';
  const common = `fill="${fill}" stroke="${color}" stroke-width="1.8"`;
  const t = `<title>${esc(tip)}</title>`;
  const X = x.toFixed(1);
  const Y = y.toFixed(1);
  switch (kind) {
    case 'circle':
      return `<circle class="marker" cx="${X}" cy="${Y}" r="5" ${common}>${t}</circle>`;
    case 'square':
      return `<rect class="marker" x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" ${common}>${t}</rect>`;
    case 'triangle':
      return `<path class="marker" d="M${X},${(y - 5).toFixed(1)} L${(x + 5).toFixed(1)},${(y + 4).toFixed(1)} L${(x - 5).toFixed(1)},${(y + 4).toFixed(1)} Z" ${common}>${t}</path>`;
    case 'diamond':
      return `<path class="marker" d="M${X},${(y - 5.5).toFixed(1)} L${(x + 5.5).toFixed(1)},${Y} L${X},${(y + 5.5).toFixed(1)} L${(x - 5.5).toFixed(1)},${Y} Z" ${common}>${t}</path>`;
  }
}

/** A line's stroke attributes. */
function strokeOf(style: number): { color: string; width: number; dash: string | null } {
  return style < 0 ? OFFERED_STYLE : SERVER_STYLES[style % SERVER_STYLES.length];
}

function drawLine(line: Line, pts: Array<{ X: number; Y: number; tip: string }>, out: string[]): void {
  if (pts.length === 0) return;
  const s = strokeOf(line.style);
  const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.X.toFixed(1)},${p.Y.toFixed(1)}`).join(' ');
  const cls = line.style < 0 ? 'offered' : 'series';
  out.push(`<path class="${cls}" data-name="${esc(line.name)}" d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width}"${s.dash !== null ? ` stroke-dasharray="${s.dash}"` : ''} stroke-linejoin="round"/>`);
  if (line.style >= 0) {
    const st = SERVER_STYLES[line.style % SERVER_STYLES.length];
    // The first server's markers are filled, the others hollow, so stacked markers stay distinguishable.
    for (const p of pts) out.push(markerSvg(st.marker, p.X, p.Y, st.color, line.style === 0, p.tip));
  }
}

interface Axis {
  /** Value to pixel. */
  map(v: number): number;
  ticks: Array<{ v: number; label: string; major: boolean }>;
}

function logAxis(values: number[], from: number, to: number): Axis {
  const [lo, hi] = decadeRange(values);
  const map = (v: number): number => from + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (to - from);
  const labelMinor = Math.log10(hi / lo) <= 2.0001;
  const ticks: Axis['ticks'] = [];
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    ticks.push({ v: d, label: fmtTick(d), major: true });
    if (d < hi * 0.9999) for (const m of [2, 5]) ticks.push({ v: m * d, label: labelMinor ? fmtTick(m * d) : '', major: false });
  }
  return { map, ticks };
}

/** A linear axis from 0; `headroom` leaves that fraction free above the largest value. */
function linearAxis(max: number, from: number, to: number, headroom: number): Axis {
  const step = niceStep(max);
  const hi = Math.max(step, Math.ceil((max * (1 + headroom)) / step - 1e-9) * step);
  const map = (v: number): number => from + (v / hi) * (to - from);
  const ticks: Axis['ticks'] = [];
  for (let v = 0; v <= hi + step / 1000; v += step) ticks.push({ v, label: fmtTick(Number(v.toPrecision(6))), major: true });
  return { map, ticks };
}

interface PanelSpec {
  x0: number;
  y0: number;
  title: string;
  xLabel: string;
  yLabel: string;
  lines: Line[];
  /** x axis: log (suite), linear from 0 (time), or categories (percentiles). */
  xKind: 'log' | 'linear' | { categories: string[] };
  yKind: 'log' | 'linear';
}

function panel(spec: PanelSpec): string {
  const { x0, y0 } = spec;
  const left = x0 + MARGIN.left;
  const right = x0 + PANEL_W - MARGIN.right;
  const top = y0 + MARGIN.top;
  const bottom = y0 + PANEL_H - MARGIN.bottom;
  const all = spec.lines.flatMap((l) => l.points);
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  let xAxis: Axis;
  if (spec.xKind === 'log') xAxis = logAxis(xs, left, right);
  else if (spec.xKind === 'linear') xAxis = linearAxis(Math.max(0, ...xs), left, right, 0);
  else {
    const cats = spec.xKind.categories;
    const slot = (right - left) / cats.length;
    xAxis = { map: (i: number) => left + slot * (i + 0.5), ticks: cats.map((c, i) => ({ v: i, label: c, major: true })) };
  }
  const yAxis = spec.yKind === 'log' ? logAxis(ys, bottom, top) : linearAxis(Math.max(0, ...ys), bottom, top, 0.08);
  const out: string[] = [];
  out.push('<g class="panel">');
  out.push(`<text x="${x0 + PANEL_W / 2}" y="${y0 + 20}" text-anchor="middle" font-size="14" font-weight="bold">${esc(spec.title)}</text>`);
  out.push(`<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="#fff" stroke="#333"/>`);
  const categorical = typeof spec.xKind === 'object';
  for (const t of xAxis.ticks) {
    const x = xAxis.map(t.v).toFixed(1);
    if (!categorical) out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="${t.major ? '#ddd' : '#f0f0f0'}"/>`);
    if (t.label !== '') out.push(`<text x="${x}" y="${bottom + 16}" text-anchor="middle" font-size="${t.major ? 11 : 10}"${t.major ? '' : ' fill="#666"'}>${esc(t.label)}</text>`);
  }
  for (const t of yAxis.ticks) {
    const y = yAxis.map(t.v).toFixed(1);
    out.push(`<line x1="${left}" y1="${y}" x2="${right}" y2="${y}" stroke="${t.major ? '#ddd' : '#f0f0f0'}"/>`);
    if (t.label !== '') out.push(`<text x="${left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="${t.major ? 11 : 10}"${t.major ? '' : ' fill="#666"'}>${esc(t.label)}</text>`);
  }
  out.push(`<text x="${(left + right) / 2}" y="${y0 + PANEL_H - 10}" text-anchor="middle" font-size="12">${esc(spec.xLabel)}</text>`);
  const yMid = (top + bottom) / 2;
  out.push(`<text x="${x0 + 16}" y="${yMid}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 16} ${yMid})">${esc(spec.yLabel)}</text>`);
  const xOk = (v: number): boolean => (spec.xKind === 'log' ? v > 0 : v >= 0) && Number.isFinite(v);
  const yOk = (v: number): boolean => (spec.yKind === 'log' ? v > 0 : v >= 0) && Number.isFinite(v);
  // Servers in order, so later (thinner, dashed) lines lie on top of earlier (wider) ones; the thin
  // dotted offered load goes last, so it shows even where a server achieved exactly the offered load.
  const ordered = [...spec.lines].sort((a, b) => (a.style < 0 ? 1e9 : a.style) - (b.style < 0 ? 1e9 : b.style));
  for (const line of ordered) {
    const pts = line.points.filter((p) => xOk(p.x) && yOk(p.y)).sort((a, b) => a.x - b.x);
    drawLine(line, pts.map((p) => ({ X: xAxis.map(p.x), Y: yAxis.map(p.y), tip: p.tip })), out);
  }
  out.push('</g>');
  return out.join('\n');
}

/** Title and legend: returns the SVG and the height they take. */
function header(title: string, width: number, legend: Array<{ name: string; style: number }>): { svg: string; height: number } {
  const out: string[] = [];
  let size = TITLE_SIZE;
  while (size > TITLE_MIN_SIZE && textWidth(title, size, true) > width - 2 * SIDE_PAD) size--;
  out.push(`<text class="title" x="${width / 2}" y="24" text-anchor="middle" font-size="${size}" font-weight="bold">${esc(title)}</text>`);
  // Legend entries: a 34-unit sample of the line (with its marker), the name, 24 units of space; wrapped to fit.
  const entryW = (name: string): number => 34 + 6 + textWidth(name, 12) + 24;
  const rows: Array<typeof legend> = [[]];
  let used = 0;
  for (const item of legend) {
    const w = entryW(item.name);
    if (used > 0 && used + w > width - 2 * SIDE_PAD) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push(item);
    used += w;
  }
  out.push('<g class="legend">');
  rows.forEach((row, r) => {
    const rowW = row.reduce((s, it) => s + entryW(it.name), 0) - 24;
    let lx = width / 2 - rowW / 2;
    const y = 48 + r * LEGEND_ROW_H;
    for (const item of row) {
      const s = strokeOf(item.style);
      out.push(`<g class="legend-entry" data-name="${esc(item.name)}">`);
      out.push(`<line x1="${lx.toFixed(1)}" y1="${y}" x2="${(lx + 34).toFixed(1)}" y2="${y}" stroke="${s.color}" stroke-width="${s.width}"${s.dash !== null ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
      if (item.style >= 0) {
        const st = SERVER_STYLES[item.style % SERVER_STYLES.length];
        out.push(markerSvg(st.marker, lx + 17, y, st.color, item.style === 0, item.name));
      }
      out.push(`<text x="${(lx + 40).toFixed(1)}" y="${y + 4}" font-size="12">${esc(item.name)}</text>`);
      out.push('</g>');
      lx += entryW(item.name);
    }
  });
  out.push('</g>');
  return { svg: out.join('\n'), height: 48 + rows.length * LEGEND_ROW_H };
}

export interface ChartOptions {
  title: string;
}

/** Which x a suite series plots against: rate for A, connections for B. */
function xKeyOf(series: string): 'rate' | 'connections' {
  return series === 'A' ? 'rate' : 'connections';
}

/**
 * Throughput over time from a row's timeline of [seconds since start,
 * replies so far] samples: one point per step of at least MIN_STEP_S. The
 * first sample is the base rather than (0, 0): progress counts reach the
 * main thread up to one report interval late, which would draw a ramp that
 * did not happen.
 */
export function timelineRates(timeline: Array<[number, number]>): Array<{ t: number; rate: number }> {
  const MIN_STEP_S = 0.15;
  const out: Array<{ t: number; rate: number }> = [];
  if (timeline.length === 0) return out;
  let last: [number, number] = timeline[0];
  for (const [t, replies] of timeline.slice(1)) {
    if (t <= last[0] + MIN_STEP_S) continue;
    out.push({ t: (t + last[0]) / 2, rate: (replies - last[1]) / (t - last[0]) });
    last = [t, replies];
  }
  return out;
}

/** Renders the chart; rows that were skipped are left out of the lines. */
export function renderSvg(rows: RowResult[], opts: ChartOptions): string {
  const servers: string[] = [];
  for (const r of rows) if (!servers.includes(r.server)) servers.push(r.server);
  const styleOf = (server: string): number => servers.indexOf(server);
  const measured = rows.filter((r) => r.skipped === null);
  const suite = rows.some((r) => r.series === 'A' || r.series === 'B');
  const series: string[] = suite ? ['A', 'B'].filter((s) => rows.some((r) => r.series === s)) : ['run'];
  const hasOffered = measured.some((r) => r.offered !== null);
  const legend = [...servers.map((s) => ({ name: s, style: styleOf(s) })), ...(hasOffered ? [{ name: 'offered load', style: -1 }] : [])];

  const panels: Array<Omit<PanelSpec, 'x0' | 'y0'> & { col: number; row: number }> = [];
  if (suite) {
    series.forEach((s, col) => {
      const inSeries = measured.filter((r) => r.series === s);
      const xKey = xKeyOf(s);
      const xLabel = xKey === 'rate' ? 'requests/s per connection' : 'connections';
      const tip = (r: RowResult, what: string): string => `${r.server}: ${r.connections} connections x ${r.rate} req/s: ${what}`;
      const thr: Line[] = servers.map((server) => ({
        name: server, style: styleOf(server),
        points: inSeries.filter((r) => r.server === server).map((r) => ({ x: r[xKey], y: r.throughput, tip: tip(r, `${r.throughput.toFixed(0)} replies/s`) })),
      }));
      const offered = new Map<number, number>();
      for (const r of inSeries) if (r.offered !== null) offered.set(r[xKey], r.offered);
      if (offered.size > 0) thr.push({ name: 'offered load', style: -1, points: [...offered].map(([x, y]) => ({ x, y, tip: `offered ${y}` })) });
      const p99: Line[] = servers.map((server) => ({
        name: server, style: styleOf(server),
        points: inSeries.filter((r) => r.server === server).map((r) => ({ x: r[xKey], y: r.p99, tip: tip(r, `p99 ${r.p99} ms`) })),
      }));
      const title = SHORT_TITLES[s] ?? `Series ${s}`;
      panels.push({ col, row: 0, title: `${title}: throughput`, xLabel, yLabel: 'throughput (replies/s)', lines: thr, xKind: 'log', yKind: 'log' });
      panels.push({ col, row: 1, title: `${title}: p99 latency`, xLabel, yLabel: 'p99 latency (ms)', lines: p99, xKind: 'log', yKind: 'log' });
    });
  } else {
    // A single run: throughput over time against the offered load, and the latency percentiles.
    const thr: Line[] = [];
    const lat: Line[] = [];
    const cats = ['p50', 'p90', 'p99', 'p99.9', 'max'];
    let offered = null as { y: number; until: number } | null;
    for (const server of servers) {
      const r = measured.find((x) => x.server === server);
      if (r === undefined) continue;
      const rates = r.timeline !== undefined ? timelineRates(r.timeline) : [];
      const points = rates.length > 0
        ? rates.map((p) => ({ x: p.t, y: p.rate, tip: `${server}: ${p.rate.toFixed(0)} replies/s at ${p.t.toFixed(1)} s` }))
        : [0.25, 0.75].map((f) => ({ x: r.durationS * f, y: r.throughput, tip: `${server}: ${r.throughput.toFixed(0)} replies/s (whole run)` }));
      thr.push({ name: server, style: styleOf(server), points });
      const values = [r.p50, r.p90, r.p99, r.p999, r.maxMs];
      lat.push({ name: server, style: styleOf(server), points: values.map((v, i) => ({ x: i, y: v, tip: `${server}: ${cats[i]} ${v} ms` })) });
      if (r.offered !== null) offered = { y: Math.max(offered?.y ?? 0, r.offered), until: Math.max(offered?.until ?? 0, r.durationS) };
    }
    if (offered !== null) thr.push({ name: 'offered load', style: -1, points: [{ x: 0, y: offered.y, tip: `offered ${offered.y}` }, { x: offered.until, y: offered.y, tip: `offered ${offered.y}` }] });
    panels.push({ col: 0, row: 0, title: 'Throughput over time', xLabel: 'seconds since start', yLabel: 'throughput (replies/s)', lines: thr, xKind: 'linear', yKind: 'linear' });
    panels.push({ col: 1, row: 0, title: 'Latency by percentile', xLabel: 'percentile', yLabel: 'latency (ms)', lines: lat, xKind: { categories: cats }, yKind: 'log' });
  }
  const cols = Math.max(...panels.map((p) => p.col)) + 1;
  const panelRows = Math.max(...panels.map((p) => p.row)) + 1;
  // Widen the picture when even the smallest title size would not fit.
  const width = Math.max(PANEL_W * cols, Math.ceil(textWidth(opts.title, TITLE_MIN_SIZE, true) + 2 * SIDE_PAD));
  const head = header(opts.title, width, legend);
  const headerH = head.height + 12;
  const height = headerH + PANEL_H * panelRows;
  const xPad = (width - PANEL_W * cols) / 2;
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<rect width="100%" height="100%" fill="#fafafa"/>`);
  out.push(head.svg);
  for (const p of panels) out.push(panel({ ...p, x0: xPad + p.col * PANEL_W, y0: headerH + p.row * PANEL_H }));
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
