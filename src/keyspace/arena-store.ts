/**
 * The keyspace's storage, off the V8 heap: keys and string values live as
 * records in large ArrayBuffer pages, indexed by one incrementally rehashed
 * hash table per database (Redis's dict.c). The garbage collector sees a few
 * hundred page objects instead of two strings and a Map entry per key, so
 * neither scavenges nor marking grow with the number of keys, and a lookup
 * touches bucket → record (→ next record on a collision) and nothing else.
 * It knows nothing of commands or replies.
 *
 * Records. A record is a fixed header, the key's bytes and, for a plain byte
 * string, the value's bytes, in a size class rounded up to 8 bytes:
 *
 *     byte  0        4        8        12       16       20
 *           ┌────────┬────────┬────────┬────────┬────────┬─────────┬───────────┐
 *           │ next   │ hash   │ keyLen │ vword  │ ttl    │ key …   │ value …   │
 *           └────────┴────────┴────────┴────────┴────────┴─────────┴───────────┘
 *     next   address of the next record in the bucket's chain (0 = end); the
 *            free list's link once the record is freed
 *     hash   the key's full 32-bit hash, so rehashing never re-reads keys and
 *            a lookup compares bytes only when hashes match
 *     vword  the value's length, or OBJECT_BIT | handle into `objects` for a
 *            value kept as a JavaScript object (below)
 *     ttl    position + 1 in the TTL arrays, 0 when the key has no TTL
 *
 * An address is a 31-bit number: page index << offBits | offset / 8, where
 * offBits = log2(pageSize / 8) (17 for 1 MB pages). Page 0 is never used, so
 * address 0 means "none". Keeping addresses below 2^31 keeps every number
 * the store handles a small integer in V8 (no heap numbers). The price is a
 * limit of 2^(31 - offBits) - 1 pages per database: 16,383 pages of 1 MB,
 * 16 GB of records; past it a write throws.
 *
 * Allocation. Sizes up to 256 bytes are classes in 8-byte steps; from there
 * to MAX_CLASS_SIZE (64 KB) each power of two is cut into 8 classes (12.5%
 * steps). All classes carve records from one current page with a bump
 * pointer; a freed record goes on its class's free list (threaded through
 * `next`) and is reused first. When the current page's tail cannot hold a
 * record, the tail is put on the free list of the largest class it holds and
 * a new page is started. A record bigger than MAX_CLASS_SIZE (only possible
 * with a key of about 64 KB or more: big values become objects) gets a page
 * of its own, released when the record is freed.
 * Fragmentation, honestly: pages are never returned to the system (except a
 * big record's own page), and a freed record serves only its own class. A
 * keyspace that grows, is deleted, and is refilled with values of other
 * sizes keeps the first generation's pages as free lists; RSS then stays at
 * its high-water mark until FLUSHDB/FLUSHALL drops every page at once. Redis
 * with jemalloc has the same behaviour without activedefrag. Rewriting the
 * same keys with values of similar sizes reuses records and does not grow.
 *
 * Overwrites. A new value whose record falls in the same class as the old
 * record's is written in place; otherwise a new record is allocated, linked
 * in the old one's place in its chain, and the old one freed. The class of a
 * record is therefore always the class of its current size, so it need not
 * be stored.
 *
 * Values kept as objects. A RawString (APPEND and SETRANGE change it in
 * place: get() must return the very object stored), any TypedValue, and a
 * string too long for a record sit in `objects`; the record holds its handle.
 * Freed handles are reused.
 *
 * Index. Buckets are an Int32Array of record addresses, a power of two long,
 * chained through `next`. The table grows (x2) when it holds as many keys as
 * buckets, and shrinks when under 1/10 full, like dict.c; either way the
 * move to the new table is incremental (two tables while it lasts, lookups
 * look in both, every lookup moves one bucket, each active-expiry step a few
 * more), so no write ever pays for rehashing millions of keys at once.
 * A new table's memory is also paid for gradually. A big typed array is
 * mapped lazily (no zeroing when it is made), and the kernel faults each
 * 4 KB page in on its first touch (about 1 µs each here, twice when the
 * first touch is a read). Once a rehash starts, every new key and every
 * bucket moved lands on a random page of the new table, so a 64 MB table's
 * 16,384 pages used to be faulted within the next few thousand writes,
 * making the next two or three event-loop turns of a pipelined load 15-30
 * ms each: the longest stalls while loading 10M keys. So a
 * table of PREFAULT_MIN_BUCKETS or more to grow into is first a spare: the
 * new keys that find the table full each touch a page of it now and then
 * (PREFAULT_WRITES_PER_PAGE; active expiry steps touch a few too), and the
 * rehash starts when every page is in.
 * The old table meanwhile runs a little over full (at most 1/32 more keys
 * than buckets: 16 writes for each of its double's pages), which costs a
 * few longer chains, not memory.
 * The hash is murmur3's 32-bit mix over the key bytes with a random seed per
 * process, so nobody can aim keys at one chain.
 *
 * TTLs. The keys with a TTL are listed in dense chunked arrays (record
 * address, expiry ms); the record holds its position, so setting, reading
 * and removing a TTL is O(1) (removal moves the last entry into the hole),
 * and active expiry walks only keys that have a TTL. Chunks of 65,536
 * entries mean growth never copies a large array.
 *
 * SCAN uses Redis's reverse-binary cursor (dictScan), with one strengthening
 * the full hash makes cheap: the cursor is a point in bit-reversed hash space,
 * and a bucket visited through a smaller table than the cursor was made for
 * skips the records whose reversed hash lies before the cursor. So a key
 * present for the whole scan is returned exactly once even when the table
 * shrinks between calls (Redis may repeat keys then), and the guarantee that
 * SlotDatabase gave and the SCAN tests assert is kept.
 */
