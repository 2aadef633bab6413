/**
 * `mini-kv-benchmark redis`: its flags, its tests, and its output shapes,
 * run through the real binary against a real mini-kv server (startTestServer)
 * and the in-test fake server (which counts commands and records keys).
 * Where redis-benchmark is installed, its own -q, --csv and detailed output
 * against the same mini-kv server is the oracle for the shape (numbers
 * aside); without it those comparisons skip and the shape checks below still
 * hold the line. Loads are tiny: a few hundred requests on a few connections.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTestServer, type TestServer } from '../helpers.js';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { closedPort, runCli } from './run-cli.js';
import { parseRedisArgs, defaultTests, selectTests, benchmarkData, parseSimpleReplies, RedisUsageError } from '../../src/bench/redis-compat.js';
import { CSV_HEADER } from '../../src/bench/redis-report.js';

let srv: TestServer;
let fake: FakeServer;
let guarded: FakeServer;

before(async () => {
  srv = await startTestServer();
  fake = await startFakeServer();
  guarded = await startFakeServer({ password: 'sesame' });
});

after(async () => {
  await Promise.all([srv.close(), fake.close(), guarded.close()]);
});

function redisBenchmark(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-benchmark'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const NO_REDIS_BENCHMARK = 'redis-benchmark is not installed (apt-get install redis-tools)';

/**
 * redis-benchmark 7.0.15's own output against a mini-kv server, recorded with
 * `redis-benchmark -p P -t set,get,incr,mset -n 200 -c 3 -q` (and `--csv`), and
 * `-t set,get -n 300 -c 3` for the detailed form; carriage returns and all.
 */
function fixture(name: string): string {
  return readFileSync(new URL(`../../../test/bench/fixtures/redis-benchmark-7.0.15-${name}.txt`, import.meta.url), 'utf8');
}

const QUIET_LINE = /^(.+): \d+\.\d{2} requests per second, p50=\d+\.\d{3} msec$/;
const CSV_ROW = /^"([^"]+)","\d+\.\d{2}"(?:,"\d+\.\d{3}"){6}$/;
const DIST_LINE = /^\d{1,3}\.\d{3}% <= \d+\.\d{3} milliseconds \(cumulative count \d+\)$/;

/** What redis-benchmark leaves on a line after its carriage-return progress redraws. */
function finalText(line: string): string {
  const cr = line.lastIndexOf('\r');
  return cr < 0 ? line : line.slice(cr + 1);
}

/** A line's shape: numbers replaced by N. */
function shape(line: string): string {
  return line.replace(/-?\d+(\.\d+)?/g, 'N');
}

/** The detailed report's skeleton: distribution lines collapsed, since how many there are depends on the timings. */
function skeleton(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map(finalText)) {
    const s = DIST_LINE.test(line) ? 'DIST' : shape(line);
    if (s === 'DIST' && out[out.length - 1] === 'DIST') continue;
    out.push(s);
  }
  return out;
}

test('redis mode - options parse as redis-benchmark parses them; the first word that is no flag starts a command', () => {
  const d = parseRedisArgs([]);
  assert.deepEqual([d.host, d.port, d.clients, d.requests, d.dataSize, d.pipeline, d.keepAlive, d.randomKeys, d.quiet, d.csv, d.tests, d.command],
    ['127.0.0.1', 8080, 50, 100000, 3, 1, true, null, false, false, null, null]);
  const o = parseRedisArgs(['-h', 'localhost', '-p', '6390', '-a', 'pw', '-c', '4', '-n', '300', '-d', '16', '-P', '8', '-r', '1000', '-k', '0', '-q', '--csv', '-t', 'SET,Get']);
  assert.deepEqual([o.host, o.port, o.password, o.clients, o.requests, o.dataSize, o.pipeline, o.randomKeys, o.keepAlive, o.quiet, o.csv, o.tests],
    ['localhost', 6390, 'pw', 4, 300, 16, 8, 1000, false, true, true, ',set,get,']);
  assert.deepEqual(parseRedisArgs(['-n', '10', 'incrby', 'counter:__rand_int__', '5', '-q']).command, ['incrby', 'counter:__rand_int__', '5', '-q']);
  const errors: Array<[string[], string]> = [
    [['-z'], 'Invalid option "-z" or option argument missing'],
    [['-n'], 'Invalid option "-n" or option argument missing'],
    [['-c', '0'], "-c must be a whole number from 1 to 1000000, got '0'"],
    [['-n', 'many'], "-n must be a whole number from 0 to 9007199254740991, got 'many'"],
    [['-k', 'yes'], "-k must be 1 (keep alive) or 0 (reconnect), got 'yes'"],
    [['--threads', '2'], "redis-benchmark's --threads is not supported by mini-kv-benchmark redis"],
    [['-l'], "redis-benchmark's -l is not supported by mini-kv-benchmark redis"],
  ];
  for (const [args, message] of errors) {
    assert.throws(() => parseRedisArgs(args), (err: Error) => err instanceof RedisUsageError && err.message === message, args.join(' '));
  }
});

