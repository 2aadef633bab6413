/**
 * Latency histograms: HdrHistogram (hdr-histogram-js) wired for the
 * benchmark's units, and the summary the reports print.
 *
 * Latencies are recorded as whole microseconds, the finest unit a Node timer
 * reading can honestly claim, with 3 significant digits (0.1% error at any
 * magnitude) and auto-resizing so a multi-second stall is recorded as it is
 * rather than clipped. Worker threads ship their histograms to the main thread
 * in HdrHistogram's compressed base64 form, which the main thread decodes and
 * adds up. The exact sum of latencies travels beside it, so the average delay
 * (the seed's figure) is exact rather than read back from buckets.
 */
import hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** 3 significant digits: 0.1% resolution, HdrHistogram's usual choice. */
const SIGNIFICANT_DIGITS = 3;

export function createHistogram(): Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS, autoResize: true });
}

/** Records one latency given in milliseconds (rounded to whole microseconds, at least 0). */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(us > 0 ? us : 0);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

/** Adds an encoded histogram into `into`. */
export function addEncoded(into: Histogram, encoded: string): void {
  const other = hdr.decodeFromCompressedBase64(encoded);
  into.add(other);
  other.destroy();
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  maxMs: number;
}

/** Percentiles in milliseconds (0 everywhere when nothing was recorded). */
export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, maxMs: 0 };
  const at = (p: number): number => h.getValueAtPercentile(p) / 1000;
  return { count, p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), maxMs: h.maxValue / 1000 };
}
