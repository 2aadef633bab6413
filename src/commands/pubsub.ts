/**
 * Pub/sub: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH,
 * SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH and PUBSUB (Redis's pubsub.c), and the
 * registry behind them: channels, patterns and shard channels to their
 * subscribers, and each client's own subscriptions. One registry per server
 * (ServerState.pubsub); keyspace notifications reach it through
 * `signals.publish` (signals.ts), and client tracking's RESP2 redirection
 * through `isSubscribed` and `deliverMessage`.
 *
 * A message is encoded once per protocol into one Buffer, and that same
 * Buffer is handed to every subscriber of that protocol (ClientState.deliver),
 * never re-encoded per subscriber. Subscribe and unsubscribe confirmations
 * are replies to the client's own command, written through its writer as
 * pushes (`>` in RESP3, an array in RESP2), as Redis's addReplyPushLen.
 *
 * CLIENT_PUBSUB is set while a client has at least one subscription of any
 * kind; the dispatcher then refuses all but (P|S)(UN)SUBSCRIBE, PING, QUIT
 * and RESET in RESP2.
 *
 * Channel names are latin1 strings (the bytes as given), like keys.
 */
import { TARGET_REPL } from './propagation.js';
import { SSUBSCRIBE_DENY_BLOCKING, subcommandSyntaxError } from '../errors.js';
import { globMatch } from '../keyspace/glob.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString } from './args.js';
import { replyHelp } from './connection.js';
import { CLIENT_MULTI, CLIENT_PUBSUB, type ClientState, type ServerState } from './state.js';
import type { CommandContext, CommandSpec } from './table.js';

/** One client's subscriptions (Redis's c->pubsub_channels, c->pubsub_patterns, c->pubsubshard_channels). */
interface ClientSubscriptions {
  readonly channels: Set<string>;
  /** In subscription order, as Redis's list. */
  readonly patterns: Set<string>;
  readonly shard: Set<string>;
}

/** The wire form of one message for one protocol: built once per publish. */
const CRLF = '\r\n';

function bulkHeader(n: number): string {
  return '$' + n + CRLF;
}

function argLength(a: Arg | string): number {
  return typeof a === 'string' ? a.length : a.length;
}

/**
 * Encodes `kind` (message, smessage, pmessage) with its parts as one push:
 * `*N` in RESP2, `>N` in RESP3, then each part as a bulk string. Strings
 * are latin1 bytes.
 */
export function encodePush(resp: 2 | 3, kind: string, parts: readonly (Arg | string)[]): Buffer {
  let head = (resp === 3 ? '>' : '*') + (parts.length + 1) + CRLF + bulkHeader(kind.length) + kind + CRLF;
  let size = head.length;
  for (const p of parts) size += bulkHeader(argLength(p)).length + argLength(p) + 2;
  const out = Buffer.allocUnsafe(size);
  let at = out.latin1Write(head, 0);
  for (const p of parts) {
    head = bulkHeader(argLength(p));
    at += out.latin1Write(head, at);
    if (typeof p === 'string') at += out.latin1Write(p, at);
    else at += p.copy(out, at);
    out[at++] = 13;
    out[at++] = 10;
  }
  return out;
}

/** Delivers to every client of `subs` the push encoded by `encode`, once per protocol; returns how many. */
function deliverAll(subs: Set<ClientState>, encode: (resp: 2 | 3) => Buffer): number {
  let b2: Buffer | null = null;
  let b3: Buffer | null = null;
  let n = 0;
  for (const c of subs) {
    if (c.resp === 3) c.deliver(b3 ??= encode(3));
    else c.deliver(b2 ??= encode(2));
    n++;
  }
  return n;
}

function addTo(map: Map<string, Set<ClientState>>, name: string, c: ClientState): void {
  let set = map.get(name);
  if (set === undefined) {
    set = new Set();
    map.set(name, set);
  }
  set.add(c);
}

function removeFrom(map: Map<string, Set<ClientState>>, name: string, c: ClientState): void {
  const set = map.get(name);
  if (set === undefined) return;
  set.delete(c);
  // No empty entries: PUBSUB CHANNELS lists only channels with subscribers.
  if (set.size === 0) map.delete(name);
}

