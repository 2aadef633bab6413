/**
 * The keyspace's storage: each database is split into Redis Cluster's 16384
 * hash slots, and each slot holds its keys in JavaScript Maps.
 *
 * Why slots: one Map holds at most 2^24 entries, and rehashing a Map of
 * millions of keys stalls the event loop; 16384 small Maps grow in small
 * steps and scale past that limit. Slots also give cluster mode its
 * partitioning for free, and SCAN an exact guarantee (see `scan`).
 *
 * Each slot's Maps are a chain: a Map that reaches `partitionLimit` entries
 * (2^24 by default, lowered in tests) is followed by another. A key lives in
 * exactly one Map of its slot and never moves while it exists.
 *
 *     slots[s] ──► Slot { data: [Map, Map?, …], expires: Map | null }
 *
 * TTLs live beside the data, as Redis's `expires` dict: a Map per slot from
 * key to absolute expiry time in ms, created on the first TTL.
 */
import { globMatch } from './glob.js';
import { CLUSTER_SLOTS, keyHashSlot } from './slot.js';
import '../protocol/buffer-ext.js';
import { KEEP_TTL, LOOKUP_BYTES, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, type ByteView, type Database, type ExpireStepResult, type StoredValue } from './keyspace.js';

/** Largest Map V8 can hold is 2^24 entries; a slot chains another Map past it. */
export const MAP_MAX_ENTRIES = 1 << 24;
/**
 * SCAN cursors encode slot and chain position: cursor = slot * SCAN_CHAIN_MAX
 * + position. 2^20 Maps per slot keeps every cursor below 2^34, exact in a
 * double, and is far beyond any real chain (2^20 × 2^24 keys in one slot);
 * it also leaves room for the tiny partition limits tests use (4 keys per
 * Map still allows 4 million keys in one slot).
 */
export const SCAN_CHAIN_MAX = 1 << 20;
/** RANDOMKEY tries this many random slots before walking to the next non-empty one. */
const RANDOM_SLOT_TRIES = 16;

/**
 * Shared by every database until its first write, so that a server (and each
 * of its 16 databases) starts without allocating 16384 slot entries; never
 * written to.
 */
const NO_SLOTS: readonly (Slot | undefined)[] = new Array(CLUSTER_SLOTS);

class Slot {
  data: Map<string, StoredValue>[];
  expires: Map<string, number> | null = null;
  constructor() {
    this.data = [new Map()];
  }
  size(): number {
    let n = 0;
    for (const m of this.data) n += m.size;
    return n;
  }
}

export interface SlotStoreOptions {
  /** Entries per Map before a slot chains another (tests lower it). */
  partitionLimit?: number;
  /** Called when a lookup finds a key past its time and deletes it (lazy expiry). */
  onLazyExpire?: (key: string) => void;
}

export class SlotDatabase implements Database {
  id: number;
  private slots = NO_SLOTS as (Slot | undefined)[];
  private count = 0;
  private withTtl = 0;
  private readonly limit: number;
  private readonly onLazyExpire: (key: string) => void;
  /** Active expiry position: the slot being walked, and an iterator over its TTLs. */
  private expireSlot = 0;
  private expireIter: Iterator<[string, number]> | null = null;

  constructor(id: number, options: SlotStoreOptions = {}) {
    this.id = id;
    this.limit = Math.min(options.partitionLimit ?? MAP_MAX_ENTRIES, MAP_MAX_ENTRIES);
    this.onLazyExpire = options.onLazyExpire ?? (() => {});
  }

  size(): number {
    return this.count;
  }

  expiresCount(): number {
    return this.withTtl;
  }

  /** The live value, deleting the key when its time has passed. */
  get(key: string, now: number): StoredValue | undefined {
    const slot = this.slots[keyHashSlot(key)];
    if (slot === undefined) return undefined;
    const v = lookup(slot, key);
    if (v === undefined) return undefined;
    if (slot.expires !== null) {
      const at = slot.expires.get(key);
      if (at !== undefined && at <= now) {
        this.remove(slot, key);
        this.onLazyExpire(key);
        return undefined;
      }
    }
    return v;
  }

  /** Through strings: this store keeps JavaScript strings, so bytes are converted both ways. */
  getBytes(key: Uint8Array, offset: number, length: number, now: number, view: ByteView): number {
    const v = this.get(bytesToLatin1(key, offset, length), now);
    if (v === undefined) return LOOKUP_MISSING;
    if (typeof v !== 'string') return LOOKUP_VALUE;
    if (v.length > scratch.length) scratch = Buffer.allocUnsafe(v.length);
    view.buf = scratch;
    view.offset = 0;
    view.length = scratch.latin1Write(v, 0, v.length);
    return LOOKUP_BYTES;
  }

