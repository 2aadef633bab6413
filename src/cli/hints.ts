/**
 * What the REPL suggests as you type, computed from the help table (see
 * help.ts's buildHelpEntries): the argument hint shown after the cursor and
 * the Tab completions of command names. Pure functions of the line typed so
 * far; drawing them is line-editor.ts's job, and nothing here touches a
 * terminal or the network.
 */
import { splitInlineArgs } from '../protocol/inline-parser.js';
import type { HelpEntry } from './help.js';

/** The REPL's own words, completed like commands (redis-cli completes only server commands). */
export const REPL_WORDS = ['CLEAR', 'EXIT', 'HELP', 'QUIT'];

/** Splits as the REPL splits a line (sdssplitargs); null when quotes are unbalanced. */
function split(line: string): string[] | null {
  const bytes = Buffer.from(line, 'utf8');
  return splitInlineArgs(bytes, 0, bytes.length);
}

/**
 * The grey hint for `line`, or null for none. Mirrors redis-cli 7.0's
 * hintsCallback(): find the command entry whose words are the longest prefix
 * of the typed words (so `config get` beats `config`), take its argument
 * syntax, drop one leading word of it for each argument typed after the
 * name, stopping at the first optional part (`[`), and put a space in front
 * unless the line already ends with one. `set` gives
 * ` key value [NX|XX] ...`, `set k ` gives `value [NX|XX] ...`.
 */
export function hintFor(line: string, entries: readonly HelpEntry[]): string | null {
  const argv = split(line);
  if (argv === null || argv.length === 0) return null;
  let entry: HelpEntry | null = null;
  let matchlen = 0;
  for (const e of entries) {
    if (e.type !== 'command' || e.argv.length > argv.length || e.argv.length <= matchlen) continue;
    if (e.argv.every((w, j) => w === argv[j]!.toUpperCase())) {
      entry = e;
      matchlen = e.argv.length;
    }
  }
  if (entry === null) return null;
  let hint = entry.params;
  let toremove = argv.length - matchlen;
  while (toremove > 0 && hint.length > 0) {
    if (hint[0] === '[') break;
    if (hint[0] === ' ') toremove--;
    hint = hint.slice(1);
  }
  const endspace = line.length > 0 && /\s/.test(line[line.length - 1]!);
  return endspace ? hint : ' ' + hint;
}

/** `full`, with the letters past `typed` in the case of the last letter typed (as redis-cli has it when none was). */
function inTypedCase(typed: string, full: string): string {
  const letters = typed.match(/[a-z]/gi);
  if (letters === null) return typed + full.slice(typed.length);
  const last = letters[letters.length - 1]!;
  const rest = full.slice(typed.length);
  return typed + (last === last.toLowerCase() ? rest.toLowerCase() : rest.toUpperCase());
}

/**
 * Tab completions for the text before the cursor: each a whole new line,
 * in the order Tab shows them. Mirrors redis-cli 7.0's completionCallback():
 * after `help ` it completes commands and `@groups`, otherwise the whole
 * line is matched against command names (so `config g` completes to
 * `config get`), ignoring case, in the help table's order. Unlike redis-cli,
 * which inserts the upper-case name, the completion keeps the case you were
 * typing in, and the REPL's own words (help, clear, quit, exit) complete too.
 */
export function completionsFor(line: string, entries: readonly HelpEntry[]): string[] {
  let start = 0;
  let groups = false;
  const help = /^help\s+/i.exec(line);
  if (help !== null) {
    start = help[0].length;
    groups = true;
  }
  const typed = line.slice(start);
  const upper = typed.toUpperCase();
  const names = entries.filter((e) => e.type === 'command' || groups).map((e) => e.full);
  if (!groups) names.push(...REPL_WORDS);
  const hits = [...new Set(names.filter((n) => n.toUpperCase().startsWith(upper)))].sort();
  return hits.map((n) => line.slice(0, start) + inTypedCase(typed, n));
}
