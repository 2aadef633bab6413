/**
 * The `server` group: DBSIZE, FLUSHDB, FLUSHALL, SWAPDB, TIME, INFO, SHUTDOWN, and the
 * CONFIG (GET, SET, RESETSTAT, HELP) and COMMAND (COUNT, INFO, DOCS, LIST,
 * GETKEYS, HELP) containers. Semantics and error strings follow Redis 7.0.15
 * (server.c, db.c, config.c).
 *
 * COMMAND's replies are derived from the command table alone
 * (command-reply.ts); INFO's text is built in server-info.ts; CONFIG works
 * through Config (server/config.ts), which owns the options and their checks.
 */
import {
  DB_INDEX_OUT_OF_RANGE, INVALID_ARGS_SPECIFIED, INVALID_COMMAND_SPECIFIED, INVALID_FIRST_DB_INDEX,
  INVALID_NUMBER_OF_ARGS, INVALID_SECOND_DB_INDEX, NO_KEY_ARGUMENTS, NO_SHUTDOWN_IN_PROGRESS, SHUTDOWN_SAVE_NOT_SUPPORTED, SYNTAX_ERR,
} from '../errors.js';
import { globMatch } from '../keyspace/glob.js';
import type { Arg } from '../protocol/resp-parser.js';
import type { Database } from '../keyspace/keyspace.js';
import { argString, tokenIs } from './args.js';
import {
  allCommands, commandCategories, commandDocsReply, commandHasKeys, commandInfoReply, keyIndexes, lookupByFullName,
  lookupForGetKeys,
} from './command-reply.js';
import { parseCIntOrReply, replyHelp } from './connection.js';
import { infoSections, infoText } from './server-info.js';
import type { CommandContext, CommandSpec, LoadedCommand } from './table.js';

// DBSIZE
function dbsizeCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.db.size());
}

/**
 * FLUSHDB/FLUSHALL's optional ASYNC or SYNC (Redis's getFlushCommandFlags).
 * Both flush at once here: a Map is dropped in O(1) and the garbage
 * collector frees it in the background, which is what ASYNC asks for.
 * Returns false after replying with the syntax error.
 */
function parseFlushOptionOrReply(ctx: CommandContext, argv: Arg[]): boolean {
  if (argv.length > 2 || (argv.length === 2 && !tokenIs(argv[1]!, 'ASYNC') && !tokenIs(argv[1]!, 'SYNC'))) {
    ctx.reply.error(SYNTAX_ERR);
    return false;
  }
  return true;
}

/**
 * Empties one database (Redis's emptyData for one db): watchers of keys in
 * it are signalled first, and each key removed counts as a change.
 */
function emptyDatabase(ctx: CommandContext, db: Database): void {
  const signals = ctx.server.signals;
  signals.databaseChanging(db, null, ctx.now);
  signals.dirty += db.size();
  db.clear();
}

// FLUSHDB [ASYNC | SYNC]
function flushdbCommand(ctx: CommandContext, argv: Arg[]): void {
  if (!parseFlushOptionOrReply(ctx, argv)) return;
  emptyDatabase(ctx, ctx.db);
  ctx.server.signals.flushed(ctx.db.id);
  ctx.reply.ok();
}

// FLUSHALL [ASYNC | SYNC]
function flushallCommand(ctx: CommandContext, argv: Arg[]): void {
  if (!parseFlushOptionOrReply(ctx, argv)) return;
  for (const db of ctx.server.dbs) emptyDatabase(ctx, db);
  ctx.server.signals.flushed(-1);
  ctx.reply.ok();
}

