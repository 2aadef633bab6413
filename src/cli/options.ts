/**
 * mini-kv-cli's command line: its options, their defaults and the usage
 * text. Parsing only; nothing here connects or prints.
 *
 * The parsing mirrors redis-cli 7.0's parseOptions(): options are matched
 * exactly and positionally, an option that takes a value and is the last
 * word falls through to "Unrecognized option or bad number of args for:
 * '<opt>'", numbers are read the way atoi/strtoll/atof read them (leading
 * digits, garbage ignored), and the first word that does not start with `-`
 * starts the command. A hand parser is the only way to keep those quirks
 * (and redis-cli's exact messages); no argument library parses that way.
 */

import { splitInlineArgs } from '../protocol/inline-parser.js';

export const CLI_VERSION = '0.1.0';
/** mini-kv's default port (the seed's), not Redis's 6379. */
export const DEFAULT_PORT = 8080;
/** redis-cli's REDIS_CLI_DEFAULT_PIPE_TIMEOUT, in seconds. */
export const DEFAULT_PIPE_TIMEOUT = 30;

/** redis-cli's config.output values. */
export type OutputMode = 'standard' | 'raw' | 'csv' | 'json' | 'quoted-json';

export interface TlsOptions {
  sni: string | null;
  cacert: string | null;
  cacertdir: string | null;
  cert: string | null;
  key: string | null;
  ciphers: string | null;
  ciphersuites: string | null;
  insecure: boolean;
}

export interface CliOptions {
  host: string;
  port: number;
  /** -s: a Unix socket path, overriding host and port. */
  socket: string | null;
  password: string | null;
  user: string | null;
  askpass: boolean;
  db: number;
  /** -3 (or --resp3). With --json alone the session asks for RESP3 but tolerates a refusal. */
  resp3: boolean;
  /** -2: stay in RESP2 even with --json. */
  resp2: boolean;
  /** --json/--quoted-json without -2/-3: send HELLO 3 but carry on if the server refuses it. */
  jsonResp3: boolean;
  /** true: raw output; false: TTY style; null: TTY style only when stdout is a terminal. Kept for the REPL. */
  raw: boolean | null;
  /** The output style chosen on the command line, or null for "by terminal" (raw when stdout is not a tty). */
  output: OutputMode | null;
  noAuthWarning: boolean;
  /** Print redis-cli's warning about a password on the command line (-a, --pass or -u with one). */
  authWarning: boolean;
  /** --show-pushes: null means "when stdout is a terminal". */
  showPushes: boolean | null;
  /** -r: how many times to send the command; negative repeats forever. */
  repeat: number;
  /** -i: seconds to wait after each command (and per --scan / --stat cycle). */
  interval: number;
  /** -x: the last argument is read from stdin. */
  stdinLastArg: boolean;
  /** -X <tag>: the argument equal to <tag> is replaced by stdin. */
  stdinTag: string | null;
  /** -e: exit 1 (error on stderr) when the reply is an error. */
  errorExitCode: boolean;
  /** -d: delimiter between the elements of an aggregate in raw output. */
  mbDelim: string;
  /** -D: delimiter after each reply in raw output. */
  cmdDelim: string;
  quotedInput: boolean;
  /** -c: follow -MOVED and -ASK redirections. */
  cluster: boolean;
  tls: boolean;
  tlsOptions: TlsOptions;
  /** The mode main() runs; --lru-test, --replica, --rdb, --eval and --cluster are not supported. */
  mode: 'command' | 'scan' | 'bigkeys' | 'memkeys' | 'stat' | 'latency' | 'latency-history' | 'latency-dist' | 'pipe' | 'hotkeys' | 'intrinsic-latency';
  /** --mono: --latency-dist in shades of grey. */
  mono: boolean;
  /** --intrinsic-latency <seconds>. */
  intrinsicLatencySeconds: number;
  /** --pattern (UTF-8) or --quoted-pattern (unquoted bytes). */
  pattern: Buffer | null;
  /** --count / --type for --scan (redis-cli 7.2's options; 7.0 has neither). */
  scanCount: number | null;
  scanType: string | null;
  memkeysSamples: number;
  pipeTimeout: number;
  verbose: boolean;
  /** --eval <file>: send the Lua script in <file> with EVAL; the command words are keys, ',', args. */
  evalFile: string | null;
  command: string[];
}

