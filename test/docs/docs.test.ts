/**
 * The documentation's examples run as written: the README's nc transcript is
 * replayed byte for byte against a real server, and docs/testing.md's
 * node:test examples are extracted and run against the built package (which
 * resolves itself as 'mini-kv' through package.json "exports"), and every
 * relative link in the README and docs/ leads to a file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rawExchange, startTestServer, type TestServer } from '../helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(() => srv.close());

test('README - the seed transcript comes out byte for byte', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```\n\$ nc localhost 8080\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'README has the nc transcript');
  const lines = block[1]!.split('\n').filter((l) => l !== '');
  // Requests are the lines in upper case that start with a command name; the rest are replies.
  const requests: string[] = [];
  let expected = '';
  for (const line of lines) {
    if (/^(SET|GET|KEYS|EXPIRE|DEL|QUIT)\b/.test(line)) requests.push(line + '\n');
    else expected += line + '\n';
  }
  assert.ok(requests.length >= 6);
  const r = await rawExchange(srv.port, requests.join(''), { timeoutMs: 2000 });
  assert.equal(r.data, expected);
  assert.equal(r.closed, true, 'QUIT closes the connection');
});

test('docs/testing.md - the node:test examples pass against the built package', () => {
  const doc = readFileSync(join(ROOT, 'docs/testing.md'), 'utf8');
  const dir = join(ROOT, 'dist', 'doc-examples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'test'), { recursive: true });
  let count = 0;
  for (const m of doc.matchAll(/```js\n\/\/ (test\/\S+\.test\.mjs)[^\n]*\n([\s\S]*?)```/g)) {
    writeFileSync(join(dir, m[1]!), m[2]!);
    count++;
  }
  assert.ok(count >= 2, 'docs/testing.md has node:test examples');
  // The runner marks its children with NODE_TEST_CONTEXT; a nested runner must not inherit it.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const r = spawnSync(process.execPath, ['--test', 'test/'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`# pass ${count}\\b`));
});

test('README and docs/ - every relative link points at a file that exists', () => {
  const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  let links = 0;
  for (const page of pages) {
    const text = readFileSync(join(ROOT, page), 'utf8');
    for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      links++;
      assert.ok(existsSync(join(ROOT, dirname(page), target)), `${page} links to ${target}, which does not exist`);
    }
  }
  assert.ok(links >= 5, 'the README links to the docs');
});
