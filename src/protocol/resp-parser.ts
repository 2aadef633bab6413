/**
 * The request parser: turns the bytes a client sends into argument vectors.
 *
 * It owns one connection's unparsed input and the state of the request being
 * read, so a request split at any byte resumes where it stopped. It knows
 * nothing of commands, keyspace or replies. Both dialects live here: a request
 * whose first byte is `*` is a RESP multibulk, anything else an inline line
 * (see inline-parser.ts), as in Redis's processInputBuffer.
 *
 * Arguments come out in one of two forms. A multibulk that arrived whole in
 * one read stays bytes: `nextRequest()` leaves its arguments as offsets into
 * the read buffer (RawRequest), so the hot commands run without making a
 * string per argument. Otherwise, and whenever asked (`args()`), arguments
 * are latin1 strings: one byte per character, so any bytes round-trip
 * exactly, and V8 stores them compactly. Only an argument longer than
 * `stringArgMax` becomes a Buffer (V8 caps string length below 512 MB).
 *
 * A request cut by a read boundary switches to strings for the arguments
 * already read, so the tail kept between reads never holds a finished
 * argument twice and a huge multibulk arriving in many reads is not copied
 * again on each one.
 *
 * Input buffer layout between reads:
 *
 *     buf: [ consumed ... | unparsed tail ............ ]
 *                          ^pos                        ^buf.length
 *
 * Only the tail is kept; it is joined with the next chunk once per read. A
 * bulk of `bigArg` bytes or more that is still arriving is copied into its own
 * buffer (`big`), grown as data actually arrives, never sized from the
 * announced length alone.
 */
import {
  PROTO_INVALID_BULK,
  PROTO_INVALID_MULTIBULK,
  PROTO_TOO_BIG_BULK_COUNT,
  PROTO_TOO_BIG_INLINE,
  PROTO_TOO_BIG_MBULK_COUNT,
  PROTO_UNBALANCED_QUOTES,
  protoExpectedDollar,
} from '../errors.js';
import './buffer-ext.js';
import { splitInlineArgs } from './inline-parser.js';
import { DEFAULT_LIMITS, type ParserLimits } from './limits.js';

/** One argument: a latin1 string, or a Buffer when longer than stringArgMax. */
export type Arg = string | Buffer;

/**
 * A request whose arguments are still bytes: argument i is
 * `buf[start[i], start[i] + len[i])`, for i < argc (0 is the command name).
 * Owned by the parser and reused; valid until its next `nextRequest()`.
 */
export class RawRequest {
  buf: Buffer = EMPTY;
  start = new Int32Array(RAW_ARGS_INITIAL);
  len = new Int32Array(RAW_ARGS_INITIAL);
  argc = 0;
}

/** nextRequest(): no complete request yet (or a protocol error: see `error`). */
export const REQUEST_NONE = 0;
/** nextRequest(): a request whose arguments are bytes in `raw` (and `args()` makes strings). */
export const REQUEST_RAW = 1;
/** nextRequest(): a request whose arguments are strings already: `args()`. */
export const REQUEST_ARGS = 2;

const CR = 13;
const STAR = 42;
const DOLLAR = 36;
const NL = 10;
const MINUS = 45;
const EMPTY = Buffer.alloc(0);
/** Argument offsets a RawRequest holds before it grows (MSET of 15 pairs fits). */
const RAW_ARGS_INITIAL = 32;
/** Argument slots allocated up front for a multibulk's announced count (Redis 7 caps it at 1024 too). */
const ARGV_PREALLOC_MAX = 1024;
/** Placeholder between requests; never handed out, never written. */
const NO_ARGV: Arg[] = [];
/** Smallest buffer for a big bulk still arriving; grows by doubling. */
const BIG_ARG_MIN_ALLOC = 64 * 1024; // bytes

