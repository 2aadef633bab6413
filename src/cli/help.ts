/**
 * `help <command>` and `help @<group>` for the REPL, built from the server's
 * COMMAND DOCS reply (RESP2 flat arrays or RESP3 maps alike), laid out as
 * redis-cli prints its help:
 *
 *       GET key
 *       summary: Get the value of a key
 *       since: 1.0.0
 *       group: string
 *
 * It also builds the help table (buildHelpEntries, redis-cli's helpEntries)
 * that the REPL's help, Tab completion and hints all read.
 */
import type { Reply } from './reply.js';

/** A docs value: text, a number, a list, or a nested record. */
type DocValue = string | DocValue[] | DocRecord;
interface DocRecord {
  [field: string]: DocValue;
}

function text(r: Reply): string {
  switch (r.type) {
    case 'string':
    case 'verbatim':
      return r.value.toString('utf8');
    case 'status':
    case 'integer':
    case 'double':
    case 'bignum':
      return r.value;
    default:
      return '';
  }
}

/** Turns a flat key/value reply (RESP2 array or RESP3 map) into a record. */
function toRecord(r: Reply): DocRecord {
  const out: DocRecord = {};
  if (r.type !== 'map' && r.type !== 'array') return out;
  for (let i = 0; i + 1 < r.elements.length; i += 2) out[text(r.elements[i]!)] = toValue(r.elements[i + 1]!, text(r.elements[i]!));
  return out;
}

/** A field's value: `subcommands` holds docs records, `arguments` a list of records, other lists hold text. */
function toValue(r: Reply, field: string): DocValue {
  if (field === 'subcommands') return Object.fromEntries(parseCommandDocs(r));
  if (r.type === 'map') return toRecord(r);
  if (r.type === 'array' || r.type === 'set') {
    return r.elements.map((e) => (field === 'arguments' && (e.type === 'map' || e.type === 'array') ? toRecord(e) : e.type === 'array' || e.type === 'set' ? toValue(e, '') : text(e)));
  }
  return text(r);
}

/** COMMAND DOCS' reply as command name -> docs record. */
export function parseCommandDocs(r: Reply): Map<string, DocRecord> {
  const docs = new Map<string, DocRecord>();
  if (r.type !== 'map' && r.type !== 'array') return docs;
  for (let i = 0; i + 1 < r.elements.length; i += 2) docs.set(text(r.elements[i]!), toRecord(r.elements[i + 1]!));
  return docs;
}

function flags(a: DocRecord): string[] {
  const f = a['flags'];
  return Array.isArray(f) ? (f as string[]) : [];
}

/**
 * One argument as in a syntax line: `[EX seconds|PX milliseconds]`,
 * `key [key ...]`. Mirrors redis-cli 7.0's cliArgumentDocs(): the token, then
 * the name (or the children joined by `|` or ` `), `[... ...]` for multiple
 * (repeating the token only with multiple_token), `[...]` for optional.
 */
export function argumentSyntax(a: DocRecord): string {
  const type = a['type'] as string;
  const children = Array.isArray(a['arguments']) ? (a['arguments'] as DocRecord[]) : [];
  const token = typeof a['token'] === 'string' ? (a['token'] as string) : '';
  let core: string;
  if (type === 'pure-token') core = '';
  else if (type === 'oneof') core = children.map(argumentSyntax).join('|');
  else if (type === 'block') core = children.map(argumentSyntax).join(' ');
  // redis-cli 7.0 names an argument by its `name` (display_text came in 7.2).
  else core = a['name'] as string;
  const one = token === '' ? core : core === '' ? token : `${token} ${core}`;
  const f = flags(a);
  let s = one;
  if (f.includes('multiple')) s = f.includes('multiple_token') || token === '' ? `${one} [${one} ...]` : `${one} [${core} ...]`;
  if (f.includes('optional')) s = `[${s}]`;
  return s;
}

/** The help block for one command, as redis-cli prints it (with a blank line before and after). */
export function formatCommandHelp(displayName: string, docs: DocRecord): string {
  const args = Array.isArray(docs['arguments']) ? (docs['arguments'] as DocRecord[]).map(argumentSyntax).join(' ') : '';
  let out = `\n  ${displayName}${args === '' ? '' : ' ' + args}\n`;
  for (const field of ['summary', 'since', 'group']) {
    if (typeof docs[field] === 'string') out += `  ${field}: ${docs[field]}\n`;
  }
  return out + '\n';
}

/** The REPL's answer to a bare `help`, worded as redis-cli 7.0's cliOutputGenericHelp(). */
export function generalHelp(version: string): string {
  return (
    `mini-kv-cli ${version}\n` +
    'To get help about mini-kv commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "help <tab>" to get a list of possible help topics\n' +
    '      "quit" to exit\n' +
    '\n' +
    'To set mini-kv-cli preferences:\n' +
    '      ":set hints" enable online hints\n' +
    '      ":set nohints" disable online hints\n'
  );
}

