/**
 * The record layout: where each field of a keyspace record sits, and the
 * small pure helpers that pack and unpack the header's words. Every other
 * store module addresses records through these names; none of them knows
 * what a value means (value-type.ts) or where a record lives (pages.ts).
 *
 *     byte  0        4        8           12       16       20
 *           ┌────────┬────────┬───────────┬────────┬────────┬─────────┬───────────┐
 *           │ next   │ hash   │ type|klen │ vword  │ ttl    │ key …   │ value …   │
 *           └────────┴────────┴───────────┴────────┴────────┴─────────┴───────────┘
 *
 *     next       address of the next record in the bucket's chain (0 = end);
 *                the free list's link once the record is freed
 *     hash       the key's full 32-bit hash
 *     type|klen  bits 31-24: the value's type byte (value-type.ts: type in
 *                the high nibble, encoding in the low one, Redis's OBJ_* and
 *                OBJ_ENCODING_* numbers, plus OBJ_ENCODING_BY_CONTENT for a
 *                string whose encoding its bytes decide); bits 23-0: the key's length, or
 *                KEY_LEN_ESCAPE for a key of 16 MB - 1 or more, whose length
 *                is then kept beside the index (HashIndex.longKeyLen)
 *     vword      the value's byte length when it is stored in the record,
 *                or OBJECT_BIT | handle into the object table
 *     ttl        position + 1 in the TTL index, 0 when the key has no TTL
 *
 * The words are read through a page's Int32Array at `w = (address & offMask) << 1`
 * (addresses count 8-byte units, words are 4 bytes), so field F of a record
 * is `words[w + F]`.
 */

/**
 * Word indexes of the header's fields, relative to the record's first word.
 * A const enum: tsc writes the numbers themselves into the hot paths, which
 * then load no module binding per field access.
 */
export const enum W {
  NEXT = 0,
  HASH = 1,
  KEY = 2,
  VALUE = 3,
  TTL = 4,
}

/** The layout's numbers, inlined by tsc as W's are. */
export const enum R {
  /** Bytes before the key in a record: next, hash, type|klen, vword, ttl (u32 each). */
  HEADER = 20,
  /** Bits of the key word that hold the key's length. */
  KEY_LEN_BITS = 24,
  /** The key length field; also its escape value (the length is kept aside). */
  KEY_LEN_MASK = (1 << 24) - 1,
  /** Stored in the length field of a key this long or longer (16,777,215 bytes). */
  KEY_LEN_ESCAPE = (1 << 24) - 1,
  /** Where the type byte sits in the key word. */
  TYPE_SHIFT = 24,
  /** Set in vword when the value is an object handle (the word is then negative). */
  OBJECT_BIT = 0x80000000 | 0,
  HANDLE_MASK = 0x7fffffff,
}

/** The same numbers as plain values, for tests and tools. */
export const RECORD_HEADER: number = R.HEADER;
export const KEY_LEN_ESCAPE: number = R.KEY_LEN_ESCAPE;
export const KEY_LEN_MASK: number = R.KEY_LEN_MASK;

/** What the length field holds for a key of `len` bytes. */
export function keyLenCode(len: number): number {
  return len < R.KEY_LEN_ESCAPE ? len : R.KEY_LEN_ESCAPE;
}

/** The key word for a value of type byte `typeByte` under a key of `len` bytes. */
export function keyWord(typeByte: number, len: number): number {
  return (typeByte << R.TYPE_SHIFT) | keyLenCode(len);
}

/** The type byte held in a key word. */
export function typeByteOfWord(word: number): number {
  return word >>> R.TYPE_SHIFT;
}
