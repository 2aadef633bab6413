/**
 * mini-kv-cli's modes against redis-cli 7.0.15 and exact expectations:
 * pub/sub and MONITOR (they keep printing until SIGINT), --scan, --bigkeys,
 * --memkeys, --stat, --latency, --latency-history, --pipe and
 * --pipe-timeout, -r/-i, -x/-X, -e, and a connection lost while reading
 * commands from stdin. Long-running modes are spawned, read until N lines
 * arrive and stopped with SIGINT; every loop is bounded in count and time.
 * Fake RESP servers make the outputs deterministic (so they are also
 * checked against recorded fixtures when redis-cli is absent); redis-server,
 * when installed, is the real pub/sub and MONITOR peer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { statMode } from '../../src/cli/modes/stat.js';
import { defaultOptions } from '../../src/cli/options.js';
import { NO_REDIS_CLI, startTestServer, type TestServer } from '../helpers.js';
import {
  Fixtures,
  miniCli,
  NO_REDIS_SERVER,
  oracleLive,
  redisCliRun,
  redisServerBin,
  spawnUntil,
  startFakeServer,
  startRedisServer,
  type FakeReply,
  type FakeServer,
  type Run,
  type RunOptions,
} from './oracle.js';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

const bulk = (s: string): string => `$${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
const arr = (...items: string[]): string => `*${items.length}\r\n${items.join('')}`;
const fixtures = new Fixtures('modes');
const live = oracleLive();

/** redis-cli's result for `key`, live or recorded; undefined when neither is available. */
async function oracle(key: string, args: string[], opts: RunOptions = {}): Promise<Run | undefined> {
  if (live) {
    const r = await redisCliRun(args, opts);
    if (fixtures.recording) fixtures.set(key, r);
    return r;
  }
  return fixtures.get(key);
}

/** The keyspace of the fake server: SCAN in two batches, TYPE, sizes, DBSIZE; MEMORY USAGE fails as on mini-kv. */
const KEYS: Record<string, [string, number]> = { 'user:1': ['string', 12], 'user:2': ['string', 40], 'we"ird\n': ['string', 3], queue: ['list', 7], h: ['hash', 2], tags: ['set', 5], board: ['zset', 9], events: ['stream', 4], gone: ['none', 0] };
function keyspace(args: string[]): FakeReply | null {
  const [cmd, a1, , a3] = args.map((a, i) => (i === 0 ? a.toUpperCase() : a));
  const names = Object.keys(KEYS);
  switch (cmd) {
    case 'DBSIZE': return `:${names.length}\r\n`;
    case 'SCAN': {
      const match = args[2] === 'MATCH' ? a3 : null;
      const pick = (ks: string[]): string[] => ks.filter((k) => match === null || match === undefined || k.startsWith(match.replace('*', '')));
      if (a1 === '0') return arr(bulk('17'), arr(...pick(names.slice(0, 5)).map(bulk)));
      return arr(bulk('0'), arr(...pick(names.slice(5)).map(bulk)));
    }
    case 'TYPE': return `+${KEYS[a1!]?.[0] ?? 'none'}\r\n`;
    case 'STRLEN': case 'LLEN': case 'HLEN': case 'SCARD': case 'ZCARD': case 'XLEN':
      return `:${KEYS[a1!]?.[1] ?? 0}\r\n`;
    case 'OBJECT': return `:${[5, 200, 3, 17, 0, 9, 255, 1, 0][Object.keys(KEYS).indexOf(a1 === 'FREQ' ? args[2]! : '')] ?? 0}\r\n`;
    case 'MEMORY': return "-ERR unknown command 'MEMORY', with args beginning with: 'USAGE' \r\n";
    case 'INFO': return bulk('# Server\r\nredis_version:7.0.15\r\n# Clients\r\nconnected_clients:3\r\nblocked_clients:1\r\n# Memory\r\nused_memory:1536000\r\n# Persistence\r\nloading:0\r\nbgsave_in_progress:0\r\naof_rewrite_in_progress:0\r\n# Stats\r\ntotal_connections_received:12\r\ntotal_commands_processed:345\r\n# Keyspace\r\ndb0:keys=7,expires=0,avg_ttl=0\r\ndb3:keys=5,expires=1,avg_ttl=10\r\n');
    default: return null;
  }
}

