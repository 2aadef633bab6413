#!/usr/bin/env node
/**
 * Prints the README's command list, generated from the command table, as a
 * Markdown table; with --write, puts it into README.md between
 * `<!-- commands:start -->` and `<!-- commands:end -->`.
 *
 *   npm run build && node scripts/gen-command-docs.mjs [--write]
 *
 * The logic lives in scripts/command-docs.ts (compiled to dist/), shared with
 * the test that fails when README.md drifts from the table.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let docs, commands;
try {
  docs = await import(new URL('../dist/scripts/command-docs.js', import.meta.url).href);
  commands = await import(new URL('../dist/src/commands/index.js', import.meta.url).href);
} catch (e) {
  console.error(`cannot load the compiled command table (${e.message}); run \`npm run build\` first`);
  process.exit(1);
}
const list = docs.commandListMarkdown(commands.ALL_COMMANDS);
if (process.argv.includes('--write')) {
  const file = root + 'README.md';
  const readme = readFileSync(file, 'utf8');
  const updated = docs.withGeneratedSection(readme, list);
  if (updated !== readme) writeFileSync(file, updated);
  console.log(updated === readme ? 'README.md is up to date' : 'README.md updated');
} else {
  process.stdout.write(list);
}
