/**
 * Part of the `string` group: the x87 80-bit `long double` arithmetic that
 * INCRBYFLOAT needs to answer exactly as Redis on x86-64 does.
 *
 * Redis parses both operands with strtold (util.c string2ld), adds them as
 * long doubles (64-bit significand) and prints the sum with "%.17Lf", then
 * strips trailing zeros (ld2string, LD_STR_HUMAN). A JavaScript double has a
 * 53-bit significand, so `0.1 + 0.2` would give 0.30000000000000004 where
 * Redis gives 0.3, and 1e308 + 1e308 would overflow where Redis prints a
 * 309-digit number. So we model a long double exactly:
 *
 *     value = (neg ? -1 : 1) * m * 2^e,   0 <= m < 2^64
 *
 * and do the three steps with BigInt: decimal or hexadecimal text to the
 * nearest long double, exact sum rounded to nearest, and exact decimal
 * expansion rounded to 17 fractional digits. Rounding is always to nearest,
 * ties to even, as glibc's strtold, x87 addition and printf do.
 *
 * INCRBYFLOAT is not on the hot path (INCR is), so clarity wins over speed
 * here; one call costs a few microseconds.
 *
 * Knows nothing of replies or the keyspace.
 */

/** One finite long double; zero is m = 0n. */
export interface LongDouble {
  neg: boolean;
  m: bigint;
  e: number;
}

/** Bits in an x87 extended significand (explicit integer bit included). */
const MANT_BITS = 64;
/** Exponent of the least significant bit of the smallest subnormal: 2^-16445. */
const MIN_LSB_EXP = -16445;
/**
 * Largest exponent `e` a finite value m * 2^e may have with m < 2^64: the
 * largest long double is (2^64 - 1) * 2^16320, just below 2^16384.
 */
const MAX_LSB_EXP = 16320;
/** Redis's MAX_LONG_DOUBLE_CHARS (util.h): longer text is not a valid float. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
/** Fractional digits of ld2string's "%.17Lf". */
const FRACTION_DIGITS = 17;
const TEN_POW_FRACTION = 10n ** BigInt(FRACTION_DIGITS);
/**
 * Decimal exponents beyond which a non-zero value surely overflows or rounds
 * to zero: the largest long double is about 1.19e4932 and the smallest
 * subnormal about 3.6e-4951. The margins keep the exact computation in
 * charge near the edges while sparing BigInt from absurd exponents.
 */
const DEC_EXP_OVERFLOW = 4934;
const DEC_EXP_UNDERFLOW = -4953;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The long double nearest to num / den * 2^shift (num, den > 0), or null when
 * it overflows. Subnormals keep their reduced precision; a result that rounds
 * to zero gives m = 0n.
 */
function roundToLongDouble(neg: boolean, num: bigint, den: bigint, shift: number): LongDouble | null {
  // Choose e so that the quotient num / (den * 2^(e - shift)) lies in [2^63, 2^65).
  let e = bitLength(num) - bitLength(den) - MANT_BITS + shift;
  if (e < MIN_LSB_EXP) e = MIN_LSB_EXP;
  for (;;) {
    const k = e - shift; // divide num/den by 2^k
    let n = num;
    let d = den;
    if (k >= 0) d <<= BigInt(k);
    else n <<= BigInt(-k);
    let m = n / d;
    const r2 = (n - m * d) * 2n;
    if (m >= 1n << BigInt(MANT_BITS)) {
      e++;
      continue;
    }
    if (r2 > d || (r2 === d && (m & 1n) === 1n)) m++;
    if (m === 1n << BigInt(MANT_BITS)) {
      m >>= 1n;
      e++;
    }
    if (e > MAX_LSB_EXP) return null;
    return { neg, m, e };
  }
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 99;
}

