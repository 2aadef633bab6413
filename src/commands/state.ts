/**
 * The state command handlers may see: the server's (config, databases,
 * clock, statistics, clients) and one client's, as interfaces, so that
 * commands/ depends on shapes and never on the networking code behind them
 * (src/server implements them). Also the statistics records and the two
 * functions that make and update them.
 *
 * The CommandTable type comes from table.ts, which takes CommandContext's
 * state types from here: a type-only reference both ways, erased at run time.
 */
import type { Clock } from '../keyspace/clock.js';
import type { Database } from '../keyspace/keyspace.js';
import type { Arg } from '../protocol/resp-parser.js';
import type { ReplyWriter } from '../protocol/reply-writer.js';
import type { CommandObserver } from './observer.js';
import type { PropagationStream } from './propagation.js';
import type { PubSubRegistry } from './pubsub.js';
import type { KeyspaceSignals, Watcher, WatchedKey } from './signals.js';
import type { CommandContext, CommandTable, LoadedCommand } from './table.js';
import type { TrackingTable } from './tracking.js';
import type { BlockingRegistry } from './blocking.js';
import type { ClientControl } from './client-control.js';

export interface Stats {
  totalConnectionsReceived: number;
  totalCommandsProcessed: number;
  rejectedConnections: number;
  /** Keys removed because their time passed, lazily or actively (INFO expired_keys). */
  expiredKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  totalNetInputBytes: number;
  totalNetOutputBytes: number;
  totalErrorReplies: number;
  /** Error replies by errorstats name (ERR, WRONGTYPE, …), at most ERROR_STATS_MAX names (INFO errorstats). */
  errorCodes: Map<string, number>;
  /** Per command full name: calls, microseconds spent, rejected and failed calls (INFO commandstats). */
  commands: Map<string, CommandStat>;
}

export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/**
 * Distinct error names errorstats tracks (Redis's ERROR_STATS_NUMBER): a
 * script can invent error codes, and this bounds what they cost.
 */
export const ERROR_STATS_MAX = 128;

/** Counts one error reply by its errorstats name (Redis's incrementErrorCount). */
export function countErrorReply(stats: Stats, name: string): void {
  stats.totalErrorReplies++;
  const n = stats.errorCodes.get(name);
  if (n !== undefined) stats.errorCodes.set(name, n + 1);
  else if (stats.errorCodes.size < ERROR_STATS_MAX) stats.errorCodes.set(name, 1);
}

export function newStats(): Stats {
  return {
    totalConnectionsReceived: 0,
    totalCommandsProcessed: 0,
    rejectedConnections: 0,
    expiredKeys: 0,
    keyspaceHits: 0,
    keyspaceMisses: 0,
    totalNetInputBytes: 0,
    totalNetOutputBytes: 0,
    totalErrorReplies: 0,
    errorCodes: new Map(),
    commands: new Map(),
  };
}

/**
 * Client states the dispatcher checks before it runs a command, as bits of
 * ClientState.flags; 0 is the common case and lets a request take its
 * command's fast path.
 */
/** Queuing commands between MULTI and EXEC. */
export const CLIENT_MULTI = 1 << 0;
/** Subscribed to a channel, pattern or shard channel (RESP2 limits what may run). */
export const CLIENT_PUBSUB = 1 << 1;
/** Waiting (a blocking command, CLIENT PAUSE): its input waits until it is woken. */
export const CLIENT_BLOCKED = 1 << 2;
/** MONITOR: sees every command, runs no more. */
export const CLIENT_MONITOR = 1 << 3;
/** CLIENT REPLY OFF: replies are dropped (pushes still arrive, as Redis's CLIENT_PUSHING). */
export const CLIENT_REPLY_OFF = 1 << 4;
/** CLIENT REPLY SKIP ran: the next command's reply is dropped. */
export const CLIENT_REPLY_SKIP_NEXT = 1 << 5;
/** The reply of the command running now is dropped (SKIP_NEXT became this). */
export const CLIENT_REPLY_SKIP = 1 << 6;
/**
 * Set on every client while something server-wide needs each command to
 * take the full path (a CLIENT PAUSE, a MONITOR): the fast paths test only
 * `flags === 0`, so they pay nothing for these when they are off.
 */
