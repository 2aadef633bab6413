/**
 * The dispatcher: finds a request's command in the table, answers the
 * unknown-command, unknown-subcommand and arity errors (the only place that
 * does, with Redis's exact text), takes the command's time snapshot, and runs
 * the handler. Mirrors the checks at the top of Redis's processCommand.
 */
import type { CommandContext, CommandTable, LoadedCommand } from '../commands/table.js';
import { NOAUTH, unknownCommand, unknownSubcommand, wrongArity } from '../errors.js';
import { REQUEST_RAW, type Arg, type RequestParser } from '../protocol/resp-parser.js';
import type { Clock } from '../keyspace/clock.js';
import type { CommandStat } from './state.js';

/** An argument as a latin1 string (a Buffer only for huge bulks). */
export function argString(a: Arg): string {
  return typeof a === 'string' ? a : a.toString('latin1');
}

function rejectUnknown(ctx: CommandContext, argv: Arg[]): void {
  const args: string[] = [];
  for (let i = 1; i < argv.length; i++) args.push(argString(argv[i]!));
  ctx.reply.error(unknownCommand(argString(argv[0]!), args));
}

/** Finds the command (or subcommand) to run, or replies with the error and returns null. */
export function resolveCommandOrReply(ctx: CommandContext, argv: Arg[]): LoadedCommand | null {
  const name = argv[0]!;
  let cmd = typeof name === 'string' ? ctx.server.table.lookup(name) : undefined;
  if (cmd === undefined) {
    rejectUnknown(ctx, argv);
    return null;
  }
  // A container named alone is checked as a command of its own: CLIENT
  // (arity -2) fails its arity check, bare COMMAND (arity -1) runs.
  if (cmd.subcommands !== null && argv.length > 1) {
    const subName = argString(argv[1]!);
    const sub = cmd.subcommands.get(subName.toLowerCase());
    if (sub === undefined) {
      ctx.reply.error(unknownSubcommand(subName, cmd.fullName));
      return null;
    }
    cmd = sub;
  }
  if (!arityFits(cmd.arity, argv.length)) {
    ctx.reply.error(wrongArity(cmd.fullName));
    return null;
  }
  return cmd;
}

/** Redis's arity convention: N is exactly N arguments including the name, -N at least N. */
function arityFits(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

/**
 * Time snapshots. Each command sees one time for its whole run, as in
 * Redis's call(). Reading the clock costs about 35 ns on this VM (Date.now
 * on kvm-clock: a fifth of a pipelined GET's JavaScript), so consecutive
 * commands of one read batch share a snapshot: a batch's first command reads
 * the clock, and so does every TIME_SHARE_MAX-th command and the command
 * after one that may have run long. A command is quick when Redis flags it
 * `fast`, or when it has a fast path and its request arrived whole in one
 * read (SET, MSET: work bounded by one read's bytes). A shared time is
 * therefore at most a few quick commands old, microseconds, far below the
 * millisecond resolution of expiry times.
 */
const TIME_SHARE_MAX = 16;
let sharedNow = 0;
let sharedUses = TIME_SHARE_MAX;
let sharedClock: Clock | null = null;

/** A new read batch starts: its first command reads the clock. */
export function startBatch(): void {
  sharedUses = TIME_SHARE_MAX;
}

/** The command name dispatchRequest resolved last, in which table, and what it found. */
let lastName = '';
let lastTable: CommandTable | null = null;
let lastCommand: LoadedCommand | undefined;

/**
 * Runs the request `parser.nextRequest()` just returned (`kind`). A request
 * still in bytes goes to its command's fast path when it has one; the fast
 * path may hand it back, and then the handler runs with string arguments.
 */
export function dispatchRequest(ctx: CommandContext, parser: RequestParser, kind: number): void {
  if (kind === REQUEST_RAW) {
    const name = parser.name;
    const table = ctx.server.table;
    // Pipelines repeat one command: the last name resolved skips the Map.
    if (name !== lastName || table !== lastTable) {
      lastCommand = table.lookup(name);
      lastName = name;
      lastTable = table;
    }
    const cmd = lastCommand;
    if (cmd !== undefined && cmd.fast !== null) {
      const raw = parser.raw;
      if (!arityFits(cmd.arity, raw.argc)) {
        ctx.reply.error(wrongArity(cmd.fullName));
        return;
      }
      if (!prepare(ctx, cmd, true)) return;
      if (!cmd.fast(ctx, raw)) cmd.handler!(ctx, parser.args());
      return;
    }
  }
  dispatch(ctx, parser.args());
}

/** Runs one request: resolve, snapshot time and database, call the handler, count it. */
export function dispatch(ctx: CommandContext, argv: Arg[]): void {
  const cmd = resolveCommandOrReply(ctx, argv);
  if (cmd === null) return;
  if (prepare(ctx, cmd, cmd.isFast)) cmd.handler!(ctx, argv);
}

/**
 * What every command goes through once it is known and its arity fits:
 * the authentication check (false: NOAUTH was replied), then the time
 * snapshot (`quick`: the next command may share it), the client's
 * database, and the counters.
 */
function prepare(ctx: CommandContext, cmd: LoadedCommand, quick: boolean): boolean {
  const server = ctx.server;
  const client = ctx.client;
  // One boolean test per command: only a client that has not authenticated
  // while a password is set looks further (processCommand's authRequired).
  // A password cleared at run time lets such a client in, as in Redis.
  if (!client.authenticated && !cmd.spec.flags.includes('no_auth')) {
    if (server.config.get('requirepass') !== '') {
      ctx.reply.error(NOAUTH);
      return false;
    }
    client.authenticated = true;
  }
  const clock = server.clock;
  if (sharedUses >= TIME_SHARE_MAX || sharedClock !== clock) {
    sharedNow = clock.now();
    sharedClock = clock;
    sharedUses = 0;
  }
  sharedUses = quick ? sharedUses + 1 : TIME_SHARE_MAX;
  ctx.now = sharedNow;
  ctx.db = server.dbs[client.dbIndex]!;
  client.lastInteraction = ctx.now;
  client.lastCommand = cmd.fullName;
  server.stats.totalCommandsProcessed++;
  let stat = server.stats.commands.get(cmd.fullName);
  if (stat === undefined) {
    stat = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 } satisfies CommandStat;
    server.stats.commands.set(cmd.fullName, stat);
  }
  stat.calls++;
  return true;
}
