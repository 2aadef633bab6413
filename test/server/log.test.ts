/**
 * The logger: Redis's line format (compared with a live redis-server's
 * lines when installed), each loglevel letting through exactly its levels
 * in the binary (debug `.`, verbose `-`, notice `*`, warning `#`), `nothing`
 * silencing everything, and the limit messages at their Redis levels.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatLogLine, levelEnabled, Logger } from '../../src/server/log.js';
import { rawExchange, resp, startTestServer } from '../helpers.js';
import { freePort } from './sockets.js';
import { exited, killChildren, LOG_LINE, logEntries, NO_REDIS_SERVER, redisServer, spawnBinary, spawnWithStdout, until } from './config-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mini-kv-log-'));
after(() => {
  killChildren();
  rmSync(dir, { recursive: true, force: true });
});

describe('log line format', () => {
  test('formatLogLine - pid:role dd Mon yyyy hh:mm:ss.mmm <mark> message, local time, marks . - * #', () => {
    const t = new Date(2026, 11, 4, 2, 5, 9, 7);
    assert.equal(formatLogLine(123, 'M', t, 'notice', 'Ready'), '123:M 04 Dec 2026 02:05:09.007 * Ready');
    assert.equal(formatLogLine(1, 'C', t, 'warning', 'w'), '1:C 04 Dec 2026 02:05:09.007 # w');
    assert.equal(formatLogLine(1, 'M', t, 'verbose', 'v'), '1:M 04 Dec 2026 02:05:09.007 - v');
    assert.equal(formatLogLine(1, 'M', t, 'debug', 'd'), '1:M 04 Dec 2026 02:05:09.007 . d');
  });

  test('levelEnabled - each loglevel lets through its level and the more severe ones; nothing lets none through', () => {
    const levels = ['debug', 'verbose', 'notice', 'warning'] as const;
    const table = ['debug', 'verbose', 'notice', 'warning', 'nothing'].map((ll) => levels.map((l) => levelEnabled(l, ll)));
    assert.deepEqual(table, [
      [true, true, true, true],
      [false, true, true, true],
      [false, false, true, true],
      [false, false, false, true],
      [false, false, false, false],
    ]);
  });

  test('Logger - reads loglevel at every line, so a change applies at once', () => {
    let level = 'warning';
    const lines: string[] = [];
    const log = new Logger((l) => lines.push(l), () => level);
    log.notice('dropped');
    log.warning('kept');
    level = 'debug';
    log.debug('now kept');
    assert.deepEqual(lines.map((l) => LOG_LINE.exec(l)![11]), ['kept', 'now kept']);
    assert.equal(LOG_LINE.exec(lines[0]!)![1], String(process.pid));
  });

  test('The format matches a live redis-server 7.0.15\'s log lines', async (t) => {
    const redis = redisServer();
    if (redis === null) {
      t.skip(NO_REDIS_SERVER);
      return;
    }
    const port = await freePort();
    const child = spawn(redis, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    try {
      assert.ok(await until(() => out.includes('Ready to accept connections')), out);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
    // Every line Redis printed parses with the same pattern, and uses the same role and level marks.
    const log = logEntries(out);
    assert.ok(log.some((l) => l.role === 'C' && l.mark === '#'));
    assert.ok(log.some((l) => l.role === 'M' && l.mark === '*' && l.message === 'Ready to accept connections'));
  });
});

/** Runs the binary at `loglevel` on a free port with one client, stops it, and returns what it printed on stdout. */
async function runAtLevel(loglevel: string): Promise<string> {
  const port = await freePort();
  const server = spawnWithStdout(['--port', String(port), '--bind', '127.0.0.1', '--loglevel', loglevel, '--save', '900 1']);
  let ok = false;
  for (let i = 0; i < 250 && !ok; i++) {
    ok = await rawExchange(port, resp('PING'), { expect: '+PONG\r\n', timeoutMs: 500 }).then((r) => r.data === '+PONG\r\n', () => false);
    if (!ok) await new Promise((r) => setTimeout(r, 20));
  }
  assert.ok(ok, `server at loglevel ${loglevel} answered`);
  server.child.kill('SIGTERM');
  await exited(server.child);
  return server.out();
}

