/**
 * One CLI connection (TCP, TLS or a Unix socket): sends commands and hands
 * back replies in the order they arrive. It owns the socket and the reply
 * reader and knows nothing of output. Its error messages are hiredis's and
 * redis-cli's (cliConnect, cliSecureConnection), since redis-cli's users
 * read them: "Could not connect to Redis at host:port: Connection refused",
 * "Server closed the connection".
 *
 * RESP3 push replies follow hiredis's rule: with a push handler set they go
 * to it (redis-cli prints them when stdout is a terminal), with none they
 * are dropped (hiredis's default auto-free), and in pub/sub and MONITOR
 * mode (`pushesAsReplies`) they are read as ordinary replies.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import tls from 'node:tls';
import type { TlsOptions } from './options.js';
import { encodeCommand, ReplyReader, type Reply } from './reply.js';

/** Thrown when the server cannot be reached or closes the connection; the message is redis-cli's. */
export class CliConnectionError extends Error {
  override readonly name = 'CliConnectionError';
}

export interface ConnectOptions {
  host: string;
  port: number;
  socket?: string | null;
  tls?: boolean;
  tlsOptions?: TlsOptions;
}

/** The strerror()/gai_strerror() text hiredis puts in errstr for a Node error. */
export function systemErrorText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ECONNREFUSED': return 'Connection refused';
    case 'ECONNRESET': return 'Connection reset by peer';
    case 'ENOTFOUND': return 'Name or service not known';
    case 'EAI_AGAIN': return 'Temporary failure in name resolution';
    case 'ETIMEDOUT': return 'Connection timed out';
    case 'EHOSTUNREACH': return 'No route to host';
    case 'ENETUNREACH': return 'Network is unreachable';
    case 'ENOENT': return 'No such file or directory';
    case 'EACCES': return 'Permission denied';
    case 'EPIPE': return 'Broken pipe';
    case 'EADDRNOTAVAIL': return 'Cannot assign requested address';
    default: return e.message;
  }
}

/**
 * hiredis's errstr for a failed handshake: "SSL_connect failed: " and
 * OpenSSL's reason string. Node names certificate failures by code and
 * other OpenSSL errors in a message carrying the same reason.
 */
function tlsErrorText(e: NodeJS.ErrnoException): string {
  const code = e.code ?? '';
  if (/CERT|VERIFY|SELF_SIGNED|ISSUER/.test(code)) return 'SSL_connect failed: certificate verify failed';
  const m = /SSL routines:[^:]*:([^:]+):/.exec(e.message);
  if (m !== null) return `SSL_connect failed: ${m[1]}`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'Connection reset by peer';
  return e.message;
}

/**
 * Reads --cacertdir's CA certificates. OpenSSL looks a CA up there by its
 * subject hash (files named like 9a8b7c6d.0, made by c_rehash); Node needs
 * them up front, so every file so named is read and nothing else.
 */
function readCaDir(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^[0-9a-f]{8}\.\d+$/.test(name)) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) {
        const b = readFileSync(p);
        if (b.includes('-----BEGIN CERTIFICATE-----')) out.push(b);
      }
    } catch {
      // An unreadable entry is skipped, as OpenSSL skips it.
    }
  }
  return out;
}

/** cliSecureConnection()'s SSL_CTX set-up as Node TLS options; throws its messages for bad files. */
function secureContextOptions(t: TlsOptions): tls.ConnectionOptions {
  const o: tls.ConnectionOptions = { rejectUnauthorized: !t.insecure, checkServerIdentity: () => undefined };
  if (t.cacert !== null || t.cacertdir !== null) {
    try {
      const ca: Buffer[] = [];
      if (t.cacert !== null) ca.push(readFileSync(t.cacert));
      if (t.cacertdir !== null) ca.push(...readCaDir(t.cacertdir));
      tls.createSecureContext({ ca });
      o.ca = ca;
    } catch {
      throw new CliConnectionError('Could not negotiate a TLS connection: Invalid CA Certificate File/Directory');
    }
  }
  if (t.cert !== null) {
    try {
      o.cert = readFileSync(t.cert);
    } catch {
      throw new CliConnectionError('Could not negotiate a TLS connection: Invalid client certificate');
    }
  }
  if (t.key !== null) {
    try {
      o.key = readFileSync(t.key);
    } catch {
      throw new CliConnectionError('Could not negotiate a TLS connection: Invalid private key');
    }
  }
  if (t.ciphers !== null) o.ciphers = t.ciphers;
  if (t.ciphersuites !== null) o.ciphers = o.ciphers === undefined ? t.ciphersuites : `${t.ciphersuites}:${o.ciphers}`;
  if (t.sni !== null) o.servername = t.sni;
  return o;
}

