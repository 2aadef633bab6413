/**
 * Redis's glob matching (util.c stringmatchlen) on latin1 strings: `*`, `?`,
 * `[abc]`, `[^abc]`, `[a-z]` (reversed ranges swap), and `\x` for a literal x,
 * optionally case-insensitive. Written iteratively with single-star
 * backtracking, so a hostile pattern costs at most O(pattern × string) and no
 * stack, where Redis 7.0 recurses.
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

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
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
