/**
 * The type layer: what a stored value is, as Redis's robj type/encoding pair
 * says it (server.h OBJ_* and OBJ_ENCODING_*), and the one interface every
 * value type implements. Each record carries a type byte (record.ts): the
 * type in the high nibble and the encoding in the low one, with Redis's own
 * numbers, so TYPE, OBJECT ENCODING and DEBUG OBJECT answer from the record
 * without looking at the value, and a command can refuse a wrong type before
 * decoding anything.
 *
 * It knows nothing of the store's pages or index, and nothing of replies.
 *
 * Strings are the one type so far. Their encoding is decided when they are
 * written, as object.c's tryObjectEncoding decides it for SET and its kin
 * (stringEncodingOfBytes), or given by the writer where Redis skips that
 * step: APPEND and SETRANGE build `raw` strings in place (a RawString), and
 * INCRBYFLOAT's result is a plain createStringObject (`embstr` or `raw`,
 * never `int`). docs/keyspace.md describes how the next types plug in.
 */
import { RawString, type StoredValue, type TypedValue } from './keyspace.js';

// server.h: the type codes (OBJ_MODULE, 5, is not ours).
export const OBJ_STRING = 0;
export const OBJ_LIST = 1;
export const OBJ_SET = 2;
export const OBJ_ZSET = 3;
export const OBJ_HASH = 4;
export const OBJ_STREAM = 6;

// server.h: the encoding codes.
export const OBJ_ENCODING_RAW = 0;
export const OBJ_ENCODING_INT = 1;
export const OBJ_ENCODING_HT = 2;
export const OBJ_ENCODING_ZIPMAP = 3;
export const OBJ_ENCODING_LINKEDLIST = 4;
export const OBJ_ENCODING_ZIPLIST = 5;
export const OBJ_ENCODING_INTSET = 6;
export const OBJ_ENCODING_SKIPLIST = 7;
export const OBJ_ENCODING_EMBSTR = 8;
export const OBJ_ENCODING_QUICKLIST = 9;
export const OBJ_ENCODING_STREAM = 10;
export const OBJ_ENCODING_LISTPACK = 11;

/**
 * mini-kv's own encoding code, never answered to a client: a string held in
 * its record whose encoding is tryObjectEncoding's choice for its bytes
 * (stringEncodingOfBytes). That choice depends on the bytes alone, so the
 * hot write paths (SET, MSET, INCR) record this constant and lookupType()
 * resolves it to `int`, `embstr` or `raw` when asked: the write pays nothing
 * for the type layer. Redis's codes stop at 11.
 */
export const OBJ_ENCODING_BY_CONTENT = 15;

/** What lookupType() answers for a missing key (no type byte is negative). */
export const TYPE_NONE = -1;

/** The type byte of type `type` in encoding `encoding`. */
export function typeByte(type: number, encoding: number): number {
  return (type << 4) | encoding;
}
export function typeOfByte(b: number): number {
  return b >>> 4;
}
export function encodingOfByte(b: number): number {
  return b & 15;
}

/** TYPE's reply per type code (object.c getObjectTypeByName's names). */
const TYPE_NAMES: readonly string[] = ['string', 'list', 'set', 'zset', 'hash', 'module', 'stream'];
/** OBJECT ENCODING's reply per encoding code (object.c strEncoding). */
const ENCODING_NAMES: readonly string[] = [
  'raw', 'int', 'hashtable', 'zipmap', 'linkedlist', 'ziplist', 'intset', 'skiplist', 'embstr', 'quicklist', 'stream', 'listpack',
];

/** TYPE's reply for a type byte. */
export function typeNameOfByte(b: number): string {
  return TYPE_NAMES[typeOfByte(b)] ?? 'unknown';
}
/** OBJECT ENCODING's reply for a type byte. */
export function encodingNameOfByte(b: number): string {
  return ENCODING_NAMES[encodingOfByte(b)] ?? 'unknown';
}

