/**
 * The page allocator: hands out records from large ArrayBuffer pages in size
 * classes, and takes them back onto per-class free lists. It knows the
 * record's first word only (the free list's link, record.ts W_NEXT); what a
 * record holds is its callers' business.
 *
 * An address is a 31-bit number: page index << offBits | offset / 8, where
 * offBits = log2(pageSize / 8) (17 for 1 MB pages). Page 0 is never used, so
 * address 0 means "none". Keeping addresses below 2^31 keeps every number
 * the store handles a small integer in V8 (no heap numbers). The price is a
 * limit of 2^(31 - offBits) - 1 pages per database: 16,383 pages of 1 MB,
 * 16 GB of records; past it an allocation throws.
 *
 * Sizes up to 256 bytes are classes in 8-byte steps; from there to
 * MAX_CLASS_SIZE (64 KB) each power of two is cut into 8 classes (12.5%
 * steps). All classes carve records from one current page with a bump
 * pointer; a freed record goes on its class's free list (threaded through
 * its first word) and is reused first. When the current page's tail cannot
 * hold a record, the tail is put on the free list of the largest class it
 * holds and a new page is started. A record bigger than MAX_CLASS_SIZE gets
 * a page of its own, released when the record is freed.
 *
 * Fragmentation, honestly: pages are never returned to the system (except a
 * big record's own page), and a freed record serves only its own class. A
 * keyspace that grows, is deleted, and is refilled with values of other
 * sizes keeps the first generation's pages as free lists; RSS then stays at
 * its high-water mark until FLUSHDB/FLUSHALL drops every page at once. Redis
 * with jemalloc has the same behaviour without activedefrag.
 *
 * The `buf` and `i32` arrays keep their identity for the allocator's whole
 * life (clear() empties them in place), so the hash index and the TTL index
 * hold them directly and reach a record with no extra load per lookup.
 */
import { R } from './record.js';

/** Largest record kept in shared pages; bigger values become objects, bigger keys get a page. */
export const MAX_CLASS_SIZE = 64 * 1024;
/** Default page: big enough that page objects are few (1,000 per GB), small enough to waste little. */
export const DEFAULT_PAGE_SIZE = 1 << 20;
/** Smallest page allowed: must hold a MAX_CLASS_SIZE record. */
export const MIN_PAGE_SIZE = MAX_CLASS_SIZE;
/** Sizes up to this many bytes have a class every 8 bytes. */
const SMALL_CLASS_LIMIT = 256;

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

export const EMPTY_BUF = Buffer.alloc(0);
export const EMPTY_I32 = new Int32Array(0);

export class PageAllocator {
  readonly pageSize: number;
  /** log2(pageSize / 8): bits of an address that are the offset in 8-byte units. */
  readonly offBits: number;
  readonly offMask: number;
  /** First page index that does not fit in an address. */
  readonly maxPages: number;
  /** Each page as bytes and as words; index 0 is a placeholder so that address 0 means none. */
  readonly buf: Buffer[] = [EMPTY_BUF];
  readonly i32: Int32Array[] = [EMPTY_I32];
  /** Indexes of released big-record pages, for reuse. */
  private freePages: number[] = [];
  sharedPages = 0;
  hugePages = 0;
  hugeBytes = 0;
  /** The page records are carved from, and the next free byte in it (0: none yet). */
  private bumpPage = 0;
  private bumpOff = 0;
  /** Head of each class's free list. */
  private freeHead = new Int32Array(HUGE_CLASS);
  liveBytes = 0;
  freeBytes = 0;

  /** `label` names the owner in the error thrown when addresses run out. */
  constructor(pageSize: number, private readonly label: string) {
    if (!(pageSize >= MIN_PAGE_SIZE && pageSize <= DEFAULT_PAGE_SIZE && (pageSize & (pageSize - 1)) === 0)) throw new RangeError('pageSize must be a power of two from 64 KB to 1 MB');
    this.pageSize = pageSize;
    this.offBits = 31 - Math.clz32(pageSize) - 3;
    this.offMask = (1 << this.offBits) - 1;
    this.maxPages = 2 ** (31 - this.offBits);
  }

  /** A record of `size` bytes (header included); its contents are undefined. */
  allocate(size: number): number {
    const cls = sizeClassOf(size);
    if (cls === HUGE_CLASS) return this.allocateHuge(size);
    const bytes = CLASS_BYTES[cls]!;
    this.liveBytes += bytes;
    const head = this.freeHead[cls]!;
    if (head !== 0) {
      this.freeHead[cls] = this.i32[head >>> this.offBits]![(head & this.offMask) << 1]!;
      this.freeBytes -= bytes;
      return head;
    }
    if (this.bumpPage === 0 || this.bumpOff + bytes > this.pageSize) this.newBumpPage();
    const a = (this.bumpPage << this.offBits) | (this.bumpOff >>> 3);
    this.bumpOff += bytes;
    return a;
  }

  /** Returns a record of `size` bytes (header included) to its class, or its page to nobody. */
  free(a: number, size: number): void {
    const cls = sizeClassOf(size);
    if (cls === HUGE_CLASS) {
      const index = a >>> this.offBits;
      const bytes = (size + 7) & ~7;
      this.buf[index] = EMPTY_BUF;
      this.i32[index] = EMPTY_I32;
      this.freePages.push(index);
      this.hugePages--;
      this.hugeBytes -= bytes;
      this.liveBytes -= bytes;
      return;
    }
    this.liveBytes -= CLASS_BYTES[cls]!;
    this.pushFree(a, cls);
  }

  /** Drops every page at once (FLUSHDB); the arrays stay the same objects. */
  clear(): void {
    this.buf.length = 1;
    this.i32.length = 1;
    this.freePages = [];
    this.sharedPages = 0;
    this.hugePages = 0;
    this.hugeBytes = 0;
    this.bumpPage = 0;
    this.bumpOff = 0;
    this.freeHead = new Int32Array(HUGE_CLASS);
    this.liveBytes = 0;
    this.freeBytes = 0;
  }

  /** Bytes of all pages. */
  pageBytes(): number {
    return this.sharedPages * this.pageSize + this.hugeBytes;
  }

  /** Puts the current page's unused tail on free lists, then starts a new page. */
  private newBumpPage(): void {
    if (this.bumpPage !== 0) {
      let tail = this.pageSize - this.bumpOff;
      while (tail >= CLASS_BYTES[(R.HEADER + 7) >>> 3]!) {
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
      index = this.buf.length;
      if (index >= this.maxPages) throw new RangeError(`keyspace full: ${this.label} holds ${this.maxPages - 1} pages of ${this.pageSize} bytes`);
      this.buf.push(EMPTY_BUF);
      this.i32.push(EMPTY_I32);
    }
    this.buf[index] = Buffer.from(ab);
    this.i32[index] = new Int32Array(ab);
    return index;
  }

  private allocateHuge(size: number): number {
    const bytes = (size + 7) & ~7;
    this.hugePages++;
    this.hugeBytes += bytes;
    this.liveBytes += bytes;
    return this.addPage(new ArrayBuffer(bytes)) << this.offBits;
  }

  private pushFree(a: number, cls: number): void {
    this.i32[a >>> this.offBits]![(a & this.offMask) << 1] = this.freeHead[cls]!;
    this.freeHead[cls] = a;
    this.freeBytes += CLASS_BYTES[cls]!;
  }
}
