/**
 * The closed loop of the redis-benchmark compatible mode: what
 * redis-benchmark.c's benchmark(), writeHandler(), readHandler() and
 * clientDone() do for one test, on this thread.
 *
 * Each of `clients` connections writes `pipeline` copies of the command in
 * one write, waits for all their replies, then writes the next batch, until
 * `requests` requests have been issued (counted in whole batches, as
 * redis-benchmark's requests_issued is). A batch's latency, shared by its
 * replies, runs from its write to the first read that brought a reply, as in
 * redis-benchmark; the clock of the test starts once every client is
 * connected (and authenticated), and stops when the requests are done.
 * `__rand_int__` in the command becomes a 12-digit random number below
 * `randomKeys` for each request of each batch (randomizeClientKey), when
 * `randomKeys` is not null.
 *
 * An error reply ends the test as it ends redis-benchmark: the runner rejects
 * with a CompatServerError carrying the server's text ("Error from server:
 * ..."), and the caller exits with status 1.
 */
import net from 'node:net';
import { makeReplyCounter, type ReplyCounter } from './reply-counter.js';
import { encodeCommand } from './workload.js';
import { createLatencyHistogram, recordLatencyUs, type LatencyHistogram } from './redis-report.js';

const RAND_TOKEN = Buffer.from('__rand_int__');

export interface CompatTestSpec {
  host: string;
  port: number;
  password: string | null;
  clients: number;
  requests: number;
  pipeline: number;
  /** Keyspace length of -r, or null when __rand_int__ stays as it is. */
  randomKeys: number | null;
  /** -k: keep connections between batches (true), or reconnect for each batch. */
  keepAlive: boolean;
  /** The command as sent, once. */
  command: Buffer;
  /** Inline commands may be answered in mini-kv's text dialect: count replies by line then. */
  inline: boolean;
  connectTimeoutMs: number;
}

export interface CompatProgress {
  phase: 'connecting' | 'running';
  connected: number;
  clients: number;
  finished: number;
  elapsedMs: number;
  /** Sum and count of latencies since the last progress call, for the per-interval average. */
  intervalLatencyUs: number;
  intervalCount: number;
  totalLatencyUs: number;
}

export interface CompatRun {
  finished: number;
  totalMs: number;
  histogram: LatencyHistogram;
}

/** An error reply from the server ("Error from server: ..."). */
export class CompatServerError extends Error {
  readonly code = 'ERR_BENCH_SERVER_REPLY';
}

/** A connection that could not be made ("Could not connect to Redis at ...: ..."). */
export class CompatConnectError extends Error {
  readonly code = 'ERR_BENCH_CONNECT';
}

/** hiredis' wording for the usual socket errors, as redis-benchmark prints them. */
export function socketErrorText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'Connection refused';
    case 'ETIMEDOUT': return 'Connection timed out';
    case 'EHOSTUNREACH': return 'No route to host';
    case 'ENETUNREACH': return 'Network is unreachable';
    case 'ECONNRESET': return 'Connection reset by peer';
    case 'ENOTFOUND': return 'Name or service not known';
    default: return err.message;
  }
}

/** Offsets of every __rand_int__ in `buf`. */
function randOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  for (let at = buf.indexOf(RAND_TOKEN); at >= 0; at = buf.indexOf(RAND_TOKEN, at + RAND_TOKEN.length)) out.push(at);
  return out;
}

/** Writes r as 12 zero-padded digits ending at `end - 1`, as randomizeClientKey does. */
function writeRand(buf: Buffer, at: number, r: number): void {
  for (let j = 11; j >= 0; j--) {
    buf[at + j] = 48 + (r % 10);
    r = Math.floor(r / 10);
  }
}

interface Client {
  socket: net.Socket;
  counter: ReplyCounter;
  obuf: Buffer;
  pending: number;
  startUs: number;
  latencyUs: number;
  /** Replies of the handshake (AUTH) still to discard. */
  prefixPending: number;
}

/**
 * Runs one test. `onProgress` is called every `progressMs` while clients
 * connect and while the test runs. Resolves with the counts and the
 * histogram; rejects with CompatConnectError or CompatServerError.
 */