/** The server's subscriptions (Redis's server.pubsub_channels, pubsub_patterns, pubsubshard_channels). */
export class PubSubRegistry {
  readonly channels = new Map<string, Set<ClientState>>();
  readonly patterns = new Map<string, Set<ClientState>>();
  readonly shardChannels = new Map<string, Set<ClientState>>();
  private readonly clients = new Map<ClientState, ClientSubscriptions>();

  private subsOf(c: ClientState): ClientSubscriptions {
    let s = this.clients.get(c);
    if (s === undefined) {
      s = { channels: new Set(), patterns: new Set(), shard: new Set() };
      this.clients.set(c, s);
    }
    return s;
  }

  /** Channels plus patterns (Redis's clientSubscriptionsCount). */
  subscriptionCount(c: ClientState): number {
    const s = this.clients.get(c);
    return s === undefined ? 0 : s.channels.size + s.patterns.size;
  }

  /** Shard channels (clientShardSubscriptionsCount). */
  shardSubscriptionCount(c: ClientState): number {
    return this.clients.get(c)?.shard.size ?? 0;
  }

  /** Whether `c` is subscribed to `channel` (not by pattern). */
  isSubscribed(c: ClientState, channel: string): boolean {
    return this.clients.get(c)?.channels.has(channel) ?? false;
  }

  /** Clears CLIENT_PUBSUB once the client has no subscription of any kind. */
  private settle(c: ClientState): void {
    const s = this.clients.get(c);
    if (s !== undefined && s.channels.size + s.patterns.size + s.shard.size === 0) {
      this.clients.delete(c);
      c.flags &= ~CLIENT_PUBSUB;
    }
  }

  /** Adds one subscription; false when the client already had it. */
  subscribe(c: ClientState, channel: string, shard: boolean): boolean {
    const s = this.subsOf(c);
    const mine = shard ? s.shard : s.channels;
    c.flags |= CLIENT_PUBSUB;
    if (mine.has(channel)) return false;
    mine.add(channel);
    addTo(shard ? this.shardChannels : this.channels, channel, c);
    return true;
  }

  unsubscribe(c: ClientState, channel: string, shard: boolean): boolean {
    const s = this.clients.get(c);
    const mine = s === undefined ? undefined : shard ? s.shard : s.channels;
    if (mine === undefined || !mine.delete(channel)) return false;
    removeFrom(shard ? this.shardChannels : this.channels, channel, c);
    return true;
  }

  psubscribe(c: ClientState, pattern: string): boolean {
    const s = this.subsOf(c);
    c.flags |= CLIENT_PUBSUB;
    if (s.patterns.has(pattern)) return false;
    s.patterns.add(pattern);
    addTo(this.patterns, pattern, c);
    return true;
  }

  punsubscribe(c: ClientState, pattern: string): boolean {
    const s = this.clients.get(c);
    if (s === undefined || !s.patterns.delete(pattern)) return false;
    removeFrom(this.patterns, pattern, c);
    return true;
  }

  /** The client's channels (shard or not) or patterns, as a copy to iterate while removing. */
  list(c: ClientState, kind: 'channels' | 'patterns' | 'shard'): string[] {
    const s = this.clients.get(c);
    return s === undefined ? [] : [...s[kind]];
  }

  /** Drops every subscription of `c`, without replies (client close, RESET). */
  unsubscribeAll(c: ClientState): void {
    const s = this.clients.get(c);
    if (s !== undefined) {
      for (const ch of s.channels) removeFrom(this.channels, ch, c);
      for (const p of s.patterns) removeFrom(this.patterns, p, c);
      for (const ch of s.shard) removeFrom(this.shardChannels, ch, c);
      this.clients.delete(c);
    }
    c.flags &= ~CLIENT_PUBSUB;
  }

  /**
   * PUBLISH (Redis's pubsubPublishMessage): to the channel's subscribers,
   * then to each pattern that matches, in subscription order; returns the
   * receivers (a client matching twice counts twice).
   */
  publish(channel: string, message: Arg | string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) n += deliverAll(subs, (resp) => encodePush(resp, 'message', [channel, message]));
    if (this.patterns.size > 0) {
      for (const [pattern, clients] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        n += deliverAll(clients, (resp) => encodePush(resp, 'pmessage', [pattern, channel, message]));
      }
    }
    return n;
  }

  /** SPUBLISH: shard channels ignore patterns. */
  spublish(channel: string, message: Arg | string): number {
    const subs = this.shardChannels.get(channel);
    return subs === undefined ? 0 : deliverAll(subs, (resp) => encodePush(resp, 'smessage', [channel, message]));
  }
}

