/**
 * mini-kv-cli's command line: its options, their defaults and the usage
 * text. Parsing only; nothing here connects or prints.
 */

export const CLI_VERSION = '0.1.0';
/** mini-kv's default port (the seed's), not Redis's 6379. */
export const DEFAULT_PORT = 8080;

export interface CliOptions {
  host: string;
  port: number;
  password: string | null;
  db: number;
  resp3: boolean;
  /** true: raw output; false: TTY style; null: TTY style only when stdout is a terminal. */
  raw: boolean | null;
  noAuthWarning: boolean;
  command: string[];
}

/** Thrown for a bad command line; main prints it and exits 1. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE = `Usage: mini-kv-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: ${DEFAULT_PORT}).
  -a <password>      Password to use when connecting to the server.
  -n <db>            Database number.
  -3, --resp3        Start the session in RESP3 protocol mode (HELLO 3).
  --raw              Use raw formatting for replies (default when STDOUT is not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --no-auth-warning  Don't show the warning message when using a password on the command line.
  --help             Output this help and exit.
  --version          Output the version and exit.

Without a command, mini-kv-cli reads commands interactively; type "help" there.
`;

/** Parses the command line; the first word that is not an option starts the command. */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { host: '127.0.0.1', port: DEFAULT_PORT, password: null, db: 0, resp3: false, raw: null, noAuthWarning: false, command: [] };
  let i = 0;
  const value = (flag: string): string => {
    if (i + 1 >= argv.length) throw new CliUsageError(`option '${flag}' needs a value`);
    return argv[++i]!;
  };
  const integer = (flag: string, text: string, min: number, max: number): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new CliUsageError(`invalid value for '${flag}': '${text}'`);
    return Number(text);
  };
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') o.host = value(a);
    else if (a === '-p') o.port = integer(a, value(a), 0, 65535);
    else if (a === '-a' || a === '--pass') o.password = value(a);
    else if (a === '-n') o.db = integer(a, value(a), 0, 2147483647);
    else if (a === '-3' || a === '--resp3') o.resp3 = true;
    else if (a === '-2') o.resp3 = false;
    else if (a === '--raw') o.raw = true;
    else if (a === '--no-raw') o.raw = false;
    else if (a === '--no-auth-warning') o.noAuthWarning = true;
    else if (a === '--help') return 'help';
    else if (a === '-v' || a === '--version') return 'version';
    else if (a.startsWith('-') && a.length > 1 && o.command.length === 0) throw new CliUsageError(`unrecognized option '${a}'`);
    else {
      o.command = argv.slice(i);
      break;
    }
  }
  return o;
}