// SWAPDB index1 index2
function swapdbCommand(ctx: CommandContext, argv: Arg[]): void {
  const a = parseCIntOrReply(ctx, argv[1]!, INVALID_FIRST_DB_INDEX);
  if (Number.isNaN(a)) return;
  const b = parseCIntOrReply(ctx, argv[2]!, INVALID_SECOND_DB_INDEX);
  if (Number.isNaN(b)) return;
  const dbs = ctx.server.dbs;
  if (a < 0 || a >= dbs.length || b < 0 || b >= dbs.length) {
    ctx.reply.error(DB_INDEX_OUT_OF_RANGE);
    return;
  }
  // Clients keep their index, so every client of either database now sees the other's keys (db.c swapDB).
  const da = dbs[a]!;
  const db = dbs[b]!;
  const signals = ctx.server.signals;
  signals.databaseChanging(da, db, ctx.now);
  signals.databaseChanging(db, da, ctx.now);
  signals.dirty++;
  dbs[a] = db;
  dbs[b] = da;
  db.id = a;
  da.id = b;
  ctx.db = dbs[ctx.client.dbIndex]!;
  // Clients blocked on keys of either index now wait on the other's keys (Redis's scanDatabaseForReadyKeys).
  ctx.server.blocking.scanDatabaseForReadyKeys(a, ctx.now);
  ctx.server.blocking.scanDatabaseForReadyKeys(b, ctx.now);
  ctx.reply.ok();
}

// TIME
// The clock read when TIME runs, to the microsecond, as Redis 7.0's
// gettimeofday() (not the command's shared millisecond snapshot).
function timeCommand(ctx: CommandContext): void {
  const us = ctx.server.clock.nowUs();
  ctx.reply.arrayHeader(2);
  ctx.reply.bulk(String(Math.floor(us / 1e6)));
  ctx.reply.bulk(String(us % 1e6));
}

/**
 * SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
 *
 * Parsed as Redis's shutdownCommand: any other word, ABORT with another
 * flag, or NOSAVE with SAVE is a syntax error. mini-kv keeps no data on
 * disk: SAVE cannot be honoured, so it gets the error Redis gives when the
 * final save fails (the server keeps running), with the reason; plain
 * SHUTDOWN saves nothing because no save schedule is in force (CONFIG GET
 * save answers ""), as in Redis with `save ""`. There are no replicas to
 * wait for, so NOW and FORCE change nothing and a shutdown is never in
 * progress for ABORT to cancel. The server stops accepting, sends the
 * replies already made, and closes every connection; the caller gets no
 * reply, as in Redis. The binary then exits 0; an embedded server just
 * closes.
 */
function shutdownCommand(ctx: CommandContext, argv: Arg[]): void {
  let nosave = false;
  let save = false;
  let other = false;
  let abort = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (tokenIs(a, 'NOSAVE')) nosave = true;
    else if (tokenIs(a, 'SAVE')) save = true;
    else if (tokenIs(a, 'NOW') || tokenIs(a, 'FORCE')) other = true;
    else if (tokenIs(a, 'ABORT')) abort = true;
    else {
      ctx.reply.error(SYNTAX_ERR);
      return;
    }
  }
  if ((abort && (nosave || save || other)) || (nosave && save)) {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  if (abort) {
    ctx.reply.error(NO_SHUTDOWN_IN_PROGRESS);
    return;
  }
  if (save) {
    ctx.reply.error(SHUTDOWN_SAVE_NOT_SUPPORTED);
    return;
  }
  ctx.client.closeAfterReply = true;
  ctx.server.shutdown();
}

// INFO [section [section ...]]
function infoCommand(ctx: CommandContext, argv: Arg[]): void {
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) args.push(argString(argv[i]!));
  ctx.reply.verbatim(infoText(ctx.server, ctx.now, infoSections(args)));
}

// ---- CONFIG -------------------------------------------------------------

/** Whether a CONFIG GET argument is a glob pattern rather than a name. */
function isGlob(s: string): boolean {
  return s.includes('*') || s.includes('?') || s.includes('[');
}

// CONFIG GET parameter [parameter ...]
function configGetCommand(ctx: CommandContext, argv: Arg[]): void {
  // Option names in the order first matched, each with the name to reply
  // with: an exact name is echoed as the client spelled it, as Redis 7.0
  // does (configGetCommand adds the argument itself to its match set).
  const names: string[] = [];
  const shown: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const p = argString(argv[i]!);
    if (!isGlob(p)) {
      const name = ctx.server.config.optionName(p);
      if (name !== undefined && !names.includes(name)) {
        names.push(name);
        shown.push(p);
      }
      continue;
    }
    for (const name of ctx.server.config.optionNames()) {
      if (!names.includes(name) && globMatch(p, name, true)) {
        names.push(name);
        shown.push(name);
      }
    }
  }
  ctx.reply.mapHeader(names.length);
  for (let i = 0; i < names.length; i++) {
    ctx.reply.bulk(shown[i]!);
    ctx.reply.bulk(ctx.server.config.get(names[i]!));
  }
}

