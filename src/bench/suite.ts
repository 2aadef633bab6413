/**
 * The seed's two benchmark series, and the figures the seed published for
 * them, printed beside ours for reference.
 *
 * The seed (mini_kv, a Go program) measured these with its own load generator
 * on two machines over a router; ours share one machine with the load
 * generator, so the figures are a reference, not a like-for-like comparison.
 * Source: the seed's README, "Benchmark" section.
 */
import type { RowSpec } from './run.js';

/** Series A: 10 connections, requests/s per connection varies. */
export const SEED_SERIES_A_RATES = [3, 30, 300, 3000, 30000];
export const SEED_SERIES_A_CONNECTIONS = 10;
/** Series B: 10 requests/s per connection, connections vary. */
export const SEED_SERIES_B_CONNECTIONS = [3, 30, 300, 3000, 10000];
export const SEED_SERIES_B_RATE = 10;

export interface SeedFigure {
  series: 'A' | 'B';
  connections: number;
  rate: number;
  /** Replies per second. */
  throughput: number;
  /** Average delay, converted from the seed's seconds to ms. */
  avgMs: number;
}

export const SEED_FIGURES: SeedFigure[] = [
  { series: 'A', connections: 10, rate: 3, throughput: 30.16, avgMs: 1.056 },
  { series: 'A', connections: 10, rate: 30, throughput: 295.0, avgMs: 1.172 },
  { series: 'A', connections: 10, rate: 300, throughput: 2454.51, avgMs: 0.81 },
  { series: 'A', connections: 10, rate: 3000, throughput: 21782.36, avgMs: 0.249 },
  { series: 'A', connections: 10, rate: 30000, throughput: 58929.76, avgMs: 0.169 },
  { series: 'B', connections: 3, rate: 10, throughput: 29.9, avgMs: 1.093 },
  { series: 'B', connections: 30, rate: 10, throughput: 299.0, avgMs: 1.302 },
  { series: 'B', connections: 300, rate: 10, throughput: 2982.53, avgMs: 1.865 },
  { series: 'B', connections: 3000, rate: 10, throughput: 28074.55, avgMs: 2.216 },
  { series: 'B', connections: 10000, rate: 10, throughput: 71731.83, avgMs: 57.918 },
];

export const SERIES_TITLES: Record<string, string> = {
  A: 'Series A: 10 connections, requests/s per connection varies',
  B: 'Series B: 10 requests/s per connection, connections vary',
  run: 'Run',
};

/** The seed's figure for a row, if the row is one of the seed's settings. */
export function seedFigureFor(series: string, connections: number, rate: number): SeedFigure | undefined {
  return SEED_FIGURES.find((f) => f.series === series && f.connections === connections && f.rate === rate);
}

/** Both seed series as rows, A then B, each lasting `durationS` seconds. */
export function seedSuite(durationS: number, pipeline: number): RowSpec[] {
  const rows: RowSpec[] = [];
  for (const rate of SEED_SERIES_A_RATES) {
    rows.push({ series: 'A', connections: SEED_SERIES_A_CONNECTIONS, rate, durationS, pipeline, closed: false });
  }
  for (const connections of SEED_SERIES_B_CONNECTIONS) {
    rows.push({ series: 'B', connections, rate: SEED_SERIES_B_RATE, durationS, pipeline, closed: false });
  }
  return rows;
}
