/**
 * Every error string a client can receive, in one place, checked against
 * Redis 7.0.15 (server.c, networking.c, t_string.c, db.c, expire.c).
 *
 * Convention (see STYLE.md): a generic message carries no code and the reply
 * writer prefixes `ERR `; a message with its own code (WRONGTYPE, NOPROTO, …)
 * starts with that code in upper case. Anything built from client input goes
 * through `sanitize`, which maps CR and LF to spaces as Redis's
 * addReplyErrorLength does, so a key name can never break the protocol.
 *
 * Failures that are not replies (bad options, port in use, misuse of the
 * embedding API) are `MiniKvError` subclasses at the bottom of this file.
 */

export const SYNTAX_ERR = 'syntax error';
export const NOT_INTEGER = 'value is not an integer or out of range';
export const NOT_FLOAT = 'value is not a valid float';
export const OVERFLOW = 'increment or decrement would overflow';
/** DECRBY -9223372036854775808: negating LLONG_MIN would overflow (t_string.c decrbyCommand). */
export const DECR_OVERFLOW = 'decrement would overflow';
export const INCR_FLOAT_NAN = 'increment would produce NaN or Infinity';
export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NO_SUCH_KEY = 'no such key';
export const DB_INDEX_OUT_OF_RANGE = 'DB index is out of range';
export const SOURCE_DEST_SAME = 'source and destination objects are the same';
export const STRING_TOO_LONG = 'string exceeds maximum allowed size (proto-max-bulk-len)';
export const OFFSET_OUT_OF_RANGE = 'offset is out of range';
export const NOPROTO = 'NOPROTO unsupported protocol version';
export const INVALID_CURSOR = 'invalid cursor';
export const EXPIRE_OPTIONS_CONFLICT = 'NX and XX, GT or LT options at the same time are not compatible';
/** A 64-bit integer outside int's range where Redis wants an int (object.c getIntFromObjectOrReply). */
export const INT_OUT_OF_RANGE = 'value is out of range, value must between -2147483648 and 2147483647';
/** EXPIRE family with both GT and LT (expire.c parseExtendedExpireArgumentsOrReply). */
export const GT_LT_CONFLICT = 'GT and LT options at the same time are not compatible';
/** OBJECT FREQ without an LFU maxmemory-policy (object.c objectCommand). */
export const LFU_NOT_SELECTED = 'An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
/** OBJECT IDLETIME with an LFU maxmemory-policy (object.c objectCommand). */
export const LFU_SELECTED = 'An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';
export const INVALID_COMMAND_SPECIFIED = 'Invalid command specified';
export const INVALID_ARGS_SPECIFIED = 'Invalid arguments specified for command';
export const INVALID_NUMBER_OF_ARGS = 'Invalid number of arguments specified for command';
export const NO_SUCH_CLIENT = 'No such client';
export const CLIENT_NAME_SPACES = 'Client names cannot contain spaces, newlines or special characters.';
export const MAX_CLIENTS = 'max number of clients reached';
/**
 * Sent to a non-loopback client in protected mode, then the connection is
 * closed (networking.c clientAcceptHandler): Redis's text, naming mini-kv.
 */
export const DENIED_PROTECTED_MODE = 'DENIED mini-kv is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to mini-kv you may adopt one of the following solutions: 1) Just disable protected mode sending the command \'CONFIG SET protected-mode no\' from the loopback interface by connecting to mini-kv from the same host the server is running, however MAKE SURE mini-kv is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the mini-kv configuration file, and setting the protected mode option to \'no\', and then restarting the server. 3) If you started the server manually just for testing, restart it with the \'--protected-mode no\' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.';
/** SHUTDOWN ABORT with no shutdown under way (server.c shutdownCommand). */
export const NO_SHUTDOWN_IN_PROGRESS = 'No shutdown in progress.';
/**
 * SHUTDOWN SAVE: Redis 7.0 answers `Errors trying to SHUTDOWN. Check logs.`
 * when the final save fails and keeps running; mini-kv has nothing to save
 * with, so it gives the same start and the reason in place of the logs.
 */
export const SHUTDOWN_SAVE_NOT_SUPPORTED = 'Errors trying to SHUTDOWN: SAVE is not supported yet, mini-kv keeps no data on disk. Use SHUTDOWN or SHUTDOWN NOSAVE.';

/**
 * `'appendonly yes' is not supported yet: <why>`: an option value mini-kv
 * cannot honour, refused at start-up and by CONFIG SET rather than ignored.
 */
export function notSupportedYet(what: string, why: string): string {
  return sanitize(`'${what}' is not supported yet: ${why}`);
}

