/**
 * The `server` group, part two: how COMMAND INFO, COMMAND DOCS, COMMAND LIST
 * and COMMAND GETKEYS read the command table. Everything here derives from
 * the specs; nothing is written per command. The reply shapes, field orders
 * and flag orders are those of Redis 7.0.15's server.c
 * (addReplyCommandInfo, addReplyCommandDocs, addReplyCommandArgList,
 * addReplyCommandKeySpecs, addReplyFlagsForCommand, addReplyCommandCategories).
 */
import type { Arg } from '../protocol/resp-parser.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { ArgSpec, CommandTable, KeySpec, LoadedCommand } from './table.js';

/**
 * Command flags in the order Redis prints them (addReplyFlagsForCommand).
 * may_replicate, sentinel and only_sentinel are hidden there, so here too.
 */
const FLAG_ORDER = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi',
  'movablekeys', 'allow_busy',
];

/** ACL categories in Redis's bit order (ACLCommandCategories in acl.c), which is the order COMMAND prints them. */
export const ACL_CATEGORY_ORDER = [
  '@keyspace', '@read', '@write', '@set', '@sortedset', '@list', '@hash', '@string', '@bitmap', '@hyperloglog',
  '@geo', '@stream', '@pubsub', '@admin', '@fast', '@slow', '@blocking', '@dangerous', '@connection',
  '@transaction', '@scripting',
];

/** Key-spec flags in Redis's print order (addReplyFlagsForKeyArgs). */
const KEY_FLAG_ORDER = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'];

/** Argument flags in Redis's print order (addReplyFlagsForArg). */
const ARG_FLAG_ORDER = ['optional', 'multiple', 'multiple_token'] as const;

/** `items` restricted to and sorted by `order`; unknown items keep their place at the end. */
function inOrder(items: readonly string[], order: readonly string[]): string[] {
  const known = order.filter((x) => items.includes(x));
  const unknown = items.filter((x) => !order.includes(x));
  return [...known, ...unknown];
}

/**
 * Whether a command's keys move: it has a key-finding function, or a key
 * spec that is not a plain index+range (Redis's populateCommandMovableKeys).
 */
export function hasMovableKeys(cmd: LoadedCommand): boolean {
  const spec = cmd.spec;
  if (spec.getKeys !== undefined || spec.flags.includes('movablekeys')) return true;
  for (const ks of spec.keySpecs ?? []) {
    if (ks.beginSearch.type !== 'index' || ks.findKeys.type !== 'range') return true;
  }
  return false;
}

/** The command's flags as COMMAND INFO prints them. */
export function commandFlags(cmd: LoadedCommand): string[] {
  const flags = cmd.spec.flags.filter((f) => FLAG_ORDER.includes(f));
  if (hasMovableKeys(cmd) && !flags.includes('movablekeys')) flags.push('movablekeys');
  return inOrder(flags, FLAG_ORDER);
}

/**
 * The command's ACL categories in Redis's order. A container's own entry in
 * Redis declares no group category (CLIENT and CONFIG are just `@slow`), so
 * for containers only the listed categories and those implied by flags
 * count (setImplicitACLCategories); plain commands use the table's.
 */
export function commandCategories(cmd: LoadedCommand): string[] {
  if (cmd.subcommands === null) return inOrder(cmd.aclCategories, ACL_CATEGORY_ORDER);
  const f = cmd.spec.flags;
  const cats = [...(cmd.spec.acl ?? [])];
  if (f.includes('write')) cats.push('@write');
  if (f.includes('readonly')) cats.push('@read');
  if (f.includes('admin')) cats.push('@admin', '@dangerous');
  if (f.includes('pubsub')) cats.push('@pubsub');
  if (f.includes('blocking')) cats.push('@blocking');
  cats.push(f.includes('fast') ? '@fast' : '@slow');
  return inOrder([...new Set(cats)], ACL_CATEGORY_ORDER);
}

function simpleSet(w: ReplyWriter, items: readonly string[]): void {
  w.setHeader(items.length);
  for (const s of items) w.simple(s);
}

