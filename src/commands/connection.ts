/**
 * The `connection` group: PING, ECHO, QUIT, HELLO, AUTH, SELECT and the
 * CLIENT container (ID, SETNAME, GETNAME, LIST, INFO, SETINFO, KILL, HELP).
 *
 * These commands act on the calling client's state (ClientState): its
 * protocol version, name, selected database and authentication. They see
 * other clients only through ServerState.clients, never through sockets.
 * Replies and errors follow Redis 7.0.15 (networking.c, acl.c, server.c,
 * db.c), except CLIENT SETINFO, which arrived in Redis 7.2 and follows that.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  AUTH_NO_PASSWORD, CLIENT_ID_NOT_POSITIVE, CLIENT_NAME_SPACES, DB_INDEX_OUT_OF_RANGE, HELLO_NOAUTH, INVALID_CLIENT_ID,
  NO_SUCH_CLIENT, NOPROTO, NOT_INTEGER, PROTOCOL_VERSION_NOT_INTEGER, SYNTAX_ERR, WRONGPASS, clientAttrSpaces,
  helloSyntaxError, noSuchUser, unknownClientType, unrecognizedOption, valueOutOfRange, wrongArity,
} from '../errors.js';
import type { Arg } from '../protocol/resp-parser.js';
import { MODE_RESP2, MODE_RESP3, MODE_TEXT } from '../protocol/reply-writer.js';
import {
  CLIENT_BLOCKED, CLIENT_MONITOR, CLIENT_MULTI, CLIENT_PUBSUB, CLIENT_TRACKING, type ClientState, type ServerState,
} from './state.js';
import { CLIENT_CONTROL_SUBCOMMANDS } from './client-control.js';
import { argString, parseInt64, tokenIs } from './args.js';
import type { CommandContext, CommandSpec } from './table.js';
import { CLIENT_CACHING_HELP, CLIENT_TRACKING_HELP, CLIENT_TRACKING_SUBCOMMANDS } from './tracking.js';

/** Largest value of a C int (getIntFromObjectOrReply). */
const INT_MAX = 2147483647;
const INT_MIN = -2147483648;

/**
 * Parses a C `int` as Redis's getIntFromObjectOrReply: string2ll rules, then
 * the int range. On failure replies with `msg`, or with Redis's generic
 * messages when `msg` is null, and returns NaN.
 */
export function parseCIntOrReply(ctx: CommandContext, arg: Arg, msg: string | null): number {
  const v = parseInt64(arg);
  if (v === null) {
    ctx.reply.error(msg ?? NOT_INTEGER);
    return NaN;
  }
  if (v < BigInt(INT_MIN) || v > BigInt(INT_MAX)) {
    ctx.reply.error(msg ?? valueOutOfRange(INT_MIN, INT_MAX));
    return NaN;
  }
  return Number(v);
}

/** Writes a bulk reply from an argument, string or Buffer. */
function replyArg(ctx: CommandContext, a: Arg): void {
  if (typeof a === 'string') ctx.reply.bulk(a);
  else ctx.reply.bulkBuffer(a);
}