export function runCompatTest(spec: CompatTestSpec, onProgress?: (p: CompatProgress) => void, progressMs = 250): Promise<CompatRun> {
  const batch = Buffer.concat(Array.from({ length: spec.pipeline }, () => spec.command));
  const rands = spec.randomKeys === null ? [] : randOffsets(batch);
  const histogram = createLatencyHistogram();
  const clients = new Set<Client>();
  const nowUs = (): number => performance.now() * 1000;
  let issued = 0;
  let finished = 0;
  let connected = 0;
  /** -k 0: clients opened after the start that have not written yet. */
  let reconnecting = 0;
  let startMs = 0;
  let running = false;
  let done = false;
  let intervalSum = 0;
  let intervalCount = 0;
  let totalSum = 0;

  return new Promise<CompatRun>((resolve, reject) => {
    const ticker = onProgress
      ? setInterval(() => {
          onProgress({
            phase: running ? 'running' : 'connecting', connected, clients: spec.clients, finished,
            elapsedMs: running ? performance.now() - startMs : 0, intervalLatencyUs: intervalSum, intervalCount, totalLatencyUs: totalSum,
          });
          intervalSum = 0;
          intervalCount = 0;
        }, progressMs)
      : null;
    const finish = (err: Error | null): void => {
      if (done) return;
      done = true;
      const totalMs = performance.now() - startMs;
      if (ticker !== null) clearInterval(ticker);
      for (const c of clients) c.socket.destroy();
      clients.clear();
      if (err !== null) {
        histogram.destroy();
        reject(err);
      } else resolve({ finished, totalMs, histogram });
    };

    const writeBatch = (c: Client): void => {
      if (done) return;
      if (issued >= spec.requests) return; // another client will see the last replies
      issued += spec.pipeline;
      if (spec.randomKeys !== null) {
        for (const at of rands) writeRand(c.obuf, at, spec.randomKeys === 0 ? 0 : Math.floor(Math.random() * spec.randomKeys));
      }
      c.pending = spec.pipeline;
      c.startUs = nowUs();
      c.latencyUs = -1;
      c.socket.write(c.obuf);
    };

    const onData = (c: Client, chunk: Buffer): void => {
      if (done) return;
      if (c.latencyUs < 0 && c.prefixPending === 0) c.latencyUs = nowUs() - c.startUs;
      let n = c.counter.feed(chunk);
      if (c.counter.errors > 0) {
        // The first error reply ends the test; until its line is complete, wait for the rest of it.
        if (c.counter.firstError !== null) finish(new CompatServerError(`Error from server: ${c.counter.firstError}`));
        return;
      }
      if (c.prefixPending > 0) {
        const used = Math.min(n, c.prefixPending);
        c.prefixPending -= used;
        n -= used;
        if (c.prefixPending === 0) onReady(c);
      }
      for (let i = 0; i < n; i++) {
        if (finished < spec.requests) {
          recordLatencyUs(histogram, c.latencyUs);
          intervalSum += c.latencyUs;
          intervalCount++;
          totalSum += c.latencyUs;
        }
        finished++;
        c.pending--;
      }
      if (n > 0 && c.pending === 0) clientDone(c);
    };

    const clientDone = (c: Client): void => {
      if (finished >= spec.requests) {
        finish(null);
        return;
      }
      if (spec.keepAlive) writeBatch(c);
      else {
        clients.delete(c);
        c.socket.destroy();
        // A new connection only while there are requests left for it (counting those that reconnecting clients will issue).
        if (issued + reconnecting * spec.pipeline < spec.requests) {
          reconnecting++;
          openClient();
        }
      }
    };

    const onReady = (c: Client): void => {
      if (running) {
        reconnecting--;
        writeBatch(c); // a reconnected client (-k 0)
        return;
      }
      connected++;
      if (connected === spec.clients) {
        running = true;
        startMs = performance.now();
        for (const each of clients) writeBatch(each);
      }
    };

    const openClient = (): void => {
      const socket = net.connect({ host: spec.host, port: spec.port });
      const counter = makeReplyCounter(spec.inline ? 'text' : 'resp');
      const c: Client = { socket, counter, obuf: Buffer.from(batch), pending: 0, startUs: 0, latencyUs: -1, prefixPending: spec.password === null ? 0 : 1 };
      clients.add(c);
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('Connection timed out'), { code: 'ETIMEDOUT' })), spec.connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.setNoDelay(true);
        if (spec.password !== null) socket.write(encodeCommand('resp', ['AUTH', spec.password]));
        else onReady(c);
      });
      socket.on('data', (chunk: Buffer) => onData(c, chunk));
      socket.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (!done) finish(new CompatConnectError(`Could not connect to Redis at ${spec.host}:${spec.port}: ${socketErrorText(err)}`));
      });
      socket.on('close', () => {
        clearTimeout(timer);
        if (!done && clients.has(c)) finish(new CompatServerError('Error: Server closed the connection'));
      });
    };

    if (spec.requests <= 0) {
      startMs = performance.now(); // nothing to send: the test takes no time
      finish(null);
      return;
    }
    for (let i = 0; i < spec.clients; i++) openClient();
  });
}
