/**
 * A self-contained SVG chart of measured rows: throughput and p99 latency,
 * against requests/s per connection (series A) and against connections
 * (series B and single runs), one line per server, log-log axes.
 *
 * Hand-written SVG with no scripts, fonts or external references, so it
 * renders the same in any browser, on GitHub, and as an <img>. Pure function
 * of the rows.
 *
 *     +------------------------+------------------------+
 *     | A: throughput vs rate  | B: throughput vs conns |
 *     +------------------------+------------------------+
 *     | A: p99 vs rate         | B: p99 vs conns        |
 *     +------------------------+------------------------+
 */
import type { RowResult } from './run.js';

/** Panel geometry in SVG user units (pixels at 100% zoom). */
const PANEL_W = 520;
const PANEL_H = 320;
const MARGIN = { left: 70, right: 20, top: 34, bottom: 48 };
const HEADER_H = 70;
/** Colour-blind-safe-ish palette (Tableau 10's first entries). */
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const OFFERED_COLOR = '#888888';
/** Panel titles, short enough for a 520-unit panel. */
const SHORT_TITLES: Record<string, string> = { A: 'A · 10 connections', B: 'B · 10 req/s per connection', run: 'Run' };

interface Point {
  x: number;
  y: number;
  tip: string;
}

interface Line {
  name: string;
  color: string;
  dashed: boolean;
  points: Point[];
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
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
  let lo = Math.floor(Math.log10(Math.min(...pos)));
  let hi = Math.ceil(Math.log10(Math.max(...pos)));
  if (hi <= lo) hi = lo + 1;
  return [10 ** lo, 10 ** hi];
}

/** Which x a series plots against: rate for A, connections for B; a run plots against whichever varies. */
function xKeyOf(series: string, rows: RowResult[]): 'rate' | 'connections' {
  if (series === 'A') return 'rate';
  if (series === 'B') return 'connections';
  const conns = new Set(rows.map((r) => r.connections));
  const rates = new Set(rows.map((r) => r.rate));
  return conns.size === 1 && rates.size > 1 ? 'rate' : 'connections';
}

function panel(x0: number, y0: number, title: string, xLabel: string, yLabel: string, lines: Line[]): string {
  const plotW = PANEL_W - MARGIN.left - MARGIN.right;
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const all = lines.flatMap((l) => l.points);
  const [xLo, xHi] = decadeRange(all.map((p) => p.x));
  const [yLo, yHi] = decadeRange(all.map((p) => p.y));
  const px = (v: number): number => x0 + MARGIN.left + ((Math.log10(v) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo))) * plotW;
  const py = (v: number): number => y0 + MARGIN.top + plotH - ((Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))) * plotH;
  const out: string[] = [];
  out.push(`<g>`);
  out.push(`<text x="${x0 + PANEL_W / 2}" y="${y0 + 20}" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<rect x="${x0 + MARGIN.left}" y="${y0 + MARGIN.top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#333"/>`);
  // Minor gridlines at 2x and 5x each decade, labelled when the axis spans two decades or fewer.
  const minor = (lo: number, hi: number): number[] => {
    const out: number[] = [];
    for (let d = lo; d < hi * 0.9999; d *= 10) out.push(2 * d, 5 * d);
    return out;
  };
  const labelMinorX = Math.log10(xHi / xLo) <= 2.0001;
  const labelMinorY = Math.log10(yHi / yLo) <= 2.0001;
  for (const m of minor(xLo, xHi)) {
    const x = px(m).toFixed(1);
    out.push(`<line x1="${x}" y1="${y0 + MARGIN.top}" x2="${x}" y2="${y0 + MARGIN.top + plotH}" stroke="#f0f0f0"/>`);
    if (labelMinorX) out.push(`<text x="${x}" y="${y0 + MARGIN.top + plotH + 16}" text-anchor="middle" font-size="10" fill="#666">${fmtTick(m)}</text>`);
  }
  for (const m of minor(yLo, yHi)) {
    const y = py(m).toFixed(1);
    out.push(`<line x1="${x0 + MARGIN.left}" y1="${y}" x2="${x0 + MARGIN.left + plotW}" y2="${y}" stroke="#f0f0f0"/>`);
    if (labelMinorY) out.push(`<text x="${x0 + MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="10" fill="#666">${fmtTick(m)}</text>`);
  }
  for (let d = xLo; d <= xHi * 1.0001; d *= 10) {
    const x = px(d).toFixed(1);
    out.push(`<line x1="${x}" y1="${y0 + MARGIN.top}" x2="${x}" y2="${y0 + MARGIN.top + plotH}" stroke="#ddd"/>`);
    out.push(`<text x="${x}" y="${y0 + MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11">${fmtTick(d)}</text>`);
  }
  for (let d = yLo; d <= yHi * 1.0001; d *= 10) {
    const y = py(d).toFixed(1);
    out.push(`<line x1="${x0 + MARGIN.left}" y1="${y}" x2="${x0 + MARGIN.left + plotW}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11">${fmtTick(d)}</text>`);
  }
  out.push(`<text x="${x0 + MARGIN.left + plotW / 2}" y="${y0 + PANEL_H - 10}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  const yMid = y0 + MARGIN.top + plotH / 2;
  out.push(`<text x="${x0 + 16}" y="${yMid}" text-anchor="middle" font-size="12" transform="rotate(-90 ${x0 + 16} ${yMid})">${esc(yLabel)}</text>`);
  for (const line of lines) {
    const pts = line.points.filter((p) => p.x > 0 && p.y > 0).sort((a, b) => a.x - b.x);
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${line.color}" stroke-width="${line.dashed ? 1.5 : 2}"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    if (!line.dashed) {
      for (const p of pts) {
        out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3.5" fill="${line.color}"><title>${esc(p.tip)}</title></circle>`);
      }
    }
  }
  out.push(`</g>`);
  return out.join('\n');
}

