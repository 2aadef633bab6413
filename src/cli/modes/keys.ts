/**
 * The keyspace modes: --scan (scanMode) and --bigkeys / --memkeys
 * (findBigKeys), with redis-cli 7.0's output line for line. --scan prints
 * every key SCAN returns (quoted in TTY style, raw otherwise); --bigkeys
 * pipelines TYPE and then the type's size command (STRLEN, LLEN, SCARD,
 * HLEN, ZCARD, XLEN) for each batch, --memkeys MEMORY USAGE, and both end
 * with redis-cli's summary. A server without MEMORY USAGE (mini-kv today)
 * gets what redis-cli prints then: a warning per key and sizes of 0.
 * SIGINT stops the loop after the current batch (longStatLoopModeStop), and
 * --bigkeys then prints its summary with the progress so far.
 */
import { repr } from '../format.js';
import type { CliOptions } from '../options.js';
import type { Reply } from '../reply.js';
import { outputMode, put, type Io } from '../session.js';
import { CliExit, CommandRunner, sleep } from './command.js';

/** printf("%05.2f"): two decimals, zero-padded to five characters. */
export function pct5(x: number): string {
  if (Number.isNaN(x)) return '-nan';
  return x.toFixed(2).padStart(5, '0');
}

/** Connects as the modes do (`if (cliConnect(0) == REDIS_ERR) exit(1)`). */
export async function connectOrExit(o: CliOptions, io: Io): Promise<CommandRunner> {
  const runner = new CommandRunner(o, io, false);
  if (!(await runner.connect(false, false))) {
    runner.close();
    throw new CliExit(1);
  }
  return runner;
}

/** Installs a SIGINT handler that only asks the loop to stop; returns the flag and the remover. */
function cancelOnSigint(): { cancelled: () => boolean; remove: () => void } {
  let cancelled = false;
  const h = (): void => {
    cancelled = true;
  };
  process.on('SIGINT', h);
  return { cancelled: () => cancelled, remove: () => process.off('SIGINT', h) };
}

/** Reads a reply or exits as redis-cli does on an I/O error ("\nI/O error"). */
async function readOrExit(runner: CommandRunner, io: Io): Promise<Reply> {
  try {
    return await runner.session!.conn.read();
  } catch {
    put(io.stderr, '\nI/O error\n');
    throw new CliExit(1);
  }
}

/** sendScan(): one SCAN call and its checks; returns the next cursor and the keys. */
async function sendScan(runner: CommandRunner, o: CliOptions, io: Io, cursor: string): Promise<{ cursor: string; keys: Buffer[] }> {
  const args: (string | Buffer)[] = ['SCAN', cursor];
  if (o.pattern !== null) args.push('MATCH', o.pattern);
  if (o.scanCount !== null) args.push('COUNT', String(o.scanCount));
  if (o.scanType !== null) args.push('TYPE', o.scanType);
  runner.session!.conn.send(args);
  const r = await readOrExit(runner, io);
  const fail = (msg: string): never => {
    put(io.stderr, msg);
    throw new CliExit(1);
  };
  if (r.type === 'error') fail(`SCAN error: ${r.value}\n`);
  if (r.type !== 'array') fail('Non ARRAY response from SCAN!\n');
  const el = (r as { elements: Reply[] }).elements;
  if (el.length !== 2) fail('Invalid element count from SCAN!\n');
  const [c, keys] = el as [Reply, Reply];
  const next = c.type === 'string' ? c.value.toString('latin1') : '0';
  const list = keys.type === 'array' ? keys.elements.map((k) => (k.type === 'string' ? k.value : Buffer.alloc(0))) : [];
  return { cursor: /^\d+$/.test(next) ? next.replace(/^0+(?=\d)/, '') : '0', keys: list };
}

/** The bytes printf("%s") shows: up to the first NUL. */
function cbytes(b: Buffer): Buffer {
  const nul = b.indexOf(0);
  return nul === -1 ? b : b.subarray(0, nul);
}

