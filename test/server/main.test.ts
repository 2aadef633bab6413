/**
 * The mini-kv-server binary as a child process: the start-up lines in Redis's
 * log format, a config file in redis.conf syntax overridden by the command
 * line, Redis's FATAL CONFIG FILE ERROR block (file, line, text, reason) and
 * exit 1 for unknown options and invalid values, a taken port, and a clean
 * exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { rawExchange } from '../helpers.js';
import { exited, killChildren, LOG_LINE, READY, runToExit, startBinary } from './config-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mini-kv-main-'));
after(() => {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
});

describe('mini-kv-server - start and stop', () => {
  test('--port 0 logs two lines in Redis\'s format (starting, ready with address and pid); SIGTERM exits 0', async () => {
    const s = await startBinary(['--port', '0']);
    const lines = s.stdout().split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 2, s.stdout());
    const first = LOG_LINE.exec(lines[0]!);
    assert.ok(first !== null, lines[0]);
    assert.equal(Number(first[1]), s.child.pid);
    assert.equal(first[2], 'M');
    assert.equal(first[10], '#');
    assert.match(first[11]!, /^mini-kv \d+\.\d+\.\d+ \(Redis 7\.0\.15 compatible\) is starting, pid=\d+, no config file \(defaults and command line only\)$/);
    const ready = LOG_LINE.exec(lines[1]!);
    assert.ok(ready !== null, lines[1]);
    assert.equal(ready[10], '*');
    const m = READY.exec(ready[11]!);
    assert.ok(m !== null, ready[11]);
    assert.equal(Number(m[3]), s.child.pid);
    assert.match(ready[11]!, new RegExp(`^Ready to accept connections tcp on 127\\.0\\.0\\.1:${s.port}(, \\[::1\\]:${s.port})? \\(pid`));
    assert.ok(s.port > 0);
    // The date is today's, in local time, as Redis writes it.
    const now = new Date();
    assert.equal(Number(ready[3]), now.getDate());
    assert.equal(Number(ready[5]), now.getFullYear());
    // The server answers on the port it announced.
    const r = await rawExchange(s.port, '*1\r\n$4\r\nPING\r\n', { expect: '+PONG\r\n' });
    assert.equal(r.data, '+PONG\r\n');
    s.child.kill('SIGTERM');
    const e = await exited(s.child);
    assert.deepEqual(e, { code: 0, signal: null });
  });

  test('SIGTERM with clients connected still exits 0', async () => {
    const s = await startBinary(['--port', '0', '--bind', '127.0.0.1']);
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.on('error', () => {});
    s.child.kill('SIGTERM');
    const e = await exited(s.child);
    sock.destroy();
    assert.deepEqual(e, { code: 0, signal: null });
  });

  test('A config file in redis.conf syntax is read, and the command line overrides it', async () => {
    const conf = join(dir, 'mini-kv.conf');
    writeFileSync(conf, '# mini-kv test configuration\n\nport 7\nbind 127.0.0.1\ninline-replies resp\n  hz 20  \n');
    const s = await startBinary([conf, '--port', '0']);
    assert.notEqual(s.port, 7);
    assert.match(s.stdout(), new RegExp(` \\* Ready to accept connections tcp on 127\\.0\\.0\\.1:${s.port} \\(pid`));
    assert.match(s.stdout(), new RegExp(`is starting, pid=\\d+, config file ${conf.replace(/[.]/g, '\\.')}\n`));
    // inline-replies resp comes from the file.
    const r1 = await rawExchange(s.port, 'PING\r\n', { expect: '\r\n' });
    assert.equal(r1.data, '+PONG\r\n');
    s.child.kill('SIGTERM');
    await exited(s.child);

    const s2 = await startBinary([conf, '--port', '0', '--inline-replies', 'text']);
    const r2 = await rawExchange(s2.port, 'PING\n', { expect: '\n' });
    assert.equal(r2.data, 'PONG\n');
    s2.child.kill('SIGTERM');
    assert.equal((await exited(s2.child)).code, 0);
  });
});

describe('mini-kv-server - bad start-up', () => {
  test('An unknown option on the command line prints Redis\'s FATAL CONFIG FILE ERROR block naming the option', async () => {
    const r = await runToExit(['--port', '0', '--no-such-option', 'yes']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "\n*** FATAL CONFIG FILE ERROR (mini-kv 0.1.0) ***\nReading the command line, at option 2\n>>> 'no-such-option \"yes\"'\nBad directive or wrong number of arguments\n");
    assert.equal(r.stdout, '');
  });

  test('An unknown option in the config file names the file, the line and its text', async () => {
    const conf = join(dir, 'bad.conf');
    writeFileSync(conf, 'port 0\nbogus 1\n');
    const r = await runToExit([conf]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `\n*** FATAL CONFIG FILE ERROR (mini-kv 0.1.0) ***\nReading the configuration file '${conf}', at line 2\n>>> 'bogus 1'\nBad directive or wrong number of arguments\n`);
  });

  test('Invalid values give Redis\'s reason under the offending line', async () => {
    const block = (option: number, text: string, reason: string): string =>
      `\n*** FATAL CONFIG FILE ERROR (mini-kv 0.1.0) ***\nReading the command line, at option ${option}\n>>> '${text}'\n${reason}\n`;
    const cases: [string[], string][] = [
      [['--port', '70000'], block(1, 'port "70000"', 'argument must be between 0 and 65535 inclusive')],
      [['--port', '0', '--hz', 'abc'], block(2, 'hz "abc"', 'argument couldn\'t be parsed into an integer')],
      [['--port', '0', '--inline-replies', 'html'], block(2, 'inline-replies "html"', 'argument(s) must be one of the following: text, resp')],
      [['--port', '0', '--protected-mode', 'maybe'], block(2, 'protected-mode "maybe"', 'argument must be \'yes\' or \'no\'')],
      [['--port', '1', '2'], block(1, 'port "1" "2"', 'wrong number of arguments')],
    ];
    const results = await Promise.all(cases.map(([args]) => runToExit(args)));
    for (const [i, r] of results.entries()) {
      assert.equal(r.code, 1, cases[i]![0].join(' '));
      assert.equal(r.stderr, cases[i]![1]);
    }
  });

  test('A missing config file exits 1 with Redis\'s log line', async () => {
    const missing = join(dir, 'missing.conf');
    const r = await runToExit([missing]);
    assert.equal(r.code, 1);
    const m = LOG_LINE.exec(r.stdout.trimEnd());
    assert.ok(m !== null, r.stdout);
    assert.equal(m[2], 'C');
    assert.equal(m[10], '#');
    assert.equal(m[11], `Fatal error, can't open config file '${missing}': No such file or directory`);
  });

  test('A taken port exits 1 with the reason in the log', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runToExit(['--port', String(port), '--bind', '127.0.0.1']);
      assert.equal(r.code, 1);
      const last = r.stdout.trimEnd().split('\n').at(-1)!;
      const m = LOG_LINE.exec(last);
      assert.ok(m !== null, r.stdout);
      assert.equal(m[10], '#');
      assert.equal(m[11], `Could not create server TCP listening socket 127.0.0.1:${port}: bind: Address already in use`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
