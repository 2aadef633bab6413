/**
 * The reply writer: encodes replies for RESP2, RESP3 and the human text
 * dialect into one buffer, which leaves in one write per batch of requests.
 *
 * It owns encoding only. It knows nothing of commands or the keyspace; the
 * server tells it which protocol the next reply speaks (`mode`) and where the
 * bytes go (`target`). Each client has its own writer (its target is that
 * client's connection), so a command can reply to its client while writing
 * to others (pub/sub), and a reply can be written to a writer with no
 * target at all and read back (`take()`, for EXEC inside scripts later).
 *
 * Scratch buffer layout:
 *
 *     buf: [ pending replies for target ......... | free ............ ]
 *            0                                     ^len               ^buf.length
 *
 * `flush()` copies the pending bytes out (the scratch is reused at once) and
 * hands them to the target. A value too large for the scratch goes out as a
 * buffer of its own, after the pending bytes, keeping order.
 *
 * The text dialect renders like redis-cli's TTY output (cliFormatReplyTTY):
 * `(nil)`, `(integer) 1`, `(error) ERR ...`, numbered lines for arrays,
 * `(empty array)`; bulk strings are written as their raw bytes, one per line.
 */
import './buffer-ext.js';

/** Where flushed bytes go: a connection. */
export interface ReplyTarget {
  sendReply(data: Buffer): void;
}

export const MODE_TEXT = 0;
export const MODE_RESP2 = 2;
export const MODE_RESP3 = 3;
export type ReplyMode = typeof MODE_TEXT | typeof MODE_RESP2 | typeof MODE_RESP3;

/**
 * Every client has its own writer, so the scratch starts small (10,000
 * idle clients hold 10 MB) and doubles as a batch needs; a pipelining
 * client grows it once and keeps it.
 */
const SCRATCH_INITIAL = 1024; // bytes
/** Values longer than this skip the scratch and are written on their own. */
const DIRECT_WRITE_MIN = 256 * 1024; // bytes
/** bulkBytes copies values up to this long byte by byte, longer ones natively. */
const COPY_LOOP_MAX = 32; // bytes
/** The scratch shrinks back to its initial size after a batch larger than this. */
const SCRATCH_KEEP_MAX = 1024 * 1024; // bytes

/** Error codes that are written as is; any other message gets `ERR `. */
const ERROR_CODES = new Set([
  'WRONGTYPE', 'NOPROTO', 'NOAUTH', 'WRONGPASS', 'NOPERM', 'EXECABORT', 'CROSSSLOT', 'MOVED', 'ASK',
  'BUSY', 'BUSYKEY', 'NOSCRIPT', 'LOADING', 'READONLY', 'MASTERDOWN', 'MISCONF', 'OOM', 'NOTBUSY',
  'UNKILLABLE', 'DENIED', 'NOREPLICAS', 'CLUSTERDOWN', 'TRYAGAIN', 'NOGROUP', 'BUSYGROUP', 'UNBLOCKED', 'ERR',
]);

/** Whether `msg` already starts with an error code (WRONGTYPE, NOPROTO, …). */
export function hasErrorCode(msg: string): boolean {
  const sp = msg.indexOf(' ');
  return ERROR_CODES.has(sp === -1 ? msg : msg.slice(0, sp));
}

const SMALL_INT_MAX = 1024;
/** `:0\r\n` … `:1023\r\n`, precomputed like Redis's shared.integers. */
const SHARED_INTS: Buffer[] = [];
/** `$0\r\n` … `$1023\r\n`: bulk headers for small lengths (shared.bulkhdr). */
const SHARED_BULK_HDRS: Buffer[] = [];
for (let i = 0; i < SMALL_INT_MAX; i++) {
  SHARED_INTS.push(Buffer.from(`:${i}\r\n`, 'latin1'));
  SHARED_BULK_HDRS.push(Buffer.from(`$${i}\r\n`, 'latin1'));
}
const OK = Buffer.from('+OK\r\n');
const QUEUED = Buffer.from('+QUEUED\r\n');
const NULL_BULK2 = Buffer.from('$-1\r\n');
const NULL_ARRAY2 = Buffer.from('*-1\r\n');
const NULL3 = Buffer.from('_\r\n');
const EMPTY_ARRAY = Buffer.from('*0\r\n');

/** One array being rendered in the text dialect (redis-cli's prefixes). */
interface TextFrame {
  total: number;
  index: number;
  /** Width of the largest index, for right alignment. */
  idxLen: number;
  /** Indentation written before each element but the first. */
  prefix: string;
  /** `)` for arrays, `#` for maps, `~` for sets. */
  sep: string;
}

