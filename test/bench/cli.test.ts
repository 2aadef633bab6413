import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, parseHostPort, UsageError, HELP, assertLoopback } from '../../src/bench/cli.js';
import { fdShortfall, fdsNeeded, openFileLimit } from '../../src/bench/limits.js';
import { seedSuite } from '../../src/bench/suite.js';

test('cli - redis-benchmark short flags: -h host, -p port, -a password, -c, -P', () => {
  const o = parseCli(['-h', 'localhost', '-p', '6399', '-a', 'pw', '-c', '50', '-P', '16', '--rate', '2.5', '--duration', '0.5']);
  assert.equal(o.host, 'localhost');
  assert.equal(o.port, 6399);
  assert.equal(o.password, 'pw');
  assert.equal(o.connections, 50);
  assert.equal(o.pipeline, 16);
  assert.equal(o.rate, 2.5);
  assert.equal(o.durationS, 0.5);
  assert.equal(o.help, false);
});

test('cli - defaults', () => {
  const o = parseCli([]);
  assert.deepEqual(
    [o.host, o.port, o.protocol, o.connections, o.rate, o.durationS, o.keyspace, o.valueSize, o.pipeline, o.closed, o.suite, o.compare, o.timeoutMs],
    ['127.0.0.1', 8080, 'resp', 10, 1000, 5, 100000, 3, 1, false, null, null, 2000],
  );
  assert.deepEqual(o.mix, { get: 1, set: 1, del: 1 });
  assert.equal(o.label, '127.0.0.1:8080');
});

test('cli - --help, --suite seed, --compare, --closed, outputs', () => {
  assert.equal(parseCli(['--help']).help, true);
  const o = parseCli(['--suite', 'seed', '--compare', '127.0.0.1:6399', '--compare-label', 'redis', '--closed', '--json', 'a.json', '--csv', 'a.csv', '--svg', 'a.svg', '--protocol', 'text']);
  assert.equal(o.suite, 'seed');
  assert.deepEqual(o.compare, { host: '127.0.0.1', port: 6399, label: 'redis', password: null });
  assert.equal(o.closed, true);
  assert.deepEqual([o.json, o.csv, o.svg, o.protocol], ['a.json', 'a.csv', 'a.svg', 'text']);
  assert.match(HELP, /--suite seed/);
  assert.match(HELP, /-h, --host/);
});

test('cli - bad values are usage errors naming the flag', () => {
  const cases: Array<[string[], RegExp]> = [
    [['-c', '0'], /-c must be a whole number from 1/],
    [['-p', '70000'], /--port must be a whole number from 1 to 65535/],
    [['--rate=-3'], /--rate must be a positive number/],
    [['--protocol', 'http'], /--protocol must be resp or text/],
    [['--suite', 'big'], /--suite knows only 'seed'/],
    [['--mix', 'incr=1'], /unknown command 'incr'/],
    [['--compare', 'nope'], /--compare must be HOST:PORT/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ];
  for (const [args, re] of cases) {
    assert.throws(() => parseCli(args), (err: Error) => err instanceof UsageError && re.test(err.message), args.join(' '));
  }
});

test('cli - host:port forms', () => {
  assert.deepEqual(parseHostPort('127.0.0.1:6379', 'x'), { host: '127.0.0.1', port: 6379 });
  assert.deepEqual(parseHostPort('[::1]:7000', 'x'), { host: '::1', port: 7000 });
  assert.deepEqual(parseHostPort(':7000', 'localhost'), { host: 'localhost', port: 7000 });
  assert.deepEqual(parseHostPort('7000', 'localhost'), { host: 'localhost', port: 7000 });
});

test('cli - only loopback targets are accepted', async () => {
  await assertLoopback('127.0.0.1');
  await assertLoopback('localhost');
  await assertLoopback('::1');
  await assert.rejects(assertLoopback('192.0.2.7'), /only loopback targets/);
});

test('limits - the open-file limit is read from /proc/self/limits text', () => {
  const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n';
  assert.equal(openFileLimit(text), 1024);
  assert.equal(openFileLimit('Max open files            unlimited            unlimited            files\n'), null);
  assert.equal(openFileLimit('nothing here'), null);
});

test('limits - too low a limit for the connections is said clearly', () => {
  assert.equal(fdsNeeded(10000), 10064);
  assert.equal(fdShortfall(10000, 20000), null);
  assert.equal(fdShortfall(10000, null), null);
  const msg = fdShortfall(10000, 1024);
  assert.ok(msg !== null);
  assert.match(msg, /open-file limit is 1024, but 10000 connections need about 10064/);
  assert.match(msg, /ulimit -n 20000/);
});

test('suite - the seed suite is both seed series in order', () => {
  const rows = seedSuite(2, 1);
  assert.deepEqual(rows.map((r) => [r.series, r.connections, r.rate]), [
    ['A', 10, 3], ['A', 10, 30], ['A', 10, 300], ['A', 10, 3000], ['A', 10, 30000],
    ['B', 3, 10], ['B', 30, 10], ['B', 300, 10], ['B', 3000, 10], ['B', 10000, 10],
  ]);
  assert.ok(rows.every((r) => r.durationS === 2 && !r.closed));
});
