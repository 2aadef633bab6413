/**
 * Runs one row (one connections x rate setting against one server) across
 * worker threads and merges what they measured into a RowResult.
 *
 * Connections are split evenly over the threads; each thread runs its own
 * LoadGenerator with its own timer and is staggered by a fraction of the
 * schedule interval, so together they offer one even arrival stream. All
 * threads connect first, then start at one common instant, so connection
 * set-up (10,000 handshakes can take a second) is never inside the window.
 * `threads: 0` runs the generator on the calling thread (tests, debugging).
 */
import { Worker } from 'node:worker_threads';
import type { Histogram } from 'hdr-histogram-js';
import { LoadGenerator, type GeneratorJob, type GeneratorResult } from './generator.js';
import { splitConnections } from './scheduler.js';
import { addEncoded, createHistogram, summarize } from './histogram.js';
import { buildCommandPool, SEED_MIX, type Protocol } from './workload.js';
import { BenchConnection } from './client.js';
import type { MainMessage, WorkerMessage } from './worker.js';

export interface Target {
  /** Name shown in reports, e.g. "mini-kv" or "redis". */
  label: string;
  host: string;
  port: number;
  password: string | null;
  protocol: Protocol;
}

export interface RowSpec {
  /** Which table the row belongs to: "A" (rate varies), "B" (connections vary) or "run". */
  series: string;
  connections: number;
  /** Requests/s per connection; ignored when closed. */
  rate: number;
  durationS: number;
  pipeline: number;
  closed: boolean;
}

/** What every row of a run shares with its generators' jobs, plus where they run. */
export interface RunOptions extends Pick<GeneratorJob, 'timeoutMs' | 'connectTimeoutMs' | 'keyspace' | 'valueSize' | 'mix' | 'seed'> {
  /** Worker threads to spread connections over; 0 = this thread. */
  threads: number;
}

/** One measured row, as every report format prints it. Latencies in ms. */
export interface RowResult {
  series: string;
  server: string;
  host: string;
  port: number;
  protocol: Protocol;
  mode: 'open' | 'closed';
  connections: number;
  /** Requests/s per connection (0 in closed loop). */
  rate: number;
  pipeline: number;
  durationS: number;
  /** connections x rate, or null in closed loop. */
  offered: number | null;
  sent: number;
  replies: number;
  /** Replies per second over the run's window (the seed's "throughput"). */
  throughput: number;
  /** throughput / offered, or null in closed loop. */
  achieved: number | null;
  /** Mean latency (the seed's "average delay"). */
  avgMs: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  /** Requests lost to failed or closed connections. */
  lost: number;
  connectFailures: number;
  /** Mean and max of how late the generator wrote batches versus their schedule. */
  lagAvgMs: number;
  lagMaxMs: number;
  threads: number;
  errorSamples: string[];
  /** Set when the row was not run, with the reason. */
  skipped: string | null;
  /** [seconds since the start, replies so far] as the run went, for the chart (not in JSON or CSV). */
  timeline?: Array<[number, number]>;
}

export type ProgressFn = (elapsedS: number, sent: number, replies: number) => void;

/** While connections open: how many are ready and how many failed, of `total` (all threads together). */
export type ConnectingFn = (connected: number, failed: number, total: number) => void;

/** How often the in-process run reports progress, in ms (workers report at their own PROGRESS_MS). */
const PROGRESS_MS = 200;

/** Thrown when not a single connection could be opened: the server is down or refuses us. */
export class BenchConnectError extends Error {
  readonly code = 'ERR_BENCH_CONNECT';
}

/**
 * Opens one connection to `target`, completes its handshake (AUTH, PING) and
 * closes it; throws BenchConnectError with the reason when that fails. The
 * CLI calls it before printing anything, so an unreachable server, a refused
 * connection or a wrong password is the only thing a failed run prints.
 */
export async function probeTarget(target: Target, timeoutMs: number): Promise<void> {
  const pool = buildCommandPool({ protocol: target.protocol, keyspace: 1, valueSize: 1, mix: SEED_MIX, seed: 1, commands: 1 });
  const conn = new BenchConnection(target.protocol, pool, 0);
  try {
    await conn.open(target.host, target.port, target.password, { onReplies: () => {}, onClose: () => {} }, timeoutMs);
  } catch (err) {
    throw new BenchConnectError(`cannot connect to ${target.host}:${target.port}: ${(err as Error).message}`);
  } finally {
    conn.destroy();
  }
}

/** Milliseconds between "all connected" and the common start, so every thread gets the start message in time. */
const START_LEAD_MS = 50;

