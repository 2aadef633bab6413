/**
 * The `server` group's slow log: the log itself (one per server, held by the
 * CommandObserver in observer.ts) and SLOWLOG GET, LEN, RESET and HELP, as
 * Redis 7.0.15's slowlog.c.
 *
 * An entry is made only when a command's duration reaches
 * `slowlog-log-slower-than` (observer.ts decides, and hands the arguments
 * either as the handler's Arg[] or as the raw request still in bytes); only
 * then are the arguments copied, trimmed as Redis's slowlogCreateEntry
 * trims them: at most SLOWLOG_ENTRY_MAX_ARGC arguments, the last saying how
 * many more there were, each at most SLOWLOG_ENTRY_MAX_STRING bytes with a
 * note of how many more. Secrets are redacted as Redis's
 * redactClientCommandArgument does (AUTH, HELLO AUTH, CONFIG SET
 * requirepass).
 */
import { SLOWLOG_COUNT_RANGE, subcommandSyntaxError } from '../errors.js';
import type { Arg, RawRequest } from '../protocol/resp-parser.js';
import { argString, parseInt64, tokenIs } from './args.js';
import { replyHelp } from './connection.js';
import { redact } from './redact.js';
import type { CommandContext, CommandSpec, LoadedCommand } from './table.js';

/** slowlog.h: arguments kept per entry; the last of them then says how many more there were. */
export const SLOWLOG_ENTRY_MAX_ARGC = 32;
/** slowlog.h: bytes kept per argument. */
export const SLOWLOG_ENTRY_MAX_STRING = 128;
/** SLOWLOG GET without a count. */
const SLOWLOG_GET_DEFAULT = 10;

export interface SlowlogEntry {
  readonly id: number;
  /** Seconds since the epoch when it was logged. */
  readonly time: number;
  /** Microseconds the command took. */
  readonly duration: number;
  /** Trimmed arguments, latin1 strings. */
  readonly argv: string[];
  readonly peer: string;
  readonly name: string;
}

/** One server's slow log, newest entry first, as Redis's server.slowlog list. */
export class SlowLog {
  /** Newest first. */
  readonly entries: SlowlogEntry[] = [];
  private nextId = 0;

  /**
   * Adds an entry (slowlogPushEntryIfNeeded once the threshold is passed)
   * and trims the log to `maxLen`. `argv` or `raw` holds the arguments
   * (a raw request's name, argument 0, is `rawName`: the parser keeps it apart).
   */
  push(cmd: LoadedCommand, argv: Arg[] | null, raw: RawRequest | null, rawName: string, duration: number, ctx: CommandContext, maxLen: number): void {
    const args = raw !== null ? rawArgs(raw, rawName) : argv!.map(argString);
    redact(cmd, args);
    this.entries.unshift({
      id: this.nextId++,
      time: Math.floor(ctx.server.clock.now() / 1000),
      duration: Math.round(duration),
      argv: trimArgs(args),
      peer: ctx.client.addr,
      name: ctx.client.name,
    });
    this.trim(maxLen);
  }

  /** Drops the oldest entries beyond `maxLen` (also when slowlog-max-len is lowered). */
  trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = maxLen;
  }

  reset(): void {
    this.entries.length = 0;
  }
}

/** A raw request's arguments as latin1 strings (only when an entry is made). */
function rawArgs(raw: RawRequest, name: string): string[] {
  const out: string[] = [name];
  for (let i = 1; i < raw.argc; i++) out.push(raw.buf.latin1Slice(raw.start[i]!, raw.start[i]! + raw.len[i]!));
  return out;
}