export const CLIENT_SLOW_PATH = 1 << 7;
/** CLIENT TRACKING ON (tracking.ts): its commands go through call(), which remembers the keys it reads. */
export const CLIENT_TRACKING = 1 << 8;

/**
 * One command queued by MULTI: its arguments as strings (`argv`), or, for a
 * command with a fast path queued by a plain client, still as bytes in the
 * transaction's `rawBytes` (`argv` null; arguments `rawAt` to `rawAt + argc`
 * of `rawSpans`), so EXEC can run its fast path.
 */
export interface QueuedCommand {
  readonly cmd: LoadedCommand;
  readonly argv: Arg[] | null;
  readonly rawAt: number;
  readonly argc: number;
}

/**
 * A client's transaction state: the commands MULTI queued, whether one
 * failed to queue (EXECABORT), and the keys it watches (signals.ts).
 * Made on the client's first MULTI or WATCH.
 */
const EMPTY_RAW = Buffer.alloc(0);
const EMPTY_SPANS = new Int32Array(0);

export class Transaction implements Watcher {
  dirtyCas = false;
  /** A command was refused while queuing: EXEC answers EXECABORT (CLIENT_DIRTY_EXEC). */
  dirtyExec = false;
  readonly watching: WatchedKey[] = [];
  readonly queue: QueuedCommand[] = [];
  /** The queued requests' argument bytes, back to back (QueuedCommand with argv null). */
  rawBytes: Buffer = EMPTY_RAW;
  rawBytesUsed = 0;
  /** Each queued raw argument's start and length in rawBytes, in pairs. */
  rawSpans: Int32Array = EMPTY_SPANS;
  rawArgs = 0;
  /** Whether a queued command writes (EXEC's own flags, as Redis's mstate.cmd_flags). */
  queuedWrite = false;
  /** Whether a queued command writes or may replicate (PUBLISH, EVAL): CLIENT PAUSE WRITE holds EXEC. */
  queuedMayReplicate = false;
}

/** One client as CLIENT LIST/INFO and the handlers see it. */
export interface ClientState {
  readonly id: number;
  /** CLIENT_* bits; 0 when the client is in none of those states. */
  flags: number;
  /** Its transaction state, null before its first MULTI or WATCH. */
  tx: Transaction | null;
  /** Where this client's replies are written (its own writer). */
  readonly reply: ReplyWriter;
  /**
   * Sends bytes encoded elsewhere (a pub/sub message, an invalidation)
   * after every reply written so far, in order.
   */
  deliver(data: Buffer): void;
  /** CLIENT SETNAME / HELLO SETNAME; '' when unset. */
  name: string;
  /** Selected database index. */
  dbIndex: number;
  /** Protocol version chosen by HELLO: 2 or 3. */
  resp: 2 | 3;
  /** `ip:port` of the peer and of our end. */
  readonly addr: string;
  readonly laddr: string;
  /** ms since the epoch when connected. */
  readonly createdAt: number;
  /** ms since the epoch of the last command. */
  lastInteraction: number;
  /** Full name of the last command run ('NULL' before any), for CLIENT LIST `cmd`. */
  lastCommand: string;
  /** CLIENT SETINFO lib-name / lib-ver. */
  libName: string;
  libVer: string;
  /** Whether the client has authenticated (always true when no password is set). */
  authenticated: boolean;
  /** Close once the current reply has been sent (QUIT, protocol errors). */
  closeAfterReply: boolean;
  /** Bytes of unparsed input (CLIENT LIST qbuf). */
  queryBufferLength(): number;
  /** Bytes of reply waiting to be sent (CLIENT LIST omem). */
  outputBufferLength(): number;
  /** The file descriptor, or -1 when unknown. */
  readonly fd: number;
  /** Closes the connection (CLIENT KILL). Safe to call on the current client. */
  kill(): void;
  /** CLIENT NO-EVICT ON (flag `e`); mini-kv evicts no clients, so it is only recorded. */
  noEvict: boolean;
  /** CLIENT NO-TOUCH ON (Redis 7.2, flag `T`); mini-kv keeps no access times, so it is only recorded. */
  noTouch: boolean;
  /**
   * The client was unblocked (blocking.ts): run `argv` first when it is a
   * command that was postponed (CLIENT PAUSE), then the input that waited.
   * Called from the registry outside any command of this client.
   */
  resume(argv: Arg[] | null): void;
}