test('redis mode - the default tests are redis-benchmark 7.0\'s, in its order, selected by -t as it selects them', () => {
  const all = defaultTests(3, false);
  assert.deepEqual(all.map((t) => t.title), [
    'PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'LPUSH', 'RPUSH', 'LPOP', 'RPOP', 'SADD', 'HSET', 'SPOP', 'ZADD', 'ZPOPMIN',
    'LPUSH (needed to benchmark LRANGE)', 'LRANGE_100 (first 100 elements)', 'LRANGE_300 (first 300 elements)',
    'LRANGE_500 (first 500 elements)', 'LRANGE_600 (first 600 elements)', 'MSET (10 keys)',
  ]);
  assert.deepEqual(selectTests(all, ',ping,').map((t) => t.title), ['PING_INLINE', 'PING_MBULK']);
  assert.deepEqual(selectTests(all, ',get,set,lrange_300,').map((t) => t.title), ['SET', 'GET', 'LPUSH (needed to benchmark LRANGE)', 'LRANGE_300 (first 300 elements)']);
  assert.equal(all[0].command.toString(), 'PING\r\n');
  assert.equal(all[2].command.toString(), '*3\r\n$3\r\nSET\r\n$16\r\nkey:__rand_int__\r\n$3\r\nVXK\r\n');
  // genBenchmarkRandomData's bytes: redis-benchmark's own payload (its "VXK" shows in error replies).
  assert.equal(benchmarkData(3).toString(), 'VXK');
  assert.equal(benchmarkData(10).length, 10);
  assert.match(all[19].command.toString(), /^\*21\r\n\$4\r\nMSET\r\n(\$16\r\nkey:__rand_int__\r\n\$3\r\nVXK\r\n){10}$/);
  assert.match(defaultTests(3, true)[12].command.toString(), /ZADD\r\n\$6\r\nmyzset\r\n\$12\r\n__rand_int__\r\n/);
});

test('redis mode - CONFIG GET replies are read whole, however they are cut', () => {
  const text = Buffer.from('+OK\r\n*2\r\n$4\r\nsave\r\n$0\r\n\r\n*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n');
  assert.deepEqual(parseSimpleReplies(text, 3), ['OK', ['save', ''], ['appendonly', 'no']]);
  for (let cut = 0; cut < text.length; cut++) assert.equal(parseSimpleReplies(text.subarray(0, cut), 3), undefined, String(cut));
  assert.deepEqual(parseSimpleReplies(Buffer.from('-ERR nope\r\n'), 1), [null]);
});

