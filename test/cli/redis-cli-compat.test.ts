/**
 * mini-kv-cli against redis-cli 7.0.15, byte for byte: stdout, stderr and
 * exit code. A fake RESP server answers every command with bytes recorded
 * from redis-server 7.0.15, so both clients read the same reply, for every
 * reply shape (strings, errors, integers, nil, nested and empty arrays,
 * RESP3 maps, sets, doubles, booleans, null, verbatim strings, big numbers,
 * attributes, pushes, INFO, CLIENT LIST, CLIENT INFO) in every output style
 * (TTY via --no-raw, raw, --csv, --json, --quoted-json, -d/-D), one-shot
 * and piped on stdin. With redis-cli installed the oracle runs live; without
 * it the outputs recorded in test/fixtures/cli/formats.json stand in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NO_REDIS_CLI, startTestServer, type TestServer } from '../helpers.js';
import { Fixtures, miniCli, oracleLive, redisCliRun, startFakeServer, type FakeServer, type Run, type RunOptions } from './oracle.js';

const HELLO3 = '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:13493\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n';
const COMMAND_INFO_GET =
  '*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n';
const NESTED = '*12\r\n*10\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n$1\r\na\r\n*0\r\n*2\r\n$1\r\nx\r\n*2\r\n$1\r\ny\r\n$1\r\nz\r\n:11\r\n:12\r\n:13\r\n:14\r\n:15\r\n:16\r\n:17\r\n$-1\r\n';
const bulk = (s: string, prefix = '$'): string => `${prefix}${Buffer.byteLength(s, 'latin1')}\r\n${s}\r\n`;
const utf8 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');
const CLIENT_LINE = 'id=59 addr=127.0.0.1:34034 laddr=127.0.0.1:23456 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=0 tot-mem=37658 events=r cmd=client|list user=default redir=-1 resp=2\n';
const INFO_TEXT = '# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\ntcp_port:23456\r\n\r\n# Clients\r\nconnected_clients:1\r\nblocked_clients:0\r\n\r\n# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n';

/** Each case: the command words and the bytes redis-server 7.0.15 answered. */
const CASES: Record<string, { cmd: string[]; reply: string }> = {
  status: { cmd: ['set', 'k', 'v'], reply: '+OK\r\n' },
  error: { cmd: ['get'], reply: "-ERR wrong number of arguments for 'get' command\r\n" },
  'error-wrongtype': { cmd: ['incr', 'h'], reply: '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n' },
  integer: { cmd: ['incr', 'n'], reply: ':42\r\n' },
  'integer-min': { cmd: ['decrby', 'n', '1'], reply: ':-9223372036854775808\r\n' },
  string: { cmd: ['get', 'str'], reply: bulk('hello world') },
  'string-escapes': { cmd: ['get', 'bin'], reply: bulk('a"b\\c\n\r\t\x07\x08\x00\x01\x7f\xff end') },
  'string-utf8': { cmd: ['get', 'uni'], reply: bulk(utf8('é ☃ \x1f\x0c/')) },
  'string-empty': { cmd: ['get', 'empty'], reply: '$0\r\n\r\n' },
  nil: { cmd: ['get', 'nokey'], reply: '$-1\r\n' },
  'null-array': { cmd: ['blpop', 'nolist', '1'], reply: '*-1\r\n' },
  'empty-array': { cmd: ['keys', 'nomatch*'], reply: '*0\r\n' },
  'mixed-array': { cmd: ['mget', 'str', 'nokey', 'empty'], reply: '*3\r\n' + bulk('hello world') + '$-1\r\n$0\r\n\r\n' },
  'nested-array': { cmd: ['eval', 'return nested', '0'], reply: NESTED },
  'status-array': { cmd: ['xinfo', 'help'], reply: '*3\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+HELP\r\n+    Prints this help.\r\n' },
  'array-with-error': { cmd: ['exec'], reply: '*2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n' },
  map: { cmd: ['hgetall', 'h'], reply: '%2\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$3\r\nx"y\r\n' },
  'map-nonstring-keys': { cmd: ['debug', 'protocol', 'map'], reply: '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n' },
  'map-empty': { cmd: ['config', 'get', 'nosuch'], reply: '%0\r\n' },
  'map-multiline': { cmd: ['command', 'info', 'get'], reply: COMMAND_INFO_GET },
  hello: { cmd: ['hello', '3'], reply: HELLO3 },
  set: { cmd: ['smembers', 's'], reply: '~3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n' },
  'set-empty': { cmd: ['smembers', 'nos'], reply: '~0\r\n' },
  double: { cmd: ['zscore', 'z', 'm1'], reply: ',1.5\r\n' },
  'double-inf': { cmd: ['zscore', 'z', 'm3'], reply: ',inf\r\n' },
  'double-pairs': { cmd: ['zrange', 'z', '0', '-1', 'withscores'], reply: '*2\r\n*2\r\n$2\r\nm1\r\n,1.5\r\n*2\r\n$2\r\nm2\r\n,2\r\n' },
  'bool-true': { cmd: ['debug', 'protocol', 'true'], reply: '#t\r\n' },
  'bool-false': { cmd: ['debug', 'protocol', 'false'], reply: '#f\r\n' },
  null: { cmd: ['debug', 'protocol', 'null'], reply: '_\r\n' },
  verbatim: { cmd: ['debug', 'protocol', 'verbatim'], reply: bulk('txt:This is a verbatim\nstring', '=') },
  'blob-error': { cmd: ['debug', 'protocol', 'bloberror'], reply: bulk('SYNTAX invalid syntax', '!') },
  bignum: { cmd: ['debug', 'protocol', 'bignum'], reply: '(1234567999999999999999999999999999999\r\n' },
  attribute: { cmd: ['debug', 'protocol', 'attrib'], reply: '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n' + bulk('Some real reply following the attribute') },
  push: { cmd: ['debug', 'protocol', 'push'], reply: '>2\r\n$6\r\nserver\r\n$4\r\npush\r\n' + bulk('Some real reply following the push reply') },
  'info-resp2': { cmd: ['info'], reply: bulk(INFO_TEXT) },
  'info-resp3': { cmd: ['INFO', 'keyspace'], reply: bulk('txt:# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n', '=') },
  'client-list-resp2': { cmd: ['client', 'list'], reply: bulk(CLIENT_LINE) },
  'client-list-resp3': { cmd: ['CLIENT', 'LIST', 'TYPE', 'normal'], reply: bulk('txt:' + CLIENT_LINE, '=') },
  'client-info': { cmd: ['client', 'info'], reply: bulk('txt:' + CLIENT_LINE.replace('client|list', 'client|info'), '=') },
  'cluster-info': { cmd: ['cluster', 'info'], reply: '-ERR This instance has cluster support disabled\r\n' },
  lolwut: { cmd: ['lolwut'], reply: bulk('Redis ver. 7.0.15\n') },
  'memory-doctor': { cmd: ['memory', 'doctor'], reply: bulk('Hi Sam, this instance is empty or is using very little memory, my issues detector can\'t be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.') },
  'latency-doctor': { cmd: ['latency', 'doctor'], reply: bulk('Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit.\n') },
};

