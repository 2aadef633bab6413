/**
 * The hash index: buckets of record addresses chained through each record's
 * `next` word, one incrementally rehashed table per database (Redis's
 * dict.c). It owns the buckets, the chains, the rehash and the spare table's
 * prefaulting, the key bytes compare, the long-key lengths that do not fit a
 * record's 24-bit field, and the walks over every record (SCAN's cursor,
 * random picks). It reads a record's header words and key bytes (record.ts)
 * and nothing of its value, its TTL or its type.
 *
 * ArenaDatabase extends it rather than holding one, so that a lookup's
 * fields (tables, masks, the last find) are on the same object as the
 * database's: the hot path pays no extra load per call.
 *
 * Index. Buckets are an Int32Array of record addresses, a power of two long.
 * The table grows (x2) when it holds as many keys as buckets, and shrinks
 * when under 1/10 full, like dict.c; either way the move to the new table is
 * incremental (two tables while it lasts, lookups look in both, every lookup
 * moves one bucket, each active-expiry step a few more), so no write ever
 * pays for rehashing millions of keys at once.
 *
 * Prefaulting. A big typed array is mapped lazily (no zeroing when it is
 * made), and the kernel faults each 4 KB page in on its first touch (about
 * 1 µs each here, twice when the first touch is a read). Once a rehash
 * starts, every new key and every bucket moved lands on a random page of the
 * new table, so a 64 MB table's 16,384 pages used to be faulted within the
 * next few thousand writes, making the next two or three event-loop turns of
 * a pipelined load 15-30 ms each: the longest stalls while loading 10M keys.
 * So a table of PREFAULT_MIN_BUCKETS or more to grow into is first a spare:
 * the new keys that find the table full each touch a page of it now and then
 * (PREFAULT_WRITES_PER_PAGE; active expiry steps touch a few too), and the
 * rehash starts when every page is in. The old table meanwhile runs a little
 * over full (at most 1/32 more keys than buckets: 16 writes for each of its
 * double's pages), which costs a few longer chains, not memory.
 *
 * The hash is murmur3's 32-bit mix over the key bytes with a random seed per
 * process, so nobody can aim keys at one chain.
 *
 * SCAN uses Redis's reverse-binary cursor (dictScan), with one strengthening
 * the full hash makes cheap: the cursor is a point in bit-reversed hash space,
 * and a bucket visited through a smaller table than the cursor was made for
 * skips the records whose reversed hash lies before the cursor. So a key
 * present for the whole scan is returned exactly once even when the table
 * shrinks between calls (Redis may repeat keys then).
 */
import { EMPTY_I32, type PageAllocator } from './pages.js';
import { R, W } from './record.js';

/** Buckets of a new or cleared table (dict.c DICT_HT_INITIAL_SIZE). */
export const DEFAULT_INITIAL_BUCKETS = 4;
/** Shrink when fewer than 1 key per 10 buckets (dict.c HASHTABLE_MIN_FILL). */
const HASHTABLE_MIN_FILL = 10;
/** Buckets moved per lookup while rehashing (dict.c _dictRehashStep). */
const REHASH_BUCKETS_PER_OP = 1;
/** Empty buckets a rehash step may skip per bucket it should move (dict.c: n*10). */
const REHASH_EMPTY_VISITS = 10;
/** Buckets moved per active-expiry step: rehashing also advances when clients are idle. */
const REHASH_BUCKETS_PER_IDLE_STEP = 100;
/** Tables with at least this many buckets are faulted in before use (256 KB: 64 pages); smaller ones are used at once. */
export const PREFAULT_MIN_BUCKETS = 1 << 16;
/** Int32 slots per 4 KB memory page: one write per this many faults a page in. */
const PAGE_INTS = 1024;
/**
 * Writes that find the table full per spare page faulted in: a 64 MB table
 * takes 262,144 writes, about 20 event-loop turns of a 1,000-SET pipeline
 * with 8 batches in flight, and adds under about 1 ms to each.
 */
const PREFAULT_WRITES_PER_PAGE = 16;
/** Spare pages faulted in per active-expiry step: preparation also advances when clients are idle. */
const PREFAULT_PAGES_PER_IDLE_STEP = 64;
/** RANDOMKEY: random buckets tried before walking from one. */
const RANDOM_BUCKET_TRIES = 100;
/** 2^32: the end of the reversed-hash space SCAN walks. */
const SCAN_END = 4294967296;

