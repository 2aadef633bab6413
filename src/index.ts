/**
 * The embedding API: start a real mini-kv server inside a Node process (a
 * test suite, a dev script) in milliseconds, read and write its keys without
 * a client, and control its clock.
 *
 *     import { startServer } from 'mini-kv';
 *     const srv = await startServer();            // 127.0.0.1, a free port
 *     const redis = new Redis(srv.url);
 *     srv.clock.freeze();
 *     await srv.clock.advance(60_000);            // TTLs run out, no sleeping
 *     await srv.close();
 *
 * Importing this module starts nothing: no socket, no timer. Each server is
 * independent (keyspace, clock, config, clients). Strings passed in and out
 * are UTF-8; use the *Buffer variants for arbitrary bytes.
 */
import { ConfigError, MiniKvError } from './errors.js';
import { Clock } from './keyspace/clock.js';
import { ReplyError, type ReplyValue } from './protocol/reply-reader.js';
import { optionSpec } from './server/config.js';
import { MINIKV_VERSION, MiniKvServer, VERSION } from './server/server.js';

export { ConfigError, ListenError, MiniKvError } from './errors.js';
export { ReplyError, type ReplyValue } from './protocol/reply-reader.js';
export { MiniKvServer, MINIKV_VERSION, VERSION } from './server/server.js';
export type { ServerOptions } from './server/server.js';

/** Options for startServer: any redis.conf option (kebab-case or camelCase) plus these. */
export interface StartServerOptions {
  /** TCP port; 0 (the default here) picks a free one. */
  port?: number;
  /** Address to listen on (redis.conf `bind`); default 127.0.0.1. */
  host?: string;
  /** Start with the clock frozen at this time (a Date, epoch ms, or true for now). */
  frozenClock?: Date | number | boolean;
  /**
   * Receives each log line the server writes (the ready line, start-up
   * warnings, clients closed by a limit), formatted as Redis does
   * (`pid:M dd Mon yyyy hh:mm:ss.mmm * message`, no newline) and filtered by
   * `loglevel`. Silent by default. With `logfile` set, lines go to that file
   * instead.
   */
  log?: (line: string) => void;
  /** Any other redis.conf option, e.g. requirepass, databases, hz, 'inline-replies'. */
  [option: string]: unknown;
}

/** Options for EmbeddedServer.set. */
export interface SetOptions {
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire at this Date or epoch-milliseconds time. */
  expireAt?: Date | number;
  /** Keep the key's current TTL. */
  keepTtl?: boolean;
  /** Database index (default 0). */
  db?: number;
}

function toKey(key: string | Buffer): string {
  return typeof key === 'string' ? Buffer.from(key, 'utf8').toString('latin1') : key.toString('latin1');
}


/** A server's clock as a test sees it. Every change is seen by clients at once. */
export interface ServerClock {
  /** Current server time, ms since the epoch. */
  now(): number;
  /** Whether time is stopped. */
  readonly frozen: boolean;
  /** Stops time where it stands. */
  freeze(): void;
  /** Lets time run again from where it stands. */
  unfreeze(): void;
  /** Moves time forward by `ms`; resolves once the keys this expires are gone. */
  advance(ms: number): Promise<void>;
  /** Jumps to `time`; resolves once the keys this expires are gone. */
  set(time: Date | number): Promise<void>;
}

class EmbeddedClock implements ServerClock {
  constructor(private readonly clock: Clock, private readonly server: MiniKvServer) {}
  now(): number {
    return this.clock.now();
  }
  get frozen(): boolean {
    return this.clock.frozen;
  }
  freeze(): void {
    this.clock.freeze();
  }
  unfreeze(): void {
    this.clock.unfreeze();
  }
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    this.server.activeExpire.drain();
  }
  async set(time: Date | number): Promise<void> {
    this.clock.set(time);
    this.server.activeExpire.drain();
  }
}

/** A running server, as startServer returns it. */
export class EmbeddedServer {
  /** The underlying server (config, stats, databases) for advanced use. */
  readonly server: MiniKvServer;
  readonly clock: ServerClock;

  constructor(server: MiniKvServer, clock: Clock) {
    this.server = server;
    this.clock = new EmbeddedClock(clock, server);
  }

  get port(): number {
    return this.server.port;
  }

  get host(): string {
    return this.server.host;
  }