/**
 * Runs one row. `onConnecting` is called at once and then a few times a
 * second while the connections open (10,000 handshakes can take seconds);
 * `onProgress` a few times a second once the load runs.
 */
export async function runRow(target: Target, row: RowSpec, opts: RunOptions, onProgress?: ProgressFn, onConnecting?: ConnectingFn): Promise<RowResult> {
  const shares = splitConnections(row.connections, opts.threads === 0 ? 1 : opts.threads);
  const jobs: GeneratorJob[] = shares.map((connections, w) => ({
    host: target.host,
    port: target.port,
    password: target.password,
    protocol: target.protocol,
    connections,
    rate: row.rate,
    durationS: row.durationS,
    pipeline: row.pipeline,
    closed: row.closed,
    timeoutMs: opts.timeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs,
    keyspace: opts.keyspace,
    valueSize: opts.valueSize,
    mix: opts.mix,
    seed: (opts.seed + w * 7919) >>> 0,
    offset: w / shares.length,
  }));
  const results = opts.threads === 0 ? await runInProcess(jobs[0], onProgress, onConnecting) : await runInWorkers(jobs, onProgress, onConnecting);
  return mergeResults(target, row, results, opts.threads === 0 ? 0 : shares.length);
}

async function runInProcess(job: GeneratorJob, onProgress?: ProgressFn, onConnecting?: ConnectingFn): Promise<GeneratorResult[]> {
  const gen = new LoadGenerator(job);
  const connecting = (): void => {
    const c = gen.connectProgress();
    onConnecting?.(c.connected, c.failed, c.total);
  };
  connecting();
  const connectTicker = onConnecting ? setInterval(connecting, PROGRESS_MS) : null;
  const ready = await gen.connect();
  if (connectTicker) clearInterval(connectTicker);
  connecting(); // the final count, so the display ends at N/N
  if (ready.connected === 0) {
    gen.close();
    throw new BenchConnectError(`cannot connect to ${job.host}:${job.port}: ${ready.firstError ?? 'unknown error'}`);
  }
  const startAt = performance.now() + START_LEAD_MS;
  const ticker = onProgress ? setInterval(() => { const p = gen.progress(); onProgress((performance.now() - startAt) / 1000, p.sent, p.replies); }, PROGRESS_MS) : null;
  try {
    return [await gen.run(startAt)];
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

async function runInWorkers(jobs: GeneratorJob[], onProgress?: ProgressFn, onConnecting?: ConnectingFn): Promise<GeneratorResult[]> {
  const workers = jobs.map((job) => new Worker(new URL('./worker.js', import.meta.url), { workerData: { job } }));
  const progress = jobs.map(() => ({ sent: 0, replies: 0 }));
  const connecting = jobs.map((job) => ({ connected: 0, failed: 0, total: job.connections }));
  const reportConnecting = (): void => {
    if (!onConnecting || startEpoch !== 0) return;
    let connected = 0;
    let failed = 0;
    let total = 0;
    for (const c of connecting) {
      connected += c.connected;
      failed += c.failed;
      total += c.total;
    }
    onConnecting(connected, failed, total);
  };
  let startEpoch = 0;
  const report = (): void => {
    if (!onProgress || startEpoch === 0) return;
    let sent = 0;
    let replies = 0;
    for (const p of progress) {
      sent += p.sent;
      replies += p.replies;
    }
    onProgress((performance.timeOrigin + performance.now() - startEpoch) / 1000, sent, replies);
  };
  reportConnecting();
  const readies: Promise<{ connected: number; firstError: string | null }>[] = [];
  const finals: Promise<GeneratorResult>[] = [];
  workers.forEach((worker, w) => {
    let onReady: (r: { connected: number; firstError: string | null }) => void = () => {};
    readies.push(new Promise((resolve) => (onReady = resolve)));
    finals.push(
      new Promise<GeneratorResult>((resolve, reject) => {
        worker.on('message', (msg: WorkerMessage) => {
          if (msg.type === 'connecting') {
            connecting[w] = msg;
            reportConnecting();
          } else if (msg.type === 'ready') {
            connecting[w] = { connected: msg.connected, failed: msg.failures, total: jobs[w].connections };
            reportConnecting();
            onReady(msg);
          }
          else if (msg.type === 'progress') {
            progress[w] = msg;
            report();
          } else resolve(msg.result);
        });
        worker.once('error', (err) => {
          onReady({ connected: 0, firstError: err.message });
          reject(err);
        });
        worker.once('exit', (code) => {
          onReady({ connected: 0, firstError: `worker exited with code ${code}` });
          reject(new Error(`benchmark worker exited with code ${code} before reporting`));
        });
      }),
    );
  });
  // Failures surface through `readies` or through the check below; keep node from flagging them as unhandled meanwhile.
  for (const f of finals) f.catch(() => {});
  const ready = await Promise.all(readies);
  if (ready.every((r) => r.connected === 0)) {
    for (const worker of workers) worker.postMessage({ type: 'abort' } satisfies MainMessage);
    await Promise.allSettled(finals);
    const target = jobs[0];
    throw new BenchConnectError(`cannot connect to ${target.host}:${target.port}: ${ready[0].firstError ?? 'unknown error'}`);
  }
  startEpoch = performance.timeOrigin + performance.now() + START_LEAD_MS;
  for (const worker of workers) worker.postMessage({ type: 'start', startEpochMs: startEpoch } satisfies MainMessage);
  return Promise.all(finals);
}

/** Adds up the threads' counters and histograms into the row's figures. */
export function mergeResults(target: Target, row: RowSpec, results: GeneratorResult[], threads: number): RowResult {
  const hist: Histogram = createHistogram();
  let sent = 0, replies = 0, errors = 0, timeouts = 0, lost = 0, connectFailures = 0, unsolicited = 0;
  let latencySumMs = 0, lagSumMs = 0, lagCount = 0, lagMaxMs = 0, lastReplyMs = 0;
  let answeredInResp = false;
  const samples = new Set<string>();
  for (const r of results) {
    addEncoded(hist, r.histogram);
    sent += r.sent;
    replies += r.replies;
    errors += r.errors;
    timeouts += r.timeouts;
    lost += r.lost;
    unsolicited += r.unsolicited;
    connectFailures += r.connectFailures;
    latencySumMs += r.latencySumMs;
    lagSumMs += r.lagSumMs;
    lagCount += r.lagCount;
    lagMaxMs = Math.max(lagMaxMs, r.lagMaxMs);
    lastReplyMs = Math.max(lastReplyMs, r.lastReplyMs);
    answeredInResp ||= r.answeredInResp;
    for (const s of r.errorSamples) samples.add(s);
  }
  if (unsolicited > 0) samples.add(`${unsolicited} replies arrived with no request outstanding`);
  if (answeredInResp && target.protocol === 'text') samples.add('note: the server answered inline commands in RESP; counted as RESP');
  const summary = summarize(hist);
  hist.destroy();
  // The window is the scheduled duration, stretched when replies kept arriving after it.
  const windowS = Math.max(row.durationS, lastReplyMs / 1000);
  const throughput = windowS > 0 ? replies / windowS : 0;
  const offered = row.closed ? null : row.connections * row.rate;
  return {
    series: row.series,
    server: target.label,
    host: target.host,
    port: target.port,
    protocol: target.protocol,
    mode: row.closed ? 'closed' : 'open',
    connections: row.connections,
    rate: row.closed ? 0 : row.rate,
    pipeline: row.pipeline,
    durationS: row.durationS,
    offered,
    sent,
    replies,
    throughput,
    achieved: offered === null ? null : throughput / offered,
    avgMs: replies > 0 ? latencySumMs / replies : 0,
    p50: summary.p50,
    p90: summary.p90,
    p99: summary.p99,
    p999: summary.p999,
    maxMs: summary.maxMs,
    errors: errors + unsolicited,
    timeouts,
    lost,
    connectFailures,
    lagAvgMs: lagCount > 0 ? lagSumMs / lagCount : 0,
    lagMaxMs,
    threads,
    errorSamples: [...samples],
    skipped: null,
  };
}

/** A placeholder row for a setting that was not run (e.g. too few file descriptors). */
export function skippedRow(target: Target, row: RowSpec, reason: string): RowResult {
  return {
    series: row.series, server: target.label, host: target.host, port: target.port, protocol: target.protocol,
    mode: row.closed ? 'closed' : 'open', connections: row.connections, rate: row.closed ? 0 : row.rate,
    pipeline: row.pipeline, durationS: row.durationS, offered: row.closed ? null : row.connections * row.rate,
    sent: 0, replies: 0, throughput: 0, achieved: null, avgMs: 0, p50: 0, p90: 0, p99: 0, p999: 0, maxMs: 0,
    errors: 0, timeouts: 0, lost: 0, connectFailures: 0, lagAvgMs: 0, lagMaxMs: 0, threads: 0, errorSamples: [], skipped: reason,
  };
}
