/**
 * Client control, part of the `connection` group (and MONITOR, of
 * `server`): CLIENT PAUSE/UNPAUSE, CLIENT UNBLOCK, CLIENT REPLY,
 * CLIENT NO-EVICT, CLIENT NO-TOUCH, RESET and MONITOR, as Redis 7.0.15's
 * networking.c, server.c and replication.c (NO-TOUCH is Redis 7.2's).
 *
 * ClientControl holds the server-wide part: the pause (its type and end)
 * and the MONITOR clients. While either is on, every client carries
 * CLIENT_SLOW_PATH, so that each command goes through the dispatcher's full
 * path, where the pause and the monitors are looked at; with both off the
 * fast paths test only `flags === 0`, as before.
 *
 * A paused command is postponed through the blocked-client registry
 * (blocking.ts), as Redis's BLOCKED_POSTPONE: it waits as argv and runs
 * through the call path when the pause ends.
 */
import {
  MONITOR_DENY_BLOCKING, NOT_INTEGER, PAUSE_MODE, SYNTAX_ERR, TIMEOUT_NEGATIVE, TIMEOUT_NOT_INTEGER, UNBLOCK_REASON,
  UNBLOCKED_BY_CLIENT, subcommandSyntaxError,
} from '../errors.js';
import type { Database } from '../keyspace/keyspace.js';
import type { Arg } from '../protocol/resp-parser.js';
import { MODE_RESP2, MODE_TEXT } from '../protocol/reply-writer.js';
import { argString, parseInt64, tokenIs } from './args.js';
import type { BlockingRegistry } from './blocking.js';
import { redact } from './redact.js';
import {
  CLIENT_MONITOR, CLIENT_MULTI, CLIENT_PUBSUB, CLIENT_REPLY_OFF, CLIENT_REPLY_SKIP, CLIENT_REPLY_SKIP_NEXT,
  CLIENT_SLOW_PATH, CLIENT_TRACKING, type ClientState,
} from './state.js';
import type { CommandContext, CommandSpec, LoadedCommand } from './table.js';
import { discardTransaction } from './transactions.js';

/** Redis's pause_type, in order of restriction. */
export const PAUSE_OFF = 0;
export const PAUSE_WRITE = 1;
export const PAUSE_ALL = 2;

export class ClientControl {
  /** The pause in force (Redis's client_pause_type) and its end, ms since the epoch. */
  pauseType = PAUSE_OFF;
  pauseEnd = 0;
  /** The CLIENT PAUSE event (Redis's client_pause_per_purpose[PAUSE_BY_CLIENT_COMMAND]); null when none. */
  private event: { type: number; end: number } | null = null;
  /** MONITOR clients in the order they started (Redis's server.monitors). */
  readonly monitors = new Set<ClientState>();
  /** Whether CLIENT_SLOW_PATH is set on every client. */
  private slow = false;

  constructor(
    private readonly clients: Map<number, ClientState>,
    private readonly blocking: BlockingRegistry,
    private readonly now: () => number,
    /** Microseconds since the epoch, for MONITOR lines. */
    private readonly nowUs: () => number,
    private readonly dbs: () => readonly Database[],
  ) {}

  /** The flags a client starts with (CLIENT_SLOW_PATH while a pause or a monitor is on). */
  get newClientFlags(): number {
    return this.slow ? CLIENT_SLOW_PATH : 0;
  }

  /** CLIENT PAUSE: the longer end and the more restrictive type win over a pause in force (Redis's pauseClients). */
  pause(end: number, type: number): void {
    const e = this.event;
    if (e === null) this.event = { type, end };
    else {
      e.type = Math.max(e.type, type);
      e.end = Math.max(e.end, end);
    }
    this.updatePause();
  }

  /** CLIENT UNPAUSE (Redis's unpauseClients). */
  unpause(): void {
    if (this.event === null) return;
    this.event = null;
    this.updatePause();
  }

  /**
   * Whether a command from a client must wait (processCommand's pause
   * check): everything under PAUSE ALL, commands that write or may
   * replicate under PAUSE WRITE. A pause whose end has passed ends here.
   */
  shouldPostpone(mayReplicate: boolean): boolean {
    if (this.pauseType === PAUSE_OFF) return false;
    if (this.pauseEnd < this.now()) {
      this.updatePause();
      if (this.pauseType === PAUSE_OFF) return false;
    }
    return this.pauseType === PAUSE_ALL || mayReplicate;
  }

