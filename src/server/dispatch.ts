/**
 * The dispatcher: finds a request's command in the table, answers the
 * unknown-command, unknown-subcommand and arity errors (the only place that
 * does, with Redis's exact text), takes the command's time snapshot, runs
 * the handler, and accounts for it: calls, microseconds, rejected calls
 * (refused before running: arity, NOAUTH) and failed calls (ran and replied
 * with an error), as Redis's processCommand and call() do. Handlers report
 * nothing themselves: a failure is seen as an error reply the writer counted.
 *
 * One Dispatcher per server, holding what consecutive requests share (the
 * time snapshot, the last command resolved, the timing of a run of quick
 * commands), so several servers in one process never share request state.
 */
import type { CommandContext, CommandTable, LoadedCommand } from '../commands/table.js';
import { argString } from '../commands/args.js';
import { NOAUTH, unknownCommand, unknownSubcommand, wrongArity } from '../errors.js';
import { REQUEST_RAW, type Arg, type RawRequest, type RequestParser } from '../protocol/resp-parser.js';
import type { CommandStat, ServerState } from '../commands/state.js';

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

/**
 * Command timing (INFO commandstats usec). A command that may run long is
 * timed on its own: the high-resolution clock before and after, as Redis's
 * call(). Quick commands (as above) come in runs, often 16 to a pipelined
 * read, where two clock reads each would cost more than the command: a run
 * is timed as a whole, from its first command to the next command that is
 * not quick or the end of the batch, and its time is shared equally among
 * the commands in it. The run's time includes parsing its requests, which
 * Redis's figure leaves out; the total is the time the server spent.
 */
const RUN_MAX = 64;

/** One server's dispatcher; `server.dispatcher`. */
export class Dispatcher {
  private sharedNow = 0;
  private sharedUses = TIME_SHARE_MAX;
  /** The command name dispatchRequest resolved last, and what it found. */
  private lastName = '';
  private lastCommand: LoadedCommand | undefined = undefined;
  /** performance.now() at the start of the open run of quick commands; -1: none open. */
  private runStart = -1;
  /** The stats of the commands in the open run, one entry per call, and the commands (for the observer). */
  private readonly runStats: CommandStat[] = [];
  private readonly runCommands: LoadedCommand[] = [];
  private runLength = 0;
  /** Each command's stats by LoadedCommand.index. */
  private readonly statByIndex: (CommandStat | undefined)[] = [];
  private readonly table: CommandTable;

  constructor(private readonly server: ServerState) {
    this.table = server.table;
  }

  /** A new read batch starts: its first command reads the clock. */
  startBatch(): void {
    this.sharedUses = TIME_SHARE_MAX;
  }

  /** The batch is over: the open run of quick commands gets its time. */
  endBatch(): void {
    if (this.runStart >= 0) this.closeRun(performance.now());
  }

  /**
   * Runs the request `parser.nextRequest()` just returned (`kind`). A request
   * still in bytes goes to its command's fast path when it has one; the fast
   * path may hand it back, and then the handler runs with string arguments.
   */
  dispatchRequest(ctx: CommandContext, parser: RequestParser, kind: number): void {
    if (kind === REQUEST_RAW) {
      const name = parser.name;
      // Pipelines repeat one command: the last name resolved skips the Map.
      if (name !== this.lastName) {
        this.lastCommand = this.table.lookup(name);
        this.lastName = name;
      }
      const cmd = this.lastCommand;
      if (cmd !== undefined && cmd.fast !== null) {
        const raw = parser.raw;
        if (!arityFits(cmd.arity, raw.argc)) {
          this.reject(ctx, cmd, wrongArity(cmd.fullName));
          return;
        }
        // Timed alone when the slow log or latency monitor could catch a quick command (observer.ts).
        const alone = this.server.observer.timeEach;
        const stat = this.prepare(ctx, cmd, !alone);
        if (stat === null) return;
        const errors = ctx.reply.errorReplies;
        const start = alone ? this.startAlone() : 0;
        if (!cmd.fast(ctx, raw)) cmd.handler!(ctx, parser.args());
        if (alone) this.endAlone(ctx, cmd, stat, start, null, raw, name);
        if (ctx.reply.errorReplies !== errors) stat.failedCalls++;
        return;
      }
    }
    this.dispatch(ctx, parser.args());
  }

  /** Runs one request: resolve, snapshot time and database, call the handler, account for it. */
  dispatch(ctx: CommandContext, argv: Arg[]): void {
    const cmd = this.resolveCommandOrReply(ctx, argv);
    if (cmd === null) return;
    const quick = cmd.isFast && !this.server.observer.timeEach;
    const stat = this.prepare(ctx, cmd, quick);
    if (stat === null) return;
    const errors = ctx.reply.errorReplies;
    if (quick) {
      cmd.handler!(ctx, argv);
    } else {
      const start = this.startAlone();
      cmd.handler!(ctx, argv);
      this.endAlone(ctx, cmd, stat, start, argv, null, '');
    }
    if (ctx.reply.errorReplies !== errors) stat.failedCalls++;
  }