// ---- for other modules ------------------------------------------------------

/** Drops every subscription of `client` without replies, leaving subscribed mode (RESET, client close). */
export function unsubscribeAll(server: ServerState, client: ClientState): void {
  server.pubsub.unsubscribeAll(client);
}

/** Whether `client` is subscribed to `channel` itself (client tracking's RESP2 redirection to `__redis__:invalidate`). */
export function isSubscribed(server: ServerState, client: ClientState, channel: string): boolean {
  return server.pubsub.isSubscribed(client, channel);
}

/** Sends `client` one `message` push on `channel` in its protocol (an invalidation, say); `message` may be a nested reply already encoded by the caller only as a bulk. */
export function deliverMessage(client: ClientState, channel: string, message: Arg | string): void {
  client.deliver(encodePush(client.resp, 'message', [channel, message]));
}

// ---- commands ---------------------------------------------------------------

function replyArg(ctx: CommandContext, a: Arg): void {
  if (typeof a === 'string') ctx.reply.bulk(a);
  else ctx.reply.bulkBuffer(a);
}

/** One confirmation: `[kind, name, count]` as a push, or `[kind, nil, count]` (addReplyPubsub(Un)Subscribed). */
function confirm(ctx: CommandContext, kind: string, name: Arg | null, count: number): void {
  const w = ctx.reply;
  w.pushHeader(3);
  w.bulk(kind);
  if (name === null) w.nullBulk();
  else replyArg(ctx, name);
  w.integer(count);
}

// SUBSCRIBE channel [channel ...]
function subscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  const reg = ctx.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    reg.subscribe(ctx.client, argString(argv[i]!), false);
    confirm(ctx, 'subscribe', argv[i]!, reg.subscriptionCount(ctx.client));
  }
}

// SSUBSCRIBE shardchannel [shardchannel ...]
function ssubscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  // Inside EXEC the client denies blocking (Redis's CLIENT_DENY_BLOCKING); SUBSCRIBE is let through there for compatibility, SSUBSCRIBE is not.
  if (ctx.client.flags & CLIENT_MULTI) {
    ctx.reply.error(SSUBSCRIBE_DENY_BLOCKING);
    return;
  }
  const reg = ctx.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    reg.subscribe(ctx.client, argString(argv[i]!), true);
    confirm(ctx, 'ssubscribe', argv[i]!, reg.shardSubscriptionCount(ctx.client));
  }
}

// PSUBSCRIBE pattern [pattern ...]
function psubscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  const reg = ctx.server.pubsub;
  for (let i = 1; i < argv.length; i++) {
    reg.psubscribe(ctx.client, argString(argv[i]!));
    confirm(ctx, 'psubscribe', argv[i]!, reg.subscriptionCount(ctx.client));
  }
}

/**
 * UNSUBSCRIBE / SUNSUBSCRIBE / PUNSUBSCRIBE [name ...]: each name is
 * confirmed, subscribed or not; with no names every subscription of the
 * kind goes, one confirmation each, or one with a nil name when there was
 * none (pubsubUnsubscribeAllChannelsInternal).
 */
function unsubscribeGeneric(ctx: CommandContext, argv: Arg[], kind: 'channels' | 'patterns' | 'shard', reply: string): void {
  const reg = ctx.server.pubsub;
  const c = ctx.client;
  const remove = (name: string): void => {
    if (kind === 'patterns') reg.punsubscribe(c, name);
    else reg.unsubscribe(c, name, kind === 'shard');
  };
  const count = (): number => (kind === 'shard' ? reg.shardSubscriptionCount(c) : reg.subscriptionCount(c));
  if (argv.length === 1) {
    const names = reg.list(c, kind);
    for (const name of names) {
      remove(name);
      confirm(ctx, reply, name, count());
    }
    if (names.length === 0) confirm(ctx, reply, null, count());
  } else {
    for (let i = 1; i < argv.length; i++) {
      remove(argString(argv[i]!));
      confirm(ctx, reply, argv[i]!, count());
    }
  }
  if (c.flags & CLIENT_PUBSUB && reg.subscriptionCount(c) + reg.shardSubscriptionCount(c) === 0) reg.unsubscribeAll(c);
}

function unsubscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  unsubscribeGeneric(ctx, argv, 'channels', 'unsubscribe');
}

function sunsubscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  unsubscribeGeneric(ctx, argv, 'shard', 'sunsubscribe');
}

function punsubscribeCommand(ctx: CommandContext, argv: Arg[]): void {
  unsubscribeGeneric(ctx, argv, 'patterns', 'punsubscribe');
}

// PUBLISH channel message
function publishCommand(ctx: CommandContext, argv: Arg[]): void {
  ctx.reply.integer(ctx.server.pubsub.publish(argString(argv[1]!), argv[2]!));
  // Replicas pass messages on to their own subscribers; the AOF keeps none.
  if (ctx.server.propagation.active) ctx.server.propagation.force(TARGET_REPL);
}

// SPUBLISH shardchannel message
function spublishCommand(ctx: CommandContext, argv: Arg[]): void {
  ctx.reply.integer(ctx.server.pubsub.spublish(argString(argv[1]!), argv[2]!));
  if (ctx.server.propagation.active) ctx.server.propagation.force(TARGET_REPL);
}

/** PUBSUB CHANNELS / SHARDCHANNELS [pattern] (channelList). */
function channelList(ctx: CommandContext, argv: Arg[], channels: Map<string, Set<ClientState>>): void {
  const pattern = argv.length > 2 ? argString(argv[2]!) : null;
  const out: string[] = [];
  for (const ch of channels.keys()) if (pattern === null || globMatch(pattern, ch)) out.push(ch);
  ctx.reply.arrayHeader(out.length);
  for (const ch of out) ctx.reply.bulk(ch);
}

/** PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: name, count pairs in a flat array. */
function numsub(ctx: CommandContext, argv: Arg[], channels: Map<string, Set<ClientState>>): void {
  ctx.reply.arrayHeader((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    replyArg(ctx, argv[i]!);
    ctx.reply.integer(channels.get(argString(argv[i]!))?.size ?? 0);
  }
}

const PUBSUB_HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

// PUBSUB CHANNELS [pattern]
function pubsubChannelsCommand(ctx: CommandContext, argv: Arg[]): void {
  channelList(ctx, argv, ctx.server.pubsub.channels);
}

// PUBSUB SHARDCHANNELS [pattern]
function pubsubShardchannelsCommand(ctx: CommandContext, argv: Arg[]): void {
  channelList(ctx, argv, ctx.server.pubsub.shardChannels);
}

// PUBSUB NUMSUB [channel ...]
function pubsubNumsubCommand(ctx: CommandContext, argv: Arg[]): void {
  numsub(ctx, argv, ctx.server.pubsub.channels);
}

// PUBSUB SHARDNUMSUB [shardchannel ...]
function pubsubShardnumsubCommand(ctx: CommandContext, argv: Arg[]): void {
  numsub(ctx, argv, ctx.server.pubsub.shardChannels);
}

// PUBSUB NUMPAT
function pubsubNumpatCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.server.pubsub.patterns.size);
}

function pubsubHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'PUBSUB', PUBSUB_HELP);
}

/**
 * CHANNELS and SHARDCHANNELS take at most one pattern: more is Redis's
 * pubsubCommand fallback, the subcommand syntax error (the arity check,
 * -2, lets them through).
 */
function withPatternLimit(handler: (ctx: CommandContext, argv: Arg[]) => void): (ctx: CommandContext, argv: Arg[]) => void {
  return (ctx, argv) => {
    if (argv.length > 3) ctx.reply.error(subcommandSyntaxError(argString(argv[1]!), 'PUBSUB'));
    else handler(ctx, argv);
  };
}

// ---------------------------------------------------------------------------
// Specs, as Redis 7.0.15's COMMAND INFO and COMMAND DOCS give them.

const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'];
const NOT_KEY_RANGE = { flags: ['not_key'], beginSearch: { type: 'index' as const, index: 1 }, findKeys: { type: 'range' as const, lastkey: -1, step: 1, limit: 0 } };

