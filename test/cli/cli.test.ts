/**
 * mini-kv-cli spawned against a real test server: one-shot commands in both
 * output styles, -n, -a, --resp3, connection failures, commands read from
 * stdin, and the interactive REPL (prompt, SELECT in the prompt, help from
 * COMMAND DOCS, quoting) driven in-process through streams.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { parseCliArgs, runRepl, type CliOptions } from '../../src/cli/main.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { spawnRun, type Run } from './oracle.js';

const BIN = fileURLToPath(new URL('../../../bin/mini-kv-cli.js', import.meta.url));

/** Runs mini-kv-cli to its exit, with `input` on stdin. */
function cli(args: string[], input = ''): Promise<Run> {
  return spawnRun(process.execPath, [BIN, ...args], { stdin: input });
}

let srv: TestServer;
let port: string;
before(async () => {
  srv = await startTestServer();
  port = String(srv.port);
});
after(async () => {
  await srv.close();
});

describe('mini-kv-cli - one command', () => {
  test('set a b, then get a (raw output when stdout is not a terminal)', async () => {
    assert.deepEqual(await cli(['-p', port, 'set', 'a', 'b']), { code: 0, stdout: 'OK\n', stderr: '' });
    assert.deepEqual(await cli(['-p', port, 'get', 'a']), { code: 0, stdout: 'b\n', stderr: '' });
  });

  test('--no-raw prints like redis-cli on a terminal: "value", (nil), (integer), (error), arrays', async () => {
    const [get, nil, incr, err, mget] = await Promise.all([
      cli(['-p', port, '--no-raw', 'get', 'a']),
      cli(['-p', port, '--no-raw', 'get', 'no-such-key']),
      cli(['-p', port, '--no-raw', 'incr', 'cli:counter']),
      cli(['-p', port, '--no-raw', 'get']),
      cli(['-p', port, '--no-raw', 'mget', 'a', 'no-such-key', 'a']),
    ]);
    assert.equal(get.stdout, '"b"\n');
    assert.equal(nil.stdout, '(nil)\n');
    assert.equal(incr.stdout, '(integer) 1\n');
    assert.equal(err.stdout, "(error) ERR wrong number of arguments for 'get' command\n");
    assert.equal(err.code, 0);
    assert.equal(mget.stdout, '1) "b"\n2) (nil)\n3) "b"\n');
  });

  test('Arguments are sent as UTF-8 bytes and binary replies are quoted with escapes', async () => {
    await cli(['-p', port, 'set', 'utf8', 'é "q"\n']);
    assert.equal((await cli(['-p', port, '--no-raw', 'get', 'utf8'])).stdout, '"\\xc3\\xa9 \\"q\\"\\n"\n');
    // Raw output writes the bytes themselves.
    assert.equal(Buffer.from((await cli(['-p', port, 'get', 'utf8'])).stdout, 'latin1').toString('utf8'), 'é "q"\n\n');
  });

  test('-n selects the database first', async () => {
    await cli(['-p', port, '-n', '5', 'set', 'only-in-5', 'x']);
    assert.equal((await cli(['-p', port, '-n', '5', '--no-raw', 'get', 'only-in-5'])).stdout, '"x"\n');
    assert.equal((await cli(['-p', port, '--no-raw', 'get', 'only-in-5'])).stdout, '(nil)\n');
    const bad = await cli(['-p', port, '-n', '99', 'ping']);
    assert.equal(bad.stderr, 'SELECT 99 failed: ERR DB index is out of range\n');
    assert.equal(bad.stdout, 'PONG\n');
  });

  test('--resp3 sends HELLO 3 and prints maps like redis-cli -3', async () => {
    const r = await cli(['-p', port, '--resp3', '--no-raw', 'hello']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n/);
  });

  test('An unreachable server exits 1 with redis-cli\'s message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const free = (blocker.address() as net.AddressInfo).port;
    await new Promise((r) => blocker.close(r));
    const r = await cli(['-p', String(free), 'ping']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `Could not connect to Redis at 127.0.0.1:${free}: Connection refused\n`);
  });

  test('A bad option exits 1 with redis-cli\'s message', async () => {
    assert.deepEqual(await cli(['--bogus']), { code: 1, stdout: '', stderr: "Unrecognized option or bad number of args for: '--bogus'\n" });
  });
});

describe('mini-kv-cli - with a password', () => {
  let secured: TestServer;
  before(async () => {
    secured = await startTestServer({ config: { requirepass: 's3cret' } });
  });
  after(async () => {
    await secured.close();
  });

  test('-a authenticates first (with redis-cli\'s warning unless --no-auth-warning)', async () => {
    const p = String(secured.port);
    const ok = await cli(['-p', p, '-a', 's3cret', 'ping']);
    assert.equal(ok.stdout, 'PONG\n');
    assert.equal(ok.stderr, "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n");
    const quiet = await cli(['-p', p, '-a', 's3cret', '--no-auth-warning', 'ping']);
    assert.deepEqual(quiet, { code: 0, stdout: 'PONG\n', stderr: '' });
    const wrong = await cli(['-p', p, '-a', 'wrong', '--no-auth-warning', 'ping']);
    assert.equal(wrong.stderr, 'AUTH failed: WRONGPASS invalid username-password pair or user is disabled.\n');
    assert.equal(wrong.code, 0);
  });
});

describe('mini-kv-cli - commands from stdin and the REPL', () => {
  test('Without a command, lines from stdin run in order (no prompt when not a terminal)', async () => {
    const r = await cli(['-p', port, '--no-raw'], 'set repl "two words"\nget repl\n\n"unbalanced\nincr repl:n\nquit\nget repl\n');
    assert.deepEqual(r, { code: 0, stdout: 'OK\n"two words"\nInvalid argument(s)\n(integer) 1\n', stderr: '' });
  });

  test('help <command> shows the syntax and summary from COMMAND DOCS', async () => {
    const r = await cli(['-p', port], 'help get\nhelp nosuchcommand\nhelp\n');
    assert.equal(r.stdout.split('mini-kv-cli')[0], '\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n\n');
    assert.match(r.stdout, /"help <command>" for help on <command>/);
  });

  /** Runs the REPL in-process with a prompt, feeding `lines`, and returns what it printed. */
  async function repl(o: Partial<CliOptions>, lines: string[]): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = '';
    output.setEncoding('latin1').on('data', (d: string) => (out += d));
    const opts = { ...(parseCliArgs(['-p', port]) as CliOptions), ...o };
    const done = runRepl(opts, { input, output, stderr: output, prompt: true, terminal: false, raw: false });
    input.end(lines.map((l) => l + '\n').join(''));
    assert.equal(await done, 0);
    return out;
  }

  test('The REPL shows a host:port> prompt, and [db] after SELECT, as redis-cli does', async () => {
    const p = `127.0.0.1:${port}`;
    const out = await repl({}, ['ping', 'select 2', 'set k "v 1"', 'get k', 'select 0', 'get k']);
    assert.equal(out, `${p}> PONG\n${p}> OK\n${p}[2]> OK\n${p}[2]> "v 1"\n${p}[2]> OK\n${p}> (nil)\n${p}> `);
  });

  test('The REPL starts in the -n database and keeps inline quoting (\\x escapes send raw bytes)', async () => {
    const p = `127.0.0.1:${port}[3]`;
    const out = await repl({ db: 3 }, ['set bin "\\x00\\xff"', 'strlen bin', 'get bin', 'quit', 'ping']);
    assert.equal(out, `${p}> OK\n${p}> (integer) 2\n${p}> "\\x00\\xff"\n${p}> `);
  });
});
