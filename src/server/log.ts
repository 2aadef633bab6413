/**
 * The server's logger: Redis's log line format and levels, and where lines
 * go. It owns the format (`pid:role dd Mon yyyy hh:mm:ss.mmm <c> message`,
 * as Redis's serverLogRaw writes it, in local time), the filter by
 * `loglevel`, and the two destinations: a function (the binary's stdout, the
 * embedding API's `log` option) or `logfile`, appended to one line at a time.
 *
 * It knows nothing of sockets or commands; the level is read through a
 * function at each call, so CONFIG SET loglevel applies to the next line.
 */
import { appendFileSync } from 'node:fs';

/** The levels a line can have, least severe first (Redis's LL_DEBUG … LL_WARNING). */
export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

/** Every value `loglevel` takes: the four levels and `nothing` (Redis 7.2's, which silences everything). */
export const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;

/** Redis's serverLogRaw marks: `.` debug, `-` verbose, `*` notice, `#` warning. */
const LEVEL_CHAR: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const RANK: Record<string, number> = { debug: 0, verbose: 1, notice: 2, warning: 3, nothing: 4 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/**
 * One log line without its newline, as Redis's serverLogRaw prints it:
 * `12345:M 04 Dec 2026 02:15:48.297 * Ready to accept connections`. `role`
 * is Redis's role character: `M` for the running server, `C` before it is
 * set up (Redis prints `C` while it reads its configuration).
 */
export function formatLogLine(pid: number, role: string, time: Date, level: LogLevel, message: string): string {
  const stamp = `${pad(time.getDate())} ${MONTHS[time.getMonth()]} ${time.getFullYear()} ` +
    `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
  return `${pid}:${role} ${stamp} ${LEVEL_CHAR[level]} ${message}`;
}

/** Whether a line of `level` passes `loglevel` (any of LOGLEVELS). */
export function levelEnabled(level: LogLevel, loglevel: string): boolean {
  return RANK[level]! >= (RANK[loglevel] ?? RANK.notice!);
}

/**
 * A destination that appends each line to `file`, opening and closing it
 * each time as Redis does, so that a rotated log file is picked up at the
 * next line. A write that fails is dropped (Redis's serverLogRaw does the
 * same): logging must never stop the server.
 */
export function fileSink(file: string): (line: string) => void {
  return (line) => {
    try {
      appendFileSync(file, line + '\n');
    } catch {
      // Dropped, as in Redis.
    }
  };
}

export class Logger {
  /**
   * `sink` receives each formatted line without its newline; `loglevel`
   * is read at every call. `role` is Redis's role character.
   */
  constructor(
    private readonly sink: (line: string) => void,
    private readonly loglevel: () => string = () => 'notice',
    private readonly role = 'M',
  ) {}

  enabled(level: LogLevel): boolean {
    return levelEnabled(level, this.loglevel());
  }

  /** Logs `message` at `level` when loglevel lets it through (Redis's serverLog). */
  log(level: LogLevel, message: string): void {
    if (!levelEnabled(level, this.loglevel())) return;
    this.sink(formatLogLine(process.pid, this.role, new Date(), level, message));
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  verbose(message: string): void {
    this.log('verbose', message);
  }

  notice(message: string): void {
    this.log('notice', message);
  }

  warning(message: string): void {
    this.log('warning', message);
  }
}
