/**
 * The `generic` group: commands about keys rather than values (Redis's db.c
 * and expire.c): DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME,
 * RENAMENX, COPY, MOVE, TOUCH, OBJECT, and the expiry commands EXPIRE,
 * PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
 *
 * Handlers reach storage only through the Database interface and never see
 * how it is partitioned. Reads that Redis counts as keyspace hits or misses
 * (EXISTS, TYPE, TTL, TOUCH, OBJECT, COPY's source) go through lookupRead;
 * writes look keys up with ctx.db directly, as Redis's lookupKeyWrite does
 * not count.
 */
import { NOTIFY_GENERIC } from './signals.js';
import { KEY_ARG, KEYS_ARG, keyRange, type ArgSpec, type CommandContext, type CommandSpec, type KeySpec } from './table.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString, parseInt64, parseSafeInt, tokenIs, INT64_MAX, INT64_MIN } from './args.js';
import { lookupRead, lookupTypeRead } from './lookup.js';
import { globMatch } from '../keyspace/glob.js';
import { NO_EXPIRY, type Database, type StoredValue } from '../keyspace/keyspace.js';
import { OBJ_ENCODING_INT, TYPE_NONE, encodingNameOfByte, encodingOfByte, typeNameOfByte, typeOfByte, valueTypeOf } from '../keyspace/value-type.js';
import {
  DB_INDEX_OUT_OF_RANGE,
  EXPIRE_OPTIONS_CONFLICT,
  GT_LT_CONFLICT,
  INT_OUT_OF_RANGE,
  INVALID_CURSOR,
  LFU_NOT_SELECTED,
  LFU_SELECTED,
  NOT_INTEGER,
  NO_SUCH_KEY,
  SOURCE_DEST_SAME,
  SYNTAX_ERR,
  invalidExpireTime,
  unsupportedOption,
  wrongArity,
} from '../errors.js';

// ---------------------------------------------------------------------------
// DEL, UNLINK, EXISTS, TOUCH, TYPE

// DEL key [key ...]
// UNLINK key [key ...]
// Both free synchronously: a JavaScript value is reclaimed by the garbage
// collector later anyway, which is what UNLINK's lazy free buys in Redis.
function delCommand(ctx: CommandContext, argv: Arg[]): void {
  let deleted = 0;
  for (let i = 1; i < argv.length; i++) {
    const key = argString(argv[i]!);
    if (ctx.db.delete(key, ctx.now)) {
      ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'del');
      deleted++;
    }
  }
  ctx.reply.integer(deleted);
}

// EXISTS key [key ...]
// A key named twice counts twice, as in Redis.
function existsCommand(ctx: CommandContext, argv: Arg[]): void {
  let count = 0;
  for (let i = 1; i < argv.length; i++) {
    if (lookupRead(ctx, argString(argv[i]!)) !== undefined) count++;
  }
  ctx.reply.integer(count);
}

// TOUCH key [key ...]
// mini-kv keeps no per-key access clock (see OBJECT IDLETIME), so touching
// is only the lookup, which still counts hits and misses as in Redis.
function touchCommand(ctx: CommandContext, argv: Arg[]): void {
  let count = 0;
  for (let i = 1; i < argv.length; i++) {
    if (lookupRead(ctx, argString(argv[i]!)) !== undefined) count++;
  }
  ctx.reply.integer(count);
}

// TYPE key
function typeCommand(ctx: CommandContext, argv: Arg[]): void {
  const t = lookupTypeRead(ctx, argString(argv[1]!));
  ctx.reply.simple(t === TYPE_NONE ? 'none' : typeNameOfByte(t));
}

// ---------------------------------------------------------------------------
// KEYS, SCAN, RANDOMKEY

// KEYS [pattern]
// Redis's arity is 2. The seed answered a bare `KEYS` (in its text dialect)
// with every key, and mini-kv keeps that, so the spec declares -1 and a
// missing pattern means `*`; any third argument is still refused with
// Redis's own arity error, which the dispatcher can no longer give.
function keysCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length > 2) {
    ctx.reply.error(wrongArity('keys'));
    return;
  }
  const pattern = argv.length === 2 ? argString(argv[1]!) : '*';
  const keys = ctx.db.keys(pattern === '*' ? null : pattern, ctx.now);
  ctx.reply.arrayHeader(keys.length);
  for (let i = 0; i < keys.length; i++) ctx.reply.bulk(keys[i]!);
}

/** Largest value strtoul accepts (2^64 - 1): a longer cursor is ERANGE. */
const ULONG_MAX = 18446744073709551615n;

