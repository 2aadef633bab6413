/**
 * --intrinsic-latency <seconds> (intrinsicLatencyMode): no server involved.
 * It times a small fixed computation (compute_something_fast, an RC4-like
 * shuffle of 256 bytes, 1000 steps) over and over for the given seconds and
 * reports each new maximum gap, then the run count and the average, as
 * redis-cli does. What it measures here is the latency this process sees:
 * the scheduler's, plus Node's own pauses (GC), which is what a server in
 * Node on this machine would see too. The loop yields to the event loop
 * every 50 ms so that SIGINT can end it early with the summary.
 */
import type { CliOptions } from '../options.js';
import { put, type Io } from '../session.js';

/** redis-cli's compute_something_fast(). */
function computeSomethingFast(): number {
  const s = new Uint8Array(256);
  for (let k = 0; k < 256; k++) s[k] = k;
  let i = 0;
  let j = 0;
  let out = 0;
  for (let count = 1000; count > 0; count--) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
    out += s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const usNow = (): number => Number(process.hrtime.bigint() / 1000n);

export async function intrinsicLatencyMode(o: CliOptions, io: Io): Promise<number> {
  const runTime = o.intrinsicLatencySeconds * 1_000_000;
  const testEnd = usNow() + runTime;
  let maxLatency = 0;
  let runs = 0;
  let cancelled = false;
  const onSigint = (): void => {
    cancelled = true;
  };
  process.on('SIGINT', onSigint);
  let sink = 0;
  try {
    for (;;) {
      const sliceEnd = usNow() + 50_000;
      for (;;) {
        const start = usNow();
        sink += computeSomethingFast();
        const end = usNow();
        const latency = end - start;
        runs++;
        if (latency <= 0) {
          if (end > sliceEnd) break;
          continue;
        }
        if (latency > maxLatency) {
          maxLatency = latency;
          put(io.stdout, `Max latency so far: ${maxLatency} microseconds.\n`);
        }
        const avgUs = runTime / runs;
        if (cancelled || end > testEnd) {
          put(io.stdout, `\n${runs} total runs (avg latency: ${avgUs.toFixed(4)} microseconds / ${(avgUs * 1e3).toFixed(2)} nanoseconds per run).\n`);
          put(io.stdout, `Worst run took ${(maxLatency / avgUs).toFixed(0)}x longer than the average latency.\n`);
          // `sink` is read here so the computation cannot be optimised away; it is never negative.
          return sink < 0 ? 1 : 0;
        }
        if (end > sliceEnd) break;
      }
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}
