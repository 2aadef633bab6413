/**
 * The `server` group's latency tools, as Redis 7.0.15's latency.c: the
 * latency monitor (per event, the worst latency of each second over the
 * last LATENCY_TS_LEN seconds that passed `latency-monitor-threshold`, and
 * the all-time worst), the per-command latency histograms of
 * `latency-tracking` (INFO latencystats and LATENCY HISTOGRAM), and the
 * LATENCY command: LATEST, HISTORY, RESET, DOCTOR, GRAPH, HISTOGRAM, HELP.
 *
 * The monitor and the histograms belong to one server's CommandObserver
 * (observer.ts), which feeds them; this module only keeps and shows them.
 * Histograms are HdrHistograms (hdr-histogram-js) configured as Redis's
 * (1 ns to 1 s, 2 significant digits), so percentiles and buckets come out
 * as Redis computes them from the same durations.
 */
import hdr from 'hdr-histogram-js';
import type { JsHistogram } from 'hdr-histogram-js';
import { latencyNoSamples } from '../errors.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString } from './args.js';
import { allCommands, lookupByFullName } from './command-reply.js';
import { replyHelp } from './connection.js';
import type { ServerState } from './state.js';
import type { CommandContext, CommandSpec, LoadedCommand } from './table.js';

/** latency.h: samples kept per event, one per second. */
export const LATENCY_TS_LEN = 160;
/** server.h: histogram bounds, ns (durations outside are clamped to them), and precision. */
const LATENCY_HISTOGRAM_MIN_VALUE = 1; // ns
const LATENCY_HISTOGRAM_MAX_VALUE = 1_000_000_000; // ns
const LATENCY_HISTOGRAM_PRECISION = 2; // significant digits
/** latency.c fillCommandCDF: the first bucket's upper value (ns) and each next one's factor. */
const CDF_FIRST_BUCKET = 1024; // ns
const CDF_LOG_BASE = 2;
/** latency.c LATENCY_GRAPH_COLS and the sparkline's rows. */
const LATENCY_GRAPH_COLS = 80;
const LATENCY_GRAPH_ROWS = 4;

/** One event's samples (latency.h latencyTimeSeries): a ring of LATENCY_TS_LEN, time 0 = empty. */
class TimeSeries {
  idx = 0;
  max = 0;
  readonly time = new Float64Array(LATENCY_TS_LEN); // seconds since the epoch
  readonly latency = new Float64Array(LATENCY_TS_LEN); // ms
}

/** The latency monitor's events, in the order first seen. */
export class LatencyMonitor {
  readonly events = new Map<string, TimeSeries>();

  /** latencyAddSample: one sample per second per event, the worst of that second kept. */
  addSample(event: string, ms: number, nowSec: number): void {
    let ts = this.events.get(event);
    if (ts === undefined) {
      ts = new TimeSeries();
      this.events.set(event, ts);
    }
    if (ms > ts.max) ts.max = ms;
    const prev = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (ts.time[prev] === nowSec) {
      if (ms > ts.latency[prev]!) ts.latency[prev] = ms;
      return;
    }
    ts.time[ts.idx] = nowSec;
    ts.latency[ts.idx] = ms;
    ts.idx = (ts.idx + 1) % LATENCY_TS_LEN;
  }

  /** latencyResetEvent: drops the event named (any case), or every event for null; returns how many. */
  reset(event: string | null): number {
    let n = 0;
    for (const name of [...this.events.keys()]) {
      if (event === null || name.toLowerCase() === event.toLowerCase()) {
        this.events.delete(name);
        n++;
      }
    }
    return n;
  }
}

/**
 * hdr_histogram's layout for Redis's settings (1 ns unit, 2 significant
 * digits): 256 sub-buckets, the lower half of each bucket after the first
 * shared with the one before, so a value's slot is found from its leading
 * zeros alone. Recording is one increment into a Float64Array:
 * hdr-histogram-js's own recordValue costs ~130 ns here, a third of a
 * pipelined GET. Reading (INFO, LATENCY HISTOGRAM) copies the counts into
 * an hdr-histogram-js histogram of the same layout, whose slots are the
 * same, and asks it for percentiles and bucket bounds.
 */
