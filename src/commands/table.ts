/**
 * The command table: every command is declared once, as data, in its group's
 * file (string.ts, generic.ts, …), and everything else derives from that
 * list: the dispatcher's lookup, arity and unknown-command errors, COMMAND
 * INFO/DOCS/COUNT/LIST/GETKEYS, ACL categories, and the README's list.
 *
 * This module defines the spec type and the context a handler receives, and
 * checks the table when it is built (duplicate names, zero arity, keys beyond
 * the arity, `write` with `readonly`, unknown flags), so that no request ever
 * meets a malformed spec.
 */
import { ByteView, type Database } from '../keyspace/keyspace.js';
import type { Arg, RawRequest } from '../protocol/resp-parser.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { ClientState, ServerState } from './state.js';

/** What a handler receives; one object per connection, updated per command. */
export interface CommandContext {
  readonly server: ServerState;
  readonly client: ClientState;
  /** The client's selected database. */
  db: Database;
  reply: ReplyWriter;
  /** The command's time snapshot, ms since the epoch: read the clock once. */
  now: number;
  /** Scratch for the fast paths, the connection's own (commandScratch()), so nothing on the request path is shared between servers or calls. */
  readonly scratch: CommandScratch;
}

/**
 * What the fast paths write into and read back within one command: where
 * the keyspace puts a value's bytes, and room for an integer's text.
 */
export interface CommandScratch {
  readonly view: ByteView;
  /** Any int64 as text: 19 digits and a sign. */
  readonly digits: Buffer;
}

export function commandScratch(): CommandScratch {
  return { view: new ByteView(), digits: Buffer.allocUnsafe(20) };
}

/**
 * A handler: the dispatcher has already checked that the command exists and
 * that the argument count fits its arity; argv[0] is the command name (and
 * argv[1] the subcommand for containers). It must reply exactly once.
 */
export type Handler = (ctx: CommandContext, argv: Arg[]) => void;

/**
 * A hot command's fast path: the same command run on a request whose
 * arguments are still bytes (RawRequest), for the common shapes only. It
 * returns false, having changed and replied nothing, for anything it leaves
 * to the handler (options, other types, numbers out of its range); the
 * dispatcher then runs the handler with string arguments. Arity and
 * everything else the dispatcher checks hold as for the handler.
 */
export type FastHandler = (ctx: CommandContext, req: RawRequest) => boolean;

/** One argument in COMMAND DOCS (Redis's command JSON `arguments`). */
export interface ArgSpec {
  name: string;
  type: 'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';
  token?: string;
  optional?: boolean;
  multiple?: boolean;
  multiple_token?: boolean;
  since?: string;
  key_spec_index?: number;
  display?: string;
  /** COMMAND DOCS argument `summary` and `deprecated_since`. */
  summary?: string;
  deprecated_since?: string;
  arguments?: ArgSpec[];
}

/** One key specification as COMMAND INFO reports it (Redis 7 key specs). */
export interface KeySpec {
  flags: string[];
  beginSearch: { type: 'index'; index: number } | { type: 'keyword'; keyword: string; startfrom: number } | { type: 'unknown' };
  findKeys: { type: 'range'; lastkey: number; step: number; limit: number } | { type: 'keynum'; keynumidx: number; firstkey: number; step: number } | { type: 'unknown' };
  notes?: string;
}

