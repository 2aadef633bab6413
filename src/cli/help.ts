/**
 * `help <command>` and `help @<group>` for the REPL, built from the server's
 * COMMAND DOCS reply (RESP2 flat arrays or RESP3 maps alike), laid out as
 * redis-cli prints its help:
 *
 *       GET key
 *       summary: Get the value of a key
 *       since: 1.0.0
 *       group: string
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

/** One argument as in a syntax line: `[EX seconds|PX milliseconds]`, `key [key ...]`. */
export function argumentSyntax(a: DocRecord): string {
  const type = a['type'] as string;
  const children = Array.isArray(a['arguments']) ? (a['arguments'] as DocRecord[]) : [];
  const token = typeof a['token'] === 'string' ? (a['token'] as string) : '';
  let core: string;
  if (type === 'pure-token') core = '';
  else if (type === 'oneof') core = children.map(argumentSyntax).join('|');
  else if (type === 'block') core = children.map(argumentSyntax).join(' ');
  else core = (a['display_text'] as string | undefined) ?? (a['name'] as string);
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

/** The REPL's answer to a bare `help`. */
export function generalHelp(version: string): string {
  return (
    `mini-kv-cli ${version}\n` +
    'To get help about mini-kv commands type:\n' +
    '      "help @<group>" to get a list of commands in <group>\n' +
    '      "help <command>" for help on <command>\n' +
    '      "quit" to exit\n'
  );
}

/**
 * Help for `help` followed by `words`, from the full or per-command COMMAND
 * DOCS reply. `help @string` lists a group; `help config get` finds a
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
