/**
 * The interactive loop of mini-kv-cli, modelled on redis-cli 7.0's repl():
 * the `host:port[db](TX)> ` prompt (`not connected> ` without a connection),
 * one command per line split with Redis's quoting rules, the `N command`
 * repeat prefix, the REPL's own words (help, clear, quit/exit, connect,
 * `:set hints`), reconnecting on the next command after the server went
 * away, and, on a terminal, the saved history, Tab completion and argument
 * hints built from the server's COMMAND DOCS. Line editing itself is
 * line-editor.ts (node:readline); what to suggest is hints.ts; the history
 * file is history.ts. Connecting and formatting replies belong to
 * session.ts and format.ts.
 */
import type { Readable, Writable } from 'node:stream';
import { splitInlineArgs } from '../protocol/inline-parser.js';
import { forcedRaw, formatRaw } from './format.js';
import { buildHelpEntries, generalHelp, outputHelp, parseCommandDocs, type HelpEntry } from './help.js';
import { completionsFor, hintFor } from './hints.js';
import { addHistory, historyPath, isSensitiveCommand, loadHistory, saveHistory } from './history.js';
import { LineEditor } from './line-editor.js';
import { CLI_VERSION, type CliOptions } from './options.js';
import type { Reply } from './reply.js';
import { formatReply, openSession, put, type Io, type Session } from './session.js';