// CONFIG SET parameter value [parameter value ...]
function configSetCommand(ctx: CommandContext, argv: Arg[]): void {
  if ((argv.length - 2) % 2 !== 0) {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  const pairs: [string, string][] = [];
  for (let i = 2; i < argv.length; i += 2) pairs.push([argString(argv[i]!), argString(argv[i + 1]!)]);
  const err = ctx.server.config.setRuntime(pairs);
  if (err !== null) ctx.reply.error(err);
  else ctx.reply.ok();
}

// CONFIG RESETSTAT
function configResetstatCommand(ctx: CommandContext): void {
  // Redis's resetServerStats: every counter INFO stats and commandstats report.
  const s = ctx.server.stats;
  s.totalConnectionsReceived = 0;
  s.totalCommandsProcessed = 0;
  s.rejectedConnections = 0;
  s.expiredKeys = 0;
  s.keyspaceHits = 0;
  s.keyspaceMisses = 0;
  s.totalNetInputBytes = 0;
  s.totalNetOutputBytes = 0;
  s.totalErrorReplies = 0;
  s.errorCodes.clear();
  // Zeroed, not dropped: the dispatcher keeps each command's record (INFO
  // commandstats leaves out the ones that are all zeros).
  for (const st of s.commands.values()) {
    st.calls = 0;
    st.usec = 0;
    st.rejectedCalls = 0;
    st.failedCalls = 0;
  }
  ctx.server.resetEventLoopStats();
  // Redis's resetCommandTableStats also frees the latency histograms.
  ctx.server.observer.resetStats();
  ctx.reply.ok();
}

const CONFIG_HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
];

// CONFIG HELP
function configHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'CONFIG', CONFIG_HELP);
}

// ---- COMMAND ------------------------------------------------------------

// COMMAND
function commandCommand(ctx: CommandContext): void {
  const cmds = ctx.server.table.commands;
  ctx.reply.arrayHeader(cmds.length);
  for (const cmd of cmds) commandInfoReply(ctx.reply, cmd);
}

// COMMAND COUNT
function commandCountCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.server.table.size);
}

// COMMAND INFO [command-name [command-name ...]]
function commandInfoCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length === 2) {
    commandCommand(ctx);
    return;
  }
  ctx.reply.arrayHeader(argv.length - 2);
  for (let i = 2; i < argv.length; i++) commandInfoReply(ctx.reply, lookupByFullName(ctx.server.table, argString(argv[i]!)));
}

// COMMAND DOCS [command-name [command-name ...]]
function commandDocsCommand(ctx: CommandContext, argv: Arg[]): void {
  const found: LoadedCommand[] = [];
  if (argv.length === 2) found.push(...ctx.server.table.commands);
  else {
    for (let i = 2; i < argv.length; i++) {
      const cmd = lookupByFullName(ctx.server.table, argString(argv[i]!));
      if (cmd !== undefined) found.push(cmd);
    }
  }
  ctx.reply.mapHeader(found.length);
  for (const cmd of found) {
    ctx.reply.bulk(cmd.fullName);
    commandDocsReply(ctx.reply, cmd);
  }
}