const MODES: Record<string, string[]> = {
  tty: ['--no-raw'],
  raw: [],
  csv: ['--csv'],
  json: ['--json'],
  'quoted-json': ['--quoted-json'],
  'resp2-json': ['--json', '-2'],
  delims: ['--raw', '-d', '<|>', '-D', '##'],
};

let fake: FakeServer;
const fixtures = new Fixtures('formats');
const hasRedisCli = oracleLive();

before(async () => {
  const byCommand = new Map(Object.values(CASES).map((c) => [c.cmd.join(' ').toLowerCase(), c.reply]));
  fake = await startFakeServer((args) => {
    const key = args.join(' ').toLowerCase();
    if (key === 'hello 3') return HELLO3;
    if (key === 'command docs') return '*0\r\n';
    return byCommand.get(key) ?? null;
  });
});
after(async () => {
  await fake.close();
  fixtures.save();
});

/** redis-cli's output for one case: live when installed (and recorded when recording), else from the fixtures. */
async function oracle(key: string, args: string[], opts: RunOptions = {}): Promise<Run | undefined> {
  if (hasRedisCli) {
    const r = await redisCliRun(['-p', String(fake.port), ...args], opts);
    if (fixtures.recording) fixtures.set(key, r);
    return r;
  }
  return fixtures.get(key);
}