let fake: FakeServer;
let mk: TestServer;
before(async () => {
  fake = await startFakeServer((args) => {
    const name = args[0]!.toUpperCase();
    if (name === 'SUBSCRIBE') {
      return { chunks: [arr(bulk('subscribe'), bulk(args[1]!), ':1\r\n'), arr(bulk('message'), bulk(args[1]!), bulk('hello')), arr(bulk('message'), bulk(args[1]!), bulk('two\nlines'))], gapMs: 10 };
    }
    if (name === 'SSUBSCRIBE') return { chunks: [arr(bulk('ssubscribe'), bulk(args[1]!), ':1\r\n'), arr(bulk('smessage'), bulk(args[1]!), bulk('sharded'))], gapMs: 10 };
    if (name === 'PSUBSCRIBE') return `>3\r\n${bulk('psubscribe')}${bulk(args[1]!)}:1\r\n>4\r\n${bulk('pmessage')}${bulk(args[1]!)}${bulk('news.1')}${bulk('x')}`;
    if (name === 'MONITOR') return { chunks: ['+OK\r\n', '+1700000000.123456 [0 127.0.0.1:5555] "set" "a" "b"\r\n', '+1700000000.223456 [0 127.0.0.1:5555] "get" "a"\r\n'], gapMs: 10 };
    if (name === 'DIE' || name === 'SHUTDOWN') return 'close';
    if (name === 'ECHO' && args.length === 2 && args[1]!.length === 20) return ''; // swallow the --pipe marker
    return keyspace(args);
  });
  mk = await startTestServer();
});
after(async () => {
  await fake.close();
  await mk.close();
  fixtures.save();
});

const P = (): string[] => ['-p', String(fake.port)];