  /** Finds the command (or subcommand) to run, or replies with the error and returns null. */
  resolveCommandOrReply(ctx: CommandContext, argv: Arg[]): LoadedCommand | null {
    const name = argv[0]!;
    let cmd = typeof name === 'string' ? this.table.lookup(name) : undefined;
    if (cmd === undefined) {
      const args: string[] = [];
      for (let i = 1; i < argv.length; i++) args.push(argString(argv[i]!));
      ctx.reply.error(unknownCommand(argString(name), args));
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
      this.reject(ctx, cmd, wrongArity(cmd.fullName));
      return null;
    }
    return cmd;
  }

  /** A command timed on its own starts: the open run of quick commands closes there. */
  private startAlone(): number {
    const start = performance.now();
    if (this.runStart >= 0) this.closeRun(start);
    return start;
  }

  /** A command timed on its own is done: its microseconds, and the observer (slow log, latency). */
  private endAlone(ctx: CommandContext, cmd: LoadedCommand, stat: CommandStat, start: number, argv: Arg[] | null, raw: RawRequest | null, rawName: string): void {
    const usec = (performance.now() - start) * 1000;
    stat.usec += usec;
    this.server.observer.observe(cmd, usec, ctx, argv, raw, rawName);
  }

  /** Refuses a known command before it runs: the error, and its rejected_calls. */
  private reject(ctx: CommandContext, cmd: LoadedCommand, error: string): void {
    ctx.reply.error(error);
    this.statOf(cmd).rejectedCalls++;
  }

  /**
   * The command's stats record, made on its first call and entered in
   * stats.commands (INFO's view); found again by the command's index.
   * CONFIG RESETSTAT zeroes records and keeps them, so this stays valid.
   */
  private statOf(cmd: LoadedCommand): CommandStat {
    let stat = this.statByIndex[cmd.index];
    if (stat === undefined) {
      stat = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.statByIndex[cmd.index] = stat;
      this.server.stats.commands.set(cmd.fullName, stat);
    }
    return stat;
  }

  /**
   * What every command goes through once it is known and its arity fits:
   * the authentication check (null: NOAUTH was replied), then the time
   * snapshot (`quick`: the next command may share it, and it joins the
   * open run of quick commands for timing), the client's database, and
   * the call counters. Returns the command's stats.
   */
  private prepare(ctx: CommandContext, cmd: LoadedCommand, quick: boolean): CommandStat | null {
    const server = this.server;
    const client = ctx.client;
    // One boolean test per command: only a client that has not authenticated
    // while a password is set looks further (processCommand's authRequired).
    // A password cleared at run time lets such a client in, as in Redis.
    if (!client.authenticated && !cmd.spec.flags.includes('no_auth')) {
      if (server.config.get('requirepass') !== '') {
        this.reject(ctx, cmd, NOAUTH);
        return null;
      }
      client.authenticated = true;
    }
    if (this.sharedUses >= TIME_SHARE_MAX) {
      this.sharedNow = server.clock.now();
      this.sharedUses = 0;
    }
    this.sharedUses = quick ? this.sharedUses + 1 : TIME_SHARE_MAX;
    ctx.now = this.sharedNow;
    ctx.db = server.dbs[client.dbIndex]!;
    client.lastInteraction = ctx.now;
    client.lastCommand = cmd.fullName;
    server.stats.totalCommandsProcessed++;
    const stat = this.statOf(cmd);
    stat.calls++;
    if (quick) {
      if (this.runStart < 0) this.runStart = performance.now();
      else if (this.runLength === RUN_MAX) this.closeRun(performance.now(), true);
      this.runCommands[this.runLength] = cmd;
      this.runStats[this.runLength++] = stat;
    }
    return stat;
  }

  /**
   * Shares the open run's time among its commands. `reopen`: a full run
   * closes at `now` and a new one starts there (RUN_MAX bounds the list).
   */
  private closeRun(now: number, reopen = false): void {
    const n = this.runLength;
    if (n > 0) {
      const each = ((now - this.runStart) * 1000) / n;
      const stats = this.runStats;
      const cmds = this.runCommands;
      const observer = this.server.observer;
      for (let i = 0; i < n; i++) {
        stats[i]!.usec += each;
        observer.observeShare(cmds[i]!, each);
      }
    }
    this.runLength = 0;
    this.runStart = reopen ? now : -1;
  }
}
