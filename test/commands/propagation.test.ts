/**
 * The propagation stream (src/commands/propagation.ts) against what Redis
 * 7.0.15 writes to its append-only file for the same commands: a live
 * redis-server with `appendonly yes` and `appendfsync always` runs the
 * script, and its AOF's commands are the expected stream. mini-kv's stream,
 * read as an AOF reader would (SELECT when the database changes, the
 * replica-only PUBLISH left out), must be the same command for command.
 * Absolute times are masked on both sides; mini-kv's are then checked
 * against the time each command ran. The AOF recorded from Redis
 * (test/fixtures/propagation.json) stands in when redis-server is missing;
 * MINIKV_RECORD_FIXTURES=1 rewrites it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { redisServerBin, startRedisServer } from '../cli/oracle.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { RespClient } from './resp-client.js';
import { TARGET_AOF, TARGET_REPL, type PropagatedCommand } from '../../src/commands/propagation.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/propagation.json');
const RECORDING = process.env.MINIKV_RECORD_FIXTURES === '1';

/** A command to send, or a pause (ms) so a short TTL passes. */
type Step = string[] | number;

const SCRIPT: Step[] = [
  ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'],
  ['SET', 'a', '1', 'EX', '100'],
  ['set', 'b', '2', 'GET'],
  ['SET', 'b', '3', 'PXAT', '99999999999999', 'GET'],
  ['SET', 'b2', '3', 'NX', 'EX', '50'],
  ['SET', 'b2', '4', 'NX', 'EX', '50'],
  ['SET', 'k', 'v', 'KEEPTTL'],
  ['SETEX', 'c', '100', 'v'],
  ['PSETEX', 'c2', '100000', 'v'],
  ['GETEX', 'a', 'PX', '5000'],
  ['GETEX', 'a', 'PERSIST'],
  ['GETEX', 'a', 'PERSIST'],
  ['GETEX', 'a', 'EX', '100'],
  ['GETEX', 'a', 'EXAT', '1'],
  ['GETDEL', 'b'],
  ['GETDEL', 'nosuch'],
  ['GETSET', 'c', 'w'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCR', 'i'],
  ['DECRBY', 'i', '5'],
  ['APPEND', 's', 'x'],
  ['SETRANGE', 's', '3', 'y'],
  ['MSET', 'm1', '1', 'm2', '2'],
  ['MSETNX', 'm1', '1', 'm3', '3'],
  ['EXPIRE', 'c', '100', 'NX'],
  ['EXPIRE', 'c', '100', 'NX'],
  ['EXPIRE', 'c', '-1'],
  ['PEXPIREAT', 'c2', '99999999999999'],
  ['pexpire', 'c2', '99999999'],
  ['EXPIREAT', 'c2', '99999999999', 'GT'],
  ['DEL', 'nosuch'],
  // Writes that fail change nothing and go nowhere.
  ['SET', 'k', 'v', 'EX', '0'],
  ['SET', 'k', 'v', 'NX', 'XX'],
  ['INCR', 's'],
  ['INCRBYFLOAT', 's', 'x'],
  ['EXPIRE', 'k', 'soon'],
  ['MSET', 'k'],
  ['MULTI'], ['SET', 'k'], ['EXEC'],
  ['DEL', 'nosuch'],
  ['DEL', 'm1', 'nosuch'],
  ['UNLINK', 'm2'],
  ['PUBLISH', 'ch', 'm'],
  ['SETNX', 'n', '1'],
  ['SETNX', 'n', '1'],
  ['RENAME', 'n', 'n2'],
  ['COPY', 'n2', 'n3'],
  ['MOVE', 'n3', '2'],
  ['PERSIST', 'n2'],
  ['EXPIRE', 'n2', '100'],
  ['PERSIST', 'n2'],
  // SET over a key past its time: the expiry's DEL and the SET, one unit.
  ['SET', 'e', 'v', 'PX', '1'],
  20,
  ['SET', 'e', 'w'],
  ['SET', 'e3', 'v', 'PX', '1'],
  ['MSET', 'e4', 'v', 'e5', 'v'],
  ['PEXPIRE', 'e4', '1'],
  20,
  ['MSET', 'e3', 'w', 'e4', 'w'],
  ['MULTI'], ['SET', 'x', '1'], ['INCR', 'x'], ['GET', 'x'], ['EXEC'],
  ['MULTI'], ['SET', 'y', '1'], ['EXEC'],
  ['MULTI'], ['GET', 'x'], ['EXEC'],
  ['MULTI'], ['SELECT', '3'], ['SET', 'y3', '1'], ['SELECT', '0'], ['SET', 'y0', '1'], ['EXEC'],
  ['SELECT', '2'], ['SET', 'z', '1'], ['SELECT', '0'],
  ['SET', 'e2', 'v', 'PX', '1'],
  20,
  ['GET', 'e2'],
  ['DEL', 'e2'],
  ['FLUSHDB'],
  ['SWAPDB', '0', '1'],
  ['FLUSHALL'],
];

/** Runs the script on one connection. */
async function play(port: number): Promise<void> {
  const c = await RespClient.connect(port);
  try {
    for (const step of SCRIPT) {
      if (typeof step === 'number') await new Promise((r) => setTimeout(r, step));
      else await c.call(...step);
    }
  } finally {
    c.close();
  }
}

/** The commands of an AOF (RESP arrays of bulk strings). */
function parseAof(text: string): string[][] {
  const out: string[][] = [];
  let pos = 0;
  const line = (): string => {
    const end = text.indexOf('\r\n', pos);
    const s = text.slice(pos, end);
    pos = end + 2;
    return s;
  };
  while (pos < text.length) {
    const n = Number(line().slice(1));
    const cmd: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = Number(line().slice(1));
      cmd.push(text.slice(pos, pos + len));
      pos += len + 2;
    }
    out.push(cmd);
  }
  return out;
}

