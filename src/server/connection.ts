/**
 * One client connection: its socket, its request parser and its client state.
 *
 * Per read: append the chunk to the parser, run every complete request in
 * order, and send all their replies in one write (the reply writer gathers
 * them). A protocol error is answered after the replies to the requests
 * before it; then reading stops and the connection closes once the replies
 * are out, as in Redis. Nothing stored is touched by a bad request.
 *
 * Replies leave at the end of the event-loop turn: every connection read in
 * this turn queues its batch, and one setImmediate writes them all (Redis
 * writes in beforeSleep the same way). Writing while other sockets are still
 * being read costs more: each write wakes the peer at once, and a peer woken
 * per socket rather than per turn makes the kernel do that work many times
 * (about 30% more pipelined throughput, see docs/performance.md).
 *
 * Backpressure: when a client stops reading its replies and the bytes queued
 * on its socket pass OUTPUT_PAUSE_BYTES, we stop reading its requests until
 * the socket drains, so a pipelining client that never reads cannot make the
 * server buffer without bound.
 */
import type { Socket } from 'node:net';
import { commandScratch, type CommandContext } from '../commands/table.js';
import type { Database } from '../keyspace/keyspace.js';
import { REQUEST_NONE, RequestParser } from '../protocol/resp-parser.js';
import { MODE_RESP2, MODE_RESP3, MODE_TEXT, ReplyWriter, type ReplyMode, type ReplyTarget } from '../protocol/reply-writer.js';
import { CLIENT_BLOCKED, CLIENT_PUBSUB, countErrorReply, type Transaction } from '../commands/state.js';
import type { Arg } from '../protocol/resp-parser.js';
import { handleWriterFor, type HandleWriter } from './handle-writes.js';
import type { ClientState, ServerContext } from './state.js';

/** Stop reading a client's requests while this many reply bytes wait on its socket. */
export const OUTPUT_PAUSE_BYTES = 1024 * 1024; // bytes
/**
 * Input one connection may have run in one event-loop turn. libuv goes on
 * reading a socket while each read fills its buffer (up to 32 reads of 64 KB
 * a turn), so a client streaming a bulk load could hold the loop for many
 * milliseconds while everyone else waits. Past this many bytes the socket is
 * paused until the next turn, as Redis reads each client once per event-loop
 * iteration. A pipeline of ordinary size never gets near it.
 */
export const INPUT_TURN_BYTES = 64 * 1024; // bytes
/** After a graceful close has flushed our replies, how long the peer has to close its side. */
export const CLOSE_GRACE_MS = 1000;

/** Connections with replies queued this turn, written by writeQueuedReplies. */
const queuedConnections: Connection[] = [];
/** The first of them not yet written (a turn that ran out of budget left the rest). */
let queuedHead = 0;
let writeScheduled = false;
/**
 * One turn of writes may take this long; the rest waits for the next turn.
 * A PUBLISH to 10,000 subscribers queues 10,000 writes, and one turn doing
 * them all would hold the event loop for tens of milliseconds.
 */
export const WRITE_TURN_MS = 3;
/** Writes between two looks at the clock. */
const WRITE_CLOCK_EVERY = 8;
/**
 * A turn's replies of at most this many bytes in several buffers (a
 * subscriber's messages from many publishers) are copied into one before
 * the write: one contiguous write costs the kernel less than a writev of
 * many small pieces, and copying a few KB costs less than either.
 */
const COALESCE_MAX_BYTES = 16 * 1024;

/** `first` and `more` in one buffer of `bytes` bytes. */
function coalesce(first: Buffer, more: Buffer[], bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  let at = first.copy(out, 0);
  for (const b of more) at += b.copy(out, at);
  return out;
}

/**
 * setImmediate callback: writes the queued reply batches in the order
 * queued, until WRITE_TURN_MS has passed; what is left goes on in the next
 * turn (replies queued meanwhile join the end, so each connection's bytes
 * stay in order).
 */
function writeQueuedReplies(): void {
  writeScheduled = false;
  const start = performance.now();
  // Indexed loop: a write can fail synchronously and close a connection,
  // which only clears its own queue.
  let i = queuedHead;
  while (i < queuedConnections.length) {
    queuedConnections[i++]!.writeQueued();
    if ((i - queuedHead) % WRITE_CLOCK_EVERY === 0 && i < queuedConnections.length && performance.now() - start >= WRITE_TURN_MS) {
      queuedHead = i;
      writeScheduled = true;
      setImmediate(writeQueuedReplies);
      return;
    }
  }
  queuedConnections.length = 0;
  queuedHead = 0;
}

