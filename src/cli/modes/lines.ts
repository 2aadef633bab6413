/**
 * Commands read from stdin when it is not a terminal and no command was
 * given: redis-cli then runs its REPL loop without a prompt (linenoise's
 * no-tty path), one command per line. This module is that loop for piped
 * input; the interactive terminal REPL lives in repl.ts.
 *
 * As in redis-cli's repl(): lines are split with Redis's quoting rules
 * ("Invalid argument(s)" when unbalanced), a leading number repeats the
 * command ("3 incr n"), quit/exit end the run with 0, `:set hints` and other
 * `:` preferences, `connect host port`, `clear`, `restart` and `help` are
 * handled locally, a lost connection is reported ("Error: Server closed the
 * connection") and the next command connects again, and a command that took
 * 500 ms or more is followed by its time, "(0.52s)", in TTY style. -e has no
 * effect here, as in redis-cli (the session counts as interactive).
 */
import type { Readable } from 'node:stream';
import { splitInlineArgs } from '../../protocol/inline-parser.js';
import type { CliOptions } from '../options.js';
import { put, type Io } from '../session.js';
import { CommandRunner } from './command.js';

/**
 * The lines of a byte stream as latin1 strings (one char per byte), split
 * on "\n" only, as linenoise reads a non-terminal stdin: a "\r" stays in
 * the line (sdssplitargs then takes it for a space), and a last line
 * without "\n" still counts.
 */
async function* byteLines(input: Readable): AsyncGenerator<string> {
  let rest = '';
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? Buffer.from(chunk, 'utf8').toString('latin1') : (chunk as Buffer).toString('latin1');
    let nl = rest.indexOf('\n');
    while (nl !== -1) {
      yield rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      nl = rest.indexOf('\n');
    }
  }
  if (rest !== '') yield rest;
}

/** Runs the commands on stdin in order; resolves with the exit code (0, as redis-cli). */
export async function runLines(o: CliOptions, io: Io): Promise<number> {
  const runner = new CommandRunner(o, io, true);
  const out = (s: string): void => put(io.stdout, s);
  const onSigint = (): void => {
    // sigIntHandler(): leave MONITOR / pub/sub mode, otherwise exit 1.
    if (runner.blocking) runner.abortBlocking();
    else {
      runner.close();
      process.exit(1);
    }
  };
  process.on('SIGINT', onSigint);
  await runner.connect(false, false);
  const input = io.stdin ?? process.stdin;
  try {
    for await (const text of byteLines(input)) {
      if (text === '') continue;
      const bytes = Buffer.from(text, 'latin1');
      const words = splitInlineArgs(bytes, 0, bytes.length);
      if (words === null) {
        out('Invalid argument(s)\n');
        continue;
      }
      if (words.length === 0) continue;
      let repeat = 1;
      let skip = 0;
      if (words.length > 1 && /^[ \t\n\v\f\r]*[+-]?\d+$/.test(words[0]!)) {
        const n = Number(words[0]);
        if (!(n > 0) || n > 2 ** 63 - 1) {
          out('Invalid redis-cli repeat command option value.\n');
          continue;
        }
        repeat = n;
        skip = 1;
      }
      const name = words[0]!.toLowerCase();
      if (name === 'quit' || name === 'exit') return 0;
      if (words[0]!.startsWith(':')) {
        if (name === ':set' && words.length >= 2) {
          const v = words[1]!.toLowerCase();
          if (v !== 'hints' && v !== 'nohints') out(`unknown redis-cli preference '${words[1]}'\n`);
        } else out(`unknown redis-cli internal command '${words[0]}'\n`);
        continue;
      }
      if (name === 'restart') {
        out("Use 'restart' only in Lua debugging mode.\n");
        continue;
      }
      if (words.length === 3 && name === 'connect') {
        runner.o.host = words[1]!;
        runner.o.port = Number.parseInt(words[2]!, 10) || 0;
        await runner.connect(true);
        continue;
      }
      if (words.length === 1 && name === 'clear') {
        out('\x1b[H\x1b[2J');
        continue;
      }
      const started = Date.now();
      await runner.issue(words.slice(skip).map((w) => Buffer.from(w, 'latin1')), repeat);
      const elapsed = Date.now() - started;
      if (elapsed >= 500 && runner.mode === 'standard') out(`(${(elapsed / 1000).toFixed(2)}s)\n`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    runner.close();
  }
}
