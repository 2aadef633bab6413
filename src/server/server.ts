/**
 * The server: listens on the configured addresses, accepts connections and
 * owns everything they share (config, databases, clock, command table,
 * statistics, active expiry). `listen()` and `close()` are its whole life.
 * It is used by the mini-kv-server binary and by the embedding API alike, so
 * it never touches process-wide state (signals, exit, stdout, the working
 * directory) itself: paths from options are resolved against `dir`, and
 * log lines go to `logfile` or to the `log` function it is given.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ALL_COMMANDS } from '../commands/index.js';
import { CommandTable } from '../commands/table.js';
import { ConfigError, DENIED_PROTECTED_MODE, ListenError, MAX_CLIENTS } from '../errors.js';
import { Clock } from '../keyspace/clock.js';
import { ActiveExpire } from '../keyspace/expiry.js';
import type { Database } from '../keyspace/keyspace.js';
import { ArenaDatabase } from '../keyspace/arena-store.js';
import { Config, strerror } from './config.js';
import { fileSink, Logger } from './log.js';
import { adoptForSharedReads } from './shared-reads.js';
import { Connection } from './connection.js';
import { ClientLimits, protectedModeDenies } from './limits.js';
import { optionalPeerRejected, tlsServerOptions } from './tls.js';
import { CLIENT_BLOCKED, CLIENT_MONITOR, CLIENT_PUBSUB, newStats, type ClientState, type CommandCaller, type EventLoopStats, type Stats } from '../commands/state.js';
import { KeyspaceSignals, NOTIFY_NEW, notifyFlagsFromString } from '../commands/signals.js';
import { TrackingTable } from '../commands/tracking.js';
import { PubSubRegistry } from '../commands/pubsub.js';
import { PropagationStream } from '../commands/propagation.js';
import { BlockingRegistry } from '../commands/blocking.js';
import { ClientControl } from '../commands/client-control.js';
import { eventLoopStats, resetEventLoopStats } from './event-loop-monitor.js';
import type { ServerContext } from './state.js';
import { Dispatcher } from './dispatch.js';
import { InternalClient } from './internal-client.js';
import type { Arg } from '../protocol/resp-parser.js';
import type { ReplyValue } from '../protocol/reply-reader.js';
import { CommandObserver } from '../commands/observer.js';
import { MINIKV_VERSION, VERSION } from '../version.js';

export { MINIKV_VERSION, VERSION };

export interface ServerOptions {
  /** Any redis.conf option by name, e.g. { port: 0, bind: '127.0.0.1', hz: 50 }. */
  config?: Record<string, string | number | boolean>;
  /** A Config already loaded (the binary's, from its file and command line); `config` is then not read. */
  loadedConfig?: Config;
  /** A clock to use (the embedding API's controllable clock). */
  clock?: Clock;
  /**
   * Where log lines go when `logfile` is empty: each line in Redis's format
   * (`pid:M dd Mon yyyy hh:mm:ss.mmm * message`, no newline), only those
   * `loglevel` lets through. Nothing is logged when absent. With `logfile`
   * set, lines are appended to that file instead.
   */
  log?: (line: string) => void;
  /** The config file the options came from, for INFO's config_file. */
  configFile?: string;
  /** Called once SHUTDOWN has closed the server (the binary exits there). */
  onShutdown?: () => void;
  /**
   * Read every socket as a stream, never into the shared read buffer
   * (shared-reads.ts); tests use it to run the fallback path.
   */
  streamReads?: boolean;
}

/** Shared command table: built and checked once per process. */
let sharedTable: CommandTable | null = null;
function commandTable(): CommandTable {
  if (sharedTable === null) sharedTable = new CommandTable(ALL_COMMANDS);
  return sharedTable;
}