/**
 * Redis's parseScanCursorOrReply: strtoul in base 10, refusing leading white
 * space, trailing garbage and values past 2^64 - 1. Like strtoul it takes an
 * optional sign (`-1` wraps to 2^64 - 1) and an empty string as 0. Returns
 * the cursor, Number.MAX_SAFE_INTEGER for any valid cursor too large to be
 * one of ours (it ends the scan, as an unknown cursor may in Redis), or -1
 * after replying `invalid cursor`.
 */
function parseScanCursorOrReply(ctx: CommandContext, arg: Arg): number {
  const s = argString(arg);
  const n = s.length;
  let i = 0;
  let neg = false;
  if (n > 0 && (s.charCodeAt(0) === 43 /* + */ || s.charCodeAt(0) === 45 /* - */)) {
    neg = s.charCodeAt(0) === 45;
    i = 1;
  }
  // strtoul with no digits leaves the end pointer at the start: valid only
  // when the whole string is empty.
  if (i === n) {
    if (n === 0) return 0;
    ctx.reply.error(INVALID_CURSOR);
    return -1;
  }
  for (let j = i; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) {
      ctx.reply.error(INVALID_CURSOR);
      return -1;
    }
  }
  const digits = s.slice(i);
  if (digits.length > 15) {
    if (BigInt(digits) > ULONG_MAX) {
      ctx.reply.error(INVALID_CURSOR);
      return -1;
    }
    return Number.MAX_SAFE_INTEGER;
  }
  const v = Number(digits);
  if (neg && v !== 0) return Number.MAX_SAFE_INTEGER;
  return v;
}

/** Default COUNT of SCAN (db.c scanGenericCommand). */
const SCAN_DEFAULT_COUNT = 10;

/**
 * What one SCAN step collects: made per call (nothing on the request path
 * is shared between servers or nested calls), its visit a method so the
 * store's callback is no new closure.
 */
class ScanStep {
  readonly keys: string[] = [];
  constructor(
    private readonly ctx: CommandContext,
    private readonly pattern: string | null,
    /** Lower-cased TYPE filter, or null. */
    private readonly type: string | null,
  ) {}

