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
import type { CommandObserver } from './observer.js';
import type { CommandTable } from './table.js';

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

/** One client as CLIENT LIST/INFO and the handlers see it. */
export interface ClientState {
  readonly id: number;
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

export interface ServerState {
  readonly config: ConfigAccess;
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