const SUB_BUCKET_HALF_COUNT_MAGNITUDE = 7;
const SUB_BUCKET_HALF_COUNT = 1 << SUB_BUCKET_HALF_COUNT_MAGNITUDE; // 128
const SUB_BUCKET_MASK = 2 * SUB_BUCKET_HALF_COUNT - 1; // 255
/** Slots up to LATENCY_HISTOGRAM_MAX_VALUE (its slot is 3071). */
const COUNTS_LEN = slotOf(LATENCY_HISTOGRAM_MAX_VALUE) + 1;

/** hdr's counts_index_for(value), for 1 <= value < 2^31 and unit 1. */
function slotOf(v: number): number {
  const bucket = 24 - Math.clz32(v | SUB_BUCKET_MASK);
  return ((bucket + 1) << SUB_BUCKET_HALF_COUNT_MAGNITUDE) + (v >>> bucket) - SUB_BUCKET_HALF_COUNT;
}

/** Per-command latency histograms by LoadedCommand.index (Redis's cmd->latency_histogram). */
export class CommandHistograms {
  private readonly byIndex: (Float64Array | undefined)[] = [];

  /** updateCommandLatencyHistogram: records `ns`, clamped to the histogram's range. Allocates only a command's first time. */
  record(cmd: LoadedCommand, ns: number): void {
    let counts = this.byIndex[cmd.index];
    if (counts === undefined) {
      counts = new Float64Array(COUNTS_LEN);
      this.byIndex[cmd.index] = counts;
    }
    const v = ns < LATENCY_HISTOGRAM_MIN_VALUE ? LATENCY_HISTOGRAM_MIN_VALUE : ns > LATENCY_HISTOGRAM_MAX_VALUE ? LATENCY_HISTOGRAM_MAX_VALUE : Math.round(ns);
    counts[slotOf(v)]!++;
  }

  /** The command's histogram as an hdr-histogram-js one (a copy, for reading), or undefined when it never ran. */
  get(cmd: LoadedCommand): JsHistogram | undefined {
    const counts = this.byIndex[cmd.index];
    if (counts === undefined) return undefined;
    const h = new hdr.Float64Histogram(LATENCY_HISTOGRAM_MIN_VALUE, LATENCY_HISTOGRAM_MAX_VALUE, LATENCY_HISTOGRAM_PRECISION) as JsHistogram;
    for (let i = 0; i < COUNTS_LEN; i++) if (counts[i]! > 0) h.recordValueWithCount(h.valueFromIndex(i), counts[i]!);
    return h;
  }

  /** Whether the command has a histogram (it ran since the last reset). */
  has(cmd: LoadedCommand): boolean {
    return this.byIndex[cmd.index] !== undefined;
  }

  /** CONFIG RESETSTAT: every histogram goes, as Redis's resetCommandTableStats frees them. */
  reset(): void {
    this.byIndex.length = 0;
  }
}

/** Redis's "%f" then trimDoubleString: 50 -> "50", 99.9 -> "99.9". */
export function percentileText(p: number): string {
  return p.toFixed(6).replace(/\.?0+$/, '');
}

/** `latency_percentiles_usec_<cmd>:p50=…` lines (server.c genRedisInfoStringLatencyStats), in table order. */
export function latencystatsLines(server: ServerState): string[] {
  const obs = server.observer;
  const out: string[] = [];
  for (const cmd of allCommands(server.table)) {
    const h = obs.histograms.get(cmd);
    if (h === undefined) continue;
    const parts = obs.percentiles.map((p) => `p${percentileText(p)}=${(h.getValueAtPercentile(p) / 1000).toFixed(3)}`);
    out.push(`latency_percentiles_usec_${cmd.fullName}:${parts.join(',')}`);
  }
  return out;
}

/**
 * latency.c fillCommandCDF: `calls` and `histogram_usec`, the cumulative
 * count at each power-of-two bucket from 1024 ns up, as hdr_iter_log
 * reports them (a bucket's value is the highest value equivalent to its
 * bound, in µs), buckets that add nothing left out, until every call is
 * counted.
 */
