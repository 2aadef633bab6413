/**
 * The keyspace's storage, off the V8 heap: ArenaDatabase, one per database,
 * composed of the parts that each own one thing:
 *
 *     record.ts       the record layout and its header words
 *     pages.ts        the page allocator (size classes, free lists)
 *     hash-index.ts   buckets, chains, incremental rehash, prefault, SCAN's walk
 *     ttl-index.ts    the keys with a TTL, for O(1) TTL access and active expiry
 *     object-table.ts values kept as JavaScript objects
 *     value-type.ts   the type byte and the ValueType interface
 *
 * Keys and string values live as records in large ArrayBuffer pages, indexed
 * by one incrementally rehashed hash table (Redis's dict.c). The garbage
 * collector sees a few hundred page objects instead of two strings and a Map
 * entry per key, so neither scavenges nor marking grow with the number of
 * keys, and a lookup touches bucket → record (→ next record on a collision)
 * and nothing else. docs/keyspace.md draws the whole picture.
 *
 * What this file owns: the Database operations, which tie the parts
 * together: a write picks the record's size and type byte, reuses the
 * key's record when the new size has the same class or moves it, and keeps
 * the TTL index, the object table and the long-key lengths in step; a
 * lookup expires a key whose time has passed (Redis's expireIfNeeded) and
 * tells onExpired. It knows nothing of commands or replies.
 *
 * Overwrites. A new value whose record falls in the same class as the old
 * record's is written in place; otherwise a new record is allocated, linked
 * in the old one's place in its chain, and the old one freed. The class of a
 * record is therefore always the class of its current size, so it need not
 * be stored.
 *
 * The hot paths (getBytes, setBytes, setFoundBytes, set of a short string)
 * touch only fields of this object and of the typed arrays it holds: the
 * hash index is this object's base class, and the allocator, TTL index and
 * object table are reached only when a record is created or moved, has a
 * TTL, or holds an object.
 */
import '../protocol/buffer-ext.js';
import { globMatch } from './glob.js';
import { HashIndex, DEFAULT_INITIAL_BUCKETS, PREFAULT_MIN_BUCKETS } from './hash-index.js';
import { KEEP_TTL, LOOKUP_BYTES, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, RawString, type ByteView, type Database, type ExpireStepResult, type StoredValue } from './keyspace.js';
import { ObjectTable } from './object-table.js';
import { DEFAULT_PAGE_SIZE, MAX_CLASS_SIZE as PAGES_MAX_CLASS_SIZE, PageAllocator, sizeClassOf } from './pages.js';
import { TtlIndex } from './ttl-index.js';
import { OBJ_STRING, STRING_BY_CONTENT, TYPE_NONE, encodingOfByte, stringEncodingOfBytes, typeByteOfValue, typeOfByte, valueTypeOf } from './value-type.js';
import { R, W } from './record.js';

export { HASH_SEED, hashBytes } from './hash-index.js';
export { HUGE_CLASS, MAX_CLASS_SIZE, SIZE_CLASS_BYTES, sizeClassOf, DEFAULT_PAGE_SIZE } from './pages.js';
export { RECORD_HEADER, KEY_LEN_ESCAPE } from './record.js';

/** pages.ts's largest shared-page record, as this module's own binding (the hot paths test it). */
const MAX_CLASS_SIZE = PAGES_MAX_CLASS_SIZE;
/** Keys copied byte by byte in JavaScript below this length; natively above. */
const SHORT_COPY = 48;
/** Longest string value kept as a JavaScript string; longer ones become a RawString (V8's limit is about 2^29). */
const MAX_STRING_VALUE = 1 << 28;
/** The key word's type bits: non-zero for any type but a string (OBJ_STRING is 0). */
const NON_STRING_BITS = 0xf0000000 | 0;
/** The key word's type byte for a string encoded by its contents (value-type.ts OBJ_ENCODING_BY_CONTENT). */
const BY_CONTENT_BITS = STRING_BY_CONTENT << R.TYPE_SHIFT;

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