export class MiniKvServer implements ServerContext {
  readonly config: Config;
  readonly dbs: Database[];
  readonly clock: Clock;
  readonly table: CommandTable;
  readonly dispatcher: Dispatcher;
  readonly signals = new KeyspaceSignals();
  readonly tracking: TrackingTable;
  readonly pubsub = new PubSubRegistry();
  readonly propagation = new PropagationStream();
  readonly blocking: BlockingRegistry;
  readonly control: ClientControl;
  readonly stats: Stats = newStats();
  readonly clients = new Map<number, ClientState>();
  readonly activeExpire: ActiveExpire;
  readonly startTime = Date.now();
  readonly runId = randomBytes(20).toString('hex');
  /** INFO master_replid: the run ID until DEBUG CHANGE-REPL-ID draws a new one. */
  replicationId = this.runId;
  readonly observer: CommandObserver;
  /** DEBUG SET-ACTIVE-EXPIRE 0 stops the active expiry cycle (Redis's server.active_expire_enabled). */
  activeExpireEnabled = true;
  readonly version = VERSION;
  port = 0;
  /** The TLS port actually listened on; 0 without TLS. */
  tlsPort = 0;
  readonly configFile: string;
  readonly limits: ClientLimits;
  /** Addresses actually listened on, as host strings. */
  readonly addresses: string[] = [];

  private readonly servers: net.Server[] = [];
  private readonly connections = new Set<Connection>();
  /**
   * Every accepted socket until it is closed, including those of connections
   * already finished (a QUIT or protocol error still flushing its reply), so
   * that close() can always end them.
   */
  private readonly sockets = new Set<net.Socket>();
  private nextClientId = 1;
  private closing: Promise<void> | null = null;
  /** The server's logger (log.ts): level from `loglevel`, lines to `logfile` or the `log` option. */
  readonly logger: Logger;
  /** The pidfile written at listen, removed at close ('' when none). */
  private pidfileWritten = '';
  private readonly onShutdown: () => void;
  private readonly streamReads: boolean;

  constructor(options: ServerOptions = {}) {
    this.config = options.loadedConfig ?? new Config(options.config ?? {});
    const loaded = this.config.checkLoaded();
    if (loaded !== null) throw new ConfigError(loaded);
    this.clock = options.clock ?? new Clock();
    this.table = commandTable();
    this.observer = new CommandObserver(this.clock);
    this.observer.configure(this.config);
    this.dispatcher = new Dispatcher(this);
    const logfile = this.config.get('logfile');
    const sink = logfile !== '' ? fileSink(this.config.resolvePath(logfile)) : options.log ?? (() => {});
    this.logger = new Logger(sink, () => this.config.get('loglevel'));
    this.configFile = options.configFile ?? '';
    this.onShutdown = options.onShutdown ?? (() => {});
    this.streamReads = options.streamReads === true;
    this.limits = new ClientLimits(this.config, () => this.connections, () => this.clock.now(), this.logger);
    const n = this.config.getInt('databases');
    this.dbs = [];
    for (let i = 0; i < n; i++) {
      const db = new ArenaDatabase(i, { onLazyExpire: () => this.noteExpired(1) });
      db.onExpired = (key) => {
        this.signals.expired(db, key);
        this.propagation.expired(db.id, key);
      };
      this.dbs.push(db);
    }
    this.activeExpire = new ActiveExpire(() => this.dbs, this.clock, (count) => this.noteExpired(count));
    // Keyspace notifications are published like any message.
    this.signals.publish = (channel, message) => this.pubsub.publish(channel, message);
    this.setNotifyFlags(notifyFlagsFromString(this.config.get('notify-keyspace-events')));
    this.blocking = new BlockingRegistry(this.signals, () => this.dbs, () => this.clock.now(), (c) => (c as Connection).context);
    this.control = new ClientControl(this.clients, this.blocking, () => this.clock.now(), () => this.clock.nowUs(), () => this.dbs);
    this.tracking = new TrackingTable(this.clients, this.signals, () => this.config.getInt('tracking-table-max-keys'));
    this.config.onChange = (name) => {
      if (name === 'hz' && this.servers.length > 0 && this.activeExpireEnabled) this.activeExpire.start(this.config.getInt('hz'));
      if (name === 'notify-keyspace-events') this.setNotifyFlags(notifyFlagsFromString(this.config.get(name)));
      if (name.startsWith('slowlog-') || name.startsWith('latency-')) this.observer.configure(this.config);
      this.limits.refresh();
    };
  }

  /** The one call path for commands run inside others (EXEC): the dispatcher. */
  get caller(): CommandCaller {
    return this.dispatcher;
  }

  eventLoopStats(): EventLoopStats {
    return eventLoopStats();
  }

  resetEventLoopStats(): void {
    resetEventLoopStats();
  }

