/**
 * mini-kv-cli's reply reading and formatting, checked against redis-cli 7.0.15:
 * the RESP fixtures below are redis-server's raw bytes and the expected
 * strings are what `redis-cli -3 [--no-raw]` printed for the same replies.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatRaw, formatTTY, repr } from '../../src/cli/format.js';
import { argumentSyntax, helpFor, parseCommandDocs } from '../../src/cli/help.js';
import { DEFAULT_PORT, parseCliArgs } from '../../src/cli/main.js';
import { defaultOptions } from '../../src/cli/options.js';
import { encodeCommand, ReplyReader, type Reply } from '../../src/cli/reply.js';

function read(bytes: string): Reply[] {
  const r = new ReplyReader();
  r.append(Buffer.from(bytes, 'latin1'));
  const out: Reply[] = [];
  for (let x = r.next(); x !== undefined; x = r.next()) out.push(x);
  return out;
}

const COMMAND_INFO_GET =
  '*1\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n~3\r\n+@read\r\n+@string\r\n+@fast\r\n~0\r\n~1\r\n%3\r\n$5\r\nflags\r\n~2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n%2\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n%1\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n%2\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n';
const COMMAND_INFO_GET_TTY =
  '1)  1) "get"\n    2) (integer) 2\n    3) 1~ readonly\n       2~ fast\n    4) (integer) 1\n    5) (integer) 1\n    6) (integer) 1\n    7) 1~ @read\n       2~ @string\n       3~ @fast\n    8) (empty set)\n    9) 1~ 1# "flags" => \n             1~ RO\n             2~ access\n          2# "begin_search" => \n             1# "type" => "index"\n             2# "spec" => 1# "index" => (integer) 1\n          3# "find_keys" => \n             1# "type" => "range"\n             2# "spec" => \n                1# "lastkey" => (integer) 0\n                2# "keystep" => (integer) 1\n                3# "limit" => (integer) 0\n   10) (empty set)\n';
const COMMAND_INFO_GET_RAW = 'get\n2\nreadonly\nfast\n1\n1\n1\n@read\n@string\n@fast\n\nflags RO\naccess\nbegin_search type index\nspec index 1\nfind_keys type range\nspec lastkey 0\nkeystep 1\nlimit 0\n';
const HELLO3 = '%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:13493\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n';
const HELLO3_TTY = '1# "server" => "redis"\n2# "version" => "7.0.15"\n3# "proto" => (integer) 3\n4# "id" => (integer) 13493\n5# "mode" => "standalone"\n6# "role" => "master"\n7# "modules" => (empty array)\n';
const HELLO3_RAW = 'server redis\nversion 7.0.15\nproto 3\nid 13493\nmode standalone\nrole master\nmodules ';
// redis-cli --no-raw eval "return {{1,...,10},'a',{},{'x',{'y','z'}},11,...,17,false}" 0
const NESTED = '*12\r\n*10\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n:7\r\n:8\r\n:9\r\n:10\r\n$1\r\na\r\n*0\r\n*2\r\n$1\r\nx\r\n*2\r\n$1\r\ny\r\n$1\r\nz\r\n:11\r\n:12\r\n:13\r\n:14\r\n:15\r\n:16\r\n:17\r\n$-1\r\n';
const NESTED_TTY = [
  ' 1)  1) (integer) 1', '     2) (integer) 2', '     3) (integer) 3', '     4) (integer) 4', '     5) (integer) 5',
  '     6) (integer) 6', '     7) (integer) 7', '     8) (integer) 8', '     9) (integer) 9', '    10) (integer) 10',
  ' 2) "a"', ' 3) (empty array)', ' 4) 1) "x"', '    2) 1) "y"', '       2) "z"',
  ' 5) (integer) 11', ' 6) (integer) 12', ' 7) (integer) 13', ' 8) (integer) 14', ' 9) (integer) 15',
  '10) (integer) 16', '11) (integer) 17', '12) (nil)', '',
].join('\n');

describe('mini-kv-cli - formatting like redis-cli', () => {
  test('repr quotes and escapes like sdscatrepr', () => {
    assert.equal(repr(Buffer.from('value')), '"value"');
    assert.equal(repr(Buffer.from('a"b\\c')), '"a\\"b\\\\c"');
    assert.equal(repr(Buffer.from('\n\r\t\x07\x08')), '"\\n\\r\\t\\a\\b"');
    assert.equal(repr(Buffer.from([0, 1, 0x7f, 0xff, 0x20, 0x7e])), '"\\x00\\x01\\x7f\\xff ~"');
    assert.equal(repr(Buffer.from('é')), '"\\xc3\\xa9"');
  });

  test('Scalars in TTY style', () => {
    const cases: [string, string][] = [
      ['+OK\r\n', 'OK\n'],
      ['-ERR unknown command\r\n', '(error) ERR unknown command\n'],
      [':42\r\n', '(integer) 42\n'],
      [':-9223372036854775808\r\n', '(integer) -9223372036854775808\n'],
      ['$5\r\nvalue\r\n', '"value"\n'],
      ['$0\r\n\r\n', '""\n'],
      ['$-1\r\n', '(nil)\n'],
      ['*-1\r\n', '(nil)\n'],
      ['_\r\n', '(nil)\n'],
      [',1.5\r\n', '(double) 1.5\n'],
      ['#t\r\n', '(true)\n'],
      ['=15\r\ntxt:Some string\r\n', 'Some string\n'],
      ['*0\r\n', '(empty array)\n'],
      ['%0\r\n', '(empty hash)\n'],
      ['~0\r\n', '(empty set)\n'],
    ];
    for (const [bytes, expected] of cases) assert.equal(formatTTY(read(bytes)[0]!), expected, JSON.stringify(bytes));
  });

  test('Nested arrays: right-aligned indexes and indentation as redis-cli prints them', () => {
    assert.equal(formatTTY(read(NESTED)[0]!), NESTED_TTY);
  });

  test('RESP3 maps and sets (COMMAND INFO get, HELLO 3) print exactly as redis-cli -3 does', () => {
    assert.equal(formatTTY(read(COMMAND_INFO_GET)[0]!), COMMAND_INFO_GET_TTY);
    assert.equal(formatTTY(read(HELLO3)[0]!), HELLO3_TTY);
  });

  test('Raw style (output not a terminal) prints as redis-cli does', () => {
    assert.equal(formatRaw(read(COMMAND_INFO_GET)[0]!), COMMAND_INFO_GET_RAW);
    assert.equal(formatRaw(read(HELLO3)[0]!), HELLO3_RAW);
    assert.equal(formatRaw(read('$-1\r\n')[0]!), '');
    assert.equal(formatRaw(read('-ERR x\r\n')[0]!), 'ERR x\n');
    assert.equal(formatRaw(read('*2\r\n$1\r\na\r\n:1\r\n')[0]!), 'a\n1');
  });
});

describe('mini-kv-cli - reading replies', () => {
  test('A reply split at every byte is read only once complete, and exactly', () => {
    const bytes = Buffer.from(COMMAND_INFO_GET + HELLO3 + '$3\r\n\r\n\x00\r\n', 'latin1');
    const whole = read(bytes.toString('latin1'));
    assert.equal(whole.length, 3);
    for (let i = 1; i < bytes.length; i++) {
      const r = new ReplyReader();
      const got: Reply[] = [];
      r.append(bytes.subarray(0, i));
      for (let x = r.next(); x !== undefined; x = r.next()) got.push(x);
      r.append(bytes.subarray(i));
      for (let x = r.next(); x !== undefined; x = r.next()) got.push(x);
      assert.deepEqual(got, whole, `split at ${i}`);
    }
  });

  test('Attributes are a protocol error, as in the hiredis inside redis-cli 7.0', () => {
    assert.throws(() => read('|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n:7\r\n'), { message: 'Protocol error, got "|" as reply type byte' });
  });

  test('Big numbers cannot be formatted by redis-cli 7.0: "Unknown reply type: 13"', () => {
    assert.throws(() => formatTTY(read('(12345678901234567890\r\n')[0]!), { message: 'Unknown reply type: 13' });
    assert.throws(() => formatRaw(read('(1\r\n')[0]!), { message: 'Unknown reply type: 13' });
  });

  test('encodeCommand sends strings as UTF-8 and Buffers as they are', () => {
    assert.equal(encodeCommand(['SET', 'k', 'é', Buffer.from([0xff])]).toString('latin1'), '*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n\xc3\xa9\r\n$1\r\n\xff\r\n');
  });
});

describe('mini-kv-cli - command line', () => {
  test('Defaults: 127.0.0.1, port 8080 (mini-kv), db 0, RESP2, output style by terminal', () => {
    assert.deepEqual(parseCliArgs([]), defaultOptions());
    const o = defaultOptions();
    assert.deepEqual([o.host, o.port, o.password, o.db, o.resp3, o.raw, o.output, o.repeat, o.command], ['127.0.0.1', DEFAULT_PORT, null, 0, false, null, null, 1, []]);
    assert.equal(DEFAULT_PORT, 8080);
  });

  test('Options before the command; everything after the command name is its arguments', () => {
    const o = parseCliArgs(['-h', 'localhost', '-p', '7000', '-a', 'pw', '-n', '3', '--resp3', '--no-raw', 'set', 'k', '-p', '--raw']);
    assert.ok(typeof o === 'object');
    assert.deepEqual({ ...o }, { ...defaultOptions(), host: 'localhost', port: 7000, password: 'pw', authWarning: true, db: 3, resp3: true, raw: false, output: 'standard', command: ['set', 'k', '-p', '--raw'] });
  });

  test('Bad options are usage errors in redis-cli\'s words; numbers are read as atoi reads them', () => {
    assert.throws(() => parseCliArgs(['-p']), { message: "Unrecognized option or bad number of args for: '-p'" });
    assert.throws(() => parseCliArgs(['--bogus']), { message: "Unrecognized option or bad number of args for: '--bogus'" });
    assert.throws(() => parseCliArgs(['-2', '-3']), { message: 'Options -2 and -3 are mutually exclusive.' });
    assert.throws(() => parseCliArgs(['-x', '-X', 't']), { message: 'Options -x and -X are mutually exclusive.' });
    assert.throws(() => parseCliArgs(['-u', 'http://x']), { message: 'Invalid URI scheme' });
    assert.throws(() => parseCliArgs(['-u', 'redis://:pw%@h']), { message: 'Incomplete URI encoding' });
    assert.throws(() => parseCliArgs(['-u', 'redis://:p%zz@h']), { message: 'Illegal character in URI encoding' });
    assert.throws(() => parseCliArgs(['--quoted-pattern', '"a']), { message: 'Invalid quoted string specified for --quoted-pattern.' });
    assert.throws(() => parseCliArgs(['--show-pushes', 'maybe']), { message: "Unknown --show-pushes value 'maybe' (valid: '[y]es', '[n]o')" });
    const p = parseCliArgs(['-p', '70x', '-n', 'x', '-i', '0.25s', '-r', '-1']);
    assert.ok(typeof p === 'object');
    assert.deepEqual([p.port, p.db, p.interval, p.repeat], [70, 0, 0.25, -1]);
    assert.equal(parseCliArgs(['--help']), 'help');
    assert.equal(parseCliArgs(['-h']), 'help');
    // Several modes: the first in redis-cli's main() order runs.
    const modes = (...a: string[]): string => (parseCliArgs(a) as { mode: string }).mode;
    assert.deepEqual([modes('--scan', '--bigkeys'), modes('--stat', '--latency'), modes('--latency-history', '--latency'), modes('--pipe', '--latency-dist'), modes('ping')], ['bigkeys', 'latency', 'latency-history', 'latency-dist', 'command']);
    assert.equal(parseCliArgs(['-v']), 'version');
  });

  test('-u redis://[[user]:pass@]host[:port][/db]; rediss:// turns TLS on', () => {
    const u = parseCliArgs(['-u', 'redis://al%40ice:p%3Ass@example.com:7001/4']);
    assert.ok(typeof u === 'object');
    assert.deepEqual([u.user, u.password, u.host, u.port, u.db, u.tls, u.authWarning], ['al@ice', 'p:ss', 'example.com', 7001, 4, false, true]);
    const t = parseCliArgs(['-u', 'rediss://h']);
    assert.ok(typeof t === 'object');
    assert.deepEqual([t.host, t.port, t.tls, t.password], ['h', DEFAULT_PORT, true, null]);
    const only = parseCliArgs(['-u', 'redis://:secret@/2']);
    assert.ok(typeof only === 'object');
    assert.deepEqual([only.user, only.password, only.host, only.db], ['', 'secret', '127.0.0.1', 2]);
  });

  test('--json asks for RESP3 unless -2 or -3 decides; REDISCLI_AUTH is used without a warning', () => {
    const j = parseCliArgs(['--json']);
    const j2 = parseCliArgs(['--json', '-2']);
    const j3 = parseCliArgs(['-3', '--quoted-json']);
    assert.ok(typeof j === 'object' && typeof j2 === 'object' && typeof j3 === 'object');
    assert.deepEqual([j.jsonResp3, j.output, j2.jsonResp3, j3.jsonResp3, j3.resp3, j3.output], [true, 'json', false, false, true, 'quoted-json']);
    const env = parseCliArgs(['ping'], { REDISCLI_AUTH: 'pw' });
    assert.ok(typeof env === 'object');
    assert.deepEqual([env.password, env.authWarning], ['pw', false]);
  });
});

describe('mini-kv-cli - help from COMMAND DOCS', () => {
  // COMMAND DOCS set (RESP2) from redis-server 7.0.15, trimmed to the fields help uses.
  const SET_DOCS =
    '*2\r\n$3\r\nset\r\n*10\r\n$7\r\nsummary\r\n$29\r\nSet the string value of a key\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n$9\r\narguments\r\n*5\r\n' +
    '*6\r\n$4\r\nname\r\n$3\r\nkey\r\n$4\r\ntype\r\n$3\r\nkey\r\n$14\r\nkey_spec_index\r\n:0\r\n' +
    '*4\r\n$4\r\nname\r\n$5\r\nvalue\r\n$4\r\ntype\r\n$6\r\nstring\r\n' +
    '*8\r\n$4\r\nname\r\n$9\r\ncondition\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n' +
    '*6\r\n$4\r\nname\r\n$2\r\nnx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nNX\r\n' +
    '*6\r\n$4\r\nname\r\n$2\r\nxx\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$2\r\nXX\r\n' +
    '*8\r\n$4\r\nname\r\n$3\r\nget\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$3\r\nGET\r\n$5\r\nflags\r\n*1\r\n+optional\r\n' +
    '*8\r\n$4\r\nname\r\n$10\r\nexpiration\r\n$4\r\ntype\r\n$5\r\noneof\r\n$5\r\nflags\r\n*1\r\n+optional\r\n$9\r\narguments\r\n*2\r\n' +
    '*6\r\n$4\r\nname\r\n$7\r\nseconds\r\n$4\r\ntype\r\n$7\r\ninteger\r\n$5\r\ntoken\r\n$2\r\nEX\r\n' +
    '*6\r\n$4\r\nname\r\n$7\r\nkeepttl\r\n$4\r\ntype\r\n$10\r\npure-token\r\n$5\r\ntoken\r\n$7\r\nKEEPTTL\r\n';

  test('help set prints the syntax line, summary, since and group as redis-cli does', () => {
    const docs = parseCommandDocs(read(SET_DOCS)[0]!);
    assert.equal(helpFor(['set'], docs), '\n  SET key value [NX|XX] [GET] [EX seconds|KEEPTTL]\n  summary: Set the string value of a key\n  since: 1.0.0\n  group: string\n\n');
    assert.equal(helpFor(['nosuch'], docs), '');
    assert.equal(helpFor(['@string'], docs), helpFor(['set'], docs));
  });

  test('Repeated arguments read "key [key ...]", and with a token "TOKEN arg [arg ...]"', () => {
    assert.equal(argumentSyntax({ name: 'key', type: 'key', flags: ['multiple'] }), 'key [key ...]');
    assert.equal(argumentSyntax({ name: 'data', type: 'block', flags: ['multiple'], arguments: [{ name: 'key', type: 'key' }, { name: 'value', type: 'string' }] }), 'key value [key value ...]');
    assert.equal(argumentSyntax({ name: 'key', type: 'key', token: 'KEYS', flags: ['multiple'] }), 'KEYS key [key ...]');
    assert.equal(argumentSyntax({ name: 'id', type: 'integer', token: 'ID', flags: ['optional', 'multiple', 'multiple_token'] }), '[ID id [ID id ...]]');
  });
});
