/**
 * The latency histogram and the three output shapes of the redis-benchmark
 * compatible mode (`mini-kv-benchmark redis`), as redis-benchmark 7.0 prints
 * them in showLatencyReport(): the `-q` line, the `--csv` row (with its
 * header), and the detailed "====== TITLE ======" block with its two
 * distributions and summary.
 *
 * The histogram has redis-benchmark's geometry (hdr_init with
 * CONFIG_LATENCY_HISTOGRAM_MIN_VALUE 10 us, CONFIG_LATENCY_HISTOGRAM_MAX_VALUE
 * 3 s, 3 significant digits), recorded by hdr-histogram-js. The figures are
 * read the way Redis's vendored hdr_histogram.c reads them (hdr_min, hdr_max,
 * hdr_mean on median-equivalent values, hdr_value_at_percentile), and the two
 * distributions walk the buckets as its percentile and linear iterators do,
 * so the same latencies give the same lines. Pure functions apart from the
 * histogram object itself; no I/O.
 */
import hdr from 'hdr-histogram-js';

/** redis-benchmark.c: CONFIG_LATENCY_HISTOGRAM_MIN_VALUE, in microseconds. */
export const CONFIG_LATENCY_HISTOGRAM_MIN_VALUE = 10;
/** redis-benchmark.c: CONFIG_LATENCY_HISTOGRAM_MAX_VALUE (3 s), in microseconds. */
export const CONFIG_LATENCY_HISTOGRAM_MAX_VALUE = 3_000_000;
/** redis-benchmark.c: DEFAULT_LATENCY_PRECISION. */
export const DEFAULT_LATENCY_PRECISION = 3;

/** redis-benchmark's exact --csv header line. */
export const CSV_HEADER = '"test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"';

export type LatencyHistogram = hdr.Int32Histogram;

export function createLatencyHistogram(): LatencyHistogram {
  return new hdr.Int32Histogram(CONFIG_LATENCY_HISTOGRAM_MIN_VALUE, CONFIG_LATENCY_HISTOGRAM_MAX_VALUE, DEFAULT_LATENCY_PRECISION);
}

/** Records one latency in microseconds, clamped to the histogram's range as redis-benchmark clamps it. */
export function recordLatencyUs(h: LatencyHistogram, us: number): void {
  const v = Math.round(us);
  h.recordValue(v < 0 ? 0 : v > CONFIG_LATENCY_HISTOGRAM_MAX_VALUE ? CONFIG_LATENCY_HISTOGRAM_MAX_VALUE : v);
}

/** One HDR bucket: its lowest value and how many latencies it holds. */
interface Bucket {
  value: number;
  count: number;
}

/** Every bucket from 0 to the highest trackable value, in order (hdr_iter over all indices). */
function allBuckets(h: LatencyHistogram): Bucket[] {
  const counts = new Map<number, number>();
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    counts.set(h.lowestEquivalentValue(v.valueIteratedTo), v.countAtValueIteratedTo);
  }
  const out: Bucket[] = [];
  for (let v = 0; v <= CONFIG_LATENCY_HISTOGRAM_MAX_VALUE; v = h.nextNonEquivalentValue(v)) out.push({ value: v, count: counts.get(v) ?? 0 });
  return out;
}

/** The figures of the summary line, in microseconds as redis-benchmark reads them. */
export interface LatencyFigures {
  count: number;
  avgUs: number;
  minUs: number;
  p50Us: number;
  p95Us: number;
  p99Us: number;
  maxUs: number;
}