export interface ChartOptions {
  title: string;
}

/** Renders the chart; rows that were skipped are left out of the lines. */
export function renderSvg(rows: RowResult[], opts: ChartOptions): string {
  const series: string[] = [];
  for (const r of rows) if (!series.includes(r.series)) series.push(r.series);
  series.sort((a, b) => (a === 'A' ? 0 : a === 'B' ? 1 : 2) - (b === 'A' ? 0 : b === 'B' ? 1 : 2));
  const servers: string[] = [];
  for (const r of rows) if (!servers.includes(r.server)) servers.push(r.server);
  const color = (server: string): string => COLORS[servers.indexOf(server) % COLORS.length];
  const width = PANEL_W * Math.max(1, series.length);
  const height = HEADER_H + PANEL_H * 2;
  const out: string[] = [];
  out.push(`<?xml version="1.0" encoding="UTF-8"?>`);
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<rect width="100%" height="100%" fill="#fafafa"/>`);
  out.push(`<text x="${width / 2}" y="24" text-anchor="middle" font-size="17" font-weight="bold">${esc(opts.title)}</text>`);
  // Legend: one entry per server, then the offered load.
  const legend = [...servers.map((s) => ({ name: s, color: color(s), dashed: false })), { name: 'offered load', color: OFFERED_COLOR, dashed: true }];
  const legendW = 170;
  let lx = width / 2 - (legend.length * legendW) / 2;
  for (const item of legend) {
    out.push(`<line x1="${lx}" y1="48" x2="${lx + 28}" y2="48" stroke="${item.color}" stroke-width="2"${item.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${lx + 34}" y="52" font-size="12">${esc(item.name)}</text>`);
    lx += legendW;
  }
  series.forEach((s, col) => {
    const inSeries = rows.filter((r) => r.series === s && r.skipped === null);
    const xKey = xKeyOf(s, inSeries);
    const xLabel = xKey === 'rate' ? 'requests/s per connection' : 'connections';
    const title = SHORT_TITLES[s] ?? `Series ${s}`;
    const tip = (r: RowResult, what: string): string =>
      `${r.server}: ${r.connections} connections x ${r.rate} req/s: ${what}`;
    const thrLines: Line[] = servers.map((server) => ({
      name: server, color: color(server), dashed: false,
      points: inSeries.filter((r) => r.server === server).map((r) => ({ x: r[xKey], y: r.throughput, tip: tip(r, `${r.throughput.toFixed(0)} replies/s`) })),
    }));
    const offered = new Map<number, number>();
    for (const r of inSeries) if (r.offered !== null) offered.set(r[xKey], r.offered);
    thrLines.push({ name: 'offered load', color: OFFERED_COLOR, dashed: true, points: [...offered].map(([x, y]) => ({ x, y, tip: `offered ${y}` })) });
    const p99Lines: Line[] = servers.map((server) => ({
      name: server, color: color(server), dashed: false,
      points: inSeries.filter((r) => r.server === server).map((r) => ({ x: r[xKey], y: r.p99, tip: tip(r, `p99 ${r.p99} ms`) })),
    }));
    out.push(panel(col * PANEL_W, HEADER_H, `${title}: throughput`, xLabel, 'throughput (replies/s)', thrLines));
    out.push(panel(col * PANEL_W, HEADER_H + PANEL_H, `${title}: p99 latency`, xLabel, 'p99 latency (ms)', p99Lines));
  });
  out.push(`</svg>`);
  return out.join('\n') + '\n';
}
