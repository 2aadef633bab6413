/**
 * Raw socket helpers for the reliability tests (security, limits,
 * backpressure, shutdown, fuzz): a connection that collects what arrives and
 * lets a test wait for a byte count, a string or the close, and a free port
 * for listeners that cannot take port 0 (tls-port 0 means "no TLS").
 */
import net from 'node:net';

export class RawConn {
  readonly sock: net.Socket;
  /** Everything received so far, as latin1. */
  data = '';
  bytes = 0;
  closed = false;
  /** The socket error, if one came (ECONNRESET when the server resets). */
  error: Error | null = null;
  private waiters: (() => void)[] = [];

  constructor(sock: net.Socket, keep = true) {
    this.sock = sock;
    sock.on('data', (d: Buffer) => {
      this.bytes += d.length;
      if (keep) this.data += d.toString('latin1');
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', (e) => {
      this.error = e;
    });
  }

  /** Connects to `port`; `from` picks the local address (a second address for protected mode). */
  static open(port: number, opts: { host?: string; from?: string; keep?: boolean } = {}): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ port, host: opts.host ?? '127.0.0.1', localAddress: opts.from });
      const c = new RawConn(sock, opts.keep ?? true);
      sock.once('connect', () => resolve(c));
      sock.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(b: string | Buffer): void {
    this.sock.write(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
  }

  /** Resolves once `cond()` holds, the socket closed, or `ms` passed; returns cond(). */
  async until(cond: () => boolean, ms = 5000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!cond() && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return cond();
  }

  /** Waits for `text` to have arrived (or the close); returns the data. */
  async expect(text: string, ms = 5000): Promise<string> {
    await this.until(() => this.data.includes(text), ms);
    return this.data;
  }

  /** Waits for the server to close the connection; returns whether it did. */
  async waitClose(ms = 5000): Promise<boolean> {
    await this.until(() => this.closed, ms);
    return this.closed;
  }

  /** Sends `req` and resolves with the reply once `reply.length` bytes arrived after it. */
  async ask(req: string | Buffer, replyLength: number, ms = 5000): Promise<string> {
    const start = this.data.length;
    this.write(req);
    await this.until(() => this.data.length - start >= replyLength, ms);
    return this.data.slice(start);
  }

  destroy(): void {
    this.sock.destroy();
  }
}

/** A port that was free a moment ago (for tls-port, where 0 means off). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A source address protected mode treats as remote while traffic stays on
 * loopback: Redis 7.0 lets only 127.0.0.1 and ::1 through (networking.c
 * clientAcceptHandler compares the peer's text), so 127.0.0.2, which Linux
 * routes over lo, is "another address" for it, as a real Redis 7.0.15
 * confirms. Tests never need a non-loopback interface.
 */
export const OTHER_LOOPBACK = '127.0.0.2';

/** The bytes of a RESP bulk reply for `value`. */
export function bulkReply(value: string): string {
  return `$${value.length}\r\n${value}\r\n`;
}