  /**
   * Filters as Redis's scanGenericCommand does, in its order: MATCH, then
   * TYPE (whose lookup Redis counts as a keyspace hit), then expiry (already
   * done by the store).
   */
  readonly visit = (key: string, _value: StoredValue, typeByte: number): void => {
    if (this.pattern !== null && !globMatch(this.pattern, key)) return;
    if (this.type !== null) {
      this.ctx.server.stats.keyspaceHits++;
      if (typeNameOfByte(typeByte) !== this.type) return;
    }
    this.keys.push(key);
  };
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scanCommand(ctx: CommandContext, argv: Arg[]): void {
  const cursor = parseScanCursorOrReply(ctx, argv[1]!);
  if (cursor < 0) return;
  let count = SCAN_DEFAULT_COUNT;
  let pattern: string | null = null;
  let type: string | null = null;
  for (let i = 2; i < argv.length; i += 2) {
    const more = argv.length - i;
    const opt = argv[i]!;
    if (tokenIs(opt, 'COUNT') && more >= 2) {
      const n = parseSafeInt(argv[i + 1]!);
      if (Number.isNaN(n)) {
        // getLongFromObjectOrReply: any other 64-bit integer is a valid but
        // meaningless count here (negative ones are refused below).
        const big = parseInt64(argv[i + 1]!);
        if (big === null) {
          ctx.reply.error(NOT_INTEGER);
          return;
        }
        if (big < 1n) {
          ctx.reply.error(SYNTAX_ERR);
          return;
        }
        count = Number.MAX_SAFE_INTEGER;
      } else if (n < 1) {
        ctx.reply.error(SYNTAX_ERR);
        return;
      } else {
        count = n;
      }
    } else if (tokenIs(opt, 'MATCH') && more >= 2) {
      const p = argString(argv[i + 1]!);
      pattern = p === '*' ? null : p;
    } else if (tokenIs(opt, 'TYPE') && more >= 2) {
      // strcasecmp against the type's name: compare lower-cased.
      type = argString(argv[i + 1]!).toLowerCase();
    } else {
      ctx.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const step = new ScanStep(ctx, pattern, type);
  const next = ctx.db.scan(cursor, count, ctx.now, step.visit);
  const keys = step.keys;
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(next <= 0 ? '0' : String(next));
  ctx.reply.arrayHeader(keys.length);
  for (let i = 0; i < keys.length; i++) ctx.reply.bulk(keys[i]!);
}

// RANDOMKEY
function randomkeyCommand(ctx: CommandContext): void {
  const key = ctx.db.randomKey(ctx.now);
  if (key === null) ctx.reply.nullBulk();
  else ctx.reply.bulk(key);
}

// ---------------------------------------------------------------------------
// RENAME, RENAMENX, MOVE, COPY

/**
 * RENAME and RENAMENX (db.c renameGenericCommand): the value and its TTL move
 * to the new name. A missing source is an error even when both names are the
 * same; the same name otherwise changes nothing.
 */
function renameGeneric(ctx: CommandContext, argv: Arg[], nx: boolean): void {
  const db = ctx.db;
  const src = argString(argv[1]!);
  const dst = argString(argv[2]!);
  const value = db.get(src, ctx.now);
  if (value === undefined) {
    ctx.reply.error(NO_SUCH_KEY);
    return;
  }
  if (src === dst) {
    if (nx) ctx.reply.integer(0);
    else ctx.reply.ok();
    return;
  }
  const expire = db.getExpire(src);
  const typeByte = db.lookupType(src, ctx.now);
  if (db.has(dst, ctx.now)) {
    if (nx) {
      ctx.reply.integer(0);
      return;
    }
    db.delete(dst, ctx.now);
  }
  db.delete(src, ctx.now);
  db.set(dst, value, expire, typeByte);
  const signals = ctx.server.signals;
  signals.dirty++;
  signals.modified(db, src);
  signals.modified(db, dst);
  signals.notify(NOTIFY_GENERIC, 'rename_from', src, db.id);
  signals.notify(NOTIFY_GENERIC, 'rename_to', dst, db.id);
  if (nx) ctx.reply.integer(1);
  else ctx.reply.ok();
}

// RENAME key newkey
function renameCommand(ctx: CommandContext, argv: Arg[]): void {
  renameGeneric(ctx, argv, false);
}

// RENAMENX key newkey
function renamenxCommand(ctx: CommandContext, argv: Arg[]): void {
  renameGeneric(ctx, argv, true);
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/**
 * The database named by `arg` (getIntFromObjectOrReply, then selectDb), or
 * null after replying.
 */
function parseDbOrReply(ctx: CommandContext, arg: Arg): Database | null {
  const id = parseSafeInt(arg);
  if (Number.isNaN(id) || id > INT32_MAX || id < INT32_MIN) {
    ctx.reply.error(parseInt64(arg) === null ? NOT_INTEGER : INT_OUT_OF_RANGE);
    return null;
  }
  const db = id >= 0 && id < ctx.server.dbs.length ? ctx.server.dbs[id] : undefined;
  if (db === undefined) {
    ctx.reply.error(DB_INDEX_OUT_OF_RANGE);
    return null;
  }
  return db;
}

// MOVE key db
function moveCommand(ctx: CommandContext, argv: Arg[]): void {
  const dst = parseDbOrReply(ctx, argv[2]!);
  if (dst === null) return;
  const src = ctx.db;
  if (dst === src) {
    ctx.reply.error(SOURCE_DEST_SAME);
    return;
  }
  const key = argString(argv[1]!);
  const value = src.get(key, ctx.now);
  if (value === undefined || dst.has(key, ctx.now)) {
    ctx.reply.integer(0);
    return;
  }
  const expire = src.getExpire(key);
  const typeByte = src.lookupType(key, ctx.now);
  src.delete(key, ctx.now);
  dst.set(key, value, expire, typeByte);
  const signals = ctx.server.signals;
  signals.dirty++;
  signals.modified(src, key);
  signals.modified(dst, key);
  signals.notify(NOTIFY_GENERIC, 'move_from', key, src.id);
  signals.notify(NOTIFY_GENERIC, 'move_to', key, dst.id);
  ctx.reply.integer(1);
}

/**
 * A copy of a value that shares nothing mutable with it, made by its type's
 * ValueType.clone (a latin1 string is shared as is, a RawString copied).
 */
function duplicateValue(v: StoredValue, typeByte: number): StoredValue {
  const type = valueTypeOf(typeOfByte(typeByte));
  if (type === undefined) throw new Error(`COPY: values of type ${typeNameOfByte(typeByte)} cannot be duplicated yet`);
  return type.clone(v);
}

// COPY source destination [DB destination-db] [REPLACE]
function copyCommand(ctx: CommandContext, argv: Arg[]): void {
  const src = ctx.db;
  let dst: Database = ctx.db;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (tokenIs(opt, 'REPLACE')) {
      replace = true;
    } else if (tokenIs(opt, 'DB') && j + 1 < argv.length) {
      const db = parseDbOrReply(ctx, argv[j + 1]!);
      if (db === null) return;
      dst = db;
      j++;
    } else {
      ctx.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const key = argString(argv[1]!);
  const newkey = argString(argv[2]!);
  if (src === dst && key === newkey) {
    ctx.reply.error(SOURCE_DEST_SAME);
    return;
  }
  const value = lookupRead(ctx, key);
  if (value === undefined) {
    ctx.reply.integer(0);
    return;
  }
  if (dst.has(newkey, ctx.now)) {
    if (!replace) {
      ctx.reply.integer(0);
      return;
    }
    dst.delete(newkey, ctx.now);
  }
  // dupStringObject and its kin keep the source's encoding.
  const typeByte = src.lookupType(key, ctx.now);
  dst.set(newkey, duplicateValue(value, typeByte), src.getExpire(key), typeByte);
  ctx.server.signals.changed(dst, newkey, NOTIFY_GENERIC, 'copy_to');
  ctx.reply.integer(1);
}

// ---------------------------------------------------------------------------
// OBJECT

/** object.c: OBJ_SHARED_INTEGERS, the integers Redis keeps one shared object for. */
const OBJ_SHARED_INTEGERS = 10000;
/** object.c: OBJ_SHARED_REFCOUNT, the refcount Redis reports for a shared object. */
const OBJ_SHARED_REFCOUNT = 2147483647;
/** evict.c: LFU_INIT_VAL, the counter of a key never read since it was written. */
const LFU_INIT_VAL = 5;

/** The value of `argv[2]` for OBJECT, or undefined after replying nil. */
function objectLookupOrReply(ctx: CommandContext, argv: Arg[]): StoredValue | undefined {
  const v = lookupRead(ctx, argString(argv[2]!));
  if (v === undefined) ctx.reply.nullBulk();
  return v;
}

// OBJECT ENCODING key
// The record's type byte names it (value-type.ts), as Redis's strEncoding(o->encoding).
function objectEncodingCommand(ctx: CommandContext, argv: Arg[]): void {
  const t = lookupTypeRead(ctx, argString(argv[2]!));
  if (t === TYPE_NONE) ctx.reply.nullBulk();
  else ctx.reply.bulk(encodingNameOfByte(t));
}

// OBJECT REFCOUNT key
// Redis shares one object for each integer 0..9999 (unless maxmemory with an
// LRU or LFU policy forbids it) and reports it with INT_MAX; every other
// value has one reference.
function objectRefcountCommand(ctx: CommandContext, argv: Arg[]): void {
  const v = objectLookupOrReply(ctx, argv);
  if (v === undefined) return;
  let shared = false;
  const t = ctx.db.lookupType(argString(argv[2]!), ctx.now);
  if (encodingOfByte(t) === OBJ_ENCODING_INT && typeof v === 'string' && v.length <= 4 && !sharedIntegersForbidden(ctx)) {
    const n = parseSafeInt(v);
    shared = n >= 0 && n < OBJ_SHARED_INTEGERS;
  }
  ctx.reply.integer(shared ? OBJ_SHARED_REFCOUNT : 1);
}

/** object.c tryObjectEncoding: no shared integers with maxmemory and an LRU/LFU policy. */
function sharedIntegersForbidden(ctx: CommandContext): boolean {
  if (ctx.server.config.getInt('maxmemory') === 0) return false;
  const policy = ctx.server.config.get('maxmemory-policy');
  return policy.endsWith('-lru') || policy.endsWith('-lfu');
}

function lfuPolicy(ctx: CommandContext): boolean {
  return ctx.server.config.get('maxmemory-policy').endsWith('-lfu');
}

// OBJECT IDLETIME key
// mini-kv keeps no per-key access clock (it would cost a write on every
// read), so every key reads as just used: 0 seconds.
function objectIdletimeCommand(ctx: CommandContext, argv: Arg[]): void {
  const v = objectLookupOrReply(ctx, argv);
  if (v === undefined) return;
  if (lfuPolicy(ctx)) {
    ctx.reply.error(LFU_SELECTED);
    return;
  }
  ctx.reply.integer(0);
}

// OBJECT FREQ key
// Without an access counter every key reads as freshly written (LFU_INIT_VAL).
function objectFreqCommand(ctx: CommandContext, argv: Arg[]): void {
  const v = objectLookupOrReply(ctx, argv);
  if (v === undefined) return;
  if (!lfuPolicy(ctx)) {
    ctx.reply.error(LFU_NOT_SELECTED);
    return;
  }
  ctx.reply.integer(LFU_INIT_VAL);
}

/** OBJECT HELP's lines, as object.c and addReplyHelp give them. */
const OBJECT_HELP = [
  'OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
];

// OBJECT HELP
function objectHelpCommand(ctx: CommandContext): void {
  ctx.reply.arrayHeader(OBJECT_HELP.length);
  for (const line of OBJECT_HELP) ctx.reply.simple(line);
}

// ---------------------------------------------------------------------------
// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST

const EXPIRE_NX = 1;
const EXPIRE_XX = 2;
const EXPIRE_GT = 4;
const EXPIRE_LT = 8;
const UNIT_SECONDS = 0;
const UNIT_MILLISECONDS = 1;

/**
 * expire.c parseExtendedExpireArgumentsOrReply: the NX/XX/GT/LT flags from
 * argv[3] on, or -1 after replying. An unknown word is named in the error;
 * NX with any other, or GT with LT, are refused.
 */
function parseExpireFlagsOrReply(ctx: CommandContext, argv: Arg[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (tokenIs(opt, 'NX')) flags |= EXPIRE_NX;
    else if (tokenIs(opt, 'XX')) flags |= EXPIRE_XX;
    else if (tokenIs(opt, 'GT')) flags |= EXPIRE_GT;
    else if (tokenIs(opt, 'LT')) flags |= EXPIRE_LT;
    else {
      ctx.reply.error(unsupportedOption(argString(opt)));
      return -1;
    }
  }
  if (flags & EXPIRE_NX && flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT)) {
    ctx.reply.error(EXPIRE_OPTIONS_CONFLICT);
    return -1;
  }
  if (flags & EXPIRE_GT && flags & EXPIRE_LT) {
    ctx.reply.error(GT_LT_CONFLICT);
    return -1;
  }
  return flags;
}

/**
 * The absolute expiry in ms that `arg` names, relative to `basetime` (0 for
 * the *AT forms) in `unit`, or NaN after replying. Overflow is judged in
 * 64-bit integers exactly as expire.c does; a time within ±2^53 needs no
 * big integers at all.
 */
function parseExpireTimeOrReply(ctx: CommandContext, arg: Arg, basetime: number, unit: number, name: string): number {
  const n = parseSafeInt(arg);
  // Past 2^53 (NaN here) the overflow checks below need exact integers.
  if (!Number.isNaN(n)) {
    // |n| < 2^53: times 1000 plus a millisecond clock stays far below 2^63.
    return (unit === UNIT_SECONDS ? n * 1000 : n) + basetime;
  }
  let when = parseInt64(arg);
  if (when === null) {
    ctx.reply.error(NOT_INTEGER);
    return NaN;
  }
  if (unit === UNIT_SECONDS) {
    if (when > INT64_MAX / 1000n || when < INT64_MIN / 1000n) {
      ctx.reply.error(invalidExpireTime(name));
      return NaN;
    }
    when *= 1000n;
  }
  if (when > INT64_MAX - BigInt(basetime)) {
    ctx.reply.error(invalidExpireTime(name));
    return NaN;
  }
  // Beyond 2^53 ms (285,000 years away) the stored time is the nearest double.
  return Number(when + BigInt(basetime));
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT (expire.c expireGenericCommand):
 * options are checked first, then the time, then the key. A time at or
 * before now deletes the key and answers 1, as Redis does on a master.
 */
function expireGeneric(ctx: CommandContext, argv: Arg[], basetime: number, unit: number, name: string): void {
  const flags = parseExpireFlagsOrReply(ctx, argv);
  if (flags < 0) return;
  const when = parseExpireTimeOrReply(ctx, argv[2]!, basetime, unit, name);
  if (Number.isNaN(when)) return;
  const db = ctx.db;
  const key = argString(argv[1]!);
  if (!db.has(key, ctx.now)) {
    ctx.reply.integer(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if ((flags & EXPIRE_NX && current !== NO_EXPIRY) ||
        (flags & EXPIRE_XX && current === NO_EXPIRY) ||
        (flags & EXPIRE_GT && (current === NO_EXPIRY || when <= current)) ||
        (flags & EXPIRE_LT && current !== NO_EXPIRY && when >= current)) {
      ctx.reply.integer(0);
      return;
    }
  }
  const propagation = ctx.server.propagation;
  if (when <= ctx.now) {
    db.delete(key, ctx.now);
    ctx.server.signals.changed(db, key, NOTIFY_GENERIC, 'del');
    if (propagation.active) propagation.rewrite(['DEL', argv[1]!]);
  } else {
    db.setExpire(key, when);
    ctx.server.signals.changed(db, key, NOTIFY_GENERIC, 'expire');
    // Propagated as PEXPIREAT with the absolute time (and any NX/XX/GT/LT), as Redis does.
    if (propagation.active && name !== 'pexpireat') {
      const out = argv.slice();
      out[0] = 'PEXPIREAT';
      out[2] = String(when);
      propagation.rewrite(out);
    }
  }
  ctx.reply.integer(1);
}

// EXPIRE key seconds [NX | XX | GT | LT]
function expireCommand(ctx: CommandContext, argv: Arg[]): void {
  expireGeneric(ctx, argv, ctx.now, UNIT_SECONDS, 'expire');
}

// PEXPIRE key milliseconds [NX | XX | GT | LT]
function pexpireCommand(ctx: CommandContext, argv: Arg[]): void {
  expireGeneric(ctx, argv, ctx.now, UNIT_MILLISECONDS, 'pexpire');
}

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
function expireatCommand(ctx: CommandContext, argv: Arg[]): void {
  expireGeneric(ctx, argv, 0, UNIT_SECONDS, 'expireat');
}

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
function pexpireatCommand(ctx: CommandContext, argv: Arg[]): void {
  expireGeneric(ctx, argv, 0, UNIT_MILLISECONDS, 'pexpireat');
}

/**
 * TTL, PTTL, EXPIRETIME and PEXPIRETIME (expire.c ttlGenericCommand): -2 for
 * no key, -1 for no TTL, else the remaining or absolute time, never below 0;
 * seconds are rounded to the nearest, as Redis does.
 */
function ttlGeneric(ctx: CommandContext, argv: Arg[], ms: boolean, absolute: boolean): void {
  const key = argString(argv[1]!);
  if (lookupRead(ctx, key) === undefined) {
    ctx.reply.integer(-2);
    return;
  }
  const expire = ctx.db.getExpire(key);
  if (expire === NO_EXPIRY) {
    ctx.reply.integer(-1);
    return;
  }
  let t = absolute ? expire : expire - ctx.now;
  if (t < 0) t = 0;
  if (!ms) t = Math.floor((t + 500) / 1000);
  if (Number.isSafeInteger(t)) ctx.reply.integer(t);
  else ctx.reply.bigInteger(BigInt(t).toString());
}

// TTL key
function ttlCommand(ctx: CommandContext, argv: Arg[]): void {
  ttlGeneric(ctx, argv, false, false);
}

// PTTL key
function pttlCommand(ctx: CommandContext, argv: Arg[]): void {
  ttlGeneric(ctx, argv, true, false);
}

// EXPIRETIME key
function expiretimeCommand(ctx: CommandContext, argv: Arg[]): void {
  ttlGeneric(ctx, argv, false, true);
}

// PEXPIRETIME key
function pexpiretimeCommand(ctx: CommandContext, argv: Arg[]): void {
  ttlGeneric(ctx, argv, true, true);
}

// PERSIST key
function persistCommand(ctx: CommandContext, argv: Arg[]): void {
  const key = argString(argv[1]!);
  if (!ctx.db.has(key, ctx.now) || !ctx.db.persist(key)) {
    ctx.reply.integer(0);
    return;
  }
  ctx.server.signals.changed(ctx.db, key, NOTIFY_GENERIC, 'persist');
  ctx.reply.integer(1);
}

// ---------------------------------------------------------------------------
// Specs, as Redis 7.0.15's COMMAND INFO and COMMAND DOCS give them.

const MULTI_SHARD_TIPS = ['request_policy:multi_shard', 'response_policy:agg_sum'];

/** The NX | XX | GT | LT block of the EXPIRE family (since 7.0.0). */
const EXPIRE_CONDITION: ArgSpec = {
  name: 'condition', type: 'oneof', optional: true, since: '7.0.0',
  arguments: [
    { name: 'nx', type: 'pure-token', token: 'NX' },
    { name: 'xx', type: 'pure-token', token: 'XX' },
    { name: 'gt', type: 'pure-token', token: 'GT' },
    { name: 'lt', type: 'pure-token', token: 'LT' },
  ],
};

const OBJECT_SUBCOMMAND_KEYS = [keyRange(['RO'], 2, 0)];
const OBJECT_KEY_ARG: ArgSpec[] = [KEY_ARG];

const OBJECT_SUBCOMMANDS: CommandSpec[] = [
  { name: 'encoding', arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, step: 1, group: 'generic', summary: 'Inspect the internal encoding of a Redis object', since: '2.2.3', complexity: 'O(1)', tips: ['nondeterministic_output'], keySpecs: OBJECT_SUBCOMMAND_KEYS, args: OBJECT_KEY_ARG, handler: objectEncodingCommand },
  { name: 'freq', arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, step: 1, group: 'generic', summary: 'Get the logarithmic access frequency counter of a Redis object', since: '4.0.0', complexity: 'O(1)', tips: ['nondeterministic_output'], keySpecs: OBJECT_SUBCOMMAND_KEYS, args: OBJECT_KEY_ARG, handler: objectFreqCommand },
  { name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', summary: 'Show helpful text about the different subcommands', since: '6.2.0', complexity: 'O(1)', handler: objectHelpCommand },
  { name: 'idletime', arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, step: 1, group: 'generic', summary: 'Get the time since a Redis object was last accessed', since: '2.2.3', complexity: 'O(1)', tips: ['nondeterministic_output'], keySpecs: OBJECT_SUBCOMMAND_KEYS, args: OBJECT_KEY_ARG, handler: objectIdletimeCommand },
  { name: 'refcount', arity: 3, flags: ['readonly'], firstKey: 2, lastKey: 2, step: 1, group: 'generic', summary: 'Get the number of references to the value of the key', since: '2.2.3', complexity: 'O(1)', tips: ['nondeterministic_output'], keySpecs: OBJECT_SUBCOMMAND_KEYS, args: OBJECT_KEY_ARG, handler: objectRefcountCommand },
];

const EXPIRE_KEYS = [keyRange(['RW', 'update'], 1, 0)];
const EXPIRE_HISTORY: [string, string][] = [['7.0.0', 'Added options: `NX`, `XX`, `GT` and `LT`.']];
const TTL_HISTORY: [string, string][] = [['2.8.0', 'Added the -2 reply.']];
const TTL_KEYS = [keyRange(['RO', 'access'], 1, 0)];

export const GENERIC_COMMANDS: CommandSpec[] = [
  { name: 'del', arity: -2, flags: ['write'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', summary: 'Delete a key', since: '1.0.0', complexity: 'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).', tips: MULTI_SHARD_TIPS, keySpecs: [keyRange(['RM', 'delete'], 1, -1)], args: [KEYS_ARG], handler: delCommand },
  { name: 'unlink', arity: -2, flags: ['write', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', summary: 'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.', since: '4.0.0', complexity: 'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.', tips: MULTI_SHARD_TIPS, keySpecs: [keyRange(['RM', 'delete'], 1, -1)], args: [KEYS_ARG], handler: delCommand },
  { name: 'exists', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', summary: 'Determine if a key exists', since: '1.0.0', complexity: 'O(N) where N is the number of keys to check.', history: [['3.0.3', 'Accepts multiple `key` arguments.']], tips: MULTI_SHARD_TIPS, keySpecs: [keyRange(['RO'], 1, -1)], args: [KEYS_ARG], handler: existsCommand },
  { name: 'type', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Determine the type stored at key', since: '1.0.0', complexity: 'O(1)', keySpecs: [keyRange(['RO'], 1, 0)], args: [KEY_ARG], handler: typeCommand },
  // Arity -1 rather than Redis's 2: see keysCommand.
  { name: 'keys', arity: -1, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', summary: 'Find all keys matching the given pattern', since: '1.0.0', complexity: 'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.', acl: ['@dangerous'], tips: ['request_policy:all_shards', 'nondeterministic_output_order'], args: [{ name: 'pattern', type: 'pattern' }], handler: keysCommand },
  { name: 'scan', arity: -2, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', summary: 'Incrementally iterate the keys space', since: '2.8.0', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.', history: [['6.0.0', 'Added the `TYPE` subcommand.']], tips: ['nondeterministic_output', 'request_policy:special'], args: [{ name: 'cursor', type: 'integer' }, { name: 'pattern', type: 'pattern', token: 'MATCH', optional: true }, { name: 'count', type: 'integer', token: 'COUNT', optional: true }, { name: 'type', type: 'string', token: 'TYPE', optional: true, since: '6.0.0' }], handler: scanCommand },
  { name: 'randomkey', arity: 1, flags: ['readonly'], firstKey: 0, lastKey: 0, step: 0, group: 'generic', summary: 'Return a random key from the keyspace', since: '1.0.0', complexity: 'O(1)', tips: ['request_policy:all_shards', 'nondeterministic_output'], handler: randomkeyCommand },
  { name: 'rename', arity: 3, flags: ['write'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', summary: 'Rename a key', since: '1.0.0', complexity: 'O(1)', keySpecs: [keyRange(['RW', 'access', 'delete'], 1, 0), keyRange(['OW', 'update'], 2, 0)], args: [KEY_ARG, { name: 'newkey', type: 'key', key_spec_index: 1 }], handler: renameCommand },
  { name: 'renamenx', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', summary: 'Rename a key, only if the new key does not exist', since: '1.0.0', complexity: 'O(1)', history: [['3.2.0', 'The command no longer returns an error when source and destination names are the same.']], keySpecs: [keyRange(['RW', 'access', 'delete'], 1, 0), keyRange(['OW', 'insert'], 2, 0)], args: [KEY_ARG, { name: 'newkey', type: 'key', key_spec_index: 1 }], handler: renamenxCommand },
  { name: 'copy', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 2, step: 1, group: 'generic', summary: 'Copy a key', since: '6.2.0', complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', keySpecs: [keyRange(['RO', 'access'], 1, 0), keyRange(['OW', 'update'], 2, 0)], args: [{ name: 'source', type: 'key', key_spec_index: 0 }, { name: 'destination', type: 'key', key_spec_index: 1 }, { name: 'destination-db', type: 'integer', token: 'DB', optional: true }, { name: 'replace', type: 'pure-token', token: 'REPLACE', optional: true }], handler: copyCommand },
  { name: 'move', arity: 3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Move a key to another database', since: '1.0.0', complexity: 'O(1)', keySpecs: [keyRange(['RW', 'access', 'update'], 1, 0)], args: [KEY_ARG, { name: 'db', type: 'integer' }], handler: moveCommand },
  { name: 'touch', arity: -2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: -1, step: 1, group: 'generic', summary: 'Alters the last access time of a key(s). Returns the number of existing keys specified.', since: '3.2.1', complexity: 'O(N) where N is the number of keys that will be touched.', tips: MULTI_SHARD_TIPS, keySpecs: [keyRange(['RO'], 1, -1)], args: [KEYS_ARG], handler: touchCommand },
  { name: 'object', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0, group: 'generic', summary: 'A container for object introspection commands', since: '2.2.3', complexity: 'Depends on subcommand.', subcommands: OBJECT_SUBCOMMANDS },
  { name: 'expire', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: "Set a key's time to live in seconds", since: '1.0.0', complexity: 'O(1)', history: EXPIRE_HISTORY, keySpecs: EXPIRE_KEYS, args: [KEY_ARG, { name: 'seconds', type: 'integer' }, EXPIRE_CONDITION], handler: expireCommand },
  { name: 'pexpire', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: "Set a key's time to live in milliseconds", since: '2.6.0', complexity: 'O(1)', history: EXPIRE_HISTORY, keySpecs: EXPIRE_KEYS, args: [KEY_ARG, { name: 'milliseconds', type: 'integer' }, EXPIRE_CONDITION], handler: pexpireCommand },
  { name: 'expireat', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Set the expiration for a key as a UNIX timestamp', since: '1.2.0', complexity: 'O(1)', history: EXPIRE_HISTORY, keySpecs: EXPIRE_KEYS, args: [KEY_ARG, { name: 'unix-time-seconds', type: 'unix-time' }, EXPIRE_CONDITION], handler: expireatCommand },
  { name: 'pexpireat', arity: -3, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', since: '2.6.0', complexity: 'O(1)', history: EXPIRE_HISTORY, keySpecs: EXPIRE_KEYS, args: [KEY_ARG, { name: 'unix-time-milliseconds', type: 'unix-time' }, EXPIRE_CONDITION], handler: pexpireatCommand },
  { name: 'ttl', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Get the time to live for a key in seconds', since: '1.0.0', complexity: 'O(1)', history: TTL_HISTORY, tips: ['nondeterministic_output'], keySpecs: TTL_KEYS, args: [KEY_ARG], handler: ttlCommand },
  { name: 'pttl', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Get the time to live for a key in milliseconds', since: '2.6.0', complexity: 'O(1)', history: TTL_HISTORY, tips: ['nondeterministic_output'], keySpecs: TTL_KEYS, args: [KEY_ARG], handler: pttlCommand },
  { name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Get the expiration Unix timestamp for a key', since: '7.0.0', complexity: 'O(1)', keySpecs: TTL_KEYS, args: [KEY_ARG], handler: expiretimeCommand },
  { name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Get the expiration Unix timestamp for a key in milliseconds', since: '7.0.0', complexity: 'O(1)', keySpecs: TTL_KEYS, args: [KEY_ARG], handler: pexpiretimeCommand },
  { name: 'persist', arity: 2, flags: ['write', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'generic', summary: 'Remove the expiration from a key', since: '2.2.0', complexity: 'O(1)', keySpecs: EXPIRE_KEYS, args: [KEY_ARG], handler: persistCommand },
];
