/**
 * The TTL index: the keys that have a TTL, as dense chunked arrays of
 * (record address, expiry in ms). A record's TTL field (record.ts W.TTL)
 * holds its position + 1, so setting, reading and removing a TTL is O(1)
 * (removal moves the last entry into the hole and updates that record's
 * field), and active expiry walks only keys that have a TTL. Chunks of
 * 65,536 entries mean growth never copies a large array.
 *
 * It reads and writes only the records' TTL field, through the allocator's
 * page arrays (which keep their identity, pages.ts); it knows nothing of
 * keys, values or the hash index.
 */
import { W } from './record.js';

/** Entries per TTL chunk (a 256 KB Int32 and a 512 KB Float64 array). */
const TTL_CHUNK_SHIFT = 16;
const TTL_CHUNK = 1 << TTL_CHUNK_SHIFT;
const TTL_CHUNK_MASK = TTL_CHUNK - 1;

export class TtlIndex {
  private addrs: Int32Array[] = [];
  private ats: Float64Array[] = [];
  /** Entries held: positions 0 to count - 1. */
  count = 0;
  /** Active expiry's place in its pass over the positions. */
  walkPos = 0;

  constructor(
    private readonly pageI32: Int32Array[],
    private readonly offBits: number,
    private readonly offMask: number,
  ) {}

  /** The expiry at position + 1 `ttl` (a record's TTL field, not 0). */
  expiryAt(ttl: number): number {
    const pos = ttl - 1;
    return this.ats[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK]!;
  }

  /** The expiry and record at position `pos` (0-based), for the active walk. */
  atPos(pos: number): number {
    return this.ats[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK]!;
  }
  addrPos(pos: number): number {
    return this.addrs[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK]!;
  }

  /** Sets record `a`'s expiry, adding an entry when it had none. */
  put(a: number, at: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    let pos = words[w + W.TTL]! - 1;
    if (pos < 0) {
      pos = this.count++;
      if ((pos >>> TTL_CHUNK_SHIFT) >= this.addrs.length) {
        this.addrs.push(new Int32Array(TTL_CHUNK));
        this.ats.push(new Float64Array(TTL_CHUNK));
      }
      this.addrs[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = a;
      words[w + W.TTL] = pos + 1;
    }
    this.ats[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = at;
  }

  /** Record `a`, whose TTL field is `ttl` (not 0), moved to address `to`. */
  moved(ttl: number, to: number): void {
    const pos = ttl - 1;
    this.addrs[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = to;
  }

  /** Drops record `a`'s entry (it has one), moving the last entry into its place. */
  remove(a: number): void {
    const words = this.pageI32[a >>> this.offBits]!;
    const w = (a & this.offMask) << 1;
    const pos = words[w + W.TTL]! - 1;
    words[w + W.TTL] = 0;
    const last = --this.count;
    if (pos !== last) {
      const moved = this.addrs[last >>> TTL_CHUNK_SHIFT]![last & TTL_CHUNK_MASK]!;
      this.addrs[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = moved;
      this.ats[pos >>> TTL_CHUNK_SHIFT]![pos & TTL_CHUNK_MASK] = this.ats[last >>> TTL_CHUNK_SHIFT]![last & TTL_CHUNK_MASK]!;
      this.pageI32[moved >>> this.offBits]![((moved & this.offMask) << 1) + W.TTL] = pos + 1;
    }
    // Keep one spare chunk so that a count going back and forth over a chunk boundary does not churn.
    if (this.addrs.length > 1 && (this.count >>> TTL_CHUNK_SHIFT) + 2 < this.addrs.length) {
      this.addrs.pop();
      this.ats.pop();
    }
  }

  clear(): void {
    this.addrs = [];
    this.ats = [];
    this.count = 0;
    this.walkPos = 0;
  }
}
