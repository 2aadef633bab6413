/**
 * The `string` group: GET, SET and its variants (SETNX, SETEX, PSETEX,
 * GETSET), GETDEL, GETEX, MGET, MSET, MSETNX, APPEND, STRLEN, GETRANGE,
 * SUBSTR, SETRANGE and the INCR family, with Redis 7.0's semantics and
 * replies (t_string.c).
 *
 * A string value is a latin1 JavaScript string (what SET, MSET and INCR
 * store: already a copy of the request's bytes), or a RawString, a Buffer
 * with spare capacity that APPEND and SETRANGE modify in place, as Redis
 * grows an sds: doubling below 1 MB, then 1 MB at a time, so that repeated
 * APPENDs cost amortised O(1). Every reader handles both forms. Any other
 * stored value is another type and gets WRONGTYPE.
 *
 * Reads (GET, MGET, GETRANGE, STRLEN, GETEX, GETDEL, GETSET, SET … GET) look
 * keys up through lookupRead, so they count keyspace hits and misses as
 * Redis's lookupKeyRead does; writes look up with ctx.db directly.
 *
 * INCRBYFLOAT's long double arithmetic lives in long-double.ts.
 */
import { NOTIFY_GENERIC, NOTIFY_STRING } from './signals.js';
import { KEY_ARG, type ArgSpec, type CommandSpec, type CommandContext, type KeySpec } from './table.js';
import { parseIntBytes, type Arg, type RawRequest } from '../protocol/resp-parser.js';
import { argString, parseInt64, parseSafeInt, tokenIs, INT64_MAX, INT64_MIN } from './args.js';
import '../protocol/buffer-ext.js';
import { keyMissed, lookupRead } from './lookup.js';
import { addLongDouble, formatLongDouble, parseLongDouble, type LongDouble } from './long-double.js';
import { KEEP_TTL, LOOKUP_MISSING, LOOKUP_VALUE, NO_EXPIRY, RawString, type StoredValue } from '../keyspace/keyspace.js';
import { STRING_RAW, encodingNameOfByte, plainStringEncoding, stringEncodingOfText } from '../keyspace/value-type.js';
import {
  DECR_OVERFLOW, INCR_FLOAT_NAN, NOT_FLOAT, NOT_INTEGER, OFFSET_OUT_OF_RANGE, OVERFLOW, STRING_TOO_LONG,
  SYNTAX_ERR, WRONGTYPE, invalidExpireTime, wrongArity,
} from '../errors.js';

// ---- values ---------------------------------------------------------------

/** Redis's SDS_MAX_PREALLOC: below it a growing string doubles, past it grows by this much. */
const SDS_MAX_PREALLOC = 1024 * 1024; // bytes
/** Longest text of a 64-bit integer ("-9223372036854775808"). */
const MAX_INT64_CHARS = 20;
/** Redis's MAX_LONG_DOUBLE_CHARS: longer text is never a valid float. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

type StringValue = string | RawString;

function isString(v: StoredValue): v is StringValue {
  return typeof v === 'string' || v instanceof RawString;
}

/** What to store for a value argument: the latin1 string itself, or the huge bulk's own Buffer. */
function storedFromArg(a: Arg): StringValue {
  return typeof a === 'string' ? a : new RawString(a, a.length);
}

function replyValue(ctx: CommandContext, v: StringValue): void {
  if (typeof v === 'string') ctx.reply.bulk(v);
  else ctx.reply.bulkBuffer(v.bytes());
}

/** The value's text, for parsing numbers; only called on short values. */
function valueText(v: StringValue): string {
  return typeof v === 'string' ? v : v.buf.latin1Slice(0, v.length);
}

/** Copies an argument's bytes into `buf` at `offset` (room already made). */
function writeArg(buf: Buffer, offset: number, a: Arg): void {
  if (typeof a === 'string') buf.latin1Write(a, offset, a.length);
  else a.copy(buf, offset);
}

/** sdsMakeRoomFor's greedy policy: the capacity to allocate for `needed` bytes. */
function greedyCapacity(needed: number): number {
  return needed < SDS_MAX_PREALLOC ? needed * 2 : needed + SDS_MAX_PREALLOC;
}

/**
 * Redis's dbUnshareStringValue plus sdsMakeRoomFor: the RawString to modify
 * in place for `key`, holding `v`'s bytes, with room for `needed` bytes. A
 * latin1 string is copied into a new RawString stored under the key (TTL
 * kept); a RawString grows greedily when it is too small.
 */
function rawForUpdate(ctx: CommandContext, key: string, v: StringValue, needed: number): RawString {
  if (typeof v !== 'string') {
    if (v.buf.length < needed) {
      const grown = Buffer.allocUnsafe(greedyCapacity(needed));
      v.buf.copy(grown, 0, 0, v.length);
      v.buf = grown;
    }
    return v;
  }
  const buf = Buffer.allocUnsafe(needed > v.length ? greedyCapacity(needed) : v.length);
  buf.latin1Write(v, 0, v.length);
  const raw = new RawString(buf, v.length);
  ctx.db.set(key, raw, KEEP_TTL);
  return raw;
}

function maxBulkLen(ctx: CommandContext): number {
  return ctx.server.config.getInt('proto-max-bulk-len');
}

/**
 * OBJECT ENCODING of a string value written by SET and its kin, as Redis's
 * tryObjectEncoding leaves it (value-type.ts decides; the store records it
 * in the key's type byte): `int`, `embstr` up to 44 bytes, `raw` beyond,
 * and `raw` for any value built in place (APPEND, SETRANGE).
 */
