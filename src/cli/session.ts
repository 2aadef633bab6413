/**
 * What one-shot mode and the REPL share: the output streams, opening a
 * session the way redis-cli does (AUTH, HELLO 3, SELECT), and formatting a
 * reply for the chosen output style.
 */
import type { Writable } from 'node:stream';
import { CliConnection } from './client.js';
import { formatRaw, formatTTY } from './format.js';
import type { CliOptions } from './options.js';
import type { Reply } from './reply.js';

/** An open connection and the database it has selected. */
export interface Session {
  conn: CliConnection;
  db: number;
}

export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
}

/** Writes a latin1 string (one char per byte) as bytes. */
export function put(out: Writable, s: string): void {
  out.write(Buffer.from(s, 'latin1'));
}

/** Formats one reply the way redis-cli would for this output. */
export function formatReply(r: Reply, raw: boolean): string {
  return raw ? formatRaw(r) + '\n' : formatTTY(r);
}

/**
 * Opens the connection and runs the start-up commands redis-cli runs: AUTH
 * (-a), HELLO 3 (--resp3), SELECT (-n). Their failures are reported and the
 * session goes on, as in redis-cli. Returns the db actually selected.
 */
export async function openSession(o: CliOptions, io: Io): Promise<Session> {
  const conn = await CliConnection.connect(o.host, o.port);
  if (o.password !== null) {
    const r = await conn.command(['AUTH', o.password]);
    if (r.type === 'error') put(io.stderr, `AUTH failed: ${r.value}\n`);
  }
  if (o.resp3) {
    const r = await conn.command(['HELLO', '3']);
    if (r.type === 'error') put(io.stderr, `HELLO 3 failed: ${r.value}\n`);
  }
  let db = 0;
  if (o.db !== 0) {
    const r = await conn.command(['SELECT', String(o.db)]);
    if (r.type === 'error') put(io.stderr, `${r.value}\n`);
    else db = o.db;
  }
  return { conn, db };
}