  setActiveExpire(enabled: boolean): void {
    this.activeExpireEnabled = enabled;
    if (!enabled) this.activeExpire.stop();
    else if (this.servers.length > 0 && this.closing === null) this.activeExpire.start(this.config.getInt('hz'));
  }

  /** notify-keyspace-events' classes; class `n` needs the store's key-added hook, installed only then. */
  private setNotifyFlags(flags: number): void {
    this.signals.setNotifyFlags(flags);
    const wantNew = (flags & NOTIFY_NEW) !== 0;
    for (const db of this.dbs) db.onCreated = wantNew ? (key) => this.signals.notify(NOTIFY_NEW, 'new', key, db.id) : null;
  }

  noteExpired(count: number): void {
    this.stats.expiredKeys += count;
  }

  /** The first address listened on, for URLs and log lines. */
  get host(): string {
    return this.addresses[0] ?? '127.0.0.1';
  }

  /**
   * Listens on every `bind` address (a `-` prefix marks one that may be
   * unavailable, as in redis.conf) on `port`, and for TLS on `tls-port` when
   * it is set; port 0 picks a free port, shared by all addresses. Rejects
   * with ListenError when a required address fails.
   */
  async listen(): Promise<void> {
    const words = this.config.get('bind').split(' ').filter((w) => w !== '');
    if (words.length === 0) throw new ConfigError('bind needs at least one address');
    for (const w of this.config.startupWarnings()) this.logger.warning(w);
    const port = await this.listenAll(words, this.config.getInt('port'), undefined);
    this.port = port;
    // CONFIG GET port and INFO tell the port actually taken after --port 0.
    this.config.setStartup('port', String(port));
    // A TLS client becomes an ordinary Connection once its handshake is done.
    const tlsPort = this.config.getInt('tls-port');
    if (tlsPort !== 0) this.tlsPort = await this.listenAll(words, tlsPort, tlsServerOptions(this.config));
    if (this.activeExpireEnabled) this.activeExpire.start(this.config.getInt('hz'));
    this.limits.start();
    this.writePidfile();
    // Scripts and tests find the port in this line: its tail stays `:PORT (pid N)`.
    const at = (p: number): string => this.addresses.map((a) => (a.includes(':') ? `[${a}]` : a) + ':' + p).join(', ');
    if (this.tlsPort !== 0) this.logger.notice(`Ready to accept connections tls on ${at(this.tlsPort)}`);
    this.logger.notice(`Ready to accept connections tcp on ${at(port)} (pid ${process.pid})`);
  }

  /**
   * Writes `pidfile` (resolved against `dir`) with this process's pid, as
   * Redis's createPidFile; a failure is a warning, not a reason to stop.
   */
  private writePidfile(): void {
    const pidfile = this.config.get('pidfile');
    if (pidfile === '') return;
    const file = this.config.resolvePath(pidfile);
    try {
      writeFileSync(file, `${process.pid}\n`);
      this.pidfileWritten = file;
    } catch (e) {
      this.logger.warning(`Failed to write PID file: ${strerror(e)}`);
    }
  }

