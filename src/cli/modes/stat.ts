/**
 * The polling modes: --stat (statMode: a rolling table from INFO, its
 * header every 20 lines), --latency and --latency-history (latencyMode:
 * PING every 10 ms, min/max/avg in ms). In TTY style --latency redraws one
 * line forever; with --raw, --csv, --json or a pipe it samples for -i
 * seconds (1 by default) and prints one line; --latency-history prints a
 * range every -i seconds (15 by default). They run until SIGINT (which ends
 * the process, as in redis-cli) unless they end by themselves.
 */
import type { CliOptions } from '../options.js';
import type { Reply } from '../reply.js';
import { outputMode, put, type Io } from '../session.js';
import { CliExit, sleep } from './command.js';
import { connectOrExit } from './keys.js';

/** getInfoField(): the text after "field:" up to "\r" or ",", or null. */
export function infoField(info: string, field: string): string | null {
  const p = info.indexOf(field);
  if (p === -1) return null;
  const start = p + field.length + 1;
  let end = info.indexOf('\r', start);
  if (end === -1) end = info.length;
  const comma = info.indexOf(',', start);
  if (comma !== -1 && comma < end) end = comma;
  return info.slice(start, end);
}

/** getLongInfoField(): strtol of the field, or null when it is missing (LONG_MIN in C). */
function longField(info: string, field: string): number | null {
  const v = infoField(info, field);
  if (v === null) return null;
  const m = /^\s*[+-]?\d+/.exec(v);
  return m === null ? 0 : Number(m[0]);
}

/** bytesToHuman(): 100B, 4.00K, 2.50M, 1.00G. */
export function bytesToHuman(n: number): string {
  const sign = n < 0 ? '-' : '';
  n = Math.abs(n);
  if (n < 1024) return `${sign}${n}B`;
  if (n < 1024 * 1024) return `${sign}${(n / 1024).toFixed(2)}K`;
  if (n < 1024 ** 3) return `${sign}${(n / 1024 ** 2).toFixed(2)}M`;
  if (n < 1024 ** 4) return `${sign}${(n / 1024 ** 3).toFixed(2)}G`;
  return sign;
}

const STAT_HEADER =
  '------- data ------ --------------------- load -------------------- - child -\n' + 'keys       mem      clients blocked requests            connections          \n';

/** One --stat line from an INFO text; `previous` is the last total_commands_processed (0 at first). */
export function statLine(info: string, previous: number): { line: string; requests: number } {
  let keys = 0;
  for (let j = 0; j < 20; j++) {
    const k = longField(info, `db${j}:keys`);
    if (k !== null) keys += k;
  }
  const num = (f: string): number => longField(info, f) ?? -9223372036854775808;
  const requests = num('total_commands_processed');
  let line = String(keys).padEnd(11);
  line += bytesToHuman(num('used_memory')).padEnd(8);
  line += ' ' + String(num('connected_clients')).padEnd(8);
  line += String(num('blocked_clients')).padEnd(8);
  line += `${requests} (+${previous === 0 ? 0 : requests - previous})`.padEnd(19);
  line += ' ' + String(num('total_connections_received')).padEnd(12);
  const child = (num('bgsave_in_progress') | (num('aof_rewrite_in_progress') << 1) | (num('loading') << 2)) & 0xff;
  line += ({ 1: 'SAVE', 2: 'AOF', 3: 'SAVE+AOF', 4: 'LOAD' } as Record<number, string>)[child] ?? '';
  return { line: line + '\n', requests };
}

/** reconnectingRedisCommand() simplified: one command; I/O errors exit as redis-cli does after its retries. */
async function call(conn: { command(a: string[]): Promise<Reply> }, io: Io, args: string[]): Promise<Reply> {
  try {
    return await conn.command(args);
  } catch (e) {
    put(io.stderr, `Error: ${(e as Error).message}\n`);
    throw new CliExit(1);
  }
}

/** --stat. `maxLines` bounds the loop (tests); redis-cli has none. */
export async function statMode(o: CliOptions, io: Io, maxLines = Infinity): Promise<number> {
  const runner = await connectOrExit(o, io);
  const interval = o.interval === 0 ? 1 : o.interval;
  let requests = 0;
  try {
    for (let i = 0; i < maxLines; i++) {
      const r = await call(runner.session!.conn, io, ['INFO']);
      if (r.type === 'error') {
        put(io.stderr, `ERROR: ${r.value}\n`);
        throw new CliExit(1);
      }
      const info = r.type === 'string' || r.type === 'verbatim' ? r.value.toString('latin1') : '';
      if (i % 20 === 0) put(io.stdout, STAT_HEADER);
      const s = statLine(info, requests);
      requests = s.requests;
      put(io.stdout, s.line);
      await sleep(interval);
    }
    return 0;
  } finally {
    runner.close();
  }
}

/** LATENCY_SAMPLE_RATE (ms between PINGs) and LATENCY_HISTORY_DEFAULT_INTERVAL (ms). */
const LATENCY_SAMPLE_RATE = 10;
const LATENCY_HISTORY_DEFAULT_INTERVAL = 15000;

/** latencyModePrint(): the figures in the style of the output (quoted JSON prints nothing, as in 7.0). */
export function latencyLine(mode: string, min: number, max: number, avg: number, count: number): string {
  const a = avg.toFixed(2);
  switch (mode) {
    case 'standard': return `min: ${min}, max: ${max}, avg: ${a} (${count} samples)`;
    case 'csv': return `${min},${max},${a},${count}\n`;
    case 'raw': return `${min} ${max} ${a} ${count}\n`;
    case 'json': return `{"min": ${min}, "max": ${max}, "avg": ${a}, "count": ${count}}\n`;
    default: return '';
  }
}