// COMMAND LIST [FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]
function commandListCommand(ctx: CommandContext, argv: Arg[]): void {
  let filter: ((cmd: LoadedCommand) => boolean) | null = null;
  if (argv.length === 5 && tokenIs(argv[2]!, 'FILTERBY')) {
    const kind = argv[3]!;
    const value = argString(argv[4]!);
    if (tokenIs(kind, 'MODULE')) {
      filter = () => false; // mini-kv loads no modules
    } else if (tokenIs(kind, 'ACLCAT')) {
      const cat = '@' + value.toLowerCase();
      filter = (cmd) => commandCategories(cmd).includes(cat);
    } else if (tokenIs(kind, 'PATTERN')) {
      filter = (cmd) => globMatch(value, cmd.fullName, true);
    } else {
      ctx.reply.error(SYNTAX_ERR);
      return;
    }
  } else if (argv.length !== 2) {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  const names: string[] = [];
  for (const cmd of allCommands(ctx.server.table)) if (filter === null || filter(cmd)) names.push(cmd.fullName);
  ctx.reply.arrayHeader(names.length);
  for (const n of names) ctx.reply.bulk(n);
}

// COMMAND GETKEYS command [arg [arg ...]]
function commandGetkeysCommand(ctx: CommandContext, argv: Arg[]): void {
  const request = argv.slice(2);
  const cmd = lookupForGetKeys(ctx.server.table, request);
  if (cmd === undefined) {
    ctx.reply.error(INVALID_COMMAND_SPECIFIED);
    return;
  }
  if (!commandHasKeys(cmd)) {
    ctx.reply.error(NO_KEY_ARGUMENTS);
    return;
  }
  if ((cmd.arity > 0 && cmd.arity !== request.length) || request.length < -cmd.arity) {
    ctx.reply.error(INVALID_NUMBER_OF_ARGS);
    return;
  }
  const keys = keyIndexes(cmd, request);
  if (keys.length === 0 && !cmd.spec.flags.includes('no_mandatory_keys')) {
    ctx.reply.error(INVALID_ARGS_SPECIFIED);
    return;
  }
  ctx.reply.arrayHeader(keys.length);
  for (const i of keys) {
    const k = request[i]!;
    if (typeof k === 'string') ctx.reply.bulk(k);
    else ctx.reply.bulkBuffer(k);
  }
}

const COMMAND_HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
];

// COMMAND HELP
function commandHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'COMMAND', COMMAND_HELP);
}

const CONFIG_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get the values of configuration parameters', since: '2.0.0',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    history: [['7.0.0', 'Added the ability to pass multiple pattern parameters in one call']],
    args: [{ name: 'parameter', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }] }],
    handler: configGetCommand,
  },
  {
    name: 'set', arity: -4, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Set configuration parameters to the given values', since: '2.0.0',
    complexity: 'O(N) when N is the number of configuration parameters provided',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    history: [['7.0.0', 'Added the ability to set multiple parameters in one call.']],
    args: [{ name: 'parameter_value', type: 'block', multiple: true, arguments: [{ name: 'parameter', type: 'string' }, { name: 'value', type: 'string' }] }],
    handler: configSetCommand,
  },
  {
    name: 'resetstat', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Reset the stats returned by INFO', since: '2.0.0',
    complexity: 'O(1)',
    handler: configResetstatCommand,
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
    complexity: 'O(1)',
    handler: configHelpCommand,
  },
];

const COMMAND_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'count', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get total number of Redis commands', since: '2.8.13',
    complexity: 'O(1)',
    acl: ['@connection'],
    handler: commandCountCommand,
  },
  {
    name: 'info', arity: -2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13',
    complexity: 'O(N) where N is the number of commands to look up',
    acl: ['@connection'],
    tips: ['nondeterministic_output_order'],
    history: [['7.0.0', 'Allowed to be called with no argument to get info on all commands.']],
    args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    handler: commandInfoCommand,
  },
  {
    name: 'docs', arity: -2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get array of specific Redis command documentation', since: '7.0.0',
    complexity: 'O(N) where N is the number of commands to look up',
    acl: ['@connection'],
    tips: ['nondeterministic_output_order'],
    args: [{ name: 'command-name', type: 'string', optional: true, multiple: true }],
    handler: commandDocsCommand,
  },
  {
    name: 'list', arity: -2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get an array of Redis command names', since: '7.0.0',
    complexity: 'O(N) where N is the total number of Redis commands',
    acl: ['@connection'],
    tips: ['nondeterministic_output_order'],
    args: [{ name: 'filterby', type: 'oneof', token: 'FILTERBY', optional: true, arguments: [{ name: 'module-name', type: 'string', token: 'MODULE' }, { name: 'category', type: 'string', token: 'ACLCAT' }, { name: 'pattern', type: 'pattern', token: 'PATTERN' }] }],
    handler: commandListCommand,
  },
  {
    name: 'getkeys', arity: -4, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Extract keys given a full Redis command', since: '2.8.13',
    complexity: 'O(N) where N is the number of arguments to the command',
    acl: ['@connection'],
    handler: commandGetkeysCommand,
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
    complexity: 'O(1)',
    acl: ['@connection'],
    handler: commandHelpCommand,
  },
];

