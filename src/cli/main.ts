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
import { CliConnectionError } from './client.js';
import { CLI_VERSION, CliUsageError, parseCliArgs, USAGE, type CliOptions } from './options.js';
import { runRepl } from './repl.js';
import { formatReply, openSession, put, type Io, type Session } from './session.js';

/** Runs one command and prints its reply. Returns the exit code. */
async function runOnce(o: CliOptions, io: Io, raw: boolean): Promise<number> {
  let session: Session;
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

export { CliConnectionError, formatReply, runRepl };
export { CLI_VERSION, DEFAULT_PORT, parseCliArgs, type CliOptions } from './options.js';
