/**
 * Writing replies to a plain TCP socket through its libuv handle, without
 * the Writable stream in between.
 *
 * `socket.write()` runs each write through the stream machinery: its
 * buffered-state bookkeeping, a new write request object, and an
 * after-write callback on the next tick, even when libuv's uv_try_write has
 * sent every byte at once, which for a reply to a request that came alone
 * it almost always has. That is a good share of what an unpipelined request
 * costs us beyond Redis (docs/performance.md, issue 13). Here a connection
 * calls the handle's own `writeBuffer`/`writev`, as Node's stream code does
 * underneath, and keeps one request object for as long as writes complete
 * at once:
 *
 *     write(buf) ──► handle.writeBuffer(req, buf)
 *                     ├─ every byte sent (the usual case): done, req reused
 *                     └─ went asynchronous: libuv holds `buf` until
 *                        req.oncomplete; req keeps it alive and a new req
 *                        serves the next write; pendingBytes counts it
 *
 * The pieces it needs are Node internals: the socket's `_handle` (which
 * shared-reads.ts relies on as well) and the WriteWrap request class and
 * shared state array from `process.binding('stream_wrap')` (stream-binding.ts).
 * Each is checked once; when any is missing, handleWriterFor()
 * returns null and the caller writes through the stream as before. TLS
 * sockets always write through the stream (their bytes are encrypted by
 * TLSSocket).
 *
 * The socket's own stream state never sees these writes: socket.end()
 * still works (libuv shuts the socket down after the writes queued before
 * it), but socket.writableLength does not count them, so callers add
 * `pendingBytes`.
 */
import type net from 'node:net';
import { streamWrap, type StreamWrapBinding, type WriteReq } from './stream-binding.js';

/** The parts of a libuv stream handle used here. */
interface WriteHandle {
  writeBuffer(req: WriteReq, buf: Buffer): number;
  writev(req: WriteReq, chunks: Buffer[], allBuffers: boolean): number;
}

/** WriteWrap's oncomplete, called by native code with `this` = the request. */
function onWriteComplete(this: WriteReq, status: number): void {
  const writer = this.owner as HandleWriter | null;
  const bytes = this.bytes;
  this.owner = null;
  this.buffer = null;
  if (writer !== null) writer.completed(bytes, status);
}

export class HandleWriter {
  /** Bytes of writes still in flight (libuv went asynchronous for them). */
  pendingBytes = 0;
  private req: WriteReq;
  private failed = false;

  /**
   * `onDrained` runs when the last write in flight completes; `onError`
   * when a write fails (the caller destroys the socket), at most once.
   */
  constructor(
    private readonly handle: WriteHandle,
    private readonly state: StreamWrapBinding,
    private readonly onDrained: () => void,
    private readonly onError: () => void,
  ) {
    this.req = this.newReq();
  }

  private newReq(): WriteReq {
    const req = new this.state.WriteWrap();
    req.handle = this.handle;
    req.oncomplete = onWriteComplete;
    req.buffer = null;
    req.bytes = 0;
    req.owner = null;
    return req;
  }

  /** Writes `buf`; the caller must not change it afterwards (it may stay in flight). */
  write(buf: Buffer): void {
    if (this.failed) return;
    const req = this.req;
    this.settle(req, this.handle.writeBuffer(req, buf), buf, buf.length);
  }

  /** Writes the buffers in order, in one system call where the kernel takes them all. */
  writev(chunks: Buffer[]): void {
    if (this.failed) return;
    let bytes = 0;
    for (let i = 0; i < chunks.length; i++) bytes += chunks[i]!.length;
    const req = this.req;
    this.settle(req, this.handle.writev(req, chunks, true), chunks, bytes);
  }

  /** After a write call: an error, a write completed at once, or one in flight. */
  private settle(req: WriteReq, err: number, data: Buffer | Buffer[], bytes: number): void {
    if (err !== 0) {
      this.fail();
      return;
    }
    if (this.state.streamBaseState[this.state.kLastWriteWasAsync] === 0) return;
    // libuv now holds the memory and the request until oncomplete.
    req.buffer = data;
    req.bytes = bytes;
    req.owner = this;
    this.pendingBytes += bytes;
    this.req = this.newReq();
  }

  /** An asynchronous write finished (onWriteComplete). */
  completed(bytes: number, status: number): void {
    this.pendingBytes -= bytes;
    if (status < 0) {
      this.fail();
      return;
    }
    if (this.pendingBytes === 0 && !this.failed) this.onDrained();
  }

  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.onError();
  }
}

/**
 * A HandleWriter for a plain TCP socket (one shared-reads.ts adopted), or
 * null when the socket's handle or this Node's binding is not as expected:
 * then write through the socket.
 */
export function handleWriterFor(socket: net.Socket, onDrained: () => void, onError: () => void): HandleWriter | null {
  if (streamWrap === null) return null;
  const handle = (socket as unknown as { _handle?: Partial<WriteHandle> | null })._handle;
  if (handle === null || handle === undefined || typeof handle.writeBuffer !== 'function' || typeof handle.writev !== 'function') return null;
  return new HandleWriter(handle as WriteHandle, streamWrap, onDrained, onError);
}
