/**
 * Client-side caching: the server's tracking table and the invalidation
 * messages it sends (Redis 7.0's tracking.c), and the CLIENT TRACKING,
 * CACHING, GETREDIR and TRACKINGINFO handlers (networking.c clientCommand).
 *
 * Default mode: after a tracking client runs a read-only command, the keys
 * that command names are remembered (key → ids of the clients that read
 * it). When such a key changes (the signals' tracking hook), every client
 * remembered for it gets one invalidation and the key is forgotten, until
 * it is read again. OPTIN/OPTOUT make remembering depend on CLIENT CACHING
 * YES/NO given just before. BCAST mode remembers nothing per client: every
 * change to a key under one of the client's prefixes is collected, and the
 * keys changed are sent once per event-loop turn (Redis's beforeSleep).
 * NOLOOP leaves out changes the client made itself. FLUSHDB/FLUSHALL send
 * every tracking client an invalidation with a null key and empty the table.
 *
 * Delivery: a RESP3 client (or the RESP3 client it redirects to) gets the
 * push `>2 invalidate [keys]`; a RESP2 client redirecting to a client in
 * pub/sub mode has it sent there as a message on `__redis__:invalidate`;
 * otherwise nothing is sent. An invalidation for a key the current client
 * changed itself is held until its command has replied, as Redis's
 * tracking_pending_keys. Each invalidation is encoded once per protocol
 * and the same Buffer is delivered to every receiver.
 *
 * One TrackingTable per server (ServerState.tracking). It knows clients
 * only as ClientState; the dispatcher tells it when a command starts and
 * ends (enter/leave), and it installs the signals' hooks only while some
 * client tracks, so nothing costs anything when nobody does.
 */
import {
  CACHING_NEEDS_TRACKING, CACHING_NO_NEEDS_OPTOUT, CACHING_YES_NEEDS_OPTIN, NOT_INTEGER, SYNTAX_ERR,
  TRACKING_BCAST_OPTIN_OPTOUT, TRACKING_BCAST_SWITCH, TRACKING_OPTIN_AND_OPTOUT, TRACKING_OPTIN_OPTOUT_SWITCH,
  TRACKING_PREFIX_NEEDS_BCAST, TRACKING_REDIRECT_MISSING, TRACKING_SINGLE_REDIRECT, trackingPrefixOverlap,
  trackingPrefixOverlapsExisting,
} from '../errors.js';
import type { Database } from '../keyspace/keyspace.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString, parseInt64, tokenIs } from './args.js';
import { keyIndexes } from './command-reply.js';
import type { KeyspaceSignals } from './signals.js';
import { CLIENT_MULTI, CLIENT_PUBSUB, CLIENT_TRACKING, type ClientState } from './state.js';
import type { CommandContext, CommandSpec, LoadedCommand } from './table.js';

/** The pub/sub channel RESP2 redirect targets get invalidations on (Redis's TrackingChannelName). */
export const TRACKING_CHANNEL = '__redis__:invalidate';

/** One tracking client's mode (Redis's CLIENT_TRACKING_* flags and client_tracking_* fields). */
export interface ClientTracking {
  readonly client: ClientState;
  /** Client id invalidations go to; 0: the client itself. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING was given for the next command (CLIENT_TRACKING_CACHING). */
  caching: boolean;
  /** The redirect client has gone (CLIENT_TRACKING_BROKEN_REDIR). */
  brokenRedirect: boolean;
  /** BCAST prefixes ('' for every key). */
  readonly prefixes: Set<string>;
}

/** A BCAST prefix: the clients registered for it and the keys changed under it this turn, each with the client that changed it last (Redis's bcastState). */
interface BcastState {
  readonly clients: Set<ClientTracking>;
  keys: Map<string, ClientState | null>;
}

/**
 * One invalidation's value part (the key array, or a null) and its framings,
 * each made on first use so every receiver of one protocol gets one Buffer.
 */
class Invalidation {
  private push: Buffer | null = null;
  private message: Buffer | null = null;
  constructor(readonly body: Buffer) {}
  /** `>2 $10 invalidate <body>` (RESP3). */
  asPush(): Buffer {
    return this.push ??= Buffer.concat([PUSH_HEADER, this.body]);
  }
  /** `*3 $7 message $20 __redis__:invalidate <body>` (RESP2 pub/sub). */
  asMessage(): Buffer {
    return this.message ??= Buffer.concat([MESSAGE_HEADER, this.body]);
  }
}

