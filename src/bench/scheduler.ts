/**
 * Open-loop schedule arithmetic for one load generator (one worker thread).
 *
 * This module owns the clock maths only: when each batch of requests is due,
 * how many are due by a given instant, and which connection sends each one.
 * It knows nothing about sockets, protocols or histograms, so its arithmetic
 * can be tested exactly.
 *
 * The schedule is one uniform arrival process over all of this generator's
 * connections. Batch n (0-based) goes to connection n mod C and is due at
 *
 *     t(n) = start + (n + offset) * interval,   interval = P / (C * rate)
 *
 * so connection j sends its k-th batch at start + (k*C + j + offset) * interval:
 * every connection keeps exactly `rate` requests/s (P requests every P/rate s),
 * and the C connections are staggered evenly across that period instead of
 * all firing on the same tick. `offset` (0 <= offset < 1) staggers several
 * workers against each other the same way. Times are computed from n, never by
 * adding intervals, so no floating-point drift builds up over a long run.
 *
 *     conn:   0    1    2    0    1    2    0  ...
 *     batch:  0    1    2    3    4    5    6  ...
 *     time:   |----|----|----|----|----|----|--   (one interval apart)
 */

export interface ScheduleSpec {
  /** Connections driven by this generator (C). */
  connections: number;
  /** Requests per second per connection. */
  rate: number;
  /** Requests written together in one batch (-P); each batch shares one scheduled time. */
  pipeline: number;
  /** Length of the sending window, in seconds. */
  durationS: number;
  /** Fraction of one interval by which this generator's batches are shifted, in [0, 1). */
  offset: number;
}

export class Schedule {
  readonly connections: number;
  readonly pipeline: number;
  /** Requests each connection sends over the whole run. */
  readonly requestsPerConnection: number;
  /** Batches each connection sends; the last one may hold fewer than `pipeline` requests. */
  readonly batchesPerConnection: number;
  /** Batches over all connections. */
  readonly totalBatches: number;
  /** Milliseconds between two consecutive batches of this generator (any connections). */
  readonly intervalMs: number;
  readonly offset: number;

  constructor(spec: ScheduleSpec) {
    if (!(spec.connections >= 1) || !(spec.rate > 0) || !(spec.pipeline >= 1) || !(spec.durationS > 0)) {
      throw new RangeError('schedule needs connections >= 1, rate > 0, pipeline >= 1 and duration > 0');
    }
    this.connections = spec.connections;
    this.pipeline = spec.pipeline;
    this.requestsPerConnection = requestsPerConnection(spec.rate, spec.durationS);
    this.batchesPerConnection = Math.ceil(this.requestsPerConnection / spec.pipeline);
    this.totalBatches = this.batchesPerConnection * spec.connections;
    this.intervalMs = (spec.pipeline * 1000) / (spec.connections * spec.rate);
    this.offset = spec.offset;
  }

  /** Milliseconds after the start at which batch n is due. */
  dueAtMs(n: number): number {
    return (n + this.offset) * this.intervalMs;
  }

  /**
   * How many batches are due at `elapsedMs` after the start, that is the
   * count of n with dueAtMs(n) <= elapsedMs, clamped to [0, totalBatches].
   */
  dueCount(elapsedMs: number): number {
    const n = Math.floor(elapsedMs / this.intervalMs - this.offset) + 1;
    if (n <= 0) return 0;
    return n < this.totalBatches ? n : this.totalBatches;
  }

  /** The connection that sends batch n. */
  connectionOf(n: number): number {
    return n % this.connections;
  }

  /** Requests in batch n: `pipeline`, except a connection's last batch may be short. */
  batchSize(n: number): number {
    const cycle = Math.floor(n / this.connections);
    const left = this.requestsPerConnection - cycle * this.pipeline;
    return left < this.pipeline ? left : this.pipeline;
  }

  /** Total requests over the whole run. */
  get totalRequests(): number {
    return this.requestsPerConnection * this.connections;
  }
}

/**
 * Requests one connection sends in a run of `durationS` seconds at `rate`
 * requests/s: rate x duration rounded, and at least one so that every
 * connection is exercised even by a very short run.
 */
export function requestsPerConnection(rate: number, durationS: number): number {
  return Math.max(1, Math.round(rate * durationS));
}

/**
 * Splits `total` connections over `workers` generators as evenly as possible;
 * the first `total mod workers` get one more. Workers that would get none are
 * dropped, so the result never holds a zero.
 */
export function splitConnections(total: number, workers: number): number[] {
  const w = Math.max(1, Math.min(workers, total));
  const base = Math.floor(total / w);
  const extra = total % w;
  const out: number[] = [];
  for (let i = 0; i < w; i++) out.push(base + (i < extra ? 1 : 0));
  return out;
}