/** Thrown for a bad command line; main prints the message (already in redis-cli's words) and exits 1. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** The usage text, in redis-cli 7.0's shape, listing the options mini-kv-cli supports. */
export const USAGE = `mini-kv-cli ${CLI_VERSION}

Usage: mini-kv-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: ${DEFAULT_PORT}).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password to use when connecting to the server.
                     You can also use the REDISCLI_AUTH environment
                     variable to pass this password more safely
                     (if both are used, this argument takes precedence).
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  --pass <password>  Alias of -a for consistency with the new --user option.
  --askpass          Force user to input password with mask from STDIN.
                     If this argument is used, '-a' and REDISCLI_AUTH
                     environment variable will be ignored.
  -u <uri>           Server URI (redis://[[user]:password@]host[:port][/db],
                     rediss:// for TLS).
  -r <repeat>        Execute specified command N times.
  -i <interval>      When -r is used, waits <interval> seconds per command.
                     It is possible to specify sub-second times like -i 0.1.
                     This interval is also used in --scan and --stat per cycle.
                     and in --bigkeys and --memkeys per 100 cycles.
  -n <db>            Database number.
  -2                 Start session in RESP2 protocol mode.
  -3                 Start session in RESP3 protocol mode.
  -x                 Read last argument from STDIN (see example below).
  -X                 Read <tag> argument from STDIN (see example below).
  -d <delimiter>     Delimiter between response bulks for raw formatting (default: \\n).
  -D <delimiter>     Delimiter between responses for raw formatting (default: \\n).
  -c                 Enable cluster mode (follow -ASK and -MOVED redirections).
  -e                 Return exit error code when command execution fails.
  --tls              Establish a secure TLS connection.
  --sni <host>       Server name indication for TLS.
  --cacert <file>    CA Certificate file to verify with.
  --cacertdir <dir>  Directory where trusted CA certificates are stored.
                     If neither cacert nor cacertdir are specified, the default
                     system-wide trusted root certs configuration will apply.
  --insecure         Allow insecure TLS connection by skipping cert validation.
  --cert <file>      Client certificate to authenticate with.
  --key <file>       Private key file to authenticate with.
  --tls-ciphers <list> Sets the list of preferred ciphers (TLSv1.2 and below)
                     in order of preference from highest to lowest separated by colon (":").
  --tls-ciphersuites <list> Sets the list of preferred ciphersuites (TLSv1.3)
                     in order of preference from highest to lowest separated by colon (":").
  --raw              Use raw formatting for replies (default when STDOUT is
                     not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --quoted-input     Force input to be handled as quoted strings.
  --csv              Output in CSV format.
  --json             Output in JSON format (default RESP3, use -2 if you want to use with RESP2).
  --quoted-json      Same as --json, but produce ASCII-safe quoted strings, not Unicode.
  --show-pushes <yn> Whether to print RESP3 PUSH messages.  Enabled by default when
                     STDOUT is a tty but can be overridden with --show-pushes no.
  --stat             Print rolling stats about server: mem, clients, ...
  --latency          Enter a special mode continuously sampling latency.
                     If you use this mode in an interactive session it runs
                     forever displaying real-time stats. Otherwise if --raw or
                     --csv is specified, or if you redirect the output to a non
                     TTY, it samples the latency for 1 second (you can use
                     -i to change the interval), then produces a single output
                     and exits.
  --latency-history  Like --latency but tracking latency changes over time.
                     Default time interval is 15 sec. Change it using -i.
  --latency-dist     Shows latency as a spectrum, requires xterm 256 colors.
                     Default time interval is 1 sec. Change it using -i.
  --mono             With --latency-dist, shades of grey instead of colours.
  --pipe             Transfer raw Redis protocol from stdin to server.
  --pipe-timeout <n> In --pipe mode, abort with error if after sending all data.
                     no reply is received within <n> seconds.
                     Default timeout: ${DEFAULT_PIPE_TIMEOUT}. Use 0 to wait forever.
  --bigkeys          Sample Redis keys looking for keys with many elements (complexity).
  --memkeys          Sample Redis keys looking for keys consuming a lot of memory.
  --memkeys-samples <n> Sample Redis keys looking for keys consuming a lot of memory.
                     And define number of key elements to sample
  --hotkeys          Sample Redis keys looking for hot keys.
                     only works when maxmemory-policy is *lfu.
  --scan             List all keys using the SCAN command.
  --pattern <pat>    Keys pattern when using the --scan, --bigkeys or --hotkeys
                     options (default: *).
  --quoted-pattern <pat> Same as --pattern, but the specified string can be
                         quoted, in order to pass an otherwise non binary-safe string.
  --count <count>    Count option when using the --scan, --bigkeys or --memkeys
                     options (default: 10).
  --type <type>      The type of keys to list when using --scan.
  --intrinsic-latency <sec> Run a test to measure intrinsic system latency.
                     The test will run for the specified amount of seconds.
  --eval <file>      Send an EVAL command using the Lua script at <file>.
  --verbose          Verbose mode.
  --no-auth-warning  Don't show warning message when using password on command
                     line interface.
  --help             Output this help and exit.
  --version          Output version and exit.

Examples:
  cat /etc/passwd | mini-kv-cli -x set mypasswd
  mini-kv-cli -D "" --raw get key > key.txt && mini-kv-cli -X value_tag set key2 value_tag < key.txt
  mini-kv-cli -r 100 incr counter
  mini-kv-cli -r 100 -i 1 info | grep used_memory_human:
  mini-kv-cli --quoted-input set '"null-\\x00-separated"' value
  mini-kv-cli --scan --pattern '*:12345*'
  mini-kv-cli --eval myscript.lua key1 key2 , arg1 arg2 arg3
  mini-kv-cli -u redis://127.0.0.1:${DEFAULT_PORT}/2 ping

  (Note: when using --eval the comma separates KEYS[] from ARGV[] items)

When no command is given, mini-kv-cli starts in interactive mode.
Type "help" in interactive mode for information on available commands
and settings.

`;