/** mini-kv's stream as an AOF reader sees it: SELECT on a change of database, AOF targets only. */
function asAof(units: (readonly PropagatedCommand[])[]): string[][] {
  const out: string[][] = [];
  let db = -1;
  for (const unit of units) {
    for (const c of unit) {
      if (!(c.targets & TARGET_AOF)) continue;
      if (c.db !== db) {
        out.push(['SELECT', String(c.db)]);
        db = c.db;
      }
      out.push(c.argv.map((a) => (typeof a === 'string' ? a : a.latin1Slice(0, a.length))));
    }
  }
  return out;
}

/** Absolute millisecond times (13 digits or more) masked, so two runs compare. */
const masked = (cmds: string[][]): string[][] => cmds.map((c) => c.map((a) => (/^\d{13,}$/.test(a) && a !== '99999999999999' && a !== '99999999999000' ? '<ms>' : a)));

/** Runs the script on a redis-server with an AOF and returns the AOF's commands. */
async function redisAof(): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'minikv-aof-'));
  // Later options win: the AOF on, written before each reply.
  const redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
  try {
    await play(redis.port);
    const aofDir = join(dir, 'appendonlydir');
    const incr = readdirSync(aofDir).find((f) => f.endsWith('.incr.aof'))!;
    return parseAof(readFileSync(join(aofDir, incr), 'latin1'));
  } finally {
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('propagation stream', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer({ config: { 'enable-debug-command': 'yes' } });
  });
  after(async () => {
    await srv.close();
  });

  test('every write goes in as Redis 7.0.15 writes it to its AOF', async (t) => {
    const units: (readonly PropagatedCommand[])[] = [];
    const stop = srv.server.propagation.subscribe((unit) => units.push(unit));
    const started = Date.now();
    try {
      await play(srv.port);
    } finally {
      stop();
    }
    const ours = asAof(units);
    let expected: string[][];
    if (redisServerBin() !== null) {
      expected = masked(await redisAof());
      if (RECORDING) writeFileSync(FIXTURE, `[\n${expected.map((c) => `  ${JSON.stringify(c)}`).join(',\n')}\n]\n`);
    } else {
      assert.ok(existsSync(FIXTURE), 'no redis-server and no recorded AOF');
      expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as string[][];
      t.diagnostic('redis-server not installed: compared with the AOF recorded from Redis 7.0.15');
    }
    // One line per command, so a difference reads as a diff of two AOFs.
    assert.deepEqual(masked(ours).map((c) => c.join(' ')), expected.map((c) => c.join(' ')));
    // The absolute times are the commands' own: now plus the relative TTL.
    const pxatOf = (key: string): number => Number(ours.find((c) => c[0] === 'SET' && c[1] === key && c[3] === 'PXAT')![4]);
    const ended = Date.now();
    for (const [key, ttl] of [['a', 100_000], ['c', 100_000], ['c2', 100_000], ['b2', 50_000]] as const) {
      const ms = pxatOf(key);
      assert.ok(ms >= started + ttl && ms <= ended + ttl, `${key}: PXAT ${ms} within the run plus ${ttl} ms`);
    }
    // PUBLISH went to replicas only.
    const publish = units.flat().find((c) => c.argv[0] === 'PUBLISH')!;
    assert.equal(publish.targets, TARGET_REPL);
  });

  test('an execution unit of several commands comes wrapped in MULTI … EXEC; nobody reading costs nothing', async () => {
    const units: (readonly PropagatedCommand[])[] = [];
    const stop = srv.server.propagation.subscribe((unit) => units.push(unit));
    const c = await RespClient.connect(srv.port);
    try {
      await c.call('MULTI');
      await c.call('SET', 'u1', '1');
      await c.call('SET', 'u2', '2');
      await c.call('EXEC');
      await c.call('SET', 'u3', '3');
      assert.deepEqual(units.map((u) => u.map((x) => x.argv.join(' '))), [['MULTI', 'SET u1 1', 'SET u2 2', 'EXEC'], ['SET u3 3']]);
      stop();
      assert.equal(srv.server.propagation.active, false);
      await c.call('SET', 'u4', '4');
      assert.equal(units.length, 2, 'nothing is delivered once the reader has gone');
    } finally {
      c.close();
      stop();
    }
  });

  test('active expiry propagates each expired key as a DEL unit of its own', async () => {
    const units: (readonly PropagatedCommand[])[] = [];
    const c = await RespClient.connect(srv.port);
    try {
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
      await c.call('SET', 'gone1', 'v', 'PX', '1');
      await c.call('SET', 'gone2', 'v', 'PX', '1');
      const stop = srv.server.propagation.subscribe((unit) => units.push(unit));
      await new Promise((r) => setTimeout(r, 10));
      srv.server.activeExpire.drain();
      stop();
      assert.deepEqual(units.map((u) => u.map((x) => x.argv.join(' '))).sort(), [['DEL gone1'], ['DEL gone2']]);
    } finally {
      await c.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      c.close();
    }
  });
});
