/**
 * One-shot mode, redis-cli's noninteractive(): the command comes from the
 * command line (with -x the last argument from stdin, with -X the argument
 * equal to the tag), --quoted-input unquotes each word, and the command is
 * sent -r times. Exit code 0, or 1 when the server could not be reached,
 * the reply could not be read, or (with -e) the reply was an error.
 */
import { readFileSync } from 'node:fs';
import { systemErrorText } from '../client.js';
import { unquote, type CliOptions } from '../options.js';
import { put, type Io } from '../session.js';
import { CommandRunner, readAllStdin } from './command.js';

/** Runs the command line's command; resolves with the exit code (CliExit may also be thrown). */
export async function runOnce(o: CliOptions, io: Io): Promise<number> {
  let args: Buffer[] = [];
  for (const w of o.command) {
    if (!o.quotedInput) {
      args.push(Buffer.from(w, 'utf8'));
      continue;
    }
    const b = unquote(w);
    if (b === null) {
      put(io.stdout, 'Invalid quoted string\n');
      return 1;
    }
    args.push(b);
  }
  if (o.stdinLastArg) args.push(await readAllStdin(io));
  else if (o.stdinTag !== null) {
    const i = args.findIndex((a) => a.toString('utf8') === o.stdinTag);
    if (i === -1) {
      put(io.stderr, 'Using -X option but stdin tag not match.\n');
      return 1;
    }
    args = [...args.slice(0, i), await readAllStdin(io), ...args.slice(i + 1)];
  }
  const runner = new CommandRunner(o, io, false);
  try {
    // main() connects quietly first (CC_QUIET); issueCommand connects again, loudly, if that failed.
    await runner.connect(false, true);
    return (await runner.issue(args, o.repeat)) ? 0 : 1;
  } finally {
    runner.close();
  }
}

/**
 * --eval <file> (evalMode without the Lua debugger): connects first (exit 1
 * if that fails), reads the script ("Can't open file 'f': reason"), and
 * sends EVAL script numkeys keys... args..., the words before the first
 * lone ',' being the keys.
 */
export async function runEval(o: CliOptions, io: Io): Promise<number> {
  const runner = new CommandRunner(o, io, false);
  try {
    if (!(await runner.connect(false, false))) return 1;
    let script: Buffer;
    try {
      script = readFileSync(o.evalFile!);
    } catch (e) {
      put(io.stderr, `Can't open file '${o.evalFile}': ${systemErrorText(e as NodeJS.ErrnoException)}\n`);
      return 1;
    }
    const comma = o.command.indexOf(',');
    const keys = comma === -1 ? o.command : o.command.slice(0, comma);
    const rest = comma === -1 ? [] : o.command.slice(comma + 1);
    const args = [Buffer.from('EVAL'), script, Buffer.from(String(keys.length)), ...keys.map((k) => Buffer.from(k, 'utf8')), ...rest.map((a) => Buffer.from(a, 'utf8'))];
    return (await runner.issue(args, o.repeat)) ? 0 : 1;
  } finally {
    runner.close();
  }
}