/** --scan: every key matching --pattern (--count and --type as redis-cli 7.2 adds them). */
export async function scanMode(o: CliOptions, io: Io): Promise<number> {
  const runner = await connectOrExit(o, io);
  const mode = outputMode(o, io);
  const stop = cancelOnSigint();
  try {
    let cursor = '0';
    do {
      const r = await sendScan(runner, o, io, cursor);
      cursor = r.cursor;
      for (const k of r.keys) {
        if (mode === 'standard') put(io.stdout, repr(k) + '\n');
        else io.stdout.write(Buffer.concat([cbytes(k), Buffer.from('\n')]));
      }
      if (o.interval > 0) await sleep(o.interval);
    } while (!stop.cancelled() && cursor !== '0');
    return 0;
  } finally {
    stop.remove();
    runner.close();
  }
}

interface TypeInfo {
  name: string;
  sizeCmd: string | null;
  sizeUnit: string;
  biggest: bigint;
  count: bigint;
  totalSize: bigint;
  biggestKey: string | null;
}

/**
 * The types findBigKeys() knows, in the order redis-cli 7.0 prints its
 * summary (its dict's iteration order with the fixed hash seed). Types a
 * module adds come after them.
 */
const TYPE_TEMPLATES: [string, string, string][] = [
  ['list', 'LLEN', 'items'],
  ['hash', 'HLEN', 'fields'],
  ['string', 'STRLEN', 'bytes'],
  ['stream', 'XLEN', 'entries'],
  ['set', 'SCARD', 'members'],
  ['zset', 'ZCARD', 'members'],
];

/** printf("%.2f") of a ratio of 64-bit counts. */
function ratio2(a: bigint, b: bigint, scale = 1): string {
  return b === 0n ? '0.00' : ((Number(a) * scale) / Number(b)).toFixed(2);
}

/** --bigkeys and --memkeys (findBigKeys). */
/**
 * redis-cli's getDbSize(): DBSIZE, or its two messages and exit 1 when the
 * reply is an error or not an integer.
 */
async function dbSizeOrExit(runner: Parameters<typeof readOrExit>[0], io: Io): Promise<number> {
  runner.session!.conn.send(['DBSIZE']);
  const size = await readOrExit(runner, io);
  if (size.type === 'error') {
    put(io.stderr, `Couldn't determine DBSIZE: ${size.value}\n`);
    throw new CliExit(1);
  }
  if (size.type !== 'integer') {
    put(io.stderr, 'Non INTEGER response from DBSIZE!\n');
    throw new CliExit(1);
  }
  return Number(size.value);
}

/**
 * The keyspace walk --bigkeys, --memkeys and --hotkeys share (redis-cli's
 * findBigKeys and findHotKeys): DBSIZE, the banner naming what is sought,
 * then SCAN batches until the cursor comes back to 0 or Ctrl-C, sleeping
 * -i seconds every 100 SCANs. `each` handles one batch, given the share of
 * the keyspace sampled before it (pct) and its keys, and returns how many
 * keys it sampled. Resolves with the last pct, which the summary prints
 * after an interruption.
 */
async function walkKeyspace(runner: CommandRunner, o: CliOptions, io: Io, stop: { cancelled: () => boolean }, sought: string, each: (pct: number, keys: Buffer[]) => Promise<number>): Promise<number> {
  const totalKeys = await dbSizeOrExit(runner, io);
  put(io.stdout, `\n# Scanning the entire keyspace to find ${sought} as well as\n`);
  put(io.stdout, '# average sizes per key type.  You can use -i 0.1 to sleep 0.1 sec\n');
  put(io.stdout, '# per 100 SCAN commands (not usually needed).\n\n');
  let sampled = 0;
  let loops = 0;
  let pct = 0;
  let cursor = '0';
  do {
    pct = (100 * sampled) / totalKeys;
    const batch = await sendScan(runner, o, io, cursor);
    cursor = batch.cursor;
    loops++;
    sampled += await each(pct, batch.keys);
    if (o.interval > 0 && loops % 100 === 0) await sleep(o.interval);
  } while (!stop.cancelled() && cursor !== '0');
  return pct;
}