describe('loglevel in the binary', () => {
  test('loglevel - each of the five levels lets through exactly its marks; nothing prints nothing at all', async () => {
    const marks: Record<string, string[]> = {};
    for (const level of ['debug', 'verbose', 'notice', 'warning', 'nothing']) {
      const out = await runAtLevel(level);
      marks[level] = [...new Set(logEntries(out).map((l) => l.mark))].sort();
      if (level === 'nothing') assert.equal(out, '');
    }
    assert.deepEqual(marks, {
      debug: ['#', '*', '-', '.'],
      verbose: ['#', '*', '-'],
      notice: ['#', '*'],
      warning: ['#'],
      nothing: [],
    });
  });

  test('loglevel verbose - the accepted client is logged with its address; debug adds the listeners', async () => {
    const out = await runAtLevel('debug');
    const log = logEntries(out);
    assert.ok(log.some((l) => l.mark === '-' && /^Accepted 127\.0\.0\.1:\d+$/.test(l.message)), out);
    assert.ok(log.some((l) => l.mark === '.' && /^Listening on tcp 127\.0\.0\.1:\d+ \(backlog 511\)$/.test(l.message)), out);
  });
});

describe('limit messages go through the logger at Redis\'s levels', () => {
  test('An idle client closed by timeout is logged at verbose; one over the query buffer limit at warning', async () => {
    const lines: string[] = [];
    const s = await startTestServer({ config: { timeout: 1, loglevel: 'verbose', 'client-query-buffer-limit': '1mb' }, log: (l) => lines.push(l) });
    try {
      s.server.clock.freeze();
      const idle = net.connect(s.port, '127.0.0.1');
      idle.on('error', () => {});
      await new Promise((r) => idle.once('connect', r));
      await until(() => lines.some((l) => l.includes('Accepted')));
      s.server.limits.tick();
      s.server.clock.advance(2500);
      s.server.limits.tick();
      await until(() => lines.some((l) => l.includes('Closing idle client')));
      const idleLine = logEntries(lines.join('\n')).find((l) => l.message.startsWith('Closing idle client'));
      assert.ok(idleLine !== undefined, lines.join('\n'));
      assert.equal(idleLine.mark, '-');
      idle.destroy();
      // A bulk that has not arrived whole counts as query buffer: past 1 MB the client is closed.
      const big = net.connect(s.port, '127.0.0.1');
      big.on('error', () => {});
      await new Promise((r) => big.once('connect', r));
      big.write('*1\r\n$2000000\r\n');
      big.write(Buffer.alloc(1_100_000, 120));
      await until(() => lines.some((l) => l.includes('max query buffer')));
      big.destroy();
      const qLine = logEntries(lines.join('\n')).find((l) => l.message.startsWith('Closing client that reached max query buffer length'));
      assert.ok(qLine !== undefined, lines.join('\n'));
      assert.equal(qLine.mark, '#');
      assert.ok(lines.every((l) => LOG_LINE.test(l)));
    } finally {
      await s.close();
    }
  });
});

test('logfile receives the same lines stdout would', async () => {
  const logfile = join(dir, 'same.log');
  const port = await freePort();
  const child = spawnBinary(['--port', String(port), '--bind', '127.0.0.1', '--logfile', logfile]);
  assert.ok(await until(() => {
    try {
      return readFileSync(logfile, 'utf8').includes('Ready to accept');
    } catch {
      return false;
    }
  }));
  child.kill('SIGTERM');
  await exited(child);
  const log = logEntries(readFileSync(logfile, 'utf8'));
  assert.deepEqual(log.map((l) => [l.pid, l.mark]), [[child.pid, '#'], [child.pid, '*'], [child.pid, '#']]);
  assert.equal(log[2]!.message, 'Received SIGTERM, shutting down');
});