/** Replies with Redis's help layout: a header line, the entries, then HELP. */
export function replyHelp(ctx: CommandContext, container: string, lines: readonly string[]): void {
  const w = ctx.reply;
  w.arrayHeader(lines.length + 3);
  w.simple(`${container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const line of lines) w.simple(line);
  w.simple('HELP');
  w.simple('    Prints this help.');
}

// PING [message]
function pingCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length > 2) {
    // Arity is -1 as in Redis, which checks the upper bound itself.
    ctx.reply.error(wrongArity('ping'));
    return;
  }
  if (ctx.client.flags & CLIENT_PUBSUB && ctx.client.resp === 2) {
    // Subscribed mode in RESP2: a pong shaped like a message, as Redis.
    ctx.reply.arrayHeader(2);
    ctx.reply.bulk('pong');
    if (argv.length === 1) ctx.reply.bulk('');
    else replyArg(ctx, argv[1]!);
    return;
  }
  if (argv.length === 1) ctx.reply.simple('PONG');
  else replyArg(ctx, argv[1]!);
}

// ECHO message
function echoCommand(ctx: CommandContext, argv: Arg[]): void {
  replyArg(ctx, argv[1]!);
}

// QUIT
function quitCommand(ctx: CommandContext): void {
  ctx.reply.ok();
  ctx.client.closeAfterReply = true;
}

// SELECT index
function selectCommand(ctx: CommandContext, argv: Arg[]): void {
  const id = parseCIntOrReply(ctx, argv[1]!, null);
  if (Number.isNaN(id)) return;
  if (id < 0 || id >= ctx.server.dbs.length) {
    ctx.reply.error(DB_INDEX_OUT_OF_RANGE);
    return;
  }
  ctx.client.dbIndex = id;
  ctx.db = ctx.server.dbs[id]!;
  ctx.reply.ok();
}

/** Compares two secrets in time independent of where they differ. */
function secretEquals(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'latin1').digest();
  const hb = createHash('sha256').update(b, 'latin1').digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Redis's ACLAuthenticateUser for the one user mini-kv has, `default`: with
 * no requirepass it is `nopass` and any password is accepted; otherwise the
 * password must be requirepass. Marks the client authenticated on success.
 */
function authenticate(ctx: CommandContext, username: string, password: string): boolean {
  if (username !== 'default') return false;
  const required = ctx.server.config.get('requirepass');
  if (required !== '' && !secretEquals(password, required)) return false;
  ctx.client.authenticated = true;
  return true;
}

// AUTH [username] password
function authCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length > 3) {
    ctx.reply.error(SYNTAX_ERR);
    return;
  }
  let username = 'default';
  let password: string;
  if (argv.length === 2) {
    // The two-argument form with no password set is an error, as in Redis (acl.c authCommand).
    if (ctx.server.config.get('requirepass') === '') {
      ctx.reply.error(AUTH_NO_PASSWORD);
      return;
    }
    password = argString(argv[1]!);
  } else {
    username = argString(argv[1]!);
    password = argString(argv[2]!);
  }
  if (authenticate(ctx, username, password)) ctx.reply.ok();
  else ctx.reply.error(WRONGPASS);
}

/**
 * Whether `name` may be a client name or a CLIENT SETINFO value: every byte
 * printable ASCII from '!' to '~' (Redis's validateClientAttr).
 */
function validClientAttr(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** Sets the client's name (empty clears it), or replies with the error and returns false (clientSetNameOrReply). */
function setNameOrReply(ctx: CommandContext, arg: Arg): boolean {
  const name = argString(arg);
  if (!validClientAttr(name)) {
    ctx.reply.error(CLIENT_NAME_SPACES);
    return false;
  }
  ctx.client.name = name;
  return true;
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function helloCommand(ctx: CommandContext, argv: Arg[]): void {
  let ver = 0;
  let next = 1;
  if (argv.length >= 2) {
    const v = parseInt64(argv[next++]!);
    if (v === null) {
      ctx.reply.error(PROTOCOL_VERSION_NOT_INTEGER);
      return;
    }
    if (v < 2n || v > 3n) {
      ctx.reply.error(NOPROTO);
      return;
    }
    ver = Number(v);
  }
  let username: string | null = null;
  let password: string | null = null;
  let clientName: Arg | null = null;
  for (let j = next; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!;
    if (tokenIs(opt, 'AUTH') && more >= 2) {
      username = argString(argv[j + 1]!);
      password = argString(argv[j + 2]!);
      j += 2;
    } else if (tokenIs(opt, 'SETNAME') && more >= 1) {
      clientName = argv[j + 1]!;
      j++;
    } else {
      ctx.reply.error(helloSyntaxError(argString(opt)));
      return;
    }
  }
  if (username !== null && password !== null && !authenticate(ctx, username, password)) {
    ctx.reply.error(WRONGPASS);
    return;
  }
  if (!ctx.client.authenticated) {
    ctx.reply.error(HELLO_NOAUTH);
    return;
  }
  if (clientName !== null && !setNameOrReply(ctx, clientName)) return;
  if (ver !== 0) {
    ctx.client.resp = ver as 2 | 3;
    // This reply already speaks the new protocol, as in Redis (inline text replies stay text).
    if (ctx.reply.mode !== MODE_TEXT) ctx.reply.mode = ver === 3 ? MODE_RESP3 : MODE_RESP2;
  }
  const w = ctx.reply;
  w.mapHeader(7);
  w.bulk('server');
  w.bulk('redis');
  w.bulk('version');
  w.bulk(ctx.server.version);
  w.bulk('proto');
  w.integer(ctx.client.resp);
  w.bulk('id');
  w.integer(ctx.client.id);
  w.bulk('mode');
  w.bulk('standalone');
  w.bulk('role');
  w.bulk('master');
  w.bulk('modules');
  w.arrayHeader(0);
}

// ---- CLIENT -------------------------------------------------------------

// CLIENT ID
function clientIdCommand(ctx: CommandContext): void {
  ctx.reply.integer(ctx.client.id);
}

// CLIENT SETNAME connection-name
function clientSetnameCommand(ctx: CommandContext, argv: Arg[]): void {
  if (setNameOrReply(ctx, argv[2]!)) ctx.reply.ok();
}

// CLIENT GETNAME
function clientGetnameCommand(ctx: CommandContext): void {
  if (ctx.client.name === '') ctx.reply.nullBulk();
  else ctx.reply.bulk(ctx.client.name);
}

// CLIENT SETINFO <LIB-NAME libname | LIB-VER libver>   (Redis 7.2)
function clientSetinfoCommand(ctx: CommandContext, argv: Arg[]): void {
  const attr = argv[2]!;
  const value = argString(argv[3]!);
  const isName = tokenIs(attr, 'LIB-NAME');
  if (!isName && !tokenIs(attr, 'LIB-VER')) {
    ctx.reply.error(unrecognizedOption(argString(attr)));
    return;
  }
  if (!validClientAttr(value)) {
    ctx.reply.error(clientAttrSpaces(argString(attr)));
    return;
  }
  if (isName) ctx.client.libName = value;
  else ctx.client.libVer = value;
  ctx.reply.ok();
}

/** Client types as CLIENT LIST/KILL TYPE name them (getClientTypeByName); mini-kv's clients are `normal` or `pubsub`. */
const CLIENT_TYPES = ['NORMAL', 'SLAVE', 'REPLICA', 'PUBSUB', 'MASTER'];

/** The upper-case type named by `arg`, or null when Redis would not know it. */
function clientType(arg: Arg): string | null {
  for (const t of CLIENT_TYPES) if (tokenIs(arg, t)) return t === 'SLAVE' ? 'REPLICA' : t;
  return null;
}

/** A client's type as Redis's getClientType sees it: PUBSUB when subscribed, otherwise NORMAL (a monitor included). */
function typeOf(c: ClientState): string {
  return c.flags & CLIENT_PUBSUB ? 'PUBSUB' : 'NORMAL';
}

/**
 * The `flags` field (catClientInfoString's letters, in its order): O
 * monitor, P pub/sub, x MULTI, b blocked, t tracking, R broken redirect,
 * B BCAST, d a watched key changed, c closing after the reply, e no-evict,
 * T no-touch (Redis 7.2); N when none.
 */
function clientFlagLetters(server: ServerState, c: ClientState): string {
  let f = '';
  if (c.flags & CLIENT_MONITOR) f += 'O';
  if (c.flags & CLIENT_PUBSUB) f += 'P';
  if (c.flags & CLIENT_MULTI) f += 'x';
  if (c.flags & CLIENT_BLOCKED) f += 'b';
  const t = c.flags & CLIENT_TRACKING ? server.tracking.of(c) : undefined;
  if (t !== undefined) {
    f += 't';
    if (t.brokenRedirect) f += 'R';
    if (t.bcast) f += 'B';
  }
  if (c.tx !== null && c.tx.dirtyCas) f += 'd';
  if (c.closeAfterReply) f += 'c';
  if (c.noEvict) f += 'e';
  if (c.noTouch) f += 'T';
  return f === '' ? 'N' : f;
}

/** Bytes of the commands MULTI queued, as Redis's mstate.argv_len_sums: each argument plus a pointer (8 bytes) per argument. */
function multiBytes(c: ClientState): number {
  if (c.tx === null || !(c.flags & CLIENT_MULTI)) return 0;
  let n = 0;
  const tx = c.tx;
  for (const q of tx.queue) {
    if (q.argv !== null) {
      n += argvBytes(q.argv) + 8 * q.argv.length;
      continue;
    }
    for (let i = 0; i < q.argc; i++) n += tx.rawSpans[2 * (q.rawAt + i) + 1]!;
    n += 8 * q.argc;
  }
  return n;
}

/**
 * One CLIENT LIST line, without the newline, with the fields of Redis
 * 7.0.15's catClientInfoString in its order. Fields tied to Redis internals
 * that mini-kv does not have are reported as their idle values: there is
 * no per-client reply buffer (rbs, rbp, obl, oll are 0; omem is the reply
 * bytes waiting for the socket), qbuf-free is 0, and tot-mem adds only
 * what mini-kv can count (query, reply, argv and MULTI bytes), not
 * Redis's struct sizes. `argvMem` is the size of the command being run,
 * for the calling client.
 */
function clientInfoLine(server: ServerState, c: ClientState, now: number, argvMem: number): string {
  const qbuf = c.queryBufferLength();
  const omem = c.outputBufferLength();
  const age = Math.max(0, Math.floor((now - c.createdAt) / 1000));
  const idle = Math.max(0, Math.floor((now - c.lastInteraction) / 1000));
  const events = omem > 0 ? 'rw' : 'r';
  const pubsub = server.pubsub;
  const subscribed = (c.flags & CLIENT_PUBSUB) !== 0;
  const sub = subscribed ? pubsub.list(c, 'channels').length : 0;
  const psub = subscribed ? pubsub.list(c, 'patterns').length : 0;
  const ssub = subscribed ? pubsub.shardSubscriptionCount(c) : 0;
  const multi = c.flags & CLIENT_MULTI && c.tx !== null ? c.tx.queue.length : -1;
  const multiMem = multiBytes(c);
  const tracking = c.flags & CLIENT_TRACKING ? server.tracking.of(c) : undefined;
  const redir = tracking === undefined ? -1 : tracking.redirect;
  return (
    `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name} age=${age} idle=${idle} flags=${clientFlagLetters(server, c)}` +
    ` db=${c.dbIndex} sub=${sub} psub=${psub} ssub=${ssub} multi=${multi} qbuf=${qbuf} qbuf-free=0 argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=0 rbp=0 obl=0 oll=0 omem=${omem} tot-mem=${qbuf + omem + argvMem + multiMem} events=${events} cmd=${c.lastCommand}` +
    ` user=default redir=${redir} resp=${c.resp}`
  );
}

/** Bytes of the current command's arguments (Redis's argv-mem for the caller). */
function argvBytes(argv: Arg[]): number {
  let n = 0;
  for (const a of argv) n += a.length;
  return n;
}

/** Bytes of the command a postponed client holds (Redis keeps its argv while it waits); 0 otherwise. */
function heldArgvBytes(server: ServerState, c: ClientState): number {
  if (!(c.flags & CLIENT_BLOCKED)) return 0;
  const held = server.blocking.blockedOf(c)?.postponed;
  return held === null || held === undefined ? 0 : argvBytes(held);
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
function clientListCommand(ctx: CommandContext, argv: Arg[]): void {
  const clients = ctx.server.clients;
  const self = ctx.client;
  const mem = argvBytes(argv);
  const lineOf = (c: ClientState): string => clientInfoLine(ctx.server, c, ctx.now, c === self ? mem : heldArgvBytes(ctx.server, c)) + '\n';
  let out = '';
  if (argv.length === 4 && tokenIs(argv[2]!, 'TYPE')) {
    const type = clientType(argv[3]!);
    if (type === null) {
      ctx.reply.error(unknownClientType(argString(argv[3]!)));
      return;
    }
    for (const c of clients.values()) if (typeOf(c) === type) out += lineOf(c);
  } else if (argv.length > 3 && tokenIs(argv[2]!, 'ID')) {
    const ids: number[] = [];
    for (let j = 3; j < argv.length; j++) {
      const v = parseInt64(argv[j]!);
      if (v === null) {
        ctx.reply.error(INVALID_CLIENT_ID);
        return;
      }
      ids.push(Number(v));
    }
    for (const id of ids) {
      const c = clients.get(id);
      if (c !== undefined) out += lineOf(c);
    }
  } else if (argv.length !== 2) {
    ctx.reply.error(SYNTAX_ERR);
    return;
  } else {
    for (const c of clients.values()) out += lineOf(c);
  }
  ctx.reply.verbatim(out);
}

// CLIENT INFO
function clientInfoCommand(ctx: CommandContext, argv: Arg[]): void {
  ctx.reply.verbatim(clientInfoLine(ctx.server, ctx.client, ctx.now, argvBytes(argv)) + '\n');
}

/** CLIENT KILL's filters; null fields match everything. */
interface KillFilter {
  id: number | null;
  type: string | null;
  addr: string | null;
  laddr: string | null;
  skipme: boolean;
}

/** Parses the new-style CLIENT KILL filters (argv[2...] in pairs), or replies with the error and returns null. */
function parseKillFilterOrReply(ctx: CommandContext, argv: Arg[]): KillFilter | null {
  const f: KillFilter = { id: null, type: null, addr: null, laddr: null, skipme: true };
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!;
    const hasValue = i + 1 < argv.length;
    const value = hasValue ? argv[i + 1]! : '';
    if (tokenIs(opt, 'ID') && hasValue) {
      const v = parseInt64(value);
      if (v === null || v < 1n) {
        ctx.reply.error(CLIENT_ID_NOT_POSITIVE);
        return null;
      }
      f.id = Number(v);
    } else if (tokenIs(opt, 'TYPE') && hasValue) {
      f.type = clientType(value);
      if (f.type === null) {
        ctx.reply.error(unknownClientType(argString(value)));
        return null;
      }
    } else if (tokenIs(opt, 'ADDR') && hasValue) {
      f.addr = argString(value);
    } else if (tokenIs(opt, 'LADDR') && hasValue) {
      f.laddr = argString(value);
    } else if (tokenIs(opt, 'USER') && hasValue) {
      // `default` is the only user; every client is authenticated as it.
      if (argString(value) !== 'default') {
        ctx.reply.error(noSuchUser(argString(value)));
        return null;
      }
    } else if (tokenIs(opt, 'SKIPME') && hasValue) {
      if (tokenIs(value, 'YES')) f.skipme = true;
      else if (tokenIs(value, 'NO')) f.skipme = false;
      else {
        ctx.reply.error(SYNTAX_ERR);
        return null;
      }
    } else {
      ctx.reply.error(SYNTAX_ERR);
      return null;
    }
  }
  return f;
}

// CLIENT KILL ip:port
// CLIENT KILL <ID client-id | TYPE type | USER username | ADDR ip:port | LADDR ip:port | SKIPME yes/no> ...
function clientKillCommand(ctx: CommandContext, argv: Arg[]): void {
  const oldStyle = argv.length === 3;
  let filter: KillFilter | null;
  if (oldStyle) {
    // The old form names one address and may kill the caller itself (skipme is off).
    filter = { id: null, type: null, addr: argString(argv[2]!), laddr: null, skipme: false };
  } else {
    filter = parseKillFilterOrReply(ctx, argv);
    if (filter === null) return;
  }
  const victims: ClientState[] = [];
  for (const c of ctx.server.clients.values()) {
    if (filter.id !== null && c.id !== filter.id) continue;
    if (filter.type !== null && filter.type !== typeOf(c)) continue;
    // Redis 7.4 compares whole seconds of age with the command's time snapshot.
    if (filter.addr !== null && c.addr !== filter.addr) continue;
    if (filter.laddr !== null && c.laddr !== filter.laddr) continue;
    if (filter.skipme && c === ctx.client) continue;
    victims.push(c);
  }
  if (oldStyle) {
    if (victims.length === 0) ctx.reply.error(NO_SUCH_CLIENT);
    else ctx.reply.ok();
  } else {
    ctx.reply.integer(victims.length);
  }
  // Killing the caller closes it once this reply has been sent.
  for (const c of victims) c.kill();
}

const CLIENT_HELP = [
  ...CLIENT_CACHING_HELP,
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  ...CLIENT_TRACKING_HELP,
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
  'NO-TOUCH (ON|OFF)',
  "    Will not touch LRU/LFU stats when this mode is on.",
  'SETINFO <option> <value>',
  '    Set client meta attr. Options are:',
  '    * LIB-NAME: the client lib name.',
  '    * LIB-VER: the client lib version.',
];

// CLIENT HELP
function clientHelpCommand(ctx: CommandContext): void {
  replyHelp(ctx, 'CLIENT', CLIENT_HELP);
}

const CLIENT_SUBCOMMANDS: CommandSpec[] = [
  // Client-side caching: TRACKING, CACHING, GETREDIR, TRACKINGINFO (tracking.ts).
  ...CLIENT_TRACKING_SUBCOMMANDS,
  // PAUSE, UNPAUSE, UNBLOCK, REPLY, NO-EVICT, NO-TOUCH (client-control.ts).
  ...CLIENT_CONTROL_SUBCOMMANDS,
  {
    name: 'id', arity: 2, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Returns the client ID for the current connection', since: '5.0.0',
    complexity: 'O(1)',
    handler: clientIdCommand,
  },
  {
    name: 'setname', arity: 3, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Set the current connection name', since: '2.6.9',
    complexity: 'O(1)',
    args: [{ name: 'connection-name', type: 'string' }],
    handler: clientSetnameCommand,
  },
  {
    name: 'getname', arity: 2, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Get the current connection name', since: '2.6.9',
    complexity: 'O(1)',
    handler: clientGetnameCommand,
  },
  {
    name: 'setinfo', arity: 4, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Sets information specific to the client or connection.', since: '7.2.0',
    complexity: 'O(1)',
    args: [{ name: 'attr', type: 'oneof', arguments: [{ name: 'libname', type: 'string', token: 'LIB-NAME' }, { name: 'libver', type: 'string', token: 'LIB-VER' }] }],
    handler: clientSetinfoCommand,
  },
  {
    name: 'list', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Get the list of client connections', since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    tips: ['nondeterministic_output'],
    history: [['2.8.12', 'Added unique client `id` field.'], ['5.0.0', 'Added optional `TYPE` filter.'], ['6.0.0', 'Added `user` field.'], ['6.2.0', 'Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.'], ['7.0.0', 'Added `resp`, `multi-mem`, `rbs` and `rbp` fields.'], ['7.0.3', 'Added `ssub` field.']],
    args: [
      { name: 'normal_master_replica_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '5.0.0', arguments: [{ name: 'normal', type: 'pure-token', token: 'NORMAL' }, { name: 'master', type: 'pure-token', token: 'MASTER' }, { name: 'replica', type: 'pure-token', token: 'REPLICA' }, { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' }] },
      { name: 'id', type: 'block', token: 'ID', optional: true, since: '6.2.0', arguments: [{ name: 'client-id', type: 'integer', multiple: true }] },
    ],
    handler: clientListCommand,
  },
  {
    name: 'info', arity: 2, flags: ['noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Returns information about the current client connection.', since: '6.2.0',
    complexity: 'O(1)',
    tips: ['nondeterministic_output'],
    handler: clientInfoCommand,
  },
  {
    name: 'kill', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Kill the connection of a client', since: '2.4.0',
    complexity: 'O(N) where N is the number of client connections',
    history: [['2.8.12', 'Added new filter format.'], ['2.8.12', '`ID` option.'], ['3.2.0', 'Added `master` type in for `TYPE` option.'], ['5.0.0', 'Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.'], ['6.2.0', '`LADDR` option.']],
    args: [{
      name: 'filter', type: 'oneof', arguments: [
        { name: 'ip:port', type: 'string', deprecated_since: '2.8.12' },
        {
          name: 'new-format', type: 'oneof', multiple: true, arguments: [
            { name: 'client-id', type: 'integer', token: 'ID', optional: true, since: '2.8.12' },
            { name: 'normal_master_slave_pubsub', type: 'oneof', token: 'TYPE', optional: true, since: '2.8.12', arguments: [{ name: 'normal', type: 'pure-token', token: 'NORMAL' }, { name: 'master', type: 'pure-token', token: 'MASTER', since: '3.2.0' }, { name: 'slave', type: 'pure-token', token: 'SLAVE' }, { name: 'replica', type: 'pure-token', token: 'REPLICA', since: '5.0.0' }, { name: 'pubsub', type: 'pure-token', token: 'PUBSUB' }] },
            { name: 'username', type: 'string', token: 'USER', optional: true },
            { name: 'ip:port', type: 'string', token: 'ADDR', optional: true },
            { name: 'ip:port', type: 'string', token: 'LADDR', optional: true, since: '6.2.0' },
            { name: 'yes/no', type: 'string', token: 'SKIPME', optional: true },
          ],
        },
      ],
    }],
    handler: clientKillCommand,
  },
  {
    name: 'help', arity: 2, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Show helpful text about the different subcommands', since: '5.0.0',
    complexity: 'O(1)',
    handler: clientHelpCommand,
  },
];

export const CONNECTION_COMMANDS: CommandSpec[] = [
  {
    name: 'ping', arity: -1, flags: ['fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Ping the server', since: '1.0.0',
    complexity: 'O(1)',
    tips: ['request_policy:all_shards', 'response_policy:all_succeeded'],
    args: [{ name: 'message', type: 'string', optional: true }],
    handler: pingCommand,
  },
  {
    name: 'echo', arity: 2, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Echo the given string', since: '1.0.0',
    complexity: 'O(1)',
    args: [{ name: 'message', type: 'string' }],
    handler: echoCommand,
  },
  {
    name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Close the connection', since: '1.0.0',
    complexity: 'O(1)',
    handler: quitCommand,
  },
  {
    name: 'hello', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Handshake with Redis', since: '6.0.0',
    complexity: 'O(1)',
    history: [['6.2.0', '`protover` made optional; when called without arguments the command reports the current connection\'s context.']],
    args: [{
      name: 'arguments', type: 'block', optional: true, arguments: [
        { name: 'protover', type: 'integer' },
        { name: 'username_password', type: 'block', token: 'AUTH', optional: true, arguments: [{ name: 'username', type: 'string' }, { name: 'password', type: 'string' }] },
        { name: 'clientname', type: 'string', token: 'SETNAME', optional: true },
      ],
    }],
    handler: helloCommand,
  },
  {
    name: 'auth', arity: -2, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Authenticate to the server', since: '1.0.0',
    complexity: 'O(N) where N is the number of passwords defined for the user',
    history: [['6.0.0', 'Added ACL style (username and password).']],
    args: [{ name: 'username', type: 'string', optional: true, since: '6.0.0' }, { name: 'password', type: 'string' }],
    handler: authCommand,
  },
  {
    name: 'select', arity: 2, flags: ['loading', 'stale', 'fast'], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'Change the selected database for the current connection', since: '1.0.0',
    complexity: 'O(1)',
    args: [{ name: 'index', type: 'integer' }],
    handler: selectCommand,
  },
  {
    name: 'client', arity: -2, flags: [], firstKey: 0, lastKey: 0, step: 0,
    group: 'connection', summary: 'A container for client connection commands', since: '2.4.0',
    complexity: 'Depends on subcommand.',
    subcommands: CLIENT_SUBCOMMANDS,
  },
];