export function stringEncoding(v: string | RawString): string {
  return encodingNameOfByte(typeof v === 'string' ? stringEncodingOfText(v) : STRING_RAW);
}

/**
 * An integer argument with string2ll's rules, as a number: exact up to 2^53,
 * approximate beyond (enough for indexes and offsets compared with lengths).
 * NaN when it is not a 64-bit integer.
 */
function parseLongArg(a: Arg): number {
  const v = parseSafeInt(a);
  if (!Number.isNaN(v)) return v;
  const big = parseInt64(a);
  return big === null ? NaN : Number(big);
}

// ---- SET and its options ----------------------------------------------------

// The option flags of Redis's parseExtendedStringArgumentsOrReply.
const OBJ_SET_NX = 1 << 0;
const OBJ_SET_XX = 1 << 1;
const OBJ_EX = 1 << 2;
const OBJ_PX = 1 << 3;
const OBJ_KEEPTTL = 1 << 4;
const OBJ_SET_GET = 1 << 5;
const OBJ_EXAT = 1 << 6;
const OBJ_PXAT = 1 << 7;
const OBJ_PERSIST = 1 << 8;
const ANY_EXPIRE = OBJ_EX | OBJ_PX | OBJ_EXAT | OBJ_PXAT;

const COMMAND_GET = 0;
const COMMAND_SET = 1;

/** Milliseconds per unit of an expire argument. */
const UNIT_SECONDS = 1000;
const UNIT_MILLISECONDS = 1;

/** LLONG_MAX / 1000: more seconds than this overflow when converted to ms. */
const MAX_EXPIRE_SECONDS = INT64_MAX / 1000n;

/** What parseSetOptionsOrReply returns after replying with a syntax error. */
const OPTIONS_REPLIED = -1;
/** What expireAtOrReply returns after replying with an error (never a valid time: those are > 0). */
const EXPIRE_REPLIED = -1;

/**
 * parseSetOptionsOrReply returns the index of the EX/PX/EXAT/PXAT argument
 * (0 when none) in the flags' bits from here up, so it needs neither a
 * result object nor a slot outside the call; optionExpireAtOrReply reads it.
 */
const EXPIRE_INDEX_SHIFT = 16;

/**
 * Redis's parseExtendedStringArgumentsOrReply, shared by SET (options from
 * argv[3]) and GETEX (from argv[2]). Returns the flags, or OPTIONS_REPLIED
 * after replying `syntax error` to an unknown token, an option of the other
 * command, a missing time, or a conflicting pair (NX with XX, two different
 * expire kinds, KEEPTTL or PERSIST with an expire). Repeating the same
 * option is allowed, as in Redis; the last time given wins.
 */
function parseSetOptionsOrReply(ctx: CommandContext, argv: Arg[], commandType: number): number {
  const isSet = commandType === COMMAND_SET;
  let flags = 0;
  let expireIndex = 0;
  for (let j = isSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!;
    const hasNext = j < argv.length - 1;
    if (isSet && tokenIs(opt, 'NX') && !(flags & OBJ_SET_XX)) {
      flags |= OBJ_SET_NX;
    } else if (isSet && tokenIs(opt, 'XX') && !(flags & OBJ_SET_NX)) {
      flags |= OBJ_SET_XX;
    } else if (isSet && tokenIs(opt, 'GET')) {
      flags |= OBJ_SET_GET;
    } else if (isSet && tokenIs(opt, 'KEEPTTL') && !(flags & (OBJ_PERSIST | ANY_EXPIRE))) {
      flags |= OBJ_KEEPTTL;
    } else if (!isSet && tokenIs(opt, 'PERSIST') && !(flags & (OBJ_KEEPTTL | ANY_EXPIRE))) {
      flags |= OBJ_PERSIST;
    } else if (hasNext && tokenIs(opt, 'EX') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | (ANY_EXPIRE & ~OBJ_EX)))) {
      flags |= OBJ_EX;
      expireIndex = ++j;
    } else if (hasNext && tokenIs(opt, 'PX') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | (ANY_EXPIRE & ~OBJ_PX)))) {
      flags |= OBJ_PX;
      expireIndex = ++j;
    } else if (hasNext && tokenIs(opt, 'EXAT') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | (ANY_EXPIRE & ~OBJ_EXAT)))) {
      flags |= OBJ_EXAT;
      expireIndex = ++j;
    } else if (hasNext && tokenIs(opt, 'PXAT') && !(flags & (OBJ_KEEPTTL | OBJ_PERSIST | (ANY_EXPIRE & ~OBJ_PXAT)))) {
      flags |= OBJ_PXAT;
      expireIndex = ++j;
    } else {
      ctx.reply.error(SYNTAX_ERR);
      return OPTIONS_REPLIED;
    }
  }
  return flags | (expireIndex << EXPIRE_INDEX_SHIFT);
}

/**
 * Redis's getExpireMillisecondsOrReply: the absolute expiry time in ms for an
 * expire argument, converted once against the command's time snapshot, or
 * EXPIRE_REPLIED after replying. `relative` is true for EX/PX (add ctx.now).
 * Errors: not an integer; `invalid expire time in '<cmd>' command` for a
 * value ≤ 0, seconds that overflow when made ms, or a sum past 2^63-1 (where
 * Redis's signed addition wraps negative).
 */
