/**
 * Node's internal stream binding (`process.binding('stream_wrap')`), for the
 * two places that talk to a socket's libuv handle directly: shared-reads.ts
 * (reads) and handle-writes.ts (writes). It has been there since Node 12;
 * every piece is checked once here, and `streamWrap` is null when any is
 * missing, so that both fall back to the socket's stream.
 *
 * streamBaseState is the array native code fills after each read and write
 * call: [kReadBytesOrError] holds a read's byte count (or a negative libuv
 * error, UV_EOF at the end of input), [kLastWriteWasAsync] is non-zero when
 * the last write call left data in flight.
 */

/** The request object of a write; native code fills it in, our fields ride on it. */
export interface WriteReq {
  handle: unknown;
  oncomplete: (this: WriteReq, status: number) => void;
  /** Set while the write is in flight: keeps its memory alive. */
  buffer: Buffer | Buffer[] | null;
  bytes: number;
  owner: unknown;
}

export interface StreamWrapBinding {
  WriteWrap: new () => WriteReq;
  streamBaseState: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
}

export const streamWrap: StreamWrapBinding | null = (() => {
  try {
    const b = (process as unknown as { binding(name: string): Partial<StreamWrapBinding> }).binding('stream_wrap');
    if (typeof b.WriteWrap !== 'function' || !(b.streamBaseState instanceof Int32Array)) return null;
    if (typeof b.kLastWriteWasAsync !== 'number' || typeof b.kReadBytesOrError !== 'number') return null;
    return b as StreamWrapBinding;
  } catch {
    return null;
  }
})();