function replyCommandCdf(ctx: CommandContext, h: JsHistogram): void {
  const total = h.totalCount;
  const pairs: number[] = [];
  let previous = 0;
  let level = CDF_FIRST_BUCKET;
  let index = 0;
  let cumulative = 0;
  const last = h.countsArrayIndex(LATENCY_HISTOGRAM_MAX_VALUE);
  while (cumulative < total) {
    const upTo = Math.min(h.countsArrayIndex(level), last);
    for (; index <= upTo; index++) cumulative += h.getCountAtIndex(index);
    if (cumulative > previous) pairs.push(Math.floor(h.highestEquivalentValue(h.valueFromIndex(upTo)) / 1000), cumulative);
    previous = cumulative;
    if (upTo === last) break;
    level *= CDF_LOG_BASE;
  }
  const w = ctx.reply;
  w.mapHeader(2);
  w.bulk('calls');
  w.integer(total);
  w.bulk('histogram_usec');
  w.mapHeader(pairs.length / 2);
  for (const n of pairs) w.integer(n);
}

// LATENCY HISTOGRAM [command ...]
function latencyHistogramCommand(ctx: CommandContext, argv: Arg[]): void {
  const hs = ctx.server.observer.histograms;
  const found: LoadedCommand[] = [];
  if (argv.length === 2) {
    for (const cmd of allCommands(ctx.server.table)) if (hs.has(cmd)) found.push(cmd);
  } else {
    // latencySpecificCommandsFillCDF: unknown names skipped, a container brings its subcommands.
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupByFullName(ctx.server.table, argString(argv[i]!));
      if (cmd === undefined) continue;
      if (hs.has(cmd)) found.push(cmd);
      if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) if (hs.has(sub)) found.push(sub);
    }
  }
  ctx.reply.mapHeader(found.length);
  for (const cmd of found) {
    ctx.reply.bulk(cmd.fullName);
    replyCommandCdf(ctx, hs.get(cmd)!);
  }
}