function expireAtOrReply(ctx: CommandContext, arg: Arg, unit: number, relative: boolean, cmd: string): number {
  const v = parseSafeInt(arg);
  if (!Number.isNaN(v)) {
    if (v <= 0) {
      ctx.reply.error(invalidExpireTime(cmd));
      return EXPIRE_REPLIED;
    }
    const at = v * unit + (relative ? ctx.now : 0);
    if (at <= Number.MAX_SAFE_INTEGER) return at;
  }
  // Beyond 2^53: check the 64-bit bounds exactly.
  const big = parseInt64(arg);
  if (big === null) {
    ctx.reply.error(NOT_INTEGER);
    return EXPIRE_REPLIED;
  }
  if (big <= 0n || (unit === UNIT_SECONDS && big > MAX_EXPIRE_SECONDS)) {
    ctx.reply.error(invalidExpireTime(cmd));
    return EXPIRE_REPLIED;
  }
  const at = big * BigInt(unit) + (relative ? BigInt(ctx.now) : 0n);
  if (at > INT64_MAX) {
    ctx.reply.error(invalidExpireTime(cmd));
    return EXPIRE_REPLIED;
  }
  return Number(at);
}

/** The absolute expiry for the EX/PX/EXAT/PXAT option in `flags`, at the argument index the flags carry. */
function optionExpireAtOrReply(ctx: CommandContext, argv: Arg[], flags: number, cmd: string): number {
  const unit = flags & (OBJ_PX | OBJ_PXAT) ? UNIT_MILLISECONDS : UNIT_SECONDS;
  return expireAtOrReply(ctx, argv[flags >>> EXPIRE_INDEX_SHIFT]!, unit, (flags & (OBJ_EX | OBJ_PX)) !== 0, cmd);
}

// The replies setGeneric gives on success and when NX/XX stops it.
const REPLY_SET_OK = 0; // +OK; `(nil)` in the text dialect, as the seed answered SET
const REPLY_OK = 1;
const REPLY_ONE = 2;
const REPLY_ZERO = 3;
const REPLY_NULL = 4;

function replyWith(ctx: CommandContext, kind: number): void {
  switch (kind) {
    case REPLY_SET_OK: ctx.reply.setOk(); break;
    case REPLY_OK: ctx.reply.ok(); break;
    case REPLY_ONE: ctx.reply.integer(1); break;
    case REPLY_ZERO: ctx.reply.integer(0); break;
    default: ctx.reply.nullBulk();
  }
}

/**
 * Redis's getGenericCommand: replies with the value, nil when missing, or
 * WRONGTYPE; returns false only after WRONGTYPE.
 */
function getGeneric(ctx: CommandContext, key: string): boolean {
  const v = lookupRead(ctx, key);
  if (v === undefined) {
    ctx.reply.nullBulk();
    return true;
  }
  if (!isString(v)) {
    ctx.reply.error(WRONGTYPE);
    return false;
  }
  replyValue(ctx, v);
  return true;
}

/**
 * Redis's setGenericCommand, behind SET, SETNX, SETEX and PSETEX. `expireAt`
 * is the absolute expiry already validated (or NO_EXPIRY / KEEP_TTL). With
 * GET it first replies the old value (or WRONGTYPE, and stops), and then
 * gives no other reply; otherwise it replies `okReply` when it stores and
 * `abortReply` when NX or XX stops it.
 */
function setGeneric(ctx: CommandContext, argv: Arg[], flags: number, key: string, value: Arg, expireAt: number, okReply: number, abortReply: number): void {
  const withGet = (flags & OBJ_SET_GET) !== 0;
  if (withGet && !getGeneric(ctx, key)) return;
  if (flags & (OBJ_SET_NX | OBJ_SET_XX)) {
    const found = ctx.db.has(key, ctx.now);
    if (flags & OBJ_SET_NX ? found : !found) {
      if (!withGet) replyWith(ctx, abortReply);
      return;
    }
  }
  ctx.db.set(key, storedFromArg(value), expireAt, undefined, ctx.now);
  const signals = ctx.server.signals;
  signals.changed(ctx.db, key, NOTIFY_STRING, 'set');
  if (expireAt >= 0) signals.notify(NOTIFY_GENERIC, 'expire', key, ctx.db.id);
  if (!withGet) replyWith(ctx, okReply);
  if (ctx.server.propagation.active) propagateSet(ctx, argv, flags, key, value, expireAt);
}

/**
 * How setGeneric's command goes to the propagation stream, as Redis 7.0.15
 * rewrites it: a relative or second-based expiry becomes SET key value PXAT
 * ms; otherwise any GET is dropped.
 */
function propagateSet(ctx: CommandContext, argv: Arg[], flags: number, key: string, value: Arg, expireAt: number): void {
  if (expireAt >= 0 && !(flags & OBJ_PXAT)) {
    ctx.server.propagation.rewrite(['SET', key, value, 'PXAT', String(expireAt)]);
  } else if (flags & OBJ_SET_GET) {
    const out: Arg[] = [];
    for (let j = 0; j < argv.length; j++) if (j < 3 || argString(argv[j]!).toLowerCase() !== 'get') out.push(argv[j]!);
    ctx.server.propagation.rewrite(out);
  }
}

