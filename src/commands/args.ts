/**
 * Argument helpers shared by every command group: byte-wise, case-insensitive
 * token comparison and Redis's integer and float parsing rules. No RegExp and
 * no case conversion on the request path.
 */
import type { Arg } from '../protocol/resp-parser.js';

/** An argument as a latin1 string (a Buffer only for huge bulks). */
export function argString(a: Arg): string {
  return typeof a === 'string' ? a : a.toString('latin1');
}

/**
 * Whether `arg` equals `upperToken` ignoring ASCII case. `upperToken` must be
 * upper case ASCII (e.g. 'NX', 'KEEPTTL').
 */
export function tokenIs(arg: Arg, upperToken: string): boolean {
  if (typeof arg !== 'string' || arg.length !== upperToken.length) return false;
  for (let i = 0; i < arg.length; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 97 && c <= 122) c -= 32;
    if (c !== upperToken.charCodeAt(i)) return false;
  }
  return true;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Redis's string2ll: optional '-', digits, no leading zeros, no '+', no
 * spaces, within 64 bits. Returns a bigint, or null when not such an integer.
 */
export function parseInt64(arg: Arg): bigint | null {
  if (typeof arg !== 'string') return null;
  const n = arg.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (arg.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const first = arg.charCodeAt(i);
  if (first === 48) {
    if (n === 1) return 0n;
    return null;
  }
  if (first < 49 || first > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = arg.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const v = BigInt(arg);
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

/**
 * string2ll for values that fit a JavaScript number exactly (|v| < 2^53):
 * returns the number, or NaN when not an integer or out of the safe range.
 * The fast path for counts, indexes and times.
 */
export function parseSafeInt(arg: Arg): number {
  if (typeof arg !== 'string') return NaN;
  const n = arg.length;
  if (n === 0 || n > 17) {
    if (n > 17 && n <= 20) {
      const big = parseInt64(arg);
      if (big !== null && big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(big);
    }
    return NaN;
  }
  let i = 0;
  let neg = false;
  if (arg.charCodeAt(0) === 45) {
    if (n === 1) return NaN;
    neg = true;
    i = 1;
  }
  const first = arg.charCodeAt(i) - 48;
  if (first === 0) return n === 1 ? 0 : NaN;
  if (first < 1 || first > 9) return NaN;
  let v = first;
  for (let j = i + 1; j < n; j++) {
    const d = arg.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  // 16 and 17 digit values may pass 2^53, where doubles lose integers.
  if (v > Number.MAX_SAFE_INTEGER) return NaN;
  return neg ? -v : v;
}

export { INT64_MAX, INT64_MIN };
