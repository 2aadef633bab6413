/**
 * Reading plain TCP sockets into one shared buffer instead of through the
 * stream machinery.
 *
 * A net.Socket normally delivers each read as a freshly allocated Buffer,
 * pushed through its Readable state and emitted as 'data'. Node's `onread`
 * socket option (documented for client sockets) reads into a caller's
 * buffer instead and calls back directly: no allocation and no stream
 * bookkeeping per read. Measured on the same machine, A/B, with
 * redis-benchmark GET -P 16: +17% requests/s; the trivial echo server's
 * non-pipelined p99 drops to Redis's (docs/performance.md).
 *
 * net.Server has no such option for the sockets it accepts, so an accepted
 * socket's handle is moved into a new Socket built with `onread`, the way
 * Node builds its own sockets around an existing handle. That reaches one
 * internal: the `_handle` property (present in every Node since 0.x). Each
 * step is checked first, and when anything is not as expected the socket is
 * left untouched and read as a stream (the caller's fallback). TLS sockets
 * always read as streams: their bytes come decrypted from TLSSocket.
 *
 * The buffer is shared by every connection: a read is valid only during its
 * callback, which must finish with the bytes or copy what it keeps.
 *
 * Node's own read callback (`onStreamRead`, set as the handle's `onread`)
 * sits between libuv and ours on every read: it refreshes the socket's
 * timeout timer, looks up the socket and its buffer through symbol keys, and
 * then calls us. Where the stream binding is there (stream-binding.ts), the
 * handle's `onread` is ours instead: a read of n > 0 bytes goes straight to
 * the callback, and anything else (0, the end of input, an error) to Node's
 * function, which handles it as it always does. mini-kv sets no socket
 * timeouts (idle clients are closed by the limits ticker), so the timer
 * refresh skipped has nothing to refresh.
 */
import net from 'node:net';
import { streamWrap } from './stream-binding.js';

/** One read's worth, as Node's own stream reads (64 KB). */
const SHARED_READ_BYTES = 64 * 1024;
const sharedBuffer = Buffer.allocUnsafe(SHARED_READ_BYTES);

/** The part of a libuv stream handle this module relies on. */
interface StreamHandle {
  useUserBuffer(buf: Uint8Array): void;
  readStop(): number;
  /** Called by native code after each read, with `this` = the handle. */
  onread: (this: StreamHandle, arrayBuffer: unknown) => unknown;
}

/**
 * Moves an accepted plain socket's handle into a socket that reads into the
 * shared buffer and calls `onRead(buf, n)` for each read (`buf[0, n)` valid
 * during the call). Returns the new socket, or null when the socket cannot
 * be adopted (then it is untouched). Call it synchronously in the
 * 'connection' handler, before the first read is delivered.
 */
export function adoptForSharedReads(socket: net.Socket, onRead: (buf: Buffer, n: number) => void): net.Socket | null {
  if (socket.constructor !== net.Socket) return null; // TLSSocket and other subclasses: streams
  const holder = socket as unknown as { _handle?: StreamHandle | null };
  const handle = holder._handle;
  if (handle === null || handle === undefined || typeof handle.useUserBuffer !== 'function' || typeof handle.readStop !== 'function') return null;
  let adopted: net.Socket;
  try {
    // The old socket gives up its handle first, so that destroying it below
    // closes nothing; destroying it also settles net.Server's connection count.
    holder._handle = null;
    adopted = new net.Socket({
      handle,
      readable: true,
      writable: true,
      onread: { buffer: sharedBuffer, callback: (n: number, buf: Uint8Array) => onRead(buf as Buffer, n) },
    } as net.SocketConstructorOpts);
  } catch {
    holder._handle = handle;
    return null;
  }
  socket.destroy();
  if (streamWrap !== null && typeof handle.onread === 'function') {
    const state = streamWrap.streamBaseState;
    const slot = streamWrap.kReadBytesOrError;
    const nodeOnRead = handle.onread;
    handle.onread = function onSharedStreamRead(arrayBuffer) {
      const n = state[slot]!;
      if (n > 0 && !adopted.destroyed) {
        onRead(sharedBuffer, n);
        return undefined;
      }
      return nodeOnRead.call(this, arrayBuffer);
    };
  }
  // With no 'data' listener a Readable stays paused; flowing mode lets the
  // end of input ('end', then 'close') be seen.
  adopted.resume();
  return adopted;
}