// GET key
function getCommand(ctx: CommandContext, argv: Arg[]): void {
  getGeneric(ctx, argString(argv[1]!));
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
//     EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function setCommand(ctx: CommandContext, argv: Arg[]): void {
  let flags = 0;
  let expireAt = NO_EXPIRY;
  if (argv.length > 3) {
    flags = parseSetOptionsOrReply(ctx, argv, COMMAND_SET);
    if (flags === OPTIONS_REPLIED) return;
    if (flags & ANY_EXPIRE) {
      expireAt = optionExpireAtOrReply(ctx, argv, flags, 'set');
      if (expireAt === EXPIRE_REPLIED) return;
    } else if (flags & OBJ_KEEPTTL) {
      expireAt = KEEP_TTL;
    }
  }
  setGeneric(ctx, argv, flags, argString(argv[1]!), argv[2]!, expireAt, REPLY_SET_OK, REPLY_NULL);
}

// SETNX key value
function setnxCommand(ctx: CommandContext, argv: Arg[]): void {
  setGeneric(ctx, argv, OBJ_SET_NX, argString(argv[1]!), argv[2]!, NO_EXPIRY, REPLY_ONE, REPLY_ZERO);
}

// SETEX key seconds value
function setexCommand(ctx: CommandContext, argv: Arg[]): void {
  const expireAt = expireAtOrReply(ctx, argv[2]!, UNIT_SECONDS, true, 'setex');
  if (expireAt === EXPIRE_REPLIED) return;
  setGeneric(ctx, argv, OBJ_EX, argString(argv[1]!), argv[3]!, expireAt, REPLY_OK, REPLY_NULL);
}

// PSETEX key milliseconds value
function psetexCommand(ctx: CommandContext, argv: Arg[]): void {
  const expireAt = expireAtOrReply(ctx, argv[2]!, UNIT_MILLISECONDS, true, 'psetex');
  if (expireAt === EXPIRE_REPLIED) return;
  setGeneric(ctx, argv, OBJ_PX, argString(argv[1]!), argv[3]!, expireAt, REPLY_OK, REPLY_NULL);
}

// GETSET key value  (clears any TTL, as SET does)
function getsetCommand(ctx: CommandContext, argv: Arg[]): void {
  const key = argString(argv[1]!);
  if (!getGeneric(ctx, key)) return;
  ctx.db.set(key, storedFromArg(argv[2]!), NO_EXPIRY);
  ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'set');
  if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['SET', argv[1]!, argv[2]!]);
}

// GETDEL key
function getdelCommand(ctx: CommandContext, argv: Arg[]): void {
  const key = argString(argv[1]!);
  if (!getGeneric(ctx, key)) return;
  if (!ctx.db.delete(key, ctx.now)) return;
  ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'del');
  if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['DEL', argv[1]!]);
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//     PXAT unix-time-milliseconds | PERSIST]
// Syntax is checked first; a missing key then answers nil whatever the time
// says, and the time is validated only for a string value (as in Redis).
function getexCommand(ctx: CommandContext, argv: Arg[]): void {
  const flags = argv.length > 2 ? parseSetOptionsOrReply(ctx, argv, COMMAND_GET) : 0;
  if (flags === OPTIONS_REPLIED) return;
  const key = argString(argv[1]!);
  const v = lookupRead(ctx, key);
  if (v === undefined) {
    ctx.reply.nullBulk();
    return;
  }
  if (!isString(v)) {
    ctx.reply.error(WRONGTYPE);
    return;
  }
  let expireAt = NO_EXPIRY;
  if (flags & ANY_EXPIRE) {
    expireAt = optionExpireAtOrReply(ctx, argv, flags, 'getex');
    if (expireAt === EXPIRE_REPLIED) return;
  }
  replyValue(ctx, v);
  if ((flags & (OBJ_EXAT | OBJ_PXAT)) !== 0 && expireAt <= ctx.now) {
    // An absolute time already past deletes the key (checkAlreadyExpired).
    ctx.db.delete(key, ctx.now);
    ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'del');
    if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['DEL', argv[1]!]);
  } else if (flags & ANY_EXPIRE) {
    ctx.db.setExpire(key, expireAt);
    ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'expire');
    if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['PEXPIREAT', argv[1]!, String(expireAt)]);
  } else if (flags & OBJ_PERSIST) {
    if (!ctx.db.persist(key)) return;
    ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'persist');
    if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['PERSIST', argv[1]!]);
  }
}

// ---- several keys -------------------------------------------------------------

// MGET key [key ...]  (a key of another type answers nil, not WRONGTYPE)
function mgetCommand(ctx: CommandContext, argv: Arg[]): void {
  ctx.reply.arrayHeader(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const v = lookupRead(ctx, argString(argv[j]!));
    if (v !== undefined && isString(v)) replyValue(ctx, v);
    else ctx.reply.nullBulk();
  }
}

/**
 * Redis's msetGenericCommand: MSET and MSETNX. An even argument count is an
 * arity error; MSETNX stores nothing (and answers 0) when any key exists.
 */
function msetGeneric(ctx: CommandContext, argv: Arg[], nx: boolean): void {
  if (argv.length % 2 === 0) {
    ctx.reply.error(wrongArity(nx ? 'msetnx' : 'mset'));
    return;
  }
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) {
      if (ctx.db.has(argString(argv[j]!), ctx.now)) {
        ctx.reply.integer(0);
        return;
      }
    }
  }
  for (let j = 1; j < argv.length; j += 2) {
    const key = argString(argv[j]!);
    ctx.db.set(key, storedFromArg(argv[j + 1]!), NO_EXPIRY, undefined, ctx.now);
    ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'set');
  }
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

// MSET key value [key value ...]
function msetCommand(ctx: CommandContext, argv: Arg[]): void {
  msetGeneric(ctx, argv, false);
}

