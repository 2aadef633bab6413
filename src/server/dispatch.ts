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
import { protectedActionAllowed } from '../commands/debug.js';
import type { CommandContext, CommandTable, LoadedCommand } from '../commands/table.js';
import { argString } from '../commands/args.js';
import { NOAUTH, NOT_IN_MULTI, REPLICA_KEYSPACE, protectedCommandError, pubsubContextError, unknownCommand, unknownSubcommand, wrongArity } from '../errors.js';
import { RawRequest, REQUEST_RAW, type Arg, type RequestParser } from '../protocol/resp-parser.js';
import { STRING_ARG_MAX } from '../protocol/limits.js';
import {
  CLIENT_BLOCKED, CLIENT_MONITOR, CLIENT_MULTI, CLIENT_PUBSUB, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP, CLIENT_REPLY_SKIP_NEXT, CLIENT_SLOW_PATH,
  type CommandCaller, type CommandStat, type QueuedCommand, type ServerState, type Transaction,
} from '../commands/state.js';
import type { PropagationStream } from '../commands/propagation.js';

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

/** Commands a RESP2 client may run while subscribed (processCommand's pub/sub check). */
const SUBSCRIBED_ALLOWED = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);
/** Commands that run at once inside MULTI rather than being queued. */
const MULTI_RUNS = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

// What the state gates need to know of a command, as bits by LoadedCommand.index.
const GATE_NO_MULTI = 1;
const GATE_SUBSCRIBED_OK = 2;
const GATE_RUNS_IN_MULTI = 4;
const GATE_PROTECTED = 8;
/** Writes or may replicate (PUBLISH, EVAL): held by CLIENT PAUSE WRITE (processCommand's is_may_replicate_command). */
const GATE_MAY_REPLICATE = 16;
/** Reads or writes keys: a MONITOR client may not run it (Redis treats a monitor as a replica). */
const GATE_KEYSPACE = 32;
/** Not shown to MONITOR: skip_monitor or admin (call()'s CMD_SKIP_MONITOR|CMD_ADMIN). */
const GATE_SKIP_MONITOR = 64;
/** EXEC: its queued commands decide whether it writes. */
const GATE_EXEC = 128;

/** The gate bits of every command and subcommand, by index. */
function gateBits(table: CommandTable): Uint8Array {
  const bits: number[] = [];
  const visit = (cmd: LoadedCommand): void => {
    let b = 0;
    if (cmd.spec.flags.includes('no_multi')) b |= GATE_NO_MULTI;
    if (SUBSCRIBED_ALLOWED.has(cmd.spec.name) && cmd.parent === null) b |= GATE_SUBSCRIBED_OK;
    if (MULTI_RUNS.has(cmd.fullName)) b |= GATE_RUNS_IN_MULTI;
    if ((cmd.parent ?? cmd).spec.protectedBy !== undefined) b |= GATE_PROTECTED;
    const f = cmd.spec.flags;
    if (f.includes('write') || f.includes('may_replicate')) b |= GATE_MAY_REPLICATE;
    if (f.includes('write') || f.includes('readonly') || f.includes('may_replicate')) b |= GATE_KEYSPACE;
    if (f.includes('skip_monitor') || f.includes('admin')) b |= GATE_SKIP_MONITOR;
    if (cmd.fullName === 'exec') b |= GATE_EXEC;
    bits[cmd.index] = b;
    if (cmd.subcommands !== null) for (const sub of cmd.subcommands.values()) visit(sub);
  };
  for (const cmd of table.commands) visit(cmd);
  return Uint8Array.from(bits, (b) => b ?? 0);
}

/** One server's dispatcher; `server.dispatcher`. */
export class Dispatcher implements CommandCaller {
  private sharedNow = 0;
  private sharedUses = TIME_SHARE_MAX;
  /** The last four command names dispatchRequest resolved, and what each found (resolveName). */
  private readonly recentNames: string[] = ['', '', '', ''];
  private readonly recentCommands: (LoadedCommand | undefined)[] = [undefined, undefined, undefined, undefined];
  private recentNext = 0;
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
  /**
   * totalErrorReplies when the last call started or ended (Redis's
   * prev_err_count): a call failed when errors were replied since. A call
   * inside another (EXEC) moves it, so the outer one counts only its own.
   */
  private errorMark = 0;
  /** Calls running inside the current one (EXEC's commands run at depth 1). */
  private depth = 0;
  /** performance.now() when the last nested call ended (or its parent started): each nested call reads the clock once. */
  private nestedMark = 0;
  private readonly gates: Uint8Array;
  private readonly propagation: PropagationStream;
  /** The queued request EXEC is running by its fast path (callQueued), reused. */
  private readonly queuedRaw = new RawRequest();