/** Case-insensitive ASCII comparison of s[from..] with a lower-case word. */
function wordAt(s: string, from: number, word: string): boolean {
  if (s.length - from < word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((s.charCodeAt(from + i) | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Redis's string2ld: the whole text must be one strtold number with no
 * leading space; NaN, overflow and underflow to zero are rejected.
 * Returns the value, `Infinity`/`-Infinity` for a literal infinity (which
 * strtold accepts and INCRBYFLOAT then refuses), or null when not valid.
 */
export function parseLongDouble(s: string): LongDouble | number | null {
  const n = s.length;
  if (n === 0 || n >= MAX_LONG_DOUBLE_CHARS) return null;
  let i = 0;
  let neg = false;
  const sign = s.charCodeAt(0);
  if (sign === 43 || sign === 45) {
    neg = sign === 45;
    i = 1;
  }
  // "inf" or "infinity", any case: the whole rest of the text.
  if (wordAt(s, i, 'inf') && (n - i === 3 || (n - i === 8 && wordAt(s, i, 'infinity')))) return neg ? -Infinity : Infinity;
  let hex = false;
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120 && i + 2 < n) {
    // "0x" needs a hex digit (possibly after the point) to count as hex;
    // otherwise strtold reads just the "0" and the rest is left over.
    const c = s.charCodeAt(i + 2);
    if (digitValue(c) < 16 || (c === 46 && i + 3 < n && digitValue(s.charCodeAt(i + 3)) < 16)) {
      hex = true;
      i += 2;
    }
  }
  const base = hex ? 16 : 10;
  let mant = 0n;
  let digits = 0;
  let fracDigits = 0;
  let seenPoint = false;
  let significant = 0; // digits after the leading zeros, for the magnitude pre-check
  let chunk = 0;
  let chunkLen = 0;
  const chunkMax = hex ? 12 : 15; // digits accumulated in a double before folding into the BigInt
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (seenPoint) break;
      seenPoint = true;
      continue;
    }
    const d = digitValue(c);
    if (d >= base) break;
    digits++;
    if (seenPoint) fracDigits++;
    if (significant > 0 || d !== 0) significant++;
    chunk = chunk * base + d;
    if (++chunkLen === chunkMax) {
      mant = mant * BigInt(base) ** BigInt(chunkLen) + BigInt(chunk);
      chunk = 0;
      chunkLen = 0;
    }
  }
  if (chunkLen > 0) mant = mant * BigInt(base) ** BigInt(chunkLen) + BigInt(chunk);
  if (digits === 0) return null;
  let exp = 0;
  if (i < n) {
    const c = s.charCodeAt(i) | 32;
    if (c !== (hex ? 112 : 101)) return null; // 'p' or 'e'
    i++;
    let expNeg = false;
    const es = s.charCodeAt(i);
    if (es === 43 || es === 45) {
      expNeg = es === 45;
      i++;
    }
    if (i >= n) return null;
    for (; i < n; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      if (exp < 1e9) exp = exp * 10 + d;
    }
    if (expNeg) exp = -exp;
  } else if (hex) {
    // A hex float without a binary exponent is fine ("0x1.8").
  }
  if (mant === 0n) return { neg, m: 0n, e: 0 };
  if (hex) {
    // value = mant * 16^-fracDigits * 2^exp
    const shift = exp - 4 * fracDigits;
    const bits = bitLength(mant) + shift;
    if (bits > 16400) return null;
    if (bits < MIN_LSB_EXP - 2) return null;
    const ld = roundToLongDouble(neg, mant, 1n, shift);
    if (ld === null || ld.m === 0n) return null;
    return ld;
  }
  const decExp = exp - fracDigits; // value = mant * 10^decExp
  const magnitude = decExp + significant; // value < 10^magnitude
  if (magnitude > DEC_EXP_OVERFLOW) return null;
  if (magnitude < DEC_EXP_UNDERFLOW) return null;
  const ld = decExp >= 0 ? roundToLongDouble(neg, mant * 10n ** BigInt(decExp), 1n, 0) : roundToLongDouble(neg, mant, 10n ** BigInt(-decExp), 0);
  if (ld === null || ld.m === 0n) return null;
  return ld;
}

/** a + b rounded to the nearest long double, or null when it overflows. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.m === 0n) return b.m === 0n ? { neg: a.neg && b.neg, m: 0n, e: 0 } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = a.m << BigInt(a.e - e);
  const bv = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === 0n) return { neg: false, m: 0n, e: 0 };
  const neg = sum < 0n;
  return roundToLongDouble(neg, neg ? -sum : sum, 1n, e);
}

/**
 * ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and a bare point
 * removed, and "-0" printed as "0".
 */
export function formatLongDouble(v: LongDouble): string {
  // N = round(|v| * 10^17), ties to even.
  let scaled: bigint;
  if (v.e >= 0) {
    scaled = (v.m << BigInt(v.e)) * TEN_POW_FRACTION;
  } else {
    const num = v.m * TEN_POW_FRACTION;
    const sh = BigInt(-v.e);
    scaled = num >> sh;
    const rem = num - (scaled << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (scaled & 1n) === 1n)) scaled++;
  }
  let digits = scaled.toString();
  if (digits.length <= FRACTION_DIGITS) digits = '0'.repeat(FRACTION_DIGITS + 1 - digits.length) + digits;
  const intPart = digits.slice(0, digits.length - FRACTION_DIGITS);
  let end = digits.length;
  while (end > intPart.length && digits.charCodeAt(end - 1) === 48) end--;
  const frac = digits.slice(intPart.length, end);
  const body = frac.length > 0 ? intPart + '.' + frac : intPart;
  if (body === '0') return '0';
  return v.neg ? '-' + body : body;
}