/**
 * One topic of the REPL's help, completion and hints: a command (`SET`), a
 * subcommand (`CONFIG GET`) or a group (`@string`). This is redis-cli's
 * helpEntry: `argv` is the name split in words, upper case; `full` joins
 * them with a space; `params` is the argument syntax line.
 */
export interface HelpEntry {
  type: 'command' | 'group';
  argv: string[];
  full: string;
  params: string;
  summary: string;
  since: string | null;
  group: string;
}

function str(v: DocValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

/**
 * The help table from COMMAND DOCS, as redis-cli 7.0's cliInitHelp() builds
 * it: one entry per command and per subcommand, one per group (`@name`),
 * sorted by full name in byte order (so `CONFIG` comes before `CONFIG GET`).
 */
export function buildHelpEntries(docs: Map<string, DocRecord>): HelpEntry[] {
  const entries: HelpEntry[] = [];
  const groups = new Set<string>();
  const add = (name: string, d: DocRecord): void => {
    const argv = name.toUpperCase().split('|');
    const args = Array.isArray(d['arguments']) ? (d['arguments'] as DocRecord[]) : [];
    const group = str(d['group']) ?? '';
    if (group !== '') groups.add(group);
    entries.push({ type: 'command', argv, full: argv.join(' '), params: args.map(argumentSyntax).join(' '), summary: str(d['summary']) ?? '', since: str(d['since']), group });
    const subs = d['subcommands'];
    if (typeof subs === 'object' && !Array.isArray(subs)) {
      for (const [sub, sd] of Object.entries(subs)) if (typeof sd === 'object' && !Array.isArray(sd)) add(sub, sd);
    }
  };
  for (const [name, d] of docs) add(name, d);
  for (const g of groups) entries.push({ type: 'group', argv: [`@${g}`], full: `@${g}`, params: '', summary: '', since: null, group: '' });
  return entries.sort((a, b) => (a.full < b.full ? -1 : a.full > b.full ? 1 : 0));
}

/** One entry as redis-cli's cliOutputCommandHelp() prints it; `color` adds its bold, grey and yellow. */
function outputCommandHelp(e: HelpEntry, withGroup: boolean, color: boolean): string {
  const [b, g, y, o] = color ? ['\x1b[1m', '\x1b[90m', '\x1b[33m', '\x1b[0m'] : ['', '', '', ''];
  // redis-cli always puts a space after the name, params or not; we keep it only with colour, where it is invisible.
  let out = `\n  ${b}${e.full}${o}${color || e.params !== '' ? ' ' : ''}${g}${e.params}${g === '' ? '' : o}\n`;
  out += `  ${y}summary:${o} ${e.summary}\n`;
  if (e.since !== null) out += `  ${y}since:${o} ${e.since}\n`;
  if (withGroup) out += `  ${y}group:${o} ${e.group}\n`;
  return out;
}

/**
 * `help` followed by `words`, as redis-cli 7.0's cliOutputHelp(): `@group`
 * lists the group's commands and subcommands (without the group line);
 * otherwise every command whose first words equal `words`, ignoring case
 * (`help config` shows CONFIG and each CONFIG subcommand). A blank line ends
 * the list. When nothing matches we print nothing, where redis-cli prints
 * that blank line alone.
 */
export function outputHelp(words: string[], entries: HelpEntry[], color: boolean): string {
  const group = words[0]!.startsWith('@') ? words[0]!.slice(1).toLowerCase() : null;
  let out = '';
  for (const e of entries) {
    if (e.type !== 'command') continue;
    if (group !== null) {
      if (e.group.toLowerCase() === group) out += outputCommandHelp(e, false, color);
    } else if (words.length <= e.argv.length && words.every((w, j) => w.toUpperCase() === e.argv[j])) {
      out += outputCommandHelp(e, true, color);
    }
  }
  return out === '' ? '' : out + '\n';
}

/**
 * The older, one-block form of help, kept for its existing callers and tests
 * (its `@group` output repeats the group line and a blank line per command,
 * which redis-cli does not); the REPL uses outputHelp(). Help for `help`
 * followed by `words`, from the full or per-command COMMAND DOCS reply. `help @string` lists a group; `help config get` finds a
 * subcommand. Returns '' when nothing matches (redis-cli prints nothing too).
 */
export function helpFor(words: string[], docs: Map<string, DocRecord>): string {
  const first = words[0]!.toLowerCase();
  if (first.startsWith('@')) {
    const group = first.slice(1);
    let out = '';
    for (const name of [...docs.keys()].sort()) {
      const d = docs.get(name)!;
      if (d['group'] === group) out += formatCommandHelp(name.toUpperCase(), d);
    }
    return out;
  }
  const d = docs.get(first);
  if (d === undefined) return '';
  if (words.length > 1 && typeof d['subcommands'] === 'object' && !Array.isArray(d['subcommands'])) {
    const full = `${first}|${words[1]!.toLowerCase()}`;
    const sub = (d['subcommands'] as DocRecord)[full];
    if (sub !== undefined && typeof sub === 'object' && !Array.isArray(sub)) return formatCommandHelp(full.replace('|', ' ').toUpperCase(), sub);
  }
  return formatCommandHelp(first.toUpperCase(), d);
}