test('redis mode - -q prints one line per test in redis-benchmark\'s form, then a blank line', async () => {
  const res = await runCli(['redis', '-p', String(srv.port), '-t', 'ping,set,get,incr,mset', '-n', '200', '-c', '3', '-q']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal(res.stderr, '');
  const lines = res.stdout.split('\n');
  assert.deepEqual(lines.slice(-2), ['', '']);
  const body = lines.slice(0, -2);
  assert.deepEqual(body.map((l) => QUIET_LINE.exec(l)?.[1]), ['PING_INLINE', 'PING_MBULK', 'SET', 'GET', 'INCR', 'MSET (10 keys)']);
});

test('redis mode - --csv prints redis-benchmark\'s exact header, then one quoted row per test', async () => {
  const res = await runCli(['redis', '-p', String(srv.port), '-t', 'set,get', '-n', '200', '-c', '2', '-P', '4', '--csv']);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.split('\n');
  assert.equal(lines[0], CSV_HEADER);
  assert.deepEqual(lines.slice(1).map((l) => CSV_ROW.exec(l)?.[1] ?? l), ['SET', 'GET', '']);
});

test('redis mode - the default output is the "====== TITLE ======" block with both distributions and the summary', async () => {
  const res = await runCli(['redis', '-p', String(srv.port), '-t', 'set', '-n', '300', '-c', '3']);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 10), [
    '====== SET ======', lines[1], '  3 parallel clients', '  3 bytes payload', '  keep alive: 1',
    lines[5], lines[6], '  multi-thread: no', '', 'Latency by percentile distribution:',
  ]);
  assert.match(lines[1], /^ {2}300 requests completed in \d+\.\d{2} seconds$/);
  assert.match(lines[5], /^ {2}host configuration "save": /);
  assert.match(lines[6], /^ {2}host configuration "appendonly": (no|yes)$/);
  let i = 10;
  const percentiles: string[] = [];
  while (DIST_LINE.test(lines[i])) percentiles.push(lines[i++]);
  assert.ok(percentiles.length >= 2);
  assert.match(percentiles[0], /^0\.000% <= /);
  assert.match(percentiles[percentiles.length - 1], /^100\.000% <= \d+\.\d{3} milliseconds \(cumulative count 300\)$/);
  assert.deepEqual(lines.slice(i, i + 2), ['', 'Cumulative distribution of latencies:']);
  i += 2;
  const cumulative: string[] = [];
  while (DIST_LINE.test(lines[i])) cumulative.push(lines[i++]);
  assert.match(cumulative[cumulative.length - 1], /^100\.000% <= .* \(cumulative count 300\)$/);
  assert.deepEqual(lines.slice(i, i + 4), ['', 'Summary:', lines[i + 2], '  latency summary (msec):']);
  assert.match(lines[i + 2], /^ {2}throughput summary: \d+\.\d{2} requests per second$/);
  assert.equal(lines[i + 4], '          avg       min       p50       p95       p99       max');
  assert.match(lines[i + 5], /^ {4}(?: {0,8}\d+\.\d{3}(?: |$)){6}/);
  assert.deepEqual(lines.slice(i + 6), ['', '']);
});

test('redis mode - -n requests go out in whole -P batches, and without -r every request uses the same key', async () => {
  const before = fake.counts.get('SET') ?? 0;
  const keysBefore = fake.keys.length;
  const res = await runCli(['redis', '-p', String(fake.port), '-t', 'set', '-n', '200', '-P', '10', '-c', '2', '-q']);
  assert.equal(res.code, 0, res.stderr);
  assert.equal((fake.counts.get('SET') ?? 0) - before, 200);
  assert.deepEqual([...new Set(fake.keys.slice(keysBefore))], ['key:__rand_int__']);
  // The fake server has no CONFIG: redis-benchmark's warning, and the run goes on.
  assert.equal(res.stderr, 'WARNING: Could not fetch server CONFIG\n');
});

test('redis mode - -r puts a 12-digit number below the keyspace length into every key', async () => {
  const keysBefore = fake.keys.length;
  const res = await runCli(['redis', '-p', String(fake.port), '-t', 'incr', '-n', '150', '-P', '3', '-c', '2', '-r', '50', '--csv']);
  assert.equal(res.code, 0, res.stderr);
  const keys = fake.keys.slice(keysBefore);
  assert.equal(keys.length, 150);
  for (const k of keys) assert.match(k, /^counter:0000000000[0-4]\d$/);
  assert.ok(new Set(keys).size > 1, 'keys vary from request to request');
});

test('redis mode - a command line after the options is benchmarked under its own title; -k 0 reconnects', async () => {
  const connsBefore = fake.connections;
  const res = await runCli(['redis', '-p', String(fake.port), '-n', '40', '-c', '2', '-k', '0', '-r', '10', '-q', 'set', 'k:__rand_int__', 'v']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^set k:__rand_int__ v: \d+\.\d{2} requests per second, p50=\d+\.\d{3} msec\n\n$/);
  // One connection for CONFIG, two to start with, and a new one after each of the other 38 requests.
  assert.equal(fake.connections - connsBefore, 1 + 40);
});

test('redis mode - AUTH comes first with -a; a wrong password is the server\'s error, as redis-benchmark prints it', async () => {
  const ok = await runCli(['redis', '-p', String(guarded.port), '-a', 'sesame', '-t', 'get', '-n', '50', '-c', '2', '-q']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^GET: /);
  const bad = await runCli(['redis', '-p', String(guarded.port), '-a', 'wrong', '-t', 'get', '-n', '50', '-c', '2', '-q']);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, 'WARNING: Could not fetch server CONFIG\nError from server: WRONGPASS invalid username-password pair or user is disabled.\n');
  assert.equal(bad.code, 1);
});

