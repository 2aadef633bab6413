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
 *                OBJ_ENCODING_* numbers); bits 23-0: the key's length, or
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

/** Bytes before the key in a record: next, hash, type|klen, vword, ttl (u32 each). */
export const RECORD_HEADER = 20;

/** Word indexes of the header's fields, relative to the record's first word. */
export const W_NEXT = 0;
export const W_HASH = 1;
export const W_KEY = 2;
export const W_VALUE = 3;
export const W_TTL = 4;

/** Bits of the key word that hold the key's length. */
export const KEY_LEN_BITS = 24;
/** The key length field; also its escape value (the length is kept aside). */
export const KEY_LEN_MASK = (1 << KEY_LEN_BITS) - 1;
/** Stored in the length field of a key this long or longer (16,777,215 bytes). */
export const KEY_LEN_ESCAPE = KEY_LEN_MASK;
/** Where the type byte sits in the key word. */
export const TYPE_SHIFT = KEY_LEN_BITS;

/** Set in vword when the value is an object handle (the word is then negative). */
export const OBJECT_BIT = 0x80000000 | 0;
export const HANDLE_MASK = 0x7fffffff;

/** What the length field holds for a key of `len` bytes. */
export function keyLenCode(len: number): number {
  return len < KEY_LEN_ESCAPE ? len : KEY_LEN_ESCAPE;
}

/** The key word for a value of type byte `typeByte` under a key of `len` bytes. */
export function keyWord(typeByte: number, len: number): number {
  return (typeByte << TYPE_SHIFT) | keyLenCode(len);
}

/** The type byte held in a key word. */
export function typeByteOfWord(word: number): number {
  return word >>> TYPE_SHIFT;
}
