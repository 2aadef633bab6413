/**
 * mini-kv-cli's interactive REPL driven through a real pseudo-terminal
 * against real servers: typing and replies, the prompt, history saved and
 * recalled across two runs, Tab completion, argument hints, help, clear,
 * Ctrl-C/Ctrl-D, and reconnecting after the server restarts on its port.
 * Where redis-cli is installed it is the oracle for the hints and the help
 * text, typed at against the same mini-kv server; the expected strings below
 * were recorded from redis-cli 7.0.15 so the checks keep their teeth without it.
 *
 * Why @lydell/node-pty: it is node-pty (the pty behind VS Code's terminal)
 * with prebuilt binaries shipped inside its npm packages, so `npm ci`
 * installs it on a fresh machine with no compiler and no download step, and
 * the tests stay in one language. python3's pty module would need a helper
 * script and a second process between the test and the CLI. When the package
 * cannot load (an unsupported platform), every test here skips and says why.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';
import { redisCli, startTestServer, type TestServer } from '../helpers.js';

const BIN = fileURLToPath(new URL('../../../bin/mini-kv-cli.js', import.meta.url));

type PtyModule = typeof import('@lydell/node-pty');
type IPty = import('@lydell/node-pty').IPty;

/** The pty module, or why it cannot be used here. */
const PTY: { pty: PtyModule } | { error: string } = (() => {
  try {
    return { pty: createRequire(import.meta.url)('@lydell/node-pty') as PtyModule };
  } catch (e) {
    return { error: `@lydell/node-pty is not available: ${(e as Error).message.split('\n')[0]}` };
  }
})();

/** Size of every test terminal. */
const COLUMNS = 120;
const ROWS = 30;
/** The longest any one wait may take (ms); a wait that runs out fails showing what was drawn. */
const WAIT_MS = 10_000;

