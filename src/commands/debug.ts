/**
 * The `server` group's DEBUG command, behind `enable-debug-command` (no,
 * yes, or local for loopback clients only), with the subcommands of Redis
 * 7.0.15's debug.c that Redis's own test suite relies on and that mean
 * something here: SLEEP, SET-ACTIVE-EXPIRE, OBJECT, DIGEST, DIGEST-VALUE,
 * PROTOCOL, STRINGMATCH-TEST, CHANGE-REPL-ID, JMAP (a no-op, as it became in
 * Redis long ago) and HELP. Any other subcommand, or a known one with the
 * wrong argument count, gets Redis's addReplySubcommandSyntaxError.
 *
 * DIGEST and DIGEST-VALUE use Redis's algorithm (xorDigest / mixDigest over
 * SHA1, debug.c computeDatasetDigest and xorObjectDigest), so a dataset of
 * strings has the same digest here as in Redis. Types other than strings
 * will add their elements as Redis does when they exist.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DEBUG_PROTOCOL_TYPE, DEBUG_PUSH_RESP2, NO_SUCH_KEY, subcommandSyntaxError } from '../errors.js';
import { globMatch } from '../keyspace/glob.js';
import type { Database, StoredValue } from '../keyspace/keyspace.js';
import { OBJ_ENCODING_INT, encodingNameOfByte, encodingOfByte, typeOfByte, valueTypeOf } from '../keyspace/value-type.js';
import { MODE_RESP3 } from '../protocol/reply-writer.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString, parseInt64, tokenIs } from './args.js';
import { replyHelp } from './connection.js';
import type { CommandContext, CommandSpec } from './table.js';

/** Redis's LRU clock: 24 bits of seconds (LRU_CLOCK_MAX). */
const LRU_CLOCK_MAX = (1 << 24) - 1;
/** object.c OBJ_SHARED_INTEGERS and OBJ_SHARED_REFCOUNT, as OBJECT REFCOUNT reports them. */
const OBJ_SHARED_INTEGERS = 10000;
const OBJ_SHARED_REFCOUNT = 2147483647;
/** Patterns STRINGMATCH-TEST tries (Redis's stringmatchlen_fuzz_test tries 100000; this bounds the stall). */
const STRINGMATCH_FUZZ_ROUNDS = 10000;

/** config.c allowProtectedAction: `yes`, or `local` and a local client. */
export function protectedActionAllowed(ctx: CommandContext, option: string): boolean {
  const mode = ctx.server.config.get(option);
  if (mode === 'yes') return true;
  if (mode !== 'local') return false;
  // networking.c islocalClient: the peer's text is exactly 127.0.0.1 or ::1.
  const ip = ctx.client.addr.slice(0, ctx.client.addr.lastIndexOf(':'));
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}

// ---- digests (debug.c) -----------------------------------------------------

/** xorDigest: digest ^= SHA1(data). */
function xorDigest(digest: Buffer, data: Uint8Array): void {
  const h = createHash('sha1').update(data).digest();
  for (let j = 0; j < 20; j++) digest[j]! ^= h[j]!;
}

/** mixDigest: digest = SHA1(digest ^ SHA1(data)), order-preserving. */
function mixDigest(digest: Buffer, data: Uint8Array): void {
  xorDigest(digest, data);
  createHash('sha1').update(digest).digest().copy(digest);
}