  /** `redis://127.0.0.1:PORT`, for any Redis client. */
  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `redis://${h}:${this.port}`;
  }

  /** Closes the listener and every connection. Idempotent; leaves no handle behind. */
  close(): Promise<void> {
    return this.server.close();
  }

  /**
   * Runs any command as the server's own client, through the same call path
   * as a network client's command (statistics, WATCH, keyspace
   * notifications all see it), in database `db`. Arguments are UTF-8 text,
   * numbers or bytes. The reply comes back as a value (reply-reader.ts): bulk
   * strings as Buffers, simple strings as strings, integers as numbers,
   * arrays as arrays, maps as Maps; an error reply throws a ReplyError.
   */
  call(args: readonly (string | Buffer | number)[], db = 0): ReplyValue {
    this.checkDb(db);
    const argv = args.map((a) => (typeof a === 'number' ? String(a) : toKey(a)));
    const reply = this.server.execute(argv, db);
    if (reply instanceof ReplyError) throw reply;
    return reply;
  }

  private checkDb(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.server.dbs.length) {
      throw new MiniKvError('ERR_MINIKV_DB', `no database ${index} (databases: ${this.server.dbs.length})`);
    }
  }

  /** Removes every key of every database (FLUSHALL). */
  flushAll(): void {
    this.call(['FLUSHALL']);
  }

  /** Removes every key of one database (FLUSHDB). */
  flushDb(db = 0): void {
    this.call(['FLUSHDB'], db);
  }

  /** A string value as UTF-8 text, or null when the key is missing. Throws on a non-string key. */
  get(key: string | Buffer, db = 0): string | null {
    const b = this.getBuffer(key, db);
    return b === null ? null : b.toString('utf8');
  }

  /** A string value's bytes, or null when the key is missing (GET). */
  getBuffer(key: string | Buffer, db = 0): Buffer | null {
    this.checkDb(db);
    const reply = this.server.execute(['GET', toKey(key)], db);
    if (reply instanceof ReplyError) {
      if (reply.code === 'WRONGTYPE') {
        const type = this.server.execute(['TYPE', toKey(key)], db) as string;
        throw new MiniKvError('ERR_MINIKV_WRONGTYPE', `key holds a ${type}, not a string`);
      }
      throw reply;
    }
    return reply as Buffer | null;
  }

  /** Stores a string value (UTF-8 text or bytes), with an optional TTL (SET … PXAT | KEEPTTL). */
  set(key: string | Buffer, value: string | Buffer | number, options: SetOptions = {}): void {
    const now = this.clock.now();
    let at: number | null = null;
    if (options.px !== undefined) at = now + options.px;
    else if (options.ex !== undefined) at = now + options.ex * 1000;
    else if (options.expireAt !== undefined) at = typeof options.expireAt === 'number' ? options.expireAt : options.expireAt.getTime();
    if (at !== null && !Number.isFinite(at)) throw new RangeError('invalid expiry');
    const args: (string | Buffer | number)[] = ['SET', key, value];
    if (at !== null) {
      // SET refuses a time at or before 0; such a key is gone at once either way.
      if (at <= 0) {
        this.call(['DEL', key], options.db ?? 0);
        return;
      }
      args.push('PXAT', Math.ceil(at));
    } else if (options.keepTtl === true) {
      args.push('KEEPTTL');
    }
    this.call(args, options.db ?? 0);
  }

  /** Deletes keys of database 0; returns how many existed (DEL). */
  del(...keys: (string | Buffer)[]): number {
    if (keys.length === 0) return 0;
    return this.call(['DEL', ...keys]) as number;
  }

  /** Whether a key exists (and has not expired). */
  exists(key: string | Buffer, db = 0): boolean {
    return this.call(['EXISTS', key], db) === 1;
  }

  /** Keys matching a Redis glob pattern (default all), as UTF-8 text (KEYS). */
  keys(pattern = '*', db = 0): string[] {
    return (this.call(['KEYS', pattern], db) as Buffer[]).map((k) => k.toString('utf8'));
  }

  /** Remaining time to live in ms: -2 when the key is missing, -1 when it has no TTL (PTTL). */
  pttl(key: string | Buffer, db = 0): number {
    return this.call(['PTTL', key], db) as number;
  }

  /** Remaining time to live in seconds, rounded as TTL does: -2 missing, -1 no TTL. */
  ttl(key: string | Buffer, db = 0): number {
    return this.call(['TTL', key], db) as number;
  }

  /** Sets a TTL in ms on an existing key; false when the key is missing (PEXPIRE; 0 or less deletes it). */
  expire(key: string | Buffer, ms: number, db = 0): boolean {
    if (!Number.isFinite(ms)) throw new RangeError('invalid expiry');
    return this.call(['PEXPIRE', key, Math.trunc(ms)], db) === 1;
  }

  /** Number of keys in a database (DBSIZE). */
  dbSize(db = 0): number {
    return this.call(['DBSIZE'], db) as number;
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/**
 * Starts a server and resolves once it accepts connections. Defaults differ
 * from the binary's where a test wants them to: 127.0.0.1, a free port, no
 * log output. Rejects with ConfigError for an unknown or invalid option and
 * ListenError when the port is taken.
 */
export async function startServer(options: StartServerOptions = {}): Promise<EmbeddedServer> {
  const config: Record<string, string | number | boolean> = { port: 0, bind: '127.0.0.1' };
  let log: ((line: string) => void) | undefined;
  const clock = new Clock();
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (name === 'log') {
      if (typeof value !== 'function') throw new ConfigError('log must be a function');
      log = value as (line: string) => void;
    } else if (name === 'host') {
      config.bind = String(value);
    } else if (name === 'frozenClock') {
      if (value === false) continue;
      if (value !== true) clock.set(value as Date | number);
      clock.freeze();
    } else {
      const key = optionSpec(name) !== undefined ? name : kebab(name);
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new ConfigError(`option '${name}' must be a string, number or boolean`);
      }
      config[key] = value;
    }
  }
  // Detaching is the binary's business (main.ts); an embedded server lives in its host process.
  if (String(config.daemonize).toLowerCase() === 'yes' || config.daemonize === true) {
    throw new ConfigError("'daemonize yes' is for the mini-kv-server binary only: an embedded server runs inside its host process");
  }
  const server = new MiniKvServer({ config, clock, log });
  await server.listen();
  return new EmbeddedServer(server, clock);
}

export const version = { minikv: MINIKV_VERSION, redis: VERSION };