/**
 * The errorstats name of an error reply (Redis's afterErrorReply): its first
 * word when a space comes within the first 31 characters, else ERR.
 */
export function errorStatName(full: string): string {
  const sp = full.indexOf(' ');
  return sp > 0 && sp <= 30 ? full.slice(0, sp) : 'ERR';
}

/** Where muted replies go. */
const DISCARD: ReplyTarget = { sendReply() {} };

export class ReplyWriter {
  /** Protocol of the reply being written; set per request by the server. */
  mode: ReplyMode = MODE_RESP2;
  /**
   * Error replies written so far. The dispatcher compares it before and
   * after a command to tell a failed call, so handlers never report one.
   */
  errorReplies = 0;
  /** Told the errorstats name of every error reply (the server's statistics). */
  onErrorReply: (name: string) => void = () => {};
  private target: ReplyTarget | null = null;
  private buf: Buffer = Buffer.allocUnsafe(SCRATCH_INITIAL);
  private len = 0;
  private frames: TextFrame[] = [];

  /** The real target while muted (CLIENT REPLY OFF/SKIP); null when not muted. */
  private mutedTarget: ReplyTarget | null = null;

  /**
   * Mutes (or unmutes) what follows: replies written while muted are
   * dropped, those written before are sent first (CLIENT REPLY OFF/SKIP).
   * Bytes a connection delivers itself (pushes, MONITOR) are not muted.
   */
  mute(on: boolean): void {
    if (on === (this.mutedTarget !== null)) return;
    this.flush();
    if (on) {
      this.mutedTarget = this.target;
      this.target = DISCARD;
    } else {
      this.target = this.mutedTarget;
      this.mutedTarget = null;
    }
  }

  get muted(): boolean {
    return this.mutedTarget !== null;
  }

  /** Directs what follows to `target`, flushing anything pending for another. */
  begin(target: ReplyTarget): void {
    if (this.target !== target) {
      if (this.len > 0) this.flush();
      this.target = target;
    }
  }

  /** Sends the pending bytes to the current target. */
  flush(): void {
    if (this.len === 0 || this.target === null) return;
    const len = this.len;
    const out = Buffer.allocUnsafe(len);
    if (len <= COPY_LOOP_MAX) {
      const buf = this.buf;
      for (let i = 0; i < len; i++) out[i] = buf[i]!;
    } else {
      this.buf.copy(out, 0, 0, len);
    }
    this.len = 0;
    if (this.buf.length > SCRATCH_KEEP_MAX) this.buf = Buffer.allocUnsafe(SCRATCH_INITIAL);
    this.target.sendReply(out);
  }

