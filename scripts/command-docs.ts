/**
 * The README's command list, generated from the command table: one Markdown
 * row per command and subcommand (command, group, summary), sorted by name.
 * A container with no handler of its own (CLIENT, CONFIG) appears only
 * through its subcommands.
 *
 * Used by scripts/gen-command-docs.mjs (prints it, or writes it into
 * README.md between the markers) and by the test that fails when README.md
 * drifts from the table.
 */
import type { CommandSpec } from '../src/commands/table.js';

export const START_MARKER = '<!-- commands:start -->';
export const END_MARKER = '<!-- commands:end -->';

function cell(s: string): string {
  return s.replaceAll('|', '\\|');
}

/** The Markdown table of every command in `specs`. */
export function commandListMarkdown(specs: readonly CommandSpec[]): string {
  const rows: [string, string, string][] = [];
  for (const spec of specs) {
    const name = spec.name.toUpperCase();
    if (spec.handler !== undefined) rows.push([name, spec.group, spec.summary]);
    for (const sub of spec.subcommands ?? []) rows.push([`${name} ${sub.name.toUpperCase()}`, sub.group, sub.summary]);
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const lines = ['| Command | Group | Summary |', '| --- | --- | --- |'];
  for (const [name, group, summary] of rows) lines.push(`| \`${name}\` | ${cell(group)} | ${cell(summary)} |`);
  return lines.join('\n') + '\n';
}

/** What README.md holds between the markers, or null when the markers are missing. */
export function generatedSection(readme: string): string | null {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(start + START_MARKER.length, end).replace(/^\n/, '');
}

/** README.md with `list` between the markers (which must be present). */
export function withGeneratedSection(readme: string, list: string): string {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md lacks the ${START_MARKER} … ${END_MARKER} markers`);
  return readme.slice(0, start + START_MARKER.length) + '\n' + list + readme.slice(end);
}