test('redis mode - a test whose command the server lacks ends the run with the server\'s error, as in redis-benchmark', async () => {
  // Tests run in redis-benchmark's order whatever the order of -t: SET, GET, then LPUSH.
  const res = await runCli(['redis', '-p', String(srv.port), '-t', 'lpush,get,set,incr', '-n', '50', '-c', '2', '-q']);
  assert.match(res.stdout, /^SET: [^\n]+\nGET: [^\n]+\nINCR: [^\n]+\n$/);
  assert.equal(res.stderr, "Error from server: ERR unknown command 'LPUSH', with args beginning with: 'mylist' 'VXK' \n");
  assert.equal(res.code, 1);
});

test('redis mode - errors print alone on standard error, before any output', async () => {
  const port = await closedPort();
  const refused = await runCli(['redis', '-p', String(port), '-q']);
  assert.deepEqual(refused, { stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${port}: Connection refused\n`, code: 1 });
  const csv = await runCli(['redis', '-p', String(port), '--csv']);
  assert.deepEqual(csv, { stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${port}: Connection refused\n`, code: 1 }, 'not even the CSV header');
  const bad = await runCli(['redis', '-z']);
  assert.deepEqual(bad, { stdout: '', stderr: 'mini-kv-benchmark redis: Invalid option "-z" or option argument missing\n(see mini-kv-benchmark redis --help)\n', code: 1 });
  const remote = await runCli(['redis', '-h', '192.0.2.1']);
  assert.equal(remote.stdout, '');
  assert.equal(remote.stderr, "mini-kv-benchmark redis: refusing to load '192.0.2.1' (192.0.2.1): only loopback targets (127.0.0.0/8, ::1) are allowed\n");
  assert.equal(remote.code, 1);
  const help = await runCli(['redis', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^mini-kv-benchmark redis: redis-benchmark 7\.0's flags/);
});

test('redis mode - -q, --csv and the detailed form have the shape of redis-benchmark 7.0.15\'s recorded output', async () => {
  const norm = (out: string): string[] => out.split('\n').map(finalText).map((l) => shape(l.trim()));
  const q = await runCli(['redis', '-p', String(srv.port), '-t', 'set,get,incr,mset', '-n', '200', '-c', '3', '-q']);
  assert.deepEqual(norm(q.stdout), norm(fixture('q')));
  const csv = await runCli(['redis', '-p', String(srv.port), '-t', 'set,get,incr,mset', '-n', '200', '-c', '3', '--csv']);
  assert.deepEqual(norm(csv.stdout), norm(fixture('csv')));
  const detailed = await runCli(['redis', '-p', String(srv.port), '-t', 'set,get', '-n', '300', '-c', '3']);
  const squeeze = (lines: string[]): string[] => lines.map((l) => l.trim().replace(/ {2,}/g, ' '));
  assert.deepEqual(squeeze(skeleton(detailed.stdout)), squeeze(skeleton(fixture('detailed'))));
});

test('redis mode - -q and --csv have redis-benchmark\'s shape against the same server', async (t) => {
  const rb = redisBenchmark();
  if (rb === null) {
    t.skip(NO_REDIS_BENCHMARK);
    return;
  }
  const args = ['-p', String(srv.port), '-t', 'set,get,incr,mset', '-n', '200', '-c', '3'];
  for (const mode of ['-q', '--csv']) {
    const theirs = await runCli([...args, mode], 20000, rb, []);
    const ours = await runCli(['redis', ...args, mode]);
    assert.equal(theirs.code, 0, theirs.stderr);
    assert.equal(ours.code, 0, ours.stderr);
    const norm = (out: string): string[] => out.split('\n').map(finalText).map((l) => shape(l.trim()));
    assert.deepEqual(norm(ours.stdout), norm(theirs.stdout), mode);
  }
});

test('redis mode - the detailed report has redis-benchmark\'s skeleton against the same server', async (t) => {
  const rb = redisBenchmark();
  if (rb === null) {
    t.skip(NO_REDIS_BENCHMARK);
    return;
  }
  const args = ['-p', String(srv.port), '-t', 'set,get', '-n', '300', '-c', '3'];
  const theirs = await runCli(args, 20000, rb, []);
  const ours = await runCli(['redis', ...args]);
  assert.equal(theirs.code, 0, theirs.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  // redis-benchmark starts each block after a " \r" line clean-up, so lines are compared trimmed, and runs of
  // spaces as one (a %9.3f column is wider for 10 ms than for 1 ms; the exact columns are tested in redis-report).
  const squeeze = (lines: string[]): string[] => lines.map((l) => l.trim().replace(/ {2,}/g, ' '));
  assert.deepEqual(squeeze(skeleton(ours.stdout)), squeeze(skeleton(theirs.stdout)));
});