/** slowlogCreateEntry's trimming of the argument count and of each argument's length. */
function trimArgs(args: string[]): string[] {
  const argc = args.length;
  const n = Math.min(argc, SLOWLOG_ENTRY_MAX_ARGC);
  const out: string[] = [];
  for (let j = 0; j < n; j++) {
    if (n !== argc && j === n - 1) out.push(`... (${argc - n + 1} more arguments)`);
    else {
      const a = args[j]!;
      out.push(a.length > SLOWLOG_ENTRY_MAX_STRING ? `${a.slice(0, SLOWLOG_ENTRY_MAX_STRING)}... (${a.length - SLOWLOG_ENTRY_MAX_STRING} more bytes)` : a);
    }
  }
  return out;
}

// SLOWLOG GET [count]
function slowlogGetCommand(ctx: CommandContext, argv: Arg[]): void {
  const log = ctx.server.observer.slowlog.entries;
  let count = SLOWLOG_GET_DEFAULT;
  if (argv.length > 3) {
    // slowlogCommand takes GET with at most one argument.
    ctx.reply.error(subcommandSyntaxError(argString(argv[1]!), 'slowlog'));
    return;
  }
  if (argv.length === 3) {
    // getRangeLongFromObjectOrReply(-1, LONG_MAX) with one message for both failures.
    const n = parseInt64(argv[2]!);
    if (n === null || n < -1n) {
      ctx.reply.error(SLOWLOG_COUNT_RANGE);
      return;
    }
    count = n === -1n ? log.length : n > BigInt(log.length) ? log.length : Number(n);
  }
  const sent = Math.min(count, log.length);
  const w = ctx.reply;
  w.arrayHeader(sent);
  for (let i = 0; i < sent; i++) {
    const e = log[i]!;
    w.arrayHeader(6);
    w.integer(e.id);
    w.integer(e.time);
    w.integer(e.duration);
    w.arrayHeader(e.argv.length);
    for (const a of e.argv) w.bulk(a);
    w.bulk(e.peer);
    w.bulk(e.name);
  }
}

// SLOWLOG LEN
function slowlogLenCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.server.observer.slowlog.entries.length);
}

// SLOWLOG RESET
function slowlogResetCommand(ctx: CommandContext): void {
  ctx.server.observer.slowlog.reset();
  ctx.reply.ok();
}

const SLOWLOG_HELP = [
  'GET [<count>]',
  '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
  '    Entries are made of:',
  '    id, timestamp, time in microseconds, arguments array, client IP and port,',
  '    client name',
  'LEN',
  '    Return the length of the slowlog.',
  'RESET',
  '    Reset the slowlog.',
];

// SLOWLOG HELP
function slowlogHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'SLOWLOG', SLOWLOG_HELP);
}

const SLOWLOG_ADMIN = ['admin', 'loading', 'stale'] as const;

const SLOWLOG_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'get', arity: -2, flags: SLOWLOG_ADMIN, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: "Get the slow log's entries", since: '2.2.12',
    complexity: 'O(N) where N is the number of entries returned',
    tips: ['request_policy:all_nodes', 'nondeterministic_output'],
    history: [['4.0.0', 'Added client IP address, port and name to the reply.']],
    args: [{ name: 'count', type: 'integer', optional: true }],
    handler: slowlogGetCommand,
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Show helpful text about the different subcommands', since: '6.2.0',
    complexity: 'O(1)',
    handler: slowlogHelpCommand,
  },
  {
    name: 'len', arity: 2, flags: SLOWLOG_ADMIN, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: "Get the slow log's length", since: '2.2.12',
    complexity: 'O(1)',
    tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
    handler: slowlogLenCommand,
  },
  {
    name: 'reset', arity: 2, flags: SLOWLOG_ADMIN, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Clear all entries from the slow log', since: '2.2.12',
    complexity: 'O(N) where N is the number of entries in the slowlog',
    tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
    handler: slowlogResetCommand,
  },
];

export const SLOWLOG_COMMANDS: CommandSpec[] = [
  {
    name: 'slowlog', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'A container for slow log commands', since: '2.2.12',
    complexity: 'Depends on subcommand.',
    subcommands: SLOWLOG_SUBCOMMANDS,
  },
];