// MSETNX key value [key value ...]
function msetnxCommand(ctx: CommandContext, argv: Arg[]): void {
  msetGeneric(ctx, argv, true);
}

// ---- in-place edits -------------------------------------------------------------

// APPEND key value
function appendCommand(ctx: CommandContext, argv: Arg[]): void {
  const key = argString(argv[1]!);
  const add = argv[2]!;
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) {
    ctx.db.set(key, storedFromArg(add), NO_EXPIRY);
    ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'append');
    ctx.reply.integer(add.length);
    return;
  }
  if (!isString(v)) {
    ctx.reply.error(WRONGTYPE);
    return;
  }
  const total = v.length + add.length;
  if (total > maxBulkLen(ctx)) {
    ctx.reply.error(STRING_TOO_LONG);
    return;
  }
  const raw = rawForUpdate(ctx, key, v, total);
  writeArg(raw.buf, raw.length, add);
  raw.length = total;
  ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'append');
  ctx.reply.integer(total);
}

// SETRANGE key offset value
// Bytes between the old end and `offset` become zeros. An empty value
// changes nothing: 0 for a missing key (whatever the offset), else the length.
function setrangeCommand(ctx: CommandContext, argv: Arg[]): void {
  const offset = parseLongArg(argv[2]!);
  if (Number.isNaN(offset)) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  if (offset < 0) {
    ctx.reply.error(OFFSET_OUT_OF_RANGE);
    return;
  }
  const key = argString(argv[1]!);
  const value = argv[3]!;
  const v = ctx.db.get(key, ctx.now);
  if (v !== undefined && !isString(v)) {
    ctx.reply.error(WRONGTYPE);
    return;
  }
  if (value.length === 0) {
    ctx.reply.integer(v === undefined ? 0 : v.length);
    return;
  }
  const end = offset + value.length;
  if (end > maxBulkLen(ctx)) {
    ctx.reply.error(STRING_TOO_LONG);
    return;
  }
  if (v === undefined) {
    // Exactly the size needed, zero-filled, as Redis's sdsnewlen(NULL, len).
    const buf = Buffer.alloc(end);
    writeArg(buf, offset, value);
    ctx.db.set(key, new RawString(buf, end), NO_EXPIRY);
    ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'setrange');
    ctx.reply.integer(end);
    return;
  }
  const total = end > v.length ? end : v.length;
  const raw = rawForUpdate(ctx, key, v, total);
  if (offset > raw.length) raw.buf.fill(0, raw.length, offset);
  writeArg(raw.buf, offset, value);
  raw.length = total;
  ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'setrange');
  ctx.reply.integer(total);
}

// ---- reading parts ------------------------------------------------------------

// STRLEN key
function strlenCommand(ctx: CommandContext, argv: Arg[]): void {
  const v = lookupRead(ctx, argString(argv[1]!));
  if (v === undefined) ctx.reply.integer(0);
  else if (isString(v)) ctx.reply.integer(v.length);
  else ctx.reply.error(WRONGTYPE);
}

// GETRANGE key start end   (SUBSTR key start end is the same command)
// Negative indexes count from the end; the range is clamped to the string.
function getrangeCommand(ctx: CommandContext, argv: Arg[]): void {
  let start = parseLongArg(argv[2]!);
  let end = parseLongArg(argv[3]!);
  if (Number.isNaN(start) || Number.isNaN(end)) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  const v = lookupRead(ctx, argString(argv[1]!));
  if (v === undefined) {
    ctx.reply.bulk('');
    return;
  }
  if (!isString(v)) {
    ctx.reply.error(WRONGTYPE);
    return;
  }
  const len = v.length;
  if (start < 0 && end < 0 && start > end) {
    ctx.reply.bulk('');
    return;
  }
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    ctx.reply.bulk('');
    return;
  }
  if (typeof v === 'string') ctx.reply.bulk(v.slice(start, end + 1));
  else ctx.reply.bulkBuffer(v.buf.subarray(start, end + 1));
}

// ---- counters -------------------------------------------------------------

/**
 * Redis's incrDecrCommand: adds `incr` to the integer at `key` (0 when
 * missing), keeping its TTL. Exact 64-bit semantics: plain numbers while
 * everything stays below 2^53, BigInt beyond. Errors: WRONGTYPE, a value
 * that is not a canonical 64-bit integer, and overflow.
 */
function incrDecrGeneric(ctx: CommandContext, key: string, incr: number | bigint): void {
  const v = ctx.db.get(key, ctx.now);
  let text: string | null = null;
  if (v !== undefined) {
    if (!isString(v)) {
      ctx.reply.error(WRONGTYPE);
      return;
    }
    if (v.length > MAX_INT64_CHARS) {
      ctx.reply.error(NOT_INTEGER);
      return;
    }
    text = valueText(v);
  }
  if (typeof incr === 'number') {
    const current = text === null ? 0 : parseSafeInt(text);
    if (!Number.isNaN(current)) {
      const result = current + incr;
      if (Number.isSafeInteger(result)) {
        ctx.db.set(key, String(result), KEEP_TTL);
        ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'incrby');
        ctx.reply.integer(result);
        return;
      }
    }
  }
  const current = text === null ? 0n : parseInt64(text);
  if (current === null) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  const result = current + BigInt(incr);
  if (result > INT64_MAX || result < INT64_MIN) {
    ctx.reply.error(OVERFLOW);
    return;
  }
  const resultText = result.toString();
  ctx.db.set(key, resultText, KEEP_TTL);
  ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'incrby');
  if (result <= BigInt(Number.MAX_SAFE_INTEGER) && result >= BigInt(Number.MIN_SAFE_INTEGER)) ctx.reply.integer(Number(result));
  else ctx.reply.bigInteger(resultText);
}

