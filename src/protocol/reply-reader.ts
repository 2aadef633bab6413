/**
 * Reads replies back into values: the other half of the reply writer, for
 * replies captured rather than sent (the embedding API's `call`, and
 * scripts' redis.call next). It reads RESP3, which keeps every type the
 * writer can express; RESP2 is a subset and reads the same way.
 *
 *   bulk, verbatim -> Buffer        simple -> string       integer -> number (bigint beyond 2^53)
 *   null           -> null          boolean -> boolean     double -> number
 *   array, set, push -> array       map -> Map             error -> ReplyError
 */

/** An error reply, as a value: its full text, code first (`ERR …`, `WRONGTYPE …`). */
export class ReplyError extends Error {
  constructor(readonly reply: string) {
    super(reply);
    this.name = 'ReplyError';
  }

  /** The error code: the first word (ERR, WRONGTYPE, EXECABORT, …). */
  get code(): string {
    const sp = this.reply.indexOf(' ');
    return sp === -1 ? this.reply : this.reply.slice(0, sp);
  }
}

export type ReplyValue = null | boolean | number | bigint | string | Buffer | ReplyError | ReplyValue[] | Map<ReplyValue, ReplyValue>;

/** Reads every complete reply in `buf`, in order. Throws on bytes that are not RESP. */
export function readReplies(buf: Buffer): ReplyValue[] {
  const out: ReplyValue[] = [];
  const at = { pos: 0 };
  while (at.pos < buf.length) out.push(readOne(buf, at));
  return out;
}

function line(buf: Buffer, at: { pos: number }): string {
  const eol = buf.indexOf(13, at.pos);
  if (eol === -1 || buf[eol + 1] !== 10) throw new Error('reply-reader: incomplete reply');
  const s = buf.latin1Slice(at.pos, eol);
  at.pos = eol + 2;
  return s;
}

function readOne(buf: Buffer, at: { pos: number }): ReplyValue {
  const type = buf[at.pos++];
  const text = line(buf, at);
  switch (type) {
    case 0x2b: return text; // +
    case 0x2d: return new ReplyError(text); // -
    case 0x3a: { // :
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    case 0x28: return BigInt(text); // (
    case 0x2c: return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text); // ,
    case 0x23: return text === 't'; // #
    case 0x5f: return null; // _
    case 0x24: // $
    case 0x3d: { // =
      const n = Number(text);
      if (n < 0) return null;
      const start = type === 0x3d ? at.pos + 4 : at.pos;
      const value = Buffer.from(buf.subarray(start, at.pos + n));
      at.pos += n + 2;
      return value;
    }
    case 0x2a: // *
    case 0x7e: // ~
    case 0x3e: { // >
      const n = Number(text);
      if (n < 0) return null;
      const items: ReplyValue[] = [];
      for (let i = 0; i < n; i++) items.push(readOne(buf, at));
      return items;
    }
    case 0x25: { // %
      const m = new Map<ReplyValue, ReplyValue>();
      for (let i = 0, n = Number(text); i < n; i++) {
        const k = readOne(buf, at);
        m.set(Buffer.isBuffer(k) ? k.toString('latin1') : k, readOne(buf, at));
      }
      return m;
    }
    default:
      throw new Error(`reply-reader: unexpected reply type ${JSON.stringify(String.fromCharCode(type ?? 0))}`);
  }
}