/**
 * What every value type provides. The store calls typeByteOf when it keeps a
 * value as an object; commands reach the rest through valueTypeOf(byte).
 */
export interface ValueType {
  /** The type code (OBJ_*), the type byte's high nibble. */
  readonly id: number;
  /** As TYPE replies. */
  readonly name: string;
  /** As OBJECT ENCODING replies, for the type byte's low nibble. */
  encodingName(encoding: number): string;
  /** The type byte to record for `value` when it is written as an object. */
  typeByteOf(value: StoredValue): number;
  /** Bytes the value's contents take (not the record's header or key): MEMORY USAGE's part for it. */
  memoryUsage(value: StoredValue): number;
  /** A copy that shares nothing mutable with `value` (COPY; dupStringObject and its kin). */
  clone(value: StoredValue): StoredValue;
  /** Calls `visit` with each element in order (a string: its bytes, once); DEBUG DIGEST and persistence walk values this way. */
  forEach(value: StoredValue, visit: (element: Uint8Array) => void): void;
  /**
   * The value in RDB's form for its type and encoding (rdb.c rdbSaveObject),
   * without the type opcode: persistence's and DUMP's placeholder until they
   * exist, and DEBUG OBJECT's serializedlength.
   */
  serialize(value: StoredValue, encoding: number): Uint8Array;
  /**
   * For a type with a packed encoding held in the record itself (the next
   * types' listpack and intset forms; docs/keyspace.md): the value of the
   * payload `buf[offset, offset + length)` as get() returns it. Strings
   * leave it out: the store reads their bytes itself.
   */
  fromRecord?(encoding: number, buf: Buffer, offset: number, length: number): StoredValue;
}

// ---- strings -----------------------------------------------------------------

/** object.c OBJ_ENCODING_EMBSTR_SIZE_LIMIT: strings up to this long are `embstr`. */
export const OBJ_ENCODING_EMBSTR_SIZE_LIMIT = 44; // bytes
/** Longest text of a 64-bit integer ("-9223372036854775808"): tryObjectEncoding's `len <= 20`. */
const MAX_INT64_CHARS = 20;
/** Digits of 2^63 - 1, the bound of a 19-digit integer (a negative one may end in 8). */
const INT64_MAX_DIGITS = Uint8Array.from('9223372036854775807', (c) => c.charCodeAt(0));
const CHAR_0 = 48;
const CHAR_9 = 57;
const CHAR_MINUS = 45;

export const STRING_INT = typeByte(OBJ_STRING, OBJ_ENCODING_INT);
export const STRING_EMBSTR = typeByte(OBJ_STRING, OBJ_ENCODING_EMBSTR);
export const STRING_RAW = typeByte(OBJ_STRING, OBJ_ENCODING_RAW);
/** A string in its record, encoded as its bytes say (OBJ_ENCODING_BY_CONTENT); resolved before anyone sees it. */
export const STRING_BY_CONTENT = typeByte(OBJ_STRING, OBJ_ENCODING_BY_CONTENT);

/**
 * Whether b[off, off + len) is a 64-bit integer as util.c string2ll accepts
 * it: an optional '-', no leading zero (but "0"), no sign on zero, no spaces,
 * within [-2^63, 2^63 - 1]. Costs one compare for text that starts with
 * neither a digit nor '-'.
 */
export function isInt64Text(b: ArrayLike<number>, off: number, len: number): boolean {
  if (len === 0 || len > MAX_INT64_CHARS) return false;
  let i = off;
  const end = off + len;
  let negative = false;
  let c = b[i]!;
  if (c === CHAR_MINUS) {
    negative = true;
    if (++i === end) return false;
    c = b[i]!;
  } else if (c < CHAR_0 || c > CHAR_9) {
    return false;
  }
  if (c === CHAR_0) return len === 1; // "0" alone; "-0", "01" are not canonical
  if (c < CHAR_0 || c > CHAR_9) return false;
  for (let j = i + 1; j < end; j++) {
    const d = b[j]!;
    if (d < CHAR_0 || d > CHAR_9) return false;
  }
  const digits = end - i;
  if (digits < 19) return true;
  if (digits > 19) return false;
  for (let j = 0; j < 19; j++) {
    const d = b[i + j]!;
    const m = INT64_MAX_DIGITS[j]!;
    if (d !== m) return d < m || (negative && j === 18 && d === m + 1);
  }
  return true;
}