  /**
   * Redis's updateClientPauseTypeAndEndTime: a pause whose end has passed
   * goes; when the pause becomes less restrictive every postponed client is
   * unblocked to run again (and may be postponed again). The registry's
   * timer is asked to wake just after the end.
   */
  private updatePause(): void {
    const old = this.pauseType;
    const e = this.event;
    if (e !== null && e.end < this.now()) this.event = null;
    this.pauseType = this.event === null ? PAUSE_OFF : this.event.type;
    this.pauseEnd = this.event === null ? 0 : this.event.end;
    // While paused, nothing expires: the dataset stays as it is (expireIfNeeded, activeExpireCycle).
    if ((this.pauseType === PAUSE_OFF) !== (old === PAUSE_OFF)) for (const db of this.dbs()) db.retainExpired = this.pauseType !== PAUSE_OFF;
    if (this.pauseType < old) this.blocking.unblockPostponed();
    this.blocking.setAlarm(this.pauseType === PAUSE_OFF ? Infinity : this.pauseEnd + 1, () => this.updatePause());
    this.refreshSlowPath();
  }

  addMonitor(client: ClientState): void {
    this.monitors.add(client);
    this.refreshSlowPath();
  }

  /** A monitor leaves (RESET, close). */
  removeMonitor(client: ClientState): void {
    if (!this.monitors.delete(client)) return;
    client.flags &= ~CLIENT_MONITOR;
    this.refreshSlowPath();
  }

  /** Sets or clears CLIENT_SLOW_PATH on every client when the need for it changes. */
  private refreshSlowPath(): void {
    const want = this.pauseType !== PAUSE_OFF || this.monitors.size > 0;
    if (want === this.slow) return;
    this.slow = want;
    for (const c of this.clients.values()) {
      if (want) c.flags |= CLIENT_SLOW_PATH;
      else c.flags &= ~CLIENT_SLOW_PATH;
    }
  }

  /**
   * Sends one command to every monitor (Redis's replicationFeedMonitors):
   * `+<sec>.<usec> [<db> <addr>] "arg" ...`, each argument quoted as
   * sdscatrepr does, secrets redacted as in the slow log. A monitor with
   * replies off gets nothing, as in Redis.
   */
  feed(client: ClientState, dbIndex: number, cmd: LoadedCommand, argv: readonly Arg[]): void {
    const us = this.nowUs();
    const sec = Math.floor(us / 1e6);
    const frac = String(us - sec * 1e6).padStart(6, '0');
    const args: string[] = [];
    for (const a of argv) args.push(typeof a === 'string' ? a : a.latin1Slice(0, a.length));
    redact(cmd, args);
    let line = `+${sec}.${frac} [${dbIndex} ${client.addr}]`;
    for (const a of args) line += ' ' + catRepr(a);
    line += '\r\n';
    const data = Buffer.from(line, 'latin1');
    for (const m of this.monitors) {
      if (m.flags & (CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP)) continue;
      m.deliver(data);
    }
  }
}

/** `s` (bytes as latin1) quoted and escaped as Redis's sdscatrepr. */
export function catRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        // isprint in the C locale: 0x20 through 0x7e.
        if (c >= 0x20 && c <= 0x7e) out += s[i];
        else out += '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}

// ---- commands ---------------------------------------------------------------

// CLIENT PAUSE timeout [WRITE|ALL]
function clientPauseCommand(ctx: CommandContext, argv: Arg[]): void {
  let type = PAUSE_ALL;
  if (argv.length === 4) {
    if (tokenIs(argv[3]!, 'WRITE')) type = PAUSE_WRITE;
    else if (tokenIs(argv[3]!, 'ALL')) type = PAUSE_ALL;
    else {
      ctx.reply.error(PAUSE_MODE);
      return;
    }
  } else if (argv.length > 4) {
    // Redis's clientCommand matches PAUSE with 3 or 4 arguments only.
    ctx.reply.error(subcommandSyntaxError(argString(argv[1]!), 'CLIENT'));
    return;
  }
  // timeout.c getTimeoutFromObjectOrReply in milliseconds: 0 stays 0 (a pause that is over at once).
  const t = parseInt64(argv[2]!);
  if (t === null) {
    ctx.reply.error(TIMEOUT_NOT_INTEGER);
    return;
  }
  if (t < 0n) {
    ctx.reply.error(TIMEOUT_NEGATIVE);
    return;
  }
  const end = t > 0n ? Number(t) + ctx.server.clock.now() : 0;
  ctx.server.control.pause(end, type);
  ctx.reply.ok();
}

