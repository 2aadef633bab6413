/**
 * The table of Redis 7.0.15 options mini-kv does not implement
 * (redis-options.ts) against a live redis-server: every option Redis lists
 * in CONFIG GET * is either one of mini-kv's or in the table with Redis's
 * default, so none can be accepted and ignored. Without redis-server the
 * table's own consistency is still checked.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isRedisDefault, OPTIONS, redisOnlyOption } from '../../src/server/config.js';
import { REDIS_ONLY_OPTIONS } from '../../src/server/redis-options.js';
import { NO_REDIS_CLI, redisCli } from '../helpers.js';
import { freePort } from './sockets.js';
import { exited, NO_REDIS_SERVER, redisServer, until } from './config-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'mini-kv-redis-table-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Options whose live value depends on how redis-server was started, not on
 * its defaults: mini-kv implements each of them with its own default.
 */
const STARTED_WITH = new Set(['port', 'bind', 'dir', 'save', 'appendonly', 'logfile', 'pidfile', 'daemonize']);

describe('Redis option table', () => {
  test('The table is consistent: no option in both tables, each default accepted as the default, a changed value not', () => {
    const ours = new Set(OPTIONS.map((o) => o.name));
    assert.equal(REDIS_ONLY_OPTIONS.length, 158);
    for (const [name, kind, def] of REDIS_ONLY_OPTIONS) {
      assert.equal(ours.has(name), false, name);
      assert.equal(isRedisDefault(kind, def, def), true, name);
      assert.deepEqual(redisOnlyOption(name.toUpperCase()), { kind, default: def });
    }
    assert.equal(isRedisDefault('memory', '64mb', '67108864'), true);
    assert.equal(isRedisDefault('memory', '64m', '67108864'), false);
    assert.equal(isRedisDefault('bool', 'YES', 'yes'), true);
    assert.equal(isRedisDefault('int', '0100', '100'), true);
    assert.equal(isRedisDefault('int', '100x', '100'), false);
    assert.equal(isRedisDefault('string', '0  200 800', '0 200 800'), true);
  });

  test('docs/configuration.md lists every option of both tables, the Redis ones with their default', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/configuration.md', import.meta.url)), 'utf8');
    for (const o of OPTIONS) assert.ok(doc.includes('`' + o.name + '`'), o.name);
    const listed = doc.slice(doc.indexOf('## Redis options mini-kv does not implement')).split('\n').filter((l) => /^[a-z]/.test(l) && /\s{2,}/.test(l));
    assert.deepEqual(listed.map((l) => l.split(/\s+/)[0]), REDIS_ONLY_OPTIONS.map(([n]) => n));
    for (const [i, [, , def]] of REDIS_ONLY_OPTIONS.entries()) {
      const shown = listed[i]!.replace(/^\S+\s+/, '');
      assert.equal(shown === '""' ? '' : shown.replace(/^"(.*)"$/, '$1'), def, listed[i]);
    }
  });

  test('Every option of a live redis-server 7.0.15 is mini-kv\'s own or in the table with its live default', async (t) => {
    const redis = redisServer();
    const cli = redisCli();
    if (redis === null || cli === null) {
      t.skip(redis === null ? NO_REDIS_SERVER : NO_REDIS_CLI);
      return;
    }
    const port = await freePort();
    const child = spawn(redis, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    try {
      let words: string[] = [];
      assert.ok(await until(() => {
        const r = spawnSync(cli, ['-p', String(port), '--raw', 'CONFIG', 'GET', '*'], { encoding: 'utf8' });
        words = r.status === 0 ? r.stdout.split('\n') : [];
        return words.length > 300;
      }));
      const live = new Map<string, string>();
      for (let i = 0; i + 1 < words.length; i += 2) live.set(words[i]!, words[i + 1]!);
      const ours = new Set(OPTIONS.map((o) => o.name));
      const missing: string[] = [];
      const different: string[] = [];
      for (const [name, value] of live) {
        if (ours.has(name)) continue;
        const row = redisOnlyOption(name);
        if (row === undefined) missing.push(name);
        else if (!STARTED_WITH.has(name) && row.default !== value) different.push(`${name}: table ${row.default}, live ${value}`);
      }
      assert.deepEqual(missing, [], 'Redis options in neither table');
      assert.deepEqual(different, [], 'defaults that differ from the live server');
      // And nothing in the table that Redis does not have.
      assert.deepEqual(REDIS_ONLY_OPTIONS.map(([n]) => n).filter((n) => !live.has(n)), []);
    } finally {
      child.kill('SIGKILL');
      await exited(child);
    }
  });
});
