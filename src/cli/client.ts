/**
 * One CLI connection: sends commands and resolves each with its reply, in
 * order. It owns the socket and the reply reader and knows nothing of output.
 */
import net from 'node:net';
import { encodeCommand, ReplyReader, type Reply } from './reply.js';

/** Thrown when the server cannot be reached or closes the connection. */
export class CliConnectionError extends Error {
  override readonly name = 'CliConnectionError';
}

interface Pending {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

export class CliConnection {
  private readonly reader = new ReplyReader();
  private readonly pending: Pending[] = [];
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => this.onClose(new CliConnectionError('Server closed the connection')));
    socket.on('error', (e) => this.onClose(new CliConnectionError(e.message)));
  }

  /** Connects, or rejects with redis-cli's wording: "Could not connect to … at host:port: reason". */
  static connect(host: string, port: number): Promise<CliConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const fail = (e: NodeJS.ErrnoException): void => {
        const reason = e.code === 'ECONNREFUSED' ? 'Connection refused' : e.message;
        reject(new CliConnectionError(`Could not connect to mini-kv at ${host}:${port}: ${reason}`));
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        socket.off('error', fail);
        resolve(new CliConnection(socket));
      });
    });
  }

  /** Sends one command; resolves with its reply, rejects if the connection is lost first. */
  command(args: readonly (string | Buffer)[]): Promise<Reply> {
    if (this.closed) return Promise.reject(new CliConnectionError('Server closed the connection'));
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.reader.append(chunk);
    try {
      for (let r = this.reader.next(); r !== undefined; r = this.reader.next()) {
        // Push messages (RESP3 out-of-band data) answer no command.
        if (r.type === 'push') continue;
        this.pending.shift()?.resolve(r);
      }
    } catch (e) {
      this.onClose(e as Error);
      this.socket.destroy();
    }
  }

  private onClose(err: Error): void {
    this.closed = true;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}