/** An INCRBY/DECRBY amount: a number when safe, a bigint beyond, or null when not an integer. */
function parseIncrement(a: Arg): number | bigint | null {
  const v = parseSafeInt(a);
  return Number.isNaN(v) ? parseInt64(a) : v;
}

// INCR key
function incrCommand(ctx: CommandContext, argv: Arg[]): void {
  incrDecrGeneric(ctx, argString(argv[1]!), 1);
}

// DECR key
function decrCommand(ctx: CommandContext, argv: Arg[]): void {
  incrDecrGeneric(ctx, argString(argv[1]!), -1);
}

// INCRBY key increment
function incrbyCommand(ctx: CommandContext, argv: Arg[]): void {
  const incr = parseIncrement(argv[2]!);
  if (incr === null) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  incrDecrGeneric(ctx, argString(argv[1]!), incr);
}

// DECRBY key decrement
function decrbyCommand(ctx: CommandContext, argv: Arg[]): void {
  const decr = parseIncrement(argv[2]!);
  if (decr === null) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  if (decr === INT64_MIN) {
    // Negating LLONG_MIN would overflow before any addition.
    ctx.reply.error(DECR_OVERFLOW);
    return;
  }
  incrDecrGeneric(ctx, argString(argv[1]!), typeof decr === 'number' ? 0 - decr : -decr);
}

const LD_ZERO: LongDouble = { neg: false, m: 0n, e: 0 };

// INCRBYFLOAT key increment
// Long double arithmetic, printed with 17 decimals and trailing zeros
// stripped (see long-double.ts); keeps the TTL.
function incrbyfloatCommand(ctx: CommandContext, argv: Arg[]): void {
  const key = argString(argv[1]!);
  const v = ctx.db.get(key, ctx.now);
  let current: LongDouble | number | null = LD_ZERO;
  if (v !== undefined) {
    if (!isString(v)) {
      ctx.reply.error(WRONGTYPE);
      return;
    }
    current = v.length < MAX_LONG_DOUBLE_CHARS ? parseLongDouble(valueText(v)) : null;
  }
  const arg = argv[2]!;
  const incr = typeof arg === 'string' ? parseLongDouble(arg) : null;
  if (current === null || incr === null) {
    ctx.reply.error(NOT_FLOAT);
    return;
  }
  // A literal infinity parses (strtold accepts it); any sum with it is Inf or NaN.
  const sum = typeof current === 'number' || typeof incr === 'number' ? null : addLongDouble(current, incr);
  if (sum === null) {
    ctx.reply.error(INCR_FLOAT_NAN);
    return;
  }
  const text = formatLongDouble(sum);
  // createStringObject, not tryObjectEncoding: "3" from INCRBYFLOAT is `embstr`, as in Redis.
  ctx.db.set(key, text, KEEP_TTL, plainStringEncoding(text.length));
  ctx.server.signals.changed(ctx.db, key, NOTIFY_STRING, 'incrbyfloat');
  ctx.reply.bulk(text);
  // Propagated as the value it made, so a replica cannot round differently.
  if (ctx.server.propagation.active) ctx.server.propagation.rewrite(['SET', argv[1]!, text, 'KEEPTTL']);
}

// ---- fast paths ---------------------------------------------------------------
// The hot commands again, on requests whose arguments are still bytes (see
// FastHandler in table.ts): GET, SET without options, MSET, and INCR and
// DECR while the numbers stay within ±2^53. Keys and values go from the read
// buffer to the keyspace and from the keyspace to the reply without a string.
// Anything else (options, other types, a RawString value, bigger numbers,
// errors) returns false untouched, and the handlers above run.


/**
 * A fast path's change to the key at argument `i`: one dirty count, and
 * the key's string is made only when something listens (signals.ts).
 */
function fastChanged(ctx: CommandContext, req: RawRequest, i: number, type: number, event: string): void {
  const signals = ctx.server.signals;
  if (!signals.listening) {
    signals.dirty++;
    return;
  }
  signals.changed(ctx.db, req.buf.latin1Slice(req.start[i]!, req.start[i]! + req.len[i]!), type, event);
}

function getFast(ctx: CommandContext, req: RawRequest): boolean {
  const fastView = ctx.scratch.view;
  const found = ctx.db.getBytes(req.buf, req.start[1]!, req.len[1]!, ctx.now, fastView);
  if (found === LOOKUP_VALUE) return false;
  if (found === LOOKUP_MISSING) {
    if (ctx.server.signals.listening) keyMissed(ctx, req.buf.latin1Slice(req.start[1]!, req.start[1]! + req.len[1]!));
    else ctx.server.stats.keyspaceMisses++;
    ctx.reply.nullBulk();
  } else {
    ctx.server.stats.keyspaceHits++;
    ctx.reply.bulkBytes(fastView.buf, fastView.offset, fastView.length);
  }
  return true;
}

function setFast(ctx: CommandContext, req: RawRequest): boolean {
  if (req.argc !== 3) return false;
  ctx.db.setBytes(req.buf, req.start[1]!, req.len[1]!, req.buf, req.start[2]!, req.len[2]!, NO_EXPIRY, ctx.now);
  fastChanged(ctx, req, 1, NOTIFY_STRING, 'set');
  ctx.reply.setOk();
  return true;
}

