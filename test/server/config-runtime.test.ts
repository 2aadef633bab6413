/**
 * Configuration at run time and through the embedding API: CONFIG SET
 * refuses what mini-kv cannot honour with the exact error, CONFIG GET
 * answers what is in force, SHUTDOWN SAVE does not pretend to save, and an
 * embedded server resolves `dir` without changing the process's working
 * directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError, startServer } from '../../src/index.js';
import { Config } from '../../src/server/config.js';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';
import { logEntries } from './config-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mini-kv-config-runtime-'));
let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends one command and returns its raw RESP2 reply (everything up to the first CRLF-terminated reply). */
async function call(...args: string[]): Promise<string> {
  const r = await rawExchange(srv.port, resp(...args), { expect: '\r\n', timeoutMs: 1000 });
  return r.data;
}

function bulk(s: string): string {
  return `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
}

const failed = (name: string, why: string): string => `-ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}\r\n`;

describe('CONFIG SET - what mini-kv cannot honour is refused', () => {
  test('CONFIG SET maxmemory 1mb is refused; a 300 KB SET then still answers OK, and no bound is claimed', async () => {
    assert.equal(await call('CONFIG', 'SET', 'maxmemory', '1mb'), failed('maxmemory', "'maxmemory 1mb' is not supported yet: mini-kv sets no memory bound, so only 'maxmemory 0' (no limit) is accepted"));
    assert.equal(await call('CONFIG', 'GET', 'maxmemory'), '*2\r\n' + bulk('maxmemory') + bulk('0'));
    const big = 'x'.repeat(300 * 1024);
    const r = await rawExchange(srv.port, resp('SET', 'big', big), { expect: '\r\n' });
    assert.equal(r.data, '+OK\r\n');
    assert.equal(await call('CONFIG', 'SET', 'maxmemory', '0'), '+OK\r\n');
  });

  test('CONFIG SET appendonly yes, save "900 1" are refused; appendonly no and save "" are accepted', async () => {
    assert.equal(await call('CONFIG', 'SET', 'appendonly', 'yes'), failed('appendonly', "'appendonly yes' is not supported yet: mini-kv keeps no data on disk, so only 'appendonly no' is accepted"));
    assert.equal(await call('CONFIG', 'SET', 'save', '900 1'), failed('save', "'save 900 1' is not supported yet: mini-kv keeps no data on disk, so only 'save \"\"' is accepted"));
    assert.equal(await call('CONFIG', 'SET', 'save', '900 x'), failed('save', 'Invalid save parameters'));
    assert.equal(await call('CONFIG', 'SET', 'appendonly', 'no'), '+OK\r\n');
    assert.equal(await call('CONFIG', 'SET', 'save', ''), '+OK\r\n');
    assert.equal(await call('CONFIG', 'GET', 'appendonly'), '*2\r\n' + bulk('appendonly') + bulk('no'));
    assert.equal(await call('CONFIG', 'GET', 'save'), '*2\r\n' + bulk('save') + bulk(''));
  });

  test('CONFIG SET hz - any int from 0 is taken and kept within 1 and 500, as Redis 7.0.15 does', async () => {
    assert.equal(await call('CONFIG', 'SET', 'hz', '1000'), '+OK\r\n');
    assert.equal(await call('CONFIG', 'GET', 'hz'), '*2\r\n' + bulk('hz') + bulk('500'));
    assert.equal(await call('CONFIG', 'SET', 'hz', '0'), '+OK\r\n');
    assert.equal(await call('CONFIG', 'GET', 'hz'), '*2\r\n' + bulk('hz') + bulk('1'));
    assert.equal(await call('CONFIG', 'SET', 'hz', '-1'), failed('hz', 'argument must be between 0 and 2147483647 inclusive'));
    assert.equal(await call('CONFIG', 'SET', 'hz', '10'), '+OK\r\n');
  });

  test('CONFIG SET - all or nothing: a refused option leaves the others unchanged', async () => {
    assert.equal(await call('CONFIG', 'SET', 'hz', '33', 'appendonly', 'yes'), failed('appendonly', "'appendonly yes' is not supported yet: mini-kv keeps no data on disk, so only 'appendonly no' is accepted"));
    assert.equal(await call('CONFIG', 'GET', 'hz'), '*2\r\n' + bulk('hz') + bulk('10'));
  });

  test('CONFIG SET of a Redis option mini-kv does not implement is refused, even at Redis\'s default', async () => {
    assert.equal(await call('CONFIG', 'SET', 'rdbcompression', 'yes'), failed('rdbcompression', "'rdbcompression yes' is not supported yet: mini-kv does not implement rdbcompression"));
    assert.equal(await call('CONFIG', 'SET', 'lazyfree-lazy-eviction', 'yes'), failed('lazyfree-lazy-eviction', "'lazyfree-lazy-eviction yes' is not supported yet: mini-kv does not implement lazyfree-lazy-eviction"));
    assert.equal(await call('CONFIG', 'GET', 'rdbcompression'), '*0\r\n');
    assert.equal(await call('CONFIG', 'SET', 'no-such-option', '1'), "-ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'\r\n");
  });

  test('CONFIG SET - start-up-only options answer as Redis 7.0.15 does (dir is protected, the rest immutable)', async () => {
    assert.equal(await call('CONFIG', 'SET', 'dir', '/tmp'), failed('dir', "can't set protected config"));
    for (const name of ['daemonize', 'logfile', 'pidfile', 'syslog-enabled', 'tcp-backlog']) {
      assert.equal(await call('CONFIG', 'SET', name, 'yes'), failed(name, "can't set immutable config"), name);
    }
  });

  test('CONFIG GET answers what is in force: dir is the absolute working directory, loglevel, logfile, pidfile, daemonize, tcp-backlog', async () => {
    assert.equal(await call('CONFIG', 'GET', 'dir'), '*2\r\n' + bulk('dir') + bulk(process.cwd()));
    assert.equal(await call('CONFIG', 'GET', 'loglevel'), '*2\r\n' + bulk('loglevel') + bulk('notice'));
    assert.equal(await call('CONFIG', 'GET', 'logfile'), '*2\r\n' + bulk('logfile') + bulk(''));
    assert.equal(await call('CONFIG', 'GET', 'pidfile'), '*2\r\n' + bulk('pidfile') + bulk(''));
    assert.equal(await call('CONFIG', 'GET', 'daemonize'), '*2\r\n' + bulk('daemonize') + bulk('no'));
    assert.equal(await call('CONFIG', 'GET', 'syslog-enabled'), '*2\r\n' + bulk('syslog-enabled') + bulk('no'));
    assert.equal(await call('CONFIG', 'GET', 'tcp-backlog'), '*2\r\n' + bulk('tcp-backlog') + bulk('511'));
    assert.equal(await call('CONFIG', 'SET', 'loglevel', 'nothing'), '+OK\r\n');
    assert.equal(await call('CONFIG', 'GET', 'loglevel'), '*2\r\n' + bulk('loglevel') + bulk('nothing'));
    assert.equal(await call('CONFIG', 'SET', 'loglevel', 'chatty'), failed('loglevel', 'argument(s) must be one of the following: debug, verbose, notice, warning, nothing'));
    assert.equal(await call('CONFIG', 'SET', 'loglevel', 'notice'), '+OK\r\n');
  });
});

describe('SHUTDOWN SAVE', () => {
  test('SHUTDOWN SAVE is refused with the reason, as Redis refuses when the final save fails; the server keeps serving', async () => {
    assert.equal(await call('SHUTDOWN', 'SAVE'), '-ERR Errors trying to SHUTDOWN: SAVE is not supported yet, mini-kv keeps no data on disk. Use SHUTDOWN or SHUTDOWN NOSAVE.\r\n');
    assert.equal(await call('SHUTDOWN', 'save', 'NOW', 'FORCE'), '-ERR Errors trying to SHUTDOWN: SAVE is not supported yet, mini-kv keeps no data on disk. Use SHUTDOWN or SHUTDOWN NOSAVE.\r\n');
    assert.equal(await call('PING'), '+PONG\r\n');
  });

  test('SHUTDOWN NOSAVE still shuts an embedded server down', async () => {
    const s = await startTestServer();
    const r = await rawExchange(s.port, resp('SHUTDOWN', 'NOSAVE'), { timeoutMs: 2000 });
    assert.equal(r.closed, true);
    assert.equal(r.data, '');
    await s.server.closed;
  });
});

describe('embedding API', () => {
  test('startServer - appendonly yes, maxmemory and a Redis option away from its default are ConfigErrors with the reason', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ appendonly: true }, "'appendonly yes' is not supported yet: mini-kv keeps no data on disk, so only 'appendonly no' is accepted"],
      [{ maxmemory: '100mb' }, "'maxmemory 100mb' is not supported yet: mini-kv sets no memory bound, so only 'maxmemory 0' (no limit) is accepted"],
      [{ rdbcompression: 'no' }, "'rdbcompression no' is not supported yet: mini-kv does not implement rdbcompression, so only Redis's default (yes) is accepted"],
      [{ daemonize: true }, "'daemonize yes' is for the mini-kv-server binary only: an embedded server runs inside its host process"],
    ];
    for (const [opts, message] of cases) {
      await assert.rejects(startServer(opts), (e: unknown) => e instanceof ConfigError && e.code === 'ERR_MINIKV_CONFIG' && e.message === message);
    }
  });

  test('startServer - dir resolves logfile and pidfile without changing the process\'s working directory; log receives Redis-format lines', async () => {
    const cwd = process.cwd();
    const lines: string[] = [];
    const s = await startServer({ dir, logfile: 'server.log', pidfile: 'server.pid', log: (l: string) => lines.push(l) });
    try {
      assert.equal(process.cwd(), cwd);
      assert.equal(s.server.config.get('dir'), dir);
      assert.equal(readFileSync(join(dir, 'server.pid'), 'utf8'), `${process.pid}\n`);
      const log = logEntries(readFileSync(join(dir, 'server.log'), 'utf8'));
      assert.equal(log.at(-1)!.message, `Ready to accept connections tcp on 127.0.0.1:${s.port} (pid ${process.pid})`);
      assert.deepEqual(lines, [], 'with logfile set, lines go to the file');
    } finally {
      await s.close();
    }
    assert.throws(() => readFileSync(join(dir, 'server.pid')), { code: 'ENOENT' });
  });

  test('startServer - the log option receives each line in Redis\'s format, filtered by loglevel', async () => {
    const lines: string[] = [];
    const s = await startServer({ log: (l: string) => lines.push(l), save: '900 1' });
    await s.close();
    const log = logEntries(lines.join('\n'));
    assert.deepEqual(log.map((l) => [l.pid, l.role, l.mark]), [[process.pid, 'M', '#'], [process.pid, 'M', '*']]);
    assert.match(log[0]!.message, /^Warning: 'save 900 1' is accepted but not honoured/);
    const quiet: string[] = [];
    const q = await startServer({ log: (l: string) => quiet.push(l), loglevel: 'warning' });
    await q.close();
    assert.deepEqual(quiet, []);
  });

  test('Config - save lines add up, save "" clears, and what is in force stays ""', () => {
    const c = new Config();
    assert.equal(c.apply('save', ['900', '1']), null);
    assert.equal(c.apply('save', ['300 10']), null);
    assert.equal(c.requestedSave, '900 1 300 10');
    assert.equal(c.get('save'), '');
    assert.equal(c.apply('save', ['']), null);
    assert.equal(c.requestedSave, '');
    assert.deepEqual(c.startupWarnings(), []);
  });
});