// LATENCY LATEST
function latencyLatestCommand(ctx: CommandContext): void {
  const events = ctx.server.observer.latency.events;
  ctx.reply.arrayHeader(events.size);
  for (const [name, ts] of events) {
    const last = (ts.idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    ctx.reply.arrayHeader(4);
    ctx.reply.bulk(name);
    ctx.reply.integer(ts.time[last]!);
    ctx.reply.integer(ts.latency[last]!);
    ctx.reply.integer(ts.max);
  }
}

/** The samples of `ts` oldest first, as [time s, latency ms]. */
function samplesOf(ts: TimeSeries): [number, number][] {
  const out: [number, number][] = [];
  for (let j = 0; j < LATENCY_TS_LEN; j++) {
    const i = (ts.idx + j) % LATENCY_TS_LEN;
    if (ts.time[i] !== 0) out.push([ts.time[i]!, ts.latency[i]!]);
  }
  return out;
}

// LATENCY HISTORY event
function latencyHistoryCommand(ctx: CommandContext, argv: Arg[]): void {
  const ts = ctx.server.observer.latency.events.get(argString(argv[2]!));
  const samples = ts === undefined ? [] : samplesOf(ts);
  ctx.reply.arrayHeader(samples.length);
  for (const [t, l] of samples) {
    ctx.reply.arrayHeader(2);
    ctx.reply.integer(t);
    ctx.reply.integer(l);
  }
}

// LATENCY RESET [event ...]
function latencyResetCommand(ctx: CommandContext, argv: Arg[]): void {
  const mon = ctx.server.observer.latency;
  let n = 0;
  if (argv.length === 2) n = mon.reset(null);
  else for (let i = 2; i < argv.length; i++) n += mon.reset(argString(argv[i]!));
  ctx.reply.integer(n);
}

/**
 * sparkline.c sparklineRender with SPARKLINE_FILL: `rows` rows of `_o#`
 * (`|` below the top of a column), then each sample's label written
 * downwards one character per line after a blank margin line; the samples
 * wrap every `columns`.
 */
export function sparkline(samples: readonly { value: number; label: string }[], columns: number, rows: number): string {
  if (samples.length === 0) return '';
  let min = samples[0]!.value;
  let max = min;
  for (const s of samples) {
    if (s.value < min) min = s.value;
    else if (s.value > max) max = s.value;
  }
  const fill = '_o#';
  let out = '';
  for (let offset = 0; offset < samples.length; offset += columns) {
    if (offset !== 0) out += '\n';
    const part = samples.slice(offset, offset + columns);
    const relmax = max - min === 0 ? 1 : max - min;
    const steps = fill.length * rows;
    for (let row = 0; ; row++) {
      let loop = false;
      const chars: string[] = new Array<string>(part.length).fill(' ');
      for (let j = 0; j < part.length; j++) {
        const s = part[j]!;
        let step = Math.trunc(((s.value - min) * steps) / relmax);
        if (step < 0) step = 0;
        if (step >= steps) step = steps - 1;
        if (row < rows) {
          const charidx = step - (rows - row - 1) * fill.length;
          loop = true;
          if (charidx >= 0 && charidx < fill.length) chars[j] = fill[charidx]!;
          else if (charidx >= fill.length) chars[j] = '|';
        } else {
          // One blank line between the graph and the labels (label_margin_top).
          if (row - rows < 1) {
            loop = true;
            break;
          }
          const labelChar = row - rows - 1;
          if (s.label.length > labelChar) {
            loop = true;
            chars[j] = s.label[labelChar]!;
          }
        }
      }
      if (!loop) break;
      out += chars.join('') + '\n';
    }
  }
  return out;
}

/** latencyCommandGenSparkeline: the title line, a rule, and the graph labelled by age (s, m, h, d ago). */
function latencyGraphText(event: string, ts: TimeSeries, nowSec: number): string {
  const samples = samplesOf(ts);
  let min = 0;
  let max = 0;
  const points: { value: number; label: string }[] = [];
  for (const [t, l] of samples) {
    if (points.length === 0) min = max = l;
    else {
      if (l > max) max = l;
      if (l < min) min = l;
    }
    const elapsed = nowSec - t;
    const label = elapsed < 60 ? `${elapsed}s` : elapsed < 3600 ? `${Math.floor(elapsed / 60)}m` : elapsed < 86400 ? `${Math.floor(elapsed / 3600)}h` : `${Math.floor(elapsed / 86400)}d`;
    points.push({ value: l, label });
  }
  return `${event} - high ${max} ms, low ${min} ms (all time high ${ts.max} ms)\n` + '-'.repeat(LATENCY_GRAPH_COLS) + '\n' + sparkline(points, LATENCY_GRAPH_COLS, LATENCY_GRAPH_ROWS);
}

// LATENCY GRAPH event
function latencyGraphCommand(ctx: CommandContext, argv: Arg[]): void {
  const event = argString(argv[2]!);
  const ts = ctx.server.observer.latency.events.get(event);
  if (ts === undefined) {
    ctx.reply.error(latencyNoSamples(event));
    return;
  }
  ctx.reply.verbatim(latencyGraphText(event, ts, Math.floor(ctx.server.clock.now() / 1000)));
}

/**
 * latency.c createLatencyReport, for the events mini-kv records ("command"
 * and "fast-command"): each event's statistics, then the advice Redis gives
 * for it. The transparent-huge-pages advice is left out (it concerns a
 * forking server).
 */
export function latencyReport(server: ServerState): string {
  const obs = server.observer;
  const events = obs.latency.events;
  if (events.size === 0 && obs.latencyThresholdMs === 0) {
    return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
  }
  const nowSec = Math.floor(server.clock.now() / 1000);
  let report = '';
  let eventnum = 0;
  let advices = 0;
  let slowlogEnabled = false;
  let slowlogTuning = false;
  let slowlogInspect = false;
  let scheduler = false;
  let largeObjects = false;
  for (const [event, ts] of events) {
    eventnum++;
    if (eventnum === 1) report += 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
    // analyzeLatencyForEvent: average, mean absolute deviation and period of the samples, integer ms.
    const samples = samplesOf(ts);
    let sum = 0;
    let oldest = 0;
    for (const [t, l] of samples) {
      sum += l;
      if (oldest === 0 || t < oldest) oldest = t;
    }
    const avg = samples.length > 0 ? Math.floor(sum / samples.length) : 0;
    let period = samples.length > 0 ? nowSec - oldest : 0;
    if (samples.length > 0 && period === 0) period = 1;
    let dev = 0;
    for (const [, l] of samples) dev += Math.abs(avg - l);
    const mad = samples.length > 0 ? Math.floor(dev / samples.length) : 0;
    report += `${eventnum}. ${event}: ${samples.length} latency spikes (average ${avg}ms, mean deviation ${mad}ms, period ${(period / samples.length).toFixed(2)} sec). Worst all time event ${ts.max}ms.`;
    if (event.toLowerCase() === 'command') {
      if (obs.slowlogSlowerThan < 0) {
        slowlogEnabled = true;
        advices++;
      } else if (Math.trunc(obs.slowlogSlowerThan / 1000) > obs.latencyThresholdMs) {
        slowlogTuning = true;
        advices++;
      }
      slowlogInspect = true;
      largeObjects = true;
      advices += 2;
    }
    if (event.toLowerCase() === 'fast-command') {
      scheduler = true;
      advices++;
    }
    report += '\n';
  }
  if (eventnum === 0 && advices === 0) {
    return report + 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  if (advices === 0) {
    return report + '\nWhile there are latency events logged, I\'m not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n';
  }
  report += '\nI have a few advices for you:\n\n';
  const threshold = obs.latencyThresholdMs * 1000;
  if (slowlogEnabled) report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${threshold}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  if (slowlogTuning) report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${threshold}'.\n`;
  if (slowlogInspect) report += '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n';
  if (scheduler) {
    report += '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n'
      + '  1) Lower the system load.\n'
      + '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n'
      + '  3) Check if you have a "noisy neighbour" problem.\n'
      + '  4) Check with \'redis-cli --intrinsic-latency 100\' what is the intrinsic latency in your system.\n'
      + '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n';
  }
  if (largeObjects) report += '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n';
  return report;
}

// LATENCY DOCTOR
function latencyDoctorCommand(ctx: CommandContext): void {
  ctx.reply.verbatim(latencyReport(ctx.server));
}

const LATENCY_HELP = [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
];

// LATENCY HELP
function latencyHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'LATENCY', LATENCY_HELP);
}

