/**
 * Blocked clients (Redis's blocked.c and the timeout table of timeout.c):
 * clients whose command cannot finish yet and whose input waits meanwhile.
 * Two kinds share the one mechanism:
 *
 * - A client blocked on keys (BLPOP and friends, once the data types exist):
 *   it waits on one or more keys of one database, until a deadline or for
 *   ever, with callbacks for "a key you wait on was written" and "your time
 *   is up". Any command can block its client through `block()`.
 * - A client postponed by CLIENT PAUSE (Redis's BLOCKED_POSTPONE): its
 *   command has not run; it is kept as argv and runs, through the call path
 *   again, when the pause ends (and may then be postponed again).
 *
 * While a client is blocked its CLIENT_BLOCKED bit is set, and its
 * connection reads but runs nothing; `ClientState.resume` runs what waited
 * once it is unblocked, from one setImmediate per server for all clients
 * unblocked in a turn (Redis's processUnblockedClients in beforeSleep).
 *
 * Keys become ready through the keyspace signals: while some client waits
 * on a key, the registry's hook on KeyspaceSignals.modified notes every
 * written key that has waiters, and the dispatcher runs `handleReadyKeys`
 * after each top-level command (and after EXEC as a whole, whose commands
 * run nested), as Redis's handleClientsBlockedOnKeys after call(). A
 * handler that serves a client may write keys itself (BLMOVE); those are
 * served in the same pass.
 *
 * Deadlines live in one binary min-heap and one timer for the server, set
 * for the earliest deadline (or the alarm another part asked for, the end
 * of a CLIENT PAUSE): no timer per client.
 *
 * One registry per server (ServerState.blocking); nothing is module-level.
 */
import type { Database } from '../keyspace/keyspace.js';
import type { Arg } from '../protocol/resp-parser.js';
import type { KeyspaceSignals } from './signals.js';
import { CLIENT_BLOCKED, type ClientState } from './state.js';
import type { CommandContext } from './table.js';

/** What a command that blocks its client on keys provides. */
export interface BlockHandlers {
  /**
   * `key` (in the blocked client's database, ctx.db) was written. Serve
   * the client when it can be (write its reply to ctx.reply, through the
   * call path for any change) and return true; return false to keep
   * waiting. Runs outside any command of the blocked client.
   */
  onKeyReady(ctx: CommandContext, key: string): boolean;
  /** The deadline passed, or CLIENT UNBLOCK … TIMEOUT: reply as timed out (Redis's replyToBlockedClientTimedOut). */
  onTimeout(ctx: CommandContext): void;
}

/** How a blocked client's context is found (the connection's own; the server provides it). */
export type ContextOf = (client: ClientState) => CommandContext;

/** One blocked client: what it waits on and until when. */
export class BlockedClient {
  /** Its place in the deadline heap; -1 when it has no deadline. */
  heapIndex = -1;
  constructor(
    readonly client: ClientState,
    /** Database index of its keys. */
    readonly db: number,
    readonly keys: readonly string[],
    /** ms since the epoch; 0: no deadline. */
    readonly deadline: number,
    /** null for a postponed client. */
    readonly handlers: BlockHandlers | null,
    /** The postponed command, copied out of the read buffer; null when blocked on keys. */
    readonly postponed: Arg[] | null,
  ) {}
}

/** Copies a command's arguments out of the read buffer they may be views of. */
export function ownArgv(argv: Arg[]): Arg[] {
  const out: Arg[] = new Array(argv.length);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    out[i] = typeof a === 'string' ? a : Buffer.from(a);
  }
  return out;
}

/** The Node timer's longest delay (2^31-1 ms); a later deadline is re-armed when it fires. */
const TIMER_MAX_MS = 2147483647;

export class BlockingRegistry {
  private readonly byClient = new Map<ClientState, BlockedClient>();
  /** Waiters by database index, then key, in the order they blocked (Redis's db->blocking_keys). */
  private readonly byKey = new Map<number, Map<string, BlockedClient[]>>();
  /** (db, key) pairs with waiters (Redis 7.2's total_blocking_keys). */
  private blockingKeys = 0;
  private readonly heap: BlockedClient[] = [];
  /** Postponed clients in the order they were postponed (Redis's server.postponed_clients). */
  private readonly postponedList: BlockedClient[] = [];
  /** Keys written since the last pass that have waiters (Redis's server.ready_keys), deduplicated. */
  private ready: { db: Database; key: string }[] = [];
  private readonly readySeen = new Map<number, Set<string>>();
  /** Ready keys are waiting: the dispatcher runs handleReadyKeys after the command. */
  pending = false;
  private serving = false;
  /** Clients unblocked this turn and what each resumes with. */
  private resumeQueue: { client: ClientState; argv: Arg[] | null }[] = [];
  private resumeScheduled = false;
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  /** A time another part wants to be woken at (the end of a CLIENT PAUSE), and what to call. */
  private alarmAt = Infinity;
  private onAlarm: (() => void) | null = null;
  private readonly hook = (db: Database, key: string): void => this.signalKeyAsReady(db, key);