export async function bigKeysMode(o: CliOptions, io: Io, memkeys: boolean): Promise<number> {
  const runner = await connectOrExit(o, io);
  const conn = runner.session!.conn;
  const out = (s: string): void => put(io.stdout, s);
  const types = new Map<string, TypeInfo>();
  for (const [name, sizeCmd, sizeUnit] of TYPE_TEMPLATES) types.set(name, { name, sizeCmd, sizeUnit, biggest: 0n, count: 0n, totalSize: 0n, biggestKey: null });
  const stop = cancelOnSigint();
  try {
    let sampled = 0n;
    let totlen = 0n;
    const pct = await walkKeyspace(runner, o, io, stop, 'biggest keys', async (pct, keys) => {
      const before = sampled;
      // getKeyTypes(): TYPE for every key, pipelined.
      for (const k of keys) conn.send(['TYPE', k]);
      const kinds: (TypeInfo | null)[] = [];
      for (const k of keys) {
        const r = await readOrExit(runner, io);
        if (r.type !== 'status') {
          if (r.type === 'error') put(io.stderr, `TYPE returned an error: ${r.value}\n`);
          else put(io.stderr, `Invalid reply type (${hiredisType(r)}) for TYPE on key '${cbytes(k).toString('latin1')}'!\n`);
          throw new CliExit(1);
        }
        let t = types.get(r.value) ?? null;
        if (t === null && r.value !== 'none') {
          t = { name: r.value, sizeCmd: null, sizeUnit: '?', biggest: 0n, count: 0n, totalSize: 0n, biggestKey: null };
          types.set(r.value, t);
        }
        kinds.push(t);
      }
      // getKeySizes(): the size command (or MEMORY USAGE) for every key, pipelined.
      const wanted = (t: TypeInfo | null): t is TypeInfo => t !== null && (t.sizeCmd !== null || memkeys);
      keys.forEach((k, i) => {
        const t = kinds[i]!;
        if (!wanted(t)) return;
        if (!memkeys) conn.send([t.sizeCmd!, k]);
        else if (o.memkeysSamples === 0) conn.send(['MEMORY', 'USAGE', k]);
        else conn.send(['MEMORY', 'USAGE', k, 'SAMPLES', String(o.memkeysSamples)]);
      });
      const sizes: bigint[] = [];
      for (let i = 0; i < keys.length; i++) {
        const t = kinds[i]!;
        if (!wanted(t)) {
          sizes.push(0n);
          continue;
        }
        const r = await readOrExit(runner, io);
        if (r.type !== 'integer') {
          put(io.stderr, `Warning:  ${!memkeys ? t.sizeCmd : 'MEMORY USAGE'} on '${cbytes(keys[i]!).toString('latin1')}' failed (may have changed type)\n`);
          sizes.push(0n);
        } else sizes.push(BigInt(r.value));
      }
      for (let i = 0; i < keys.length; i++) {
        const t = kinds[i];
        if (!t) continue;
        t.totalSize += sizes[i]!;
        t.count++;
        totlen += BigInt(keys[i]!.length);
        sampled++;
        if (t.biggest < sizes[i]!) {
          t.biggestKey = repr(keys[i]!);
          out(`[${pct5(pct)}%] Biggest ${t.name.padEnd(6)} found so far '${t.biggestKey}' with ${sizes[i]} ${!memkeys ? t.sizeUnit : 'bytes'}\n`);
          t.biggest = sizes[i]!;
        }
        if (sampled % 1000000n === 0n) out(`[${pct5(pct)}%] Sampled ${sampled} keys so far\n`);
      }
      return Number(sampled - before);
    });

    out('\n-------- summary -------\n\n');
    if (stop.cancelled()) out(`[${pct5(pct)}%] `);
    out(`Sampled ${sampled} keys in the keyspace!\n`);
    out(`Total key length in bytes is ${totlen} (avg len ${ratio2(totlen, sampled)})\n\n`);
    for (const t of types.values()) {
      if (t.biggestKey !== null) out(`Biggest ${t.name.padStart(6)} found '${t.biggestKey}' has ${t.biggest} ${!memkeys ? t.sizeUnit : 'bytes'}\n`);
    }
    out('\n');
    for (const t of types.values()) {
      out(`${t.count} ${t.name}s with ${t.totalSize} ${!memkeys ? t.sizeUnit : 'bytes'} (${pct5(sampled === 0n ? 0 : (100 * Number(t.count)) / Number(sampled))}% of keys, avg size ${ratio2(t.totalSize, t.count)})\n`);
    }
    return 0;
  } finally {
    stop.remove();
    runner.close();
  }
}

