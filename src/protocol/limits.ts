/**
 * Protocol limits, named as in Redis's server.h so that the counterpart is
 * easy to find. Parsers take them as constructor parameters so that tests can
 * lower them.
 */

/** Largest inline request, and longest `*N` / `$N` header line (server.h). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024; // bytes
/** Bulks at least this long are assembled in their own buffer (server.h). */
export const PROTO_MBULK_BIG_ARG = 32 * 1024; // bytes
/** Default `proto-max-bulk-len`: 512 MB, as in redis.conf. */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024; // bytes
/**
 * Largest multibulk count. Redis 7.0 accepts up to INT_MAX (Redis 6 stopped at
 * 1024*1024); since argument slots are allocated only as arguments arrive, a
 * large announced count costs nothing.
 */
export const PROTO_MULTIBULK_MAX = 2147483647; // INT_MAX
/**
 * Longest argument kept as a JavaScript string. V8 caps strings at 2^29-24
 * characters, below proto-max-bulk-len, so arguments longer than this stay
 * Buffers. 2^28 leaves room for concatenation (APPEND) below V8's cap.
 */
export const STRING_ARG_MAX = 1 << 28; // bytes

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen: number;
  /** PROTO_INLINE_MAX_SIZE */
  maxInlineSize: number;
  /** largest accepted multibulk count */
  maxMultibulkLen: number;
  /** bulks at least this long are assembled in place (PROTO_MBULK_BIG_ARG) */
  bigArg: number;
  /** longest argument returned as a latin1 string rather than a Buffer */
  stringArgMax: number;
}

export const DEFAULT_LIMITS: ParserLimits = {
  maxBulkLen: PROTO_MAX_BULK_LEN,
  maxInlineSize: PROTO_INLINE_MAX_SIZE,
  maxMultibulkLen: PROTO_MULTIBULK_MAX,
  bigArg: PROTO_MBULK_BIG_ARG,
  stringArgMax: STRING_ARG_MAX,
};