const PUSH_HEADER = Buffer.from('>2\r\n$10\r\ninvalidate\r\n', 'latin1');
const MESSAGE_HEADER = Buffer.from(`*3\r\n$7\r\nmessage\r\n$${TRACKING_CHANNEL.length}\r\n${TRACKING_CHANNEL}\r\n`, 'latin1');
/** The null "all keys" value, in the tracking client's own protocol (Redis's shared.null[c->resp]). */
const NULL_BODY = { 2: Buffer.from('$-1\r\n', 'latin1'), 3: Buffer.from('_\r\n', 'latin1') } as const;

/** An array of bulk strings, keys as latin1 strings (their bytes). */
function keysBody(keys: readonly string[]): Buffer {
  let s = `*${keys.length}\r\n`;
  for (const k of keys) s += `$${Buffer.byteLength(k, 'latin1')}\r\n${k}\r\n`;
  return Buffer.from(s, 'latin1');
}

/** Byte order of latin1 strings (rax's order), for prefixes and broadcast keys. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether one of two strings starts with the other (tracking.c stringCheckPrefix). */
function prefixesOverlap(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** Keys evicted per limit check, times the checks in a row that stayed over (trackingLimitUsedSlots' effort). */
const LIMIT_EFFORT = 100;

export class TrackingTable {
  /** Whether some client tracks: the dispatcher's one test. */
  active = false;
  /** Keys read by tracking clients → their ids (Redis's TrackingTable). */
  private readonly keys = new Map<string, Set<number>>();
  /** Ids across all keys (tracking_total_items). */
  private items = 0;
  /** BCAST prefixes (Redis's PrefixTable). */
  private readonly prefixTable = new Map<string, BcastState>();
  /** Tracking clients by id (server.tracking_clients is its size). */
  private readonly tracking = new Map<number, ClientTracking>();
  /** The client whose command is running (Redis's server.current_client), null between commands. */
  private current: ClientState | null = null;
  /** Whether its command is running (Redis's fixed_time_expire test): its own invalidations wait. */
  private executing = false;
  /** Invalidations for the current client held until its command has replied; null is a flush. */
  private readonly pending: (string | null)[] = [];
  private broadcastScheduled = false;
  /** Consecutive limit checks that ended over the limit. */
  private limitTimeouts = 0;
  private readonly onKey = (_db: Database, key: string): void => this.invalidateKey(key, true);
  private readonly onFlush = (): void => this.invalidateOnFlush();
  private readonly broadcastNow = (): void => this.broadcast();

  /**
   * `clients`: the connected clients by id (redirect targets); `maxKeys`:
   * the current `tracking-table-max-keys` (0: no limit).
   */
  constructor(
    private readonly clients: ReadonlyMap<number, ClientState>,
    private readonly signals: KeyspaceSignals,
    private readonly maxKeys: () => number,
  ) {}

  /** The client's tracking mode, undefined when it does not track. */
  of(client: ClientState): ClientTracking | undefined {
    return this.tracking.get(client.id);
  }

  /** tracking_clients, tracking_total_keys, tracking_total_items, tracking_total_prefixes (INFO). */
  get trackingClients(): number {
    return this.tracking.size;
  }
  get totalKeys(): number {
    return this.keys.size;
  }
  get totalItems(): number {
    return this.items;
  }
  get totalPrefixes(): number {
    return this.prefixTable.size;
  }

  // ---- the dispatcher's hook --------------------------------------------------

  /**
   * A command is about to run (only called while `active`). At the top
   * level: the client becomes the current one, and the table is brought
   * back under `tracking-table-max-keys` (processCommand's
   * trackingLimitUsedSlots, before the command).
   */
  enter(client: ClientState, nested: boolean): void {
    if (nested) return;
    // Left over only when a handler threw before leave(): they belong to the client that ran it.
    if (this.pending.length > 0) this.flushPending();
    this.current = client;
    this.executing = false;
    this.limitUsedSlots();
    this.executing = true;
  }

  /**
   * A command has run (only when enter() was called for it). A read-only
   * command of a tracking client in default mode has its keys remembered
   * (call()'s trackingRememberKeys); at the top level the CACHING choice is
   * used up (unless still queuing a transaction, or the command was another
   * CLIENT subcommand: resetClient), and the invalidations held for the
   * client's own changes are sent after its reply (afterCommand's
   * trackingHandlePendingKeyInvalidations).
   */
  leave(ctx: CommandContext, cmd: LoadedCommand, argv: Arg[], nested: boolean): void {
    const client = ctx.client;
    const t = client.flags & CLIENT_TRACKING ? this.tracking.get(client.id) : undefined;
    if (t !== undefined && !t.bcast && cmd.spec.flags.includes('readonly')) this.rememberKeys(t, cmd, argv);
    if (nested) return;
    if (t !== undefined && !(client.flags & CLIENT_MULTI) && (cmd.parent ?? cmd).spec.name !== 'client') t.caching = false;
    this.executing = false;
    if (this.pending.length > 0) this.flushPending();
    this.current = null;
  }

  /** Sends the invalidations held for the current client's own changes, in order (trackingHandlePendingKeyInvalidations). */
  private flushPending(): void {
    const client = this.current;
    const keys = this.pending.splice(0);
    const t = client === null ? undefined : this.tracking.get(client.id);
    if (t === undefined) return;
    for (const key of keys) this.send(t, new Invalidation(key === null ? NULL_BODY[t.client.resp] : keysBody([key])));
  }

  // ---- enabling and disabling (tracking.c enableTracking / disableTracking) --

  /** Turns tracking on for `client` with these options (already checked), or changes its mode. */
  enable(client: ClientState, redirect: number, opts: { bcast: boolean; optin: boolean; optout: boolean; noloop: boolean }, prefixes: string[]): void {
    let t = this.tracking.get(client.id);
    if (t === undefined) {
      t = { client, redirect, bcast: false, optin: false, optout: false, noloop: false, caching: false, brokenRedirect: false, prefixes: new Set() };
      this.tracking.set(client.id, t);
      client.flags |= CLIENT_TRACKING;
      if (!this.active) {
        this.active = true;
        this.signals.setTracking(this.onKey, this.onFlush);
      }
    }
    t.redirect = redirect;
    t.brokenRedirect = false;
    t.bcast = opts.bcast;
    t.optin = opts.optin;
    t.optout = opts.optout;
    t.noloop = opts.noloop;
    if (opts.bcast) {
      if (prefixes.length === 0) this.addPrefix(t, '');
      for (const p of prefixes) this.addPrefix(t, p);
    }
  }

  private addPrefix(t: ClientTracking, prefix: string): void {
    let bs = this.prefixTable.get(prefix);
    if (bs === undefined) {
      bs = { clients: new Set(), keys: new Map() };
      this.prefixTable.set(prefix, bs);
    }
    bs.clients.add(t);
    t.prefixes.add(prefix);
  }

  /**
   * Turns tracking off (CLIENT TRACKING OFF, a client closing, RESET): its
   * prefixes are left, and the hooks go once nobody tracks. Keys it read
   * stay in the table, as in Redis, and are dropped when they change.
   */
  disable(client: ClientState): void {
    const t = this.tracking.get(client.id);
    if (t === undefined) return;
    for (const p of t.prefixes) {
      const bs = this.prefixTable.get(p)!;
      bs.clients.delete(t);
      if (bs.clients.size === 0) this.prefixTable.delete(p);
    }
    this.tracking.delete(client.id);
    client.flags &= ~CLIENT_TRACKING;
    if (this.tracking.size === 0) {
      this.active = false;
      this.signals.setTracking(null, null);
    }
  }

  // ---- remembering and invalidating ---------------------------------------------

  /** Redis's trackingRememberKeys: the keys this read-only command named, unless OPTIN/OPTOUT say otherwise. */
  private rememberKeys(t: ClientTracking, cmd: LoadedCommand, argv: Arg[]): void {
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    // Shard channels look like keys to COMMAND; they are not cached data.
    if (cmd.spec.flags.includes('pubsub')) return;
    const id = t.client.id;
    for (const i of keyIndexes(cmd, argv)) {
      const key = argString(argv[i]!);
      let ids = this.keys.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.keys.set(key, ids);
      }
      if (!ids.has(id)) {
        ids.add(id);
        this.items++;
      }
    }
  }

  /**
   * Redis's trackingInvalidateKey: `key` changed. With `bcast` it is also
   * collected for the BCAST prefixes it falls under; every default-mode
   * client remembered for it is sent an invalidation (the current client's
   * own waits for its reply; NOLOOP skips it), and the key is forgotten.
   */
  private invalidateKey(key: string, bcast: boolean): void {
    if (bcast && this.prefixTable.size > 0) this.rememberKeyToBroadcast(key);
    const ids = this.keys.get(key);
    if (ids === undefined) return;
    let inv: Invalidation | null = null;
    for (const id of ids) {
      const t = this.tracking.get(id);
      if (t === undefined || t.bcast) continue;
      if (t.noloop && t.client === this.current) continue;
      if (t.client === this.current && this.executing) {
        this.pending.push(key);
        continue;
      }
      this.send(t, inv ??= new Invalidation(keysBody([key])));
    }
    this.items -= ids.size;
    this.keys.delete(key);
  }

  /** Redis's trackingRememberKeyToBroadcast: the key, under every prefix it starts with, with who changed it. */
  private rememberKeyToBroadcast(key: string): void {
    for (const [prefix, bs] of this.prefixTable) {
      if (prefix !== '' && !key.startsWith(prefix)) continue;
      bs.keys.set(key, this.current);
      if (!this.broadcastScheduled) {
        this.broadcastScheduled = true;
        setImmediate(this.broadcastNow);
      }
    }
  }

  /**
   * Redis's trackingBroadcastInvalidationMessages, run once per event-loop
   * turn in which keys changed: each prefix's changed keys (in byte order)
   * go to its clients as one invalidation, the same bytes for all but
   * NOLOOP clients, who get the keys changed by others only.
   */
  private broadcast(): void {
    this.broadcastScheduled = false;
    const prefixes = [...this.prefixTable.keys()].sort(byteOrder);
    for (const prefix of prefixes) {
      const bs = this.prefixTable.get(prefix)!;
      if (bs.keys.size === 0) continue;
      const keys = [...bs.keys.keys()].sort(byteOrder);
      let common: Invalidation | null = null;
      for (const t of bs.clients) {
        if (t.noloop) {
          const own = keys.filter((k) => bs.keys.get(k) !== t.client);
          if (own.length > 0) this.send(t, new Invalidation(keysBody(own)));
        } else {
          this.send(t, common ??= new Invalidation(keysBody(keys)));
        }
      }
      bs.keys = new Map();
    }
  }

  /**
   * Redis's trackingInvalidateKeysOnFlush: every tracking client (BCAST
   * ones too) is told that all keys are invalid, with a null in its own
   * protocol, and the whole table is emptied, for FLUSHDB as for FLUSHALL.
   */
  private invalidateOnFlush(): void {
    const inv = { 2: new Invalidation(NULL_BODY[2]), 3: new Invalidation(NULL_BODY[3]) };
    for (const t of this.tracking.values()) {
      if (t.client === this.current && this.executing) this.pending.push(null);
      else this.send(t, inv[t.client.resp]);
    }
    this.keys.clear();
    this.items = 0;
  }

  /**
   * Redis's trackingLimitUsedSlots: while the table holds more keys than
   * `tracking-table-max-keys`, keys are invalidated (as if changed) until it
   * fits, at most LIMIT_EFFORT × (checks in a row that stayed over) per
   * check. Redis picks them by a random walk; this takes the oldest.
   */
  private limitUsedSlots(): void {
    const max = this.maxKeys();
    if (max === 0 || this.keys.size <= max) {
      this.limitTimeouts = 0;
      return;
    }
    let effort = LIMIT_EFFORT * (this.limitTimeouts + 1);
    for (const key of this.keys.keys()) {
      if (effort-- <= 0) break;
      this.invalidateKey(key, false);
      if (this.keys.size <= max) {
        this.limitTimeouts = 0;
        return;
      }
    }
    this.limitTimeouts++;
  }

  /**
   * Redis's sendTrackingMessage: one invalidation for tracking client `t`,
   * to it or to its redirect client. A redirect client that has gone marks
   * the redirect broken and tells a RESP3 client so instead.
   */
  private send(t: ClientTracking, inv: Invalidation): void {
    let target = t.client;
    let redirected = false;
    if (t.redirect !== 0) {
      const r = this.clients.get(t.redirect);
      if (r === undefined) {
        t.brokenRedirect = true;
        if (t.client.resp === 3) t.client.deliver(redirBroken(t.redirect));
        return;
      }
      target = r;
      redirected = true;
    }
    if (target.resp === 3) target.deliver(inv.asPush());
    else if (redirected && target.flags & CLIENT_PUBSUB) target.deliver(inv.asMessage());
    // A RESP2 client without a subscribed redirect target gets nothing: RESP2 has no pushes.
  }
}

/** `>2 tracking-redir-broken :id`. */
function redirBroken(id: number): Buffer {
  return Buffer.from(`>2\r\n$21\r\ntracking-redir-broken\r\n:${id}\r\n`, 'latin1');
}

// ---- CLIENT TRACKING, CACHING, GETREDIR, TRACKINGINFO ----------------------------

// CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
function clientTrackingCommand(ctx: CommandContext, argv: Arg[]): void {
  const tracking = ctx.server.tracking;
  let redirect = 0;
  const opts = { bcast: false, optin: false, optout: false, noloop: false };
  const prefixes: string[] = [];
  for (let j = 3; j < argv.length; j++) {
    const a = argv[j]!;
    const more = j < argv.length - 1;
    if (tokenIs(a, 'REDIRECT') && more) {
      j++;
      if (redirect !== 0) {
        ctx.reply.error(TRACKING_SINGLE_REDIRECT);
        return;
      }
      const id = parseInt64(argv[j]!);
      if (id === null) {
        ctx.reply.error(NOT_INTEGER);
        return;
      }
      // Ids are below 2^53; anything else names no client.
      const n = Number(id);
      if (!ctx.server.clients.has(n)) {
        ctx.reply.error(TRACKING_REDIRECT_MISSING);
        return;
      }
      redirect = n;
    } else if (tokenIs(a, 'BCAST')) opts.bcast = true;
    else if (tokenIs(a, 'OPTIN')) opts.optin = true;
    else if (tokenIs(a, 'OPTOUT')) opts.optout = true;
    else if (tokenIs(a, 'NOLOOP')) opts.noloop = true;
    else if (tokenIs(a, 'PREFIX') && more) prefixes.push(argString(argv[++j]!));
    else {
      ctx.reply.error(SYNTAX_ERR);
      return;
    }
  }
  const mode = argv[2]!;
  if (tokenIs(mode, 'ON')) {
    const t = tracking.of(ctx.client);
    const error = trackingOptionsError(t, opts, prefixes);
    if (error !== null) {
      ctx.reply.error(error);
      return;
    }
    tracking.enable(ctx.client, redirect, opts, prefixes);
  } else if (tokenIs(mode, 'OFF')) {
    tracking.disable(ctx.client);
  } else {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  ctx.reply.ok();
}

/** The checks clientCommand makes before enableTracking, in its order; null when the options may be used. */
function trackingOptionsError(t: ClientTracking | undefined, opts: { bcast: boolean; optin: boolean; optout: boolean }, prefixes: string[]): string | null {
  if (!opts.bcast && prefixes.length > 0) return TRACKING_PREFIX_NEEDS_BCAST;
  if (t !== undefined && t.bcast !== opts.bcast) return TRACKING_BCAST_SWITCH;
  if (opts.bcast && (opts.optin || opts.optout)) return TRACKING_BCAST_OPTIN_OPTOUT;
  if (opts.optin && opts.optout) return TRACKING_OPTIN_AND_OPTOUT;
  if (t !== undefined && ((opts.optin && t.optout) || (opts.optout && t.optin))) return TRACKING_OPTIN_OPTOUT_SWITCH;
  if (opts.bcast) {
    // tracking.c checkPrefixCollisionsOrReply: against the client's prefixes (in order), then among the new ones.
    for (let i = 0; i < prefixes.length; i++) {
      const p = prefixes[i]!;
      if (t !== undefined) {
        for (const old of [...t.prefixes].sort(byteOrder)) if (prefixesOverlap(old, p)) return trackingPrefixOverlapsExisting(p, old);
      }
      for (let j = i + 1; j < prefixes.length; j++) if (prefixesOverlap(p, prefixes[j]!)) return trackingPrefixOverlap(p, prefixes[j]!);
    }
  }
  return null;
}

// CLIENT CACHING <YES | NO>
function clientCachingCommand(ctx: CommandContext, argv: Arg[]): void {
  const t = ctx.server.tracking.of(ctx.client);
  if (t === undefined) {
    ctx.reply.error(CACHING_NEEDS_TRACKING);
    return;
  }
  const opt = argv[2]!;
  if (tokenIs(opt, 'YES')) {
    if (!t.optin) {
      ctx.reply.error(CACHING_YES_NEEDS_OPTIN);
      return;
    }
  } else if (tokenIs(opt, 'NO')) {
    if (!t.optout) {
      ctx.reply.error(CACHING_NO_NEEDS_OPTOUT);
      return;
    }
  } else {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  t.caching = true;
  ctx.reply.ok();
}

// CLIENT GETREDIR
function clientGetredirCommand(ctx: CommandContext): void {
  const t = ctx.server.tracking.of(ctx.client);
  ctx.reply.integer(t === undefined ? -1 : t.redirect);
}

// CLIENT TRACKINGINFO
function clientTrackinginfoCommand(ctx: CommandContext): void {
  const t = ctx.server.tracking.of(ctx.client);
  const w = ctx.reply;
  const flags: string[] = [t !== undefined ? 'on' : 'off'];
  if (t !== undefined) {
    if (t.bcast) flags.push('bcast');
    if (t.optin) flags.push('optin');
    if (t.optin && t.caching) flags.push('caching-yes');
    if (t.optout) flags.push('optout');
    if (t.optout && t.caching) flags.push('caching-no');
    if (t.noloop) flags.push('noloop');
    if (t.brokenRedirect) flags.push('broken_redirect');
  }
  w.mapHeader(3);
  w.bulk('flags');
  w.setHeader(flags.length);
  for (const f of flags) w.bulk(f);
  w.bulk('redirect');
  w.integer(t === undefined ? -1 : t.redirect);
  w.bulk('prefixes');
  const prefixes = t === undefined ? [] : [...t.prefixes].sort(byteOrder);
  w.arrayHeader(prefixes.length);
  for (const p of prefixes) w.bulkBuffer(Buffer.from(p, 'latin1'));
}

/** CLIENT HELP's lines for CACHING and GETREDIR (first in networking.c's help text). */
export const CLIENT_CACHING_HELP = [
  'CACHING (YES|NO)',
  '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
];

/** CLIENT HELP's lines for TRACKING and TRACKINGINFO (after UNBLOCK in networking.c's help text). */
export const CLIENT_TRACKING_HELP = [
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]',
  '         [OPTIN] [OPTOUT] [NOLOOP]',
  '    Control server assisted client side caching.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
];

/** The CLIENT subcommands of client-side caching (connection.ts adds them to CLIENT). */
export const CLIENT_TRACKING_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'tracking', arity: -3, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Enable or disable server assisted client side caching support', since: '6.0.0',
    complexity: 'O(1). Some options may introduce additional complexity.',
    args: [
      { name: 'status', type: 'oneof', arguments: [{ name: 'on', type: 'pure-token', token: 'ON' }, { name: 'off', type: 'pure-token', token: 'OFF' }] },
      { name: 'client-id', type: 'integer', token: 'REDIRECT', optional: true },
      { name: 'prefix', type: 'string', token: 'PREFIX', optional: true, multiple: true, multiple_token: true },
      { name: 'bcast', type: 'pure-token', token: 'BCAST', optional: true },
      { name: 'optin', type: 'pure-token', token: 'OPTIN', optional: true },
      { name: 'optout', type: 'pure-token', token: 'OPTOUT', optional: true },
      { name: 'noloop', type: 'pure-token', token: 'NOLOOP', optional: true },
    ],
    handler: clientTrackingCommand,
  },
  {
    name: 'caching', arity: 3, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Instruct the server about tracking or not keys in the next request', since: '6.0.0',
    complexity: 'O(1)',
    args: [{ name: 'mode', type: 'oneof', arguments: [{ name: 'yes', type: 'pure-token', token: 'YES' }, { name: 'no', type: 'pure-token', token: 'NO' }] }],
    handler: clientCachingCommand,
  },
  {
    name: 'getredir', arity: 2, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Get tracking notifications redirection client ID if any', since: '6.0.0',
    complexity: 'O(1)',
    handler: clientGetredirCommand,
  },
  {
    name: 'trackinginfo', arity: 2, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Return information about server assisted client side caching for the current connection', since: '6.2.0',
    complexity: 'O(1)',
    handler: clientTrackinginfoCommand,
  },
];
