/**
 * What the dispatcher tells about each command that ran, and what it feeds:
 * the slow log (slowlog.ts), the latency monitor's "command" and
 * "fast-command" events and the per-command latency histograms
 * (latency.ts). One CommandObserver per server (`server.observer`), holding
 * the options it needs as plain numbers, refreshed by configure() when
 * CONFIG SET changes one, so that observing a command reads no option.
 *
 * Redis's call() does, after every command: latencyAddSampleIfNeeded,
 * slowlogPushCurrentCommand, and updateCommandLatencyHistogram. The
 * dispatcher knows a command's duration in one of two ways (dispatch.ts):
 * timed alone (observe), or as an equal share of a run of quick commands
 * timed together (observeShare). A share is accounted in the histograms and
 * the latency monitor as a duration of its own; it is never put in the slow
 * log, because the request's arguments are gone by the time the run closes.
 * So that the slow log still sees every command Redis would log, the
 * dispatcher times quick commands alone (`timeEach`) whenever a threshold
 * is low enough for a quick command to reach it.
 *
 * Nothing here allocates unless an entry or sample is actually made.
 */
import type { Clock } from '../keyspace/clock.js';
import type { Arg, RawRequest } from '../protocol/resp-parser.js';
import { CommandHistograms, LatencyMonitor } from './latency.js';
import { SlowLog } from './slowlog.js';
import type { ConfigAccess } from './state.js';
import type { CommandContext, LoadedCommand } from './table.js';

/**
 * Thresholds at or below this (µs) make the dispatcher time quick commands
 * alone: a `fast` command or a fast path on one read's bytes takes a few µs,
 * and only a stall (a garbage collection) takes it to a millisecond, so
 * above this a run's shared timing loses nothing the slow log would show.
 */
export const TIME_EACH_MAX_USEC = 1000; // µs

export class CommandObserver {
  readonly slowlog = new SlowLog();
  readonly latency = new LatencyMonitor();
  readonly histograms = new CommandHistograms();
  /** slowlog-log-slower-than, µs; negative: the slow log is off. */
  slowlogSlowerThan = 10000;
  slowlogMaxLen = 128;
  /** latency-monitor-threshold, ms; 0: the monitor is off. */
  latencyThresholdMs = 0;
  /** latency-tracking. */
  tracking = true;
  /** latency-tracking-info-percentiles. */
  percentiles: number[] = [50, 99, 99.9];
  /** Whether the dispatcher must time quick commands alone (see the module comment). */
  timeEach = false;

  constructor(private readonly clock: Clock) {}

  /** Reads the options again (at start and after CONFIG SET). */
  configure(config: ConfigAccess): void {
    this.slowlogSlowerThan = Number(config.get('slowlog-log-slower-than'));
    this.slowlogMaxLen = Number(config.get('slowlog-max-len'));
    this.latencyThresholdMs = Number(config.get('latency-monitor-threshold'));
    this.tracking = config.getBool('latency-tracking');
    const p = config.get('latency-tracking-info-percentiles');
    this.percentiles = p === '' ? [] : p.split(' ').map(Number);
    this.timeEach = (this.slowlogSlowerThan >= 0 && this.slowlogSlowerThan <= TIME_EACH_MAX_USEC)
      || (this.latencyThresholdMs > 0 && this.latencyThresholdMs * 1000 <= TIME_EACH_MAX_USEC);
    this.slowlog.trim(this.slowlogMaxLen);
  }

  /**
   * A command timed alone ran for `usec`: its arguments are `argv` (the
   * handler's) or, for a fast path, `raw` (bytes, read only if an entry is
   * made; its name, argument 0, is `rawName`). Mirrors the tail of Redis's
   * call().
   */
  observe(cmd: LoadedCommand, usec: number, ctx: CommandContext, argv: Arg[] | null, raw: RawRequest | null, rawName: string): void {
    const duration = Math.round(usec);
    if (this.tracking) this.histograms.record(cmd, usec * 1000);
    if (this.latencyThresholdMs > 0) this.latencySample(cmd, duration);
    if (this.slowlogSlowerThan >= 0 && duration >= this.slowlogSlowerThan && !cmd.spec.flags.includes('skip_slowlog')) {
      this.slowlog.push(cmd, argv, raw, rawName, duration, ctx, this.slowlogMaxLen);
    }
  }

  /** A quick command's share of its run, `usec`: histograms and latency monitor only. */
  observeShare(cmd: LoadedCommand, usec: number): void {
    if (this.tracking) this.histograms.record(cmd, usec * 1000);
    if (this.latencyThresholdMs > 0) this.latencySample(cmd, Math.round(usec));
  }

  /** latencyAddSampleIfNeeded(event, duration/1000): whole milliseconds against the threshold. */
  private latencySample(cmd: LoadedCommand, duration: number): void {
    const ms = Math.floor(duration / 1000);
    if (ms >= this.latencyThresholdMs) this.latency.addSample(cmd.isFast ? 'fast-command' : 'command', ms, Math.floor(this.clock.now() / 1000));
  }

  /** CONFIG RESETSTAT: the histograms go (the slow log and the monitor stay, as in Redis). */
  resetStats(): void {
    this.histograms.reset();
  }
}