// CLIENT UNPAUSE
function clientUnpauseCommand(ctx: CommandContext): void {
  ctx.server.control.unpause();
  ctx.reply.ok();
}

// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
function clientUnblockCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length > 4) {
    ctx.reply.error(subcommandSyntaxError(argString(argv[1]!), 'CLIENT'));
    return;
  }
  let error = false;
  if (argv.length === 4) {
    if (tokenIs(argv[3]!, 'TIMEOUT')) error = false;
    else if (tokenIs(argv[3]!, 'ERROR')) error = true;
    else {
      ctx.reply.error(UNBLOCK_REASON);
      return;
    }
  }
  const id = parseInt64(argv[2]!);
  if (id === null) {
    ctx.reply.error(NOT_INTEGER);
    return;
  }
  const target = ctx.server.clients.get(Number(id));
  const done = target !== undefined && ctx.server.blocking.unblockWith(target, error ? UNBLOCKED_BY_CLIENT : null);
  ctx.reply.integer(done ? 1 : 0);
}

// CLIENT REPLY ON|OFF|SKIP
function clientReplyCommand(ctx: CommandContext, argv: Arg[]): void {
  const client = ctx.client;
  const mode = argv[2]!;
  if (tokenIs(mode, 'ON')) {
    client.flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
    ctx.reply.mute(false);
    ctx.reply.ok();
  } else if (tokenIs(mode, 'OFF')) {
    client.flags |= CLIENT_REPLY_OFF;
    ctx.reply.mute(true);
  } else if (tokenIs(mode, 'SKIP')) {
    if (!(client.flags & CLIENT_REPLY_OFF)) client.flags |= CLIENT_REPLY_SKIP_NEXT;
  } else {
    ctx.reply.error(SYNTAX_ERR);
  }
}

/** ON or OFF for NO-EVICT and NO-TOUCH; null after replying a syntax error. */
function onOffOrReply(ctx: CommandContext, arg: Arg): boolean | null {
  if (tokenIs(arg, 'ON')) return true;
  if (tokenIs(arg, 'OFF')) return false;
  ctx.reply.error(SYNTAX_ERR);
  return null;
}

// CLIENT NO-EVICT ON|OFF
function clientNoEvictCommand(ctx: CommandContext, argv: Arg[]): void {
  const on = onOffOrReply(ctx, argv[2]!);
  if (on === null) return;
  ctx.client.noEvict = on;
  ctx.reply.ok();
}

// CLIENT NO-TOUCH ON|OFF   (Redis 7.2)
function clientNoTouchCommand(ctx: CommandContext, argv: Arg[]): void {
  const on = onOffOrReply(ctx, argv[2]!);
  if (on === null) return;
  ctx.client.noTouch = on;
  ctx.reply.ok();
}

// RESET
// Redis's resetCommand and clearClientConnectionState: leaves MONITOR,
// disables tracking, SELECT 0, RESP2, the default user's authentication,
// discards MULTI and unwatches, leaves pub/sub, clears the name and
// CLIENT REPLY OFF/SKIP. CLIENT NO-EVICT stays, as in Redis 7.0.
function resetCommand(ctx: CommandContext): void {
  const client = ctx.client;
  const server = ctx.server;
  if (client.flags & CLIENT_MONITOR) server.control.removeMonitor(client);
  if (client.flags & CLIENT_TRACKING) server.tracking.disable(client);
  client.dbIndex = 0;
  ctx.db = server.dbs[0]!;
  client.resp = 2;
  if (ctx.reply.mode !== MODE_TEXT) ctx.reply.mode = MODE_RESP2;
  client.authenticated = server.config.get('requirepass') === '';
  discardTransaction(ctx);
  server.pubsub.unsubscribeAll(client);
  client.name = '';
  client.flags &= ~(CLIENT_PUBSUB | CLIENT_REPLY_OFF | CLIENT_REPLY_SKIP_NEXT);
  // RESET run as the skipped command of CLIENT REPLY SKIP stays unanswered.
  if (!(client.flags & CLIENT_REPLY_SKIP)) ctx.reply.mute(false);
  ctx.reply.simple('RESET');
}