type Waiter = { resolve: (r: Reply) => void; reject: (e: Error) => void };

export class CliConnection {
  private readonly reader = new ReplyReader();
  private readonly replies: Reply[] = [];
  private readonly waiters: Waiter[] = [];
  private failure: Error | null = null;
  closed = false;
  /** Where RESP3 push replies go when they are not read as replies; null drops them. */
  onPush: ((r: Reply) => void) | null = null;
  /** Pub/sub and MONITOR modes read push replies in line, as hiredis does with no push callback. */
  pushesAsReplies = false;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('close', () => this.fail(new CliConnectionError('Server closed the connection')));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new CliConnectionError(systemErrorText(e))));
  }

  /**
   * Connects (and does the TLS handshake with --tls), or rejects with
   * redis-cli's wording: "Could not connect to Redis at host:port: reason"
   * (a failed handshake included: "SSL_connect failed: certificate verify
   * failed"), or "Could not negotiate a TLS connection: reason" for bad
   * certificate files.
   */
  static connect(target: ConnectOptions | string, port?: number): Promise<CliConnection> {
    // connect(host, port) is the older form, kept for callers written against it.
    const o: ConnectOptions = typeof target === 'string' ? { host: target, port: port ?? 0 } : target;
    const where = o.socket ? o.socket : `${o.host}:${o.port}`;
    return new Promise((resolve, reject) => {
      let socket: net.Socket;
      let tcpUp = false;
      const fail = (e: NodeJS.ErrnoException): void => {
        socket.destroy();
        if (o.tls && tcpUp) reject(new CliConnectionError(`Could not connect to Redis at ${where}: ${tlsErrorText(e)}`));
        else reject(new CliConnectionError(`Could not connect to Redis at ${where}: ${systemErrorText(e)}`));
      };
      const ready = (): void => {
        socket.off('error', fail);
        resolve(new CliConnection(socket));
      };
      if (o.tls) {
        let secure: tls.ConnectionOptions;
        try {
          secure = secureContextOptions(o.tlsOptions!);
        } catch (e) {
          reject(e);
          return;
        }
        const tcp = o.socket ? net.connect({ path: o.socket }) : net.connect({ host: o.host, port: o.port });
        tcp.once('error', (e) => {
          if (!tcpUp) {
            tcp.destroy();
            reject(new CliConnectionError(`Could not connect to Redis at ${where}: ${systemErrorText(e)}`));
          }
        });
        tcp.once('connect', () => {
          tcpUp = true;
          socket = tls.connect({ ...secure, socket: tcp });
          socket.once('error', fail);
          socket.once('secureConnect', ready);
        });
        return;
      }
      socket = o.socket ? net.connect({ path: o.socket }) : net.connect({ host: o.host, port: o.port });
      socket.once('error', fail);
      socket.once('connect', ready);
    });
  }

  /** Queues one command (no reply is awaited). */
  send(args: readonly (string | Buffer)[]): void {
    if (!this.closed) this.socket.write(encodeCommand(args));
  }

  /** The next reply in arrival order; rejects once the connection is gone and nothing is left. */
  read(): Promise<Reply> {
    const r = this.replies.shift();
    if (r !== undefined) return Promise.resolve(r);
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Sends one command and resolves with its reply (replies arrive in order). */
  command(args: readonly (string | Buffer)[]): Promise<Reply> {
    if (this.closed && this.replies.length === 0) return Promise.reject(this.failure ?? new CliConnectionError('Server closed the connection'));
    this.send(args);
    return this.read();
  }

  /** Why the connection is gone (hiredis's errstr), for "Error: ..." lines. */
  failureMessage(): string {
    return this.failure?.message ?? 'Server closed the connection';
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.reader.append(chunk);
    try {
      for (let r = this.reader.next(); r !== undefined; r = this.reader.next()) {
        if (r.type === 'push' && !this.pushesAsReplies) {
          this.onPush?.(r);
          continue;
        }
        const w = this.waiters.shift();
        if (w !== undefined) w.resolve(r);
        else this.replies.push(r);
      }
    } catch (e) {
      this.fail(e as Error);
      this.socket.destroy();
    }
  }

  private fail(err: Error): void {
    this.closed = true;
    if (this.failure === null) this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
  }
}
