/**
 * The CLI's side of RESP: encodes commands and reads RESP2 and RESP3 replies
 * into a small tree. It knows nothing of formatting or sockets. Replies are
 * parsed only once complete: `ReplyReader.next()` tries from the start of the
 * unread bytes and returns undefined, consuming nothing, when a reply is still
 * arriving. That is simple and enough for one interactive user; the server's
 * own parser (src/protocol) is the one built for throughput.
 *
 * It reads what hiredis (the reader inside redis-cli 7.0) reads, no more: an
 * attribute (`|`) or a blob error (`!`) is a protocol error there, so it is
 * one here too.
 */

export type Reply =
  | { type: 'status'; value: string }
  | { type: 'error'; value: string }
  /** Integers keep their exact decimal text (64-bit values exceed 2^53). */
  | { type: 'integer'; value: string }
  | { type: 'string'; value: Buffer }
  | { type: 'verbatim'; format: string; value: Buffer }
  | { type: 'nil' }
  | { type: 'double'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'bignum'; value: string }
  | { type: 'array' | 'set' | 'push'; elements: Reply[] }
  /** Keys and values alternate: k1, v1, k2, v2, … */
  | { type: 'map'; elements: Reply[] };

/** A multibulk request from arguments (strings are sent as UTF-8, Buffers as is). */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Thrown when the server sends bytes that are not RESP. */
export class ReplyProtocolError extends Error {
  override readonly name = 'ReplyProtocolError';
}

const INCOMPLETE = Symbol('incomplete');
type Step = { reply: Reply; end: number } | typeof INCOMPLETE;

export class ReplyReader {
  private buf: Buffer = Buffer.alloc(0);

  append(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** Drops empty lines before the next reply (a server reading requests ignores them, as --pipe relies on). */
  skipEmptyLines(): void {
    let i = 0;
    while (i + 1 < this.buf.length && this.buf[i] === 13 && this.buf[i + 1] === 10) i += 2;
    if (i > 0) this.buf = this.buf.subarray(i);
  }

  /** The next complete reply, or undefined while it is still arriving. */
  next(): Reply | undefined {
    if (this.buf.length === 0) return undefined;
    const step = parseAt(this.buf, 0);
    if (step === INCOMPLETE) return undefined;
    this.buf = this.buf.subarray(step.end);
    return step.reply;
  }
}

/** Reads one header line starting after the type byte at `pos`; returns its text and the next offset. */
function line(buf: Buffer, pos: number): { text: string; end: number } | typeof INCOMPLETE {
  const cr = buf.indexOf('\r\n', pos + 1);
  if (cr === -1) return INCOMPLETE;
  return { text: buf.toString('latin1', pos + 1, cr), end: cr + 2 };
}

/** hiredis's chrtos(): how a protocol error names a byte. */
function chrtos(c: number): string {
  if (c === 0x0a) return '"\\n"';
  if (c === 0x0d) return '"\\r"';
  if (c >= 0x20 && c <= 0x7e) return `"${String.fromCharCode(c)}"`;
  return `"\\x${c.toString(16).padStart(2, '0')}"`;
}

function count(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new ReplyProtocolError(`bad length '${text}'`);
  return Number(text);
}

function parseAt(buf: Buffer, pos: number): Step {
  if (pos >= buf.length) return INCOMPLETE;
  const type = String.fromCharCode(buf[pos]!);
  const l = line(buf, pos);
  if (l === INCOMPLETE) return INCOMPLETE;
  const { text, end } = l;
  switch (type) {
    case '+':
      return { reply: { type: 'status', value: text }, end };
    case '-':
      return { reply: { type: 'error', value: text }, end };
    case ':':
      return { reply: { type: 'integer', value: text }, end };
    case ',':
      return { reply: { type: 'double', value: text }, end };
    case '(':
      return { reply: { type: 'bignum', value: text }, end };
    case '#':
      return { reply: { type: 'bool', value: text === 't' }, end };
    case '_':
      return { reply: { type: 'nil' }, end };
    case '$':
    case '=': {
      const n = count(text);
      if (n < 0) return { reply: { type: 'nil' }, end };
      if (buf.length < end + n + 2) return INCOMPLETE;
      const value = buf.subarray(end, end + n);
      const next = end + n + 2;
      if (type === '=') return { reply: { type: 'verbatim', format: value.toString('latin1', 0, 3), value: value.subarray(4) }, end: next };
      return { reply: { type: 'string', value: Buffer.from(value) }, end: next };
    }
    case '*':
    case '~':
    case '>':
    case '%': {
      let n = count(text);
      if (n < 0) return { reply: { type: 'nil' }, end };
      if (type === '%') n *= 2;
      const elements: Reply[] = [];
      let p = end;
      for (let i = 0; i < n; i++) {
        const s = parseAt(buf, p);
        if (s === INCOMPLETE) return INCOMPLETE;
        elements.push(s.reply);
        p = s.end;
      }
      const kind = type === '*' ? 'array' : type === '~' ? 'set' : type === '>' ? 'push' : 'map';
      return { reply: { type: kind, elements }, end: p };
    }
    default:
      // hiredis (as bundled with redis-cli 7.0) knows neither attributes ('|') nor blob errors ('!').
      throw new ReplyProtocolError(`Protocol error, got ${chrtos(buf[pos]!)} as reply type byte`);
  }
}