  setBytes(key: Uint8Array, keyOffset: number, keyLength: number, value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number): void {
    this.set(bytesToLatin1(key, keyOffset, keyLength), bytesToLatin1(value, valueOffset, valueLength), expireAt);
  }

  has(key: string, now: number): boolean {
    return this.get(key, now) !== undefined;
  }

  set(key: string, value: StoredValue, expireAt: number): void {
    const s = keyHashSlot(key);
    let slot = this.slots[s];
    if (slot === undefined) {
      if (this.slots === NO_SLOTS) this.slots = new Array(CLUSTER_SLOTS);
      slot = this.slots[s] = new Slot();
    }
    const data = slot.data;
    let stored = false;
    const first = data[0]!;
    const before = first.size;
    if (data.length === 1 && before < this.limit) {
      // The common case, one Map with room: one hash lookup, where has()
      // then set() would take two; the size tells whether the key was new.
      first.set(key, value);
      if (first.size === before) stored = true;
      else this.count++;
    } else {
      stored = this.setChained(data, key, value);
    }
    if (expireAt === KEEP_TTL) return;
    if (expireAt === NO_EXPIRY) {
      if (stored && slot.expires !== null && slot.expires.delete(key)) this.withTtl--;
      return;
    }
    this.putExpire(slot, key, expireAt);
  }

  /** set() on a slot whose Maps are chained (or full): returns whether the key existed. */
  private setChained(data: Map<string, StoredValue>[], key: string, value: StoredValue): boolean {
    let stored = false;
    for (let i = 0; i < data.length; i++) {
      const m = data[i]!;
      if (m.has(key)) {
        m.set(key, value);
        stored = true;
        break;
      }
    }
    if (!stored) {
      let target: Map<string, StoredValue> | undefined;
      for (let i = 0; i < data.length; i++) {
        if (data[i]!.size < this.limit) {
          target = data[i];
          break;
        }
      }
      if (target === undefined) {
        target = new Map();
        data.push(target);
      }
      target.set(key, value);
      this.count++;
    }
    return stored;
  }

  delete(key: string, now: number): boolean {
    const slot = this.slots[keyHashSlot(key)];
    if (slot === undefined) return false;
    if (lookup(slot, key) === undefined) return false;
    let live = true;
    if (slot.expires !== null) {
      const at = slot.expires.get(key);
      if (at !== undefined && at <= now) live = false;
    }
    this.remove(slot, key);
    if (!live) this.onLazyExpire(key);
    return live;
  }

  getExpire(key: string): number {
    const slot = this.slots[keyHashSlot(key)];
    if (slot === undefined || slot.expires === null) return NO_EXPIRY;
    return slot.expires.get(key) ?? NO_EXPIRY;
  }

  setExpire(key: string, at: number): void {
    const slot = this.slots[keyHashSlot(key)];
    if (slot === undefined || lookup(slot, key) === undefined) return;
    this.putExpire(slot, key, at);
  }

  persist(key: string): boolean {
    const slot = this.slots[keyHashSlot(key)];
    if (slot === undefined || slot.expires === null) return false;
    if (!slot.expires.delete(key)) return false;
    this.withTtl--;
    return true;
  }

  keys(pattern: string | null, now: number): string[] {
    const out: string[] = [];
    const all = pattern === null || pattern === '*';
    for (let s = 0; s < CLUSTER_SLOTS; s++) {
      const slot = this.slots[s];
      if (slot === undefined) continue;
      for (const m of slot.data) {
        for (const key of m.keys()) {
          if (!all && !globMatch(pattern!, key)) continue;
          if (slot.expires !== null) {
            const at = slot.expires.get(key);
            if (at !== undefined && at <= now) continue;
          }
          out.push(key);
        }
      }
    }
    return out;
  }

  /**
   * Walks whole Maps in slot order. A live key stays in one Map of one slot
   * for its whole life, and each Map is visited once per scan, so a key
   * present for the whole scan is returned exactly once, however the
   * keyspace changes meanwhile. The price: a step returns whole Maps, so it
   * may return more than `count` keys (COUNT is a hint in Redis too).
   */
  scan(cursor: number, count: number, now: number, visit: (key: string, value: StoredValue) => void): number {
    if (cursor < 0 || cursor >= CLUSTER_SLOTS * SCAN_CHAIN_MAX) return 0;
    let s = Math.floor(cursor / SCAN_CHAIN_MAX);
    let pos = cursor % SCAN_CHAIN_MAX;
    let seen = 0;
    while (s < CLUSTER_SLOTS) {
      const slot = this.slots[s];
      if (slot !== undefined && pos < slot.data.length) {
        const m = slot.data[pos]!;
        for (const [key, value] of m) {
          if (slot.expires !== null) {
            const at = slot.expires.get(key);
            if (at !== undefined && at <= now) continue;
          }
          visit(key, value);
        }
        seen += m.size;
        pos++;
      } else {
        s++;
        pos = 0;
      }
      if (seen >= count) break;
    }
    if (s >= CLUSTER_SLOTS) return 0;
    // Normalise: a position past the chain means the next slot.
    const slot = this.slots[s];
    if (slot === undefined || pos >= slot.data.length) {
      s++;
      pos = 0;
      if (s >= CLUSTER_SLOTS) return 0;
    }
    return s * SCAN_CHAIN_MAX + pos;
  }