function uint32BE(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

/**
 * xorObjectDigest: the value's type and elements (through its ValueType's
 * forEach), and whether the key has a TTL. Types without an implementation
 * yet add only the TTL mark.
 */
function xorObjectDigest(db: Database, key: string, digest: Buffer, v: StoredValue, now: number): void {
  const t = db.lookupType(key, now);
  const type = valueTypeOf(typeOfByte(t));
  if (type !== undefined) {
    mixDigest(digest, uint32BE(type.id));
    type.forEach(v, (element) => mixDigest(digest, element));
  }
  if (db.getExpire(key) !== -1) xorDigest(digest, Buffer.from('!!expire!!', 'latin1'));
}

/** computeDatasetDigest: every database's id, then the xor of each key-value digest. */
function datasetDigest(ctx: CommandContext): Buffer {
  const final = Buffer.alloc(20);
  const dbs = ctx.server.dbs;
  for (let j = 0; j < dbs.length; j++) {
    const db = dbs[j]!;
    const keys = db.keys(null, ctx.now);
    if (keys.length === 0) continue;
    mixDigest(final, uint32BE(j));
    for (const key of keys) {
      const v = db.get(key, ctx.now);
      if (v === undefined) continue;
      const digest = Buffer.alloc(20);
      mixDigest(digest, Buffer.from(key, 'latin1'));
      xorObjectDigest(db, key, digest, v, ctx.now);
      xorDigest(final, digest);
    }
  }
  return final;
}

// ---- DEBUG OBJECT ----------------------------------------------------------

// DEBUG OBJECT key
// Encoding from the record's type byte; serializedlength is the size of the
// value's RDB form (ValueType.serialize: Redis compresses strings over 20
// bytes with LZF when that saves space, mini-kv reports the uncompressed
// size), 0 for a type without an implementation yet. refcount is Redis's
// shared-integer INT_MAX for an `int` 0..9999.
function debugObject(ctx: CommandContext, key: string): void {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) {
    ctx.reply.error(NO_SUCH_KEY);
    return;
  }
  const t = ctx.db.lookupType(key, ctx.now);
  const enc = encodingOfByte(t);
  const type = valueTypeOf(typeOfByte(t));
  const serialized = type === undefined ? 0 : type.serialize(v, enc).length;
  let refcount = 1;
  if (enc === OBJ_ENCODING_INT && typeof v === 'string') {
    const n = parseInt64(v);
    if (n !== null && n >= 0n && n < BigInt(OBJ_SHARED_INTEGERS)) refcount = OBJ_SHARED_REFCOUNT;
  }
  // No per-key access clock here (OBJECT IDLETIME answers 0): lru is now, idle 0.
  ctx.reply.simple(`Value at:${fakeAddress(key)} refcount:${refcount} encoding:${encodingNameOfByte(t)} serializedlength:${serialized} lru:${lruClock(ctx)} lru_seconds_idle:0`);
}

function lruClock(ctx: CommandContext): number {
  return Math.floor(ctx.now / 1000) & LRU_CLOCK_MAX;
}

/** A value has no address in JavaScript: a stable stand-in derived from the key, pointer-shaped. */
function fakeAddress(key: string): string {
  return '0x7f' + createHash('sha1').update(key, 'latin1').digest('hex').slice(0, 10);
}

// ---- DEBUG PROTOCOL --------------------------------------------------------

// DEBUG PROTOCOL string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false
function debugProtocol(ctx: CommandContext, type: Arg): void {
  const w = ctx.reply;
  const resp3 = w.mode === MODE_RESP3;
  if (tokenIs(type, 'STRING')) w.bulk('Hello World');
  else if (tokenIs(type, 'INTEGER')) w.integer(12345);
  else if (tokenIs(type, 'DOUBLE')) w.double(3.141);
  else if (tokenIs(type, 'BIGNUM')) w.bigNumber('1234567999999999999999999999999999999');
  else if (tokenIs(type, 'NULL')) w.nullBulk();
  else if (tokenIs(type, 'ARRAY')) {
    w.arrayHeader(3);
    for (let j = 0; j < 3; j++) w.integer(j);
  } else if (tokenIs(type, 'SET')) {
    w.setHeader(3);
    for (let j = 0; j < 3; j++) w.integer(j);
  } else if (tokenIs(type, 'MAP')) {
    w.mapHeader(3);
    for (let j = 0; j < 3; j++) {
      w.integer(j);
      w.bool(j === 1);
    }
  } else if (tokenIs(type, 'ATTRIB')) {
    if (resp3) {
      w.attributeHeader(1);
      w.bulk('key-popularity');
      w.arrayHeader(2);
      w.bulk('key:123');
      w.integer(90);
    }
    w.bulk('Some real reply following the attribute');
  } else if (tokenIs(type, 'PUSH')) {
    if (ctx.client.resp < 3) {
      w.error(DEBUG_PUSH_RESP2);
      return;
    }
    w.pushHeader(2);
    w.bulk('server-cpu-usage');
    w.integer(42);
    w.bulk('Some real reply following the push reply');
  } else if (tokenIs(type, 'TRUE')) w.bool(true);
  else if (tokenIs(type, 'FALSE')) w.bool(false);
  else if (tokenIs(type, 'VERBATIM')) w.verbatim('This is a verbatim\nstring');
  else w.error(DEBUG_PROTOCOL_TYPE);
}

// ---- the rest --------------------------------------------------------------