function msetFast(ctx: CommandContext, req: RawRequest): boolean {
  const argc = req.argc;
  if (argc % 2 === 0) return false;
  const buf = req.buf;
  const start = req.start;
  const len = req.len;
  for (let j = 1; j < argc; j += 2) {
    ctx.db.setBytes(buf, start[j]!, len[j]!, buf, start[j + 1]!, len[j + 1]!, NO_EXPIRY, ctx.now);
    fastChanged(ctx, req, j, NOTIFY_STRING, 'set');
  }
  ctx.reply.ok();
  return true;
}

/** incrDecrGeneric for a value and result within ±2^53; false leaves the rest to it. */
function incrDecrFast(ctx: CommandContext, req: RawRequest, incr: number): boolean {
  const { view: fastView, digits: fastDigits } = ctx.scratch;
  const found = ctx.db.getBytes(req.buf, req.start[1]!, req.len[1]!, ctx.now, fastView);
  if (found === LOOKUP_VALUE) return false;
  let current = 0;
  if (found !== LOOKUP_MISSING) {
    // string2ll's rules, as parseSafeInt: NaN for anything but a canonical integer.
    current = parseIntBytes(fastView.buf, fastView.offset, fastView.offset + fastView.length);
    if (!Number.isSafeInteger(current)) return false;
  }
  const result = current + incr;
  if (!Number.isSafeInteger(result)) return false;
  const n = writeIntText(fastDigits, result);
  if (found === LOOKUP_MISSING) ctx.db.setBytes(req.buf, req.start[1]!, req.len[1]!, fastDigits, 0, n, KEEP_TTL);
  else ctx.db.setFoundBytes(fastDigits, 0, n, KEEP_TTL);
  fastChanged(ctx, req, 1, NOTIFY_STRING, 'incrby');
  ctx.reply.integer(result);
  return true;
}

function incrFast(ctx: CommandContext, req: RawRequest): boolean {
  return incrDecrFast(ctx, req, 1);
}

function decrFast(ctx: CommandContext, req: RawRequest): boolean {
  return incrDecrFast(ctx, req, -1);
}

/** Writes the decimal text of a safe integer at the start of `buf`; returns its length. */
function writeIntText(buf: Buffer, n: number): number {
  let p = 0;
  if (n < 0) {
    buf[p++] = 45;
    n = -n;
  }
  let width = 1;
  for (let t = n; t >= 10; t = Math.floor(t / 10)) width++;
  let q = p + width;
  const end = q;
  do {
    const d = Math.floor(n / 10);
    buf[--q] = 48 + (n - d * 10);
    n = d;
  } while (n > 0);
  return end;
}

// ---- specs (checked against Redis 7.0.15's COMMAND INFO and COMMAND DOCS) ----

const VALUE_ARG: ArgSpec = { name: 'value', type: 'string' };

/** The key spec of a command whose one key is argv[1]. */
function oneKey(flags: string[], notes?: string): KeySpec[] {
  const spec: KeySpec = { flags, beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 } };
  if (notes !== undefined) spec.notes = notes;
  return [spec];
}

/** The key spec of a command whose keys run from argv[1] to the end, every `step`. */
function keysToEnd(flags: string[], step: number): KeySpec[] {
  return [{ flags, beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: -1, step, limit: 0 } }];
}

const KEY_VALUE_BLOCK: ArgSpec = { name: 'key_value', type: 'block', multiple: true, arguments: [KEY_ARG, VALUE_ARG] };
const GETRANGE_COMPLEXITY = 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.';

