/**
 * Redis's own tools against mini-kv: redis-cli for single commands and a short
 * redis-benchmark run that must finish without errors. Each test skips, and
 * says why, when its tool is not installed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { NO_REDIS_CLI, redisCli, startTestServer, type TestServer } from '../helpers.js';

function which(tool: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

function run(file: string, args: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'latin1' }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as NodeJS.ErrnoException).code === 'number' ? ((err as unknown as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

const CLI = redisCli();
const BENCHMARK = which('redis-benchmark');
const NO_BENCHMARK = 'redis-benchmark is not installed (apt-get install redis-tools)';

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

describe('redis-cli against mini-kv', { skip: CLI === null ? NO_REDIS_CLI : false }, () => {
  test('redis-cli set a b, then get a', async () => {
    const set = await run(CLI!, ['-p', String(srv.port), 'set', 'a', 'b']);
    assert.deepEqual(set, { code: 0, stdout: 'OK\n', stderr: '' });
    const get = await run(CLI!, ['-p', String(srv.port), 'get', 'a']);
    assert.deepEqual(get, { code: 0, stdout: 'b\n', stderr: '' });
  });

  test('redis-cli --no-raw quotes strings and shows (nil) and errors like a TTY', async () => {
    const port = String(srv.port);
    assert.equal((await run(CLI!, ['-p', port, '--no-raw', 'get', 'a'])).stdout, '"b"\n');
    assert.equal((await run(CLI!, ['-p', port, '--no-raw', 'get', 'no-such-key'])).stdout, '(nil)\n');
    assert.equal((await run(CLI!, ['-p', port, '--no-raw', 'get'])).stdout, "(error) ERR wrong number of arguments for 'get' command\n");
  });

  test('redis-cli round-trips binary values through -x (stdin)', async () => {
    const value = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x41]);
    await new Promise<void>((resolve, reject) => {
      const child = execFile(CLI!, ['-p', String(srv.port), '-x', 'set', 'bin'], (err) => (err ? reject(err) : resolve()));
      child.stdin!.end(value);
    });
    const got = await run(CLI!, ['-p', String(srv.port), '--no-raw', 'get', 'bin']);
    assert.equal(got.stdout, '"\\x00\\x01\\x02\\xff\\r\\nA"\n');
  });
});

describe('redis-benchmark against mini-kv', { skip: BENCHMARK === null ? NO_BENCHMARK : false }, () => {
  test('redis-benchmark -t set,get,incr,mset -n 2000 -q finishes without errors', async () => {
    const r = await run(BENCHMARK!, ['-p', String(srv.port), '-t', 'set,get,incr,mset', '-n', '2000', '-q'], 60_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /Error|ERR /);
    // The last report of each test ends the line (-q rewrites progress with CR).
    const finals = r.stdout.split(/[\r\n]/).filter((l) => /requests per second/.test(l)).map((l) => l.trim().split(':')[0]);
    assert.deepEqual(finals, ['SET', 'GET', 'INCR', 'MSET (10 keys)']);
  });

  test('redis-benchmark -t ping (PING_INLINE and PING_MBULK, what a default run starts with) finishes without errors', async () => {
    const r = await run(BENCHMARK!, ['-p', String(srv.port), '-t', 'ping', '-n', '2000', '-q'], 60_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /Error|ERR /);
    const finals = r.stdout.split(/[\r\n]/).filter((l) => /requests per second/.test(l)).map((l) => l.trim().split(':')[0]);
    assert.deepEqual(finals, ['PING_INLINE', 'PING_MBULK']);
  });
});
