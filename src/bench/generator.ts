/**
 * The load generator of one thread: opens its share of the connections, then
 * drives them open-loop by the clock (or closed-loop as fast as replies come
 * back) for a bounded time, and returns counters plus a latency histogram.
 *
 * Open loop and coordinated omission. Each request has a scheduled time from
 * the Schedule, and its latency is measured from that time, not from when it
 * was actually written. If the server stalls, requests keep falling due;
 * their latencies include the time they waited to be sent, so a stall cannot
 * hide by slowing the generator down (Gil Tene's "coordinated omission").
 * How late the generator itself was in writing each batch (timer granularity,
 * a busy event loop) is recorded separately as send lag, so a report can say
 * when the generator, not the server, fell behind.
 *
 * One timer drives all connections of this thread (no timer per request):
 * each tick writes every batch that has fallen due, one write per connection,
 * then sleeps until the next batch is due.
 *
 * Bounds: at most requestsPerConnection x connections requests are sent;
 * sending stops with the schedule, and waiting for replies stops `timeoutMs`
 * after the last batch was due. Whatever is unanswered then is a timeout.
 */
import type { Histogram } from 'hdr-histogram-js';
import { BenchConnection, type ConnectionOwner } from './client.js';
import { Schedule } from './scheduler.js';
import { TextReplyCounter } from './reply-counter.js';
import { createHistogram, encodeHistogram, recordMs } from './histogram.js';
import { buildCommandPool, mulberry32, type CommandPool, type Mix, type Protocol } from './workload.js';

export interface GeneratorJob {
  host: string;
  port: number;
  password: string | null;
  protocol: Protocol;
  /** Connections this generator opens. */
  connections: number;
  /** Requests/s per connection (ignored by closed loop). */
  rate: number;
  durationS: number;
  pipeline: number;
  closed: boolean;
  /** How long to wait for replies after the last request was due. */
  timeoutMs: number;
  connectTimeoutMs: number;
  keyspace: number;
  valueSize: number;
  mix: Mix;
  seed: number;
  /** This generator's stagger against the others, in [0, 1) of one interval. */
  offset: number;
}

export interface GeneratorResult {
  connected: number;
  connectFailures: number;
  /** Requests written. */
  sent: number;
  replies: number;
  errors: number;
  /** Requests unanswered when waiting stopped. */
  timeouts: number;
  /** Requests that could not be sent or lost their connection. */
  lost: number;
  /** Replies that arrived with no request outstanding (a confused server). */
  unsolicited: number;
  latencySumMs: number;
  /** HdrHistogram, compressed base64, in microseconds. */
  histogram: string;
  lagSumMs: number;
  lagCount: number;
  lagMaxMs: number;
  /** When the last reply arrived, in ms after the start (0 if none). */
  lastReplyMs: number;
  /** A few distinct error texts (server error replies and socket errors). */
  errorSamples: string[];
  /** True when a text-protocol server was seen answering in RESP. */
  answeredInResp: boolean;
}

export interface ConnectProgress {
  connected: number;
  failed: number;
  total: number;
}

export interface Progress {
  sent: number;
  replies: number;
}

/** Connections opened at the same time per generator, below Linux's default listen backlog of 4096 and Redis's tcp-backlog 511. */
const CONNECT_CONCURRENCY = 256;
/** Distinct error texts kept for the report. */
const MAX_ERROR_SAMPLES = 5;
/** How often the drain phase checks its deadline, in ms. */
const DRAIN_CHECK_MS = 20;

export class LoadGenerator implements ConnectionOwner {
  private readonly job: GeneratorJob;
  private readonly pool: CommandPool;
  private readonly conns: BenchConnection[] = [];
  private readonly hist: Histogram;
  private readonly dirty: BenchConnection[] = [];
  private readonly errorSamples = new Set<string>();
  private connectFailures = 0;
  /** Connections whose handshake completed so far (the "connecting N/M" display). */
  private opened = 0;
  private sent = 0;
  private replies = 0;
  private lost = 0;
  private unsolicited = 0;
  private outstanding = 0;
  private latencySumMs = 0;
  private lagSumMs = 0;
  private lagCount = 0;
  private lagMaxMs = 0;
  private lastReplyAt = 0;
  private startAt = 0;
  private deadline = 0;
  private sendingDone = false;
  private timer: NodeJS.Timeout | null = null;
  private finish: (() => void) | null = null;

