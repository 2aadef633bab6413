/**
 * Counts complete replies in a reply stream, without building them.
 *
 * A load generator only needs to know how many replies came back (to match
 * them, in order, with the requests it sent) and how many were errors. So
 * these counters walk the bytes once, keep their state between chunks (a
 * reply may be cut anywhere), and never allocate on the common path.
 *
 * RESP: every reply is one element; `*n` adds n more elements to the reply in
 * progress, so nested arrays need no stack, only a count of elements still
 * needed. Bulk payloads are skipped by length, so their bytes are never
 * scanned. `-` elements are errors.
 *
 * Text (the seed's line dialect): every reply to GET, SET or DEL is exactly
 * one line (a raw value, `(nil)`, `(integer) N`, `(error) ...`), so a reply is
 * a LF. A line starting with `(error)` is an error. Servers that answer inline
 * commands in RESP (Redis does) are detected from the first reply byte and
 * counted as RESP from then on.
 */

const CR = 13;
const LF = 10;
const DOLLAR = 36; // '$'
const STAR = 42; // '*'
const MINUS = 45; // '-'
const PLUS = 43; // '+'
const COLON = 58; // ':'

/** Longest error text kept as a sample for the report. */
const ERROR_SAMPLE_MAX = 120;

export interface ReplyCounter {
  /** Consumes a chunk; returns how many replies it completed. */
  feed(chunk: Buffer): number;
  /** Error replies seen so far. */
  readonly errors: number;
  /** The first error reply's text, if any (for the report). */
  readonly firstError: string | null;
}

const enum RespState {
  Start,
  Line,
  Bulk,
}

export class RespReplyCounter implements ReplyCounter {
  errors = 0;
  firstError: string | null = null;
  private state = RespState.Start;
  /** Elements still needed to complete the reply in progress. */
  private need = 1;
  private type = 0;
  private num = 0;
  private negative = false;
  /** Bytes of bulk payload plus its CRLF still to skip. */
  private bulkLeft = 0;
  private errorText: number[] | null = null;

  feed(chunk: Buffer): number {
    let done = 0;
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      if (this.state === RespState.Bulk) {
        const take = this.bulkLeft < len - i ? this.bulkLeft : len - i;
        i += take;
        this.bulkLeft -= take;
        if (this.bulkLeft === 0) {
          this.state = RespState.Start;
          if (--this.need === 0) {
            done++;
            this.need = 1;
          }
        }
        continue;
      }
      if (this.state === RespState.Start) {
        this.type = chunk[i++];
        this.num = 0;
        this.negative = false;
        this.state = RespState.Line;
        if (this.type === MINUS) {
          this.errors++;
          if (this.firstError === null) this.errorText = [];
        }
        continue;
      }
      // Line: for $ and * read the length digit by digit; otherwise skip to LF.
      if (this.type === DOLLAR || this.type === STAR) {
        let ended = false;
        while (i < len) {
          const c = chunk[i++];
          if (c === LF) {
            ended = true;
            break;
          }
          if (c === MINUS) this.negative = true;
          else if (c >= 48 && c <= 57) this.num = this.num * 10 + (c - 48);
        }
        if (!ended) break;
        const n = this.negative ? -this.num : this.num;
        if (this.type === DOLLAR && n >= 0) {
          this.bulkLeft = n + 2;
          this.state = RespState.Bulk;
          continue;
        }
        if (this.type === STAR && n > 0) {
          this.need += n - 1;
          this.state = RespState.Start;
          continue;
        }
      } else {
        const lf = chunk.indexOf(LF, i);
        const end = lf < 0 ? len : lf;
        if (this.errorText !== null) appendSample(this.errorText, chunk, i, end);
        if (lf < 0) break;
        i = lf + 1;
        if (this.errorText !== null) {
          this.firstError = Buffer.from(this.errorText).toString('latin1');
          this.errorText = null;
        }
      }
      this.state = RespState.Start;
      if (--this.need === 0) {
        done++;
        this.need = 1;
      }
    }
    return done;
  }
}

const ERROR_PREFIX = Buffer.from('(error)');

export class TextReplyCounter implements ReplyCounter {
  private resp: RespReplyCounter | null = null;
  private decided = false;
  private textErrors = 0;
  private textFirstError: string | null = null;
  private atLineStart = true;
  /** Bytes of "(error)" matched at the start of the current line; -1 once it cannot match. */
  private match = 0;
  private errorText: number[] | null = null;

  get errors(): number {
    return this.resp !== null ? this.resp.errors : this.textErrors;
  }

  get firstError(): string | null {
    return this.resp !== null ? this.resp.firstError : this.textFirstError;
  }

  /** True once the server has been seen answering inline commands in RESP. */
  get answersInResp(): boolean {
    return this.resp !== null;
  }

  feed(chunk: Buffer): number {
    if (chunk.length === 0) return 0;
    if (!this.decided) {
      this.decided = true;
      const b = chunk[0];
      if (b === PLUS || b === MINUS || b === COLON || b === DOLLAR || b === STAR) this.resp = new RespReplyCounter();
    }
    if (this.resp !== null) return this.resp.feed(chunk);
    let done = 0;
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      if (this.atLineStart || this.match > 0) {
        // Match "(error)" byte by byte, across chunk boundaries if need be.
        this.atLineStart = false;
        while (i < len && this.match >= 0 && this.match < ERROR_PREFIX.length) {
          const c = chunk[i];
          if (c !== ERROR_PREFIX[this.match]) {
            this.match = -1;
            break;
          }
          this.match++;
          i++;
        }
        if (this.match === ERROR_PREFIX.length) {
          this.textErrors++;
          this.match = -1;
          if (this.textFirstError === null) this.errorText = [...ERROR_PREFIX];
        }
        if (i >= len) break;
      }
      const lf = chunk.indexOf(LF, i);
      const end = lf < 0 ? len : lf;
      if (this.errorText !== null) appendSample(this.errorText, chunk, i, end);
      if (lf < 0) break;
      i = lf + 1;
      done++;
      if (this.errorText !== null) {
        this.textFirstError = Buffer.from(this.errorText).toString('latin1');
        this.errorText = null;
      }
      this.atLineStart = true;
      this.match = 0;
    }
    return done;
  }
}

/** Appends chunk[from, to) to an error sample, without CRs, up to ERROR_SAMPLE_MAX bytes. */
function appendSample(sample: number[], chunk: Buffer, from: number, to: number): void {
  for (let k = from; k < to && sample.length < ERROR_SAMPLE_MAX; k++) {
    if (chunk[k] !== CR) sample.push(chunk[k]!);
  }
}

export function makeReplyCounter(protocol: 'resp' | 'text'): ReplyCounter {
  return protocol === 'resp' ? new RespReplyCounter() : new TextReplyCounter();
}
