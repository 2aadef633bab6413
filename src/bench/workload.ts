/**
 * The requests a benchmark sends: the GET/SET/DEL mix, the keys and the
 * value, encoded once up front into a pool of ready-to-write bytes.
 *
 * Encoding per request would cost more CPU than the server's work for it, and
 * on a machine shared with the server that CPU comes out of the server's
 * share. So the pool is one Buffer of commands laid end to end, with an
 * offset table, and a batch of k consecutive commands is a single zero-copy
 * `subarray`:
 *
 *     buf:     [GET key-17][SET key-4 v][DEL key-90][GET key-3] ...
 *     offsets:  0          14           ...                      (count + 1 entries)
 *
 * Each connection starts at its own random place in the pool and walks it in
 * order, wrapping at the end, so connections do not send the same sequence.
 * The pool holds many thousands of commands drawn at random, which is plenty
 * of variety for a keyspace benchmark; it knows nothing about sockets.
 */

export type Protocol = 'resp' | 'text';

export interface Mix {
  get: number;
  set: number;
  del: number;
}

/** The seed's workload: GET, SET and DEL with equal probability. */
export const SEED_MIX: Mix = { get: 1, set: 1, del: 1 };

/** Commands in a pool when values are small: 2^16, plenty of variety, about 2 MB for RESP. */
const POOL_COMMANDS = 65536;
/** Byte budget for the pool, so large values shrink the command count instead of memory blowing up. */
const POOL_MAX_BYTES = 32 * 1024 * 1024;
/** Never fewer commands than this, whatever the value size. */
const POOL_MIN_COMMANDS = 16;
/** Longest inline (text) request Redis and mini-kv accept: PROTO_INLINE_MAX_SIZE, 64 KB. */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

/**
 * Parses `get=1,set=1,del=1` (any subset, any order, non-negative numbers).
 * Missing commands get weight 0; at least one weight must be positive.
 * Throws a RangeError with a readable message on anything else.
 */
export function parseMix(text: string): Mix {
  const mix: Mix = { get: 0, set: 0, del: 0 };
  const seen = new Set<string>();
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    const weightText = eq < 0 ? '1' : item.slice(eq + 1).trim();
    if (name !== 'get' && name !== 'set' && name !== 'del') {
      throw new RangeError(`--mix: unknown command '${name}' (use get, set and del)`);
    }
    if (seen.has(name)) throw new RangeError(`--mix: '${name}' given twice`);
    seen.add(name);
    const weight = Number(weightText);
    if (weightText === '' || !Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`--mix: weight of '${name}' must be a non-negative number, got '${weightText}'`);
    }
    mix[name] = weight;
  }
  if (mix.get + mix.set + mix.del <= 0) throw new RangeError('--mix: at least one weight must be positive');
  return mix;
}

export function formatMix(mix: Mix): string {
  return `get=${mix.get},set=${mix.set},del=${mix.del}`;
}

/**
 * A small, fast, seedable PRNG (mulberry32), so a run's pool can be
 * reproduced with --seed. Returns a function yielding floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PoolSpec {
  protocol: Protocol;
  /** Keys are key-0 .. key-(keyspace-1). */
  keyspace: number;
  /** Bytes in each SET value. */
  valueSize: number;
  mix: Mix;
  seed: number;
  /** Overrides the computed command count (tests use small pools). */
  commands?: number;
}

export interface CommandPool {
  buf: Buffer;
  /** offsets[i] is where command i starts; offsets[count] is buf.length. */
  offsets: Uint32Array;
  count: number;
}

/**
 * The value every SET stores: `size` letters and digits. Letters only, so a
 * value never holds a space (the text protocol splits on spaces), a newline
 * (text replies are one line each) or a RESP type byte at its start.
 */
export function makeValue(size: number, rand: () => number): Buffer {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const v = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) v[i] = alphabet.charCodeAt(Math.floor(rand() * alphabet.length));
  return v;
}

/** One command in the protocol's wire form. */
export function encodeCommand(protocol: Protocol, args: Array<string | Buffer>): Buffer {
  if (protocol === 'text') {
    // The seed's line protocol: words separated by one space, ended by LF.
    const parts: Buffer[] = [];
    args.forEach((a, i) => {
      if (i > 0) parts.push(Buffer.from(' '));
      parts.push(typeof a === 'string' ? Buffer.from(a) : a);
    });
    parts.push(Buffer.from('\n'));
    return Buffer.concat(parts);
  }
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Builds the pool: commands drawn from the mix with uniformly random keys.
 * The command count is POOL_COMMANDS, reduced so the pool stays within
 * POOL_MAX_BYTES when values are large.
 */
export function buildCommandPool(spec: PoolSpec): CommandPool {
  if (spec.protocol === 'text' && spec.valueSize + 64 > PROTO_INLINE_MAX_SIZE) {
    throw new RangeError(`--value-size ${spec.valueSize} is too large for the text protocol (inline requests are limited to 64 KB)`);
  }
  const rand = mulberry32(spec.seed);
  const value = makeValue(spec.valueSize, rand);
  const perCommand = spec.valueSize + 48;
  const count = spec.commands ?? Math.max(POOL_MIN_COMMANDS, Math.min(POOL_COMMANDS, Math.floor(POOL_MAX_BYTES / perCommand)));
  const total = spec.mix.get + spec.mix.set + spec.mix.del;
  const getBelow = spec.mix.get / total;
  const setBelow = (spec.mix.get + spec.mix.set) / total;
  const parts: Buffer[] = [];
  const offsets = new Uint32Array(count + 1);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const key = `key-${Math.floor(rand() * spec.keyspace)}`;
    const r = rand();
    const cmd =
      r < getBelow
        ? encodeCommand(spec.protocol, ['GET', key])
        : r < setBelow
          ? encodeCommand(spec.protocol, ['SET', key, value])
          : encodeCommand(spec.protocol, ['DEL', key]);
    offsets[i] = at;
    parts.push(cmd);
    at += cmd.length;
  }
  offsets[count] = at;
  return { buf: Buffer.concat(parts, at), offsets, count };
}