const LATENCY_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;
const LATENCY_TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'] as const;

const LATENCY_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'doctor', arity: 2, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return a human readable latency analysis report.', since: '2.8.13', complexity: 'O(1)',
    tips: LATENCY_TIPS, handler: latencyDoctorCommand,
  },
  {
    name: 'graph', arity: 3, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return a latency graph for the event.', since: '2.8.13', complexity: 'O(1)',
    tips: LATENCY_TIPS, args: [{ name: 'event', type: 'string' }], handler: latencyGraphCommand,
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Show helpful text about the different subcommands.', since: '2.8.13', complexity: 'O(1)',
    handler: latencyHelpCommand,
  },
  {
    name: 'histogram', arity: -2, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return the cumulative distribution of latencies of a subset of commands or all.', since: '7.0.0',
    complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
    tips: LATENCY_TIPS, args: [{ name: 'command', type: 'string', optional: true, multiple: true }], handler: latencyHistogramCommand,
  },
  {
    name: 'history', arity: 3, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return timestamp-latency samples for the event.', since: '2.8.13', complexity: 'O(1)',
    tips: LATENCY_TIPS, args: [{ name: 'event', type: 'string' }], handler: latencyHistoryCommand,
  },
  {
    name: 'latest', arity: 2, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return the latest latency samples for all events.', since: '2.8.13', complexity: 'O(1)',
    tips: LATENCY_TIPS, handler: latencyLatestCommand,
  },
  {
    name: 'reset', arity: -2, flags: LATENCY_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Reset latency data for one or more events.', since: '2.8.13', complexity: 'O(1)',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    args: [{ name: 'event', type: 'string', optional: true, multiple: true }], handler: latencyResetCommand,
  },
];

export const LATENCY_COMMANDS: CommandSpec[] = [
  {
    name: 'latency', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'A container for latency diagnostics commands', since: '2.8.13',
    complexity: 'Depends on subcommand.',
    subcommands: LATENCY_SUBCOMMANDS,
  },
];