/** Runs `tasks` with at most `n` at a time (2 cores are shared). */
async function pool<T>(tasks: (() => Promise<T>)[], n = 4): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

describe('mini-kv-cli prints every reply shape exactly as redis-cli 7.0.15', () => {
  for (const [mode, flags] of Object.entries(MODES)) {
    test(`one-shot, ${mode} (${flags.join(' ') || 'stdout not a tty'})`, async (t) => {
      const names = Object.keys(CASES);
      const results = await pool(
        names.map((name) => async () => {
          const args = [...flags, ...CASES[name]!.cmd];
          const expected = await oracle(`${name}|${mode}`, args);
          const actual = await miniCli(['-p', String(fake.port), ...args]);
          return { name, expected, actual };
        }),
      );
      let compared = 0;
      for (const { name, expected, actual } of results) {
        if (expected === undefined) continue;
        assert.deepEqual(actual, expected, `${name} in ${mode}`);
        compared++;
      }
      if (compared === 0) return t.skip(`${NO_REDIS_CLI}, and no fixtures recorded`);
      assert.equal(compared, names.length, 'every case has a recorded redis-cli output');
    });
  }

  test('FAKETTY (redis-cli\'s test hook for "stdout is a terminal") shows RESP3 pushes and prints TTY style', async (t) => {
    const cases = ['push', 'string', 'info-resp3', 'map'];
    let compared = 0;
    for (const name of cases) {
      const args = ['-3', ...CASES[name]!.cmd];
      const expected = await oracle(`${name}|faketty`, args, { env: { FAKETTY: '1' } });
      if (expected === undefined) continue;
      assert.deepEqual(await miniCli(['-p', String(fake.port), ...args], { env: { FAKETTY: '1' } }), expected, name);
      compared++;
    }
    if (compared === 0) return t.skip(NO_REDIS_CLI);
    assert.equal(compared, cases.length);
  });

  test('--show-pushes yes prints RESP3 pushes even when stdout is not a terminal; no hides them on one', async (t) => {
    const cases: [string, string[], Record<string, string>][] = [
      ['push|show-pushes-yes', ['-3', '--show-pushes', 'yes', ...CASES.push!.cmd], {}],
      ['push|show-pushes-no', ['-3', '--show-pushes', 'no', ...CASES.push!.cmd], { FAKETTY: '1' }],
    ];
    let compared = 0;
    for (const [key, args, env] of cases) {
      const expected = await oracle(key, args, { env });
      if (expected === undefined) continue;
      assert.deepEqual(await miniCli(['-p', String(fake.port), ...args], { env }), expected, key);
      compared++;
    }
    if (compared === 0) return t.skip(NO_REDIS_CLI);
  });

  for (const [mode, flags] of Object.entries({ tty: ['--no-raw'], raw: [], csv: ['--csv'], json: ['--json'] })) {
    test(`commands piped on stdin, ${mode}`, async (t) => {
      const lines = ['get str', 'get', 'incr n', '', 'get nokey', 'keys nomatch*', '"unbalanced', 'mget str nokey empty', 'hgetall h', '2 get str', '0 get str', 'command info get', 'info', 'client list', 'eval "return nested" 0', ':set hints', ':set bogus', ':bogus', 'restart', 'get bin', 'quit', 'get str'];
      const stdin = lines.join('\n') + '\n';
      const expected = await oracle(`stdin|${mode}`, flags, { stdin });
      if (expected === undefined) return t.skip(NO_REDIS_CLI);
      assert.deepEqual(await miniCli(['-p', String(fake.port), ...flags], { stdin }), expected);
    });
  }

  test('the fake server saw what redis-cli sends: HELLO 3 only with -3 or --json', () => {
    assert.ok(fake.received.some((a) => a.join(' ') === 'HELLO 3'));
  });
});

