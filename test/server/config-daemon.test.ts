/**
 * The process-wide options, through the binary: `daemonize yes` detaches
 * (the parent exits 0 once the child serves, the child writes the pidfile
 * and logs to logfile), `pidfile` is written at start and removed at a clean
 * exit, `dir` is changed into (relative paths resolve against it), and
 * `logfile` is appended to.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { rawExchange, resp } from '../helpers.js';
import { freePort } from './sockets.js';
import { exited, killChildren, logEntries, runToExit, spawnBinary, startBinary, until } from './config-helpers.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mini-kv-config-daemon-')));
/** Pids of daemonized servers started here, killed in the after hook whatever happened. */
const daemons = new Set<number>();
after(() => {
  killChildren();
  for (const pid of daemons) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function bulk(s: string): string {
  return `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
}

async function call(port: number, ...args: string[]): Promise<string> {
  return (await rawExchange(port, resp(...args), { expect: '\r\n', timeoutMs: 1000 })).data;
}

describe('daemonize', () => {
  test('daemonize yes - the parent exits 0 once the detached child serves; the child writes the pidfile, logs to logfile, and SHUTDOWN stops it and removes the pidfile', async () => {
    const port = await freePort();
    const pidfile = join(dir, 'd.pid');
    const logfile = join(dir, 'd.log');
    const r = await runToExit(['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', logfile]);
    // The parent printed nothing: a daemon's stdout is /dev/null and its lines go to the logfile.
    assert.deepEqual(r, { code: 0, stdout: '', stderr: '' });
    const pid = Number(readFileSync(pidfile, 'utf8'));
    daemons.add(pid);
    assert.ok(pid > 0 && alive(pid));
    assert.equal(await call(port, 'PING'), '+PONG\r\n');
    assert.equal(await call(port, 'CONFIG', 'GET', 'daemonize'), '*2\r\n' + bulk('daemonize') + bulk('yes'));
    assert.equal(await call(port, 'CONFIG', 'GET', 'pidfile'), '*2\r\n' + bulk('pidfile') + bulk(pidfile));
    const log = logEntries(readFileSync(logfile, 'utf8'));
    assert.ok(log.every((l) => l.pid === pid && l.role === 'M'));
    assert.equal(log.at(-1)!.message, `Ready to accept connections tcp on 127.0.0.1:${port} (pid ${pid})`);
    const bye = await rawExchange(port, resp('SHUTDOWN'), { timeoutMs: 3000 });
    assert.equal(bye.closed, true);
    assert.ok(await until(() => !alive(pid)), 'the daemon exited');
    assert.equal(existsSync(pidfile), false, 'the pidfile is removed at a clean exit');
    assert.equal(logEntries(readFileSync(logfile, 'utf8')).at(-1)!.message, 'SHUTDOWN received, exiting');
  });

  test('daemonize yes - a bad option fails in the foreground before detaching; a taken port is reported by the parent with exit 1', async () => {
    const bad = await runToExit(['--port', '0', '--daemonize', 'yes', '--hz', 'x']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "\n*** FATAL CONFIG FILE ERROR (mini-kv 0.1.0) ***\nReading the command line, at option 3\n>>> 'hz \"x\"'\nargument couldn't be parsed into an integer\n");
    const s = await startBinary(['--port', '0', '--bind', '127.0.0.1']);
    try {
      const pidfile = join(dir, 'taken.pid');
      const r = await runToExit(['--port', String(s.port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', pidfile]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `mini-kv-server: Could not create server TCP listening socket 127.0.0.1:${s.port}: bind: Address already in use\n`);
      assert.equal(existsSync(pidfile), false);
    } finally {
      s.child.kill('SIGTERM');
      await exited(s.child);
    }
  });
});

describe('pidfile, dir, logfile', () => {
  test('pidfile - written with the server\'s pid at start, removed on SIGTERM', async () => {
    const pidfile = join(dir, 'fg.pid');
    const s = await startBinary(['--port', '0', '--pidfile', pidfile]);
    assert.equal(readFileSync(pidfile, 'utf8'), `${s.child.pid}\n`);
    s.child.kill('SIGTERM');
    assert.equal((await exited(s.child)).code, 0);
    assert.equal(existsSync(pidfile), false);
  });

  test('pidfile - one that cannot be written is a warning, and the server starts anyway (Redis\'s createPidFile)', async () => {
    const s = await startBinary(['--port', '0', '--pidfile', join(dir, 'no-such-dir', 'x.pid')]);
    const log = logEntries(s.stdout());
    assert.deepEqual(log.map((l) => [l.mark, l.message]).slice(1, 2), [['#', 'Failed to write PID file: No such file or directory']]);
    s.child.kill('SIGTERM');
    assert.equal((await exited(s.child)).code, 0);
  });

  test('dir - the binary changes into it: CONFIG GET dir is absolute, relative logfile and pidfile land in it, the config file keeps its path', async () => {
    const work = join(dir, 'work');
    mkdirSync(work);
    // A relative dir is taken from where the binary was started.
    writeFileSync(join(dir, 'work.conf'), 'port 0\n');
    const child = spawnBinary(['work.conf', '--dir', 'work', '--logfile', 'server.log', '--pidfile', 'server.pid'], { cwd: dir });
    assert.ok(await until(() => existsSync(join(work, 'server.pid'))));
    const pid = Number(readFileSync(join(work, 'server.pid'), 'utf8'));
    assert.equal(pid, child.pid);
    const log = logEntries(readFileSync(join(work, 'server.log'), 'utf8'));
    const port = Number(/:(\d+) \(pid/.exec(log.at(-1)!.message)![1]);
    assert.equal(await call(port, 'CONFIG', 'GET', 'dir'), '*2\r\n' + bulk('dir') + bulk(work));
    // The config file keeps the name it had where the binary started.
    const want = `\r\nconfig_file:${join(dir, 'work.conf')}\r\n`;
    const info = (await rawExchange(port, resp('INFO', 'server'), { expect: want, timeoutMs: 1000 })).data;
    assert.ok(info.includes(want), info);
    child.kill('SIGTERM');
    assert.equal((await exited(child)).code, 0);
    assert.equal(existsSync(join(work, 'server.pid')), false);
  });

  test('logfile - lines are appended (an earlier run\'s lines stay), nothing goes to stdout', async () => {
    const logfile = join(dir, 'append.log');
    writeFileSync(logfile, 'earlier line\n');
    const port = await freePort();
    const r1 = runToExit(['--port', String(port), '--bind', '127.0.0.1', '--logfile', logfile]);
    assert.ok(await until(() => readFileSync(logfile, 'utf8').includes('Ready to accept')));
    assert.equal(await call(port, 'SHUTDOWN', 'NOSAVE'), '');
    const done = await r1;
    assert.deepEqual([done.code, done.stdout, done.stderr], [0, '', '']);
    const text = readFileSync(logfile, 'utf8');
    assert.ok(text.startsWith('earlier line\n'));
    const log = logEntries(text.slice('earlier line\n'.length));
    assert.deepEqual(log.map((l) => l.mark), ['#', '*', '#']);
    assert.equal(log[2]!.message, 'SHUTDOWN received, exiting');
  });
});