/** C's strtod prefix: leading number or 0 (DEBUG SLEEP's argument). */
function strtod(s: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

/** C's atoi (DEBUG SET-ACTIVE-EXPIRE's argument). */
function atoi(s: string): number {
  const m = /^\s*[-+]?\d+/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

/** Blocks the event loop for `ms`, as Redis's nanosleep blocks its one thread. */
function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * STRINGMATCH-TEST: random patterns against random strings through the
 * glob matcher; all that is tested is that nothing throws or hangs
 * (stringmatchlen_fuzz_test).
 */
function stringmatchFuzz(): void {
  const alphabet = '*?[]^-\\abc';
  const pick = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
    return s;
  };
  for (let i = 0; i < STRINGMATCH_FUZZ_ROUNDS; i++) globMatch(pick(Math.floor(Math.random() * 16)), pick(Math.floor(Math.random() * 16)), i % 2 === 0);
}

const DEBUG_HELP = [
  'CHANGE-REPL-ID',
  '    Change the replication IDs of the instance.',
  '    Dangerous: should be used only for testing the replication subsystem.',
  'DIGEST',
  '    Output a hex signature representing the current DB content.',
  'DIGEST-VALUE <key> [<key> ...]',
  '    Output a hex signature of the values of all the specified keys.',
  'JMAP',
  '    Does nothing (kept for old test suites).',
  'OBJECT <key>',
  '    Show low level info about `key` and associated value.',
  'PROTOCOL <type>',
  '    Reply with a test value of the specified type. <type> can be: string,',
  '    integer, double, bignum, null, array, set, map, attrib, push, verbatim,',
  '    true, false.',
  'SET-ACTIVE-EXPIRE <0|1>',
  '    Setting it to 0 disables expiring keys in background when they are not',
  '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
  '    default.',
  'SLEEP <seconds>',
  '    Stop the server for <seconds>. Decimals allowed.',
  'STRINGMATCH-TEST',
  '    Run a fuzz tester against the stringmatchlen() function.',
];

// DEBUG subcommand [argument ...]
function debugCommand(ctx: CommandContext, argv: Arg[]): void {
  const sub = argv[1]!;
  const argc = argv.length;
  if (argc === 2 && tokenIs(sub, 'HELP')) {
    replyHelp(ctx, 'DEBUG', DEBUG_HELP);
  } else if (tokenIs(sub, 'OBJECT') && argc === 3) {
    debugObject(ctx, argString(argv[2]!));
  } else if (tokenIs(sub, 'DIGEST') && argc === 2) {
    ctx.reply.simple(datasetDigest(ctx).toString('hex'));
  } else if (tokenIs(sub, 'DIGEST-VALUE') && argc >= 2) {
    ctx.reply.arrayHeader(argc - 2);
    for (let j = 2; j < argc; j++) {
      const key = argString(argv[j]!);
      const digest = Buffer.alloc(20);
      const v = ctx.db.get(key, ctx.now);
      if (v !== undefined) xorObjectDigest(ctx.db, key, digest, v, ctx.now);
      ctx.reply.simple(digest.toString('hex'));
    }
  } else if (tokenIs(sub, 'PROTOCOL') && argc === 3) {
    debugProtocol(ctx, argv[2]!);
  } else if (tokenIs(sub, 'SLEEP') && argc === 3) {
    // dtime*1000000 truncated to whole microseconds, as Redis.
    blockFor(Math.trunc(strtod(argString(argv[2]!)) * 1e6) / 1000);
    ctx.reply.ok();
  } else if (tokenIs(sub, 'SET-ACTIVE-EXPIRE') && argc === 3) {
    ctx.server.setActiveExpire(atoi(argString(argv[2]!)) !== 0);
    ctx.reply.ok();
  } else if (tokenIs(sub, 'CHANGE-REPL-ID') && argc === 2) {
    ctx.server.replicationId = randomBytes(20).toString('hex');
    ctx.reply.ok();
  } else if (tokenIs(sub, 'STRINGMATCH-TEST') && argc === 2) {
    stringmatchFuzz();
    ctx.reply.simple('Apparently Redis did not crash: test passed');
  } else if (tokenIs(sub, 'JMAP') && argc === 2) {
    ctx.reply.ok();
  } else {
    ctx.reply.error(subcommandSyntaxError(argString(sub), 'debug'));
  }
}

export const DEBUG_COMMANDS: CommandSpec[] = [
  {
    name: 'debug', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, protectedBy: 'enable-debug-command',
    group: 'server', summary: 'A container for debugging commands', since: '1.0.0',
    complexity: 'Depends on subcommand.',
    docFlags: ['syscmd'],
    handler: debugCommand,
  },
];
