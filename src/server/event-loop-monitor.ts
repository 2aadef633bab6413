/**
 * How long the event loop stalls, measured inside the server: a
 * perf_hooks.monitorEventLoopDelay histogram (a libuv timer that records how
 * late each of its ticks fires). A stall is any stretch in which no request
 * is served: one long command, a big rehash, a garbage collection pause.
 *
 * Process-wide, as the event loop is: every server in the process reports
 * the same figures. The timer starts the first time the figures are asked
 * for (INFO stats or CONFIG RESETSTAT), so a server nobody asks costs
 * nothing; CONFIG RESETSTAT starts a new measuring window, as it does for
 * Redis's other counters. INFO stats shows them as eventloop_max_stall_ms
 * (how late the latest tick came, since the window began) and
 * eventloop_delay_p99_ms, both in ms.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EventLoopStats } from '../commands/state.js';

/**
 * Timer period of the histogram. A stall longer than this is always seen (a
 * tick falls due inside it); shorter ones are seen when a tick falls due in
 * them. 2 ms is 500 wake-ups a second, nothing beside the requests served.
 */
const RESOLUTION_MS = 2;

let histogram: IntervalHistogram | null = null;

function ensureStarted(): IntervalHistogram {
  if (histogram === null) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
  }
  return histogram;
}


/** The figures for the current window (starting the monitor on first use). */
export function eventLoopStats(): EventLoopStats {
  const h = ensureStarted();
  if (h.count === 0) return { maxStallMs: 0, p99Ms: 0 };
  // The histogram records the time between two ticks (ns), which is
  // RESOLUTION_MS when nothing stalls; what lies beyond is lateness.
  return { maxStallMs: lateness(h.max), p99Ms: lateness(h.percentile(99)) };
}

function lateness(intervalNs: number): number {
  return Math.max(0, intervalNs / 1e6 - RESOLUTION_MS);
}

/** Starts a new window (CONFIG RESETSTAT). */
export function resetEventLoopStats(): void {
  ensureStarted().reset();
}
