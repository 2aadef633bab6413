#!/usr/bin/env node
/**
 * The one build: TypeScript to dist/ as ESM (src, test, bench, scripts, with
 * source maps) and the embedding API once more as CommonJS (dist/cjs).
 *
 * `npm ci` runs it once (the prepare script), and `npm test` runs it again
 * before the tests. When no source is newer than the last build's stamp
 * (dist/.build-stamp) it does nothing, so `npm ci && npm test` compiles once;
 * when something changed, both tsc passes are incremental (their .tsbuildinfo
 * files live in dist/) and recompile only what they must. `--force` builds
 * everything again, ignoring both.
 *
 * It also deletes compiled files whose TypeScript source is gone, so a test
 * file renamed or removed does not keep running from dist/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const STAMP = join(root, 'dist/.build-stamp');
/** What the build reads: the TypeScript sources and the files that configure tsc. */
const INPUT_DIRS = ['src', 'test', 'bench', 'scripts'];
const INPUT_FILES = ['tsconfig.json', 'tsconfig.cjs.json', 'package.json', 'package-lock.json'];

/** The newest modification time among the build's inputs, in ms. */
function newestInput() {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const st = statSync(path);
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
      // A deleted source shows only as its directory's change.
      newest = Math.max(newest, st.mtimeMs);
    } else if (path.endsWith('.ts') || INPUT_FILES.some((f) => path === join(root, f))) {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  for (const d of INPUT_DIRS) visit(join(root, d));
  for (const f of INPUT_FILES) visit(join(root, f));
  return newest;
}

const force = process.argv.includes('--force');
if (!force && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestInput()) {
  process.stdout.write('build: dist/ is up to date\n');
  process.exit(0);
}
// tsc's incremental state trusts dist/ as it left it; --force rebuilds from nothing.
if (force) for (const f of ['dist/.tsbuildinfo', 'dist/cjs/.tsbuildinfo']) rmSync(join(root, f), { force: true });

// The stamp carries the time the build started, so an edit made while tsc runs counts as newer.
const startedAt = new Date();
for (const project of ['tsconfig.json', 'tsconfig.cjs.json']) {
  try {
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  } catch {
    process.exit(1);
  }
}
writeFileSync(join(root, 'dist/cjs/package.json'), '{"type":"commonjs"}\n');

/** Removes dist/<dir>/**.js (and its .map and .d.ts) whose <dir>/**.ts no longer exists. */
function pruneOrphans(distDir, srcDir) {
  if (!existsSync(distDir)) return;
  for (const name of readdirSync(distDir)) {
    const out = join(distDir, name);
    if (statSync(out).isDirectory()) {
      pruneOrphans(out, join(srcDir, name));
      continue;
    }
    const m = /^(.*)\.(js|js\.map|d\.ts)$/.exec(name);
    if (m === null || existsSync(join(srcDir, m[1] + '.ts'))) continue;
    rmSync(out);
    if (name.endsWith('.js')) process.stdout.write(`build: removed ${relative(root, out)} (its source is gone)\n`);
  }
}
for (const dir of ['src', 'test', 'bench', 'scripts']) pruneOrphans(join(root, 'dist', dir), join(root, dir));
pruneOrphans(join(root, 'dist/cjs'), join(root, 'src'));
writeFileSync(STAMP, startedAt.toISOString() + '\n');
utimesSync(STAMP, startedAt, startedAt);
