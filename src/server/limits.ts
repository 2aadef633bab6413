/**
 * Per-client limits and the server's one coarse ticker for them (Redis's
 * clientsCron): idle `timeout`, the `client-output-buffer-limit` of normal
 * and pubsub clients (the class picked by CLIENT_PUBSUB, as Redis's
 * getClientType), `client-query-buffer-limit`, and the protected-mode decision made
 * when a client connects. The hot path reads only the plain numbers cached
 * here (refreshed when CONFIG SET changes an option), never the Config map.
 *
 * No timer per connection: one interval per server walks the clients every
 * CRON_INTERVAL_MS, as undici does for its timeouts.
 *
 * Each client it closes is logged at Redis's level for the same event: an
 * idle client at verbose (clientsCronHandleTimeout), a client over the query
 * or output buffer limit at warning (readQueryFromClient,
 * closeClientOnOutputBufferLimitReached).
 */
import { CLIENT_PUBSUB } from '../commands/state.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../protocol/limits.js';
import { parseOutputBufferLimits, type Config } from './config.js';
import type { Logger } from './log.js';

/** How often the ticker looks at every client; `timeout` is in whole seconds, so a second is fine enough. */
export const CRON_INTERVAL_MS = 1000;

/** What the limits need from a connection (Connection implements it). */
export interface LimitedClient {
  readonly id: number;
  readonly addr: string;
  /** CLIENT_* bits: CLIENT_PUBSUB picks the pubsub output limits. */
  readonly flags: number;
  /** Bytes read from the socket so far: any arriving byte counts as activity, as in Redis's readQueryFromClient. */
  bytesRead(): number;
  outputBufferLength(): number;
  /** Closes at once, without a reply (freeClientAsync). */
  kill(): void;
  /** Ticker state, owned by this module: the last bytesRead seen and since when (server clock, ms). */
  idleBytes: number;
  idleSince: number;
  /** When the output buffer first went over the soft limit (server clock, ms), 0 while under it. */
  outputSoftSince: number;
}

/** The addresses Redis treats as local in protected mode (networking.c clientAcceptHandler), IPv4-mapped form included. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/**
 * Protected mode: with protected-mode on and no password for the default
 * user, only loopback clients are served; any other gets DENIED and is
 * closed. In Redis 7 this holds whatever `bind` says.
 */
export function protectedModeDenies(config: Config, remoteAddress: string | undefined): boolean {
  return config.getBool('protected-mode') && config.get('requirepass') === '' && !isLoopbackAddress(remoteAddress);
}

/**
 * The limits in force, as plain numbers for the hot path, and the ticker.
 * `refresh()` reloads them from the config (at start and after CONFIG SET).
 */
export class ClientLimits {
  /** client-query-buffer-limit: a client whose unparsed input passes this is closed. */
  queryBufferLimit = 0; // bytes
  /** client-output-buffer-limit normal: hard and soft limits (0 = none) and soft seconds. */
  outputHard = 0; // bytes
  outputSoft = 0; // bytes
  outputSoftMs = 0;
  /** The smaller of the two output limits (Infinity when neither is set): below it no check is needed. */
  outputCheckBytes = Infinity; // bytes
  /** client-output-buffer-limit pubsub: the same for subscribed clients. */
  pubsubHard = 0; // bytes
  pubsubSoft = 0; // bytes
  pubsubSoftMs = 0;
  pubsubCheckBytes = Infinity; // bytes
  /** timeout: idle clients are closed after this long; 0 = never. */
  idleTimeoutMs = 0;
  /** tcp-keepalive, applied to each new socket (0 = off). */
  keepAliveMs = 0;
  /**
   * The request parsers' limits, shared by every connection of the server,
   * so that CONFIG SET proto-max-bulk-len applies to existing clients too,
   * as in Redis.
   */
  readonly parser: ParserLimits = { ...DEFAULT_LIMITS };

  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: Config,
    private readonly clients: () => Iterable<LimitedClient>,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {
    this.refresh();
  }

