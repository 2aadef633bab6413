/**
 * Redis's glob matching (util.c stringmatchlen) on latin1 strings: `*`, `?`,
 * `[abc]`, `[^abc]`, `[a-z]` (reversed ranges swap), and `\x` for a literal x,
 * optionally case-insensitive. An unterminated class ends at the end of the
 * pattern, a trailing `\` is a literal backslash, and inside a class a range
 * may end in `]` (`[a-]` is the range `]`..`a`), all as in Redis. Written
 * iteratively with single-star backtracking, so a hostile pattern costs at
 * most O(pattern × string) and no stack, where Redis 7.0 recurses; Redis's
 * nesting limit is mirrored so that the answers stay the same.
 */

/** Matches one class `[...]` starting at p (just after `[`); returns [matched, index after `]`]. */
function matchClass(pattern: string, p: number, c: number, nocase: boolean): [boolean, number] {
  const plen = pattern.length;
  let not = false;
  if (p < plen && pattern.charCodeAt(p) === 94 /* ^ */) {
    not = true;
    p++;
  }
  let match = false;
  const lc = nocase ? lower(c) : c;
  for (;;) {
    if (p >= plen) {
      // Unterminated class: Redis treats the end of pattern as its end.
      break;
    }
    const pc = pattern.charCodeAt(p);
    if (pc === 92 /* \ */ && p + 1 < plen) {
      p++;
      if (pattern.charCodeAt(p) === c) match = true;
    } else if (pc === 93 /* ] */) {
      break;
    } else if (p + 2 < plen && pattern.charCodeAt(p + 1) === 45 /* - */) {
      let start = pattern.charCodeAt(p);
      let end = pattern.charCodeAt(p + 2);
      if (start > end) [start, end] = [end, start];
      if (nocase) {
        start = lower(start);
        end = lower(end);
      }
      p += 2;
      if (lc >= start && lc <= end) match = true;
    } else if (nocase ? lower(pc) === lc : pc === c) {
      match = true;
    }
    p++;
  }
  if (not) match = !match;
  return [match, p + 1];
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Redis 7.0.9+ (the fix for CVE-2022-36021) gives up on a pattern once its
 * matcher recurses more than this deep: one level per `*` run that is not at
 * the end of the pattern. Such a pattern matches nothing, and we agree.
 */
const STRINGMATCH_MAX_NESTING = 1000;

/**
 * How deep Redis's matcher would nest for `pattern`: its `*` runs outside
 * classes and escapes, not counting a run that ends the pattern. The class
 * walk follows stringmatchlen's, which does not depend on the string.
 */
function starNesting(pattern: string): number {
  const plen = pattern.length;
  let nesting = 0;
  let p = 0;
  while (p < plen) {
    const c = pattern.charCodeAt(p);
    if (c === 42 /* * */) {
      while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
      if (p + 1 < plen) nesting++;
      p++;
    } else if (c === 92 /* \ */) {
      p += 2;
    } else if (c === 91 /* [ */) {
      p++;
      if (p < plen && pattern.charCodeAt(p) === 94 /* ^ */) p++;
      while (p < plen) {
        const k = pattern.charCodeAt(p);
        if (k === 92 && p + 1 < plen) p += 2;
        else if (k === 93 /* ] */) break;
        else if (p + 2 < plen && pattern.charCodeAt(p + 1) === 45 /* - */) p += 3;
        else p++;
      }
      p++;
    } else {
      p++;
    }
  }
  return nesting;
}

/** The last pattern checked for nesting, so KEYS and SCAN check once per pattern, not per key. */
let lastPattern = '';
let lastPatternTooDeep = false;

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
  // stringmatchlen's loop needs both a pattern and a string: an empty string
  // matches only the empty pattern (even `*` fails; KEYS * lists every key
  // without matching).
  if (slen === 0) return plen === 0;
  if (pattern !== lastPattern) {
    lastPattern = pattern;
    lastPatternTooDeep = starNesting(pattern) > STRINGMATCH_MAX_NESTING;
  }
  if (lastPatternTooDeep) return false;
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = -1;
  while (s < slen || p < plen) {
    if (p < plen) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42 /* * */) {
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
        if (p + 1 === plen) return true;
        starP = p;
        starS = s;
        p++;
        continue;
      }
      if (s < slen) {
        const c = str.charCodeAt(s);
        if (pc === 63 /* ? */) {
          p++;
          s++;
          continue;
        }
        if (pc === 91 /* [ */) {
          const [ok, next] = matchClass(pattern, p + 1, c, nocase);
          if (ok) {
            p = next;
            s++;
            continue;
          }
        } else {
          let lit = pc;
          let adv = 1;
          if (pc === 92 /* \ */ && p + 1 < plen) {
            lit = pattern.charCodeAt(p + 1);
            adv = 2;
          }
          if (nocase ? lower(lit) === lower(c) : lit === c) {
            p += adv;
            s++;
            continue;
          }
        }
      }
    }
    // Mismatch: let the last star swallow one more character, if there is one.
    if (starP !== -1 && starS < slen) {
      starS++;
      s = starS;
      p = starP + 1;
      continue;
    }
    return false;
  }
  return true;
}

/** Whether a pattern matches every key (`*`), so callers can skip matching. */
export function isMatchAll(pattern: string): boolean {
  return pattern === '*';
}
