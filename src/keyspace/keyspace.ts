/**
 * The keyspace's small interface: what commands, the embedding API and later
 * persistence and replication may ask of storage. It knows nothing of the
 * protocol or of replies; operations return values or a status, and the
 * caller decides what to answer.
 *
 * Keys are latin1 strings (one character per byte, so any bytes round-trip).
 * A string value is a latin1 string, or a RawString when it was built in place
 * (APPEND, SETRANGE) or is too long for a JavaScript string. Other types
 * (hash, list, …) will be objects with a `type` field, or packed bytes in
 * their record. Every stored value's type and encoding is also a type byte
 * in its record (value-type.ts), which lookupType() reads without the value:
 * TYPE, OBJECT ENCODING and DEBUG OBJECT answer from it.
 *
 * Time is always passed in: every operation that may meet an expired key
 * takes the command's time snapshot `now` (milliseconds since the epoch) and
 * treats a key whose expiry is at or before it as absent, deleting it
 * (Redis's expireIfNeeded).
 */

/** A string value built or grown in place; `buf` may have spare capacity past `length`. */
export class RawString {
  readonly type = 'string' as const;
  buf: Buffer;
  length: number;
  constructor(buf: Buffer, length: number) {
    this.buf = buf;
    this.length = length;
  }
  /** The value's bytes (a view, valid until the next change). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Any non-string value kept as an object: each type is a class with a `type`
 * name as TYPE reports it and, once it implements value-type.ts's ValueType,
 * the type byte (type and encoding) its record should carry. Without one,
 * the record gets the type's large encoding.
 */
export interface TypedValue {
  readonly type: string;
  readonly typeByte?: number;
}

export type StoredValue = string | RawString | TypedValue;

/** `expireAt` for set(): remove any TTL. */
export const NO_EXPIRY = -1;
/** `expireAt` for set(): keep the key's current TTL (SET KEEPTTL, APPEND, INCR, …). */
export const KEEP_TTL = -2;

/**
 * Where a string value's bytes are, filled by Database.getBytes for the hot
 * path: `buf[offset, offset + length)`. A view into storage, valid only until
 * the keyspace next changes; copy out (into a reply) at once.
 */
export class ByteView {
  buf: Uint8Array = EMPTY_BYTES;
  offset = 0;
  length = 0;
}
const EMPTY_BYTES = new Uint8Array(0);

/** getBytes: no live key (an expired one has been deleted). */
export const LOOKUP_MISSING = 0;
/** getBytes: a string value, its bytes in the view. */
export const LOOKUP_BYTES = 1;
/** getBytes: some other value (another type, or a string kept as an object): use get(). */
export const LOOKUP_VALUE = 2;

/** What `typeName()` gives for a value, as TYPE replies. */
export function typeName(v: StoredValue): string {
  return typeof v === 'string' ? 'string' : v.type;
}

export interface Database {
  /** Its index, 0 to databases-1 (changes under SWAPDB). */
  id: number;
  /**
   * Called after a key is deleted because its time passed, by a lookup
   * (lazy expiry) or by an active-expiry step: the execution core's seam for
   * the `expired` event, WATCH and client tracking. Null: nobody is told.
   */
  onExpired: ((key: string) => void) | null;
  /**
   * Called when a key is added that the database did not hold (Redis's
   * dbAdd), before the value is in place: the `new` keyspace event. Null
   * (the default, and whenever class `n` is off) costs one test per new key.
   */
  onCreated: ((key: string) => void) | null;
  /**
   * While true nothing is deleted for its time: a key past it reads as
   * missing but stays, and the active cycle skips the database (Redis
   * keeps the dataset still while clients are paused, expireIfNeeded).
   */
  retainExpired: boolean;
  /** Keys held, including expired ones not yet reclaimed, as Redis's DBSIZE. */
  size(): number;
  /** Number of keys that carry a TTL (INFO keyspace's `expires`). */
  expiresCount(): number;
  /** The value of a live key, or undefined. */
  get(key: string, now: number): StoredValue | undefined;
  /**
   * The hot path's get(): the key is `key[offset, offset + length)` as bytes,
   * and a string value's bytes are placed in `view` rather than made into a
   * string. Returns LOOKUP_MISSING, LOOKUP_BYTES or LOOKUP_VALUE (then call
   * get() for the value). Expiry is handled exactly as by get().
   */
  getBytes(key: Uint8Array, offset: number, length: number, now: number, view: ByteView): number;
  /**
   * The hot path's set() for a string value, key and value given as bytes;
   * both are copied into storage. `expireAt` and `now` as for set().
   */
  setBytes(key: Uint8Array, keyOffset: number, keyLength: number, value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number, now?: number): void;
  /**
   * setBytes() for the key the immediately preceding getBytes() call found
   * (LOOKUP_BYTES), without finding it again: a read-modify-write such as
   * INCR. Throws when the last call was anything else.
   */
  setFoundBytes(value: Uint8Array, valueOffset: number, valueLength: number, expireAt: number): void;
  /** Whether a live key exists. */
  has(key: string, now: number): boolean;
  /**
   * The type byte (value-type.ts: type and encoding) of a live key's value,
   * read from its record without the value; TYPE_NONE (-1) when there is no
   * live key. Expiry is handled exactly as by get().
   */
  lookupType(key: string, now: number): number;
  /**
   * Stores a value. `expireAt` is an absolute time in ms, NO_EXPIRY to clear
   * the TTL, or KEEP_TTL to keep whatever TTL the key had. A string's
   * encoding is chosen as Redis's tryObjectEncoding does (`int`, `embstr`,
   * `raw`; a RawString is `raw`) unless `encoding` gives its type byte
   * (INCRBYFLOAT's plain string, COPY and RENAME keeping the source's).
   * `now`, for a write that did not look the key up first (SET, MSET): a
   * key found past its time is expired first, with the hooks, and the write
   * makes a new key, as Redis's lookupKeyWrite does.
   */
  set(key: string, value: StoredValue, expireAt: number, encoding?: number, now?: number): void;
  /** Deletes a live key; false when there was none. */
  delete(key: string, now: number): boolean;
  /** Absolute expiry in ms of an existing key, or NO_EXPIRY. */
  getExpire(key: string): number;
  /** Sets the absolute expiry of an existing key. */
  setExpire(key: string, at: number): void;
  /** Removes the TTL of an existing key; false when it had none. */
  persist(key: string): boolean;
  /** Live keys matching a glob pattern (null: all). */
  keys(pattern: string | null, now: number): string[];
  /**
   * One SCAN step from `cursor` (0 starts): calls `visit` for each live key of
   * at least `count` keys' worth of whole partitions, and returns the next
   * cursor (0 when done). Every key present for the whole scan is visited
   * exactly once. Returns -1 for a cursor that is out of range. `visit`
   * also gets the value's type byte (as lookupType() gives it).
   */
  scan(cursor: number, count: number, now: number, visit: (key: string, value: StoredValue, typeByte: number) => void): number;
  /** A random live key, or null when there is none. */
  randomKey(now: number): string | null;
  /** Removes every key. */
  clear(): void;
  /**
   * One active-expiry step: examines up to `max` keys that have a TTL,
   * continuing where the last step stopped, and deletes the expired ones.
   * Returns how many were examined and how many expired.
   */
  expireStep(now: number, max: number, out: ExpireStepResult): void;
}

export interface ExpireStepResult {
  checked: number;
  expired: number;
}