  constructor(private readonly server: ServerState) {
    this.table = server.table;
    this.gates = gateBits(server.table);
    this.propagation = server.propagation;
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
      // Pipelines repeat one command: the last name resolved skips even the recent names.
      const name = parser.name;
      if (name !== this.lastName) {
        this.lastCommand = this.resolveName(name);
        this.lastName = name;
      }
      const cmd = this.lastCommand;
      // While the propagation stream is read, every write goes the slow way (it needs the arguments).
      if (cmd !== undefined && cmd.fast !== null && ctx.client.flags === 0 && !this.propagation.active) {
        const raw = parser.raw;
        if (!arityFits(cmd.arity, raw.argc)) {
          this.reject(ctx, cmd, wrongArity(cmd.fullName));
          return;
        }
        if (!ctx.client.authenticated && !this.authenticate(ctx, cmd)) return;
        // Timed alone when the slow log or latency monitor could catch a quick command (observer.ts).
        const alone = this.server.observer.timeEach;
        const stat = this.prepare(ctx, cmd, !alone);
        const stats = this.server.stats;
        this.errorMark = stats.totalErrorReplies;
        const start = alone ? this.startAlone() : 0;
        if (!cmd.fast(ctx, raw)) cmd.handler!(ctx, parser.args());
        if (alone) this.endAlone(ctx, cmd, stat, start, null, raw, name);
        if (stats.totalErrorReplies > this.errorMark) stat.failedCalls++;
        this.errorMark = stats.totalErrorReplies;
        if (this.server.blocking.pending) this.server.blocking.handleReadyKeys();
        return;
      }
      // Inside MULTI, a plain client's fast-path command is queued as bytes, for EXEC to run by its fast path.
      if (cmd !== undefined && cmd.fast !== null && ctx.client.flags === CLIENT_MULTI && ctx.client.authenticated &&
          !(this.gates[cmd.index]! & (GATE_NO_MULTI | GATE_RUNS_IN_MULTI | GATE_PROTECTED)) && arityFits(cmd.arity, parser.raw.argc)) {
        this.queueRaw(ctx, cmd, parser.raw, parser.name);
        return;
      }
    }
    // A request in bytes had its command found above: not looked up again.
    this.dispatch(ctx, parser.args(), kind === REQUEST_RAW ? this.lastCommand : undefined);
  }

  /**
   * The command a raw request names. The parser hands back the same string
   * for a name it saw lately, so the last four names resolved are found by
   * identity, without the Map (pipelines repeat one name; MULTI/SET/EXEC and
   * GET/SET mixes alternate between a few).
   */
  private resolveName(name: string): LoadedCommand | undefined {
    const names = this.recentNames;
    for (let i = 0; i < 4; i++) if (names[i] === name) return this.recentCommands[i];
    const cmd = this.table.lookup(name);
    const at = this.recentNext;
    names[at] = name;
    this.recentCommands[at] = cmd;
    this.recentNext = (at + 1) & 3;
    return cmd;
  }

  /**
   * Runs one request from a client, as Redis's processCommand: resolve the
   * command, check that this client may run it now (authentication, its
   * state: MULTI, subscribed), then queue it (inside MULTI) or call it.
   * `found`: the command argv[0] names, when the caller has looked it up.
   */
  dispatch(ctx: CommandContext, argv: Arg[], found: LoadedCommand | undefined = undefined): void {
    const client = ctx.client;
    if (client.flags & CLIENT_REPLY_SKIP_NEXT) {
      // CLIENT REPLY SKIP ran before: this command's replies are dropped
      // (Redis's resetClient turns SKIP_NEXT into SKIP for one command).
      client.flags = (client.flags & ~CLIENT_REPLY_SKIP_NEXT) | CLIENT_REPLY_SKIP;
      ctx.reply.mute(true);
      this.admit(ctx, argv, found);
      client.flags &= ~CLIENT_REPLY_SKIP;
      // Postponed by a pause, it has not run: it is still the one to skip when it does.
      if (client.flags & CLIENT_BLOCKED) client.flags |= CLIENT_REPLY_SKIP_NEXT;
      if (!(client.flags & CLIENT_REPLY_OFF)) ctx.reply.mute(false);
      return;
    }
    this.admit(ctx, argv, found);
  }

  /** dispatch's body: resolve, admit, then queue or call. */
  private admit(ctx: CommandContext, argv: Arg[], found: LoadedCommand | undefined): void {
    const cmd = this.resolveCommandOrReply(ctx, argv, found);
    if (cmd === null) return;
    const client = ctx.client;
    const gate = this.gates[cmd.index]!;
    if (gate & GATE_PROTECTED) {
      const option = (cmd.parent ?? cmd).spec.protectedBy!;
      if (!protectedActionAllowed(ctx, option)) {
        this.reject(ctx, cmd, protectedCommandError(cmd.fullName.split('|')[0]!.toUpperCase(), option));
        return;
      }
    }
    if (!client.authenticated && !this.authenticate(ctx, cmd)) return;
    const flags = client.flags;
    if (flags !== 0) {
      if (flags & CLIENT_MULTI && gate & GATE_NO_MULTI) {
        this.reject(ctx, cmd, NOT_IN_MULTI);
        return;
      }
      if (flags & CLIENT_PUBSUB && client.resp === 2 && !(gate & GATE_SUBSCRIBED_OK)) {
        this.reject(ctx, cmd, pubsubContextError(cmd.fullName));
        return;
      }
      if (flags & CLIENT_MONITOR && gate & GATE_KEYSPACE) {
        this.reject(ctx, cmd, REPLICA_KEYSPACE);
        return;
      }
      if (flags & CLIENT_SLOW_PATH) {
        // CLIENT PAUSE (processCommand): the command waits, not yet run, until the pause ends.
        const tx = client.tx;
        const mayReplicate = (gate & GATE_MAY_REPLICATE) !== 0 || ((gate & GATE_EXEC) !== 0 && tx !== null && tx.queuedMayReplicate);
        if (this.server.control.shouldPostpone(mayReplicate)) {
          // Redis has looked the command up by now: CLIENT LIST shows it as `cmd`.
          client.lastCommand = cmd.fullName;
          this.server.blocking.postpone(client, argv);
          return;
        }
      }
      if (flags & CLIENT_MULTI && !(gate & GATE_RUNS_IN_MULTI)) {
        this.queue(ctx, cmd, argv, gate);
        return;
      }
    }
    this.call(ctx, cmd, argv);
  }

  /**
   * Runs a command that has been resolved and admitted (Redis's call()):
   * time snapshot, database, counters, timing, failed-call accounting. EXEC
   * runs its queued commands through here.
   */
  call(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[]): void {
    if (this.depth > 0) {
      this.callNested(ctx, cmd, argv);
      return;
    }
    const quick = cmd.isFast && !this.server.observer.timeEach;
    const stat = this.prepare(ctx, cmd, quick);
    const stats = this.server.stats;
    this.errorMark = stats.totalErrorReplies;
    // Client-side caching (tracking.ts): while some client tracks, it sees
    // each command start and end (current client, keys read, own invalidations after the reply).
    const tracking = this.server.tracking;
    const tracked = tracking.active;
    if (tracked) tracking.enter(ctx.client, false);
    const propagating = this.propagation.active;
    const dirty = propagating ? this.startPropagated() : 0;
    if (quick) {
      cmd.handler!(ctx, argv);
    } else {
      const start = this.startAlone();
      this.nestedMark = start;
      this.depth++;
      try {
        cmd.handler!(ctx, argv);
      } finally {
        this.depth--;
      }
      this.endAlone(ctx, cmd, stat, start, argv, null, '');
    }
    if (propagating) this.endPropagated(ctx, cmd, argv, dirty);
    if (tracked) tracking.leave(ctx, cmd, argv, false);
    if (stats.totalErrorReplies > this.errorMark) stat.failedCalls++;
    this.errorMark = stats.totalErrorReplies;
    const server = this.server;
    // MONITOR sees the command after its reply, with the database it left selected (Redis's call()).
    if (server.control.monitors.size > 0 && !(this.gates[cmd.index]! & GATE_SKIP_MONITOR)) server.control.feed(ctx.client, ctx.client.dbIndex, cmd, argv);
    if (server.blocking.pending) server.blocking.handleReadyKeys();
  }

  /**
   * A call inside another (EXEC's queued commands): it keeps the outer
   * command's time snapshot (Redis fixes the time for a whole transaction)
   * and is timed from the end of the previous nested call (or its parent's
   * start) to its own end: one clock read per call.
   */
  private callNested(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[]): void {
    const server = this.server;
    const stat = this.startNested(ctx, cmd);
    const tracking = server.tracking;
    const tracked = tracking.active;
    if (tracked) tracking.enter(ctx.client, true);
    const propagating = this.propagation.active;
    const dirty = propagating ? this.startPropagated() : 0;
    this.depth++;
    try {
      cmd.handler!(ctx, argv);
    } finally {
      this.depth--;
    }
    if (propagating) this.endPropagated(ctx, cmd, argv, dirty);
    if (tracked) tracking.leave(ctx, cmd, argv, true);
    if (server.control.monitors.size > 0 && !(this.gates[cmd.index]! & GATE_SKIP_MONITOR)) server.control.feed(ctx.client, ctx.client.dbIndex, cmd, argv);
    server.observer.observe(cmd, this.endNested(stat), ctx, argv, null, '');
    this.countFailure(stat);
  }

  /** What every nested call starts with: the client's database, the call counters, the error mark. Returns the command's stats. */
  private startNested(ctx: CommandContext, cmd: LoadedCommand): CommandStat {
    const server = this.server;
    ctx.db = server.dbs[ctx.client.dbIndex]!;
    server.stats.totalCommandsProcessed++;
    const stat = this.statOf(cmd);
    stat.calls++;
    this.errorMark = server.stats.totalErrorReplies;
    return stat;
  }

  /** A nested call's microseconds, from the end of the one before it (one clock read), added to its stats. */
  private endNested(stat: CommandStat): number {
    const end = performance.now();
    const usec = (end - this.nestedMark) * 1000;
    stat.usec += usec;
    this.nestedMark = end;
    return usec;
  }

  /** A call that replied with an error since the mark failed (Redis's prev_err_count rule). */
  private countFailure(stat: CommandStat): void {
    const errors = this.server.stats.totalErrorReplies;
    if (errors > this.errorMark) stat.failedCalls++;
    this.errorMark = errors;
  }


  /** A call starts while the propagation stream is read: returns the dirty counter before it. */
  private startPropagated(): number {
    this.propagation.callStarted();
    return this.server.signals.dirty;
  }

  /** The call is over: the stream takes it if it changed something (propagation.ts). */
  private endPropagated(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[], dirtyBefore: number): void {
    this.propagation.callEnded(ctx.db.id, argv, this.server.signals.dirty - dirtyBefore, (this.gates[cmd.index]! & GATE_EXEC) !== 0);
  }

  /** Queues a command inside MULTI (Redis's queueMultiCommand): +QUEUED, nothing kept once the transaction is doomed. */
  private queue(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[], gate: number): void {
    const client = ctx.client;
    const tx = client.tx!;
    client.lastInteraction = this.snapshot(true);
    client.lastCommand = cmd.fullName;
    if (!tx.dirtyCas && !tx.dirtyExec) {
      tx.queue.push({ cmd, argv, rawAt: 0, argc: argv.length });
      if (cmd.isWrite) tx.queuedWrite = true;
      if (gate & GATE_MAY_REPLICATE) tx.queuedMayReplicate = true;
    }
    ctx.reply.queued();
  }

  /**
   * queue() for a request still in bytes: its arguments are copied into the
   * transaction's byte queue, argument 0 from `name` (the parser keeps the
   * name apart from the raw offsets).
   */
  private queueRaw(ctx: CommandContext, cmd: LoadedCommand, raw: RawRequest, name: string): void {
    const client = ctx.client;
    const tx = client.tx!;
    client.lastInteraction = this.snapshot(true);
    client.lastCommand = cmd.fullName;
    if (!tx.dirtyCas && !tx.dirtyExec) {
      const argc = raw.argc;
      let bytes = name.length;
      for (let i = 1; i < argc; i++) bytes += raw.len[i]!;
      if (tx.rawBytesUsed + bytes > tx.rawBytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(RAW_QUEUE_INITIAL, 2 * (tx.rawBytesUsed + bytes)));
        tx.rawBytes.copy(grown, 0, 0, tx.rawBytesUsed);
        tx.rawBytes = grown;
      }
      if (2 * (tx.rawArgs + argc) > tx.rawSpans.length) {
        const grown = new Int32Array(Math.max(64, 4 * (tx.rawArgs + argc)));
        grown.set(tx.rawSpans.subarray(0, 2 * tx.rawArgs));
        tx.rawSpans = grown;
      }
      const dst = tx.rawBytes;
      const spans = tx.rawSpans;
      const src = raw.buf;
      const at = tx.rawArgs;
      let pos = tx.rawBytesUsed;
      spans[2 * at] = pos;
      spans[2 * at + 1] = name.length;
      pos += dst.latin1Write(name, pos);
      for (let i = 1; i < argc; i++) {
        const from = raw.start[i]!;
        const len = raw.len[i]!;
        if (len <= COPY_LOOP_MAX) for (let j = 0; j < len; j++) dst[pos + j] = src[from + j]!;
        else src.copy(dst, pos, from, from + len);
        spans[2 * (at + i)] = pos;
        spans[2 * (at + i) + 1] = len;
        pos += len;
      }
      tx.rawBytesUsed = pos;
      tx.rawArgs = at + argc;
      tx.queue.push({ cmd, argv: null, rawAt: at, argc });
      if (cmd.isWrite) tx.queuedWrite = true;
      if (this.gates[cmd.index]! & GATE_MAY_REPLICATE) tx.queuedMayReplicate = true;
    }
    ctx.reply.queued();
  }

  /**
   * EXEC runs one queued command. One queued as bytes takes its fast path
   * when nothing needs its arguments as strings (no tracking, propagation
   * reader, monitor or per-command timing); otherwise, and for one queued
   * as strings, it is an ordinary nested call.
   */
  callQueued(ctx: CommandContext, q: QueuedCommand, tx: Transaction): void {
    if (q.argv !== null) {
      this.call(ctx, q.cmd, q.argv);
      return;
    }
    const raw = this.queuedRaw;
    if (raw.start.length < q.argc) {
      raw.start = new Int32Array(q.argc);
      raw.len = new Int32Array(q.argc);
    }
    const spans = tx.rawSpans;
    for (let i = 0; i < q.argc; i++) {
      raw.start[i] = spans[2 * (q.rawAt + i)]!;
      raw.len[i] = spans[2 * (q.rawAt + i) + 1]!;
    }
    raw.buf = tx.rawBytes;
    raw.argc = q.argc;
    const server = this.server;
    if (this.depth > 0 && (ctx.client.flags & ~CLIENT_MULTI) === 0 && !this.propagation.active && !server.tracking.active &&
        server.control.monitors.size === 0 && !server.observer.timeEach) {
      this.callNestedFast(ctx, q.cmd, raw);
    } else {
      this.call(ctx, q.cmd, argsOfRaw(raw));
    }
  }

  /** callNested() by the command's fast path (callQueued has checked that nothing else needs to see the call). */
  private callNestedFast(ctx: CommandContext, cmd: LoadedCommand, raw: RawRequest): void {
    const stat = this.startNested(ctx, cmd);
    this.depth++;
    try {
      if (!cmd.fast!(ctx, raw)) cmd.handler!(ctx, argsOfRaw(raw));
    } finally {
      this.depth--;
    }
    const usec = this.endNested(stat);
    const observer = this.server.observer;
    // The slow log names the command as sent: made only for a call slow enough to be logged.
    const name = observer.slowlogSlowerThan >= 0 && usec >= observer.slowlogSlowerThan ? raw.buf.latin1Slice(raw.start[0]!, raw.start[0]! + raw.len[0]!) : '';
    observer.observe(cmd, usec, ctx, null, raw, name);
    this.countFailure(stat);
  }

  /** Finds the command (or subcommand) to run, or replies with the error and returns null. */
  resolveCommandOrReply(ctx: CommandContext, argv: Arg[], found: LoadedCommand | undefined = undefined): LoadedCommand | null {
    const name = argv[0]!;
    let cmd = found ?? (typeof name === 'string' ? this.table.lookup(name) : undefined);
    if (cmd === undefined) {
      const args: string[] = [];
      for (let i = 1; i < argv.length; i++) args.push(argString(argv[i]!));
      flagTransaction(ctx);
      ctx.reply.error(unknownCommand(argString(name), args));
      return null;
    }
    // A container named alone is checked as a command of its own: CLIENT
    // (arity -2) fails its arity check, bare COMMAND (arity -1) runs.
    if (cmd.subcommands !== null && argv.length > 1) {
      const subName = argString(argv[1]!);
      const sub = cmd.subcommands.get(subName.toLowerCase());
      if (sub === undefined) {
        flagTransaction(ctx);
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

  /**
   * Refuses a known command before it runs (Redis's rejectCommand): the
   * error, its rejected_calls, and a transaction being queued is doomed.
   */
  private reject(ctx: CommandContext, cmd: LoadedCommand, error: string): void {
    flagTransaction(ctx);
    ctx.reply.error(error);
    this.statOf(cmd).rejectedCalls++;
    this.errorMark = this.server.stats.totalErrorReplies;
  }

  /**
   * A client that has not authenticated while a password is set may run
   * only no_auth commands (processCommand's authRequired); false: NOAUTH
   * was replied. A password cleared at run time lets such a client in, as
   * in Redis.
   */
  private authenticate(ctx: CommandContext, cmd: LoadedCommand): boolean {
    if (cmd.spec.flags.includes('no_auth')) return true;
    if (this.server.config.get('requirepass') !== '') {
      this.reject(ctx, cmd, NOAUTH);
      return false;
    }
    ctx.client.authenticated = true;
    return true;
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
   * What every call goes through once admitted: the time snapshot
   * (`quick`: the next command may share it, and it joins the open run of
   * quick commands for timing), the client's database, and the call
   * counters. Returns the command's stats.
   */
  private prepare(ctx: CommandContext, cmd: LoadedCommand, quick: boolean): CommandStat {
    const server = this.server;
    const client = ctx.client;
    ctx.now = this.snapshot(quick);
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

  /** The time snapshot for the next command (see TIME_SHARE_MAX); `quick`: the one after may share it. */
  private snapshot(quick: boolean): number {
    if (this.sharedUses >= TIME_SHARE_MAX) {
      this.sharedNow = this.server.clock.now();
      this.sharedUses = 0;
    }
    this.sharedUses = quick ? this.sharedUses + 1 : TIME_SHARE_MAX;
    return this.sharedNow;
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

/** Bytes a transaction's byte queue starts with. */
const RAW_QUEUE_INITIAL = 512;
/** Arguments up to this long are copied by a loop: a native copy costs more below it. */
const COPY_LOOP_MAX = 32;

/** A queued request's arguments as strings (Buffers past STRING_ARG_MAX), as the parser's args() makes them. */
function argsOfRaw(raw: RawRequest): Arg[] {
  const argv = new Array<Arg>(raw.argc);
  for (let i = 0; i < raw.argc; i++) {
    const from = raw.start[i]!;
    const len = raw.len[i]!;
    argv[i] = len <= STRING_ARG_MAX ? raw.buf.latin1Slice(from, from + len) : Buffer.from(raw.buf.subarray(from, from + len));
  }
  return argv;
}

/** A command refused while queuing dooms the transaction (Redis's flagTransaction). */
function flagTransaction(ctx: CommandContext): void {
  const tx = ctx.client.tx;
  if (tx !== null && ctx.client.flags & CLIENT_MULTI) tx.dirtyExec = true;
}