export interface CommandSpec {
  /** Lower case, as COMMAND replies (for a subcommand, just its own name). */
  name: string;
  /** Redis's convention: N is exactly N arguments including the name, -N at least N. */
  arity: number;
  /** In Redis's words: write, readonly, denyoom, fast, admin, noscript, loading, stale, … */
  flags: readonly string[];
  /** Key positions (1-based in argv; 0 when there are none), last may be negative. */
  firstKey: number;
  lastKey: number;
  step: number;
  /** Redis's group name: string, generic, connection, server, … */
  group: string;
  summary: string;
  since: string;
  complexity: string;
  /** COMMAND DOCS `history`: [version, change] pairs, oldest first. */
  history?: readonly (readonly [string, string])[];
  /** COMMAND DOCS `doc_flags`: 'deprecated', 'syscmd'. */
  docFlags?: readonly string[];
  /** COMMAND DOCS `deprecated_since` and `replaced_by`. */
  deprecatedSince?: string;
  replacedBy?: string;
  /** Extra ACL categories beyond those implied by flags and group (e.g. '@keyspace'). */
  acl?: readonly string[];
  /** COMMAND INFO tips (e.g. 'nondeterministic_output'). */
  tips?: readonly string[];
  keySpecs?: readonly KeySpec[];
  args?: readonly ArgSpec[];
  /** Where the keys are, for commands whose keys move (returns argv indexes). */
  getKeys?: (argv: Arg[]) => number[];
  /** For containers (CONFIG, CLIENT, COMMAND, OBJECT): their subcommands. */
  subcommands?: readonly CommandSpec[];
  /** Containers may have no handler of their own. */
  handler?: Handler;
  /** A fast path for requests that arrive as bytes (GET, SET, INCR, MSET …). */
  fast?: FastHandler;
  /**
   * Redis's CMD_PROTECTED: the option (`enable-debug-command`) that must be
   * `yes`, or `local` for a local client, for the command to run; the
   * dispatcher refuses it otherwise, before authentication, as Redis does.
   */
  protectedBy?: string;
}

/** A spec after loading: its derived fields filled in, shape fixed. */
export interface LoadedCommand {
  readonly spec: CommandSpec;
  /** 'get' or 'config|get' as errors and COMMAND print it. */
  readonly fullName: string;
  readonly arity: number;
  readonly handler: Handler | null;
  readonly fast: FastHandler | null;
  readonly isWrite: boolean;
  /** Flagged `fast` (O(1) or O(log N)): the dispatcher may let the next command share its time snapshot. */
  readonly isFast: boolean;
  readonly aclCategories: readonly string[];
  /** Subcommands by lower-case name; null for plain commands. */
  readonly subcommands: Map<string, LoadedCommand> | null;
  readonly parent: LoadedCommand | null;
  /** 0, 1, 2 … across commands and subcommands: a per-server array indexed by it finds the command's stats without a string lookup. */
  readonly index: number;
}

/** A key spec: keys from argv[index] through lastkey (0: one key, -1: all to the end). */
export function keyRange(flags: string[], index: number, lastkey: number): KeySpec {
  return { flags, beginSearch: { type: 'index', index }, findKeys: { type: 'range', lastkey, step: 1, limit: 0 } };
}

/** The `key` argument of most single-key commands, and the `key [key ...]` of multi-key ones. */
export const KEY_ARG: ArgSpec = { name: 'key', type: 'key', key_spec_index: 0 };
export const KEYS_ARG: ArgSpec = { name: 'key', type: 'key', key_spec_index: 0, multiple: true };

export const KNOWN_FLAGS = new Set([
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'may_replicate', 'sentinel', 'only_sentinel',
  'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
]);

/**
 * ACL categories as Redis derives them (server.c setImplicitACLCategories)
 * plus the group's own category and any listed in the spec.
 */
function aclCategoriesOf(spec: CommandSpec): string[] {
  const cats: string[] = [];
  const add = (c: string): void => {
    if (!cats.includes(c)) cats.push(c);
  };
  for (const c of spec.acl ?? []) add(c);
  const f = spec.flags;
  if (f.includes('write')) add('@write');
  if (f.includes('readonly') && !(spec.acl ?? []).includes('@scripting')) add('@read');
  if (f.includes('admin')) {
    add('@admin');
    add('@dangerous');
  }
  if (f.includes('pubsub')) add('@pubsub');
  if (f.includes('fast')) add('@fast');
  if (f.includes('blocking')) add('@blocking');
  if (!f.includes('fast')) add('@slow');
  const groupCat: Record<string, string> = {
    string: '@string', generic: '@keyspace', hash: '@hash', list: '@list', set: '@set',
    'sorted-set': '@sortedset', connection: '@connection', server: '', bitmap: '@bitmap',
    hyperloglog: '@hyperloglog', geo: '@geo', stream: '@stream', scripting: '@scripting',
    // pubsub: none by group; @pubsub comes with the `pubsub` flag (PUBSUB HELP has neither, as in Redis).
    pubsub: '',
    transactions: '@transaction',
  };
  const g = groupCat[spec.group];
  if (g) add(g);
  return cats;
}