/** hdr_min, hdr_mean, hdr_value_at_percentile(50/95/99), hdr_max; all 0 when empty. */
export function latencyFigures(h: LatencyHistogram): LatencyFigures {
  const total = h.totalCount;
  if (total === 0) return { count: 0, avgUs: 0, minUs: 0, p50Us: 0, p95Us: 0, p99Us: 0, maxUs: 0 };
  const buckets: Bucket[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    buckets.push({ value: h.lowestEquivalentValue(v.valueIteratedTo), count: v.countAtValueIteratedTo });
  }
  let sum = 0;
  for (const b of buckets) sum += b.count * h.medianEquivalentValue(b.value);
  const at = (percentile: number): number => {
    const want = Math.max(1, Math.trunc((Math.min(percentile, 100) / 100) * total + 0.5));
    let cum = 0;
    for (const b of buckets) {
      cum += b.count;
      if (cum >= want) return h.highestEquivalentValue(b.value);
    }
    return 0;
  };
  // hdr_min is the lowest value of the first bucket with counts, hdr_max the highest of the last
  // (read from the buckets: hdr-histogram-js keeps its own max a little above the bucket).
  return {
    count: total,
    avgUs: sum / total,
    minUs: buckets[0].value,
    p50Us: at(50),
    p95Us: at(95),
    p99Us: at(99),
    maxUs: h.highestEquivalentValue(buckets[buckets.length - 1].value),
  };
}

/** One line of a distribution: "<percent>% <= <ms> milliseconds (cumulative count <n>)". */
export interface DistributionLine {
  percentile: number;
  valueUs: number;
  cumulative: number;
}

/**
 * The "Latency by percentile distribution" lines: hdr_iter_percentile_init
 * with one tick per half distance, printed when the cumulative count changed
 * or is the total (redis-benchmark's filter).
 */
export function percentileDistribution(h: LatencyHistogram): DistributionLine[] {
  const total = h.totalCount;
  if (total === 0) return [];
  const buckets = allBuckets(h);
  const out: DistributionLine[] = [];
  let idx = -1;
  let cum = 0;
  let target = 0;
  let seenLast = false;
  let lastValue = 0;
  let prev = -1;
  const advance = (): boolean => {
    if (!(cum < total) || idx + 1 >= buckets.length) return false;
    idx++;
    cum += buckets[idx].count;
    return true;
  };
  const emit = (line: DistributionLine): void => {
    if (line.cumulative !== prev || line.cumulative === total) out.push(line);
    prev = line.cumulative;
  };
  for (;;) {
    // _percentile_iter_next
    if (!(cum < total)) {
      if (seenLast) break;
      seenLast = true;
      emit({ percentile: 100, valueUs: lastValue, cumulative: cum });
      continue;
    }
    if (idx === -1 && !advance()) break;
    let emitted = false;
    do {
      const current = (100 * cum) / total;
      if (buckets[idx].count !== 0 && target <= current) {
        lastValue = h.highestEquivalentValue(buckets[idx].value);
        const percentile = target;
        const halfDistance = 2 ** (Math.trunc(Math.log(100 / (100 - target)) / Math.log(2)) + 1);
        target += 100 / halfDistance;
        emit({ percentile, valueUs: lastValue, cumulative: cum });
        emitted = true;
        break;
      }
    } while (advance());
    if (!emitted) break;
  }
  return out;
}

/**
 * The "Cumulative distribution of latencies" lines: hdr_iter_linear_init in
 * steps of 100 us, widened to 1 ms once past 2 ms, as redis-benchmark does.
 */
export function cumulativeDistribution(h: LatencyHistogram): DistributionLine[] {
  const total = h.totalCount;
  if (total === 0) return [];
  const buckets = allBuckets(h);
  const out: DistributionLine[] = [];
  let idx = -1;
  let value = 0;
  let highest = 0;
  let cum = 0;
  let step = 100;
  let level = step;
  let levelLowest = h.lowestEquivalentValue(level);
  let prev = -1;
  const moveNext = (): boolean => {
    if (idx + 1 >= buckets.length) return false;
    idx++;
    cum += buckets[idx].count;
    value = buckets[idx].value;
    highest = h.highestEquivalentValue(value);
    return true;
  };
  for (;;) {
    // iter_linear_next
    const more = cum < total || (idx + 1 < buckets.length && buckets[idx + 1].value > levelLowest);
    if (!more) break;
    for (;;) {
      if (idx >= 0 && value >= levelLowest) {
        level += step;
        levelLowest = h.lowestEquivalentValue(level);
        break;
      }
      if (!moveNext()) break;
    }
    if (cum !== prev || cum === total) out.push({ percentile: (cum / total) * 100, valueUs: highest, cumulative: cum });
    prev = cum;
    if (highest > 2000) step = 1000;
    if (idx + 1 >= buckets.length && value < levelLowest) break;
  }
  return out;
}

