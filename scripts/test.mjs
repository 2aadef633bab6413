#!/usr/bin/env node
/**
 * Runs the test suite from the build in dist/: every dist/test/**\/*.test.js,
 * two files at a time (the machines have two cores), through the project's
 * reporter (scripts/test-reporter.mjs: one line per file, failures in full,
 * a closing "N passed, N failed" line). Helper modules under test/ that are
 * not *.test.ts files are never run as tests.
 *
 *     node scripts/test.mjs                 # everything (what `npm test` runs after the build)
 *     node scripts/test.mjs cli server/tls  # only files whose path contains one of these
 *
 * Every test process (and every server or CLI a test spawns) runs with
 * source maps on, through NODE_OPTIONS, so stacks point at the .ts sources.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { run } from 'node:test';
import { fileURLToPath } from 'node:url';
import report from './test-reporter.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'dist/test');
if (!existsSync(testDir)) {
  process.stderr.write('test: dist/test is missing; run `npm run build` first (npm test does)\n');
  process.exit(1);
}

/** Every *.test.js under dir, sorted, so runs are reproducible. */
function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = testFiles(testDir).filter((f) => {
  if (filters.length === 0) return true;
  const rel = relative(testDir, f);
  return filters.some((x) => rel.includes(x.replace(/^(dist\/)?test\//, '').replace(/\.ts$/, '')));
});
if (files.length === 0) {
  process.stderr.write(`test: no test file matches ${filters.join(' ')}\n`);
  process.exit(1);
}

if (!(process.env.NODE_OPTIONS ?? '').includes('--enable-source-maps')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim();
}
const stream = run({ files, concurrency: 2 });
stream.on('test:fail', () => {
  process.exitCode = 1;
});
stream.compose(report).pipe(process.stdout);