export interface ArenaStoreOptions {
  /** Called when a lookup finds a key past its time and deletes it (lazy expiry). */
  onLazyExpire?: (key: string) => void;
  /** Buckets of a new or cleared table, a power of two of at least 4 (tests use 4 to rehash often). */
  initialBuckets?: number;
  /** Bytes per page, a power of two from 64 KB to 1 MB (tests lower it to use many pages). */
  pageSize?: number;
  /** Tables of at least this many buckets are faulted in before use (see hash-index.ts); tests lower it. */
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
  /** Keys longer than the record's length field holds (their lengths kept aside). */
  longKeys: number;
}

/** set()/setBytes() without a time: the caller has just looked the key up (and expired it if its time had passed). */
const NO_NOW = -1;

export class ArenaDatabase extends HashIndex implements Database {
  id: number;
  onExpired: ((key: string) => void) | null = null;
  onCreated: ((key: string) => void) | null = null;
  /** Keys past their time stay while clients are paused (Database.retainExpired). */
  retainExpired = false;
  private readonly onLazyExpire: (key: string) => void;
  private readonly pages: PageAllocator;
  private readonly ttl: TtlIndex;
  private readonly objects = new ObjectTable();

  constructor(id: number, options: ArenaStoreOptions = {}) {
    const pages = new PageAllocator(options.pageSize ?? DEFAULT_PAGE_SIZE, `database ${id}`);
    super(pages, options.initialBuckets ?? DEFAULT_INITIAL_BUCKETS, options.prefaultBuckets ?? PREFAULT_MIN_BUCKETS);
    this.pages = pages;
    this.ttl = new TtlIndex(pages.i32, pages.offBits, pages.offMask);
    this.id = id;
    this.onLazyExpire = options.onLazyExpire ?? (() => {});
  }

  size(): number {
    return this.count;
  }

  expiresCount(): number {
    return this.ttl.count;
  }

  /** Allocator and index figures (see ArenaStats). */
  arenaStats(): ArenaStats {
    return {
      pages: this.pages.sharedPages,
      hugePages: this.pages.hugePages,
      pageBytes: this.pages.pageBytes(),
      liveBytes: this.pages.liveBytes,
      freeBytes: this.pages.freeBytes,
      objects: this.objects.count,
      buckets: this.bucketCount(),
      rehashing: this.isRehashing(),
      spareBuckets: this.spareBuckets(),
      longKeys: this.longKeyLen.size,
    };
  }

  // -------------------------------------------------------------------------
  // Lookups

  getBytes(key: Uint8Array, offset: number, length: number, now: number, view: ByteView): number {
    const a = this.find(key, offset, length, this.hash(key, offset, length));
    if (a === 0) return LOOKUP_MISSING;
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    if (words[w + W.TTL] !== 0 && this.expireFound(a, now)) return LOOKUP_MISSING;
    const vword = words[w + W.VALUE]!;
    if (vword < 0 || (words[w + W.KEY]! & NON_STRING_BITS) !== 0) return LOOKUP_VALUE;
    view.buf = this.pageBuf[a >>> this.offBits]!;
    view.offset = (w << 2) + R.HEADER + length;
    view.length = vword;
    this.readable = a;
    return LOOKUP_BYTES;
  }

  get(key: string, now: number): StoredValue | undefined {
    const a = this.findString(key);
    if (a === 0) return undefined;
    if (this.ttlPos(a) !== 0 && this.expireFound(a, now)) return undefined;
    return this.recordValue(a);
  }

  has(key: string, now: number): boolean {
    const a = this.findString(key);
    return a !== 0 && (this.ttlPos(a) === 0 || !this.expireFound(a, now));
  }

  lookupType(key: string, now: number): number {
    const a = this.findString(key);
    if (a === 0 || (this.ttlPos(a) !== 0 && this.expireFound(a, now))) return TYPE_NONE;
    return this.recordType(a);
  }

  /** Record `a`'s type byte, a string encoded by content resolved to int, embstr or raw. */
  private recordType(a: number): number {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    const t = words[w + W.KEY]! >>> R.TYPE_SHIFT;
    if (t !== STRING_BY_CONTENT) return t;
    // A string in its record, encoded as tryObjectEncoding would have: decide now.
    return stringEncodingOfBytes(this.pageBuf[a >>> this.offBits]!, (w << 2) + R.HEADER + this.keyLength(a), words[w + W.VALUE]!);
  }

  getExpire(key: string): number {
    const a = this.findString(key);
    return a === 0 ? NO_EXPIRY : this.expiryOf(a);
  }