  constructor(job: GeneratorJob) {
    this.job = job;
    this.pool = buildCommandPool({ protocol: job.protocol, keyspace: job.keyspace, valueSize: job.valueSize, mix: job.mix, seed: job.seed });
    this.hist = createHistogram();
  }

  /** Opens every connection, CONNECT_CONCURRENCY at a time. Failures are counted, not thrown. */
  async connect(): Promise<{ connected: number; failures: number; firstError: string | null }> {
    const rand = mulberry32(this.job.seed ^ 0x5bd1e995);
    for (let i = 0; i < this.job.connections; i++) {
      this.conns.push(new BenchConnection(this.job.protocol, this.pool, Math.floor(rand() * this.pool.count)));
    }
    let firstError: string | null = null;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < this.conns.length) {
        const conn = this.conns[next++];
        try {
          await conn.open(this.job.host, this.job.port, this.job.password, this, this.job.connectTimeoutMs);
          this.opened++;
        } catch (err) {
          this.connectFailures++;
          const message = (err as Error).message;
          firstError ??= message;
          this.noteError(message);
        }
      }
    };
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < Math.min(CONNECT_CONCURRENCY, this.conns.length); i++) lanes.push(lane());
    await Promise.all(lanes);
    return { connected: this.conns.length - this.connectFailures, failures: this.connectFailures, firstError };
  }

  /** How far connect() has got: connections ready and failed so far, of `total`. */
  connectProgress(): ConnectProgress {
    return { connected: this.opened, failed: this.connectFailures, total: this.job.connections };
  }

  /** Live counters, for the progress bar. */
  progress(): Progress {
    return { sent: this.sent, replies: this.replies };
  }

  /**
   * Runs the load starting at `startAt` (a performance.now() reading, which
   * may lie a little in the future so that several threads start together).
   * Resolves when every reply is in or the wait has timed out; all sockets
   * are closed by then.
   */
  run(startAt: number): Promise<GeneratorResult> {
    this.startAt = startAt;
    return new Promise<GeneratorResult>((resolve) => {
      this.finish = () => {
        if (this.timer !== null) clearTimeout(this.timer);
        this.timer = null;
        this.finish = null;
        resolve(this.collect());
      };
      const wait = Math.max(0, startAt - performance.now());
      this.timer = setTimeout(() => (this.job.closed ? this.startClosed() : this.tickOpen(new Schedule(this.scheduleSpec()), 0)), wait);
    });
  }

  private scheduleSpec() {
    return { connections: this.job.connections, rate: this.job.rate, pipeline: this.job.pipeline, durationS: this.job.durationS, offset: this.job.offset };
  }

  /** One open-loop tick: writes every batch due by now, then sleeps until the next one. */
  private tickOpen(schedule: Schedule, cursor: number): void {
    const now = performance.now();
    const due = schedule.dueCount(now - this.startAt);
    for (let n = cursor; n < due; n++) {
      const conn = this.conns[schedule.connectionOf(n)];
      const size = schedule.batchSize(n);
      const at = this.startAt + schedule.dueAtMs(n);
      const lag = now - at;
      this.lagSumMs += lag;
      this.lagCount++;
      if (lag > this.lagMaxMs) this.lagMaxMs = lag;
      if (!conn.alive) {
        this.lost += size;
        continue;
      }
      for (let k = 0; k < size; k++) conn.push(at);
      if (conn.toWrite === 0) this.dirty.push(conn);
      conn.toWrite += size;
    }
    this.flushDirty();
    if (due < schedule.totalBatches) {
      const wait = this.startAt + schedule.dueAtMs(due) - performance.now();
      this.timer = setTimeout(() => this.tickOpen(schedule, due), wait > 0 ? wait : 0);
      return;
    }
    this.startDrain(this.startAt + schedule.dueAtMs(schedule.totalBatches - 1));
  }

  private flushDirty(): void {
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) {
      const n = dirty[i].flush();
      this.sent += n;
      this.outstanding += n;
    }
    dirty.length = 0;
  }

  /** Closed loop: every connection keeps `pipeline` requests in flight until the duration ends. */
  private startClosed(): void {
    this.deadline = this.startAt + this.job.durationS * 1000;
    const now = performance.now();
    for (const conn of this.conns) {
      if (!conn.alive) continue;
      for (let k = 0; k < this.job.pipeline; k++) conn.push(now);
      conn.toWrite = this.job.pipeline;
      this.dirty.push(conn);
    }
    this.flushDirty();
    this.timer = setTimeout(() => this.startDrain(this.deadline), Math.max(0, this.deadline - performance.now()));
  }

  /** Stops sending; waits for outstanding replies until `lastDueAt + timeoutMs`. */
  private startDrain(lastDueAt: number): void {
    this.sendingDone = true;
    const giveUpAt = lastDueAt + this.job.timeoutMs;
    const check = (): void => {
      if (this.finish === null) return;
      if (this.outstanding === 0 || performance.now() >= giveUpAt) {
        this.finish();
        return;
      }
      this.timer = setTimeout(check, Math.min(DRAIN_CHECK_MS, Math.max(0, giveUpAt - performance.now())));
    };
    check();
  }

  onReplies(conn: BenchConnection, replies: number, now: number): void {
    for (let i = 0; i < replies; i++) {
      const t = conn.shift();
      if (Number.isNaN(t)) {
        this.unsolicited++;
        continue;
      }
      const ms = now - t;
      this.latencySumMs += ms;
      recordMs(this.hist, ms);
      this.replies++;
      this.outstanding--;
    }
    this.lastReplyAt = now;
    if (this.job.closed && !this.sendingDone && now < this.deadline) {
      // Refill what was answered, in one write; latency counts from this write.
      for (let i = 0; i < replies; i++) conn.push(now);
      conn.toWrite += replies;
      const n = conn.flush();
      this.sent += n;
      this.outstanding += n;
    } else if (this.sendingDone && this.outstanding === 0 && this.finish !== null) {
      this.finish();
    }
  }

  onClose(conn: BenchConnection): void {
    const dropped = conn.dropOutstanding();
    this.lost += dropped;
    this.outstanding -= dropped;
    this.noteError(conn.failure ?? conn.counter.firstError ?? 'connection closed by server');
    if (this.sendingDone && this.outstanding === 0 && this.finish !== null) this.finish();
  }

  private noteError(message: string): void {
    if (this.errorSamples.size < MAX_ERROR_SAMPLES) this.errorSamples.add(message);
  }

  private collect(): GeneratorResult {
    let errors = 0;
    let answeredInResp = false;
    for (const conn of this.conns) {
      errors += conn.counter.errors;
      if (conn.counter.firstError !== null) this.noteError(conn.counter.firstError);
      if (conn.counter instanceof TextReplyCounter && conn.counter.answersInResp) answeredInResp = true;
      conn.destroy();
    }
    const result: GeneratorResult = {
      connected: this.conns.length - this.connectFailures,
      connectFailures: this.connectFailures,
      sent: this.sent,
      replies: this.replies,
      errors,
      timeouts: this.outstanding,
      lost: this.lost,
      unsolicited: this.unsolicited,
      latencySumMs: this.latencySumMs,
      histogram: encodeHistogram(this.hist),
      lagSumMs: this.lagSumMs,
      lagCount: this.lagCount,
      lagMaxMs: this.lagMaxMs,
      lastReplyMs: this.lastReplyAt > 0 ? this.lastReplyAt - this.startAt : 0,
      errorSamples: [...this.errorSamples],
      answeredInResp,
    };
    this.hist.destroy();
    return result;
  }

  /** Closes every socket (used when a run is abandoned before it starts). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    for (const conn of this.conns) conn.destroy();
  }
}
