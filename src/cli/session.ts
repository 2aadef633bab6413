/**
 * What one-shot mode, the modes and the REPL share: the output streams,
 * opening a session the way redis-cli's cliConnect() does (connect, AUTH,
 * SELECT, then HELLO 3, each failure reported in redis-cli's words), the
 * output style chosen for this run, and formatting a reply for it.
 */
import type { Readable, Writable } from 'node:stream';
import { CliConnection } from './client.js';
import { forcedRaw, formatFor, formatRaw, formatTTY } from './format.js';
import type { CliOptions, OutputMode } from './options.js';
import type { Reply } from './reply.js';

/** An open connection and the database it has selected. */
export interface Session {
  conn: CliConnection;
  db: number;
  /** False when AUTH, SELECT or a required HELLO 3 failed (cliConnect's REDIS_ERR): modes then exit 1. */
  ok: boolean;
}

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  stdin?: Readable & { isTTY?: boolean };
  /** The environment (FAKETTY, REDISCLI_AUTH); process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

/** Writes a latin1 string (one char per byte) as bytes. */
export function put(out: Writable, s: string): void {
  out.write(Buffer.from(s, 'latin1'));
}

/** Whether redis-cli would treat stdout as a terminal: a tty, or FAKETTY set (redis-cli's test hook). */
export function stdoutIsTerminal(io: Io): boolean {
  return Boolean(io.stdout.isTTY) || (io.env ?? process.env).FAKETTY !== undefined;
}

/** The output style: the one chosen on the command line, else TTY style on a terminal and raw otherwise. */
export function outputMode(o: CliOptions, io: Io): OutputMode {
  return o.output ?? (stdoutIsTerminal(io) ? 'standard' : 'raw');
}

/**
 * Formats one reply the way redis-cli would for this output (TTY style or
 * raw). With `argv`, the commands redis-cli always prints raw (INFO, CLIENT
 * LIST, ...) print raw and without a trailing newline, as in redis-cli.
 */
export function formatReply(r: Reply, raw: boolean, argv?: readonly string[]): string {
  if (argv !== undefined && forcedRaw(argv)) return formatRaw(r);
  return raw ? formatRaw(r) + '\n' : formatTTY(r);
}

/** cliFormatReply() for this run's options: style, -d and -D, and the always-raw commands. */
export function formatForRun(r: Reply, mode: OutputMode, o: CliOptions, argv: readonly string[]): string {
  return formatFor(r, mode, forcedRaw(argv), { mb: o.mbDelim, cmd: o.cmdDelim });
}

/** cliPushHandler(): how a RESP3 push is printed outside pub/sub mode. */
export function formatPush(r: Reply, mode: OutputMode, o: CliOptions): string {
  if (mode === 'standard' && r.type === 'push' && r.elements.length === 2) {
    const [kind, keys] = r.elements;
    if (kind!.type === 'string' && kind!.value.toString('latin1').startsWith('invalidate') && keys!.type === 'array') {
      return '-> invalidate: ' + keys!.elements.map((k) => `'${k.type === 'string' ? k.value.toString('latin1') : ''}'`).join(', ') + '\n';
    }
  }
  return formatFor(r, mode, false, { mb: o.mbDelim, cmd: o.cmdDelim });
}

/**
 * Opens the connection and runs the start-up commands redis-cli's
 * cliConnect() runs, in its order: AUTH (-a, --user), SELECT (-n), HELLO 3
 * (-3, or --json without -2). Each failure is printed to stderr as redis-cli
 * prints it ("AUTH failed: ...", "SELECT 99 failed: ...", "HELLO 3 failed:
 * ...") and stops the sequence there, leaving `ok` false; the connection is
 * kept, since one-shot mode still sends its command. Rejects with a
 * CliConnectionError when the server cannot be reached. When pushes are
 * shown (a terminal, or --show-pushes yes), they print as they arrive.
 */
export async function openSession(o: CliOptions, io: Io): Promise<Session> {
  const conn = await CliConnection.connect({ host: o.host, port: o.port, socket: o.socket ?? null, tls: o.tls ?? false, tlsOptions: o.tlsOptions });
  const session: Session = { conn, db: 0, ok: true };
  const step = async (args: string[], onError: (message: string) => string): Promise<boolean> => {
    const r = await conn.command(args);
    if (r.type !== 'error') return true;
    put(io.stderr, onError(r.value) + '\n');
    return false;
  };
  if (o.password !== null) {
    const args = o.user !== null ? ['AUTH', o.user, o.password] : ['AUTH', o.password];
    if (!(await step(args, (m) => `AUTH failed: ${m}`))) return { ...session, ok: false };
  }
  if (o.db !== 0) {
    if (!(await step(['SELECT', String(o.db)], (m) => `SELECT ${o.db} failed: ${m}`))) return { ...session, ok: false };
    session.db = o.db;
  }
  if ((o.resp3 || o.jsonResp3) && !o.resp2) {
    const ok = await step(['HELLO', '3'], (m) => `HELLO 3 failed: ${m}`);
    if (!ok && o.resp3) session.ok = false;
  }
  const showPushes = o.showPushes ?? stdoutIsTerminal(io);
  if (showPushes) {
    const mode = outputMode(o, io);
    conn.onPush = (r) => put(io.stdout, formatPush(r, mode, o));
  }
  return session;
}