/**
 * Reads a decimal integer from buf[start, end) with Redis's string2ll rules:
 * optional '-', no '+', no leading zeros, no spaces, fits in 64 bits.
 * Returns NaN when the bytes are not such an integer. Values beyond 2^53 lose
 * precision, which no caller here needs (lengths are capped far lower).
 */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
  if (start >= end || end - start > 20) return NaN;
  let i = start;
  let neg = false;
  if (buf[i] === MINUS) {
    neg = true;
    i++;
    if (i === end) return NaN;
  }
  const first = buf[i]! - 48;
  if (first < 0 || first > 9) return NaN;
  if (first === 0) return i + 1 === end && !neg ? 0 : NaN;
  let n = first;
  for (i++; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return neg ? -n : n;
}

/**
 * Index of the first CR in buf[from, buf.length), or -1. Header lines are a
 * few bytes long, where this loop beats a native indexOf call.
 */
function findCR(buf: Buffer, from: number): number {
  const end = buf.length;
  for (let i = from; i < end; i++) if (buf[i] === CR) return i;
  return -1;
}

/** Command names up to this long are remembered for reuse (the longest Redis 7 name is 17). */
const NAME_CACHE_MAX = 32; // bytes

/** Whether buf[pos, pos+len) holds exactly the characters of the latin1 string `s`. */
/** Command names the parser keeps as strings (RequestParser.names). */
const NAME_CACHE_SIZE = 4;

function sameBytes(buf: Buffer, pos: number, len: number, s: string): boolean {
  if (len !== s.length) return false;
  for (let i = 0; i < len; i++) if (buf[pos + i] !== s.charCodeAt(i)) return false;
  return true;
}

function isComplete(l: Partial<ParserLimits>): l is ParserLimits {
  return l.maxBulkLen !== undefined && l.maxInlineSize !== undefined && l.maxMultibulkLen !== undefined && l.bigArg !== undefined && l.stringArgMax !== undefined;
}

export class RequestParser {
  /** Set when the last `next()` hit a protocol error; the connection must close. */
  error: string | null = null;
  /**
   * Whether the command last returned by `next()` was an inline request, or,
   * after a protocol error, whether the bad request was inline.
   */
  inline = false;
  /**
   * Whether that inline request's line ended in CRLF rather than a bare LF.
   * Redis's own tools (redis-benchmark's PING_INLINE, telnet) end lines in
   * CRLF and expect RESP; `nc` and people typing end them in LF.
   */
  inlineCrlf = false;

  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Arguments still expected in the current multibulk; 0 between requests. */
  private multibulkLen = 0;
  /** Length of the bulk being read, or -1 while its `$` header is awaited. */
  private bulkLen = -1;
  private argv: Arg[] = NO_ARGV;
  /** The last command name parsed (see parseBulks). */
  /**
   * The last NAME_CACHE_SIZE command names made into strings, most recent
   * first: a pipeline repeats one name, and MULTI/SET/EXEC or a GET/SET mix
   * alternate between a few, so a name is made once and then reused (with
   * the hash V8 cached on it for the command table's Map).
   */
  private readonly names: string[] = new Array<string>(NAME_CACHE_SIZE).fill('');
  /**
   * The command name of the request last returned (a string in both forms:
   * the table is keyed by strings, and the last name's string is reused).
   */
  name = '';
  /** The current request's arguments while they are bytes (see RawRequest). */
  readonly raw = new RawRequest();
  /** Whether the current multibulk's arguments are offsets in `raw` rather than strings in `argv`. */
  private rawMode = false;
  /** Arguments of the current multibulk stored so far (in `raw` or `argv`). */
  private argc = 0;
  /** A big bulk being assembled in place, and how much of it has arrived. */
  private big: Buffer | null = null;
  private bigFilled = 0;
  /** Set when a big bulk completed the current request inside append(). */
  private ready = false;
  private readonly limits: ParserLimits;