const PUBSUB_SUBCOMMANDS: CommandSpec[] = [
  { name: 'channels', arity: -2, flags: ['pubsub', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'List active channels', since: '2.8.0', complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', args: [{ name: 'pattern', type: 'pattern', optional: true }], handler: withPatternLimit(pubsubChannelsCommand) },
  { name: 'numpat', arity: 2, flags: ['pubsub', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Get the count of unique patterns pattern subscriptions', since: '2.8.0', complexity: 'O(1)', handler: pubsubNumpatCommand },
  { name: 'numsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Get the count of subscribers for channels', since: '2.8.0', complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', args: [{ name: 'channel', type: 'string', optional: true, multiple: true }], handler: pubsubNumsubCommand },
  { name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Show helpful text about the different subcommands', since: '6.2.0', complexity: 'O(1)', handler: pubsubHelpCommand },
  { name: 'shardchannels', arity: -2, flags: ['pubsub', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'List active shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', args: [{ name: 'pattern', type: 'pattern', optional: true }], handler: withPatternLimit(pubsubShardchannelsCommand) },
  { name: 'shardnumsub', arity: -2, flags: ['pubsub', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Get the count of subscribers for shard channels', since: '7.0.0', complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }], handler: pubsubShardnumsubCommand },
];

export const PUBSUB_COMMANDS: CommandSpec[] = [
  { name: 'subscribe', arity: -2, flags: [...SUB_FLAGS, 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Listen for messages published to the given channels', since: '2.0.0', complexity: 'O(N) where N is the number of channels to subscribe to.', args: [{ name: 'channel', type: 'string', multiple: true }], handler: subscribeCommand },
  { name: 'unsubscribe', arity: -1, flags: [...SUB_FLAGS, 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Stop listening for messages posted to the given channels', since: '2.0.0', complexity: 'O(N) where N is the number of clients already subscribed to a channel.', args: [{ name: 'channel', type: 'string', optional: true, multiple: true }], handler: unsubscribeCommand },
  { name: 'psubscribe', arity: -2, flags: [...SUB_FLAGS, 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Listen for messages published to channels matching the given patterns', since: '2.0.0', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', args: [{ name: 'pattern', type: 'block', multiple: true, arguments: [{ name: 'pattern', type: 'pattern' }] }], handler: psubscribeCommand },
  { name: 'punsubscribe', arity: -1, flags: [...SUB_FLAGS, 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Stop listening for messages posted to channels matching the given patterns', since: '2.0.0', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', args: [{ name: 'pattern', type: 'pattern', optional: true, multiple: true }], handler: punsubscribeCommand },
  { name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'Post a message to a channel', since: '2.0.0', complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', args: [{ name: 'channel', type: 'string' }, { name: 'message', type: 'string' }], handler: publishCommand },
  { name: 'ssubscribe', arity: -2, flags: SUB_FLAGS, firstKey: 1, lastKey: -1, step: 1, group: 'pubsub', summary: 'Listen for messages published to the given shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of shard channels to subscribe to.', keySpecs: [NOT_KEY_RANGE], args: [{ name: 'shardchannel', type: 'string', multiple: true }], handler: ssubscribeCommand },
  { name: 'sunsubscribe', arity: -1, flags: SUB_FLAGS, firstKey: 1, lastKey: -1, step: 1, group: 'pubsub', summary: 'Stop listening for messages posted to the given shard channels', since: '7.0.0', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', keySpecs: [NOT_KEY_RANGE], args: [{ name: 'shardchannel', type: 'string', optional: true, multiple: true }], handler: sunsubscribeCommand },
  { name: 'spublish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], firstKey: 1, lastKey: 1, step: 1, group: 'pubsub', summary: 'Post a message to a shard channel', since: '7.0.0', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', keySpecs: [{ flags: ['not_key'], beginSearch: { type: 'index', index: 1 }, findKeys: { type: 'range', lastkey: 0, step: 1, limit: 0 } }], args: [{ name: 'shardchannel', type: 'string' }, { name: 'message', type: 'string' }], handler: spublishCommand },
  { name: 'pubsub', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0, group: 'pubsub', summary: 'A container for Pub/Sub commands', since: '2.8.0', complexity: 'Depends on subcommand.', subcommands: PUBSUB_SUBCOMMANDS },
];