  randomKey(now: number): string | null {
    // As Redis's dbRandomKey on a master: an expired pick is deleted and we
    // pick again, so every turn either answers or shrinks the keyspace, and
    // a live key is found however many expired ones surround it.
    while (this.count > 0) {
      const slot = this.randomSlot();
      if (slot === null) return null;
      const total = slot.size();
      let i = Math.floor(Math.random() * total);
      let key: string | null = null;
      for (const m of slot.data) {
        if (i >= m.size) {
          i -= m.size;
          continue;
        }
        for (const k of m.keys()) {
          if (i-- === 0) {
            key = k;
            break;
          }
        }
        break;
      }
      if (key === null) continue;
      if (this.get(key, now) !== undefined) return key;
    }
    return null;
  }

  private randomSlot(): Slot | null {
    for (let t = 0; t < RANDOM_SLOT_TRIES; t++) {
      const slot = this.slots[Math.floor(Math.random() * CLUSTER_SLOTS)];
      if (slot !== undefined && slot.size() > 0) return slot;
    }
    const start = Math.floor(Math.random() * CLUSTER_SLOTS);
    for (let i = 0; i < CLUSTER_SLOTS; i++) {
      const slot = this.slots[(start + i) % CLUSTER_SLOTS];
      if (slot !== undefined && slot.size() > 0) return slot;
    }
    return null;
  }

  clear(): void {
    this.slots = NO_SLOTS as (Slot | undefined)[];
    this.count = 0;
    this.withTtl = 0;
    this.expireSlot = 0;
    this.expireIter = null;
  }

  /**
   * Walks the TTL Maps slot by slot from where the last step stopped. A Map
   * iterator in V8 stays valid while entries are deleted (they are skipped)
   * and added (they are visited later), so the walk needs no copies.
   */
  expireStep(now: number, max: number, out: ExpireStepResult): void {
    out.checked = 0;
    out.expired = 0;
    if (this.withTtl === 0) return;
    let slotsVisited = 0;
    while (out.checked < max && slotsVisited <= CLUSTER_SLOTS) {
      if (this.expireIter === null) {
        const slot = this.slots[this.expireSlot];
        if (slot === undefined || slot.expires === null || slot.expires.size === 0) {
          this.expireSlot = (this.expireSlot + 1) % CLUSTER_SLOTS;
          slotsVisited++;
          continue;
        }
        this.expireIter = slot.expires.entries();
      }
      const r = this.expireIter.next();
      if (r.done === true) {
        this.expireIter = null;
        this.expireSlot = (this.expireSlot + 1) % CLUSTER_SLOTS;
        slotsVisited++;
        continue;
      }
      out.checked++;
      const [key, at] = r.value;
      if (at <= now) {
        const slot = this.slots[this.expireSlot]!;
        this.remove(slot, key);
        out.expired++;
      }
    }
  }

  private putExpire(slot: Slot, key: string, at: number): void {
    if (slot.expires === null) slot.expires = new Map();
    const before = slot.expires.size;
    slot.expires.set(key, at);
    if (slot.expires.size > before) this.withTtl++;
  }

  private remove(slot: Slot, key: string): void {
    const data = slot.data;
    for (let i = 0; i < data.length; i++) {
      if (data[i]!.delete(key)) {
        // An emptied overflow Map stays in the chain: removing it would
        // shift the positions that SCAN cursors point at.
        this.count--;
        break;
      }
    }
    if (slot.expires !== null && slot.expires.delete(key)) this.withTtl--;
  }
}

function lookup(slot: Slot, key: string): StoredValue | undefined {
  const data = slot.data;
  const v = data[0]!.get(key);
  if (v !== undefined || data.length === 1) return v;
  for (let i = 1; i < data.length; i++) {
    const w = data[i]!.get(key);
    if (w !== undefined) return w;
  }
  return undefined;
}

/** getBytes's copy of a value (this store keeps strings); grows to the longest value read. */
let scratch = Buffer.allocUnsafe(1024);

function bytesToLatin1(b: Uint8Array, offset: number, length: number): string {
  if (b instanceof Buffer) return b.latin1Slice(offset, offset + length);
  return Buffer.from(b.buffer, b.byteOffset + offset, length).latin1Slice(0, length);
}
