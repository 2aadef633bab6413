/**
 * The REPL's saved history: where the file is (`~/.minikv_cli_history`, or
 * MINIKV_CLI_HISTFILE as redis-cli honours REDISCLI_HISTFILE), loading and
 * saving it as linenoise does (one line per entry, oldest first, at most
 * HISTORY_MAX_LEN, no entry equal to the one before it, the file private to
 * its owner), and which lines must never be saved (passwords). The list
 * itself is kept oldest first here; line-editor.ts hands readline its own
 * newest-first copy.
 */
import fs from 'node:fs';
import path from 'node:path';

/** linenoise's LINENOISE_DEFAULT_HISTORY_MAX_LEN, which redis-cli keeps. */
export const HISTORY_MAX_LEN = 100;
export const HISTFILE_ENV = 'MINIKV_CLI_HISTFILE';
export const HISTFILE_DEFAULT = '.minikv_cli_history';

/**
 * The history file, or null for none. Mirrors redis-cli's getDotfilePath():
 * a non-empty MINIKV_CLI_HISTFILE wins, and `/dev/null` there means no file;
 * otherwise `$HOME/.minikv_cli_history`, or none without a HOME.
 */
export function historyPath(env: NodeJS.ProcessEnv): string | null {
  const override = env[HISTFILE_ENV];
  if (override !== undefined && override !== '') return override === '/dev/null' ? null : override;
  const home = env['HOME'];
  return home !== undefined && home !== '' ? path.join(home, HISTFILE_DEFAULT) : null;
}

/** Appends one line as linenoiseHistoryAdd() does: not twice in a row, dropping the oldest past the limit. */
export function addHistory(history: string[], line: string): void {
  if (history.length > 0 && history[history.length - 1] === line) return;
  history.push(line);
  if (history.length > HISTORY_MAX_LEN) history.splice(0, history.length - HISTORY_MAX_LEN);
}

/** Reads the file as linenoiseHistoryLoad() does; a missing or unreadable file gives an empty history. */
export function loadHistory(file: string | null): string[] {
  const history: string[] = [];
  if (file === null) return history;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return history;
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of lines) addHistory(history, l.replace(/\r$/, ''));
  return history;
}

/**
 * Rewrites the whole file, as linenoiseHistorySave() does after each line:
 * mode 0600, since it can hold keys and values. Failures are ignored, as
 * there: a read-only home must not stop the REPL.
 */
export function saveHistory(file: string | null, history: readonly string[]): void {
  if (file === null) return;
  try {
    fs.writeFileSync(file, history.map((l) => l + '\n').join(''), { mode: 0o600 });
    fs.chmodSync(file, 0o600);
  } catch {
    // As linenoise: no history file is better than no REPL.
  }
}

/**
 * Whether a command carries a secret and stays out of the history. Mirrors
 * redis-cli 7.0's isSensitiveCommand(): AUTH; ACL SETUSER; CONFIG SET of
 * masterauth, masteruser or requirepass; HELLO with AUTH user pass (after
 * the protocol version, possibly behind SETNAME name); MIGRATE with AUTH
 * password or AUTH2 user pass before KEYS.
 */
export function isSensitiveCommand(argv: readonly string[]): boolean {
  const is = (i: number, word: string): boolean => argv[i]!.toLowerCase() === word;
  const argc = argv.length;
  if (is(0, 'auth')) return true;
  if (argc > 1 && is(0, 'acl') && is(1, 'setuser')) return true;
  if (argc > 2 && is(0, 'config') && is(1, 'set') && (is(2, 'masterauth') || is(2, 'masteruser') || is(2, 'requirepass'))) return true;
  if (argc > 4 && is(0, 'hello')) {
    for (let j = 2; j < argc; j++) {
      const moreargs = argc - 1 - j;
      if (is(j, 'auth') && moreargs >= 2) return true;
      if (is(j, 'setname') && moreargs > 0) j++;
      else return false;
    }
    return false;
  }
  if (argc > 7 && is(0, 'migrate')) {
    for (let j = 6; j < argc; j++) {
      const moreargs = argc - 1 - j;
      if (is(j, 'auth') && moreargs > 0) return true;
      if (is(j, 'auth2') && moreargs >= 2) return true;
      if (is(j, 'keys') && moreargs > 0) return false;
    }
  }
  return false;
}
