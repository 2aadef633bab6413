/**
 * The REPL without a terminal (commands read line by line from a stream, as
 * when stdin is a pipe), run in-process against a real server: the repeat
 * prefix, the REPL's own words (clear, :set, restart, connect) and help,
 * which work the same with or without a terminal. MULTI and a slow reply,
 * which mini-kv cannot give yet, come from a small scripted fake server.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { parseCliArgs, type CliOptions } from '../../src/cli/options.js';
import { CLEAR_SCREEN, runRepl } from '../../src/cli/repl.js';
import { startTestServer, type TestServer } from '../helpers.js';

let srv: TestServer;
let other: TestServer;
before(async () => {
  [srv, other] = await Promise.all([startTestServer(), startTestServer()]);
});
after(async () => {
  await Promise.all([srv.close(), other.close()]);
});

/** Runs the REPL on `lines` without a terminal; returns its exit code, stdout and stderr. */
async function repl(lines: string[], prompt = false, port = srv.port): Promise<{ code: number; out: string; err: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  output.setEncoding('latin1').on('data', (d: string) => (out += d));
  stderr.setEncoding('latin1').on('data', (d: string) => (err += d));
  const o = parseCliArgs(['-p', String(port)]) as CliOptions;
  const done = runRepl(o, { input, output, stderr, prompt, terminal: false, raw: false, env: { MINIKV_CLI_HISTFILE: '/dev/null' } });
  input.end(lines.map((l) => l + '\n').join(''));
  const code = await done;
  return { code, out, err };
}

describe('mini-kv-cli REPL without a terminal', () => {
  test('"N command" repeats it N times; 0, a negative count or an empty first word is refused as by redis-cli', async () => {
    const r = await repl(['3 incr repl:stream:n', '0 ping', '-2 ping', '"" ping', '+2 get repl:stream:n', '2x ping']);
    assert.equal(
      r.out,
      '(integer) 1\n(integer) 2\n(integer) 3\n' +
        'Invalid mini-kv-cli repeat command option value.\n'.repeat(3) +
        '"3"\n"3"\n' +
        "(error) ERR unknown command '2x', with args beginning with: 'ping' \n",
    );
    assert.equal(r.err, '');
  });

  test('clear writes linenoise\'s clear-screen sequence; "clear x" goes to the server', async () => {
    const r = await repl(['clear', 'clear x']);
    assert.equal(r.out, CLEAR_SCREEN + "(error) ERR unknown command 'clear', with args beginning with: 'x' \n");
    assert.equal(CLEAR_SCREEN, '\x1b[H\x1b[2J');
  });

  test(':set preferences and restart answer as redis-cli does', async () => {
    const r = await repl([':set hints', ':set nohints', ':set colour', ':set', ':foo', 'restart']);
    assert.equal(
      r.out,
      "unknown mini-kv-cli preference 'colour'\nunknown mini-kv-cli internal command ':set'\nunknown mini-kv-cli internal command ':foo'\nUse 'restart' only in Lua debugging mode.\n",
    );
  });

  test('help @group and help <container> without a terminal: plain text, no colours', async () => {
    const r = await repl(['help @connection', 'help client id']);
    assert.match(r.out, /^\n  AUTH \[username\] password\n  summary: Authenticate to the server\n  since: 1\.0\.0\n\n  CLIENT\n  summary: A container for client connection commands\n/);
    assert.doesNotMatch(r.out, /\x1b/);
    assert.match(r.out, /\n\n  CLIENT ID\n  summary: Returns the client ID for the current connection\n  since: 5\.0\.0\n  group: connection\n\n$/);
  });

  test('connect host port moves the session (and the prompt) to another server, in db 0', async () => {
    const r = await repl(['select 4', `connect 127.0.0.1 ${other.port}`, 'client info'], true);
    const lines = r.out.split('\n');
    assert.equal(lines[0], `127.0.0.1:${srv.port}> OK`);
    assert.match(lines[1]!, new RegExp(`^127\\.0\\.0\\.1:${srv.port}\\[4\\]> 127\\.0\\.0\\.1:${other.port}> id=\\d+ addr=\\S+ laddr=127\\.0\\.0\\.1:${other.port} .* db=0 `));
    assert.equal(r.code, 0);
  });
});

describe('mini-kv-cli REPL prompt state, against a scripted server', () => {
  /** A server that answers each command from `script` (by upper-case name), after `delayMs` for SLOW. */
  async function scripted(script: Record<string, string>): Promise<{ port: number; close(): Promise<void> }> {
    const sockets: net.Socket[] = [];
    const server = net.createServer((sock) => {
      sockets.push(sock);
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        // Each request is a multibulk whose first argument is the name; answer per complete request.
        for (let m = /^\*(\d+)\r\n\$\d+\r\n([^\r]*)\r\n/.exec(buf); m !== null; m = /^\*(\d+)\r\n\$\d+\r\n([^\r]*)\r\n/.exec(buf)) {
          let rest = buf.slice(m[0].length);
          for (let i = 1; i < Number(m[1]); i++) {
            const h = /^\$(\d+)\r\n/.exec(rest);
            if (h === null || rest.length < h[0].length + Number(h[1]) + 2) return;
            rest = rest.slice(h[0].length + Number(h[1]) + 2);
          }
          buf = rest;
          const name = m[2]!.toUpperCase();
          const reply = script[name] ?? '-ERR unknown\r\n';
          if (name === 'SLOW') setTimeout(() => sock.write(reply), 600);
          else sock.write(reply);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      port: (server.address() as net.AddressInfo).port,
      close: async () => {
        for (const s of sockets) s.destroy();
        await new Promise((r) => server.close(r));
      },
    };
  }

  test('MULTI puts (TX) in the prompt; EXEC and DISCARD take it away; a failed EXEC restores the db from before MULTI', async () => {
    const fake = await scripted({ COMMAND: '*0\r\n', MULTI: '+OK\r\n', SELECT: '+QUEUED\r\n', EXEC: '*-1\r\n', DISCARD: '+OK\r\n', PING: '+QUEUED\r\n' });
    try {
      const r = await repl(['multi', 'select 5', 'exec', 'multi', 'ping', 'discard'], true, fake.port);
      const p = `127.0.0.1:${fake.port}`;
      assert.equal(r.out, `${p}> OK\n${p}(TX)> QUEUED\n${p}[5](TX)> (nil)\n${p}> OK\n${p}(TX)> QUEUED\n${p}(TX)> OK\n${p}> `);
    } finally {
      await fake.close();
    }
  });

  test('A command that takes half a second or more is followed by its time, as redis-cli prints it', async () => {
    const fake = await scripted({ COMMAND: '*0\r\n', SLOW: '+done\r\n' });
    try {
      const r = await repl(['slow'], false, fake.port);
      assert.match(r.out, /^done\n\(\d+\.\d\ds\)\n$/);
    } finally {
      await fake.close();
    }
  });
});