import '../protocol/buffer-ext.js';
import { globMatch } from './glob.js';
import { KEEP_TTL, LOOKUP_BYTES, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, RawString, type ByteView, type Database, type ExpireStepResult, type StoredValue } from './keyspace.js';

/** Bytes before the key in a record: next, hash, keyLen, vword, ttl (u32 each). */
export const RECORD_HEADER = 20;
/** Largest record kept in shared pages; bigger values become objects, bigger keys get a page. */
export const MAX_CLASS_SIZE = 64 * 1024;
/** Default page: big enough that page objects are few (1,000 per GB), small enough to waste little. */
export const DEFAULT_PAGE_SIZE = 1 << 20;
/** Smallest page allowed: must hold a MAX_CLASS_SIZE record. */
const MIN_PAGE_SIZE = MAX_CLASS_SIZE;
/** Sizes up to this many bytes have a class every 8 bytes. */
const SMALL_CLASS_LIMIT = 256;
/** Set in vword when the value is an object handle. */
const OBJECT_BIT = 0x80000000 | 0;
const HANDLE_MASK = 0x7fffffff;
/** Buckets of a new or cleared table (dict.c DICT_HT_INITIAL_SIZE). */
const DEFAULT_INITIAL_BUCKETS = 4;
/** Shrink when fewer than 1 key per 10 buckets (dict.c HASHTABLE_MIN_FILL). */
const HASHTABLE_MIN_FILL = 10;
/** Buckets moved per lookup while rehashing (dict.c _dictRehashStep). */
const REHASH_BUCKETS_PER_OP = 1;
/** Empty buckets a rehash step may skip per bucket it should move (dict.c: n*10). */
const REHASH_EMPTY_VISITS = 10;
/** Buckets moved per active-expiry step: rehashing also advances when clients are idle. */
const REHASH_BUCKETS_PER_EXPIRE_STEP = 100;
/** Tables with at least this many buckets are faulted in before use (256 KB: 64 pages); smaller ones are used at once. */
const PREFAULT_MIN_BUCKETS = 1 << 16;
/** Int32 slots per 4 KB memory page: one write per this many faults a page in. */
const PAGE_INTS = 1024;
/**
 * Writes that find the table full per spare page faulted in: a 64 MB table
 * takes 262,144 writes, about 20 event-loop turns of a 1,000-SET pipeline
 * with 8 batches in flight, and adds under about 1 ms to each.
 */
const PREFAULT_WRITES_PER_PAGE = 16;
/** Spare pages faulted in per active-expiry step: preparation also advances when clients are idle. */
const PREFAULT_PAGES_PER_EXPIRE_STEP = 64;
/** Entries per TTL chunk (a 256 KB Uint32-sized and a 512 KB Float64 array). */
const TTL_CHUNK_SHIFT = 16;
const TTL_CHUNK = 1 << TTL_CHUNK_SHIFT;
const TTL_CHUNK_MASK = TTL_CHUNK - 1;
/** Keys copied byte by byte in JavaScript below this length; natively above. */
const SHORT_COPY = 48;
/** RANDOMKEY: random buckets tried before walking from one. */
const RANDOM_BUCKET_TRIES = 100;
/** Longest string value kept as a JavaScript string; longer ones become a RawString (V8's limit is about 2^29). */
const MAX_STRING_VALUE = 1 << 28;
/** 2^32: the end of the reversed-hash space SCAN walks. */
const SCAN_END = 4294967296;

/** Bytes of each size class; index = class. Class 0 is unused; HUGE_CLASS has none. */
export const SIZE_CLASS_BYTES: readonly number[] = (() => {
  const sizes: number[] = [];
  for (let c = 0; c <= SMALL_CLASS_LIMIT / 8; c++) sizes.push(c * 8);
  for (let k = 9; (1 << (k - 1)) < MAX_CLASS_SIZE; k++) {
    const base = 1 << (k - 1);
    for (let s = 1; s <= 8; s++) sizes.push(base + s * (base >> 3));
  }
  return sizes;
})();
/** Class of records that get a page of their own. */
export const HUGE_CLASS = SIZE_CLASS_BYTES.length;
const CLASS_BYTES = Int32Array.from(SIZE_CLASS_BYTES);

/** The class holding a record of `size` bytes (the smallest whose size is at least it). */
export function sizeClassOf(size: number): number {
  if (size <= SMALL_CLASS_LIMIT) return (size + 7) >>> 3;
  if (size > MAX_CLASS_SIZE) return HUGE_CLASS;
  const k = 32 - Math.clz32(size - 1); // 2^(k-1) < size <= 2^k
  const shift = k - 4; // step: an eighth of 2^(k-1)
  return SMALL_CLASS_LIMIT / 8 + (k - 9) * 8 + ((size - (1 << (k - 1)) + (1 << shift) - 1) >>> shift);
}

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

/**
 * Where string keys are written as bytes before a lookup. Shared by every
 * database: operations are synchronous and nothing keeps it between calls.
 */
let scratch = Buffer.alloc(1024);

