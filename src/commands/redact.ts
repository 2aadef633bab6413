/**
 * Secrets kept out of what the server shows of a command (the slow log,
 * MONITOR), as Redis's redactClientCommandArgument. Its own module so that
 * both can use it without importing each other.
 */
import { tokenIs } from './args.js';
import type { LoadedCommand } from './table.js';

/** server.c shared.redacted. */
export const REDACTED = '(redacted)';

/**
 * Replaces secrets with "(redacted)" where Redis's commands call
 * redactClientCommandArgument: AUTH's password (and username), the two
 * arguments after HELLO's AUTH, and CONFIG SET's value of requirepass (the
 * one SENSITIVE_CONFIG option mini-kv has).
 */
export function redact(cmd: LoadedCommand, args: string[]): void {
  const name = cmd.fullName;
  if (name === 'auth') {
    if (args.length <= 3) for (let i = 1; i < args.length; i++) args[i] = REDACTED;
  } else if (name === 'hello') {
    for (let j = 2; j < args.length; j++) {
      if (tokenIs(args[j]!, 'AUTH') && args.length - 1 - j >= 2) {
        args[j + 1] = REDACTED;
        args[j + 2] = REDACTED;
        j += 2;
      } else if (tokenIs(args[j]!, 'SETNAME')) j++;
    }
  } else if (name === 'config|set') {
    for (let j = 2; j + 1 < args.length; j += 2) if (args[j]!.toLowerCase() === 'requirepass') args[j + 1] = REDACTED;
  }
}