describe('mini-kv-cli - pub/sub and MONITOR keep printing until SIGINT', () => {
  const cases: [string, string[], number][] = [
    ['subscribe-raw', ['subscribe', 'news'], 9],
    ['subscribe-tty', ['--no-raw', 'subscribe', 'news'], 10],
    ['psubscribe-resp3-tty', ['-3', '--no-raw', 'psubscribe', 'news.*'], 8],
    ['ssubscribe-csv', ['--csv', 'ssubscribe', 'shard'], 3],
    ['monitor-raw', ['monitor'], 3],
    ['monitor-tty', ['--no-raw', 'monitor'], 3],
  ];
  for (const [name, args, lines] of cases) {
    test(`${name}: ${args.join(' ')}`, async (t) => {
      const mini = await spawnUntil('mini', [...P(), ...args], lines);
      assert.equal(mini.signal, 'SIGINT', 'still running when interrupted');
      let expected: Run | undefined;
      if (live) {
        const r = await spawnUntil('redis', [...P(), ...args], lines);
        expected = { code: r.code, stdout: r.stdout, stderr: r.stderr };
        if (fixtures.recording) fixtures.set(name, expected);
      } else expected = fixtures.get(name);
      if (expected === undefined) return t.skip(NO_REDIS_CLI);
      assert.deepEqual({ stdout: mini.stdout, stderr: mini.stderr }, { stdout: expected.stdout, stderr: expected.stderr });
    });
  }

  test('the subscribe output, spelled out', async () => {
    const r = await spawnUntil('mini', [...P(), '--no-raw', 'subscribe', 'news'], 10);
    assert.equal(r.stdout, 'Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1\n1) "message"\n2) "news"\n3) "hello"\n1) "message"\n2) "news"\n3) "two\\nlines"\n');
  });

  test('against redis-server: SUBSCRIBE then PUBLISH, and MONITOR, as redis-cli prints them', async (t) => {
    if (redisServerBin() === null) return t.skip(NO_REDIS_SERVER);
    const rs = await startRedisServer();
    try {
      const port = String(rs.port);
      const publish = async (): Promise<void> => {
        // Publish once the subscriber and the monitor are in place (at most 5 s of 50 ms polls).
        for (let i = 0; i < 100; i++) {
          const [numsub, clients] = await Promise.all([miniCli(['-p', port, 'pubsub', 'numsub', 'ch']), miniCli(['-p', port, 'client', 'list'])]);
          if (numsub.stdout === 'ch\n1\n' && clients.stdout.includes('flags=O')) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await miniCli(['-p', port, 'publish', 'ch', 'hi there']);
        await miniCli(['-p', port, 'set', 'k', 'v']);
      };
      const [sub, mon] = await Promise.all([spawnUntil('mini', ['-p', port, 'subscribe', 'ch'], 6), spawnUntil('mini', ['-p', port, '-3', 'monitor'], 0, { until: /"set" "k" "v"\n/ }), publish()]);
      assert.equal(sub.stdout, 'subscribe\nch\n1\nmessage\nch\nhi there\n');
      assert.equal(sub.signal, 'SIGINT');
      assert.equal(mon.signal, 'SIGINT');
      assert.match(mon.stdout, /^OK\n(\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "(subscribe" "ch|pubsub" "numsub" "ch|client" "list)"\n)*\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "publish" "ch" "hi there"\n\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "set" "k" "v"\n$/);
    } finally {
      await rs.close();
    }
  });

  test('SIGINT while subscribed from piped stdin leaves pub/sub mode, connects again and goes on with the next line', async (t) => {
    const args = [...P(), '--no-raw'];
    const stdin = 'subscribe news\nping\n';
    const mine = await spawnUntil('mini', args, 10, { stdin });
    assert.deepEqual({ code: mine.code, signal: mine.signal }, { code: 0, signal: null });
    const expected = 'Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1\n1) "message"\n2) "news"\n3) "hello"\n1) "message"\n2) "news"\n3) "two\\nlines"\nOK\n';
    assert.deepEqual([mine.stdout, mine.stderr], [expected, '']);
    if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
    const r = await spawnUntil('redis', args, 10, { stdin });
    assert.deepEqual([r.stdout, r.stderr, r.code], [mine.stdout, mine.stderr, mine.code]);
  });

  test('SUBSCRIBE answered with an error leaves pub/sub mode; a -r repeat then reads one reply', async (t) => {
    // A server without pub/sub (a fake one here) answers SUBSCRIBE as an unknown command.
    const f = await startFakeServer((args) => (args[0]!.toUpperCase() === 'SUBSCRIBE' ? "-ERR unknown command 'subscribe', with args beginning with: 'ch' \r\n" : null));
    try {
      const port = String(f.port);
      const err = "(error) ERR unknown command 'subscribe', with args beginning with: 'ch' \n";
      const mine = await miniCli(['-p', port, '--no-raw', '-r', '2', 'subscribe', 'ch']);
      assert.deepEqual(mine, { code: 0, stdout: `Reading messages... (press Ctrl-C to quit)\n${err}${err}`, stderr: '' });
      const expected = await oracle('subscribe-error-repeat', ['-p', port, '--no-raw', '-r', '2', 'subscribe', 'ch']);
      if (expected === undefined) return t.skip(NO_REDIS_CLI);
      assert.deepEqual(mine, expected);
    } finally {
      await f.close();
    }
  });

  test('MONITOR answered with an error prints it and exits 0; SUBSCRIBE in RESP2 after an error returns', async () => {
    const f = await startFakeServer((args) => (args[0]!.toUpperCase() === 'MONITOR' ? '-ERR MONITOR isn\'t allowed here\r\n' : null));
    try {
      assert.deepEqual(await miniCli(['-p', String(f.port), 'monitor']), { code: 0, stdout: "ERR MONITOR isn't allowed here\n\n", stderr: '' });
    } finally {
      await f.close();
    }
  });
});

describe('mini-kv-cli - --scan, --bigkeys, --memkeys, --stat', () => {
  const cases: Record<string, string[]> = {
    scan: ['--scan'],
    'scan-tty-pattern': ['--no-raw', '--scan', '--pattern', 'user:*'],
    bigkeys: ['--bigkeys'],
    memkeys: ['--memkeys'],
    'memkeys-samples': ['--memkeys-samples', '5'],
    hotkeys: ['--hotkeys'],
    'hotkeys-pattern': ['--hotkeys', '--pattern', 'user:*'],
  };
  for (const [name, args] of Object.entries(cases)) {
    test(`${name}: ${args.join(' ')} prints what redis-cli prints`, async (t) => {
      const expected = await oracle(name, [...P(), ...args]);
      if (expected === undefined) return t.skip(NO_REDIS_CLI);
      assert.deepEqual(await miniCli([...P(), ...args]), expected);
    });
  }

  test('SIGINT stops --bigkeys after the current batch and prints the summary so far; --scan just stops (exit 0)', async (t) => {
    // A keyspace that never ends: every SCAN returns one more key and a non-zero cursor, a little late.
    let n = 0;
    const endless = await startFakeServer((args) => {
      const cmd = args[0]!.toUpperCase();
      if (cmd === 'SCAN') return { chunks: ['', arr(bulk('5'), arr(bulk(`key:${n++}`)))], gapMs: 15 };
      if (cmd === 'DBSIZE') return ':1000\r\n';
      if (cmd === 'TYPE') return '+string\r\n';
      if (cmd === 'STRLEN') return `:${args[1]!.length}\r\n`;
      return null;
    });
    try {
      const args = ['-p', String(endless.port), '--bigkeys'];
      const big = await spawnUntil('mini', args, 0, { until: /"key:10"/ });
      assert.deepEqual([big.code, big.signal, big.stderr], [0, null, '']);
      assert.match(big.stdout, /\n-------- summary -------\n\n\[\d\d\.\d\d%\] Sampled \d+ keys in the keyspace!\n/);
      const scan = await spawnUntil('mini', ['-p', String(endless.port), '--scan'], 3);
      assert.deepEqual([scan.code, scan.signal], [0, null]);
      if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
      const theirs = await spawnUntil('redis', args, 0, { until: /"key:\d+"/ });
      assert.deepEqual([theirs.code, theirs.signal], [0, null]);
      assert.match(theirs.stdout, /\n-------- summary -------\n\n\[\d\d\.\d\d%\] Sampled \d+ keys in the keyspace!\n/);
    } finally {
      await endless.close();
    }
  });

  test('--bigkeys report, spelled out (summary order as redis-cli 7.0 prints it)', async () => {
    const r = await miniCli([...P(), '--bigkeys']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout.split('-------- summary -------')[1],
      '\n\nSampled 8 keys in the keyspace!\nTotal key length in bytes is 40 (avg len 5.00)\n\n' +
        "Biggest   list found '\"queue\"' has 7 items\nBiggest   hash found '\"h\"' has 2 fields\nBiggest string found '\"user:2\"' has 40 bytes\nBiggest stream found '\"events\"' has 4 entries\nBiggest    set found '\"tags\"' has 5 members\nBiggest   zset found '\"board\"' has 9 members\n\n" +
        '1 lists with 7 items (12.50% of keys, avg size 7.00)\n1 hashs with 2 fields (12.50% of keys, avg size 2.00)\n3 strings with 55 bytes (37.50% of keys, avg size 18.33)\n1 streams with 4 entries (12.50% of keys, avg size 4.00)\n1 sets with 5 members (12.50% of keys, avg size 5.00)\n1 zsets with 9 members (12.50% of keys, avg size 9.00)\n',
    );
  });

  test('--memkeys on a server without MEMORY USAGE (mini-kv): a warning per key, sizes 0, as redis-cli', async () => {
    const r = await miniCli(['-p', String(mk.port), '--memkeys']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Sampled 0 keys in the keyspace!\n/);
    await miniCli(['-p', String(mk.port), 'set', 'mem:k', 'v']);
    const one = await miniCli(['-p', String(mk.port), '--memkeys']);
    assert.equal(one.stderr, "Warning:  MEMORY USAGE on 'mem:k' failed (may have changed type)\n");
    assert.match(one.stdout, /1 strings with 0 bytes \(100\.00% of keys, avg size 0\.00\)\n/);
    await miniCli(['-p', String(mk.port), 'del', 'mem:k']);
  });

  test('against redis-server with every type: --bigkeys, --memkeys and --hotkeys print what redis-cli prints', async (t) => {
    if (redisServerBin() === null || !live) return t.skip(`${NO_REDIS_SERVER}, or ${NO_REDIS_CLI}`);
    const rs = await startRedisServer(['--maxmemory-policy', 'allkeys-lfu']);
    try {
      const p = ['-p', String(rs.port)];
      for (const cmd of [['set', 's', 'hello'], ['rpush', 'l', 'a', 'b', 'c'], ['hset', 'h', 'f', 'v', 'g', 'w'], ['sadd', 'st', 'x'], ['zadd', 'z', '1', 'm'], ['xadd', 'x', '*', 'f', 'v'], ['set', 'big', 'x'.repeat(100)]]) {
        await miniCli([...p, ...cmd]);
      }
      for (const mode of [['--bigkeys'], ['--memkeys'], ['--memkeys-samples', '2'], ['--hotkeys'], ['--no-raw', '--scan']]) {
        const mine = await miniCli([...p, ...mode]);
        assert.deepEqual(mine, await redisCliRun([...p, ...mode]), mode.join(' '));
        assert.equal(mine.code, 0);
      }
    } finally {
      await rs.close();
    }
  });

  test('--hotkeys on mini-kv (no LFU policy): the error from OBJECT FREQ, exit 1, as redis-cli', async (t) => {
    const port = String(mk.port);
    await miniCli(['-p', port, 'set', 'hot:k', 'v']);
    try {
      const mine = await miniCli(['-p', port, '--hotkeys']);
      assert.equal(mine.code, 1);
      assert.match(mine.stderr, /^Error: ERR An LFU maxmemory policy is not selected/);
      if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
      assert.deepEqual(mine, await redisCliRun(['-p', port, '--hotkeys']));
    } finally {
      await miniCli(['-p', port, 'del', 'hot:k']);
    }
  });

  test('--scan against mini-kv lists the keys redis-cli lists; --count and --type are passed to SCAN', async (t) => {
    const port = String(mk.port);
    await miniCli(['-p', port, 'mset', 'scan:a', '1', 'scan:b', '2', 'other', '3']);
    try {
      const mine = await miniCli(['-p', port, '--scan', '--pattern', 'scan:*', '--count', '100', '--type', 'string']);
      assert.deepEqual(mine.stdout.split('\n').sort(), ['', 'scan:a', 'scan:b']);
      const none = await miniCli(['-p', port, '--scan', '--type', 'list']);
      assert.deepEqual(none, { code: 0, stdout: '', stderr: '' });
      if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
      const args = ['-p', port, '--no-raw', '--scan', '--pattern', 'scan:*'];
      assert.deepEqual(await miniCli(args), await redisCliRun(args));
    } finally {
      await miniCli(['-p', port, 'del', 'scan:a', 'scan:b', 'other']);
    }
  });

  test('--stat: the header, then one line per INFO', async (t) => {
    const out: Buffer[] = [];
    const stdout = new Writable({ write: (c: Buffer, _e, cb) => (out.push(Buffer.from(c)), cb()) });
    const o = { ...defaultOptions(), port: fake.port, mode: 'stat' as const, interval: 0.01 };
    assert.equal(await statMode(o, { stdout, stderr: stdout, env: {} }, 2), 0);
    const expected =
      '------- data ------ --------------------- load -------------------- - child -\n' +
      'keys       mem      clients blocked requests            connections          \n' +
      '12         1.46M    3       1       345 (+0)            12          \n' +
      '12         1.46M    3       1       345 (+0)            12          \n';
    assert.equal(Buffer.concat(out).toString('latin1'), expected);
    const spawned = await spawnUntil('mini', [...P(), '--stat', '-i', '0.01'], 4);
    assert.deepEqual([spawned.signal, spawned.stdout.split('\n').slice(0, 4).join('\n') + '\n'], ['SIGINT', expected]);
    if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
    const r = await spawnUntil('redis', [...P(), '--stat', '-i', '0.01'], 4);
    assert.equal(r.stdout.split('\n').slice(0, 4).join('\n') + '\n', expected);
  });
});

describe('mini-kv-cli - --latency, --latency-history', () => {
  test('--latency with --raw, --csv and --json samples for -i seconds and prints one line', async () => {
    const [raw, csv, json] = await Promise.all([
      miniCli([...P(), '--latency', '-i', '0.1', '--raw']),
      miniCli([...P(), '--latency', '-i', '0.1', '--csv']),
      miniCli([...P(), '--latency', '-i', '0.1', '--json']),
    ]);
    assert.match(raw.stdout, /^\d+ \d+ \d+\.\d\d \d+\n$/);
    assert.match(csv.stdout, /^\d+,\d+,\d+\.\d\d,\d+\n$/);
    assert.match(json.stdout, /^\{"min": \d+, "max": \d+, "avg": \d+\.\d\d, "count": \d+\}\n$/);
    assert.deepEqual([raw.code, csv.code, json.code, raw.stderr], [0, 0, 0, '']);
  });

  test('--latency-history prints a range line every -i seconds until SIGINT', async () => {
    const r = await spawnUntil('mini', [...P(), '--latency-history', '-i', '0.05', '--raw'], 12);
    assert.equal(r.signal, 'SIGINT');
    assert.match(r.stdout, /^(\d+ \d+ \d+\.\d\d \d+\n)+ -- 0\.\d\d seconds range\n/);
  });

  test('--latency-dist: the legend as redis-cli prints it, then a spectrum line every -i seconds; --mono greys', async (t) => {
    const line = /^\x1b\[38;5;0m(\x1b\[48;5;\d+m[.\-*#1-9A-Q?]){31}\x1b\[0m$/;
    for (const extra of [[], ['--mono']]) {
      const args = [...P(), '--latency-dist', '-i', '0.1', ...extra];
      const mine = await spawnUntil('mini', args, 9);
      assert.equal(mine.signal, 'SIGINT');
      const lines = mine.stdout.split('\n');
      assert.match(lines[8]!, line);
      assert.match(lines[6]!, extra.length === 0 ? /^From 0 to 100%: (\x1b\[48;5;\d+m ){19}\x1b\[0m$/ : /^From 0 to 100%: (\x1b\[48;5;\d+m ){13}\x1b\[0m$/);
      if (!live) {
        t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
        continue;
      }
      const theirs = await spawnUntil('redis', args, 9);
      assert.deepEqual(theirs.stdout.split('\n').slice(0, 8), lines.slice(0, 8));
      assert.match(theirs.stdout.split('\n')[8]!, line);
    }
  });

  test('--intrinsic-latency needs no server; SIGINT ends it early with the summary', async () => {
    const r = await spawnUntil('mini', ['--intrinsic-latency', '5'], 1);
    assert.deepEqual([r.code, r.signal, r.stderr], [0, null, '']);
    assert.match(r.stdout, /^(Max latency so far: \d+ microseconds\.\n)+\n\d+ total runs \(avg latency: \d+\.\d{4} microseconds \/ \d+\.\d\d nanoseconds per run\)\.\nWorst run took \d+x longer than the average latency\.\n$/);
  });

  test('--latency on a terminal redraws one line', async () => {
    const r = await spawnUntil('mini', [...P(), '--latency'], 1, { env: { FAKETTY: '1' }, until: /samples\)/ });
    assert.equal(r.signal, 'SIGINT');
    assert.match(r.stdout, /^\x1b\[0G\x1b\[2Kmin: \d+, max: \d+, avg: \d+\.\d\d \(1 samples\)/);
  });
});

describe('mini-kv-cli - --pipe', () => {
  const proto = (...cmds: string[][]): string => cmds.map((c) => arr(...c.map(bulk))).join('');

  test('mass insertion into mini-kv: summary lines as redis-cli, errors counted, exit 1 on errors', async (t) => {
    const port = String(mk.port);
    const cmds: string[][] = [];
    for (let i = 0; i < 200; i++) cmds.push(['SET', `pipe:${i}`, String(i)]);
    cmds.push(['INCR', 'pipe:1x']);
    cmds.push(['NOSUCH']);
    const stdin = proto(...cmds);
    const mine = await miniCli(['-p', port, '--pipe'], { stdin });
    assert.deepEqual(mine, {
      code: 1,
      stdout: 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 1, replies: 202\n',
      stderr: "ERR unknown command 'NOSUCH', with args beginning with: \n",
    });
    assert.equal((await miniCli(['-p', port, 'get', 'pipe:199'])).stdout, '199\n');
    const ok = await miniCli(['-p', port, '--pipe'], { stdin: proto(['DEL', 'pipe:1x']) });
    assert.deepEqual(ok, { code: 0, stdout: 'All data transferred. Waiting for the last reply...\nLast reply received from server.\nerrors: 0, replies: 1\n', stderr: '' });
    if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
    assert.deepEqual(await redisCliRun(['-p', port, '--pipe'], { stdin }), mine);
  });

  test('--pipe-timeout: no reply to the final ECHO within N seconds', async () => {
    const r = await miniCli([...P(), '--pipe', '--pipe-timeout', '1'], { stdin: proto(['DBSIZE']) });
    assert.deepEqual(r, { code: 1, stdout: 'All data transferred. Waiting for the last reply...\nerrors: 1, replies: 1\n', stderr: 'No replies for 1 seconds: exiting.\n' });
  });
});

describe('mini-kv-cli - -c follows -MOVED and -ASK as redis-cli does', () => {
  test('one-shot and piped: the command goes again to the node named in the redirection (ASKING first for -ASK)', async (t) => {
    const b = await startFakeServer((args) => (args[0]!.toUpperCase() === 'GET' ? bulk(`from b: ${args[1]}`) : null));
    const a = await startFakeServer((args) => {
      const cmd = args.join(' ').toLowerCase();
      if (cmd === 'get moved') return `-MOVED 3999 127.0.0.1:${b.port}\r\n`;
      if (cmd === 'get asked') return `-ASK 42 127.0.0.1:${b.port}\r\n`;
      return null;
    });
    try {
      const pa = String(a.port);
      const runs: [string, string[], RunOptions, Run][] = [
        ['moved', ['-p', pa, '-c', '--no-raw', 'get', 'moved'], {}, { code: 0, stdout: '"from b: moved"\n', stderr: '' }],
        ['ask', ['-p', pa, '-c', 'get', 'asked'], {}, { code: 0, stdout: 'from b: asked\n', stderr: '' }],
        ['no-c', ['-p', pa, 'get', 'moved'], {}, { code: 0, stdout: `MOVED 3999 127.0.0.1:${b.port}\n\n`, stderr: '' }],
        ['piped', ['-p', pa, '-c'], { stdin: 'get moved\nget moved\n' }, { code: 0, stdout: `-> Redirected to slot [3999] located at 127.0.0.1:${b.port}\nfrom b: moved\nfrom b: moved\n`, stderr: '' }],
      ];
      for (const [name, args, opts, expected] of runs) assert.deepEqual(await miniCli(args, opts), expected, name);
      const asked = b.received.findIndex((x) => x.join(' ').toLowerCase() === 'get asked');
      assert.deepEqual(b.received[asked - 1], ['ASKING']);
      assert.deepEqual(await miniCli(['-s', '/tmp/x.sock', '-c', 'ping']), { code: 1, stdout: '', stderr: 'Options -c and -s are mutually exclusive.\n' });
      if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
      for (const [name, args, opts, expected] of runs) assert.deepEqual(await redisCliRun(args, opts), expected, `redis-cli ${name}`);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('mini-kv-cli - -r, -i, -x, -X, -e and a lost connection', () => {
  test('-r 3 runs the command three times; -r -1 -i runs until SIGINT', async () => {
    const port = String(mk.port);
    assert.deepEqual(await miniCli(['-p', port, '-r', '3', 'incr', 'rep:n']), { code: 0, stdout: '1\n2\n3\n', stderr: '' });
    assert.deepEqual(await miniCli(['-p', port, '-r', '2', '-i', '0.01', '--no-raw', 'incr', 'rep:n']), { code: 0, stdout: '(integer) 4\n(integer) 5\n', stderr: '' });
    assert.deepEqual(await miniCli(['-p', port, '-r', '0', 'incr', 'rep:n']), { code: 0, stdout: '', stderr: '' });
    const forever = await spawnUntil('mini', ['-p', port, '-r', '-1', '-i', '0.01', 'incr', 'rep:n'], 5);
    assert.equal(forever.signal, 'SIGINT');
    assert.match(forever.stdout, /^6\n7\n8\n9\n10\n/);
  });

  test('-x reads the last argument from stdin, -X the tagged one; -e exits 1 on an error reply', async (t) => {
    const port = String(mk.port);
    const cases: [string, string[], string][] = [
      ['x', ['-x', 'set', 'xk'], 'from stdin\n'],
      ['x-get', ['get', 'xk'], ''],
      ['X', ['-X', 'TAG', 'set', 'xk2', 'TAG'], 'tagged'],
      ['X-get', ['--no-raw', 'get', 'xk2'], ''],
      ['X-nomatch', ['-X', 'TAG', 'set', 'xk2', 'v'], 'zzz'],
      ['e', ['-e', 'incr', 'xk'], ''],
      ['e-ok', ['-e', 'get', 'xk'], ''],
      ['no-e', ['incr', 'xk'], ''],
      ['quoted-input', ['--quoted-input', 'set', '"q\\x00k"', '"a b"'], ''],
      ['quoted-input-get', ['--no-raw', '--quoted-input', 'get', '"q\\x00k"'], ''],
      ['quoted-input-bad', ['--quoted-input', 'get', '"unbalanced'], ''],
    ];
    const mine: Run[] = [];
    for (const [, args, stdin] of cases) mine.push(await miniCli(['-p', port, ...args], { stdin }));
    assert.deepEqual(mine[1], { code: 0, stdout: 'from stdin\n\n', stderr: '' });
    assert.deepEqual(mine[3], { code: 0, stdout: '"tagged"\n', stderr: '' });
    assert.deepEqual(mine[4], { code: 1, stdout: '', stderr: 'Using -X option but stdin tag not match.\n' });
    assert.deepEqual(mine[5], { code: 1, stdout: '', stderr: 'ERR value is not an integer or out of range\n' });
    assert.deepEqual(mine[7], { code: 0, stdout: 'ERR value is not an integer or out of range\n\n', stderr: '' });
    assert.deepEqual(mine[9], { code: 0, stdout: '"a b"\n', stderr: '' });
    assert.deepEqual(mine[10], { code: 1, stdout: 'Invalid quoted string\n', stderr: '' });
    if (!live) return t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
    await miniCli(['-p', port, 'del', 'xk', 'xk2', 'q\x00k']);
    for (let i = 0; i < cases.length; i++) {
      const [name, args, stdin] = cases[i]!;
      assert.deepEqual(await redisCliRun(['-p', port, ...args], { stdin }), mine[i], name);
    }
  });

  test('--eval sends EVAL with the keys before "," and the args after it; a missing file is reported after connecting', async (t) => {
    const file = join(tmpdir(), `mini-kv-cli-${process.pid}.lua`);
    writeFileSync(file, 'return {KEYS[1], ARGV[1], #KEYS, #ARGV}\n');
    try {
      assert.deepEqual(await miniCli([...P(), '--eval', join(tmpdir(), 'no-such.lua')]), { code: 1, stdout: '', stderr: `Can't open file '${join(tmpdir(), 'no-such.lua')}': No such file or directory\n` });
      await miniCli([...P(), '--eval', file, 'k1', 'k2', ',', 'a1']);
      const sent = fake.received.find((a) => a[0] === 'EVAL');
      assert.deepEqual(sent, ['EVAL', 'return {KEYS[1], ARGV[1], #KEYS, #ARGV}\n', '2', 'k1', 'k2', 'a1']);
      if (redisServerBin() === null || !live) return t.diagnostic('redis-server or redis-cli missing: checked against the expected strings only');
      const rs = await startRedisServer();
      try {
        for (const args of [['--eval', file, 'k1', 'k2', ',', 'a1', 'a2'], ['--no-raw', '--eval', file], ['--json', '--eval', file, 'x', ',', 'y']]) {
          const full = ['-p', String(rs.port), ...args];
          assert.deepEqual(await miniCli(full), await redisCliRun(full), args.join(' '));
        }
      } finally {
        await rs.close();
      }
    } finally {
      rmSync(file, { force: true });
    }
  });

  test('a connection lost while reading commands from stdin: "Error: Server closed the connection", then it connects again', async (t) => {
    const stdin = 'dbsize\ndie\ndbsize\n';
    const expected = await oracle('lost-connection', [...P(), ...[]], { stdin });
    const mine = await miniCli(P(), { stdin });
    assert.deepEqual(mine, { code: 0, stdout: '9\n9\n', stderr: 'Error: Server closed the connection\n' });
    if (expected === undefined) return t.skip(NO_REDIS_CLI);
    assert.deepEqual(mine, expected);
  });

  test('SHUTDOWN: the server hanging up is its answer, so nothing is printed and the exit code is 0', async (t) => {
    const mine = await miniCli([...P(), 'shutdown', 'nosave']);
    assert.deepEqual(mine, { code: 0, stdout: '', stderr: '' });
    const expected = await oracle('shutdown', [...P(), 'shutdown', 'nosave']);
    if (expected === undefined) return t.skip(NO_REDIS_CLI);
    assert.deepEqual(mine, expected);
  });

  test('one-shot: a connection lost before the reply exits 1 with "Error: Server closed the connection"', async (t) => {
    const mine = await miniCli([...P(), 'die']);
    assert.deepEqual(mine, { code: 1, stdout: '', stderr: 'Error: Server closed the connection\n' });
    const expected = await oracle('lost-connection-once', [...P(), 'die']);
    if (expected === undefined) return t.skip(NO_REDIS_CLI);
    assert.deepEqual(mine, expected);
  });
});