/** hiredis's type number of a reply, for "Invalid reply type (N)". */
function hiredisType(r: Reply): number {
  const n: Record<Reply['type'], number> = { string: 1, array: 2, integer: 3, nil: 4, status: 5, error: 6, double: 7, bool: 8, map: 9, set: 10, push: 12, bignum: 13, verbatim: 14 };
  return n[r.type];
}

/** HOTKEYS_SAMPLE: how many hot keys findHotKeys() keeps. */
const HOTKEYS_SAMPLE = 16;

/**
 * --hotkeys (findHotKeys): OBJECT FREQ for every key SCAN returns, the 16
 * highest counters kept in redis-cli's little eviction pool, and its
 * summary. An error from OBJECT FREQ (a server without an LFU
 * maxmemory-policy) is printed as "Error: ..." and exits 1, as in redis-cli.
 */
export async function hotKeysMode(o: CliOptions, io: Io): Promise<number> {
  const runner = await connectOrExit(o, io);
  const conn = runner.session!.conn;
  const out = (s: string): void => put(io.stdout, s);
  const counters: bigint[] = new Array<bigint>(HOTKEYS_SAMPLE).fill(0n);
  const hotkeys: (string | null)[] = new Array<string | null>(HOTKEYS_SAMPLE).fill(null);
  const stop = cancelOnSigint();
  try {
    let sampled = 0n;
    const pct = await walkKeyspace(runner, o, io, stop, 'hot keys', async (pct, keys) => {
      // getKeyFreqs(): OBJECT FREQ for every key, pipelined.
      for (const k of keys) conn.send(['OBJECT', 'FREQ', k]);
      const freqs: bigint[] = [];
      for (const k of keys) {
        const r = await readOrExit(runner, io);
        if (r.type === 'integer') freqs.push(BigInt(r.value));
        else if (r.type === 'error') {
          put(io.stderr, `Error: ${r.value}\n`);
          throw new CliExit(1);
        } else {
          put(io.stderr, `Warning: OBJECT freq on '${repr(k)}' failed (may have been deleted)\n`);
          freqs.push(0n);
        }
      }
      for (let i = 0; i < keys.length; i++) {
        sampled++;
        if (sampled % 1000000n === 0n) out(`[${pct5(pct)}%] Sampled ${sampled} keys so far\n`);
        const f = freqs[i]!;
        let k = 0;
        while (k < HOTKEYS_SAMPLE && f > counters[k]!) k++;
        if (k === 0) continue;
        k--;
        if (k !== 0 && counters[k] !== 0n) {
          // The pool is full up to k: drop the coldest and shift the rest down.
          counters.splice(0, 1);
          counters.splice(k, 0, 0n);
          hotkeys.splice(0, 1);
          hotkeys.splice(k, 0, null);
        }
        counters[k] = f;
        hotkeys[k] = repr(keys[i]!);
        out(`[${pct5(pct)}%] Hot key '${hotkeys[k]}' found so far with counter ${f}\n`);
      }
      return keys.length;
    });
    out('\n-------- summary -------\n\n');
    if (stop.cancelled()) out(`[${pct5(pct)}%] `);
    out(`Sampled ${sampled} keys in the keyspace!\n`);
    for (let i = 1; i <= HOTKEYS_SAMPLE; i++) {
      const k = HOTKEYS_SAMPLE - i;
      if (counters[k]! > 0n) out(`hot key found with counter: ${counters[k]}\tkeyname: ${hotkeys[k]}\n`);
    }
    return 0;
  } finally {
    stop.remove();
    runner.close();
  }
}