function keySpecReply(w: ReplyWriter, ks: KeySpec): void {
  w.mapHeader(ks.notes === undefined ? 3 : 4);
  if (ks.notes !== undefined) {
    w.bulk('notes');
    w.bulk(ks.notes);
  }
  w.bulk('flags');
  simpleSet(w, inOrder(ks.flags, KEY_FLAG_ORDER));
  w.bulk('begin_search');
  w.mapHeader(2);
  w.bulk('type');
  const bs = ks.beginSearch;
  w.bulk(bs.type);
  w.bulk('spec');
  if (bs.type === 'index') {
    w.mapHeader(1);
    w.bulk('index');
    w.integer(bs.index);
  } else if (bs.type === 'keyword') {
    w.mapHeader(2);
    w.bulk('keyword');
    w.bulk(bs.keyword);
    w.bulk('startfrom');
    w.integer(bs.startfrom);
  } else {
    w.mapHeader(0);
  }
  w.bulk('find_keys');
  w.mapHeader(2);
  w.bulk('type');
  const fk = ks.findKeys;
  w.bulk(fk.type);
  w.bulk('spec');
  if (fk.type === 'range') {
    w.mapHeader(3);
    w.bulk('lastkey');
    w.integer(fk.lastkey);
    w.bulk('keystep');
    w.integer(fk.step);
    w.bulk('limit');
    w.integer(fk.limit);
  } else if (fk.type === 'keynum') {
    w.mapHeader(3);
    w.bulk('keynumidx');
    w.integer(fk.keynumidx);
    w.bulk('firstkey');
    w.integer(fk.firstkey);
    w.bulk('keystep');
    w.integer(fk.step);
  } else {
    w.mapHeader(0);
  }
}

/** One COMMAND INFO entry (an array of 10), subcommands included; null for an unknown name. */
export function commandInfoReply(w: ReplyWriter, cmd: LoadedCommand | undefined): void {
  if (cmd === undefined) {
    w.nullBulk();
    return;
  }
  const spec = cmd.spec;
  w.arrayHeader(10);
  w.bulk(cmd.fullName);
  w.integer(spec.arity);
  simpleSet(w, commandFlags(cmd));
  w.integer(spec.firstKey);
  w.integer(spec.lastKey);
  w.integer(spec.step);
  simpleSet(w, commandCategories(cmd));
  const tips = spec.tips ?? [];
  w.setHeader(tips.length);
  for (const t of tips) w.bulk(t);
  const keySpecs = spec.keySpecs ?? [];
  w.setHeader(keySpecs.length);
  for (const ks of keySpecs) keySpecReply(w, ks);
  // No subcommands: an empty set; otherwise an array (addReplyCommandSubCommands).
  if (cmd.subcommands === null) {
    w.setHeader(0);
    return;
  }
  w.arrayHeader(cmd.subcommands.size);
  for (const sub of cmd.subcommands.values()) commandInfoReply(w, sub);
}

function argListReply(w: ReplyWriter, args: readonly ArgSpec[]): void {
  w.arrayHeader(args.length);
  for (const a of args) {
    const flags = ARG_FLAG_ORDER.filter((f) => a[f] === true);
    const nested = a.type === 'oneof' || a.type === 'block';
    let n = 2;
    if (a.key_spec_index !== undefined) n++;
    if (a.token !== undefined) n++;
    if (a.summary !== undefined) n++;
    if (a.since !== undefined) n++;
    if (a.deprecated_since !== undefined) n++;
    if (a.display !== undefined) n++;
    if (flags.length > 0) n++;
    if (nested) n++;
    w.mapHeader(n);
    w.bulk('name');
    w.bulk(a.name);
    w.bulk('type');
    w.bulk(a.type);
    if (a.key_spec_index !== undefined) {
      w.bulk('key_spec_index');
      w.integer(a.key_spec_index);
    }
    if (a.token !== undefined) {
      w.bulk('token');
      w.bulk(a.token);
    }
    if (a.summary !== undefined) {
      w.bulk('summary');
      w.bulk(a.summary);
    }
    if (a.since !== undefined) {
      w.bulk('since');
      w.bulk(a.since);
    }
    if (a.deprecated_since !== undefined) {
      w.bulk('deprecated_since');
      w.bulk(a.deprecated_since);
    }
    if (a.display !== undefined) {
      w.bulk('display_text');
      w.bulk(a.display);
    }
    if (flags.length > 0) {
      w.bulk('flags');
      simpleSet(w, flags);
    }
    if (nested) {
      w.bulk('arguments');
      argListReply(w, a.arguments ?? []);
    }
  }
}