/** Writes latin1 `s` into `scratch` (grown as needed); returns the byte length. */
function keyToScratch(s: string): number {
  const n = s.length;
  if (n > scratch.length) scratch = Buffer.alloc(Math.max(n, scratch.length * 2));
  if (n <= SHORT_COPY) {
    const b = scratch;
    for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  } else {
    scratch.latin1Write(s, 0, n);
  }
  return n;
}

const EMPTY_BUF = Buffer.alloc(0);
const EMPTY_I32 = new Int32Array(0);

export interface ArenaStoreOptions {
  /** Called when a lookup finds a key past its time and deletes it (lazy expiry). */
  onLazyExpire?: (key: string) => void;
  /** Buckets of a new or cleared table, a power of two of at least 4 (tests use 4 to rehash often). */
  initialBuckets?: number;
  /** Bytes per page, a power of two from 64 KB to 1 MB (tests lower it to use many pages). */
  pageSize?: number;
  /** Tables of at least this many buckets are faulted in before use (see the module comment); tests lower it. */
  prefaultBuckets?: number;
}

/** What arenaStats() reports: the allocator's and index's state, for tests and INFO-like tools. */
export interface ArenaStats {
  /** Shared pages allocated (never released before clear()). */
  pages: number;
  /** Pages of their own held by big records. */
  hugePages: number;
  /** Bytes of all pages. */
  pageBytes: number;
  /** Bytes of live records (their classes' sizes). */
  liveBytes: number;
  /** Bytes on the free lists. */
  freeBytes: number;
  /** Values kept as JavaScript objects. */
  objects: number;
  /** Buckets of both tables. */
  buckets: number;
  /** Whether a rehash is in progress. */
  rehashing: boolean;
  /** Buckets of the next table while it is being faulted in, before its rehash starts (0: none). */
  spareBuckets: number;
}

export class ArenaDatabase implements Database {
  id: number;
  onExpired: ((key: string) => void) | null = null;
  onCreated: ((key: string) => void) | null = null;
  /** Keys past their time stay while clients are paused (Database.retainExpired). */
  retainExpired = false;
  private readonly onLazyExpire: (key: string) => void;
  private readonly initialBuckets: number;
  private readonly prefaultBuckets: number;
  private readonly pageSize: number;
  /** log2(pageSize / 8): bits of an address that are the offset in 8-byte units. */
  private readonly offBits: number;
  private readonly offMask: number;
  /** First page index that does not fit in an address. */
  private readonly maxPages: number;

  // Pages: index 0 is a placeholder so that address 0 means none.
  private pageBuf: Buffer[] = [EMPTY_BUF];
  private pageI32: Int32Array[] = [EMPTY_I32];
  /** Indexes of released big-record pages, for reuse. */
  private freePages: number[] = [];
  private sharedPages = 0;
  private hugePages = 0;
  private hugeBytes = 0;
  /** The page records are carved from, and the next free byte in it (0: none yet). */
  private bumpPage = 0;
  private bumpOff = 0;
  /** Head of each class's free list. */
  private freeHead = new Int32Array(HUGE_CLASS);
  private liveBytes = 0;
  private freeBytes = 0;

  // Values kept as objects.
  private objects: (StoredValue | null)[] = [];
  private freeHandles: number[] = [];
  private objectCount = 0;

  // Index: t0, and t1 while rehashing from t0 (rehashIdx: next t0 bucket to move, -1 when not rehashing).
  private t0: Int32Array;
  private mask0: number;
  private t1: Int32Array = EMPTY_I32;
  private mask1 = 0;
  private rehashIdx = -1;
  private count = 0;
  // The next table while its pages are faulted in (EMPTY_I32: none), the
  // next slot to touch, and the writes counted towards the next touch.
  private spare: Int32Array = EMPTY_I32;
  private spareTouched = 0;
  private spareTick = 0;

  // TTLs: chunked dense arrays; expirePos is active expiry's place in its pass.
  private ttlAddr: Int32Array[] = [];
  private ttlAt: Float64Array[] = [];
  private withTtl = 0;
  private expirePos = 0;

  // Where find() found its record: the table, bucket and previous record (0: the bucket's head).
  private fTable: Int32Array = EMPTY_I32;
  private fBucket = 0;
  private fPrev = 0;
  /**
   * The record find() found last, its hash, and `links` then. `links` counts
   * every change to any chain or record's place (link, unlink, free, rehash
   * step, clear), so while it is unchanged that record and fTable/fBucket/
   * fPrev still describe it: a write to the key just read (INCR, GETSET,
   * APPEND …) then skips the second hash and chain walk (see store).
   */
  private lastFound = 0;
  /** The record getBytes() last returned LOOKUP_BYTES for, until the next find() (setFoundBytes). */
  private readable = 0;
  private lastHash = 0;
  private lastLinks = -1;
  private links = 0;