/** Checks one spec; throws on anything malformed. */
export function validateSpec(spec: CommandSpec, parent: string | null): void {
  const where = parent === null ? spec.name : `${parent}|${spec.name}`;
  if (spec.name !== spec.name.toLowerCase() || spec.name.length === 0) throw new Error(`command ${where}: name must be lower case`);
  if (!Number.isInteger(spec.arity) || spec.arity === 0) throw new Error(`command ${where}: arity must be a non-zero integer`);
  for (const f of spec.flags) if (!KNOWN_FLAGS.has(f)) throw new Error(`command ${where}: unknown flag '${f}'`);
  if (spec.flags.includes('write') && spec.flags.includes('readonly')) throw new Error(`command ${where}: both write and readonly`);
  if (spec.firstKey < 0 || spec.step < 0) throw new Error(`command ${where}: negative key position`);
  if (spec.firstKey > 0) {
    if (spec.step === 0) throw new Error(`command ${where}: keys need a step`);
    const minArgs = Math.abs(spec.arity);
    if (spec.arity > 0 && spec.firstKey >= minArgs) throw new Error(`command ${where}: first key beyond the arity`);
    if (spec.arity > 0 && spec.lastKey >= minArgs) throw new Error(`command ${where}: last key beyond the arity`);
  }
  if (spec.subcommands === undefined && spec.handler === undefined) throw new Error(`command ${where}: no handler`);
  if (spec.fast !== undefined && spec.handler === undefined) throw new Error(`command ${where}: a fast path needs a handler to fall back to`);
}

export class CommandTable {
  private readonly byName = new Map<string, LoadedCommand>();
  /** Every top-level command in declaration order. */
  readonly commands: LoadedCommand[] = [];
  /** Commands and subcommands loaded so far (the next one's index). */
  private loadedCount = 0;

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      const loaded = this.load(spec, null);
      if (this.byName.has(spec.name)) throw new Error(`command ${spec.name}: declared twice`);
      this.commands.push(loaded);
      this.byName.set(spec.name, loaded);
      // Clients send names upper-cased or lower-cased: index both so that
      // lookup needs no string work for them.
      this.byName.set(spec.name.toUpperCase(), loaded);
    }
  }

  private load(spec: CommandSpec, parent: LoadedCommand | null): LoadedCommand {
    validateSpec(spec, parent === null ? null : parent.spec.name);
    const subs = spec.subcommands === undefined ? null : new Map<string, LoadedCommand>();
    const loaded: LoadedCommand = {
      spec,
      fullName: parent === null ? spec.name : `${parent.spec.name}|${spec.name}`,
      arity: spec.arity,
      handler: spec.handler ?? null,
      fast: spec.fast ?? null,
      isWrite: spec.flags.includes('write'),
      isFast: spec.flags.includes('fast'),
      aclCategories: aclCategoriesOf(spec),
      subcommands: subs,
      parent,
      index: this.loadedCount++,
    };
    if (subs !== null) {
      for (const sub of spec.subcommands!) {
        if (subs.has(sub.name)) throw new Error(`command ${spec.name}|${sub.name}: declared twice`);
        subs.set(sub.name, this.load(sub, loaded));
      }
    }
    return loaded;
  }

  /** The command named `name` in any letter case, or undefined. */
  lookup(name: string): LoadedCommand | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  get size(): number {
    return this.commands.length;
  }
}
