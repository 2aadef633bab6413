/**
 * mini-kv-cli: a small redis-cli lookalike.
 *
 *     mini-kv-cli [-h host] [-p port] [-a password] [-n db] [--resp3|-3] [--raw|--no-raw] [cmd arg ...]
 *
 * With a command, sends it once, prints the reply and exits (0 even for an
 * error reply, as redis-cli; 1 when the server cannot be reached). Without
 * one, reads commands line by line (node:readline) with a `host:port> `
 * prompt when stdin is a terminal; lines are split with Redis's inline
 * quoting rules, as redis-cli splits them, and `help <command>` shows COMMAND
 * DOCS. Replies are printed in redis-cli's TTY style on a terminal (or with
 * --no-raw) and raw otherwise (or with --raw).
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { splitInlineArgs } from '../protocol/inline-parser.js';
import { CliConnection, CliConnectionError } from './client.js';
import { formatRaw, formatTTY } from './format.js';
import { generalHelp, helpFor, parseCommandDocs } from './help.js';
import type { Reply } from './reply.js';

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

const USAGE = `Usage: mini-kv-cli [OPTIONS] [cmd [arg [arg ...]]]
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

interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

/** Writes a latin1 string (one char per byte) as bytes. */
function put(out: Writable, s: string): void {
  out.write(Buffer.from(s, 'latin1'));
}

/** Formats one reply the way redis-cli would for this output. */
export function formatReply(r: Reply, raw: boolean): string {
  return raw ? formatRaw(r) + '\n' : formatTTY(r);
}

/**
 * Opens the connection and runs the start-up commands redis-cli runs: AUTH
 * (-a), HELLO 3 (--resp3), SELECT (-n). Their failures are reported and the
 * session goes on, as in redis-cli. Returns the db actually selected.
 */
async function openSession(o: CliOptions, io: Io): Promise<{ conn: CliConnection; db: number }> {
  const conn = await CliConnection.connect(o.host, o.port);
  if (o.password !== null) {
    const r = await conn.command(['AUTH', o.password]);
    if (r.type === 'error') put(io.stderr, `AUTH failed: ${r.value}\n`);
  }
  if (o.resp3) {
    const r = await conn.command(['HELLO', '3']);
    if (r.type === 'error') put(io.stderr, `HELLO 3 failed: ${r.value}\n`);
  }
  let db = 0;
  if (o.db !== 0) {
    const r = await conn.command(['SELECT', String(o.db)]);
    if (r.type === 'error') put(io.stderr, `${r.value}\n`);
    else db = o.db;
  }
  return { conn, db };
}

/** Runs one command and prints its reply. Returns the exit code. */
async function runOnce(o: CliOptions, io: Io, raw: boolean): Promise<number> {
  let session: { conn: CliConnection; db: number };
  try {
    session = await openSession(o, io);
  } catch (e) {
    put(io.stderr, `${(e as Error).message}\n`);
    return 1;
  }
  try {
    const reply = await session.conn.command(o.command.map((a) => Buffer.from(a, 'utf8')));
    put(io.stdout, formatReply(reply, raw));
    return 0;
  } catch (e) {
    put(io.stderr, `Error: ${(e as Error).message}\n`);
    return 1;
  } finally {
    session.conn.close();
  }
}

export interface ReplOptions {
  input: Readable;
  output: Writable;
  stderr: Writable;
  /** Write the `host:port> ` prompt before each line. */
  prompt: boolean;
  /** Use terminal line editing (a TTY on both ends). */
  terminal: boolean;
  raw: boolean;
}

/**
 * The interactive loop: one command per line, `help …`, `quit`/`exit`.
 * Resolves with the exit code when input ends or the user quits.
 */
export async function runRepl(o: CliOptions, r: ReplOptions): Promise<number> {
  const io: Io = { stdout: r.output, stderr: r.stderr };
  let session: { conn: CliConnection; db: number } | null = null;
  try {
    session = await openSession(o, io);
  } catch (e) {
    put(r.stderr, `${(e as Error).message}\n`);
  }
  const prompt = (): string => (session === null ? 'not connected> ' : `${o.host}:${o.port}${session.db === 0 ? '' : `[${session.db}]`}> `);
  const rl = readline.createInterface({ input: r.input, output: r.prompt ? r.output : undefined, terminal: r.terminal, prompt: prompt() });
  let docs: ReturnType<typeof parseCommandDocs> | null = null;

  const handle = async (line: string): Promise<boolean> => {
    const bytes = Buffer.from(line, 'utf8');
    const words = splitInlineArgs(bytes, 0, bytes.length);
    if (words === null) {
      put(r.output, 'Invalid argument(s)\n');
      return true;
    }
    if (words.length === 0) return true;
    const name = words[0]!.toLowerCase();
    if (name === 'quit' || name === 'exit') return false;
    if (session === null || session.conn.closed) {
      try {
        session = await openSession({ ...o, db: session?.db ?? o.db }, io);
      } catch (e) {
        session = null;
        put(r.stderr, `${(e as Error).message}\n`);
        return true;
      }
    }
    try {
      if (name === 'help') {
        if (words.length === 1) {
          put(r.output, generalHelp(CLI_VERSION));
          return true;
        }
        if (docs === null || words[1]!.startsWith('@')) {
          const reply = await session.conn.command(words[1]!.startsWith('@') ? ['COMMAND', 'DOCS'] : ['COMMAND', 'DOCS', words[1]!]);
          if (reply.type === 'error') {
            put(r.output, formatReply(reply, r.raw));
            return true;
          }
          const found = parseCommandDocs(reply);
          if (words[1]!.startsWith('@')) docs = found;
          put(r.output, helpFor(words.slice(1), found));
          return true;
        }
        put(r.output, helpFor(words.slice(1), docs));
        return true;
      }
      // Arguments are latin1 strings from the splitter: one char per byte.
      const reply = await session.conn.command(words.map((w) => Buffer.from(w, 'latin1')));
      put(r.output, formatReply(reply, r.raw));
      if (name === 'select' && words.length === 2 && reply.type === 'status') session.db = Number(words[1]);
      if (name === 'hello' && reply.type !== 'error') docs = null;
    } catch (e) {
      put(r.stderr, `Error: ${(e as Error).message}\n`);
    }
    return true;
  };

  if (r.prompt) rl.prompt();
  let code = 0;
  try {
    for await (const line of rl) {
      if (!(await handle(line))) break;
      rl.setPrompt(prompt());
      if (r.prompt) rl.prompt();
    }
  } catch (e) {
    put(r.stderr, `Error: ${(e as Error).message}\n`);
    code = 1;
  } finally {
    rl.close();
    (session as { conn: CliConnection } | null)?.conn.close();
  }
  return code;
}

/** The binary's entry point; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const io: Io = { stdout: process.stdout, stderr: process.stderr };
  let o: CliOptions;
  try {
    const parsed = parseCliArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (parsed === 'version') {
      process.stdout.write(`mini-kv-cli ${CLI_VERSION}\n`);
      return 0;
    }
    o = parsed;
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    process.stderr.write(`mini-kv-cli: ${e.message}\n${USAGE}`);
    return 1;
  }
  if (o.password !== null && !o.noAuthWarning) {
    process.stderr.write("Warning: Using a password with '-a' option on the command line interface may not be safe.\n");
  }
  const raw = o.raw ?? !process.stdout.isTTY;
  if (o.command.length > 0) return runOnce(o, io, raw);
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return runRepl(o, { input: process.stdin, output: process.stdout, stderr: process.stderr, prompt: tty, terminal: tty, raw });
}

export { CliConnectionError };