export interface ReplOptions {
  input: Readable;
  output: Writable;
  stderr: Writable;
  /** Write the `host:port> ` prompt before each line. */
  prompt: boolean;
  /** Use terminal line editing (a TTY on both ends): history, completion, hints. */
  terminal: boolean;
  raw: boolean;
  /** Where MINIKV_CLI_HISTFILE and HOME are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** The screen clear linenoiseClearScreen() writes: cursor home, erase the display. */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J';
/** A command that took at least this long gets its time printed, as redis-cli does (ms). */
const SLOW_COMMAND_MS = 500;


/**
 * The repeat prefix of `3 ping`, as repl() reads it with strtol(): a number
 * with nothing after it, when more words follow. Returns the count, 'invalid'
 * for zero, a negative number, an overflow or an empty word, and null when
 * the first word is not a number at all.
 */
function repeatPrefix(argv: readonly string[]): number | 'invalid' | null {
  if (argv.length < 2) return null;
  const w = argv[0]!;
  if (w === '') return 'invalid';
  if (!/^[\t\n\v\f\r ]*[+-]?\d+$/.test(w)) return null;
  const n = Number(w.trim());
  return n <= 0 || n > 2 ** 63 - 1 ? 'invalid' : n;
}

/**
 * Why a connection was lost, in hiredis's words as redis-cli prints them. A
 * server that closed while we were idle can show up as a write to a socket
 * the peer has ended (Node's EPIPE wording) before the close itself arrives;
 * redis-cli, whose first write still succeeds, reads EOF there and says
 * "Server closed the connection". A reset is hiredis's strerror() text.
 */
function lostReason(e: Error): string {
  if (/ended by the other party|EPIPE/.test(e.message)) return 'Server closed the connection';
  return /ECONNRESET/.test(e.message) ? 'Connection reset by peer' : e.message;
}

/**
 * The interactive loop. Resolves with the exit code when input ends, the
 * user quits (0, as redis-cli) or presses Ctrl-C while a command runs (1).
 */
export async function runRepl(o: CliOptions, r: ReplOptions): Promise<number> {
  const io: Io = { stdout: r.output, stderr: r.stderr };
  const env = r.env ?? process.env;
  let host = o.host;
  let port = o.port;
  let session: Session | null = null;
  /** The database the prompt shows; selected again on reconnecting. */
  let db = o.db;
  let inMulti = false;
  let preMultiDb = 0;
  let entries: HelpEntry[] | null = null;
  let interrupted = false;

  /**
   * cliConnect(): opens a session on host:port in `db`; prints why not
   * unless quiet. A new connection is never inside MULTI (redis-cli keeps
   * `(TX)` after a lost connection; the server has forgotten it).
   */
  const connect = async (quiet: boolean): Promise<boolean> => {
    session?.conn.close();
    session = null;
    inMulti = false;
    try {
      session = await openSession({ ...o, host, port, db }, io);
      db = session.db;
      return true;
    } catch (e) {
      if (!quiet) put(r.stderr, `${(e as Error).message}\n`);
      return false;
    }
  };
  const connected = (): boolean => session !== null && !session.conn.closed;

  /** cliInitHelp(): the help table from COMMAND DOCS, fetched once a connection exists. */
  const loadHelp = async (): Promise<void> => {
    if (entries !== null || session === null) return;
    try {
      const reply = await session.conn.command(['COMMAND', 'DOCS']);
      entries = reply.type === 'error' ? [] : buildHelpEntries(parseCommandDocs(reply));
    } catch {
      // The connection went; the next command reconnects and tries again.
    }
  };

  /** cliRefreshPrompt(): anetFormatAddr()'s `host:port` (an IPv6 host in brackets), then `[db]` and `(TX)`. */
  const prompt = (): string => {
    if (session === null) return 'not connected> ';
    const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    return `${addr}${db === 0 ? '' : `[${db}]`}${inMulti ? '(TX)' : ''}> `;
  };

  await connect(false);
  await loadHelp();

  const histFile = r.terminal ? historyPath(env) : null;
  const history = r.terminal ? loadHistory(histFile) : [];
  const editor = new LineEditor({
    input: r.input,
    output: r.output,
    terminal: r.terminal,
    prompt: r.prompt,
    history,
    completer: (line) => completionsFor(line, entries ?? []),
    hint: (line) => hintFor(line, entries ?? []),
    onInterrupt: () => {
      // sigIntHandler(): Ctrl-C while a command runs ends redis-cli with 1.
      interrupted = true;
      session?.conn.close();
    },
  });
  const remember = (line: string): void => {
    if (!r.terminal) return;
    addHistory(history, line);
    saveHistory(histFile, history);
  };

  /** Prints one reply as redis-cli would for this command. */
  const print = (argv: readonly string[], reply: Reply): void => {
    put(r.output, forcedRaw(argv) ? formatRaw(reply) : formatReply(reply, r.raw));
  };

  /** What cliSendCommand() tracks from replies: the selected db and MULTI state, for the prompt. */
  const track = (argv: readonly string[], reply: Reply): void => {
    const c = argv[0]!.toLowerCase();
    const n = argv.length;
    const failed = reply.type === 'error';
    if (c === 'select' && n === 2 && !failed) {
      db = Number.parseInt(argv[1]!, 10) || 0;
      if (session !== null) session.db = db;
    } else if (c === 'multi' && n === 1 && !failed) {
      inMulti = true;
      preMultiDb = db;
    } else if (c === 'exec' && n === 1 && inMulti) {
      inMulti = false;
      if (failed || reply.type === 'nil') db = preMultiDb;
    } else if (c === 'discard' && n === 1 && !failed) {
      inMulti = false;
      db = preMultiDb;
    } else if (c === 'reset' && n === 1 && !failed) {
      inMulti = false;
      db = 0;
    }
  };

  /**
   * issueCommandRepeat(): `help` is answered here; anything else goes to the
   * server `repeat` times, reconnecting first when the connection is gone.
   * A connection lost on the way (or while idle) prints `Error: <reason>`
   * and leaves the prompt at `not connected> ` until the next command
   * reconnects, selecting the prompt's database again.
   */
  const issue = async (argv: string[], repeat: number): Promise<void> => {
    const name = argv[0]!.toLowerCase();
    if (name === 'help' || name === '?') {
      if (argv.length === 1) {
        put(r.output, generalHelp(CLI_VERSION));
        return;
      }
      if (entries === null) {
        if (!connected()) await connect(true);
        await loadHelp();
      }
      put(r.output, outputHelp(argv.slice(1), entries ?? [], r.terminal));
      return;
    }
    // Like redis-cli, reconnect only once the connection is known lost: a
    // session whose server went away while we were idle fails this command
    // ("Error: Server closed the connection"), and the next one reconnects.
    if (session === null && !(await connect(false))) return;
    const args = argv.map((w) => Buffer.from(w, 'latin1'));
    for (let i = 0; i < repeat; i++) {
      let reply: Reply;
      try {
        reply = await session!.conn.command(args);
      } catch (e) {
        if (!interrupted) put(r.stderr, `Error: ${lostReason(e as Error)}\n`);
        session?.conn.close();
        session = null;
        return;
      }
      print(argv, reply);
      track(argv, reply);
    }
    await loadHelp();
  };

  let code = 0;
  try {
    for (;;) {
      const got = await editor.read(prompt());
      if (!('line' in got)) {
        // Ctrl-C or Ctrl-D at the prompt: linenoise returns NULL and redis-cli exits 0 after a newline.
        if (r.terminal) {
          editor.close();
          put(r.output, '\n');
        }
        break;
      }
      const line = got.line;
      if (line === '') continue;
      const bytes = Buffer.from(line, 'utf8');
      const argv = splitInlineArgs(bytes, 0, bytes.length);
      if (argv === null) {
        put(r.output, 'Invalid argument(s)\n');
        remember(line);
        editor.setHistory(history);
        continue;
      }
      if (argv.length === 0) continue;
      const rep = repeatPrefix(argv);
      if (rep === 'invalid') {
        put(r.output, 'Invalid mini-kv-cli repeat command option value.\n');
        editor.setHistory(history);
        continue;
      }
      const skip = rep === null ? 0 : 1;
      if (!isSensitiveCommand(argv.slice(skip))) remember(line);
      editor.setHistory(history);

      const first = argv[0]!.toLowerCase();
      if (first === 'quit' || first === 'exit') break;
      if (first.startsWith(':')) {
        if (first === ':set' && argv.length >= 2) {
          const pref = argv[1]!.toLowerCase();
          if (pref === 'hints') editor.hintsEnabled = true;
          else if (pref === 'nohints') editor.hintsEnabled = false;
          else put(r.output, `unknown mini-kv-cli preference '${argv[1]}'\n`);
        } else {
          put(r.output, `unknown mini-kv-cli internal command '${argv[0]}'\n`);
        }
      } else if (first === 'restart') {
        put(r.output, "Use 'restart' only in Lua debugging mode.\n");
      } else if (argv.length === 3 && first === 'connect') {
        // cliConnect(CC_FORCE) on a new address: a fresh connection starts in db 0, outside MULTI.
        host = argv[1]!;
        port = Number.parseInt(argv[2]!, 10) || 0;
        db = 0;
        inMulti = false;
        entries = null;
        if (await connect(false)) await loadHelp();
      } else if (argv.length === 1 && first === 'clear') {
        put(r.output, CLEAR_SCREEN);
      } else {
        const start = Date.now();
        await issue(argv.slice(skip), rep ?? 1);
        if (interrupted) {
          code = 1;
          break;
        }
        const elapsed = Date.now() - start;
        if (elapsed >= SLOW_COMMAND_MS && !r.raw) put(r.output, `(${(elapsed / 1000).toFixed(2)}s)\n`);
      }
    }
  } catch (e) {
    put(r.stderr, `Error: ${(e as Error).message}\n`);
    code = 1;
  } finally {
    editor.close();
    (session as Session | null)?.conn.close();
  }
  return code;
}