  constructor(
    private readonly signals: KeyspaceSignals,
    private readonly dbs: () => readonly Database[],
    private readonly now: () => number,
    private readonly contextOf: ContextOf,
  ) {}

  /** Clients blocked, postponed ones included (INFO blocked_clients, as Redis 7.0 counts them). */
  get blockedClients(): number {
    return this.byClient.size;
  }

  /** Blocked clients with a deadline (INFO clients_in_timeout_table). */
  get clientsWithTimeout(): number {
    return this.heap.length;
  }

  /** (db, key) pairs some client waits on. */
  get totalBlockingKeys(): number {
    return this.blockingKeys;
  }

  /** Whether `client` is blocked (on keys or postponed). */
  isBlocked(client: ClientState): boolean {
    return this.byClient.has(client);
  }

  /** What `client` is blocked on, or undefined. */
  blockedOf(client: ClientState): BlockedClient | undefined {
    return this.byClient.get(client);
  }

  /**
   * Blocks the client running a command on `keys` of database `db` until
   * one is ready and its handler serves it, or until `deadline` (ms since
   * the epoch, 0: none). The command has replied nothing; its input waits.
   */
  block(client: ClientState, db: number, keys: readonly string[], deadline: number, handlers: BlockHandlers): void {
    const bc = new BlockedClient(client, db, keys, deadline, handlers, null);
    this.enter(bc);
    let byKey = this.byKey.get(db);
    if (byKey === undefined) {
      byKey = new Map();
      this.byKey.set(db, byKey);
    }
    for (const key of keys) {
      let list = byKey.get(key);
      if (list === undefined) {
        list = [];
        byKey.set(key, list);
        if (this.blockingKeys++ === 0) this.signals.setBlocking(this.hook);
      }
      if (!list.includes(bc)) list.push(bc);
    }
    if (deadline > 0) {
      this.heapPush(bc);
      this.arm();
    }
  }

  /** Postpones the command the client sent (CLIENT PAUSE): it runs when the client is unblocked. */
  postpone(client: ClientState, argv: Arg[]): void {
    const bc = new BlockedClient(client, client.dbIndex, [], 0, null, ownArgv(argv));
    this.enter(bc);
    this.postponedList.push(bc);
  }

  private enter(bc: BlockedClient): void {
    if (this.byClient.has(bc.client)) throw new Error(`client ${bc.client.id} is already blocked`);
    this.byClient.set(bc.client, bc);
    bc.client.flags |= CLIENT_BLOCKED;
  }

  /** Unblocks every postponed client: each reruns its command (Redis's unblockPostponedClients). */
  unblockPostponed(): void {
    for (const bc of [...this.postponedList]) this.unblock(bc, true);
  }

  /**
   * CLIENT UNBLOCK: a client blocked on keys is answered as timed out or
   * with `error`, and resumes; false when it is not blocked on keys (a
   * postponed client is left alone: Redis 7.0.15 would abort on one).
   */
  unblockWith(client: ClientState, error: string | null): boolean {
    const bc = this.byClient.get(client);
    if (bc === undefined || bc.handlers === null) return false;
    const ctx = this.contextFor(bc);
    if (error !== null) ctx.reply.error(error);
    else bc.handlers.onTimeout(ctx);
    ctx.reply.flush();
    this.unblock(bc, true);
    return true;
  }

  /** A client closed: it leaves the registry without any reply. */
  remove(client: ClientState): void {
    const bc = this.byClient.get(client);
    if (bc !== undefined) this.unblock(bc, false);
  }

  /**
   * Takes `bc` out of every structure and clears CLIENT_BLOCKED; `resume`:
   * queue the client to run what waited (its postponed command, its input).
   */
  private unblock(bc: BlockedClient, resume: boolean): void {
    const client = bc.client;
    if (this.byClient.get(client) !== bc) return;
    this.byClient.delete(client);
    client.flags &= ~CLIENT_BLOCKED;
    if (bc.postponed !== null) {
      const i = this.postponedList.indexOf(bc);
      if (i !== -1) this.postponedList.splice(i, 1);
    }
    if (bc.keys.length > 0) {
      const byKey = this.byKey.get(bc.db)!;
      for (const key of bc.keys) {
        const list = byKey.get(key);
        if (list === undefined) continue;
        const i = list.indexOf(bc);
        if (i !== -1) list.splice(i, 1);
        if (list.length === 0) {
          byKey.delete(key);
          if (--this.blockingKeys === 0) this.signals.setBlocking(null);
        }
      }
      if (byKey.size === 0) this.byKey.delete(bc.db);
    }
    if (bc.heapIndex >= 0) this.heapRemove(bc);
    if (resume) {
      this.resumeQueue.push({ client, argv: bc.postponed });
      if (!this.resumeScheduled) {
        this.resumeScheduled = true;
        setImmediate(() => this.runResumes());
      }
    }
  }