  constructor(id: number, options: ArenaStoreOptions = {}) {
    this.id = id;
    this.onLazyExpire = options.onLazyExpire ?? (() => {});
    const initial = options.initialBuckets ?? DEFAULT_INITIAL_BUCKETS;
    if (!(initial >= 4 && (initial & (initial - 1)) === 0)) throw new RangeError('initialBuckets must be a power of two of at least 4');
    this.initialBuckets = initial;
    this.prefaultBuckets = options.prefaultBuckets ?? PREFAULT_MIN_BUCKETS;
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!(pageSize >= MIN_PAGE_SIZE && pageSize <= DEFAULT_PAGE_SIZE && (pageSize & (pageSize - 1)) === 0)) throw new RangeError('pageSize must be a power of two from 64 KB to 1 MB');
    this.pageSize = pageSize;
    this.offBits = 31 - Math.clz32(pageSize) - 3;
    this.offMask = (1 << this.offBits) - 1;
    this.maxPages = 2 ** (31 - this.offBits);
    this.t0 = new Int32Array(initial);
    this.mask0 = initial - 1;
  }

  size(): number {
    return this.count;
  }

  expiresCount(): number {
    return this.withTtl;
  }

  /** Allocator and index figures (see ArenaStats). */
  arenaStats(): ArenaStats {
    return {
      pages: this.sharedPages,
      hugePages: this.hugePages,
      pageBytes: this.sharedPages * this.pageSize + this.hugeBytes,
      liveBytes: this.liveBytes,
      freeBytes: this.freeBytes,
      objects: this.objectCount,
      buckets: this.t0.length + this.t1.length,
      rehashing: this.rehashIdx >= 0,
      spareBuckets: this.spare.length,
    };
  }

  // -------------------------------------------------------------------------
  // Lookups

  getBytes(key: Uint8Array, offset: number, length: number, now: number, view: ByteView): number {
    const a = this.find(key, offset, length, hashBytes(key, offset, length, HASH_SEED));
    if (a === 0) return LOOKUP_MISSING;
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    if (words[w + 4] !== 0 && this.expireFound(a, now)) return LOOKUP_MISSING;
    const vword = words[w + 3]!;
    if (vword < 0) return LOOKUP_VALUE;
    view.buf = this.pageBuf[a >>> this.offBits]!;
    view.offset = (w << 2) + RECORD_HEADER + length;
    view.length = vword;
    this.readable = a;
    return LOOKUP_BYTES;
  }

  get(key: string, now: number): StoredValue | undefined {
    const a = this.findString(key);
    if (a === 0) return undefined;
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    if (words[w + 4] !== 0 && this.expireFound(a, now)) return undefined;
    return this.valueOf(a);
  }

  has(key: string, now: number): boolean {
    const a = this.findString(key);
    return a !== 0 && (this.ttlPos(a) === 0 || !this.expireFound(a, now));
  }

  getExpire(key: string): number {
    const a = this.findString(key);
    return a === 0 ? NO_EXPIRY : this.expiryOf(a);
  }

  /** The record of a latin1 string key (written into `scratch` as bytes first), or 0. */
  private findString(key: string): number {
    const n = keyToScratch(key);
    return this.find(scratch, 0, n, hashBytes(scratch, 0, n, HASH_SEED));
  }

  /** Record `a`'s position + 1 in the TTL arrays; 0 when it has no TTL. */
  private ttlPos(a: number): number {
    return this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + 4]!;
  }

  /** Record `a`'s absolute expiry in ms, or NO_EXPIRY. */
  private expiryOf(a: number): number {
    const ttl = this.ttlPos(a);
    return ttl === 0 ? NO_EXPIRY : this.ttlAt[(ttl - 1) >>> TTL_CHUNK_SHIFT]![(ttl - 1) & TTL_CHUNK_MASK]!;
  }

  /**
   * The record of key bytes `key[off, off + len)` with hash `h`, or 0. Moves
   * one bucket first while rehashing (as dict.c's lookups do), then walks t0's
   * chain and, while rehashing, t1's. Leaves where it found the record in
   * fTable/fBucket/fPrev for unlinking.
   */
  private find(key: Uint8Array, off: number, len: number, h: number): number {
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
    let prev = 0;
    let a = table[bucket]!;
    while (a !== 0) {
      const words = pages[a >>> offBits]!;
      const w = (a & offMask) << 1;
      if (words[w + 1] === h && words[w + 2] === len && this.keyEquals(a, key, off, len)) {
        this.fTable = table;
        this.fBucket = bucket;
        this.fPrev = prev;
        this.lastFound = a;
        this.lastHash = h;
        this.lastLinks = this.links;
        return a;
      }
      prev = a;
      a = words[w]!;
    }
    return 0;
  }

  private keyEquals(a: number, key: Uint8Array, off: number, len: number): boolean {
    const buf = this.pageBuf[a >>> this.offBits]!;
    const start = ((a & this.offMask) << 3) + RECORD_HEADER;
    for (let i = 0; i < len; i++) if (buf[start + i] !== key[off + i]) return false;
    return true;
  }

  /**
   * The record just found has a TTL: when its time is at or before `now`,
   * deletes it, reports the lazy expiry and returns true (Redis's
   * expireIfNeeded).
   */
  private expireFound(a: number, now: number): boolean {
    if (this.expiryOf(a) > now) return false;
    if (this.retainExpired) return true;
    const key = this.keyString(a);
    this.unlinkFound(a);
    this.removeRecord(a);
    this.onLazyExpire(key);
    if (this.onExpired !== null) this.onExpired(key);
    return true;
  }

  /** The value of record `a` as get() returns it. */
  private valueOf(a: number): StoredValue {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    const vword = words[w + 3]!;
    if (vword < 0) return this.objects[vword & HANDLE_MASK]!;
    const start = (w << 2) + RECORD_HEADER + words[w + 2]!;
    return this.pageBuf[a >>> this.offBits]!.latin1Slice(start, start + vword);
  }

  private keyString(a: number): string {
    const w = (a & this.offMask) << 1;
    const start = (w << 2) + RECORD_HEADER;
    return this.pageBuf[a >>> this.offBits]!.latin1Slice(start, start + this.pageI32[a >>> this.offBits]![w + 2]!);
  }

  // -------------------------------------------------------------------------
  // Writes

  setBytes(key: Uint8Array, keyOffset: number, keyLength: number, value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number): void {
    if (RECORD_HEADER + keyLength + valueLength <= MAX_CLASS_SIZE) {
      const a = this.store(key, keyOffset, keyLength, valueLength, null);
      const start = ((a & this.offMask) << 3) + RECORD_HEADER + keyLength;
      copyBytes(value, valueOffset, this.pageBuf[a >>> this.offBits]!, start, valueLength);
      this.applyExpire(a, expireAt);
      return;
    }
    // Too big for a record: kept as a string, as set() would keep it.
    const src = Buffer.from(value.buffer, value.byteOffset + valueOffset, valueLength);
    const obj: StoredValue = valueLength <= MAX_STRING_VALUE ? src.latin1Slice(0, valueLength) : new RawString(Buffer.from(src), valueLength);
    this.applyExpire(this.store(key, keyOffset, keyLength, 0, obj), expireAt);
  }

  setFoundBytes(value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number): void {
    const a = this.readable;
    if (a === 0 || a !== this.lastFound || this.lastLinks !== this.links) throw new Error('setFoundBytes() must follow a getBytes() that found the key');
    const page = a >>> this.offBits;
    const words = this.pageI32[page]!;
    const w = (a & this.offMask) << 1;
    const klen = words[w + 2]!;
    const oldV = words[w + 3]!;
    // The common case (INCR's next number, of about the same length): a byte
    // value whose record keeps its size class is rewritten where it is, as
    // store() would, without store()'s look at the key and the chain.
    if (oldV >= 0) {
      const size = RECORD_HEADER + klen + valueLength;
      if (size <= MAX_CLASS_SIZE && sizeClassOf(size) === sizeClassOf(RECORD_HEADER + klen + oldV)) {
        words[w + 3] = valueLength;
        copyBytes(value, valueOffset, this.pageBuf[page]!, (w << 2) + RECORD_HEADER + klen, valueLength);
        this.applyExpire(a, expireAt);
        return;
      }
    }
    // Otherwise the key is passed as the record's own bytes, which store()
    // recognises without comparing; a move to a bigger record copies them
    // before the old record is freed.
    this.setBytes(this.pageBuf[page]!, (w << 2) + RECORD_HEADER, klen, value, valueOffset, valueLength, expireAt);
  }

  set(key: string, value: StoredValue, expireAt: number): void {
    const n = keyToScratch(key);
    if (typeof value === 'string' && RECORD_HEADER + n + value.length <= MAX_CLASS_SIZE) {
      const vlen = value.length;
      const a = this.store(scratch, 0, n, vlen, null);
      const buf = this.pageBuf[a >>> this.offBits]!;
      const start = ((a & this.offMask) << 3) + RECORD_HEADER + n;
      if (vlen <= SHORT_COPY) {
        for (let i = 0; i < vlen; i++) buf[start + i] = value.charCodeAt(i);
      } else {
        buf.latin1Write(value, start, vlen);
      }
      this.applyExpire(a, expireAt);
      return;
    }
    this.applyExpire(this.store(scratch, 0, n, 0, value), expireAt);
  }

  /**
   * Makes key bytes `key[off, off + klen)` hold a value: `obj` when not null,
   * else `vlen` bytes the caller writes into the returned record right after
   * the key. Reuses the key's record when the new size has the same class,
   * else allocates one and links it in the old one's place (or at the head
   * of a bucket for a new key). Returns the record's address; its TTL field
   * is unchanged for an existing key, 0 for a new one.
   */
  private store(key: Uint8Array, off: number, klen: number, vlen: number, obj: StoredValue | null): number {
    let h: number;
    let old: number;
    const last = this.lastFound;
    if (
      this.lastLinks === this.links &&
      this.pageI32[last >>> this.offBits]![((last & this.offMask) << 1) + 2] === klen &&
      // The record's own key bytes (setFoundBytes) need no comparing.
      ((key === this.pageBuf[last >>> this.offBits] && off === ((last & this.offMask) << 3) + RECORD_HEADER) || this.keyEquals(last, key, off, klen))
    ) {
      // The key find() found last, nothing moved since: fTable/fBucket/fPrev hold.
      h = this.lastHash;
      old = last;
    } else {
      h = hashBytes(key, off, klen, HASH_SEED);
      old = this.find(key, off, klen, h);
    }
    const size = RECORD_HEADER + klen + (obj === null ? vlen : 0);
    if (old !== 0) {
      const words = this.pageI32[old >>> this.offBits]!;
      const w = (old & this.offMask) << 1;
      const oldV = words[w + 3]!;
      const oldSize = RECORD_HEADER + klen + (oldV < 0 ? 0 : oldV);
      const cls = sizeClassOf(size);
      if (cls === sizeClassOf(oldSize) && cls !== HUGE_CLASS) {
        // In place.
        if (obj !== null) {
          if (oldV < 0) this.objects[oldV & HANDLE_MASK] = obj;
          else words[w + 3] = OBJECT_BIT | this.newHandle(obj);
        } else {
          if (oldV < 0) this.releaseHandle(oldV & HANDLE_MASK);
          words[w + 3] = vlen;
        }
        return old;
      }
      // A new record in the old one's place in its chain.
      const a = this.allocate(size);
      const nw = this.pageI32[a >>> this.offBits]!;
      const x = (a & this.offMask) << 1;
      nw[x] = words[w]!;
      nw[x + 1] = h;
      nw[x + 2] = klen;
      nw[x + 4] = words[w + 4]!;
      copyBytes(key, off, this.pageBuf[a >>> this.offBits]!, (x << 2) + RECORD_HEADER, klen);
      if (obj !== null) {
        nw[x + 3] = oldV < 0 ? oldV : OBJECT_BIT | this.newHandle(obj);
        if (oldV < 0) this.objects[oldV & HANDLE_MASK] = obj;
      } else {
        nw[x + 3] = vlen;
        if (oldV < 0) this.releaseHandle(oldV & HANDLE_MASK);
      }
      if (this.fPrev === 0) this.fTable[this.fBucket] = a;
      else this.pageI32[this.fPrev >>> this.offBits]![(this.fPrev & this.offMask) << 1] = a;
      const ttl = nw[x + 4]!;
      if (ttl !== 0) this.ttlAddr[(ttl - 1) >>> TTL_CHUNK_SHIFT]![(ttl - 1) & TTL_CHUNK_MASK] = a;
      this.freeRecord(old, oldSize);
      return a;
    }
    const a = this.allocate(size);
    const nw = this.pageI32[a >>> this.offBits]!;
    const x = (a & this.offMask) << 1;
    nw[x + 1] = h;
    nw[x + 2] = klen;
    nw[x + 3] = obj === null ? vlen : OBJECT_BIT | this.newHandle(obj);
    nw[x + 4] = 0;
    copyBytes(key, off, this.pageBuf[a >>> this.offBits]!, (x << 2) + RECORD_HEADER, klen);
    this.links++;
    if (this.rehashIdx >= 0) {
      const b = h & this.mask1;
      nw[x] = this.t1[b]!;
      this.t1[b] = a;
    } else {
      const b = h & this.mask0;
      nw[x] = this.t0[b]!;
      this.t0[b] = a;
    }
    this.count++;
    if (this.rehashIdx < 0 && this.count >= this.t0.length) this.startRehash(this.t0.length * 2);
    if (this.onCreated !== null) this.onCreated(this.keyString(a));
    return a;
  }

  /** set()'s `expireAt` applied to record `a`. */
  private applyExpire(a: number, expireAt: number): void {
    if (expireAt === KEEP_TTL) return;
    if (expireAt === NO_EXPIRY) {
      if (this.ttlPos(a) !== 0) this.removeTtl(a);
      return;
    }
    this.putTtl(a, expireAt);
  }

  delete(key: string, now: number): boolean {
    const a = this.findString(key);
    if (a === 0) return false;
    const live = !this.expiredAt(a, now);
    this.unlinkFound(a);
    this.removeRecord(a);
    if (!live) {
      this.onLazyExpire(key);
      if (this.onExpired !== null) this.onExpired(key);
    }
    return live;
  }

  setExpire(key: string, at: number): void {
    const a = this.findString(key);
    if (a !== 0) this.putTtl(a, at);
  }

  persist(key: string): boolean {
    const a = this.findString(key);
    if (a === 0 || this.ttlPos(a) === 0) return false;
    this.removeTtl(a);
    return true;
  }

  /** Takes the record find() just found out of its chain. */
  private unlinkFound(a: number): void {
    this.links++;
    const next = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!;
    if (this.fPrev === 0) this.fTable[this.fBucket] = next;
    else this.pageI32[this.fPrev >>> this.offBits]![(this.fPrev & this.offMask) << 1] = next;
  }

  /** Frees an unlinked record with its TTL entry and object; may start a shrink. */
  private removeRecord(a: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    if (words[w + 4] !== 0) this.removeTtl(a);
    const vword = words[w + 3]!;
    if (vword < 0) this.releaseHandle(vword & HANDLE_MASK);
    this.freeRecord(a, RECORD_HEADER + words[w + 2]! + (vword < 0 ? 0 : vword));
    this.count--;
    if (this.rehashIdx < 0) this.resizeIfNeeded();
  }

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

  clear(): void {
    this.links++;
    this.pageBuf = [EMPTY_BUF];
    this.pageI32 = [EMPTY_I32];
    this.freePages = [];
    this.sharedPages = 0;
    this.hugePages = 0;
    this.hugeBytes = 0;
    this.bumpPage = 0;
    this.bumpOff = 0;
    this.freeHead = new Int32Array(HUGE_CLASS);
    this.liveBytes = 0;
    this.freeBytes = 0;
    this.objects = [];
    this.freeHandles = [];
    this.objectCount = 0;
    this.t0 = new Int32Array(this.initialBuckets);
    this.mask0 = this.initialBuckets - 1;
    this.t1 = EMPTY_I32;
    this.mask1 = 0;
    this.rehashIdx = -1;
    this.count = 0;
    this.spare = EMPTY_I32;
    this.spareTouched = 0;
    this.spareTick = 0;
    this.ttlAddr = [];
    this.ttlAt = [];
    this.withTtl = 0;
    this.expirePos = 0;
    this.fTable = EMPTY_I32;
  }

  // -------------------------------------------------------------------------
  // Allocation

  /** A record of `size` bytes (header included); its contents are undefined. */
  private allocate(size: number): number {
    const cls = sizeClassOf(size);
    if (cls === HUGE_CLASS) return this.allocateHuge(size);
    const bytes = CLASS_BYTES[cls]!;
    this.liveBytes += bytes;
    const head = this.freeHead[cls]!;
    if (head !== 0) {
      this.freeHead[cls] = this.pageI32[head >>> this.offBits]![(head & this.offMask) << 1]!;
      this.freeBytes -= bytes;
      return head;
    }
    if (this.bumpPage === 0 || this.bumpOff + bytes > this.pageSize) this.newBumpPage();
    const a = (this.bumpPage << this.offBits) | (this.bumpOff >>> 3);
    this.bumpOff += bytes;
    return a;
  }

  /** Puts the current page's unused tail on free lists, then starts a new page. */
  private newBumpPage(): void {
    if (this.bumpPage !== 0) {
      let tail = this.pageSize - this.bumpOff;
      while (tail >= CLASS_BYTES[(RECORD_HEADER + 7) >>> 3]!) {
        let cls = sizeClassOf(tail);
        if (CLASS_BYTES[cls]! > tail) cls--;
        const a = (this.bumpPage << this.offBits) | (this.bumpOff >>> 3);
        this.pushFree(a, cls);
        this.bumpOff += CLASS_BYTES[cls]!;
        tail = this.pageSize - this.bumpOff;
      }
    }
    this.bumpPage = this.addPage(new ArrayBuffer(this.pageSize));
    this.bumpOff = 0;
    this.sharedPages++;
  }

  private addPage(ab: ArrayBuffer): number {
    let index: number;
    if (this.freePages.length > 0) {
      index = this.freePages.pop()!;
    } else {
      index = this.pageBuf.length;
      if (index >= this.maxPages) throw new RangeError(`keyspace full: database ${this.id} holds ${this.maxPages - 1} pages of ${this.pageSize} bytes`);
      this.pageBuf.push(EMPTY_BUF);
      this.pageI32.push(EMPTY_I32);
    }
    this.pageBuf[index] = Buffer.from(ab);
    this.pageI32[index] = new Int32Array(ab);
    return index;
  }

  private allocateHuge(size: number): number {
    const bytes = (size + 7) & ~7;
    this.hugePages++;
    this.hugeBytes += bytes;
    this.liveBytes += bytes;
    return this.addPage(new ArrayBuffer(bytes)) << this.offBits;
  }

  /** Returns a record of `size` bytes (header included) to its class, or its page to nobody. */
  private freeRecord(a: number, size: number): void {
    this.links++;
    const cls = sizeClassOf(size);
    if (cls === HUGE_CLASS) {
      const index = a >>> this.offBits;
      const bytes = (size + 7) & ~7;
      this.pageBuf[index] = EMPTY_BUF;
      this.pageI32[index] = EMPTY_I32;
      this.freePages.push(index);
      this.hugePages--;
      this.hugeBytes -= bytes;
      this.liveBytes -= bytes;
      return;
    }
    this.liveBytes -= CLASS_BYTES[cls]!;
    this.pushFree(a, cls);
  }

  private pushFree(a: number, cls: number): void {
    this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1] = this.freeHead[cls]!;
    this.freeHead[cls] = a;
    this.freeBytes += CLASS_BYTES[cls]!;
  }

  private newHandle(obj: StoredValue): number {
    this.objectCount++;
    if (this.freeHandles.length > 0) {
      const h = this.freeHandles.pop()!;
      this.objects[h] = obj;
      return h;
    }
    this.objects.push(obj);
    return this.objects.length - 1;
  }

  private releaseHandle(h: number): void {
    this.objects[h] = null;
    this.freeHandles.push(h);
    this.objectCount--;
  }

  // -------------------------------------------------------------------------
  // Incremental rehashing (dict.c's dictExpand/dictRehash)

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
        const next = words[w]!;
        const b = words[w + 1]! & mask1;
        words[w] = t1[b]!;
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

  // -------------------------------------------------------------------------
  // TTLs

  private putTtl(a: number, at: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    let pos = words[w + 4]! - 1;
    if (pos < 0) {
      pos = this.withTtl++;
      if ((pos >>> TTL_CHUNK_SHIFT) >= this.ttlAddr.length) {
        this.ttlAddr.push(new Int32Array(TTL_CHUNK));
        this.ttlAt.push(new Float64Array(TTL_CHUNK));
      }
      this.ttlAddr[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = a;
      words[w + 4] = pos + 1;
    }
    this.ttlAt[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = at;
  }

  /** Drops record `a`'s TTL entry, moving the last entry into its place. */
  private removeTtl(a: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    const pos = words[w + 4]! - 1;
    words[w + 4] = 0;
    const last = --this.withTtl;
    if (pos !== last) {
      const moved = this.ttlAddr[last >>> TTL_CHUNK_SHIFT]![last & TTL_CHUNK_MASK]!;
      this.ttlAddr[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = moved;
      this.ttlAt[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = this.ttlAt[last >>> TTL_CHUNK_SHIFT]![last & TTL_CHUNK_MASK]!;
      this.pageI32[moved >>> this.offBits]![((moved & this.offMask) << 1) + 4] = pos + 1;
    }
    // Keep one spare chunk so that a count going back and forth over a chunk boundary does not churn.
    if (this.ttlAddr.length > 1 && (this.withTtl >>> TTL_CHUNK_SHIFT) + 2 < this.ttlAddr.length) {
      this.ttlAddr.pop();
      this.ttlAt.pop();
    }
  }

  /**
   * Walks the TTL array upward from where the last step stopped; a pass
   * starts at position 0 and a step never goes past the pass's end. Deleting
   * the key at `pos` moves the last entry (not yet examined in this pass)
   * into `pos`, which is then examined next, so a pass examines every key
   * that stays listed during it exactly once. Between steps, a removal by a
   * command may move an unexamined key below the walk; it waits for the next
   * pass. Each step also moves a few buckets of a rehash in progress.
   */
  expireStep(now: number, max: number, out: ExpireStepResult): void {
    out.checked = 0;
    out.expired = 0;
    if (this.rehashIdx >= 0) this.rehashStep(REHASH_BUCKETS_PER_EXPIRE_STEP);
    else if (this.spare.length > 0) this.prefaultSpare(PREFAULT_PAGES_PER_EXPIRE_STEP);
    if (this.withTtl === 0) return;
    let pos = this.expirePos;
    if (pos >= this.withTtl) pos = 0;
    while (out.checked < max && pos < this.withTtl) {
      out.checked++;
      if (this.ttlAt[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK]! <= now) {
        const a = this.ttlAddr[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK]!;
        const klen = this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + 2]!;
        // Find it again for its chain position (no bytes compare: its own key).
        this.find(this.pageBuf[a >>> this.offBits]!, ((a & this.offMask) << 3) + RECORD_HEADER, klen, this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + 1]!);
        const key = this.onExpired !== null ? this.keyString(a) : '';
        this.unlinkFound(a);
        this.removeRecord(a);
        out.expired++;
        if (this.onExpired !== null) this.onExpired(key);
      } else {
        pos++;
      }
    }
    this.expirePos = pos;
  }

  // -------------------------------------------------------------------------
  // Iteration

  keys(pattern: string | null, now: number): string[] {
    const out: string[] = [];
    const all = pattern === null || pattern === '*';
    const tables = this.rehashIdx >= 0 ? [this.t0, this.t1] : [this.t0];
    for (const t of tables) {
      for (let b = 0; b < t.length; b++) {
        for (let a = t[b]!; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) {
          if (this.expiredAt(a, now)) continue;
          const key = this.keyString(a);
          if (all || globMatch(pattern!, key)) out.push(key);
        }
      }
    }
    return out;
  }

  /** Whether record `a` has a TTL at or before `now` (without deleting it). */
  private expiredAt(a: number, now: number): boolean {
    const at = this.expiryOf(a);
    return at !== NO_EXPIRY && at <= now;
  }

  /**
   * dictScan's reverse-binary walk. The cursor, bit-reversed, is a position
   * p in [0, 2^32) of reversed-hash space; every record whose reversed hash
   * is below p has been returned. A step visits the bucket holding p in the
   * smaller table and, while rehashing, every bucket of the larger table
   * that splits from it, returning only records at or past p, then moves p
   * to the end of that bucket's range. Records never change their hash, so
   * a key present throughout is returned exactly once whatever the resizes
   * in between. Cursors of 2^32 and beyond are none of ours: -1.
   */
  scan(cursor: number, count: number, now: number, visit: (key: string, value: StoredValue) => void): number {
    if (cursor < 0 || cursor >= SCAN_END) return -1;
    let p = rev32(cursor);
    let seen = 0;
    let empty = 0;
    const keys: string[] = [];
    const values: StoredValue[] = [];
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
      let found = this.scanChain(small[b]!, p, now, keys, values);
      for (let j = b; j < large.length; j += small.length) found += this.scanChain(large[j]!, p, now, keys, values);
      if (found === 0) empty++;
      seen += found;
      p = p - (p % span) + span;
    } while (p < SCAN_END && seen < count && empty < count * 10);
    for (let i = 0; i < keys.length; i++) visit(keys[i]!, values[i]!);
    return p >= SCAN_END ? 0 : rev32(p);
  }

  /** Collects the live records of chain `a` whose reversed hash is at or past `p`; returns how many records the chain had. */
  private scanChain(a: number, p: number, now: number, keys: string[], values: StoredValue[]): number {
    let n = 0;
    for (; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) {
      n++;
      if (rev32(this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + 1]!) < p) continue;
      if (this.expiredAt(a, now)) continue;
      keys.push(this.keyString(a));
      values.push(this.valueOf(a));
    }
    return n;
  }

  /**
   * A random live key: a random non-empty bucket (of either table while
   * rehashing), then a random record of its chain, as dict.c's
   * dictGetRandomKey. An expired pick is deleted and we pick again, as
   * Redis's dbRandomKey does on a master, so each turn answers or shrinks
   * the keyspace.
   */
  randomKey(now: number): string | null {
    while (this.count > 0) {
      const head = this.randomBucketHead();
      let n = 0;
      for (let a = head; a !== 0; a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!) n++;
      let a = head;
      for (let i = Math.floor(Math.random() * n); i > 0; i--) a = this.pageI32[a >>> this.offBits]![(a & this.offMask) << 1]!;
      const key = this.keyString(a);
      if (!this.expiredAt(a, now)) return key;
      this.delete(key, now);
    }
    return null;
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

/** Copies src[so, so + n) to dst[d, d + n): a loop for short runs, native beyond. */
function copyBytes(src: Uint8Array, so: number, dst: Uint8Array, d: number, n: number): void {
  if (n <= SHORT_COPY) {
    for (let i = 0; i < n; i++) dst[d + i] = src[so + i]!;
  } else {
    dst.set(src.subarray(so, so + n), d);
  }
}
