/**
 * What a user sees from the default mode's command line, through the real
 * binary: the "connecting N/M" phase of the progress display, errors that
 * print alone (nothing on standard output, the message on standard error,
 * a non-zero status), and the hint that points redis-benchmark habits at
 * `mini-kv-benchmark redis`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFakeServer, type FakeServer } from './fake-server.js';
import { closedPort, runCli } from './run-cli.js';
import { progressLine, redisHint } from '../../src/bench/cli.js';
import cliProgress from 'cli-progress';

let slow: FakeServer;
let guarded: FakeServer;

before(async () => {
  slow = await startFakeServer({ firstPingDelayMs: 400 });
  guarded = await startFakeServer({ password: 'sesame' });
});

after(async () => {
  await Promise.all([slow.close(), guarded.close()]);
});

test('cli ux - the progress display says "connecting N/M" while connections open, then shows the run', async () => {
  const res = await runCli(['-p', String(slow.port), '-c', '3', '--rate', '20', '--duration', '0.3', '--threads', '0', '--progress']);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stderr.split('\n');
  const connecting = lines.findIndex((l) => l.endsWith('[1/1] 127.0.0.1:' + slow.port + ' 3 conn x 20 req/s | connecting 0/3'));
  assert.ok(connecting >= 0, res.stderr);
  const running = lines.findIndex((l) => / s \| \d+ replies \| \d+ replies\/s$/.test(l));
  assert.ok(running > connecting, 'the run is shown after the connecting phase');
  // The row's three connections each wait 400 ms for their first PONG: the bar redraws (every 250 ms) while they do.
  assert.ok(lines.filter((l) => l.includes('| connecting ')).length >= 2, res.stderr);
  assert.match(res.stdout, /^# mini-kv-benchmark /);
});

test('cli ux - the connecting line counts ready and failed connections', () => {
  const bar = new cliProgress.SingleBar({ format: progressLine }, cliProgress.Presets.shades_classic);
  const options = (bar as unknown as { options: cliProgress.Options }).options;
  const params = { progress: 0, eta: 0, startTime: 0, stopTime: null, total: 5, value: 0, maxWidth: 80 } as unknown as cliProgress.Params;
  assert.equal(progressLine(options, params, { row: '[1/2] x', phase: 'connecting', connected: 2, failed: 0, connections: 5 }), '[1/2] x | connecting 2/5');
  assert.equal(progressLine(options, params, { row: '[1/2] x', phase: 'connecting', connected: 2, failed: 1, connections: 5 }), '[1/2] x | connecting 2/5, 1 failed');
  const run = progressLine(options, { ...params, progress: 0.5, value: 2.5 } as cliProgress.Params, { row: '[1/2] x', phase: 'running', replies: 10, rps: 4 });
  assert.match(run, /^\[1\/2\] x \|[█░]+\| 2\.5\/5 s \| 10 replies \| 4 replies\/s$/);
});

test('cli ux - a refused connection prints only its error, before any header, with status 1', async () => {
  const port = await closedPort();
  const res = await runCli(['-p', String(port), '--duration', '0.2']);
  assert.equal(res.stdout, '');
  assert.equal(res.stderr, `mini-kv-benchmark: cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  assert.equal(res.code, 1);
});

test('cli ux - the second server of --compare is checked before the header too', async () => {
  const port = await closedPort();
  const res = await runCli(['-p', String(guarded.port), '-a', 'sesame', '--compare', `127.0.0.1:${port}`, '--duration', '0.2']);
  assert.equal(res.stdout, '');
  assert.equal(res.stderr, `mini-kv-benchmark: cannot connect to 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  assert.equal(res.code, 1);
});

test('cli ux - a wrong password prints the server\'s refusal alone, with status 1', async () => {
  const res = await runCli(['-p', String(guarded.port), '-a', 'wrong', '--duration', '0.2']);
  assert.equal(res.stdout, '');
  assert.equal(res.stderr, `mini-kv-benchmark: cannot connect to 127.0.0.1:${guarded.port}: WRONGPASS invalid username-password pair or user is disabled.\n`);
  assert.equal(res.code, 1);
});

test('cli ux - bad options and unknown hosts print their error alone, with status 2', async () => {
  const bad = await runCli(['--rate', '-3']);
  assert.equal(bad.stdout, '');
  assert.equal(bad.stderr, "mini-kv-benchmark: Option '--rate' argument is ambiguous.\nDid you forget to specify the option argument for '--rate'?\nTo specify an option argument starting with a dash use '--rate=-XYZ'.\n(see mini-kv-benchmark --help)\n");
  assert.equal(bad.code, 2);
  const unknown = await runCli(['--frobnicate']);
  assert.equal(unknown.stdout, '');
  assert.equal(unknown.stderr, "mini-kv-benchmark: Unknown option '--frobnicate'\n(see mini-kv-benchmark --help)\n");
  assert.equal(unknown.code, 2);
  const host = await runCli(['-h', 'no-such-host.invalid']);
  assert.equal(host.stdout, '');
  assert.match(host.stderr, /^mini-kv-benchmark: cannot resolve host 'no-such-host\.invalid': getaddrinfo ENOTFOUND no-such-host\.invalid\n\(see mini-kv-benchmark --help\)\n$/);
  assert.equal(host.code, 2);
});

test('cli ux - redis-benchmark flags in the default mode get a hint at the redis mode', async () => {
  const res = await runCli(['-p', '7000', '-n', '1000', '-t', 'set,get', '-q']);
  assert.equal(res.stdout, '');
  assert.equal(res.stderr, [
    "mini-kv-benchmark: Unknown option '-n'",
    "hint: -n -t -q are redis-benchmark's; for its tests, closed loop and output run: mini-kv-benchmark redis -p 7000 -n 1000 -t set,get -q",
    '(see mini-kv-benchmark --help)',
    '',
  ].join('\n'));
  assert.equal(res.code, 2);
  assert.equal(redisHint(['-r', '100', '--rate', '5']), "hint: -r is redis-benchmark's; for its tests, closed loop and output run: mini-kv-benchmark redis -r 100 --rate 5");
  assert.equal(redisHint(['-q', 'set', 'a b']), "hint: -q is redis-benchmark's; for its tests, closed loop and output run: mini-kv-benchmark redis -q set 'a b'");
  assert.equal(redisHint(['--frobnicate', '-c', '5']), null, 'flags both tools share are no hint');
  assert.equal(redisHint(['--rate', '-3', '--seed', '-n']), null, 'values of this mode\'s options are no hint');
  assert.equal(redisHint(['-p', '7000', 'incr', 'counter']), "hint: a command after the options ('incr') is redis-benchmark's; for its tests, closed loop and output run: mini-kv-benchmark redis -p 7000 incr counter");
  const cmd = await runCli(['-p', '7000', 'incr', 'counter']);
  assert.equal(cmd.stdout, '');
  assert.equal(cmd.stderr, [
    "mini-kv-benchmark: Unexpected argument 'incr'. This command does not take positional arguments",
    "hint: a command after the options ('incr') is redis-benchmark's; for its tests, closed loop and output run: mini-kv-benchmark redis -p 7000 incr counter",
    '(see mini-kv-benchmark --help)',
    '',
  ].join('\n'));
  assert.equal(cmd.code, 2);
});