  /**
   * A complete limits object is kept by reference: a server shares one among
   * its connections and changes it in place (CONFIG SET proto-max-bulk-len).
   * A partial one is completed with the defaults (tests lower single limits).
   */
  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = isComplete(limits) ? limits : { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes received and not yet parsed (for CLIENT LIST's qbuf and the query buffer limit). */
  get pending(): number {
    return this.buf.length - this.pos + this.bigFilled;
  }

  /** Appends one chunk read from the socket. Call `next()` until it returns null afterwards. */
  append(chunk: Buffer): void {
    if (this.big !== null) {
      chunk = this.fillBig(chunk);
      if (chunk.length === 0) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      const rest = this.buf.length - this.pos;
      const joined = Buffer.allocUnsafe(rest + chunk.length);
      this.buf.copy(joined, 0, this.pos);
      chunk.copy(joined, rest);
      this.buf = joined;
    }
    this.pos = 0;
  }

  /**
   * Copies the unparsed tail out of the last chunk appended, for a caller
   * whose chunks are borrowed (a read buffer the socket reuses).
   */
  ownTail(): void {
    if (this.pos < this.buf.length) {
      this.buf = Buffer.from(this.buf.subarray(this.pos));
      this.pos = 0;
    } else if (this.buf !== EMPTY) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  /**
   * Drops all buffered input and any protocol error (after a protocol error or
   * on close); the parser is then as new.
   */
  reset(): void {
    this.error = null;
    this.inline = false;
    this.buf = EMPTY;
    this.pos = 0;
    this.multibulkLen = 0;
    this.bulkLen = -1;
    this.argv = NO_ARGV;
    this.argc = 0;
    this.rawMode = false;
    this.raw.buf = EMPTY;
    this.big = null;
    this.bigFilled = 0;
    this.ready = false;
  }

  /**
   * Returns the next complete request's arguments as strings, or null when
   * more input is needed or a protocol error occurred (then `error` is set
   * and the caller replies with it and closes). Empty requests (`*0`, blank
   * lines) are skipped, as in Redis.
   */
  next(): Arg[] | null {
    return this.nextRequest() === REQUEST_NONE ? null : this.args();
  }

  /**
   * Finds the next complete request: REQUEST_RAW when its arguments are
   * bytes in `raw`, REQUEST_ARGS when they are strings (`args()`), or
   * REQUEST_NONE as `next()` returns null. `name` is the command name.
   */
  nextRequest(): number {
    if (this.ready) {
      this.ready = false;
      this.inline = false;
      const first = this.argv[0];
      this.name = typeof first === 'string' ? first : '';
      return REQUEST_ARGS;
    }
    if (this.error !== null || this.big !== null) return REQUEST_NONE;
    for (;;) {
      if (this.multibulkLen === 0) {
        if (this.pos >= this.buf.length) {
          if (this.buf !== EMPTY) {
            this.buf = EMPTY;
            this.pos = 0;
          }
          return REQUEST_NONE;
        }
        if (this.buf[this.pos] !== STAR) {
          const argv = this.parseInline();
          if (argv === null) return REQUEST_NONE;
          if (argv.length === 0) continue;
          this.inline = true;
          this.argv = argv;
          this.rawMode = false;
          const first = argv[0]!;
          this.name = typeof first === 'string' ? first : '';
          return REQUEST_ARGS;
        }
        const started = this.startMultibulk();
        if (started <= 0) {
          if (started < 0) return REQUEST_NONE;
          continue; // empty multibulk
        }
      }
      if (!this.parseBulks()) return REQUEST_NONE;
      this.inline = false;
      return this.rawMode ? REQUEST_RAW : REQUEST_ARGS;
    }
  }

  /**
   * The arguments of the request nextRequest() last returned, as strings
   * (made now from the bytes if it was REQUEST_RAW). Call at most once per
   * request: a second call makes them again.
   */
  args(): Arg[] {
    if (!this.rawMode) {
      const argv = this.argv;
      this.argv = NO_ARGV;
      return argv;
    }
    return this.stringsFromRaw(this.argc);
  }

  /**
   * The `argc` arguments recorded as offsets, as strings, in an array with
   * slots for `announced` (up to ARGV_PREALLOC_MAX; past that it grows as
   * arguments actually arrive, Redis 7's argv_len policy).
   */
  private stringsFromRaw(announced: number): Arg[] {
    const raw = this.raw;
    const argv = announced <= ARGV_PREALLOC_MAX ? new Array<Arg>(announced) : [];
    if (this.argc > 0) argv[0] = this.name;
    for (let i = 1; i < this.argc; i++) argv[i] = this.argFromBytes(raw.buf, raw.start[i]!, raw.len[i]!);
    return argv;
  }

  /** The command name `buf[pos, pos + len)` as a string: one of the recent names when it is one (moved to the front), else a new one. */
  private nameAt(buf: Buffer, pos: number, len: number): string {
    const names = this.names;
    if (sameBytes(buf, pos, len, names[0]!)) return names[0]!;
    for (let i = 1; i < NAME_CACHE_SIZE; i++) {
      const s = names[i]!;
      if (sameBytes(buf, pos, len, s)) {
        for (let j = i; j > 0; j--) names[j] = names[j - 1]!;
        names[0] = s;
        return s;
      }
    }
    const s = buf.latin1Slice(pos, pos + len);
    if (len <= NAME_CACHE_MAX) {
      for (let j = NAME_CACHE_SIZE - 1; j > 0; j--) names[j] = names[j - 1]!;
      names[0] = s;
    }
    return s;
  }

  private argFromBytes(buf: Buffer, pos: number, len: number): Arg {
    return len <= this.limits.stringArgMax ? buf.latin1Slice(pos, pos + len) : Buffer.from(buf.subarray(pos, pos + len));
  }

  /** Reads `*N\r\n`. Returns 1 when arguments follow, 0 for an empty request, -1 for more input or an error. */
  private startMultibulk(): number {
    const buf = this.buf;
    const cr = findCR(buf, this.pos + 1);
    if (cr === -1 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > this.limits.maxInlineSize) this.fail(PROTO_TOO_BIG_MBULK_COUNT);
      return -1;
    }
    const n = parseIntBytes(buf, this.pos + 1, cr);
    if (Number.isNaN(n) || n > this.limits.maxMultibulkLen) {
      this.fail(PROTO_INVALID_MULTIBULK);
      return -1;
    }
    this.pos = cr + 2;
    if (n <= 0) return 0;
    this.multibulkLen = n;
    this.bulkLen = -1;
    this.argc = 0;
    this.rawMode = true;
    this.raw.buf = this.buf;
    if (n > this.raw.start.length) this.growRaw(n);
    return 1;
  }

  /**
   * Room in `raw` for the announced count, up to ARGV_PREALLOC_MAX; past that
   * it grows as arguments actually arrive (Redis 7's argv_len policy).
   */
  private growRaw(want: number): void {
    const raw = this.raw;
    const size = Math.max(Math.min(want, ARGV_PREALLOC_MAX), raw.start.length * 2);
    const start = new Int32Array(size);
    const len = new Int32Array(size);
    start.set(raw.start.subarray(0, this.argc));
    len.set(raw.len.subarray(0, this.argc));
    raw.start = start;
    raw.len = len;
  }

  /**
   * Turns the arguments read so far from offsets into strings: the request
   * is cut by a read boundary (or a big bulk follows), and the buffer they
   * point into is about to be dropped.
   */
  private leaveRawMode(): void {
    this.argv = this.stringsFromRaw(this.argc + this.multibulkLen);
    this.rawMode = false;
  }

  /**
   * Reads the bulks of the current multibulk; returns true once it is
   * complete. The common case (every bulk of the request already in `buf`)
   * runs as one loop over local variables: header digits are scanned in
   * JavaScript (a native indexOf per header costs more than the scan for
   * `$3\r\n`), and arguments are recorded as offsets, without a string.
   */
  private parseBulks(): boolean {
    const buf = this.buf;
    const end = buf.length;
    const limits = this.limits;
    const raw = this.raw;
    let pos = this.pos;
    while (this.multibulkLen > 0) {
      let len = this.bulkLen;
      if (len === -1) {
        if (pos >= end) break;
        const cr = findCR(buf, pos);
        if (cr === -1 || cr + 1 >= end) {
          if (end - pos > limits.maxInlineSize) this.fail(PROTO_TOO_BIG_BULK_COUNT);
          break;
        }
        const first = buf[pos]!;
        if (first !== DOLLAR) {
          // Redis's addReplyErrorFormat maps CR and LF to spaces: `got ' '`.
          this.fail(protoExpectedDollar(first === CR || first === NL ? 32 : first));
          break;
        }
        len = parseIntBytes(buf, pos + 1, cr);
        if (Number.isNaN(len) || len < 0 || len > limits.maxBulkLen) {
          this.fail(PROTO_INVALID_BULK);
          break;
        }
        pos = cr + 2;
        this.bulkLen = len;
        if (len >= limits.bigArg && end - pos < len + 2) {
          // Too big to wait for in the shared tail: assemble it in place.
          this.pos = pos;
          if (this.rawMode) this.leaveRawMode();
          this.startBig(buf.subarray(pos));
          this.buf = EMPTY;
          this.pos = 0;
          return false;
        }
      }
      // Redis skips the two bytes after the data without checking them.
      if (end - pos < len + 2) break;
      const i = this.argc++;
      if (i === 0) {
        // The command name the client sent last time: reuse its string
        // (and the hash V8 cached on it for the command table's Map). A
        // name is always a string: it lies whole in `buf`, far below V8's
        // string limit (a bulk that large goes to startBig instead).
        this.name = this.nameAt(buf, pos, len);
        if (!this.rawMode) this.argv[0] = this.name;
      } else if (this.rawMode) {
        if (i >= raw.start.length) this.growRaw(i + 1);
        raw.start[i] = pos;
        raw.len[i] = len;
      } else {
        this.argv[i] = this.argFromBytes(buf, pos, len);
      }
      pos += len + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    this.pos = pos;
    if (this.multibulkLen > 0) {
      // Cut by the end of this read (or failed): the buffer the offsets
      // point into is replaced on the next append.
      if (this.rawMode) this.leaveRawMode();
      return false;
    }
    if (this.rawMode) {
      raw.buf = buf;
      raw.argc = this.argc;
    }
    return true;
  }

  private startBig(initial: Buffer): void {
    const want = this.bulkLen + 2;
    const size = Math.min(want, Math.max(BIG_ARG_MIN_ALLOC, initial.length * 2));
    this.big = Buffer.allocUnsafe(size);
    this.bigFilled = 0;
    this.fillBig(initial);
  }

  /**
   * Copies arriving bytes into the big bulk, doubling its buffer as needed
   * (never past the announced size). When the bulk and its CRLF are complete,
   * it becomes an argument, and whatever follows is returned for normal
   * parsing; the returned buffer is empty while the bulk is still arriving.
   */
  private fillBig(chunk: Buffer): Buffer {
    const want = this.bulkLen + 2;
    let big = this.big!;
    const take = Math.min(chunk.length, want - this.bigFilled);
    if (this.bigFilled + take > big.length) {
      const grown = Buffer.allocUnsafe(Math.min(want, Math.max(big.length * 2, this.bigFilled + take)));
      big.copy(grown, 0, 0, this.bigFilled);
      big = this.big = grown;
    }
    chunk.copy(big, this.bigFilled, 0, take);
    this.bigFilled += take;
    if (this.bigFilled < want) return EMPTY;
    const len = this.bulkLen;
    const arg = len <= this.limits.stringArgMax ? big.latin1Slice(0, len) : big.subarray(0, len);
    if (this.argc === 0) this.name = typeof arg === 'string' ? arg : '';
    this.argv[this.argc++] = arg;
    this.big = null;
    this.bigFilled = 0;
    this.bulkLen = -1;
    this.multibulkLen--;
    if (this.multibulkLen === 0) this.ready = true;
    return chunk.subarray(take);
  }

  private parseInline(): Arg[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(NL, this.pos);
    if (nl === -1) {
      if (buf.length - this.pos > this.limits.maxInlineSize) {
        this.inlineCrlf = false;
        this.fail(PROTO_TOO_BIG_INLINE, true);
      }
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    this.inlineCrlf = end < nl;
    const argv = splitInlineArgs(buf, this.pos, end);
    this.pos = nl + 1;
    if (argv === null) {
      this.fail(PROTO_UNBALANCED_QUOTES, true);
      return null;
    }
    return argv;
  }

  /** Records a protocol error and the dialect of the request that caused it. */
  private fail(message: string, inline = false): void {
    this.inline = inline;
    this.error = message;
  }
}