// Connection and server commands (networking.c, acl.c, server.c, db.c, config.c).
export const AUTH_NO_PASSWORD = 'AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?';
/** Any command but AUTH, HELLO and QUIT before authenticating when a password is set (server.c shared.noautherr). */
export const NOAUTH = 'NOAUTH Authentication required.';
export const WRONGPASS = 'WRONGPASS invalid username-password pair or user is disabled.';
export const HELLO_NOAUTH = 'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time';
export const PROTOCOL_VERSION_NOT_INTEGER = 'Protocol version is not an integer or out of range';
export const CLIENT_ID_NOT_POSITIVE = 'client-id should be greater than 0';
export const INVALID_CLIENT_ID = 'Invalid client ID';
export const INVALID_FIRST_DB_INDEX = 'invalid first DB index';
export const INVALID_SECOND_DB_INDEX = 'invalid second DB index';
export const NO_KEY_ARGUMENTS = 'The command has no key arguments';

// Transactions (multi.c, server.c processCommand).
export const NOT_IN_MULTI = 'Command not allowed inside a transaction';
export const MULTI_NESTED = 'MULTI calls can not be nested';
export const EXEC_WITHOUT_MULTI = 'EXEC without MULTI';
export const DISCARD_WITHOUT_MULTI = 'DISCARD without MULTI';
export const WATCH_IN_MULTI = 'WATCH inside MULTI is not allowed';
/** EXEC after a command failed to queue (shared.execaborterr). */
export const EXECABORT = 'EXECABORT Transaction discarded because of previous errors.';