// MONITOR
function monitorCommand(ctx: CommandContext): void {
  const client = ctx.client;
  // Inside EXEC (the client is still in MULTI) it may not block (CLIENT_DENY_BLOCKING).
  if (client.flags & CLIENT_MULTI) {
    ctx.reply.error(MONITOR_DENY_BLOCKING);
    return;
  }
  // Already monitoring: Redis ignores it and replies nothing.
  if (client.flags & CLIENT_MONITOR) return;
  client.flags |= CLIENT_MONITOR;
  ctx.server.control.addMonitor(client);
  ctx.reply.ok();
}

const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'];
const CLIENT_FLAGS = ['noscript', 'loading', 'stale'];
const ON_OFF_ARG = { name: 'enabled', type: 'oneof' as const, arguments: [{ name: 'on', type: 'pure-token' as const, token: 'ON' }, { name: 'off', type: 'pure-token' as const, token: 'OFF' }] };

/** The CLIENT subcommands defined here, merged into CLIENT's list by connection.ts. */
export const CLIENT_CONTROL_SUBCOMMANDS: CommandSpec[] = [
  {
    name: 'pause', arity: -3, flags: ADMIN_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Stop processing commands from clients for some time', since: '2.9.50',
    complexity: 'O(1)',
    history: [['6.2.0', '`CLIENT PAUSE WRITE` mode added along with the `mode` option.']],
    args: [
      { name: 'timeout', type: 'integer' },
      { name: 'mode', type: 'oneof', optional: true, since: '6.2.0', arguments: [{ name: 'write', type: 'pure-token', token: 'WRITE' }, { name: 'all', type: 'pure-token', token: 'ALL' }] },
    ],
    handler: clientPauseCommand,
  },
  {
    name: 'unpause', arity: 2, flags: ADMIN_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Resume processing of clients that were paused', since: '6.2.0',
    complexity: 'O(N) Where N is the number of paused clients',
    handler: clientUnpauseCommand,
  },
  {
    name: 'unblock', arity: -3, flags: ADMIN_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Unblock a client blocked in a blocking command from a different connection', since: '5.0.0',
    complexity: 'O(log N) where N is the number of client connections',
    args: [
      { name: 'client-id', type: 'integer' },
      { name: 'timeout_error', type: 'oneof', optional: true, arguments: [{ name: 'timeout', type: 'pure-token', token: 'TIMEOUT' }, { name: 'error', type: 'pure-token', token: 'ERROR' }] },
    ],
    handler: clientUnblockCommand,
  },
  {
    name: 'reply', arity: 3, flags: CLIENT_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Instruct the server whether to reply to commands', since: '3.2.0',
    complexity: 'O(1)',
    args: [{ name: 'on_off_skip', type: 'oneof', arguments: [{ name: 'on', type: 'pure-token', token: 'ON' }, { name: 'off', type: 'pure-token', token: 'OFF' }, { name: 'skip', type: 'pure-token', token: 'SKIP' }] }],
    handler: clientReplyCommand,
  },
  {
    name: 'no-evict', arity: 3, flags: ADMIN_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Set client eviction mode for the current connection', since: '7.0.0',
    complexity: 'O(1)',
    args: [ON_OFF_ARG],
    handler: clientNoEvictCommand,
  },
  {
    name: 'no-touch', arity: 3, flags: CLIENT_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Controls whether commands sent by the client affect the LRU/LFU of accessed keys', since: '7.2.0',
    complexity: 'O(1)',
    args: [ON_OFF_ARG],
    handler: clientNoTouchCommand,
  },
];

export const CLIENT_CONTROL_COMMANDS: CommandSpec[] = [
  {
    name: 'reset', arity: 1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Reset the connection', since: '6.2.0',
    complexity: 'O(1)',
    handler: resetCommand,
  },
  {
    name: 'monitor', arity: 1, flags: ADMIN_FLAGS, firstKey: 0, lastKey: 0, step: 0,
    group: 'server', summary: 'Listen for all requests received by the server in real time', since: '1.0.0',
    complexity: '',
    handler: monitorCommand,
  },
];