  refresh(): void {
    const c = this.config;
    this.queryBufferLimit = c.getInt('client-query-buffer-limit');
    this.parser.maxBulkLen = c.getInt('proto-max-bulk-len');
    this.idleTimeoutMs = c.getInt('timeout') * 1000;
    this.keepAliveMs = c.getInt('tcp-keepalive') * 1000;
    const limits = parseOutputBufferLimits(c.get('client-output-buffer-limit'));
    const normal = typeof limits === 'string' ? undefined : limits.get('normal');
    this.outputHard = normal?.hard ?? 0;
    this.outputSoft = normal?.soft ?? 0;
    this.outputSoftMs = (normal?.softSeconds ?? 0) * 1000;
    this.outputCheckBytes = Math.min(this.outputHard > 0 ? this.outputHard : Infinity, this.outputSoft > 0 ? this.outputSoft : Infinity);
    const pubsub = typeof limits === 'string' ? undefined : limits.get('pubsub');
    this.pubsubHard = pubsub?.hard ?? 0;
    this.pubsubSoft = pubsub?.soft ?? 0;
    this.pubsubSoftMs = (pubsub?.softSeconds ?? 0) * 1000;
    this.pubsubCheckBytes = Math.min(this.pubsubHard > 0 ? this.pubsubHard : Infinity, this.pubsubSoft > 0 ? this.pubsubSoft : Infinity);
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = setInterval(() => this.tick(), CRON_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Closes clients idle past `timeout` (clientsCronHandleTimeout) and those
   * over the soft output limit for longer than its seconds. Idle time is
   * measured from the last tick that saw new bytes from the client, so it is
   * exact to one CRON_INTERVAL_MS. Tests call it directly after advancing
   * the server clock.
   */
  tick(): void {
    const now = this.now();
    const timeout = this.idleTimeoutMs;
    for (const c of this.clients()) {
      const read = c.bytesRead();
      if (read !== c.idleBytes || c.idleSince === 0) {
        c.idleBytes = read;
        c.idleSince = now;
      } else if (timeout > 0 && now - c.idleSince > timeout) {
        this.logger.verbose(`Closing idle client id=${c.id} addr=${c.addr}`);
        c.kill();
        continue;
      }
      if (c.outputSoftSince !== 0) this.checkOutput(c);
    }
  }

  /** client-query-buffer-limit passed: closed at once without a reply, as Redis's readQueryFromClient does. */
  queryBufferExceeded(c: LimitedClient, used: number): void {
    this.logger.warning(`Closing client that reached max query buffer length: id=${c.id} addr=${c.addr} qbuf=${used}`);
    c.kill();
  }

  /**
   * Redis's checkClientOutputBufferLimits and
   * closeClientOnOutputBufferLimitReached, for the client's class (pubsub
   * while subscribed, normal otherwise): over the hard limit, or over the
   * soft limit for longer than its seconds, the client is closed at once.
   * `async` is a check made while delivering to the client from elsewhere
   * (a PUBLISH): Redis then schedules the close, and logs it so. Returns
   * true when it was closed.
   */
  checkOutput(c: LimitedClient, async = false): boolean {
    const used = c.outputBufferLength();
    const pubsub = (c.flags & CLIENT_PUBSUB) !== 0;
    const hard = pubsub ? this.pubsubHard : this.outputHard;
    const soft = pubsub ? this.pubsubSoft : this.outputSoft;
    const softMs = pubsub ? this.pubsubSoftMs : this.outputSoftMs;
    let over = hard > 0 && used >= hard;
    if (!over && soft > 0 && used >= soft) {
      const now = this.now();
      if (c.outputSoftSince === 0) c.outputSoftSince = now;
      else over = now - c.outputSoftSince > softMs;
    } else if (!over) {
      c.outputSoftSince = 0;
    }
    if (!over) return false;
    const info = `id=${c.id} addr=${c.addr}`;
    if (async) this.logger.warning(`Client ${info} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    else this.logger.warning(`Client ${info} closed for overcoming of output buffer limits.`);
    c.kill();
    return true;
  }
}