describe('mini-kv-cli against mini-kv itself prints what redis-cli prints', () => {
  let mk: TestServer;
  before(async () => {
    mk = await startTestServer();
  });
  after(async () => {
    await mk.close();
  });

  /** Commands whose replies do not depend on time, ports or connection ids; run in order on a fresh server. */
  const SCRIPT: string[][] = [
    ['set', 'greeting', 'hello world'],
    ['set', 'bin', 'ÿ"q"\n\t\\'],
    ['mset', 'a', '1', 'b', '2', 'c', 'é'],
    ['get', 'greeting'],
    ['get', 'bin'],
    ['get', 'c'],
    ['get', 'nokey'],
    ['mget', 'a', 'nokey', 'b', 'greeting'],
    ['incr', 'a'],
    ['incr', 'greeting'],
    ['incrbyfloat', 'b', '1.5'],
    ['append', 'a', 'x'],
    ['strlen', 'greeting'],
    ['getrange', 'greeting', '0', '4'],
    ['exists', 'a', 'b', 'nokey'],
    ['type', 'a'],
    ['ttl', 'a'],
    ['expire', 'a', '100'],
    ['keys', 'nomatch*'],
    ['dbsize'],
    ['echo', 'two words'],
    ['ping'],
    ['nosuchcommand', 'x'],
    ['get'],
    ['command', 'info', 'get', 'set'],
    ['command', 'count'],
    ['config', 'get', 'databases'],
    ['info', 'keyspace'],
    ['del', 'a', 'b', 'nokey'],
  ];
  const STYLES: Record<string, string[]> = { tty: ['--no-raw'], raw: [], csv: ['--csv'], json: ['--json'], resp3: ['-3', '--no-raw'] };

  for (const [style, flags] of Object.entries(STYLES)) {
    test(`one-shot commands on mini-kv, ${style}`, async (t) => {
      // The whole script through mini-kv-cli, then again from an empty server through redis-cli: each command meets the same state.
      const port = String(mk.port);
      await miniCli(['-p', port, 'flushall']);
      const mine: Run[] = [];
      for (const cmd of SCRIPT) mine.push(await miniCli(['-p', port, ...flags, ...cmd]));
      await miniCli(['-p', port, 'flushall']);
      let compared = 0;
      for (let i = 0; i < SCRIPT.length; i++) {
        const key = `mini-kv|${style}|${SCRIPT[i]!.join(' ')}`;
        const expected = hasRedisCli ? await redisCliRun(['-p', port, ...flags, ...SCRIPT[i]!]) : fixtures.get(key);
        if (hasRedisCli && fixtures.recording) fixtures.set(key, expected!);
        if (expected === undefined) continue;
        assert.deepEqual(mine[i], expected, SCRIPT[i]!.join(' '));
        compared++;
      }
      if (compared === 0) return t.skip(NO_REDIS_CLI);
      assert.equal(compared, SCRIPT.length);
    });
  }

  test('the same script piped on stdin, tty and raw', async (t) => {
    const quote = (w: string): string => (/^[^\s"']+$/.test(w) ? w : `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    const stdin = SCRIPT.map((c) => c.map(quote).join(' ')).join('\n') + '\n';
    for (const flags of [['--no-raw'], []]) {
      await miniCli(['-p', String(mk.port), 'flushall']);
      const mine = await miniCli(['-p', String(mk.port), ...flags], { stdin });
      await miniCli(['-p', String(mk.port), 'flushall']);
      const key = `mini-kv|stdin|${flags.join(' ')}`;
      const expected = hasRedisCli ? await redisCliRun(['-p', String(mk.port), ...flags], { stdin }) : fixtures.get(key);
      if (hasRedisCli && fixtures.recording) fixtures.set(key, expected!);
      if (expected === undefined) return t.skip(NO_REDIS_CLI);
      assert.deepEqual(mine, expected, flags.join(' ') || 'raw');
    }
  });
});