/**
 * What commands read and change of the configuration (the server's Config
 * in server/config.ts implements it). Values are strings as CONFIG GET
 * shows them; setRuntime is CONFIG SET, all or nothing, returning the error
 * text or null.
 */
export interface ConfigAccess {
  get(name: string): string;
  getInt(name: string): number;
  getBool(name: string): boolean;
  setRuntime(pairs: [string, string][]): string | null;
  /** The canonical name of an option (any case), or undefined when there is none. */
  optionName(name: string): string | undefined;
  /** Every option's name, in CONFIG GET * order. */
  optionNames(): readonly string[];
}

/** How the event loop has stalled, ms, since the last reset (INFO stats). */
export interface EventLoopStats {
  /** How late the latest tick of the window came (0 before the first tick). */
  maxStallMs: number;
  /** 99th percentile of the ticks' lateness. */
  p99Ms: number;
}

/**
 * The one call path (the server's dispatcher implements it): runs a command
 * already resolved and admitted, for EXEC now and scripts later, with the
 * accounting, signals and statistics of any other call.
 */
export interface CommandCaller {
  call(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[]): void;
  /** Runs a command EXEC took from `tx`'s queue, by its fast path when it was queued as bytes and may take it. */
  callQueued(ctx: CommandContext, q: QueuedCommand, tx: Transaction): void;
}

export interface ServerState {
  readonly config: ConfigAccess;
  /** Runs commands inside other commands (EXEC). */
  readonly caller: CommandCaller;
  /** Every change to the data is reported here (signals.ts). */
  readonly signals: KeyspaceSignals;
  /** Client-side caching: the keys tracking clients read (tracking.ts). */
  readonly tracking: TrackingTable;
  /** Clients waiting: on keys, with deadlines, or postponed by CLIENT PAUSE (blocking.ts). */
  readonly blocking: BlockingRegistry;
  /** CLIENT PAUSE state and MONITOR clients (client-control.ts). */
  readonly control: ClientControl;
  /** Channels, patterns and shard channels to their subscribers (pubsub.ts). */
  readonly pubsub: PubSubRegistry;
  /** Every change as the commands the AOF and replicas would read (propagation.ts). */
  readonly propagation: PropagationStream;
  /** Databases by index (SWAPDB swaps entries). */
  readonly dbs: Database[];
  readonly clock: Clock;
  readonly table: CommandTable;
  readonly stats: Stats;
  /** Connected clients by id. */
  readonly clients: Map<number, ClientState>;
  /** Server start time, ms since the epoch. */
  readonly startTime: number;
  /** 40 hex characters, new for every start (INFO run_id). */
  readonly runId: string;
  readonly version: string;
  /** The TCP port actually listened on (after --port 0). */
  readonly port: number;
  /** The config file given at start-up, '' when none (INFO config_file). */
  readonly configFile: string;
  /** Counts a key removed because its time passed (lazy or active). */
  noteExpired(count: number): void;
  /** The event loop's stall figures for the current window (INFO stats). */
  eventLoopStats(): EventLoopStats;
  /** Starts a new window for them (CONFIG RESETSTAT). */
  resetEventLoopStats(): void;
  /** Starts a clean shutdown (SHUTDOWN). */
  shutdown(): void;
  /** The slow log, latency monitor and latency histograms, fed by the dispatcher (observer.ts). */
  readonly observer: CommandObserver;
  /** The replication ID INFO shows as master_replid (DEBUG CHANGE-REPL-ID makes a new one). */
  replicationId: string;
  /** Whether the active expiry cycle runs (DEBUG SET-ACTIVE-EXPIRE); keys still expire lazily. */
  readonly activeExpireEnabled: boolean;
  setActiveExpire(enabled: boolean): void;
}