  /** Listens on each bind word at `port` (plain TCP, or TLS with options); returns the port taken. */
  private async listenAll(words: string[], port: number, tlsOptions: tls.TlsOptions | undefined): Promise<number> {
    for (const word of words) {
      const optional = word.startsWith('-');
      const host = optional ? word.slice(1) : word;
      const address = host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host;
      try {
        const server = await this.listenOne(address, port, tlsOptions);
        port = (server.address() as net.AddressInfo).port;
        this.logger.debug(`Listening on ${tlsOptions === undefined ? 'tcp' : 'tls'} ${address.includes(':') ? `[${address}]` : address}:${port} (backlog ${this.config.getInt('tcp-backlog')})`);
        this.servers.push(server);
        if (tlsOptions === undefined) this.addresses.push(address);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (optional && (err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT' || err.code === 'EINVAL')) continue;
        await this.close();
        const reason = err.code === 'EADDRINUSE' ? 'Address already in use' : err.message;
        throw new ListenError(`Could not create server ${tlsOptions === undefined ? 'TCP' : 'TLS'} listening socket ${address}:${port}: bind: ${reason}`);
      }
    }
    return port;
  }

  /**
   * One listener. Failed TLS handshakes are dropped quietly, as a port
   * scanner would otherwise fill the log.
   */
  private listenOne(host: string, port: number, tlsOptions?: tls.TlsOptions): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const server = tlsOptions === undefined
        ? net.createServer({ noDelay: true }, (socket) => this.accept(socket))
        : tls.createServer(tlsOptions, (socket) => {
          if (optionalPeerRejected(this.config, socket)) socket.destroy();
          else this.accept(socket);
        });
      if (tlsOptions !== undefined) server.on('tlsClientError', (_err, socket) => socket.destroy());
      server.once('error', reject);
      server.listen({ host, port, exclusive: true, backlog: this.config.getInt('tcp-backlog') }, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  private accept(socket: net.Socket): void {
    if (this.closing !== null) {
      socket.destroy();
      return;
    }
    this.stats.totalConnectionsReceived++;
    // Redis's acceptTcpHandler logs every accepted client at verbose.
    if (this.logger.enabled('verbose')) this.logger.verbose(`Accepted ${socket.remoteAddress}:${socket.remotePort}`);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    if (this.clients.size >= this.config.getInt('maxclients')) {
      this.stats.rejectedConnections++;
      socket.end(`-ERR ${MAX_CLIENTS}\r\n`);
      socket.on('error', () => {});
      return;
    }
    if (protectedModeDenies(this.config, socket.remoteAddress)) {
      this.stats.rejectedConnections++;
      this.logger.verbose(`Denied a connection from ${socket.remoteAddress ?? '?'}: protected mode is on and no password is set`);
      socket.end(`-${DENIED_PROTECTED_MODE}\r\n`);
      socket.on('error', () => {});
      return;
    }
    if (this.limits.keepAliveMs > 0) socket.setKeepAlive(true, this.limits.keepAliveMs);
    let conn: Connection | null = null;
    const adopted = this.streamReads ? null : adoptForSharedReads(socket, (buf, n) => conn!.onSharedRead(buf, n));
    if (adopted !== null) {
      this.sockets.add(adopted);
      adopted.once('close', () => this.sockets.delete(adopted));
    }
    conn = new Connection(adopted ?? socket, this.nextClientId++, this, (c) => {
      this.connections.delete(c);
      this.clients.delete(c.id);
      if (c.tx !== null) this.signals.unwatchAll(c.tx);
      this.tracking.disable(c);
      if (c.flags & CLIENT_PUBSUB) this.pubsub.unsubscribeAll(c);
      if (c.flags & CLIENT_BLOCKED) this.blocking.remove(c);
      if (c.flags & CLIENT_MONITOR) this.control.removeMonitor(c);
    }, adopted !== null);
    this.connections.add(conn);
    this.clients.set(conn.id, conn);
  }

  private internal: InternalClient | null = null;

  /**
   * Runs a command as the server's own client (the embedding API): through
   * the dispatcher like any client's, in database `db`; returns its reply
   * as a value (an error reply is a ReplyError value, not thrown).
   */
  execute(argv: Arg[], db = 0): ReplyValue {
    if (this.internal === null) this.internal = new InternalClient(this.nextClientId++, this);
    return this.internal.execute(argv, db);
  }

  /** SHUTDOWN from a client: close everything (the binary exits when done). */
  shutdown(): void {
    // After this event-loop turn, so that the batch holding SHUTDOWN (and
    // what came before it from any client) is answered first.
    setImmediate(() => void this.close().then(this.onShutdown));
  }

  /** Stops listening, closes every connection and timer. Idempotent. */
  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    this.closing = (async () => {
      this.activeExpire.stop();
      this.limits.stop();
      this.blocking.stop();
      const closed = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const conn of [...this.connections]) {
        conn.writeQueued();
        conn.socket.end();
        conn.socket.destroySoon?.();
      }
      // Sockets that do not finish promptly are destroyed.
      const deadline = setTimeout(() => {
        for (const socket of this.sockets) socket.destroy();
      }, 500);
      deadline.unref();
      await Promise.all(closed);
      clearTimeout(deadline);
      for (const socket of [...this.sockets]) socket.destroy();
      if (this.pidfileWritten !== '') {
        try {
          unlinkSync(this.pidfileWritten);
        } catch {
          // Already gone: nothing to remove.
        }
        this.pidfileWritten = '';
      }
    })();
    return this.closing;
  }

  /** Resolves when close() has finished (for the binary's exit). */
  get closed(): Promise<void> | null {
    return this.closing;
  }
}
