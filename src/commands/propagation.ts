/**
 * The propagation stream: every change to the data, as the commands Redis
 * would hand to its AOF and its replicas (Redis's alsoPropagate and
 * propagatePendingCommands). It is the seam persistence and replication will
 * read; today only tests and the embedding API's `server.propagation`
 * subscribe to it.
 *
 * What goes in, as in Redis 7.0.15:
 * - a command that changed something (the dirty counter moved during its
 *   call), with its arguments as the client sent them, unless its handler
 *   rewrote them (`rewrite`): relative expiries become absolute (SET … EX →
 *   SET … PXAT, EXPIRE → PEXPIREAT, GETEX EX → PEXPIREAT), INCRBYFLOAT
 *   becomes SET … KEEPTTL, GETDEL becomes DEL, GETSET becomes SET, an expiry
 *   already past becomes DEL;
 * - a key deleted because its time passed, as DEL (lazily, inside the
 *   command that found it, or on its own from active expiry);
 * - PUBLISH and SPUBLISH, for replicas only (`TARGET_REPL`);
 * - never EXEC itself: the commands it ran go in one by one.
 *
 * What comes out: one execution unit at a time (a command from a client
 * with whatever it caused, an EXEC, one expired key), when the outermost
 * call ends. A unit of more than one command is wrapped in MULTI … EXEC, as
 * Redis wraps it, so a reader applies it atomically. Each command carries
 * its database; a reader emits SELECT when it changes, as Redis's AOF and
 * replication do.
 *
 * Cost when nobody subscribes: the dispatcher tests `active` once per call,
 * and the fast paths stay on (they are turned off while `active`).
 */
import type { Arg } from '../protocol/resp-parser.js';

/** The AOF reads this command. */
export const TARGET_AOF = 1;
/** Replicas read this command. */
export const TARGET_REPL = 2;
export const TARGET_ALL = TARGET_AOF | TARGET_REPL;

export interface PropagatedCommand {
  /** The database it applies to. */
  db: number;
  argv: Arg[];
  /** TARGET_AOF, TARGET_REPL or both. */
  targets: number;
}

/** A reader of the stream: called once per execution unit, MULTI … EXEC included when there is more than one command. */
export type PropagationConsumer = (unit: readonly PropagatedCommand[]) => void;

export class PropagationStream {
  /** Whether anyone reads the stream; nothing is collected otherwise. */
  active = false;
  private readonly consumers: PropagationConsumer[] = [];
  /** The execution unit being collected. */
  private pending: PropagatedCommand[] = [];
  /** Calls in progress (a command inside EXEC is at depth 2). */
  private depth = 0;
  /** The running call's rewritten arguments (rewrite); null: as sent. */
  private override: Arg[] | null = null;
  /** Targets the running call goes to even when it changed nothing (force). */
  private forced = 0;
  /** The enclosing calls' overrides and forced targets, innermost last. */
  private readonly savedOverrides: (Arg[] | null)[] = [];
  private readonly savedForced: number[] = [];

  /** Adds a reader; returns the function that removes it. */
  subscribe(consumer: PropagationConsumer): () => void {
    this.consumers.push(consumer);
    this.active = true;
    return () => {
      const i = this.consumers.indexOf(consumer);
      if (i >= 0) this.consumers.splice(i, 1);
      this.active = this.consumers.length > 0;
      if (!this.active) this.pending = [];
    };
  }

  /**
   * A handler asks for its command to go in as `argv` instead of what the
   * client sent (Redis's rewriteClientCommandVector). Callers test `active`
   * first, so nothing is built for nobody.
   */
  rewrite(argv: Arg[]): void {
    this.override = argv;
  }

  /** The running command goes in to `targets` whether or not it changed anything (Redis's forceCommandPropagation). */
  force(targets: number): void {
    this.forced |= targets;
  }

  /** A command's call starts (the dispatcher, only while `active`). */
  callStarted(): void {
    this.depth++;
    this.savedOverrides.push(this.override);
    this.savedForced.push(this.forced);
    this.override = null;
    this.forced = 0;
  }

  /**
   * The call ends: it goes in when it changed something (`dirty` > 0) or
   * forced itself, unless it is EXEC (`isExec`), whose commands went in one
   * by one. The unit is delivered when the outermost call ends.
   */
  callEnded(db: number, argv: Arg[], dirty: number, isExec: boolean): void {
    const override = this.override;
    const targets = dirty > 0 ? TARGET_ALL : this.forced;
    this.forced = this.savedForced.pop()!;
    this.override = this.savedOverrides.pop()!;
    this.depth--;
    if (!isExec && targets !== 0) this.pending.push({ db, argv: override ?? argv, targets });
    if (this.depth === 0) this.flush();
  }

  /** A key deleted because its time passed: DEL, inside the running unit or as one of its own. */
  expired(db: number, key: string): void {
    if (!this.active) return;
    this.pending.push({ db, argv: ['DEL', key], targets: TARGET_ALL });
    if (this.depth === 0) this.flush();
  }

  /** Delivers the collected unit, wrapped in MULTI … EXEC when it holds more than one command. */
  private flush(): void {
    const unit = this.pending;
    if (unit.length === 0) return;
    this.pending = [];
    const out = unit.length === 1 ? unit : [{ db: unit[0]!.db, argv: ['MULTI'], targets: TARGET_ALL }, ...unit, { db: unit[unit.length - 1]!.db, argv: ['EXEC'], targets: TARGET_ALL }];
    for (const consumer of this.consumers) consumer(out);
  }
}