  /** The record of a latin1 string key (written into `scratch` as bytes first), or 0. */
  private findString(key: string): number {
    const n = keyToScratch(key);
    return this.find(scratch, 0, n, this.hash(scratch, 0, n));
  }

  /** Record `a`'s position + 1 in the TTL index; 0 when it has no TTL. */
  private ttlPos(a: number): number {
    return this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + W.TTL]!;
  }

  /** Record `a`'s absolute expiry in ms, or NO_EXPIRY. */
  private expiryOf(a: number): number {
    const ttl = this.ttlPos(a);
    return ttl === 0 ? NO_EXPIRY : this.ttl.expiryAt(ttl);
  }

  /** Whether record `a` has a TTL at or before `now` (without deleting it). */
  private expiredAt(a: number, now: number): boolean {
    const at = this.expiryOf(a);
    return at !== NO_EXPIRY && at <= now;
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
  private recordValue(a: number): StoredValue {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    const vword = words[w + W.VALUE]!;
    if (vword < 0) return this.objects.get(vword & R.HANDLE_MASK);
    const tb = words[w + W.KEY]! >>> R.TYPE_SHIFT;
    const start = (w << 2) + R.HEADER + this.keyLength(a);
    const type = typeOfByte(tb);
    if (type !== OBJ_STRING) {
      // A packed collection (none yet): its type decodes the payload.
      const decode = valueTypeOf(type)?.fromRecord;
      if (decode === undefined) throw new Error(`no decoder for packed records of type ${type}`);
      return decode(encodingOfByte(tb), this.pageBuf[a >>> this.offBits]!, start, vword);
    }
    return this.pageBuf[a >>> this.offBits]!.latin1Slice(start, start + vword);
  }

  // -------------------------------------------------------------------------
  // Writes

  setBytes(key: Uint8Array, keyOffset: number, keyLength: number, value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number, now = NO_NOW): void {
    if (R.HEADER + keyLength + valueLength <= MAX_CLASS_SIZE) {
      const a = this.store(key, keyOffset, keyLength, valueLength, null, STRING_BY_CONTENT, now);
      const start = ((a & this.offMask) << 3) + R.HEADER + keyLength;
      copyBytes(value, valueOffset, this.pageBuf[a >>> this.offBits]!, start, valueLength);
      this.applyExpire(a, expireAt);
      return;
    }
    // Too big for a record: kept as a string, as set() would keep it.
    const src = Buffer.from(value.buffer, value.byteOffset + valueOffset, valueLength);
    const obj: StoredValue = valueLength <= MAX_STRING_VALUE ? src.latin1Slice(0, valueLength) : new RawString(Buffer.from(src), valueLength);
    this.applyExpire(this.store(key, keyOffset, keyLength, 0, obj, stringEncodingOfBytes(value, valueOffset, valueLength), now), expireAt);
  }

  setFoundBytes(value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number): void {
    const a = this.readable;
    if (a === 0 || a !== this.lastFound || this.lastLinks !== this.links) throw new Error('setFoundBytes() must follow a getBytes() that found the key');
    const page = a >>> this.offBits;
    const words = this.pageI32[page]!;
    const w = (a & this.offMask) << 1;
    const kword = words[w + W.KEY]!;
    let klen = kword & R.KEY_LEN_MASK;
    if (klen === R.KEY_LEN_ESCAPE) klen = this.keyLength(a);
    const oldV = words[w + W.VALUE]!;
    // The common case (INCR's next number, of about the same length): a byte
    // value whose record keeps its size class is rewritten where it is, as
    // store() would, without store()'s look at the key and the chain.
    if (oldV >= 0 && (valueLength === oldV || sameClass(R.HEADER + klen + valueLength, R.HEADER + klen + oldV))) {
      words[w + W.VALUE] = valueLength;
      words[w + W.KEY] = BY_CONTENT_BITS | (kword & R.KEY_LEN_MASK);
      copyBytes(value, valueOffset, this.pageBuf[page]!, (w << 2) + R.HEADER + klen, valueLength);
      this.applyExpire(a, expireAt);
      return;
    }
    // Otherwise the key is passed as the record's own bytes, which store()
    // recognises without comparing; a move to a bigger record copies them
    // before the old record is freed.
    this.setBytes(this.pageBuf[page]!, (w << 2) + R.HEADER, klen, value, valueOffset, valueLength, expireAt);
  }

  set(key: string, value: StoredValue, expireAt: number, encoding?: number, now = NO_NOW): void {
    if (encoding !== undefined && encoding < 0) encoding = undefined; // TYPE_NONE: nothing to keep
    const n = keyToScratch(key);
    if (typeof value === 'string' && R.HEADER + n + value.length <= MAX_CLASS_SIZE) {
      const vlen = value.length;
      const a = this.store(scratch, 0, n, vlen, null, encoding ?? STRING_BY_CONTENT, now);
      const buf = this.pageBuf[a >>> this.offBits]!;
      const start = ((a & this.offMask) << 3) + R.HEADER + n;
      if (vlen <= SHORT_COPY) {
        for (let i = 0; i < vlen; i++) buf[start + i] = value.charCodeAt(i);
      } else {
        buf.latin1Write(value, start, vlen);
      }
      this.applyExpire(a, expireAt);
      return;
    }
    // A string too long for a record (or under a long key) is encoded by its
    // contents as above; a RawString is `raw` whatever it holds.
    const typeByte = typeof value === 'string' || value instanceof RawString ? (encoding ?? typeByteOfValue(value)) : typeByteOfValue(value);
    this.applyExpire(this.store(scratch, 0, n, 0, value, typeByte, now), expireAt);
  }

  /**
   * Makes key bytes `key[off, off + klen)` hold a value of type byte
   * `typeByte`: `obj` when not null, else `vlen` bytes the caller writes
   * into the returned record right after the key. Reuses the key's record
   * when the new size has the same class, else allocates one and links it in
   * the old one's place (or at the head of a bucket for a new key). Returns
   * the record's address; its TTL field is unchanged for an existing key, 0
   * for a new one. With `now` (a blind write: SET, MSET), a key found past its
   * time is expired first, as Redis's lookupKeyWrite does, and the write
   * makes a new key.
   */
  private store(key: Uint8Array, off: number, klen: number, vlen: number, obj: StoredValue | null, typeByte: number, now: number): number {
    let h: number;
    let old: number;
    const last = this.lastFound;
    const code = klen < R.KEY_LEN_ESCAPE ? klen : R.KEY_LEN_ESCAPE;
    if (
      this.lastLinks === this.links &&
      (this.pageI32[last >>> this.offBits]![((last & this.offMask) << 1) + W.KEY]! & R.KEY_LEN_MASK) === code &&
      // The record's own key bytes (setFoundBytes) need no comparing.
      ((key === this.pageBuf[last >>> this.offBits] && off === ((last & this.offMask) << 3) + R.HEADER) || this.keyEquals(last, key, off, klen))
    ) {
      // The key find() found last, nothing moved since: its chain position holds.
      h = this.lastHash;
      old = last;
    } else {
      h = this.hash(key, off, klen);
      old = this.find(key, off, klen, h);
    }
    if (old === 0) return this.addRecord(key, off, klen, vlen, obj, typeByte, h);
    if (now !== NO_NOW && this.ttlPos(old) !== 0 && this.expiryOf(old) <= now && !this.retainExpired) {
      // The key's bytes may be the shared scratch, which a hook's own lookup
      // would overwrite: keep a copy (a rare path) for the new record.
      const own = Buffer.from(key.subarray(off, off + klen));
      this.expireFound(old, now);
      return this.addRecord(own, 0, klen, vlen, obj, typeByte, h);
    }
    const size = R.HEADER + klen + (obj === null ? vlen : 0);
    const words = this.pageI32[old >>> this.offBits]!;
    const w = (old & this.offMask) << 1;
    const oldV = words[w + W.VALUE]!;
    const oldSize = R.HEADER + klen + (oldV < 0 ? 0 : oldV);
    // Same size (a SET of a value as long as the last, most INCRs) or same class: in place.
    if (size === oldSize ? size <= MAX_CLASS_SIZE : sameClass(size, oldSize)) {
      words[w + W.KEY] = (typeByte << R.TYPE_SHIFT) | code;
      if (obj !== null) {
        if (oldV < 0) this.objects.replace(oldV & R.HANDLE_MASK, obj);
        else words[w + W.VALUE] = R.OBJECT_BIT | this.objects.add(obj);
      } else {
        if (oldV < 0) this.objects.release(oldV & R.HANDLE_MASK);
        words[w + W.VALUE] = vlen;
      }
      return old;
    }
    return this.moveRecord(old, key, off, klen, size, oldSize, vlen, obj, typeByte, h);
  }

  /**
   * store() for a key whose new size needs another size class: a new record
   * in the old one's place in its chain (find() has just left that place),
   * its TTL entry and object handle carried over, the old record freed.
   */
  private moveRecord(old: number, key: Uint8Array, off: number, klen: number, size: number, oldSize: number, vlen: number, obj: StoredValue | null, typeByte: number, h: number): number {
    const words = this.pageI32[old >>> this.offBits]!;
    const w = (old & this.offMask) << 1;
    const oldV = words[w + W.VALUE]!;
    const a = this.pages.allocate(size);
    const nw = this.pageI32[a >>> this.offBits]!;
    const x = (a & this.offMask) << 1;
    nw[x + W.NEXT] = words[w + W.NEXT]!;
    nw[x + W.HASH] = h;
    nw[x + W.KEY] = (typeByte << R.TYPE_SHIFT) | (klen < R.KEY_LEN_ESCAPE ? klen : R.KEY_LEN_ESCAPE);
    nw[x + W.TTL] = words[w + W.TTL]!;
    this.setLongKeyLength(a, klen);
    copyBytes(key, off, this.pageBuf[a >>> this.offBits]!, (x << 2) + R.HEADER, klen);
    if (obj !== null) {
      nw[x + W.VALUE] = oldV < 0 ? oldV : R.OBJECT_BIT | this.objects.add(obj);
      if (oldV < 0) this.objects.replace(oldV & R.HANDLE_MASK, obj);
    } else {
      nw[x + W.VALUE] = vlen;
      if (oldV < 0) this.objects.release(oldV & R.HANDLE_MASK);
    }
    this.replaceFound(a);
    const ttl = nw[x + W.TTL]!;
    if (ttl !== 0) this.ttl.moved(ttl, a);
    this.freeRecord(old, oldSize);
    return a;
  }

  /** store() for a key the database does not hold: a new record at the head of its bucket (Redis's dbAdd). */
  private addRecord(key: Uint8Array, off: number, klen: number, vlen: number, obj: StoredValue | null, typeByte: number, h: number): number {
    const a = this.pages.allocate(R.HEADER + klen + (obj === null ? vlen : 0));
    const nw = this.pageI32[a >>> this.offBits]!;
    const x = (a & this.offMask) << 1;
    nw[x + W.HASH] = h;
    nw[x + W.KEY] = (typeByte << R.TYPE_SHIFT) | (klen < R.KEY_LEN_ESCAPE ? klen : R.KEY_LEN_ESCAPE);
    nw[x + W.VALUE] = obj === null ? vlen : R.OBJECT_BIT | this.objects.add(obj);
    nw[x + W.TTL] = 0;
    this.setLongKeyLength(a, klen);
    copyBytes(key, off, this.pageBuf[a >>> this.offBits]!, (x << 2) + R.HEADER, klen);
    this.linkNew(a, h);
    if (this.onCreated !== null) this.onCreated(this.keyString(a));
    return a;
  }

  /** Returns an unlinked record's bytes to the allocator (its long-key length with it). */
  private freeRecord(a: number, size: number): void {
    this.links++;
    if (size - R.HEADER >= R.KEY_LEN_ESCAPE) this.longKeyLen.delete(a);
    this.pages.free(a, size);
  }

  /** set()'s `expireAt` applied to record `a`. */
  private applyExpire(a: number, expireAt: number): void {
    if (expireAt === KEEP_TTL) return;
    if (expireAt === NO_EXPIRY) {
      if (this.ttlPos(a) !== 0) this.ttl.remove(a);
      return;
    }
    this.ttl.put(a, expireAt);
  }

  /**
   * Deletes a key. An expired one counts as absent (false), and its removal
   * is a lazy expiry: reported to onLazyExpire and onExpired as get() would.
   */
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
    if (a !== 0) this.ttl.put(a, at);
  }

  persist(key: string): boolean {
    const a = this.findString(key);
    if (a === 0 || this.ttlPos(a) === 0) return false;
    this.ttl.remove(a);
    return true;
  }

  /** Frees an unlinked record with its TTL entry and object; may start a shrink. */
  private removeRecord(a: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    if (words[w + W.TTL] !== 0) this.ttl.remove(a);
    const vword = words[w + W.VALUE]!;
    if (vword < 0) this.objects.release(vword & R.HANDLE_MASK);
    this.freeRecord(a, R.HEADER + this.keyLength(a) + (vword < 0 ? 0 : vword));
    this.unlinked();
  }

  clear(): void {
    this.pages.clear();
    this.objects.clear();
    this.ttl.clear();
    this.clearIndex();
  }

  // -------------------------------------------------------------------------
  // Active expiry

  /**
   * Walks the TTL index upward from where the last step stopped; a pass
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
    this.idleStep();
    const ttl = this.ttl;
    if (ttl.count === 0) return;
    let pos = ttl.walkPos;
    if (pos >= ttl.count) pos = 0;
    while (out.checked < max && pos < ttl.count) {
      out.checked++;
      if (ttl.atPos(pos) <= now) {
        const a = ttl.addrPos(pos);
        const klen = this.keyLength(a);
        // Find it again for its chain position (no bytes compare: its own key).
        this.find(this.pageBuf[a >>> this.offBits]!, ((a & this.offMask) << 3) + R.HEADER, klen, this.pageI32[a >>> this.offBits]![((a & this.offMask) << 1) + W.HASH]!);
        const key = this.onExpired !== null ? this.keyString(a) : '';
        this.unlinkFound(a);
        this.removeRecord(a);
        out.expired++;
        if (this.onExpired !== null) this.onExpired(key);
      } else {
        pos++;
      }
    }
    ttl.walkPos = pos;
  }

  // -------------------------------------------------------------------------
  // Iteration

  keys(pattern: string | null, now: number): string[] {
    const out: string[] = [];
    const all = pattern === null || pattern === '*';
    const records: number[] = [];
    this.allRecords(records);
    for (const a of records) {
      if (this.expiredAt(a, now)) continue;
      const key = this.keyString(a);
      if (all || globMatch(pattern!, key)) out.push(key);
    }
    return out;
  }

  /** One SCAN step (HashIndex.scanRecords); expired keys are skipped, not deleted. */
  scan(cursor: number, count: number, now: number, visit: (key: string, value: StoredValue, typeByte: number) => void): number {
    const records: number[] = [];
    const next = this.scanRecords(cursor, count, records);
    if (next < 0) return next;
    const keys: string[] = [];
    const values: StoredValue[] = [];
    const types: number[] = [];
    for (const a of records) {
      if (this.expiredAt(a, now)) continue;
      keys.push(this.keyString(a));
      values.push(this.recordValue(a));
      types.push(this.recordType(a));
    }
    // Visited after the walk: a visit may change the keyspace.
    for (let i = 0; i < keys.length; i++) visit(keys[i]!, values[i]!, types[i]!);
    return next;
  }

  /**
   * A random live key (HashIndex.randomRecord). An expired pick is deleted
   * and we pick again, as Redis's dbRandomKey does on a master, so each turn
   * answers or shrinks the keyspace.
   */
  randomKey(now: number): string | null {
    while (this.count > 0) {
      const a = this.randomRecord();
      const key = this.keyString(a);
      if (!this.expiredAt(a, now)) return key;
      this.delete(key, now);
    }
    return null;
  }
}

/** Whether records of `a` and `b` bytes share a size class of the shared pages (a record can then stay where it is). */
function sameClass(a: number, b: number): boolean {
  return a <= MAX_CLASS_SIZE && b <= MAX_CLASS_SIZE && sizeClassOf(a) === sizeClassOf(b);
}

/** Copies src[so, so + n) to dst[d, d + n): a loop for short runs, native beyond. */
function copyBytes(src: Uint8Array, so: number, dst: Uint8Array, d: number, n: number): void {
  if (n <= SHORT_COPY) {
    for (let i = 0; i < n; i++) dst[d + i] = src[so + i]!;
  } else {
    dst.set(src.subarray(so, so + n), d);
  }
}