/** --latency and --latency-history. */
export async function latencyMode(o: CliOptions, io: Io, history: boolean): Promise<number> {
  const runner = await connectOrExit(o, io);
  const mode = outputMode(o, io);
  const historyInterval = o.interval > 0 ? o.interval * 1000 : LATENCY_HISTORY_DEFAULT_INTERVAL;
  const interval = o.interval === 0 ? 1000 : o.interval * 1000;
  let historyStart = Date.now();
  let min = 0;
  let max = 0;
  let tot = 0;
  let count = 0;
  const out = (s: string): void => put(io.stdout, s);
  try {
    for (;;) {
      const start = Date.now();
      await call(runner.session!.conn, io, ['PING']);
      const latency = Date.now() - start;
      count++;
      if (count === 1) min = max = tot = latency;
      else {
        min = Math.min(min, latency);
        max = Math.max(max, latency);
        tot += latency;
      }
      const avg = tot / count;
      if (mode === 'standard') out('\x1b[0G\x1b[2K' + latencyLine(mode, min, max, avg, count));
      else if (history) out(latencyLine(mode, min, max, avg, count));
      else if (Date.now() - historyStart > interval) {
        out(latencyLine(mode, min, max, avg, count));
        return 0;
      }
      if (history && Date.now() - historyStart > historyInterval) {
        out(` -- ${((Date.now() - historyStart) / 1000).toFixed(2)} seconds range\n`);
        historyStart = Date.now();
        min = max = tot = count = 0;
      }
      await sleep(LATENCY_SAMPLE_RATE / 1000);
    }
  } finally {
    runner.close();
  }
}

/** spectrum_palette_color and spectrum_palette_mono (xterm 256-colour indexes, darkest first). */
const PALETTE_COLOR = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 144, 143, 142, 184, 226, 214, 208, 202, 196];
const PALETTE_MONO = [0, 233, 234, 235, 237, 239, 241, 243, 245, 247, 249, 251, 253];

/** latencyDistMode's buckets: the upper bound in microseconds (0: the rest) and the character shown. */
const DIST_BUCKETS: [number, string][] = [
  [10, '.'], [125, '-'], [250, '*'], [500, '#'], [1000, '1'], [2000, '2'], [3000, '3'], [4000, '4'], [5000, '5'], [6000, '6'], [7000, '7'], [8000, '8'], [9000, '9'],
  [10000, 'A'], [20000, 'B'], [30000, 'C'], [40000, 'D'], [50000, 'E'], [100000, 'F'], [200000, 'G'], [300000, 'H'], [400000, 'I'], [500000, 'J'],
  [1000000, 'K'], [2000000, 'L'], [4000000, 'M'], [8000000, 'N'], [16000000, 'O'], [30000000, 'P'], [60000000, 'Q'], [0, '?'],
];

/** showLatencyDistLegend(). */
export function latencyDistLegend(palette: readonly number[]): string {
  return (
    '---------------------------------------------\n' +
    '. - * #          .01 .125 .25 .5 milliseconds\n' +
    '1,2,3,...,9      from 1 to 9     milliseconds\n' +
    'A,B,C,D,E        10,20,30,40,50  milliseconds\n' +
    'F,G,H,I,J        .1,.2,.3,.4,.5       seconds\n' +
    'K,L,M,N,O,P,Q,?  1,2,4,8,16,30,60,>60 seconds\n' +
    'From 0 to 100%: ' +
    palette.map((c) => `\x1b[48;5;${c}m `).join('') +
    '\x1b[0m\n' +
    '---------------------------------------------\n'
  );
}

/** showLatencyDistSamples(): one spectrum line; each bucket's background is its share of the samples. */
export function latencyDistLine(counts: readonly number[], total: number, palette: readonly number[]): string {
  let line = '\x1b[38;5;0m';
  DIST_BUCKETS.forEach(([, ch], j) => {
    const idx = Math.ceil((counts[j]! / total) * (palette.length - 1));
    line += `\x1b[48;5;${palette[idx]}m${ch}`;
  });
  return line + '\x1b[0m\n';
}

const usNow = (): number => Number(process.hrtime.bigint() / 1000n);

/** --latency-dist (latencyDistMode): a spectrum line every -i seconds (1 by default), the legend every 20 lines. */
export async function latencyDistMode(o: CliOptions, io: Io): Promise<number> {
  const runner = await connectOrExit(o, io);
  const palette = o.mono ? PALETTE_MONO : PALETTE_COLOR;
  const historyInterval = o.interval > 0 ? o.interval * 1000 : 1000;
  let historyStart = usNow();
  let outputs = 0;
  let count = 0;
  const counts = DIST_BUCKETS.map(() => 0);
  try {
    for (;;) {
      const start = usNow();
      await call(runner.session!.conn, io, ['PING']);
      const latency = usNow() - start;
      count++;
      const j = DIST_BUCKETS.findIndex(([max]) => max === 0 || latency <= max);
      counts[j]!++;
      if ((usNow() - historyStart) / 1000 > historyInterval) {
        if (outputs++ % 20 === 0) put(io.stdout, latencyDistLegend(palette));
        put(io.stdout, latencyDistLine(counts, count, palette));
        counts.fill(0);
        historyStart = usNow();
        count = 0;
      }
      await sleep(LATENCY_SAMPLE_RATE / 1000);
    }
  } finally {
    runner.close();
  }
}
