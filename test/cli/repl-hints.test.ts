/**
 * The REPL's pure parts, against redis-cli 7.0.15's rules: the hint for a
 * line (hintsCallback), Tab completions (completionCallback), the help
 * table and its output (cliInitHelp, cliOutputHelp), which lines the history
 * keeps (isSensitiveCommand, linenoiseHistoryAdd) and where it lives
 * (getDotfilePath). The help table is built from a live server's COMMAND
 * DOCS, so these also check that what the server documents renders as
 * redis-cli renders it; the expected strings were recorded from redis-cli
 * typing at the same server.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CliConnection } from '../../src/cli/client.js';
import { buildHelpEntries, outputHelp, parseCommandDocs, type HelpEntry } from '../../src/cli/help.js';
import { completionsFor, hintFor } from '../../src/cli/hints.js';
import { addHistory, HISTORY_MAX_LEN, historyPath, isSensitiveCommand, loadHistory, saveHistory } from '../../src/cli/history.js';
import { startTestServer, type TestServer } from '../helpers.js';

let srv: TestServer;
let entries: HelpEntry[];
before(async () => {
  srv = await startTestServer();
  const conn = await CliConnection.connect('127.0.0.1', srv.port);
  entries = buildHelpEntries(parseCommandDocs(await conn.command(['COMMAND', 'DOCS'])));
  conn.close();
});
after(async () => {
  await srv.close();
});

describe('REPL hints', () => {
  // Recorded from redis-cli 7.0.15 (before its cut at the terminal's width).
  const SET_PARAMS = 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]';

  test('hintsCallback - the whole syntax after the name, a leading space unless the line ends in one', () => {
    assert.equal(hintFor('set', entries), ' ' + SET_PARAMS);
    assert.equal(hintFor('SET ', entries), SET_PARAMS);
    assert.equal(hintFor('  set', entries), ' ' + SET_PARAMS);
  });

  test('hintsCallback - typed arguments drop words up to the first optional part', () => {
    assert.equal(hintFor('set k', entries), ' value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    assert.equal(hintFor('set k v', entries), ' [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    assert.equal(hintFor('set k v nx ex 10', entries), ' [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    assert.equal(hintFor('get k', entries), ' ');
    assert.equal(hintFor('get k ', entries), '');
    assert.equal(hintFor('auth foo', entries), ' [username] password');
  });

  test('hintsCallback - the longest command prefix wins (a subcommand over its container)', () => {
    assert.equal(hintFor('config', entries), ' ');
    assert.equal(hintFor('config get', entries), ' parameter [parameter ...]');
    assert.equal(hintFor('config get a', entries), ' [parameter ...]');
    assert.equal(hintFor('CLIENT LIST ', entries), '[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]');
  });

  test('hintsCallback - no hint for a blank line, an unknown command, the REPL words or unbalanced quotes', () => {
    assert.equal(hintFor('', entries), null);
    assert.equal(hintFor('   ', entries), null);
    assert.equal(hintFor('nosuchcommand', entries), null);
    assert.equal(hintFor('help', entries), null);
    assert.equal(hintFor('set "k', entries), null);
  });
});

describe('REPL completion', () => {
  test('completionCallback - command names by prefix, in the case typed, plus the REPL words', () => {
    assert.deepEqual(completionsFor('ech', entries), ['echo']);
    assert.deepEqual(completionsFor('ECH', entries), ['ECHO']);
    assert.deepEqual(completionsFor('eCh', entries), ['eCho']);
    assert.deepEqual(completionsFor('getr', entries), ['getrange']);
    assert.deepEqual(completionsFor('ge', entries), ['get', 'getdel', 'getex', 'getrange', 'getset']);
    assert.deepEqual(completionsFor('qu', entries), ['quit']);
    assert.deepEqual(completionsFor('cle', entries), ['clear']);
    assert.deepEqual(completionsFor('nosuch', entries), []);
  });

  test('completionCallback - the whole line matches, so subcommands complete after their container', () => {
    assert.deepEqual(completionsFor('config g', entries), ['config get']);
    assert.deepEqual(completionsFor('CONFIG R', entries), ['CONFIG RESETSTAT']);
  });

  test('completionCallback - after "help ", commands and @groups (as redis-cli spells them), and no REPL words', () => {
    assert.deepEqual(completionsFor('help @', entries), ['help @connection', 'help @generic', 'help @pubsub', 'help @server', 'help @string', 'help @transactions']);
    assert.deepEqual(completionsFor('help @str', entries), ['help @string']);
    assert.deepEqual(completionsFor('HELP  ech', entries), ['HELP  echo']);
    assert.deepEqual(completionsFor('help qu', entries), ['help quit']);
  });
});

describe('REPL help', () => {
  test('cliInitHelp - one entry per command, subcommand and group, sorted by full name', () => {
    const names = entries.map((e) => e.full);
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.indexOf('CONFIG') < names.indexOf('CONFIG GET'));
    assert.deepEqual(entries.find((e) => e.full === 'CONFIG GET')!.argv, ['CONFIG', 'GET']);
    assert.equal(entries.find((e) => e.full === '@string')!.type, 'group');
  });

  test('cliOutputHelp - plain text without a terminal: one block per match, a blank line after the list', () => {
    assert.equal(outputHelp(['get'], entries, false), '\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n\n');
    assert.equal(outputHelp(['CONFIG', 'get'], entries, false), '\n  CONFIG GET parameter [parameter ...]\n  summary: Get the values of configuration parameters\n  since: 2.0.0\n  group: server\n\n');
    const config = outputHelp(['config'], entries, false);
    assert.match(config, /^\n  CONFIG\n  summary: A container for server configuration commands\n/);
    assert.equal(config.match(/\n  CONFIG /g)!.length, entries.filter((e) => e.full.startsWith('CONFIG ')).length);
    assert.equal(outputHelp(['nosuch'], entries, false), '');
  });

  test('cliOutputHelp - @group lists its commands without the group line', () => {
    const conn = outputHelp(['@CONNECTION'], entries, false);
    assert.match(conn, /\n  PING \[message\]\n  summary: Ping the server\n  since: 1\.0\.0\n/);
    assert.doesNotMatch(conn, /group:/);
    assert.ok(conn.endsWith('\n\n'));
    assert.doesNotMatch(conn, /\n  GET /);
  });
});

describe('REPL history', () => {
  test('isSensitiveCommand - AUTH, ACL SETUSER, CONFIG SET of secrets, HELLO ... AUTH, MIGRATE ... AUTH/AUTH2', () => {
    const yes = [
      ['AUTH', 'x'],
      ['auth', 'user', 'pass'],
      ['acl', 'SETUSER', 'bob', 'on'],
      ['config', 'set', 'requirepass', 'x'],
      ['CONFIG', 'SET', 'masterauth', 'x'],
      ['config', 'set', 'masteruser', 'x'],
      ['hello', '3', 'auth', 'default', 'pw'],
      ['hello', '3', 'setname', 'me', 'auth', 'default', 'pw'],
      ['migrate', 'h', '1', '', '0', '5000', 'AUTH', 'pw', 'KEYS', 'a'],
      ['migrate', 'h', '1', '', '0', '5000', 'copy', 'auth2', 'u', 'pw'],
    ];
    const no = [
      ['acl', 'list'],
      ['config', 'set', 'maxclients', '10'],
      ['config', 'get', 'requirepass'],
      ['hello', '3'],
      ['hello', '3', 'setname', 'auth'],
      ['hello', '3', 'setname', 'x', 'y', 'auth', 'u', 'p'],
      ['migrate', 'h', '1', '', '0', '5000', 'KEYS', 'auth', 'x'],
      ['set', 'auth', 'x'],
    ];
    for (const argv of yes) assert.equal(isSensitiveCommand(argv), true, argv.join(' '));
    for (const argv of no) assert.equal(isSensitiveCommand(argv), false, argv.join(' '));
  });

  test('linenoiseHistoryAdd - no line twice in a row, the oldest dropped past 100', () => {
    const h: string[] = [];
    for (const l of ['a', 'a', 'b', 'a']) addHistory(h, l);
    assert.deepEqual(h, ['a', 'b', 'a']);
    for (let i = 0; i < 150; i++) addHistory(h, `l${i}`);
    assert.equal(h.length, HISTORY_MAX_LEN);
    assert.equal(h[0], 'l50');
    assert.equal(h.at(-1), 'l149');
  });

  test('linenoiseHistoryLoad/Save - one line each, oldest first, mode 0600; a missing file is an empty history', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minikv-hist-'));
    const file = path.join(dir, 'h');
    assert.deepEqual(loadHistory(file), []);
    assert.deepEqual(loadHistory(null), []);
    saveHistory(file, ['set a "b c"', 'get a']);
    assert.equal(fs.readFileSync(file, 'utf8'), 'set a "b c"\nget a\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    fs.writeFileSync(file, 'one\r\none\ntwo\n');
    assert.deepEqual(loadHistory(file), ['one', 'two']);
    // An unwritable place is ignored, as linenoise ignores it.
    saveHistory(path.join(dir, 'no', 'such', 'dir'), ['x']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('getDotfilePath - MINIKV_CLI_HISTFILE wins, /dev/null means none, else ~/.minikv_cli_history', () => {
    assert.equal(historyPath({ MINIKV_CLI_HISTFILE: '/tmp/h', HOME: '/home/u' }), '/tmp/h');
    assert.equal(historyPath({ MINIKV_CLI_HISTFILE: '/dev/null', HOME: '/home/u' }), null);
    assert.equal(historyPath({ MINIKV_CLI_HISTFILE: '', HOME: '/home/u' }), '/home/u/.minikv_cli_history');
    assert.equal(historyPath({ HOME: '/home/u' }), '/home/u/.minikv_cli_history');
    assert.equal(historyPath({}), null);
  });
});