/** C's atoi/strtol: optional spaces and sign, then leading digits; 0 when there are none. */
export function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : n < 0 ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/** C's atoi for a 32-bit int: wraps like the cast does on Linux. */
function atoi32(s: string): number {
  return atoi(s) | 0;
}

/** C's atof: the longest leading decimal number; 0 when there is none. */
export function atof(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}

/**
 * percentDecode() of cli_common.c: %XX sequences become bytes. A '%' at the
 * very end is "Incomplete URI encoding", one not followed by two hex digits
 * "Illegal character in URI encoding" (both exit 1 in redis-cli).
 */
function percentDecode(s: string): string {
  const raw = Buffer.from(s, 'utf8');
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x25) {
      bytes.push(raw[i]!);
      continue;
    }
    if (raw.length - i < 2) throw new CliUsageError('Incomplete URI encoding');
    const hex = raw.toString('latin1', i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new CliUsageError('Illegal character in URI encoding');
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * parseRedisUri() of cli_common.c: redis://[[user]:pass@]host[:port][/db],
 * rediss:// also turning TLS on. Fields absent from the URI keep their value.
 */
export function parseRedisUri(uri: string, o: CliOptions): void {
  let curr: string;
  if (uri.toLowerCase().startsWith('rediss://')) {
    o.tls = true;
    curr = uri.slice('rediss://'.length);
  } else if (uri.toLowerCase().startsWith('redis://')) {
    curr = uri.slice('redis://'.length);
  } else {
    throw new CliUsageError('Invalid URI scheme');
  }
  if (curr === '') return;
  const at = curr.indexOf('@');
  if (at !== -1) {
    const colon = curr.indexOf(':');
    if (colon !== -1 && colon < at) {
      o.user = percentDecode(curr.slice(0, colon));
      curr = curr.slice(colon + 1);
      o.password = percentDecode(curr.slice(0, curr.indexOf('@')));
    } else {
      o.password = percentDecode(curr.slice(0, at));
    }
    curr = curr.slice(curr.indexOf('@') + 1);
  }
  if (curr === '') return;
  const slash = curr.indexOf('/');
  if (!curr.startsWith('/')) {
    let hostEnd = slash === -1 ? curr.length : slash;
    const colon = curr.indexOf(':');
    // Like strchr in the C code, the ':' is searched in the whole rest, path included.
    if (colon !== -1) {
      o.port = atoi(curr.slice(colon + 1));
      hostEnd = colon;
    }
    o.host = curr.slice(0, hostEnd);
  }
  curr = slash === -1 ? '' : curr.slice(slash + 1);
  if (curr === '') return;
  o.db = atoi32(curr);
}

/**
 * unquoteCString() for --quoted-pattern and --quoted-input: the word must be
 * exactly one sdssplitargs token (Redis's inline quoting rules); returns its
 * bytes, or null.
 */
export function unquote(s: string): Buffer | null {
  const b = Buffer.from(s, 'utf8');
  const words = splitInlineArgs(b, 0, b.length);
  if (words === null || words.length !== 1) return null;
  return Buffer.from(words[0]!, 'latin1');
}

/** redis-cli's warning for a password given with -a, --pass or -u. */
export const AUTH_WARNING = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.";

/** redis-cli main()'s order of the modes, for a command line naming several (--latency-history is --latency's variant). */
const MODE_ORDER: CliOptions['mode'][] = ['latency', 'latency-history', 'latency-dist', 'pipe', 'bigkeys', 'memkeys', 'hotkeys', 'stat', 'scan', 'intrinsic-latency'];

/** The defaults, as parseCliArgs([]) returns them. */
export function defaultOptions(): CliOptions {
  return {
    host: '127.0.0.1',
    port: DEFAULT_PORT,
    socket: null,
    password: null,
    user: null,
    askpass: false,
    db: 0,
    resp3: false,
    resp2: false,
    jsonResp3: false,
    raw: null,
    output: null,
    noAuthWarning: false,
    authWarning: false,
    showPushes: null,
    repeat: 1,
    interval: 0,
    stdinLastArg: false,
    stdinTag: null,
    errorExitCode: false,
    mbDelim: '\n',
    cmdDelim: '\n',
    quotedInput: false,
    cluster: false,
    tls: false,
    tlsOptions: { sni: null, cacert: null, cacertdir: null, cert: null, key: null, ciphers: null, ciphersuites: null, insecure: false },
    mode: 'command',
    pattern: null,
    scanCount: null,
    scanType: null,
    memkeysSamples: 0,
    pipeTimeout: DEFAULT_PIPE_TIMEOUT,
    intrinsicLatencySeconds: 0,
    mono: false,
    verbose: false,
    evalFile: null,
    command: [],
  };
}

/**
 * Parses the command line as redis-cli's parseOptions() does; the first
 * word that does not start with '-' starts the command. Returns 'help' for
 * --help (and for a lone trailing -h, as redis-cli), 'version' for -v and
 * --version. Throws CliUsageError with redis-cli's message otherwise.
 * `env` supplies REDISCLI_AUTH, as redis-cli's parseEnv().
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions | 'help' | 'version' {
  const o = defaultOptions();
  let i = 0;
  let jsonResp3 = false;
  const modes = new Set<CliOptions['mode']>();
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    const lastarg = i === argv.length - 1;
    const next = (): string => argv[++i]!;
    if (a === '-h' && !lastarg) o.host = next();
    else if (a === '-h' && lastarg) return 'help';
    else if (a === '--help') return 'help';
    else if (a === '-x') o.stdinLastArg = true;
    else if (a === '-X' && !lastarg) o.stdinTag = next();
    else if (a === '-p' && !lastarg) o.port = atoi32(next());
    else if (a === '-s' && !lastarg) o.socket = next();
    else if (a === '-r' && !lastarg) o.repeat = atoi(next());
    else if (a === '-i' && !lastarg) o.interval = atof(next());
    else if (a === '-n' && !lastarg) o.db = atoi32(next());
    else if (a === '--no-auth-warning') o.noAuthWarning = true;
    else if (a === '--askpass') o.askpass = true;
    else if ((a === '-a' || a === '--pass') && !lastarg) o.password = next();
    else if (a === '--user' && !lastarg) o.user = next();
    else if (a === '-u' && !lastarg) parseRedisUri(next(), o);
    else if (a === '--raw') o.output = 'raw';
    else if (a === '--no-raw') o.output = 'standard';
    else if (a === '--quoted-input') o.quotedInput = true;
    else if (a === '--csv') o.output = 'csv';
    else if (a === '--json' || a === '--quoted-json') {
      jsonResp3 = true;
      o.output = a === '--json' ? 'json' : 'quoted-json';
    } else if (a === '--latency') modes.add('latency');
    else if (a === '--latency-history') modes.add('latency-history');
    else if (a === '--latency-dist') modes.add('latency-dist');
    else if (a === '--mono') o.mono = true;
    else if (a === '--stat') modes.add('stat');
    else if (a === '--scan') modes.add('scan');
    else if (a === '--pattern' && !lastarg) o.pattern = Buffer.from(next(), 'utf8');
    else if (a === '--quoted-pattern' && !lastarg) {
      const p = unquote(next());
      if (p === null) throw new CliUsageError('Invalid quoted string specified for --quoted-pattern.');
      o.pattern = p;
    }
    else if (a === '--count' && !lastarg) o.scanCount = atoi(next());
    else if (a === '--type' && !lastarg) o.scanType = next();
    else if (a === '--pipe') modes.add('pipe');
    else if (a === '--intrinsic-latency' && !lastarg) {
      modes.add('intrinsic-latency');
      o.intrinsicLatencySeconds = atoi32(next());
    }
    else if (a === '--pipe-timeout' && !lastarg) o.pipeTimeout = atoi32(next());
    else if (a === '--bigkeys') modes.add('bigkeys');
    else if (a === '--hotkeys') modes.add('hotkeys');
    else if (a === '--memkeys') {
      modes.add('memkeys');
      o.memkeysSamples = 0;
    } else if (a === '--memkeys-samples' && !lastarg) {
      modes.add('memkeys');
      o.memkeysSamples = atoi32(next());
    } else if (a === '-d' && !lastarg) o.mbDelim = next();
    else if (a === '-D' && !lastarg) o.cmdDelim = next();
    else if (a === '-e') o.errorExitCode = true;
    else if (a === '-c') o.cluster = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--eval' && !lastarg) o.evalFile = next();
    else if (a === '--tls') o.tls = true;
    else if (a === '--sni' && !lastarg) o.tlsOptions.sni = next();
    else if (a === '--cacertdir' && !lastarg) o.tlsOptions.cacertdir = next();
    else if (a === '--cacert' && !lastarg) o.tlsOptions.cacert = next();
    else if (a === '--cert' && !lastarg) o.tlsOptions.cert = next();
    else if (a === '--key' && !lastarg) o.tlsOptions.key = next();
    else if (a === '--tls-ciphers' && !lastarg) o.tlsOptions.ciphers = next();
    else if (a === '--tls-ciphersuites' && !lastarg) o.tlsOptions.ciphersuites = next();
    else if (a === '--insecure') o.tlsOptions.insecure = true;
    else if (a === '-v' || a === '--version') return 'version';
    else if (a === '-2') o.resp2 = true;
    else if (a === '-3' || a === '--resp3') o.resp3 = true;
    else if (a === '--show-pushes' && !lastarg) {
      const v = next();
      if (/^n/i.test(v)) o.showPushes = false;
      else if (/^y/i.test(v)) o.showPushes = true;
      else throw new CliUsageError(`Unknown --show-pushes value '${v}' (valid: '[y]es', '[n]o')`);
    } else if (a.startsWith('-')) {
      throw new CliUsageError(`Unrecognized option or bad number of args for: '${a}'`);
    } else break;
  }
  o.command = argv.slice(i);
  // Several modes: the first in main()'s order runs (each exits when done).
  o.mode = MODE_ORDER.find((m) => modes.has(m)) ?? 'command';
  if (o.mode === 'latency' && modes.has('latency-history')) o.mode = 'latency-history';
  if (o.socket !== null && o.cluster) throw new CliUsageError('Options -c and -s are mutually exclusive.');
  if (o.resp2 && o.resp3) throw new CliUsageError('Options -2 and -3 are mutually exclusive.');
  o.authWarning = !o.noAuthWarning && o.password !== null;
  if (o.stdinLastArg && o.stdinTag !== null) {
    const warn = o.authWarning ? `${AUTH_WARNING}\n` : '';
    throw new CliUsageError(`${warn}Options -x and -X are mutually exclusive.`);
  }
  if (jsonResp3 && !o.resp3 && !o.resp2) o.jsonResp3 = true;
  // REDISCLI_AUTH, as parseEnv(): used only when no password came on the command line, and never warned about.
  if (o.password === null && env.REDISCLI_AUTH !== undefined) o.password = env.REDISCLI_AUTH;
  o.raw = o.output === 'raw' ? true : o.output === 'standard' ? false : null;
  return o;
}