/**
 * tryObjectEncoding's choice for a string written by SET, MSET, GETSET,
 * SETNX/SETEX/PSETEX, APPEND to a new key and the INCR family: `int` for a
 * 64-bit integer's canonical text, `embstr` up to 44 bytes, `raw` beyond.
 */
export function stringEncodingOfBytes(b: Uint8Array, off: number, len: number): number {
  if (len > OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return STRING_RAW;
  return isInt64Text(b, off, len) ? STRING_INT : STRING_EMBSTR;
}

/** stringEncodingOfBytes for a latin1 string. */
export function stringEncodingOfText(s: string): number {
  const len = s.length;
  if (len > OBJ_ENCODING_EMBSTR_SIZE_LIMIT) return STRING_RAW;
  return isInt64String(s) ? STRING_INT : STRING_EMBSTR;
}

/** isInt64Text for a latin1 string. */
export function isInt64String(s: string): boolean {
  const len = s.length;
  if (len === 0 || len > MAX_INT64_CHARS) return false;
  let i = 0;
  let negative = false;
  let c = s.charCodeAt(0);
  if (c === CHAR_MINUS) {
    negative = true;
    if (++i === len) return false;
    c = s.charCodeAt(i);
  } else if (c < CHAR_0 || c > CHAR_9) {
    return false;
  }
  if (c === CHAR_0) return len === 1;
  if (c < CHAR_0 || c > CHAR_9) return false;
  for (let j = i + 1; j < len; j++) {
    const d = s.charCodeAt(j);
    if (d < CHAR_0 || d > CHAR_9) return false;
  }
  const digits = len - i;
  if (digits < 19) return true;
  if (digits > 19) return false;
  for (let j = 0; j < 19; j++) {
    const d = s.charCodeAt(i + j);
    const m = INT64_MAX_DIGITS[j]!;
    if (d !== m) return d < m || (negative && j === 18 && d === m + 1);
  }
  return true;
}

/** createStringObject's choice (no integer attempt): INCRBYFLOAT's result, COPY of a float's text … */
export function plainStringEncoding(len: number): number {
  return len <= OBJ_ENCODING_EMBSTR_SIZE_LIMIT ? STRING_EMBSTR : STRING_RAW;
}

/** A string value's bytes: a latin1 string's, copied, or a RawString's, viewed. */
export function stringBytes(v: string | RawString): Uint8Array {
  return typeof v === 'string' ? Buffer.from(v, 'latin1') : v.bytes();
}

// rdb.c's string forms.
const RDB_ENC_INT8 = 0xc0;
const RDB_ENC_INT16 = 0xc1;
const RDB_ENC_INT32 = 0xc2;
const RDB_6BITLEN = 0;
const RDB_14BITLEN = 0x40;
const RDB_32BITLEN = 0x80;
const RDB_64BITLEN = 0x81;

/** rdbSaveLen's bytes for `n`. */
function rdbLen(n: number): Buffer {
  if (n < 1 << 6) return Buffer.from([RDB_6BITLEN | n]);
  if (n < 1 << 14) return Buffer.from([RDB_14BITLEN | (n >> 8), n & 0xff]);
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = RDB_32BITLEN;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = RDB_64BITLEN;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

/** rdbEncodeInteger: the integer form of `n` when it fits 32 bits, else null. */
function rdbInteger(n: bigint): Buffer | null {
  if (n >= -128n && n <= 127n) return Buffer.from([RDB_ENC_INT8, Number(n) & 0xff]);
  if (n >= -32768n && n <= 32767n) {
    const b = Buffer.alloc(3);
    b[0] = RDB_ENC_INT16;
    b.writeInt16LE(Number(n), 1);
    return b;
  }
  if (n >= -2147483648n && n <= 2147483647n) {
    const b = Buffer.alloc(5);
    b[0] = RDB_ENC_INT32;
    b.writeInt32LE(Number(n), 1);
    return b;
  }
  return null;
}

/** Strings: latin1 JavaScript strings or RawStrings, usually held as bytes in their record. */
export const STRING_TYPE: ValueType = {
  id: OBJ_STRING,
  name: 'string',
  encodingName(encoding: number): string {
    return ENCODING_NAMES[encoding] ?? 'unknown';
  },
  typeByteOf(value: StoredValue): number {
    if (typeof value === 'string') return stringEncodingOfText(value);
    return STRING_RAW;
  },
  memoryUsage(value: StoredValue): number {
    if (typeof value === 'string') return value.length;
    return (value as RawString).buf.length;
  },
  clone(value: StoredValue): StoredValue {
    // A latin1 string is immutable and shared as is; a RawString is edited in place, so it is copied.
    if (typeof value === 'string') return value;
    const raw = value as RawString;
    const bytes = Buffer.allocUnsafe(raw.length);
    raw.buf.copy(bytes, 0, 0, raw.length);
    return new RawString(bytes, raw.length);
  },
  forEach(value: StoredValue, visit: (element: Uint8Array) => void): void {
    visit(stringBytes(value as string | RawString));
  },
  /**
   * rdbSaveStringObject / rdbSaveRawString, without LZF: an integer that
   * fits 32 bits in integer form (an `int` value, or a raw one of at most 11
   * bytes that reads as one), anything else as length and bytes.
   */
  serialize(value: StoredValue, encoding: number): Uint8Array {
    const bytes = stringBytes(value as string | RawString);
    if ((encoding === OBJ_ENCODING_INT || bytes.length <= 11) && isInt64Text(bytes, 0, bytes.length)) {
      const n = rdbInteger(BigInt(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).latin1Slice(0, bytes.length)));
      if (n !== null) return n;
    }
    return Buffer.concat([rdbLen(bytes.length), bytes]);
  },
};

/** TYPE names to codes, for objects that name their type but carry no type byte. */
const TYPE_IDS: Record<string, number> = { string: OBJ_STRING, list: OBJ_LIST, set: OBJ_SET, zset: OBJ_ZSET, hash: OBJ_HASH, stream: OBJ_STREAM };
/** The large encoding of each type, for such objects. */
const LARGE_ENCODINGS: readonly number[] = [OBJ_ENCODING_RAW, OBJ_ENCODING_QUICKLIST, OBJ_ENCODING_HT, OBJ_ENCODING_SKIPLIST, OBJ_ENCODING_HT, 0, OBJ_ENCODING_STREAM];

/** The registered value types by code; the next issue's types add themselves here. */
const VALUE_TYPES: (ValueType | undefined)[] = [STRING_TYPE];

/** The implementation of type code `id`, or undefined when none is registered yet. */
export function valueTypeOf(id: number): ValueType | undefined {
  return VALUE_TYPES[id];
}

/** The type byte the store records for a value kept as an object. */
export function typeByteOfValue(v: StoredValue): number {
  if (typeof v === 'string' || v instanceof RawString) return STRING_TYPE.typeByteOf(v);
  const typed = v as TypedValue;
  if (typed.typeByte !== undefined) return typed.typeByte;
  const id = TYPE_IDS[typed.type];
  if (id === undefined) throw new TypeError(`unknown value type ${typed.type}`);
  return typeByte(id, LARGE_ENCODINGS[id]!);
}