/** FLUSHDB and FLUSHALL share their ASYNC|SYNC argument and its history. */
const FLUSH_HISTORY: CommandSpec['history'] = [['4.0.0', 'Added the `ASYNC` flushing mode modifier.'], ['6.2.0', 'Added the `SYNC` flushing mode modifier.']];
const FLUSH_ARGS: CommandSpec['args'] = [{ name: 'async', type: 'oneof', optional: true, arguments: [{ name: 'async', type: 'pure-token', token: 'ASYNC', since: '4.0.0' }, { name: 'sync', type: 'pure-token', token: 'SYNC', since: '6.2.0' }] }];

export const SERVER_COMMANDS: CommandSpec[] = [
  {
    name: 'dbsize', arity: 1, flags: ['readonly', 'fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return the number of keys in the selected database', since: '1.0.0',
    complexity: 'O(1)',
    acl: ['@keyspace'],
    tips: ['request_policy:all_shards', 'response_policy:agg_sum'],
    handler: dbsizeCommand,
  },
  {
    name: 'flushdb', arity: -1, flags: ['write'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Remove all keys from the current database', since: '1.0.0',
    complexity: 'O(N) where N is the number of keys in the selected database',
    acl: ['@keyspace', '@dangerous'],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    history: FLUSH_HISTORY,
    args: FLUSH_ARGS,
    handler: flushdbCommand,
  },
  {
    name: 'flushall', arity: -1, flags: ['write'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Remove all keys from all databases', since: '1.0.0',
    complexity: 'O(N) where N is the total number of keys in all databases',
    acl: ['@keyspace', '@dangerous'],
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    history: FLUSH_HISTORY,
    args: FLUSH_ARGS,
    handler: flushallCommand,
  },
  {
    name: 'swapdb', arity: 3, flags: ['write', 'fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Swaps two Redis databases', since: '4.0.0',
    complexity: 'O(N) where N is the count of clients watching or blocking on keys from both databases.',
    acl: ['@keyspace', '@dangerous'],
    args: [{ name: 'index1', type: 'integer' }, { name: 'index2', type: 'integer' }],
    handler: swapdbCommand,
  },
  {
    name: 'time', arity: 1, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Return the current server time', since: '2.6.0',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    handler: timeCommand,
  },
  {
    name: 'info', arity: -1, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get information and statistics about the server', since: '1.0.0',
    complexity: 'O(1)',
    acl: ['@dangerous'],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
    history: [['7.0.0', 'Added support for taking multiple section arguments.']],
    args: [{ name: 'section', type: 'string', optional: true, multiple: true }],
    handler: infoCommand,
  },
  {
    name: 'config', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'A container for server configuration commands', since: '2.0.0',
    complexity: 'Depends on subcommand.',
    subcommands: CONFIG_SUBCOMMANDS,
  },
  {
    name: 'command', arity: -1, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Get array of Redis command details', since: '2.8.13',
    complexity: 'O(N) where N is the total number of Redis commands',
    acl: ['@connection'],
    tips: ['nondeterministic_output_order'],
    subcommands: COMMAND_SUBCOMMANDS,
    handler: commandCommand,
  },
  {
    name: 'shutdown', arity: -1, flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Synchronously save the dataset to disk and then shut down the server', since: '1.0.0',
    complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
    history: [['7.0.0', 'Added the `NOW`, `FORCE` and `ABORT` modifiers.']],
    args: [
      { name: 'nosave_save', type: 'oneof', optional: true, arguments: [{ name: 'nosave', type: 'pure-token', token: 'NOSAVE' }, { name: 'save', type: 'pure-token', token: 'SAVE' }] },
      { name: 'now', type: 'pure-token', token: 'NOW', since: '7.0.0', optional: true },
      { name: 'force', type: 'pure-token', token: 'FORCE', since: '7.0.0', optional: true },
      { name: 'abort', type: 'pure-token', token: 'ABORT', since: '7.0.0', optional: true },
    ],
    handler: shutdownCommand,
  },
];