/** One program on a pseudo-terminal, with everything it drew and bounded waits. */
class Term {
  private readonly p: IPty;
  /** Everything drawn since the start. */
  all = '';
  private markAt = 0;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], env: Record<string, string>) {
    if ('error' in PTY) throw new Error(PTY.error);
    this.p = PTY.pty.spawn(file, args, { name: 'xterm', cols: COLUMNS, rows: ROWS, env });
    this.p.onData((d) => (this.all += d));
    this.exited = new Promise((resolve) => this.p.onExit((e) => resolve(e.exitCode)));
  }

  /** What was drawn since the last mark. */
  since(): string {
    return this.all.slice(this.markAt);
  }

  /** Types `keys` as raw bytes ("\r" Enter, "\t" Tab, "\x1b[A" Up) after starting a new mark. */
  type(keys: string): void {
    this.markAt = this.all.length;
    this.p.write(keys);
  }

  /**
   * Types `line` and Enter, then waits until the reply is drawn and the
   * next prompt `next` ends the output; resolves with the text (see plain())
   * from the typed line to that prompt. Waiting for the prompt itself keeps
   * the next keys from being typed before the REPL is reading again.
   */
  run(line: string, next: string): Promise<string> {
    this.type(line + '\r');
    return this.waitFor(endsWithPrompt(next), plain);
  }

  /** Types `keys`, then waits until `expected` is drawn after them; resolves with what was drawn. */
  async send(keys: string, expected: string | RegExp): Promise<string> {
    this.type(keys);
    return this.waitFor(expected);
  }

  /**
   * Resolves with the output since the mark once it contains `expected`
   * (as drawn, or as text with hints and cursor moves left out, since the
   * hints come between the typed characters); rejects after WAIT_MS.
   */
  waitFor(expected: string | RegExp, view: (s: string) => string = (s) => s): Promise<string> {
    const found = (s: string): boolean => (typeof expected === 'string' ? s.includes(expected) || plain(s).includes(expected) : expected.test(view(s)));
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        if (!found(this.since())) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve(view(this.since()));
      }, 10);
      const timer = setTimeout(() => {
        clearInterval(poll);
        reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${typeof expected === 'string' ? JSON.stringify(expected) : String(expected)}; drawn since the mark: ${JSON.stringify(this.since())}`));
      }, WAIT_MS);
    });
  }

  /** Resolves with the exit code; kills the process and rejects after WAIT_MS. */
  async exit(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`did not exit within ${WAIT_MS} ms; drawn since the mark: ${JSON.stringify(this.since())}`));
      }, WAIT_MS);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    try {
      this.p.kill();
    } catch {
      // Already gone.
    }
  }
}

/** The hints drawn in `s` (between linenoise's grey and the reset), in order. */
function hintsIn(s: string): string[] {
  return [...s.matchAll(/\x1b\[0;90;49m(.*?)\x1b\[0m/g)].map((m) => m[1]!);
}

/** Output that ends with the prompt `p` drawn after a new line (a reply came, the REPL reads again). */
function endsWithPrompt(p: string): RegExp {
  return new RegExp(`\\n[^]*${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\x1b\\[\\d+G)?$`);
}

/** What `s` shows as text: without the hints, the escape sequences and the carriage returns. */
function plain(s: string): string {
  return s.replace(/\x1b\[0;90;49m.*?\x1b\[0m/g, '').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/** The environment for a CLI run: no history file unless one is given. */
function envWith(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, TERM: 'xterm', MINIKV_CLI_HISTFILE: '/dev/null', REDISCLI_HISTFILE: '/dev/null', ...extra };
}

const terms: Term[] = [];
/** mini-kv-cli on a new terminal; it is killed after the tests if still running. */
function miniKvCli(args: string[], env = envWith()): Term {
  const t = new Term(process.execPath, [BIN, ...args], env);
  terms.push(t);
  return t;
}

/** Skips the test when no pty can be had. */
function needPty(t: TestContext): boolean {
  if ('error' in PTY) {
    t.skip(PTY.error);
    return false;
  }
  return true;
}

let srv: TestServer;
let port: number;
let prompt: string;
before(async () => {
  srv = await startTestServer();
  port = srv.port;
  prompt = `127.0.0.1:${port}> `;
});
after(async () => {
  for (const t of terms) t.kill();
  await srv.close();
});

describe('mini-kv-cli REPL on a terminal', () => {
  test('Typing a command shows its reply; SELECT puts [db] in the prompt; "3 ping" runs it three times; quit exits 0', async (t) => {
    if (!needPty(t)) return;
    const cli = miniKvCli(['-p', String(port)]);
    await cli.waitFor(prompt);
    assert.equal(await cli.run('set repl:greeting "hello there"', prompt), `set repl:greeting "hello there"\nOK\n${prompt}`);
    assert.equal(await cli.run('get repl:greeting', prompt), `get repl:greeting\n"hello there"\n${prompt}`);
    await cli.run('select 2', `127.0.0.1:${port}[2]> `);
    // CLIENT INFO prints raw, as redis-cli prints it even on a terminal.
    assert.match(await cli.run('client info', `127.0.0.1:${port}[2]> `), /^client info\nid=\d+ addr=127\.0\.0\.1:\d+ .* db=2 /);
    const three = await cli.run('3 ping', `127.0.0.1:${port}[2]> `);
    assert.equal(three.split('PONG\n').length - 1, 3);
    assert.equal(await cli.run('0 ping', `[2]> `), `0 ping\nInvalid mini-kv-cli repeat command option value.\n127.0.0.1:${port}[2]> `);
    cli.type('quit\r');
    assert.equal(await cli.exit(), 0);
  });

  test('History is saved after each line (not AUTH), and the next run recalls it with the Up arrow', async (t) => {
    if (!needPty(t)) return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minikv-repl-'));
    const file = path.join(dir, 'history');
    const first = miniKvCli(['-p', String(port)], envWith({ MINIKV_CLI_HISTFILE: file }));
    await first.waitFor(prompt);
    assert.match(await first.run('set repl:h "from run 1"', prompt), /\nOK\n/);
    assert.match(await first.run('auth not-saved', prompt), /\n\(error\) /);
    await first.run('hello 3 auth default s3cret', prompt);
    assert.match(await first.run('echo last', prompt), /\n"last"\n/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'set repl:h "from run 1"\necho last\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    first.type('\x04');
    assert.equal(await first.exit(), 0);

    const second = miniKvCli(['-p', String(port)], envWith({ MINIKV_CLI_HISTFILE: file }));
    await second.waitFor(prompt);
    await second.send('\x1b[A', 'echo last');
    await second.send('\x1b[A', 'set repl:h "from run 1"');
    await second.send('\x1b[B', 'echo last');
    await second.send('\x1b[A', 'set repl:h "from run 1"');
    assert.match(await second.run('', prompt), /\nOK\n/);
    assert.match(await second.run('get repl:h', prompt), /\n"from run 1"\n/);
    second.type('quit\r');
    assert.equal(await second.exit(), 0);
    // Run 2's lines went to the end, and a line equal to the one before it is kept once.
    assert.equal(fs.readFileSync(file, 'utf8'), 'set repl:h "from run 1"\necho last\nset repl:h "from run 1"\nget repl:h\nquit\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('MINIKV_CLI_HISTFILE=/dev/null keeps no file; without it the history goes to ~/.minikv_cli_history', async (t) => {
    if (!needPty(t)) return;
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'minikv-home-'));
    const off = miniKvCli(['-p', String(port)], envWith({ HOME: home, MINIKV_CLI_HISTFILE: '/dev/null' }));
    await off.waitFor(prompt);
    assert.match(await off.run('ping', prompt), /\nPONG\n/);
    off.type('quit\r');
    assert.equal(await off.exit(), 0);
    assert.deepEqual(fs.readdirSync(home), []);

    const env = envWith({ HOME: home });
    delete env['MINIKV_CLI_HISTFILE'];
    const on = miniKvCli(['-p', String(port)], env);
    await on.waitFor(prompt);
    assert.match(await on.run('ping', prompt), /\nPONG\n/);
    on.type('quit\r');
    assert.equal(await on.exit(), 0);
    assert.equal(fs.readFileSync(path.join(home, '.minikv_cli_history'), 'utf8'), 'ping\nquit\n');
    fs.rmSync(home, { recursive: true, force: true });
  });

  test('Tab completes command names in the case typed, cycling through several as linenoise does, and completes help topics', async (t) => {
    if (!needPty(t)) return;
    const cli = miniKvCli(['-p', String(port)]);
    await cli.waitFor(prompt);
    /** The line shown after the last redraw of the prompt. */
    const line = (s: string): string => plain(s).split(prompt).at(-1)!;
    await cli.send('ech', 'ech');
    assert.equal(line(await cli.send('\t', `${prompt}echo`)), 'echo');
    assert.match(await cli.run(' completed', prompt), /\n"completed"\n/);
    await cli.send('ECH', 'ECH');
    assert.equal(line(await cli.send('\t', `${prompt}ECHO`)), 'ECHO');
    assert.match(await cli.run(' upper', prompt), /\n"upper"\n/);
    // Several candidates: each Tab shows the next, then the line as typed (with a beep), then the first again.
    await cli.send('ge', 'ge');
    for (const shown of ['get', 'getdel', 'getex', 'getrange', 'getset']) assert.equal(line(await cli.send('\t', `${prompt}${shown}`)), shown);
    const back = await cli.send('\t', `${prompt}ge`);
    assert.ok(back.startsWith('\x07'), JSON.stringify(back));
    assert.equal(line(await cli.send('\t', `${prompt}get`)), 'get');
    // Any other key keeps the candidate shown: "get" then "del x" runs GETDEL x, whose (nil) DEL would not give.
    assert.equal(await cli.run('del x', prompt), `del x\n(nil)\n${prompt}`);
    await cli.send('config g', 'g');
    assert.equal(line(await cli.send('\t', `${prompt}config get`)), 'config get');
    await cli.send('\x15', prompt); // Ctrl-U: clear the line.
    await cli.send('help @str', 'str');
    assert.equal(line(await cli.send('\t', `${prompt}help @string`)), 'help @string');
    await cli.send('\x15', prompt);
    // No candidate: a beep and the line unchanged.
    await cli.send('zzz', 'zzz');
    assert.equal(await cli.send('\t', '\x07'), '\x07');
    await cli.send('\x15', prompt);
    await cli.send('qu', 'qu');
    await cli.send('\t', `${prompt}quit`);
    cli.type('\r');
    assert.equal(await cli.exit(), 0);
  });

  // Recorded from redis-cli 7.0.15 typing at a mini-kv server on a 5-digit port, on a 120-column
  // terminal (the hint is cut at the right edge): what is typed at each step, then the hint shown.
  const HINT_STEPS: [string, string][] = [
    ['set', ' key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseco'],
    [' ', 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseco'],
    ['k', ' value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-millisecond'],
    [' v', ' [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KE'],
    ['\x15config get', ' parameter [parameter ...]'],
    [' a', ' [parameter ...]'],
  ];
  /** A hint drawn and the cursor put back after it. */
  const HINT_DRAWN = /\x1b\[0;90;49m.*?\x1b\[0m\r(\x1b\[\d+C)?/;

  /** Types each step on `term` and returns the last hint drawn after each. */
  async function hintsTyped(term: Term, steps: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const s of steps) {
      // The terminal may hand the CLI a step's keys in more than one read, and a
      // hint is drawn after each: wait for one drawn after the step's last key.
      const last = s.at(-1)!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const drawn = await term.send(s, new RegExp(`${last}[^]*?${HINT_DRAWN.source}`));
      out.push(hintsIn(drawn).at(-1)!);
    }
    return out;
  }

  test('Argument hints appear after the cursor in grey and shrink as arguments are typed, as redis-cli shows them', async (t) => {
    if (!needPty(t)) return;
    const cli = miniKvCli(['-p', String(port)]);
    await cli.waitFor(prompt);
    const ours = await hintsTyped(cli, HINT_STEPS.map((s) => s[0]));
    assert.deepEqual(ours, HINT_STEPS.map((s) => s[1]));
    // Enter wipes the hint before the line is sent: nothing grey after the typed line.
    await cli.send('\x15set k v', HINT_DRAWN);
    const entered = await cli.send('\r', endsWithPrompt(prompt));
    assert.deepEqual(hintsIn(entered), []);
    assert.match(entered, /^\x1b\[0K\r\r\nOK\r\n/);
    // Hints off and on again, as redis-cli's :set nohints / :set hints.
    await cli.run(':set nohints', prompt);
    cli.type('get');
    await cli.send(' k', 'k');
    assert.deepEqual(hintsIn(cli.since()), []);
    await cli.send('\x15', prompt);
    await cli.run(':set hints', prompt);
    assert.match(await cli.run(':set fancy', prompt), /\nunknown mini-kv-cli preference 'fancy'\n/);
    cli.type('get');
    await cli.waitFor('\x1b[0m');
    assert.deepEqual(hintsIn(cli.since()), [' key']);
    cli.kill();

    const oracle = redisCli();
    if (oracle === null) return t.diagnostic('redis-cli not installed: compared with the recorded hints only');
    const rc = new Term(oracle, ['-p', String(port)], envWith());
    terms.push(rc);
    await rc.waitFor(prompt);
    assert.deepEqual(await hintsTyped(rc, HINT_STEPS.map((s) => s[0])), ours);
    rc.kill();
  });

  /** The text a help command printed: from after the entered line to the next prompt, without CRs. */
  function helpText(drawn: string): string {
    const body = drawn.slice(drawn.indexOf('\n') + 1);
    // Without the cursor moves and line clears the editors draw around the prompt.
    return body.slice(0, body.lastIndexOf(prompt)).replace(/\x1b\[\d*[GJKC]/g, '').replace(/\r/g, '');
  }

  // Recorded from redis-cli 7.0.15 against a mini-kv server.
  const HELP_SET =
    '\n  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\x1b[0m\n' +
    '  \x1b[33msummary:\x1b[0m Set the string value of a key\n  \x1b[33msince:\x1b[0m 1.0.0\n  \x1b[33mgroup:\x1b[0m string\n\n';

  test('help <command>, help config (with its subcommands), help @group and bare help, as redis-cli prints them', async (t) => {
    if (!needPty(t)) return;
    const cli = miniKvCli(['-p', String(port)]);
    await cli.waitFor(prompt);
    const ours: Record<string, string> = {};
    for (const cmd of ['help set', 'help config', 'help config get', 'help @connection']) ours[cmd] = helpText(await cli.send(`${cmd}\r`, endsWithPrompt(prompt)));
    assert.equal(ours['help set'], HELP_SET);
    assert.match(ours['help config']!, /^\n  \x1b\[1mCONFIG\x1b\[0m \x1b\[90m\x1b\[0m\n.*\n  \x1b\[1mCONFIG GET\x1b\[0m \x1b\[90mparameter \[parameter \.\.\.\]\x1b\[0m\n/s);
    assert.equal(ours['help config get'], '\n  \x1b[1mCONFIG GET\x1b[0m \x1b[90mparameter [parameter ...]\x1b[0m\n  \x1b[33msummary:\x1b[0m Get the values of configuration parameters\n  \x1b[33msince:\x1b[0m 2.0.0\n  \x1b[33mgroup:\x1b[0m server\n\n');
    assert.match(ours['help @connection']!, /\n  \x1b\[1mPING\x1b\[0m \x1b\[90m\[message\]\x1b\[0m\n  \x1b\[33msummary:\x1b\[0m Ping the server\n  \x1b\[33msince:\x1b\[0m 1.0.0\n\n/);
    assert.doesNotMatch(ours['help @connection']!, /group:/);
    const bare = helpText(await cli.send('help\r', endsWithPrompt(prompt)));
    assert.match(bare, /^mini-kv-cli \d+\.\d+\.\d+\nTo get help about mini-kv commands type:\n {6}"help @<group>" to get a list of commands in <group>\n/);
    assert.match(bare, /"help <tab>" to get a list of possible help topics\n {6}"quit" to exit\n\nTo set mini-kv-cli preferences:\n {6}":set hints" enable online hints\n {6}":set nohints" disable online hints\n$/);
    cli.kill();

    const oracle = redisCli();
    if (oracle === null) return t.diagnostic('redis-cli not installed: compared with the recorded help only');
    const rc = new Term(oracle, ['-p', String(port)], envWith());
    terms.push(rc);
    await rc.waitFor(prompt);
    for (const cmd of Object.keys(ours)) assert.equal(ours[cmd], helpText(await rc.send(`${cmd}\r`, endsWithPrompt(prompt))), cmd);
    rc.kill();
  });

  test('clear clears the screen and sends nothing to the server', async (t) => {
    if (!needPty(t)) return;
    // A fake server that records every command it gets.
    const seen: string[] = [];
    const sockets: net.Socket[] = [];
    const fake = net.createServer((sock) => {
      sockets.push(sock);
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        for (let m = /^\*(\d+)\r\n/.exec(buf); m !== null; m = /^\*(\d+)\r\n/.exec(buf)) {
          let at = m[0].length;
          const args: string[] = [];
          for (let i = 0; i < Number(m[1]); i++) {
            const h = /^\$(\d+)\r\n/.exec(buf.slice(at));
            if (h === null || buf.length < at + h[0].length + Number(h[1]) + 2) return;
            args.push(buf.slice(at + h[0].length, at + h[0].length + Number(h[1])));
            at += h[0].length + Number(h[1]) + 2;
          }
          buf = buf.slice(at);
          seen.push(args.join(' '));
          sock.write(args[0]!.toUpperCase() === 'PING' ? '+PONG\r\n' : args[0]!.toUpperCase() === 'COMMAND' ? '*0\r\n' : '-ERR unknown\r\n');
        }
      });
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const fakePort = (fake.address() as net.AddressInfo).port;
    const cli = miniKvCli(['-p', String(fakePort)]);
    try {
      await cli.waitFor(`127.0.0.1:${fakePort}> `);
      const cleared = await cli.send('clear\r', `127.0.0.1:${fakePort}> `);
      assert.match(cleared, /\r\n\x1b\[H\x1b\[2J/);
      assert.match(await cli.send('CLEAR\r', `\x1b[H\x1b[2J\x1b[1G\x1b[0J127.0.0.1:${fakePort}> `), /\r\n\x1b\[H\x1b\[2J/);
      assert.match(await cli.run('ping', `127.0.0.1:${fakePort}> `), /\nPONG\n/);
      assert.deepEqual(seen, ['COMMAND DOCS', 'ping']);
    } finally {
      cli.kill();
      for (const s of sockets) s.destroy();
      await new Promise((r) => fake.close(r));
    }
  });

  test('Ctrl-C and Ctrl-D at the prompt end the REPL with 0, as redis-cli', async (t) => {
    if (!needPty(t)) return;
    const c = miniKvCli(['-p', String(port)]);
    await c.waitFor(prompt);
    await c.send('get some', 'some');
    c.type('\x03');
    assert.equal(await c.exit(), 0);
    const d = miniKvCli(['-p', String(port)]);
    await d.waitFor(prompt);
    d.type('\x04');
    assert.equal(await d.exit(), 0);
  });

  test('Ctrl-C while a command waits for its reply ends the REPL with 1, as redis-cli\'s SIGINT handler', async (t) => {
    if (!needPty(t)) return;
    // A server that answers COMMAND DOCS and then never answers again.
    let got = '';
    const sockets: net.Socket[] = [];
    const silent = net.createServer((sock) => {
      sockets.push(sock);
      sock.on('data', (d) => {
        got += d.toString('latin1');
        if (got.includes('DOCS\r\n') && !got.includes('ping')) sock.write('*0\r\n');
      });
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const p = (silent.address() as net.AddressInfo).port;
    const cli = miniKvCli(['-p', String(p)]);
    try {
      await cli.waitFor(`127.0.0.1:${p}> `);
      await cli.send('ping\r', '\n');
      // The ping has reached the server and is waiting.
      await new Promise<void>((resolve, reject) => {
        const poll = setInterval(() => got.includes('ping') && (clearInterval(poll), clearTimeout(timer), resolve()), 10);
        const timer = setTimeout(() => (clearInterval(poll), reject(new Error('ping never reached the server'))), WAIT_MS);
      });
      cli.type('\x03');
      assert.equal(await cli.exit(), 1);
    } finally {
      cli.kill();
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  test('After the server restarts on its port, the next command fails as in redis-cli and the one after reconnects (in the same db)', async (t) => {
    if (!needPty(t)) return;
    let first = await startTestServer();
    const p = first.port;
    try {
      const cli = miniKvCli(['-p', String(p)]);
      await cli.waitFor(`127.0.0.1:${p}> `);
      await cli.run('select 3', `127.0.0.1:${p}[3]> `);
      assert.match(await cli.run('set where three', `127.0.0.1:${p}[3]> `), /\nOK\n/);
      await first.close();
      // Down: the command finds the connection closed (or, depending on what the kernel has
      // seen of the close when the ping is written, reset or a broken pipe, as hiredis then
      // reports too), then no server at all.
      assert.match(await cli.run('ping', 'not connected> '), /^ping\nError: (Server closed the connection|Connection reset by peer|Broken pipe)\nnot connected> $/);
      assert.equal(await cli.run('ping', 'not connected> '), `ping\nCould not connect to Redis at 127.0.0.1:${p}: Connection refused\nnot connected> `);
      first = await startTestServer({ config: { port: p } });
      assert.match(await cli.run('set where again', `127.0.0.1:${p}[3]> `), /\nOK\n127\.0\.0\.1:\d+\[3\]> $/);
      // The reconnected session is in db 3 again, as the prompt says.
      assert.match(await cli.run('client info', `127.0.0.1:${p}[3]> `), / db=3 /);
      cli.kill();
    } finally {
      await first.close();
    }
  });
});
