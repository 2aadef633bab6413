/**
 * Splits one inline request line into arguments with Redis's quoting rules
 * (sds.c sdssplitargs): whitespace separates arguments; "..." understands
 * \n \r \t \b \a, \xHH and \<any>; '...' understands \' only; a closing quote
 * must be followed by whitespace or the end of the line. Knows nothing of
 * commands. Runs on bytes and builds latin1 strings, so any byte round-trips.
 *
 * As in sdssplitargs, isspace() (which includes \v and \f) skips the blanks
 * between arguments and is what must follow a closing quote, but inside an
 * unquoted token only space, \t, \r and \n end it: `a\vb` is one argument.
 * One deliberate difference: a NUL byte is an ordinary byte here (Redis's C
 * string scanning stops at it).
 */
import './buffer-ext.js';

const SPACE = 32;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKSLASH = 92;

/** isspace() in the C locale: space, \t \n \v \f \r. */
function isSpace(c: number): boolean {
  return c === SPACE || (c >= 9 && c <= 13);
}

/** What ends an unquoted token in sdssplitargs: space, \t, \n, \r (not \v, \f). */
function endsToken(c: number): boolean {
  return c === SPACE || c === 9 || c === 10 || c === 13;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Returns the arguments of line buf[start, end), an empty array for a blank
 * line, or null when quotes are unbalanced.
 */
export function splitInlineArgs(buf: Buffer, start: number, end: number): string[] | null {
  const args: string[] = [];
  let i = start;
  for (;;) {
    while (i < end && isSpace(buf[i]!)) i++;
    if (i >= end) return args;
    // Fast path: a plain token with no quotes is a direct slice.
    let j = i;
    while (j < end && !endsToken(buf[j]!) && buf[j] !== DQUOTE && buf[j] !== SQUOTE) j++;
    if (j >= end || endsToken(buf[j]!)) {
      args.push(buf.latin1Slice(i, j));
      i = j;
      continue;
    }
    // Slow path: the token has quotes somewhere; decode it byte by byte.
    let token = buf.latin1Slice(i, j);
    i = j;
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      if (inDouble) {
        if (i >= end) return null;
        const c = buf[i]!;
        if (c === BACKSLASH && i + 3 < end && buf[i + 1] === 120 /* x */ && hexValue(buf[i + 2]!) >= 0 && hexValue(buf[i + 3]!) >= 0) {
          token += String.fromCharCode(hexValue(buf[i + 2]!) * 16 + hexValue(buf[i + 3]!));
          i += 4;
        } else if (c === BACKSLASH && i + 1 < end) {
          const e = buf[i + 1]!;
          let r = e;
          if (e === 110) r = 10; // \n
          else if (e === 114) r = 13; // \r
          else if (e === 116) r = 9; // \t
          else if (e === 98) r = 8; // \b
          else if (e === 97) r = 7; // \a
          token += String.fromCharCode(r);
          i += 2;
        } else if (c === DQUOTE) {
          // The closing quote must be followed by a space or nothing.
          if (i + 1 < end && !isSpace(buf[i + 1]!)) return null;
          inDouble = false;
          i++;
          break;
        } else {
          token += String.fromCharCode(c);
          i++;
        }
      } else if (inSingle) {
        if (i >= end) return null;
        const c = buf[i]!;
        if (c === BACKSLASH && i + 1 < end && buf[i + 1] === SQUOTE) {
          token += "'";
          i += 2;
        } else if (c === SQUOTE) {
          if (i + 1 < end && !isSpace(buf[i + 1]!)) return null;
          inSingle = false;
          i++;
          break;
        } else {
          token += String.fromCharCode(c);
          i++;
        }
      } else {
        if (i >= end) break;
        const c = buf[i]!;
        if (endsToken(c)) break;
        if (c === DQUOTE) inDouble = true;
        else if (c === SQUOTE) inSingle = true;
        else token += String.fromCharCode(c);
        i++;
      }
    }
    args.push(token);
  }
}
