/**
 * The structure reads one way. Imports go protocol <- keyspace <- commands
 * <- server (a module may import from its own layer and the ones below it,
 * and from the shared leaves errors.ts and version.ts), checked on the
 * TypeScript sources, type-only imports included. And every module under
 * dist/src can be imported on its own, in a fresh process: no import cycle
 * leaves a binding uninitialised ("Cannot access 'X' before
 * initialization"), and importing a module starts nothing (the process exits
 * by itself). Worker entry points (they read `parentPort`) are left out of
 * that: they only run inside a worker.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');
/** The TypeScript sources (the test runs from dist/test). */
const TS_SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src');
const LAYERS = ['protocol', 'keyspace', 'commands', 'server'];

test('imports go one way: protocol <- keyspace <- commands <- server', () => {
  const wrong: string[] = [];
  let checked = 0;
  for (let rank = 0; rank < LAYERS.length; rank++) {
    const dir = join(TS_SRC, LAYERS[rank]!);
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from '\.\.\/([a-z-]+)\//gm)) {
        checked++;
        const target = LAYERS.indexOf(m[1]!);
        if (target > rank) wrong.push(`${LAYERS[rank]}/${name} imports from ${m[1]}/`);
      }
    }
  }
  assert.ok(checked >= 30, `${checked} cross-folder imports checked`);
  assert.deepEqual(wrong, []);
});

function modules(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...modules(path));
    else if (name.endsWith('.js') && !readFileSync(path, 'utf8').includes('parentPort')) out.push(path);
  }
  return out;
}

/** Imports `file` in a new node process; resolves with its error output ('' when it imported and exited). */
function importAlone(file: string): Promise<string> {
  const code = `import(${JSON.stringify(pathToFileURL(file).href)}).catch((e) => { console.error(e.message); process.exit(1); })`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', code], { timeout: 10_000 }, (err, _stdout, stderr) => resolve(err === null ? '' : stderr.trim() || String(err)));
  });
}

test('every module under src/ imports on its own and starts nothing', async () => {
  const files = modules(SRC);
  assert.ok(files.length >= 40, `found ${files.length} modules`);
  const failures: string[] = [];
  // Four processes at a time: enough to keep two cores busy.
  for (let i = 0; i < files.length; i += 4) {
    const batch = files.slice(i, i + 4);
    const errors = await Promise.all(batch.map(importAlone));
    errors.forEach((e, j) => {
      if (e !== '') failures.push(`${relative(SRC, batch[j]!)}: ${e}`);
    });
  }
  assert.deepEqual(failures, []);
});
