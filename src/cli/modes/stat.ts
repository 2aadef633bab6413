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