/** C's "%.Nf" for finite numbers, and its "inf"/"-nan" spellings otherwise. */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return '-nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x.toFixed(digits);
}

/** What one test measured. */
export interface CompatResult {
  title: string;
  /** Replies received (redis-benchmark's requests_finished). */
  finished: number;
  /** Wall time of the test in milliseconds (redis-benchmark's totlatency). */
  totalMs: number;
  clients: number;
  dataSize: number;
  keepAlive: boolean;
  /** CONFIG GET save / appendonly of the server, or null when it could not be read. */
  serverConfig: { save: string; appendonly: string } | null;
  histogram: LatencyHistogram;
}

export function requestsPerSecond(r: CompatResult): number {
  return r.finished / (r.totalMs / 1000);
}

/** The -q form: "SET: 123456.79 requests per second, p50=0.199 msec". */
export function quietLine(r: CompatResult): string {
  const f = latencyFigures(r.histogram);
  return `${r.title}: ${cFixed(requestsPerSecond(r), 2)} requests per second, p50=${cFixed(f.p50Us / 1000, 3)} msec\n`;
}

/** One --csv row, every field quoted as redis-benchmark quotes it. */
export function csvLine(r: CompatResult): string {
  const f = latencyFigures(r.histogram);
  const ms = (us: number): string => `"${cFixed(us / 1000, 3)}"`;
  return `"${r.title}","${cFixed(requestsPerSecond(r), 2)}",${ms(f.avgUs)},${ms(f.minUs)},${ms(f.p50Us)},${ms(f.p95Us)},${ms(f.p99Us)},${ms(f.maxUs)}\n`;
}

function distLine(l: DistributionLine): string {
  return `${l.percentile.toFixed(3)}% <= ${(l.valueUs / 1000).toFixed(3)} milliseconds (cumulative count ${l.cumulative})\n`;
}

const pad9 = (s: string): string => s.padStart(9);

/** The default form: the "====== TITLE ======" block, as showLatencyReport() prints it. */
export function detailedReport(r: CompatResult): string {
  const f = latencyFigures(r.histogram);
  const out: string[] = [];
  out.push(`====== ${r.title} ======\n`);
  out.push(`  ${r.finished} requests completed in ${(r.totalMs / 1000).toFixed(2)} seconds\n`);
  out.push(`  ${r.clients} parallel clients\n`);
  out.push(`  ${r.dataSize} bytes payload\n`);
  out.push(`  keep alive: ${r.keepAlive ? 1 : 0}\n`);
  if (r.serverConfig !== null) {
    out.push(`  host configuration "save": ${r.serverConfig.save}\n`);
    out.push(`  host configuration "appendonly": ${r.serverConfig.appendonly}\n`);
  }
  out.push('  multi-thread: no\n');
  out.push('\n');
  out.push('Latency by percentile distribution:\n');
  for (const l of percentileDistribution(r.histogram)) out.push(distLine(l));
  out.push('\n');
  out.push('Cumulative distribution of latencies:\n');
  for (const l of cumulativeDistribution(r.histogram)) out.push(distLine(l));
  out.push('\n');
  out.push('Summary:\n');
  out.push(`  throughput summary: ${cFixed(requestsPerSecond(r), 2)} requests per second\n`);
  out.push('  latency summary (msec):\n');
  out.push(`    ${['avg', 'min', 'p50', 'p95', 'p99', 'max'].map(pad9).join(' ')}\n`);
  out.push(`    ${[f.avgUs, f.minUs, f.p50Us, f.p95Us, f.p99Us, f.maxUs].map((us) => pad9(cFixed(us / 1000, 3))).join(' ')}\n`);
  return out.join('');
}
