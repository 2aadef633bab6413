/**
 * The interactive loop of mini-kv-cli: a `host:port> ` prompt, one command
 * per line split with Redis's inline quoting rules, `help …` from COMMAND
 * DOCS, `quit`/`exit`, and reconnecting when the connection has gone.
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { splitInlineArgs } from '../protocol/inline-parser.js';
import type { CliConnection } from './client.js';
import { generalHelp, helpFor, parseCommandDocs } from './help.js';
import { CLI_VERSION, type CliOptions } from './options.js';
import { formatReply, openSession, put, type Io, type Session } from './session.js';

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
  let session: Session | null = null;
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