/** A RESP2 client in subscribed mode ran anything but (un)subscribing, PING, QUIT or RESET. */
export function pubsubContextError(fullName: string): string {
  return sanitize(`Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);
}

// ---- SLOWLOG, LATENCY, DEBUG (slowlog.c, latency.c, debug.c, server.c) ----
export const SLOWLOG_COUNT_RANGE = 'count should be greater than or equal to -1';
/** LATENCY GRAPH for an event with no samples. */
export function latencyNoSamples(event: string): string {
  return sanitize(`No samples available for event '${event}'`);
}
/** processCommand's refusal of DEBUG under enable-debug-command no/local (Redis 7.0 wording). */
export function protectedCommandError(command: string, option: string): string {
  return sanitize(`${command} command not allowed. If the ${option} option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`);
}
export const DEBUG_PROTOCOL_TYPE = 'Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false';
export const DEBUG_PUSH_RESP2 = 'RESP2 is not supported by this command';
/** addReplySubcommandSyntaxError: an unknown subcommand or a wrong argument count for it. */
export function subcommandSyntaxError(sub: string, container: string): string {
  return sanitize(`unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`);
}

/** getRangeLongFromObjectOrReply's message when no specific one is given. */
export function valueOutOfRange(min: number, max: number): string {
  return `value is out of range, value must between ${min} and ${max}`;
}

/** `Syntax error in HELLO option 'x'`. */
export function helloSyntaxError(option: string): string {
  return sanitize(`Syntax error in HELLO option '${option}'`);
}

/** CLIENT LIST/KILL TYPE with an unknown type. */
export function unknownClientType(type: string): string {
  return sanitize(`Unknown client type '${type}'`);
}

/** CLIENT KILL USER with an unknown user. */
export function noSuchUser(user: string): string {
  return sanitize(`No such user '${user}'`);
}

/** CLIENT SETINFO with an unknown attribute (Redis 7.2). */
export function unrecognizedOption(option: string): string {
  return sanitize(`Unrecognized option '${option}'`);
}

/** CLIENT SETINFO with a value holding spaces or control characters (Redis 7.2). */
export function clientAttrSpaces(attr: string): string {
  return sanitize(`${attr} cannot contain spaces, newlines or special characters.`);
}

// Protocol errors: answered, then the connection is closed (networking.c).
export const PROTO_INVALID_MULTIBULK = 'Protocol error: invalid multibulk length';
export const PROTO_INVALID_BULK = 'Protocol error: invalid bulk length';
export const PROTO_TOO_BIG_INLINE = 'Protocol error: too big inline request';
export const PROTO_TOO_BIG_MBULK_COUNT = 'Protocol error: too big mbulk count string';
export const PROTO_TOO_BIG_BULK_COUNT = 'Protocol error: too big bulk count string';
export const PROTO_UNBALANCED_QUOTES = 'Protocol error: unbalanced quotes in request';
export function protoExpectedDollar(got: number): string {
  return `Protocol error: expected '$', got '${String.fromCharCode(got)}'`;
}

/** CR and LF become spaces, as in Redis's addReplyErrorLength. */
export function sanitize(s: string): string {
  let out = s;
  if (out.indexOf('\r') !== -1) out = out.replaceAll('\r', ' ');
  if (out.indexOf('\n') !== -1) out = out.replaceAll('\n', ' ');
  return out;
}

/** `'get'` or `'config|get'`: the command's full name, as Redis prints it. */
export function wrongArity(fullName: string): string {
  return `wrong number of arguments for '${sanitize(fullName)}' command`;
}

/**
 * Redis's processCommand message: the name truncated to 128 bytes, then each
 * argument quoted and followed by a space, while the argument text stays
 * under 128 bytes in all (each argument itself cut to what is left).
 */
export function unknownCommand(name: string, args: readonly string[]): string {
  let list = '';
  for (let i = 0; i < args.length && list.length < 128; i++) {
    const room = 128 - list.length;
    list += `'${args[i]!.slice(0, room)}' `;
  }
  return sanitize(`unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`);
}

/** `unknown subcommand 'foo'. Try CONFIG HELP.` */
export function unknownSubcommand(sub: string, container: string): string {
  return sanitize(`unknown subcommand '${sub.slice(0, 128)}'. Try ${container.toUpperCase()} HELP.`);
}

export function invalidExpireTime(cmd: string): string {
  return `invalid expire time in '${cmd}' command`;
}

/** `Unsupported option foo`: an unknown word after EXPIRE's time (expire.c). */
export function unsupportedOption(opt: string): string {
  return sanitize(`Unsupported option ${opt}`);
}

// ---- client-side caching (networking.c clientCommand, tracking.c) ----
export const TRACKING_SINGLE_REDIRECT = 'A client can only redirect to a single other client';
export const TRACKING_REDIRECT_MISSING = 'The client ID you want redirect to does not exist';
export const TRACKING_PREFIX_NEEDS_BCAST = 'PREFIX option requires BCAST mode to be enabled';
export const TRACKING_BCAST_SWITCH = "You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.";
export const TRACKING_BCAST_OPTIN_OPTOUT = 'OPTIN and OPTOUT are not compatible with BCAST';
export const TRACKING_OPTIN_AND_OPTOUT = "You can't specify both OPTIN mode and OPTOUT mode";
export const TRACKING_OPTIN_OPTOUT_SWITCH = "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.";
export const CACHING_NEEDS_TRACKING = 'CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled';
export const CACHING_YES_NEEDS_OPTIN = 'CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.';
export const CACHING_NO_NEEDS_OPTOUT = 'CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.';

/** checkPrefixCollisionsOrReply, against a prefix the client already has. */
export function trackingPrefixOverlapsExisting(prefix: string, existing: string): string {
  return sanitize(`Prefix '${prefix}' overlaps with an existing prefix '${existing}'. Prefixes for a single client must not overlap.`);
}

/** checkPrefixCollisionsOrReply, between two prefixes of one command. */
export function trackingPrefixOverlap(prefix: string, other: string): string {
  return sanitize(`Prefix '${prefix}' overlaps with another provided prefix '${other}'. Prefixes for a single client must not overlap.`);
}

/** Base class of every thrown (non-reply) error; `code` is stable and documented. */
export class MiniKvError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'MiniKvError';
  }
}

/** An unknown or invalid server option (command line, config file, startServer). */
export class ConfigError extends MiniKvError {
  constructor(message: string) {
    super('ERR_MINIKV_CONFIG', message);
    this.name = 'ConfigError';
  }
}

/** The server could not listen (port in use, permission denied). */
export class ListenError extends MiniKvError {
  constructor(message: string) {
    super('ERR_MINIKV_LISTEN', message);
    this.name = 'ListenError';
  }
}

/**
 * A bad line of the config file or the command line, or a check made once
 * all were read: `reason` is Redis's wording (the last line of its FATAL
 * CONFIG FILE ERROR block), `where` names the file and line (or the
 * command-line option) and `text` is the line, both null for a check that
 * concerns no single line.
 */
export class ConfigFileError extends ConfigError {
  readonly reason: string;
  readonly where: string | null;
  readonly text: string | null;
  constructor(reason: string, where: string | null = null, text: string | null = null) {
    super(where === null ? reason : `${where}: '${text}': ${reason}`);
    this.name = 'ConfigFileError';
    this.reason = reason;
    this.where = where;
    this.text = text;
  }
}

// Pub/sub (pubsub.c).
/** SSUBSCRIBE inside a transaction (a client that denies blocking). */
export const SSUBSCRIBE_DENY_BLOCKING = "SSUBSCRIBE isn't allowed for a DENY BLOCKING client";

// ---- client control (networking.c clientCommand, timeout.c, server.c) -------
/** CLIENT PAUSE's timeout (timeout.c getTimeoutFromObjectOrReply, UNIT_MILLISECONDS). */
export const TIMEOUT_NOT_INTEGER = 'timeout is not an integer or out of range';
export const TIMEOUT_NEGATIVE = 'timeout is negative';
export const PAUSE_MODE = 'CLIENT PAUSE mode must be WRITE or ALL';
export const UNBLOCK_REASON = 'CLIENT UNBLOCK reason should be TIMEOUT or ERROR';
/** What CLIENT UNBLOCK … ERROR replies to the unblocked client (its own code). */
export const UNBLOCKED_BY_CLIENT = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';
/** MONITOR inside MULTI (run by EXEC, where the client may not block). */
export const MONITOR_DENY_BLOCKING = "MONITOR isn't allowed for DENY BLOCKING client";
/** A MONITOR client (a replica to Redis) running a command that reads or writes keys (processCommand). */
export const REPLICA_KEYSPACE = "Replica can't interact with the keyspace";
