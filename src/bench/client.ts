/**
 * One benchmark connection: a net.Socket, its reply counter, and the FIFO of
 * times of the requests still awaiting replies.
 *
 * Replies come back in request order on one connection (true of RESP and of
 * the seed's line protocol alike), so matching a reply to its request is a
 * queue pop. The queue is a ring of doubles that grows by doubling and is
 * never shrunk, so the steady state allocates nothing:
 *
 *     times:  [ . . t3 t4 t5 t6 . . ]
 *                   ^head     ^head+count
 *
 * The connection knows nothing about schedules or histograms: it tells its
 * owner how many replies completed and hands out the popped times.
 */
import net from 'node:net';
import { encodeCommand, type CommandPool, type Protocol } from './workload.js';
import { makeReplyCounter, type ReplyCounter } from './reply-counter.js';

/** Initial ring capacity: 64 requests in flight before the first doubling. */
const INITIAL_QUEUE = 64;

export interface ConnectionOwner {
  /** `replies` replies completed at time `now`; pop their times with shift(). */
  onReplies(conn: BenchConnection, replies: number, now: number): void;
  onClose(conn: BenchConnection): void;
}

export class BenchConnection {
  socket: net.Socket | null = null;
  readonly counter: ReplyCounter;
  alive = false;
  /** Error message that closed or refused this connection, if any. */
  failure: string | null = null;
  /** Requests queued to go out in the current tick's single write. */
  toWrite = 0;
  /** Next command of the shared pool this connection sends. */
  poolCursor: number;
  private times: Float64Array;
  private head = 0;
  private count = 0;
  private handshakeLeft = 0;
  private owner: ConnectionOwner | null = null;
  private readonly onData: (chunk: Buffer) => void;

  constructor(
    readonly protocol: Protocol,
    readonly pool: CommandPool,
    poolCursor: number,
  ) {
    this.counter = makeReplyCounter(protocol);
    this.poolCursor = poolCursor % pool.count;
    this.times = new Float64Array(INITIAL_QUEUE);
    this.onData = this.handleData.bind(this);
  }

  /** Requests written and not yet answered. */
  get outstanding(): number {
    return this.count;
  }

  push(t: number): void {
    if (this.count === this.times.length) this.grow();
    this.times[(this.head + this.count) & (this.times.length - 1)] = t;
    this.count++;
  }

  /** Pops the oldest outstanding time; NaN when nothing is outstanding. */
  shift(): number {
    if (this.count === 0) return NaN;
    const t = this.times[this.head];
    this.head = (this.head + 1) & (this.times.length - 1);
    this.count--;
    return t;
  }

  /** Forgets every outstanding request (the connection is gone); returns how many there were. */
  dropOutstanding(): number {
    const n = this.count;
    this.head = 0;
    this.count = 0;
    return n;
  }

  private grow(): void {
    const next = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.times[(this.head + i) & (this.times.length - 1)];
    this.times = next;
    this.head = 0;
  }

  /**
   * Writes `toWrite` consecutive commands from the pool in one write (two when
   * the run wraps around the pool's end) and resets `toWrite`. Returns how
   * many requests were written.
   */
  flush(): number {
    const k = this.toWrite;
    this.toWrite = 0;
    const socket = this.socket;
    if (k === 0 || socket === null || !this.alive) return 0;
    const { buf, offsets, count } = this.pool;
    let left = k;
    while (left > 0) {
      const from = this.poolCursor;
      const take = left < count - from ? left : count - from;
      socket.write(buf.subarray(offsets[from], offsets[from + take]));
      this.poolCursor = from + take === count ? 0 : from + take;
      left -= take;
    }
    return k;
  }

  /**
   * Opens the socket and completes the handshake: AUTH when a password is
   * given, then PING, both answered before the load starts, so that a refused
   * connection (wrong password, maxclients) fails here rather than inside the
   * measurement. Resolves once the connection is ready for `owner`; rejects
   * with the server's error or the socket error.
   */
  open(host: string, port: number, password: string | null, owner: ConnectionOwner, timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const socket = net.connect({ host, port });
      this.socket = socket;
      const timer = setTimeout(() => fail(new Error(`connect timeout after ${timeoutMs} ms`)), timeoutMs);
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.failure = err.message;
        this.alive = false;
        socket.destroy();
        reject(err);
      };
      socket.once('error', (err) => fail(err));
      socket.once('close', () => {
        if (!settled) fail(new Error(this.counter.firstError ?? 'connection closed by server during handshake'));
        else {
          this.alive = false;
          this.owner?.onClose(this);
        }
      });
      socket.once('connect', () => {
        socket.setNoDelay(true);
        const parts: Buffer[] = [];
        if (password !== null) parts.push(encodeCommand(this.protocol, ['AUTH', password]));
        parts.push(encodeCommand(this.protocol, ['PING']));
        this.handshakeLeft = parts.length;
        socket.write(Buffer.concat(parts));
      });
      socket.on('data', this.onData);
      this.ready = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.on('error', (err) => {
          this.failure = err.message;
        });
        this.alive = true;
        this.owner = owner;
        resolve();
      };
      this.refuse = (message: string) => fail(new Error(message));
    });
  }

  private ready: () => void = () => {};
  private refuse: (message: string) => void = () => {};

  private handleData(chunk: Buffer): void {
    const errorsBefore = this.counter.errors;
    let n = this.counter.feed(chunk);
    if (this.handshakeLeft > 0) {
      if (this.counter.errors > errorsBefore) {
        this.refuse(this.counter.firstError ?? 'error reply during handshake');
        return;
      }
      const used = n < this.handshakeLeft ? n : this.handshakeLeft;
      this.handshakeLeft -= used;
      n -= used;
      if (this.handshakeLeft === 0) this.ready();
    }
    if (n > 0 && this.owner !== null) this.owner.onReplies(this, n, performance.now());
  }

  /** Destroys the socket without notifying the owner. */
  destroy(): void {
    this.owner = null;
    this.alive = false;
    this.socket?.destroy();
  }
}