export const STRING_COMMANDS: CommandSpec[] = [
  {
    name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get the value of a key', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['RO', 'access']),
    args: [KEY_ARG],
    handler: getCommand,
    fast: getFast,
  },
  {
    name: 'set', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Set the string value of a key', since: '1.0.0', complexity: 'O(1)',
    history: [
      ['2.6.12', 'Added the `EX`, `PX`, `NX` and `XX` options.'],
      ['6.0.0', 'Added the `KEEPTTL` option.'],
      ['6.2.0', 'Added the `GET`, `EXAT` and `PXAT` option.'],
      ['7.0.0', 'Allowed the `NX` and `GET` options to be used together.'],
    ],
    keySpecs: oneKey(['RW', 'access', 'update', 'variable_flags'], 'RW and ACCESS due to the optional `GET` argument'),
    args: [
      KEY_ARG,
      VALUE_ARG,
      {
        name: 'condition', type: 'oneof', optional: true, since: '2.6.12',
        arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }, { name: 'xx', type: 'pure-token', token: 'XX' }],
      },
      { name: 'get', type: 'pure-token', token: 'GET', optional: true, since: '6.2.0' },
      {
        name: 'expiration', type: 'oneof', optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX', since: '2.6.12' },
          { name: 'milliseconds', type: 'integer', token: 'PX', since: '2.6.12' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT', since: '6.2.0' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT', since: '6.2.0' },
          { name: 'keepttl', type: 'pure-token', token: 'KEEPTTL', since: '6.0.0' },
        ],
      },
    ],
    handler: setCommand,
    fast: setFast,
  },
  {
    name: 'setnx', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Set the value of a key, only if the key does not exist', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['OW', 'insert']),
    args: [KEY_ARG, VALUE_ARG],
    handler: setnxCommand,
  },
  {
    name: 'setex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Set the value and expiration of a key', since: '2.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['OW', 'update']),
    args: [KEY_ARG, { name: 'seconds', type: 'integer' }, VALUE_ARG],
    handler: setexCommand,
  },
  {
    name: 'psetex', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Set the value and expiration in milliseconds of a key', since: '2.6.0', complexity: 'O(1)',
    keySpecs: oneKey(['OW', 'update']),
    args: [KEY_ARG, { name: 'milliseconds', type: 'integer' }, VALUE_ARG],
    handler: psetexCommand,
  },
  {
    name: 'getset', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Set the string value of a key and return its old value', since: '1.0.0', complexity: 'O(1)',
    docFlags: ['deprecated'], deprecatedSince: '6.2.0', replacedBy: '`SET` with the `!GET` argument',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG, VALUE_ARG],
    handler: getsetCommand,
  },
  {
    name: 'getdel', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get the value of a key and delete the key', since: '6.2.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'delete']),
    args: [KEY_ARG],
    handler: getdelCommand,
  },
  {
    name: 'getex', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get the value of a key and optionally set its expiration', since: '6.2.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update'], 'RW and UPDATE because it changes the TTL'),
    args: [
      KEY_ARG,
      {
        name: 'expiration', type: 'oneof', optional: true,
        arguments: [
          { name: 'seconds', type: 'integer', token: 'EX' },
          { name: 'milliseconds', type: 'integer', token: 'PX' },
          { name: 'unix-time-seconds', type: 'unix-time', token: 'EXAT' },
          { name: 'unix-time-milliseconds', type: 'unix-time', token: 'PXAT' },
          { name: 'persist', type: 'pure-token', token: 'PERSIST' },
        ],
      },
    ],
    handler: getexCommand,
  },
  {
    name: 'mget', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1,
    group: 'string', summary: 'Get the values of all the given keys', since: '1.0.0', complexity: 'O(N) where N is the number of keys to retrieve.',
    tips: ['request_policy:multi_shard'],
    keySpecs: keysToEnd(['RO', 'access'], 1),
    args: [{ name: 'key', type: 'key', multiple: true, key_spec_index: 0 }],
    handler: mgetCommand,
  },
  {
    name: 'mset', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 2,
    group: 'string', summary: 'Set multiple keys to multiple values', since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:all_succeeded'],
    keySpecs: keysToEnd(['OW', 'update'], 2),
    args: [KEY_VALUE_BLOCK],
    handler: msetCommand,
    fast: msetFast,
  },
  {
    name: 'msetnx', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: -1, step: 2,
    group: 'string', summary: 'Set multiple keys to multiple values, only if none of the keys exist', since: '1.0.1', complexity: 'O(N) where N is the number of keys to set.',
    tips: ['request_policy:multi_shard', 'response_policy:agg_min'],
    keySpecs: keysToEnd(['OW', 'insert'], 2),
    args: [KEY_VALUE_BLOCK],
    handler: msetnxCommand,
  },
  {
    name: 'append', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Append a value to a key', since: '2.0.0',
    complexity: 'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    keySpecs: oneKey(['RW', 'insert']),
    args: [KEY_ARG, VALUE_ARG],
    handler: appendCommand,
  },
  {
    name: 'strlen', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get the length of the value stored in a key', since: '2.2.0', complexity: 'O(1)',
    keySpecs: oneKey(['RO']),
    args: [KEY_ARG],
    handler: strlenCommand,
  },
  {
    name: 'getrange', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get a substring of the string stored at a key', since: '2.4.0', complexity: GETRANGE_COMPLEXITY,
    keySpecs: oneKey(['RO', 'access']),
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getrangeCommand,
  },
  {
    name: 'substr', arity: 4, flags: ['readonly'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Get a substring of the string stored at a key', since: '1.0.0', complexity: GETRANGE_COMPLEXITY,
    docFlags: ['deprecated'], deprecatedSince: '2.0.0', replacedBy: '`GETRANGE`',
    keySpecs: oneKey(['RO', 'access']),
    args: [KEY_ARG, { name: 'start', type: 'integer' }, { name: 'end', type: 'integer' }],
    handler: getrangeCommand,
  },
  {
    name: 'setrange', arity: 4, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Overwrite part of a string at key starting at the specified offset', since: '2.2.0',
    complexity: 'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    keySpecs: oneKey(['RW', 'update']),
    args: [KEY_ARG, { name: 'offset', type: 'integer' }, VALUE_ARG],
    handler: setrangeCommand,
  },
  {
    name: 'incr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Increment the integer value of a key by one', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG],
    handler: incrCommand,
    fast: incrFast,
  },
  {
    name: 'decr', arity: 2, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Decrement the integer value of a key by one', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG],
    handler: decrCommand,
    fast: decrFast,
  },
  {
    name: 'incrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Increment the integer value of a key by the given amount', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG, { name: 'increment', type: 'integer' }],
    handler: incrbyCommand,
  },
  {
    name: 'decrby', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Decrement the integer value of a key by the given number', since: '1.0.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG, { name: 'decrement', type: 'integer' }],
    handler: decrbyCommand,
  },
  {
    name: 'incrbyfloat', arity: 3, flags: ['write', 'denyoom', 'fast'], firstKey: 1, lastKey: 1, step: 1,
    group: 'string', summary: 'Increment the float value of a key by the given amount', since: '2.6.0', complexity: 'O(1)',
    keySpecs: oneKey(['RW', 'access', 'update']),
    args: [KEY_ARG, { name: 'increment', type: 'double' }],
    handler: incrbyfloatCommand,
  },
];