export class Connection implements ClientState, ReplyTarget {
  readonly id: number;
  flags = 0;
  tx: Transaction | null = null;
  /** This client's reply writer: its replies, in its protocol, to its socket. */
  readonly reply: ReplyWriter;
  name = '';
  dbIndex = 0;
  resp: 2 | 3 = 2;
  readonly addr: string;
  readonly laddr: string;
  readonly createdAt: number;
  lastInteraction: number;
  lastCommand = 'NULL';
  libName = '';
  libVer = '';
  authenticated = true;
  closeAfterReply = false;
  noEvict = false;
  noTouch = false;
  readonly fd: number;
  /** Owned by the limits ticker (limits.ts): activity and soft output limit tracking. */
  idleBytes = -1;
  idleSince = 0;
  outputSoftSince = 0;

  private readonly parser: RequestParser;
  private readonly ctx: CommandContext;
  private closed = false;
  private pausedForOutput = false;
  /** Reply bytes queued for the end of this turn (see writeQueuedReplies). */
  private queued: Buffer | null = null;
  /** Further batches queued in the same turn (a large value, a second read). */
  private queuedMore: Buffer[] | null = null;
  private queuedBytes = 0;
  /** True while this connection's requests are running (see kill). */
  private executing = false;
  /** Input bytes read this turn (reset when the turn's replies are written) and whether reading yields to the next turn. */
  private turnBytes = 0;
  private inputYield = false;
  /** Writes straight to the socket's handle (handle-writes.ts); null: through the stream. */
  private readonly out: HandleWriter | null;

