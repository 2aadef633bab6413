/**
 * mini-kv-cli: redis-cli 7.0 for mini-kv (and any RESP server).
 *
 *     mini-kv-cli [OPTIONS] [cmd [arg [arg ...]]]
 *
 * main() follows redis-cli's main(): parse the options (options.ts), print
 * the -a warning, ask for the password with --askpass, then run the one
 * mode chosen: --latency/--latency-history, --pipe, --bigkeys, --memkeys,
 * --stat, --scan (modes/), else the command on the command line (one-shot,
 * modes/once.ts), else commands from stdin when it is not a terminal
 * (modes/lines.ts), else the interactive REPL (repl.ts). Output goes out in
 * redis-cli's styles (format.ts); messages and exit codes are redis-cli's,
 * "Redis" in them included (docs/cli.md says why).
 */
import readline from 'node:readline';
import { CliConnectionError } from './client.js';
import { bigKeysMode, hotKeysMode, scanMode } from './modes/keys.js';
import { CliExit } from './modes/command.js';
import { intrinsicLatencyMode } from './modes/intrinsic.js';
import { runLines } from './modes/lines.js';
import { runEval, runOnce } from './modes/once.js';
import { pipeMode } from './modes/pipe.js';
import { latencyDistMode, latencyMode, statMode } from './modes/stat.js';
import { AUTH_WARNING, CLI_VERSION, CliUsageError, parseCliArgs, USAGE, type CliOptions } from './options.js';
import { runRepl } from './repl.js';
import { formatReply, outputMode, put, type Io } from './session.js';

/**
 * askPassword(): one line from stdin. On a terminal the prompt is shown and
 * each typed character echoes as '*' (linenoise's mask mode); from a pipe,
 * as linenoise's no-tty path, there is no prompt and no echo.
 */
function askPassword(io: Io, message: string): Promise<string> {
  return new Promise((resolve) => {
    const input = io.stdin ?? process.stdin;
    const tty = Boolean(input.isTTY);
    const rl = readline.createInterface({ input, output: tty ? io.stdout : undefined, terminal: tty });
    if (tty) {
      const r = rl as unknown as { _writeToOutput: (s: string) => void; line: string };
      r._writeToOutput = (s: string): void => {
        put(io.stdout, s === message ? s : s.startsWith(message) ? message + '*'.repeat(r.line.length) : s.replace(/[^\r\n]/g, '*'));
      };
    }
    let done = false;
    rl.question(tty ? message : '', (line) => {
      done = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!done) resolve('');
    });
  });
}

/** Runs the mode the options chose; resolves with the exit code. */
export async function run(o: CliOptions, io: Io): Promise<number> {
  try {
    switch (o.mode) {
      case 'latency': return await latencyMode(o, io, false);
      case 'latency-history': return await latencyMode(o, io, true);
      case 'latency-dist': return await latencyDistMode(o, io);
      case 'pipe': return await pipeMode(o, io);
      case 'intrinsic-latency': return await intrinsicLatencyMode(o, io);
      case 'bigkeys': return await bigKeysMode(o, io, false);
      case 'memkeys': return await bigKeysMode(o, io, true);
      case 'hotkeys': return await hotKeysMode(o, io);
      case 'stat': return await statMode(o, io);
      case 'scan': return await scanMode(o, io);
      case 'command': break;
    }
    if (o.evalFile !== null) return await runEval(o, io);
    if (o.command.length > 0) return await runOnce(o, io);
    const stdin = io.stdin ?? process.stdin;
    if (!stdin.isTTY) return await runLines(o, io);
    const tty = Boolean(stdin.isTTY && io.stdout.isTTY);
    const raw = outputMode(o, io) !== 'standard';
    return await runRepl(o, { input: stdin, output: io.stdout, stderr: io.stderr, prompt: tty, terminal: tty, raw });
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    throw e;
  }
}

/** The binary's entry point; resolves with the exit code. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }): Promise<number> {
  if (io.stdout === process.stdout) {
    // redis-cli dies of SIGPIPE when its reader goes away (`| head`); Node ignores SIGPIPE, so leave as quietly.
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(141);
      throw e;
    });
  }
  let o: CliOptions;
  try {
    const parsed = parseCliArgs(argv, io.env ?? process.env);
    if (parsed === 'help') {
      put(io.stdout, USAGE);
      return 0;
    }
    if (parsed === 'version') {
      put(io.stdout, `mini-kv-cli ${CLI_VERSION}\n`);
      return 0;
    }
    o = parsed;
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    put(io.stderr, `${e.message}\n`);
    return 1;
  }
  if (o.authWarning) put(io.stderr, `${AUTH_WARNING}\n`);
  if (o.askpass) o.password = await askPassword(io, 'Please input password: ');
  return run(o, io);
}

export { CliConnectionError, formatReply, runRepl };
export { CLI_VERSION, DEFAULT_PORT, parseCliArgs, type CliOptions } from './options.js';