/** One COMMAND DOCS value (a map), subcommands included. The caller writes the name. */
export function commandDocsReply(w: ReplyWriter, cmd: LoadedCommand): void {
  const spec = cmd.spec;
  const subs = cmd.subcommands === null ? [] : [...cmd.subcommands.values()];
  const docFlags = spec.docFlags ?? [];
  const history = spec.history ?? [];
  const args = spec.args ?? [];
  // summary, since, group: every spec has them; complexity unless empty (MONITOR has none in Redis).
  let n = spec.complexity === '' ? 3 : 4;
  if (docFlags.length > 0) n++;
  if (spec.deprecatedSince !== undefined) n++;
  if (spec.replacedBy !== undefined) n++;
  if (history.length > 0) n++;
  if (args.length > 0) n++;
  if (subs.length > 0) n++;
  w.mapHeader(n);
  w.bulk('summary');
  w.bulk(spec.summary);
  w.bulk('since');
  w.bulk(spec.since);
  w.bulk('group');
  w.bulk(spec.group);
  if (spec.complexity !== '') {
    w.bulk('complexity');
    w.bulk(spec.complexity);
  }
  if (docFlags.length > 0) {
    w.bulk('doc_flags');
    simpleSet(w, docFlags);
  }
  if (spec.deprecatedSince !== undefined) {
    w.bulk('deprecated_since');
    w.bulk(spec.deprecatedSince);
  }
  if (spec.replacedBy !== undefined) {
    w.bulk('replaced_by');
    w.bulk(spec.replacedBy);
  }
  if (history.length > 0) {
    w.bulk('history');
    w.setHeader(history.length);
    for (const [version, change] of history) {
      w.arrayHeader(2);
      w.bulk(version);
      w.bulk(change);
    }
  }
  if (args.length > 0) {
    w.bulk('arguments');
    argListReply(w, args);
  }
  if (subs.length > 0) {
    w.bulk('subcommands');
    w.mapHeader(subs.length);
    for (const sub of subs) {
      w.bulk(sub.fullName);
      commandDocsReply(w, sub);
    }
  }
}

/**
 * A command by the name COMMAND INFO/DOCS accept: `get`, or `config|get` for
 * a subcommand (Redis's lookupCommandBySds); case-insensitive.
 */
export function lookupByFullName(table: CommandTable, name: string): LoadedCommand | undefined {
  const bar = name.indexOf('|');
  if (bar === -1) return table.lookup(name);
  const parent = table.lookup(name.slice(0, bar));
  const rest = name.slice(bar + 1);
  if (parent === undefined || parent.subcommands === null || rest.includes('|')) return undefined;
  return parent.subcommands.get(rest.toLowerCase());
}

/** Every command and subcommand, each container followed by its subcommands (COMMAND LIST's order). */
export function allCommands(table: CommandTable): LoadedCommand[] {
  const out: LoadedCommand[] = [];
  for (const cmd of table.commands) {
    out.push(cmd);
    if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) out.push(sub);
  }
  return out;
}

/**
 * The command a COMMAND GETKEYS request names (argv[2...]): a container
 * with at least one more argument resolves to its subcommand, as Redis's
 * lookupCommand; undefined when there is none.
 */
export function lookupForGetKeys(table: CommandTable, argv: readonly Arg[]): LoadedCommand | undefined {
  const name = argv[0];
  if (typeof name !== 'string') return undefined;
  const cmd = table.lookup(name);
  if (cmd === undefined || cmd.subcommands === null || argv.length < 2) return cmd;
  const sub = argv[1];
  return typeof sub === 'string' ? cmd.subcommands.get(sub.toLowerCase()) : undefined;
}

/** Whether COMMAND GETKEYS can find keys for this command at all (Redis's doesCommandHaveKeys). */
export function commandHasKeys(cmd: LoadedCommand): boolean {
  const spec = cmd.spec;
  return spec.getKeys !== undefined || spec.firstKey > 0 || (spec.keySpecs?.length ?? 0) > 0;
}

/**
 * The argv indexes of a request's keys: the spec's key-finding function, or
 * its first/last/step range (a negative last counts from the end).
 * `argv` starts with the command name.
 */
export function keyIndexes(cmd: LoadedCommand, argv: Arg[]): number[] {
  const spec = cmd.spec;
  if (spec.getKeys !== undefined) return spec.getKeys(argv);
  if (spec.firstKey <= 0) return [];
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const out: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += spec.step) out.push(i);
  return out;
}