/** Per-process hash seed: keys cannot be chosen to collide without knowing it. */
export const HASH_SEED = (Math.random() * 0x100000000) | 0;

/** murmur3's 32-bit hash of b[off, off + len), seeded; an int32. */
export function hashBytes(b: Uint8Array, off: number, len: number, seed: number): number {
  let h = seed;
  const end4 = off + (len & ~3);
  let i = off;
  while (i < end4) {
    let k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    i += 4;
  }
  const rest = len & 3;
  if (rest !== 0) {
    let k = b[i]!;
    if (rest > 1) k ^= b[i + 1]! << 8;
    if (rest > 2) k ^= b[i + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The 32 bits of `x` in reverse order, as an unsigned number (dictScan's rev()). */
function rev32(x: number): number {
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
}

export class HashIndex {
  /** The allocator's page arrays (the same objects for its whole life). */
  protected readonly pageBuf: Buffer[];
  protected readonly pageI32: Int32Array[];
  protected readonly offBits: number;
  protected readonly offMask: number;
  private readonly initialBuckets: number;
  private readonly prefaultBuckets: number;

  // t0, and t1 while rehashing from t0 (rehashIdx: next t0 bucket to move, -1 when not rehashing).
  private t0: Int32Array;
  private mask0: number;
  private t1: Int32Array = EMPTY_I32;
  private mask1 = 0;
  private rehashIdx = -1;
  /** Records linked in. */
  protected count = 0;
  // The next table while its pages are faulted in (EMPTY_I32: none), the
  // next slot to touch, and the writes counted towards the next touch.
  private spare: Int32Array = EMPTY_I32;
  private spareTouched = 0;
  private spareTick = 0;

  /** Lengths of keys too long for the record's field (KEY_LEN_ESCAPE), by record address. */
  protected readonly longKeyLen = new Map<number, number>();

  // Where find() found its record: the table, bucket and previous record (0: the bucket's head).
  private fTable: Int32Array = EMPTY_I32;
  private fBucket = 0;
  private fPrev = 0;
  /**
   * The record find() found last, its hash, and `links` then. `links` counts
   * every change to any chain or record's place (link, unlink, free, rehash
   * step, clear), so while it is unchanged that record and fTable/fBucket/
   * fPrev still describe it: a write to the key just read (INCR, GETSET,
   * APPEND …) then skips the second hash and chain walk.
   */
  protected lastFound = 0;
  /** The record getBytes() last returned LOOKUP_BYTES for, until the next find() (setFoundBytes). */
  protected readable = 0;
  protected lastHash = 0;
  protected lastLinks = -1;
  protected links = 0;

  constructor(pages: PageAllocator, initialBuckets: number, prefaultBuckets: number) {
    if (!(initialBuckets >= 4 && (initialBuckets & (initialBuckets - 1)) === 0)) throw new RangeError('initialBuckets must be a power of two of at least 4');
    this.pageBuf = pages.buf;
    this.pageI32 = pages.i32;
    this.offBits = pages.offBits;
    this.offMask = pages.offMask;
    this.initialBuckets = initialBuckets;
    this.prefaultBuckets = prefaultBuckets;
    this.t0 = new Int32Array(initialBuckets);
    this.mask0 = initialBuckets - 1;
  }

  /** Buckets of both tables. */
  protected bucketCount(): number {
    return this.t0.length + this.t1.length;
  }
  protected isRehashing(): boolean {
    return this.rehashIdx >= 0;
  }
  protected spareBuckets(): number {
    return this.spare.length;
  }

  // -------------------------------------------------------------------------
  // Lookups

  /** The index's hash of key bytes `key[off, off + len)` (the seed is this module's own binding). */
  protected hash(key: Uint8Array, off: number, len: number): number {
    return hashBytes(key, off, len, HASH_SEED);
  }

  /**
   * The record of key bytes `key[off, off + len)` with hash `h`, or 0. Moves
   * one bucket first while rehashing (as dict.c's lookups do), then walks t0's
   * chain and, while rehashing, t1's. Leaves where it found the record in
   * fTable/fBucket/fPrev for unlinking.
   */
  protected find(key: Uint8Array, off: number, len: number, h: number): number {
    this.readable = 0;
    if (this.rehashIdx >= 0) this.rehashStep(REHASH_BUCKETS_PER_OP);
    const a = this.findIn(this.t0, h & this.mask0, key, off, len, h);
    if (a !== 0 || this.rehashIdx < 0) return a;
    return this.findIn(this.t1, h & this.mask1, key, off, len, h);
  }

  private findIn(table: Int32Array, bucket: number, key: Uint8Array, off: number, len: number, h: number): number {
    const pages = this.pageI32;
    const offBits = this.offBits;
    const offMask = this.offMask;
    const code = len < R.KEY_LEN_ESCAPE ? len : R.KEY_LEN_ESCAPE;
    let prev = 0;
    let a = table[bucket]!;
    while (a !== 0) {
      const words = pages[a >>> offBits]!;
      const w = (a & offMask) << 1;
      if (words[w + W.HASH] === h && (words[w + W.KEY]! & R.KEY_LEN_MASK) === code && this.keyEquals(a, key, off, len)) {
        this.fTable = table;
        this.fBucket = bucket;
        this.fPrev = prev;
        this.lastFound = a;
        this.lastHash = h;
        this.lastLinks = this.links;
        return a;
      }
      prev = a;
      a = words[w + W.NEXT]!;
    }
    return 0;
  }

  /** Whether record `a`'s key is `key[off, off + len)`; its length field already matched. */
  protected keyEquals(a: number, key: Uint8Array, off: number, len: number): boolean {
    if (len >= R.KEY_LEN_ESCAPE && this.longKeyLen.get(a) !== len) return false;
    const buf = this.pageBuf[a >>> this.offBits]!;
    const start = ((a & this.offMask) << 3) + R.HEADER;
    for (let i = 0; i < len; i++) if (buf[start + i] !== key[off + i]) return false;
    return true;
  }

  /** Record `a`'s key length (its field, or the long-key table past the field's range). */
  protected keyLength(a: number): number {
    const n = this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + W.KEY]! & R.KEY_LEN_MASK;
    return n !== R.KEY_LEN_ESCAPE ? n : this.longKeyLen.get(a)!;
  }

  /** Record `a`'s key as a latin1 string. */
  protected keyString(a: number): string {
    const start = ((a & this.offMask) << 3) + R.HEADER;
    return this.pageBuf[a >>> this.offBits]!.latin1Slice(start, start + this.keyLength(a));
  }

  /** Notes the length of a key too long for its record's field (call for every such new record). */
  protected setLongKeyLength(a: number, len: number): void {
    if (len >= R.KEY_LEN_ESCAPE) this.longKeyLen.set(a, len);
  }

  // -------------------------------------------------------------------------
  // Linking

  /** Links new record `a` (hash `h`, header filled but for `next`) at the head of its bucket; may start a grow. */
  protected linkNew(a: number, h: number): void {
    const nw = this.pageI32[a >>> this.offBits]!;
    const x = (a & this.offMask) << 1;
    this.links++;
    if (this.rehashIdx >= 0) {
      const b = h & this.mask1;
      nw[x + W.NEXT] = this.t1[b]!;
      this.t1[b] = a;
    } else {
      const b = h & this.mask0;
      nw[x + W.NEXT] = this.t0[b]!;
      this.t0[b] = a;
    }
    this.count++;
    if (this.rehashIdx < 0 && this.count >= this.t0.length) this.startRehash(this.t0.length * 2);
  }

  /** Puts record `a` where the record find() just found was in its chain (the caller copied `next`). */
  protected replaceFound(a: number): void {
    if (this.fPrev === 0) this.fTable[this.fBucket] = a;
    else this.pageI32[this.fPrev >>> this.offBits]![(this.fPrev & this.offMask) << 1] = a;
  }

  /** Takes the record find() just found out of its chain. */
  protected unlinkFound(a: number): void {
    this.links++;
    const next = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!;
    if (this.fPrev === 0) this.fTable[this.fBucket] = next;
    else this.pageI32[this.fPrev >>> this.offBits]![(this.fPrev & this.offMask) << 1] = next;
  }

  /** After an unlinked record is gone: one key fewer; may start a shrink. */
  protected unlinked(): void {
    this.count--;
    if (this.rehashIdx < 0) this.resizeIfNeeded();
  }

  /** Empties the index (FLUSHDB). */
  protected clearIndex(): void {
    this.links++;
    this.t0 = new Int32Array(this.initialBuckets);
    this.mask0 = this.initialBuckets - 1;
    this.t1 = EMPTY_I32;
    this.mask1 = 0;
    this.rehashIdx = -1;
    this.count = 0;
    this.spare = EMPTY_I32;
    this.spareTouched = 0;
    this.spareTick = 0;
    this.fTable = EMPTY_I32;
    this.longKeyLen.clear();
  }

  // -------------------------------------------------------------------------
  // Incremental rehashing (dict.c's dictExpand/dictRehash)

  /**
   * Starts a rehash when the table is full (as many keys as buckets: grow
   * x2) or under 1/HASHTABLE_MIN_FILL full (shrink to the smallest power of
   * two that holds every key). Checked after writes and when a rehash ends,
   * as keys may come and go faster than a rehash moves buckets.
   */
  private resizeIfNeeded(): void {
    const n = this.t0.length;
    if (this.count >= n) {
      this.startRehash(n * 2);
    } else if (n > this.initialBuckets && this.count * HASHTABLE_MIN_FILL < n) {
      let target = this.initialBuckets;
      while (target < this.count) target *= 2;
      this.startRehash(target);
    }
  }

  /**
   * Starts moving to a table of `buckets` buckets. A big table to grow into
   * is first a spare, faulted in a page at a time: each new key that finds
   * the table still full calls this again (see the module comment). A
   * shrink (after mass deletion, rare) uses its new table at once: it is
   * at most a fifth of the old one's size, and the writes that would
   * prepare it need not come.
   */
  private startRehash(buckets: number): void {
    let t1: Int32Array;
    if (buckets > this.t0.length && buckets >= this.prefaultBuckets) {
      if (this.spare.length !== buckets) {
        this.spare = new Int32Array(buckets);
        this.spareTouched = 0;
        this.spareTick = 0;
      }
      if (this.spareTouched < buckets) {
        if (++this.spareTick < PREFAULT_WRITES_PER_PAGE) return;
        this.spareTick = 0;
        if (!this.prefaultSpare(1)) return;
      }
      t1 = this.spare;
      this.spare = EMPTY_I32;
    } else {
      this.spare = EMPTY_I32;
      t1 = new Int32Array(buckets);
    }
    this.t1 = t1;
    this.mask1 = buckets - 1;
    this.rehashIdx = 0;
  }

  /**
   * Faults in up to `pages` more pages of the spare table by writing one
   * slot of each (a write: a first read would map the shared zero page and
   * fault again on the first write). Returns whether all of it is in.
   */
  private prefaultSpare(pages: number): boolean {
    const spare = this.spare;
    let i = this.spareTouched;
    for (; pages > 0 && i < spare.length; pages--, i += PAGE_INTS) spare[i] = 0;
    this.spareTouched = i;
    return i >= spare.length;
  }

  /**
   * Moves up to `n` non-empty buckets of t0 into t1, skipping at most
   * n * REHASH_EMPTY_VISITS empty ones; t1 becomes t0 when t0 is done.
   */
  private rehashStep(n: number): void {
    this.links++;
    const t0 = this.t0;
    const t1 = this.t1;
    const mask1 = this.mask1;
    const pages = this.pageI32;
    const offBits = this.offBits;
    const offMask = this.offMask;
    let empty = n * REHASH_EMPTY_VISITS;
    let i = this.rehashIdx;
    while (n > 0 && i < t0.length) {
      let a = t0[i]!;
      if (a === 0) {
        i++;
        if (--empty === 0) break;
        continue;
      }
      while (a !== 0) {
        const words = pages[a >>> offBits]!;
        const w = (a & offMask) << 1;
        const next = words[w + W.NEXT]!;
        const b = words[w + W.HASH]! & mask1;
        words[w + W.NEXT] = t1[b]!;
        t1[b] = a;
        a = next;
      }
      t0[i] = 0;
      i++;
      n--;
    }
    if (i >= t0.length) {
      this.t0 = t1;
      this.mask0 = mask1;
      this.t1 = EMPTY_I32;
      this.mask1 = 0;
      this.rehashIdx = -1;
      this.resizeIfNeeded();
    } else {
      this.rehashIdx = i;
    }
  }

  /** Work done while clients may be idle (each active-expiry step): some rehashing, or some prefaulting. */
  protected idleStep(): void {
    if (this.rehashIdx >= 0) this.rehashStep(REHASH_BUCKETS_PER_IDLE_STEP);
    else if (this.spare.length > 0) this.prefaultSpare(PREFAULT_PAGES_PER_IDLE_STEP);
  }

  // -------------------------------------------------------------------------
  // Walks

  /** Appends every record's address to `out`. */
  protected allRecords(out: number[]): void {
    const tables = this.rehashIdx >= 0 ? [this.t0, this.t1] : [this.t0];
    for (const t of tables) {
      for (let b = 0; b < t.length; b++) {
        for (let a = t[b]!; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) out.push(a);
      }
    }
  }

  /**
   * dictScan's reverse-binary walk. The cursor, bit-reversed, is a position
   * p in [0, 2^32) of reversed-hash space; every record whose reversed hash
   * is below p has been returned. A step visits the bucket holding p in the
   * smaller table and, while rehashing, every bucket of the larger table
   * that splits from it, collecting only records at or past p, then moves p
   * to the end of that bucket's range. Records never change their hash, so
   * a key present throughout is returned exactly once whatever the resizes
   * in between. Every record collected counts towards `count`, live or
   * expired (the caller filters). Returns the next cursor (0: done), or -1 for a cursor of 2^32
   * or beyond (none of ours).
   */
  protected scanRecords(cursor: number, count: number, out: number[]): number {
    if (cursor < 0 || cursor >= SCAN_END) return -1;
    let p = rev32(cursor);
    let seen = 0;
    let empty = 0;
    do {
      let small: Int32Array = this.t0;
      let large: Int32Array = EMPTY_I32;
      if (this.rehashIdx >= 0) {
        if (this.t1.length < small.length) {
          large = small;
          small = this.t1;
        } else {
          large = this.t1;
        }
      }
      const smallMask = small.length - 1;
      const span = SCAN_END / small.length;
      const b = (rev32(p) & smallMask) >>> 0;
      let found = this.scanChain(small[b]!, p, out);
      for (let j = b; j < large.length; j += small.length) found += this.scanChain(large[j]!, p, out);
      if (found === 0) empty++;
      seen += found;
      p = p - (p % span) + span;
    } while (p < SCAN_END && seen < count && empty < count * 10);
    return p >= SCAN_END ? 0 : rev32(p);
  }

  /** Appends the records of chain `a` whose reversed hash is at or past `p`; returns how many records the chain had. */
  private scanChain(a: number, p: number, out: number[]): number {
    let n = 0;
    for (; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) {
      n++;
      if (rev32(this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + W.HASH]!) < p) continue;
      out.push(a);
    }
    return n;
  }

  /**
   * A random record: a random non-empty bucket (of either table while
   * rehashing), then a random record of its chain, as dict.c's
   * dictGetRandomKey. count must be above 0.
   */
  protected randomRecord(): number {
    const head = this.randomBucketHead();
    let n = 0;
    for (let a = head; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) n++;
    let a = head;
    for (let i = Math.floor(Math.random() * n); i > 0; i--) a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!;
    return a;
  }

  /** The head of a random non-empty bucket; count must be above 0. */
  private randomBucketHead(): number {
    // While rehashing, t0's buckets below rehashIdx are empty: draw from the rest and t1.
    const lo = this.rehashIdx >= 0 ? this.rehashIdx : 0;
    const n0 = this.t0.length - lo;
    const total = n0 + this.t1.length;
    for (let t = 0; t < RANDOM_BUCKET_TRIES; t++) {
      const r = Math.floor(Math.random() * total);
      const a = r < n0 ? this.t0[lo + r]! : this.t1[r - n0]!;
      if (a !== 0) return a;
    }
    // Very sparse (a shrink still to come): walk from a random bucket.
    const start = Math.floor(Math.random() * total);
    for (let i = 0; i < total; i++) {
      const r = (start + i) % total;
      const a = r < n0 ? this.t0[lo + r]! : this.t1[r - n0]!;
      if (a !== 0) return a;
    }
    throw new Error('randomBucketHead: no record although count > 0');
  }
}