  constructor(
    readonly socket: Socket,
    id: number,
    private readonly server: ServerContext,
    private readonly onClose: (conn: Connection) => void,
    /** The socket reads into the shared buffer and calls onSharedRead; no 'data' events. */
    sharedReads = false,
  ) {
    this.id = id;
    this.addr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.laddr = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    this.createdAt = Date.now();
    this.lastInteraction = this.createdAt;
    // With a password set, a client starts unauthenticated (createClient).
    this.authenticated = server.config.get('requirepass') === '';
    const handle = (socket as unknown as { _handle?: { fd?: number } })._handle;
    this.fd = typeof handle?.fd === 'number' ? handle.fd : -1;
    this.parser = new RequestParser(server.limits.parser);
    const writer = new ReplyWriter();
    writer.onErrorReply = (name) => countErrorReply(server.stats, name);
    writer.begin(this);
    this.reply = writer;
    this.ctx = { server, client: this, db: server.dbs[0] as Database, reply: writer, now: 0, scratch: commandScratch() };
    // CLIENT_SLOW_PATH while a pause or a monitor is on (client-control.ts).
    this.flags = server.control.newClientFlags;
    this.onData = this.onData.bind(this);
    this.onDrain = this.onDrain.bind(this);
    this.onInputTurn = this.onInputTurn.bind(this);
    socket.setNoDelay(true);
    // A socket adopted for shared reads is a plain TCP socket: its replies
    // can go to the handle directly as well.
    this.out = sharedReads ? handleWriterFor(socket, this.onDrain, () => socket.destroy()) : null;
    if (!sharedReads) socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  queryBufferLength(): number {
    return this.parser.pending;
  }

  /** This connection's command context (the blocked-client registry runs its callbacks with it). */
  get context(): CommandContext {
    return this.ctx;
  }

  /**
   * ClientState: unblocked (blocking.ts). The postponed command runs first,
   * through the dispatcher like any request, then the input that waited;
   * their replies leave as one batch.
   */
  resume(argv: Arg[] | null): void {
    if (this.closed || this.closeAfterReply) return;
    if (argv !== null) {
      const dispatcher = this.server.dispatcher;
      dispatcher.startBatch();
      this.executing = true;
      dispatcher.dispatch(this.ctx, argv);
      this.executing = false;
      dispatcher.endBatch();
      if (this.closeAfterReply) {
        this.reply.flush();
        this.closeGracefully();
        return;
      }
    }
    if (this.flags & CLIENT_BLOCKED || this.pausedForOutput) {
      this.reply.flush();
      return;
    }
    this.processInput();
  }

  outputBufferLength(): number {
    return this.onSocket() + this.queuedBytes;
  }

  /** Reply bytes handed to the socket and not yet taken by the kernel. */
  private onSocket(): number {
    return this.socket.writableLength + (this.out === null ? 0 : this.out.pendingBytes);
  }

  /** Whether onDrain will be called without being scheduled: writes are waiting to drain. */
  private drainDue(): boolean {
    return this.socket.writableNeedDrain || (this.out !== null && this.out.pendingBytes > 0);
  }

  bytesRead(): number {
    return this.socket.bytesRead;
  }

  /** ClientState: bytes encoded elsewhere, after every reply written so far. */
  deliver(data: Buffer): void {
    if (this.reply.pendingBytes > 0) this.reply.flush();
    this.sendReply(data);
    // A subscriber that does not read is bounded by the pubsub class of
    // client-output-buffer-limit as the messages arrive (Redis checks on
    // every reply it appends).
    if (this.flags & CLIENT_PUBSUB) {
      const limits = this.server.limits;
      if (this.queuedBytes + this.onSocket() >= limits.pubsubCheckBytes) limits.checkOutput(this, true);
    }
  }

  /** ReplyTarget: the writer hands over one batch of reply bytes. */
  sendReply(data: Buffer): void {
    if (this.closed) return;
    this.server.stats.totalNetOutputBytes += data.length;
    this.queuedBytes += data.length;
    if (this.queued === null) {
      this.queued = data;
      queuedConnections.push(this);
      if (!writeScheduled) {
        writeScheduled = true;
        setImmediate(writeQueuedReplies);
      }
    } else if (this.queuedMore === null) {
      this.queuedMore = [data];
    } else {
      this.queuedMore.push(data);
    }
    // A connection about to close sends now: closeGracefully ends the socket next.
    if (this.closeAfterReply) this.writeQueued();
  }

  /** Writes the replies queued this turn: one write, or one writev when there are several. */
  writeQueued(): void {
    const first = this.queued;
    if (first === null) return;
    const more = this.queuedMore;
    const bytes = this.queuedBytes;
    this.queued = null;
    this.queuedMore = null;
    this.queuedBytes = 0;
    this.turnBytes = 0;
    const socket = this.socket;
    if (this.closed || socket.destroyed || socket.writableEnded) return;
    const out = this.out;
    if (out !== null) {
      if (more === null) out.write(first);
      else if (bytes <= COALESCE_MAX_BYTES) out.write(coalesce(first, more, bytes));
      else out.writev([first, ...more]);
      return;
    }
    if (more === null) {
      socket.write(first);
      return;
    }
    socket.cork();
    socket.write(first);
    for (const b of more) socket.write(b);
    socket.uncork();
  }

  /**
   * A read into the shared read buffer (shared-reads.ts): `buf[0, n)` is
   * valid only during this call, so whatever the parser keeps (a request
   * cut by the read, or input left while paused for output) is copied out.
   */
  onSharedRead(buf: Buffer, n: number): void {
    this.onData(buf.subarray(0, n));
    this.parser.ownTail();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.closeAfterReply) return;
    this.server.stats.totalNetInputBytes += chunk.length;
    const parser = this.parser;
    parser.append(chunk);
    if (parser.pending > this.server.limits.queryBufferLimit) {
      this.server.limits.queryBufferExceeded(this, parser.pending);
      return;
    }
    this.processInput();
    this.turnBytes += chunk.length;
    if (this.turnBytes >= INPUT_TURN_BYTES && !this.inputYield && !this.pausedForOutput && !this.closed && !this.closeAfterReply) {
      this.inputYield = true;
      this.socket.pause();
      setImmediate(this.onInputTurn);
    }
  }

  /** The turn after reading yielded (INPUT_TURN_BYTES): read again unless paused for output meanwhile. */
  private onInputTurn(): void {
    this.inputYield = false;
    this.turnBytes = 0;
    if (!this.pausedForOutput && !this.closed && !this.closeAfterReply) this.socket.resume();
  }