  /** Runs the clients unblocked since the last turn, in the order they were unblocked. */
  private runResumes(): void {
    this.resumeScheduled = false;
    const queue = this.resumeQueue;
    this.resumeQueue = [];
    for (const { client, argv } of queue) client.resume(argv);
  }

  // ---- ready keys -----------------------------------------------------------

  /** The signals hook: a written key with waiters is noted (Redis's signalKeyAsReady). */
  signalKeyAsReady(db: Database, key: string): void {
    const waiters = this.byKey.get(db.id);
    if (waiters === undefined || !waiters.has(key)) return;
    let seen = this.readySeen.get(db.id);
    if (seen === undefined) {
      seen = new Set();
      this.readySeen.set(db.id, seen);
    }
    if (seen.has(key)) return;
    seen.add(key);
    this.ready.push({ db, key });
    this.pending = true;
  }

  /**
   * Every key some client waits on in database `dbIndex` that holds a live
   * value is ready (SWAPDB brought in other contents; Redis's
   * scanDatabaseForReadyKeys). The handlers still decide whether it serves.
   */
  scanDatabaseForReadyKeys(dbIndex: number, now: number): void {
    const waiters = this.byKey.get(dbIndex);
    if (waiters === undefined) return;
    const db = this.dbs()[dbIndex]!;
    for (const key of waiters.keys()) if (db.has(key, now)) this.signalKeyAsReady(db, key);
  }

  /**
   * Serves clients blocked on the keys written since the last pass, each
   * key's waiters in the order they blocked (Redis's
   * handleClientsBlockedOnKeys); keys written while serving are served in
   * the same pass.
   */
  handleReadyKeys(): void {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.ready.length > 0) {
        const batch = this.ready;
        this.ready = [];
        this.readySeen.clear();
        for (const { db, key } of batch) {
          const list = this.byKey.get(db.id)?.get(key);
          if (list === undefined) continue;
          for (const bc of [...list]) {
            if (this.byClient.get(bc.client) !== bc) continue;
            const ctx = this.contextFor(bc);
            // A database swapped since the client blocked is not the one written.
            if (ctx.db !== db) continue;
            if (!bc.handlers!.onKeyReady(ctx, key)) continue;
            ctx.reply.flush();
            this.unblock(bc, true);
          }
        }
      }
    } finally {
      this.pending = false;
      this.serving = false;
    }
  }

  private contextFor(bc: BlockedClient): CommandContext {
    const ctx = this.contextOf(bc.client);
    ctx.db = this.dbs()[bc.db]!;
    ctx.now = this.now();
    return ctx;
  }

  // ---- deadlines ------------------------------------------------------------

  /** Asks to be woken at `at` (ms since the epoch; Infinity: never) with `fn`; one alarm at a time. */
  setAlarm(at: number, fn: (() => void) | null): void {
    this.alarmAt = at;
    this.onAlarm = fn;
    this.arm();
  }

  /**
   * Answers every client whose deadline is `now` or earlier as timed out,
   * and rings the alarm when due (the timer calls this; tests may too).
   */
  checkTimeouts(now: number): void {
    const heap = this.heap;
    while (heap.length > 0 && heap[0]!.deadline <= now) {
      const bc = heap[0]!;
      this.heapRemove(bc);
      const ctx = this.contextFor(bc);
      bc.handlers!.onTimeout(ctx);
      ctx.reply.flush();
      this.unblock(bc, true);
    }
    if (this.alarmAt <= now) {
      const fn = this.onAlarm;
      this.alarmAt = Infinity;
      this.onAlarm = null;
      fn?.();
    }
    this.arm();
  }

  /** Sets the one timer for the earliest of the next deadline and the alarm. */
  private arm(): void {
    const next = Math.min(this.heap.length > 0 ? this.heap[0]!.deadline : Infinity, this.alarmAt);
    if (next === this.timerAt && this.timer !== null) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = next;
    if (next === Infinity) return;
    const delay = Math.min(TIMER_MAX_MS, Math.max(0, next - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.checkTimeouts(this.now());
    }, delay);
    this.timer.unref();
  }

  /** Stops the timer (server close). */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  // A binary min-heap on deadline; each entry knows its index, so removal is O(log n).

  private heapPush(bc: BlockedClient): void {
    bc.heapIndex = this.heap.length;
    this.heap.push(bc);
    this.siftUp(bc.heapIndex);
  }

  private heapRemove(bc: BlockedClient): void {
    const heap = this.heap;
    const i = bc.heapIndex;
    const last = heap.pop()!;
    bc.heapIndex = -1;
    if (last === bc) return;
    heap[i] = last;
    last.heapIndex = i;
    this.siftUp(i);
    this.siftDown(last.heapIndex);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.deadline <= item.deadline) break;
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = item;
    item.heapIndex = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const item = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && heap[child + 1]!.deadline < heap[child]!.deadline) child++;
      const c = heap[child]!;
      if (c.deadline >= item.deadline) break;
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = item;
    item.heapIndex = i;
  }
}