  /** Bytes waiting in the scratch (tests and CLIENT LIST). */
  get pendingBytes(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  private raw(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.len += this.buf.latin1Write(s, this.len);
  }

  /** Writes the decimal digits of an integer (no string on the common path). */
  private digits(n: number): void {
    if (!Number.isSafeInteger(n)) {
      this.ascii(String(n));
      return;
    }
    this.ensure(21);
    const buf = this.buf;
    if (n < 0) {
      buf[this.len++] = 45;
      n = -n;
    }
    if (n < 10) {
      buf[this.len++] = 48 + n;
      return;
    }
    let tmp = n;
    let width = 0;
    while (tmp > 0) {
      width++;
      tmp = Math.floor(tmp / 10);
    }
    let p = this.len + width;
    this.len = p;
    while (n > 0) {
      const q = Math.floor(n / 10);
      buf[--p] = 48 + (n - q * 10);
      n = q;
    }
  }

  private crlf(): void {
    this.ensure(2);
    this.buf[this.len++] = 13;
    this.buf[this.len++] = 10;
  }

  // ---- text dialect -------------------------------------------------------

  /** Writes the `N) ` index before an element nested in an array. */
  private textPrefix(): void {
    const f = this.frames.length > 0 ? this.frames[this.frames.length - 1]! : null;
    if (f === null) return;
    let s = f.index === 0 ? '' : f.prefix;
    const idx = String(f.index + 1);
    s += ' '.repeat(f.idxLen - idx.length) + idx + f.sep + ' ';
    this.ascii(s);
  }

  /** Marks one element of the innermost array done, closing finished arrays. */
  private textDone(): void {
    while (this.frames.length > 0) {
      const f = this.frames[this.frames.length - 1]!;
      f.index++;
      if (f.index < f.total) return;
      this.frames.pop();
    }
  }

  private textLine(s: string): void {
    this.textPrefix();
    this.ascii(s);
    this.ensure(1);
    this.buf[this.len++] = 10;
    this.textDone();
  }

  private textAggregate(n: number, sep: string, emptyText: string): void {
    this.textPrefix();
    if (n === 0) {
      this.ascii(emptyText + '\n');
      this.textDone();
      return;
    }
    const parent = this.frames.length > 0 ? this.frames[this.frames.length - 1]! : null;
    const idxLen = String(n).length;
    const base = parent === null ? '' : parent.prefix + ' '.repeat(parent.idxLen + 2);
    this.frames.push({ total: n, index: 0, idxLen, prefix: base, sep });
  }

  // ---- replies ------------------------------------------------------------

  /** `+OK`. */
  ok(): void {
    if (this.mode === MODE_TEXT) this.textLine('OK');
    else this.raw(OK);
  }

  /** `+QUEUED`: a command queued by MULTI. */
  queued(): void {
    if (this.mode === MODE_TEXT) this.textLine('QUEUED');
    else this.raw(QUEUED);
  }

  /**
   * SET's success reply. The seed's text dialect answered SET with `(nil)`,
   * and its transcript must come out byte for byte; RESP gets `+OK`.
   */
  setOk(): void {
    if (this.mode === MODE_TEXT) this.textLine('(nil)');
    else this.raw(OK);
  }

  /** A status reply such as `+PONG`. `s` must hold no CR or LF. */
  simple(s: string): void {
    if (this.mode === MODE_TEXT) {
      this.textLine(s);
      return;
    }
    this.ensure(s.length + 3);
    this.buf[this.len++] = 43;
    this.len += this.buf.latin1Write(s, this.len);
    this.crlf();
  }

  /**
   * An error reply; `ERR ` is added unless the message starts with a code.
   * CR and LF become spaces, as in Redis's addReplyErrorFormat, so that no
   * message can break the protocol (callers should sanitize already).
   */
  error(msg: string): void {
    if (msg.indexOf('\r') !== -1 || msg.indexOf('\n') !== -1) msg = msg.replace(/[\r\n]/g, ' ');
    const full = hasErrorCode(msg) ? msg : 'ERR ' + msg;
    this.errorReplies++;
    this.onErrorReply(errorStatName(full));
    if (this.mode === MODE_TEXT) {
      this.textLine('(error) ' + full);
      return;
    }
    this.ensure(full.length + 3);
    this.buf[this.len++] = 45;
    this.len += this.buf.latin1Write(full, this.len);
    this.crlf();
  }

  integer(n: number): void {
    if (this.mode === MODE_TEXT) {
      this.textLine('(integer) ' + n);
      return;
    }
    if (n >= 0 && n < SMALL_INT_MAX && Number.isInteger(n)) {
      this.raw(SHARED_INTS[n]!);
      return;
    }
    this.ensure(1);
    this.buf[this.len++] = 58;
    this.digits(n);
    this.crlf();
  }

  /** An integer beyond 2^53, given as its exact decimal text. */
  bigInteger(text: string): void {
    if (this.mode === MODE_TEXT) {
      this.textLine('(integer) ' + text);
      return;
    }
    this.ascii(':' + text + '\r\n');
  }

  private bulkHeader(n: number): void {
    if (n < SMALL_INT_MAX) {
      this.raw(SHARED_BULK_HDRS[n]!);
      return;
    }
    this.ensure(1);
    this.buf[this.len++] = 36;
    this.digits(n);
    this.crlf();
  }

  /** A bulk string from a latin1 string (every stored string value). */
  bulk(s: string): void {
    const n = s.length;
    if (this.mode === MODE_TEXT) {
      this.textPrefix();
      this.ensure(n + 1);
      this.len += this.buf.latin1Write(s, this.len);
      this.buf[this.len++] = 10;
      this.textDone();
      return;
    }
    this.bulkHeader(n);
    if (n >= DIRECT_WRITE_MIN) {
      this.flush();
      this.target?.sendReply(Buffer.from(s, 'latin1'));
    } else {
      this.ensure(n);
      this.len += this.buf.latin1Write(s, this.len);
    }
    this.crlf();
  }

  /** A bulk string from bytes. */
  bulkBuffer(b: Buffer): void {
    if (this.mode === MODE_TEXT) {
      this.textPrefix();
      this.raw(b);
      this.ensure(1);
      this.buf[this.len++] = 10;
      this.textDone();
      return;
    }
    this.bulkHeader(b.length);
    if (b.length >= DIRECT_WRITE_MIN) {
      this.flush();
      this.target?.sendReply(Buffer.from(b));
    } else {
      this.raw(b);
    }
    this.crlf();
  }

  /**
   * A bulk string from `src[offset, offset + length)`, copied at once (the
   * keyspace's view of a value, valid only until it next changes). Short
   * values are copied by a loop: a native copy costs more below ~32 bytes.
   */
  bulkBytes(src: Uint8Array, offset: number, length: number): void {
    if (this.mode === MODE_TEXT || length >= DIRECT_WRITE_MIN) {
      this.bulkBuffer(Buffer.from(src.buffer, src.byteOffset + offset, length));
      return;
    }
    this.bulkHeader(length);
    this.ensure(length + 2);
    const buf = this.buf;
    let p = this.len;
    if (length <= COPY_LOOP_MAX) {
      for (let i = 0; i < length; i++) buf[p + i] = src[offset + i]!;
    } else {
      buf.set(src.subarray(offset, offset + length), p);
    }
    p += length;
    buf[p] = 13;
    buf[p + 1] = 10;
    this.len = p + 2;
  }

  /** Nil bulk: `$-1` in RESP2, `_` in RESP3, `(nil)` in text. */
  nullBulk(): void {
    if (this.mode === MODE_TEXT) this.textLine('(nil)');
    else this.raw(this.mode === MODE_RESP3 ? NULL3 : NULL_BULK2);
  }

  /** Nil array: `*-1` in RESP2, `_` in RESP3, `(nil)` in text. */
  nullArray(): void {
    if (this.mode === MODE_TEXT) this.textLine('(nil)');
    else this.raw(this.mode === MODE_RESP3 ? NULL3 : NULL_ARRAY2);
  }

  /** Starts an array of `n` elements; the next `n` replies are its elements. */
  arrayHeader(n: number): void {
    if (this.mode === MODE_TEXT) {
      this.textAggregate(n, ')', '(empty array)');
      return;
    }
    if (n === 0) {
      this.raw(EMPTY_ARRAY);
      return;
    }
    this.ensure(1);
    this.buf[this.len++] = 42;
    this.digits(n);
    this.crlf();
  }

  /** Starts an out-of-band push of `n` elements (RESP3 `>`; an array otherwise), as Redis's addReplyPushLen. */
  pushHeader(n: number): void {
    if (this.mode === MODE_RESP3) this.ascii('>' + n + '\r\n');
    else this.arrayHeader(n);
  }

  /** Starts a map of `n` pairs (RESP3 `%`; a flat array of 2n in RESP2). */
  mapHeader(n: number): void {
    if (this.mode === MODE_RESP3) {
      this.ascii('%' + n + '\r\n');
    } else if (this.mode === MODE_TEXT) {
      this.textAggregate(n * 2, ')', '(empty array)');
    } else {
      this.arrayHeader(n * 2);
    }
  }

  /** Starts a set of `n` elements (RESP3 `~`; an array in RESP2). */
  setHeader(n: number): void {
    if (this.mode === MODE_RESP3) this.ascii('~' + n + '\r\n');
    else this.arrayHeader(n);
  }

  /** A double: RESP3 `,`; a bulk string in RESP2 and text, as Redis's addReplyDouble. */
  double(d: number): void {
    const text = formatDouble(d);
    if (this.mode === MODE_RESP3) this.ascii(',' + text + '\r\n');
    else this.bulk(text);
  }

  /** A boolean: RESP3 `#t`/`#f`; integer 1 or 0 otherwise. */
  bool(b: boolean): void {
    if (this.mode === MODE_RESP3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.integer(b ? 1 : 0);
  }

  /** A verbatim string (INFO, CLIENT LIST): RESP3 `=`; a bulk string otherwise. */
  verbatim(s: string, format = 'txt'): void {
    if (this.mode !== MODE_RESP3) {
      this.bulk(s);
      return;
    }
    this.ascii('=' + (s.length + 4) + '\r\n' + format + ':');
    this.ensure(s.length);
    this.len += this.buf.latin1Write(s, this.len);
    this.crlf();
  }

  // ---- RESP3-only types (DEBUG PROTOCOL) ---------------------------------

  /** A big number given as decimal text: RESP3 `(`; a bulk string otherwise, as Redis's addReplyBigNum. */
  bigNumber(text: string): void {
    if (this.mode === MODE_RESP3) this.ascii('(' + text + '\r\n');
    else this.bulk(text);
  }

  /**
   * Starts an attribute map of `n` pairs (RESP3 `|`), which precedes a real
   * reply. Only for RESP3: in RESP2 and text there is no such type, and the
   * caller writes no attribute at all (as Redis's callers check c->resp).
   */
  attributeHeader(n: number): void {
    if (this.mode === MODE_RESP3) this.ascii('|' + n + '\r\n');
  }
}

/** Formats a double as Redis 7 does for replies: `inf`, `-inf`, shortest round-trip digits otherwise. */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return String(d);
}

