/**
 * Every module under dist/src can be imported on its own, in a fresh
 * process: no import cycle leaves a binding uninitialised ("Cannot access
 * 'X' before initialization"), and importing a module starts nothing (the
 * process exits by itself). Worker entry points (they read `parentPort`) are
 * left out: they only run inside a worker.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

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