  /**
   * Runs the complete requests buffered and sends their replies in one
   * write. Once the replies waiting (in the writer and on the socket) pass
   * OUTPUT_PAUSE_BYTES it stops between two requests and stops reading the
   * socket; onDrain comes back here. So one read of pipelined GETs of a
   * large value cannot make a reply batch of gigabytes.
   */
  private processInput(): void {
    const parser = this.parser;
    const writer = this.reply;
    const socket = this.socket;
    const textReplies = this.server.config.get('inline-replies') === 'text';
    // What the socket holds cannot change while the batch runs (replies
    // leave at the end of the turn), so read it once, not per command.
    const onSocket = this.onSocket();
    const dispatcher = this.server.dispatcher;
    dispatcher.startBatch();
    this.executing = true;
    // A blocked client's input waits in the parser until it is unblocked (resume).
    while ((this.flags & CLIENT_BLOCKED) === 0) {
      const kind = parser.nextRequest();
      if (kind === REQUEST_NONE) break;
      writer.mode = this.replyMode(textReplies);
      dispatcher.dispatchRequest(this.ctx, parser, kind);
      if (this.closeAfterReply || this.closed || this.flags & CLIENT_BLOCKED) break;
      if (writer.pendingBytes + this.queuedBytes + onSocket > OUTPUT_PAUSE_BYTES) {
        this.pausedForOutput = true;
        break;
      }
    }
    this.executing = false;
    dispatcher.endBatch();
    if (parser.error !== null) {
      // A bad inline request is answered in the dialect its command would have had.
      writer.mode = this.replyMode(textReplies);
      writer.error(parser.error);
      this.closeAfterReply = true;
    }
    writer.flush();
    if (this.closeAfterReply) {
      this.closeGracefully();
      return;
    }
    const out = this.outputBufferLength();
    const limits = this.server.limits;
    const checkAt = this.flags & CLIENT_PUBSUB ? limits.pubsubCheckBytes : limits.outputCheckBytes;
    if (out >= checkAt && limits.checkOutput(this)) return;
    if (this.pausedForOutput || out > OUTPUT_PAUSE_BYTES) {
      this.pausedForOutput = true;
      socket.pause();
      // No 'drain' comes when the socket has already taken everything.
      if (!this.drainDue()) setImmediate(this.onDrain);
    }
  }

  /**
   * The dialect of the reply to the request just parsed: the seed's human
   * text for an inline line ended by a bare LF (nc, a person typing) when
   * `inline-replies` is `text`; RESP otherwise, including an inline line
   * ended by CRLF, as redis-benchmark's PING_INLINE and telnet send them
   * and Redis answers them.
   */
  private replyMode(textReplies: boolean): ReplyMode {
    const parser = this.parser;
    if (parser.inline && textReplies && !parser.inlineCrlf) return MODE_TEXT;
    return this.resp === 3 ? MODE_RESP3 : MODE_RESP2;
  }

  /**
   * The socket took our replies: run what is still buffered, then read
   * again. Called by 'drain' (or, for handle writes, when the last write in
   * flight completes) and, when no drain was due at pause time, from
   * setImmediate; by then the queued replies may have backed the socket up
   * again, and then it keeps waiting.
   */
  private onDrain(): void {
    if (!this.pausedForOutput || this.closed) return;
    if (this.outputBufferLength() > OUTPUT_PAUSE_BYTES) {
      if (!this.drainDue()) setImmediate(this.onDrain);
      return;
    }
    this.pausedForOutput = false;
    this.outputSoftSince = 0;
    this.processInput();
    if (!this.pausedForOutput && !this.inputYield && !this.closed && !this.closeAfterReply) this.socket.resume();
  }

  /**
   * Sends what is queued, then closes (QUIT, protocol errors). Input that
   * still arrives is read and dropped rather than left unread: unread input
   * would turn the close into a reset that can destroy the reply in flight,
   * and the peer's FIN could never be seen, leaving the socket open for as
   * long as the peer keeps its side open. Once our replies have left, a peer
   * that has not closed within CLOSE_GRACE_MS is cut off, as Redis closes the
   * descriptor outright.
   */
  closeGracefully(): void {
    if (this.closed) return;
    this.writeQueued();
    this.parser.reset();
    const socket = this.socket;
    this.pausedForOutput = false;
    socket.resume();
    socket.end(() => {
      const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    });
    this.finish();
  }

  /**
   * CLIENT KILL. Another client is closed at once; a client killing itself
   * gets its reply first, as Redis's CLIENT_CLOSE_AFTER_REPLY.
   */
  kill(): void {
    if (this.closed) return;
    if (this.executing) {
      this.closeAfterReply = true;
      return;
    }
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.parser.reset();
    this.onClose(this);
  }
}
