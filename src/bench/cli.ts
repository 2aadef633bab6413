/**
 * mini-kv-benchmark's command line: parses flags (node:util parseArgs, with
 * redis-benchmark's short names, so -h is the host and help is --help),
 * checks the open-file limit and the target, reaches every server once
 * before printing anything, runs the rows with a progress display
 * ("connecting N/M" while a row's connections open, then the time bar), and
 * prints and writes the reports. `mini-kv-benchmark redis ...` hands the
 * rest of the command line to the redis-benchmark compatible mode
 * (redis-compat.ts).
 *
 * Usage errors print a message (with a hint at the redis mode when the
 * command line looks like redis-benchmark's) and exit with status 2; a
 * server that cannot be reached, or a run whose every row had to be skipped,
 * exits with status 1, and a failed start prints nothing on standard output.
 * Everything else is in the report.
 */
import { parseArgs } from 'node:util';
import { lookup } from 'node:dns/promises';
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import cliProgress from 'cli-progress';
import { formatMix, parseMix, type Mix, type Protocol } from './workload.js';
import { runRow, skippedRow, probeTarget, BenchConnectError, type RowResult, type RowSpec, type RunOptions, type Target } from './run.js';
import { redisMain } from './redis-compat.js';
import { seedSuite } from './suite.js';
import { fmtMs, fmtRate, renderCsv, renderJson, renderMarkdown } from './report.js';
import { renderSvg } from './chart.js';
import { fdShortfall, openFileLimit } from './limits.js';

export const HELP = `mini-kv-benchmark: open-loop load generator for mini-kv, Redis or any RESP server,
and for the seed's text line protocol.

Usage: mini-kv-benchmark [options]
       mini-kv-benchmark redis [redis-benchmark options]   (see: mini-kv-benchmark redis --help)

Target
  -h, --host HOST          server host, loopback only (default 127.0.0.1)
  -p, --port PORT          server port (default 8080, mini-kv's)
  -a, --password PASS      send AUTH PASS on every connection first
      --protocol resp|text RESP, or the seed's text line protocol (default resp)
      --label NAME         name of this server in reports (default host:port)
      --compare HOST:PORT  also run every row on this server, interleaved row by
                           row, and print both side by side with ratios
      --compare-label NAME name of the second server (default host:port)
      --compare-password P AUTH password of the second server (default none)

Load
  -c, --connections N      connections (default 10)
      --rate N             requests/s per connection, open loop (default 1000)
      --duration S         seconds per row (default 5)
      --closed             closed loop: as fast as replies come back, -P in flight
  -P, --pipeline N         requests per write (open loop: a batch every N/rate s;
                           closed loop: requests in flight per connection) (default 1)
      --keyspace N         keys key-0 .. key-(N-1) (default 100000)
      --value-size N       bytes per SET value (default 3)
      --mix SPEC           command weights (default get=1,set=1,del=1)
      --suite seed         run the seed's two series (10 connections at 3 .. 30,000
                           req/s each; 3 .. 10,000 connections at 10 req/s each)
      --threads N          worker threads (default: CPU count, at most one per connection)
      --timeout MS         wait for replies this long after the last send (default 2000)
      --seed N             seed of the random keys and commands (default: random)

Output (the Markdown report always goes to standard output)
      --json FILE          every row as JSON
      --csv FILE           every row as CSV
      --svg FILE           throughput and p99 charts as a self-contained SVG
      --no-progress        no progress bar
      --progress           a progress bar even when standard error is not a terminal
                           (one line per update)
      --help               this text

Latency is measured from each request's scheduled send time (open loop), so a
stalled server cannot hide its stall (coordinated omission). Each connection is
a file descriptor: 10,000 connections need \`ulimit -n\` above 10,064.
`;

export interface CliOptions {
  host: string;
  port: number;
  password: string | null;
  protocol: Protocol;
  label: string;
  compare: { host: string; port: number; label: string; password: string | null } | null;
  connections: number;
  rate: number;
  durationS: number;
  closed: boolean;
  pipeline: number;
  keyspace: number;
  valueSize: number;
  mix: Mix;
  suite: 'seed' | null;
  threads: number | null;
  timeoutMs: number;
  seed: number;
  json: string | null;
  csv: string | null;
  svg: string | null;
  progress: boolean;
  /** Draw the bar even when standard error is not a terminal. */
  forceProgress: boolean;
  help: boolean;
}

/** A bad flag or value: printed with a pointer to --help, exit status 2. */
export class UsageError extends Error {
  readonly code = 'ERR_BENCH_USAGE';
}

function int(name: string, text: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got '${text}'`);
  return n;
}

/** Parses "host:port" or "[v6]:port" or just "port". */
export function parseHostPort(text: string, defaultHost: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? (/^\d+$/.test(text) ? [text, undefined, defaultHost, text] : null);
  if (m === null) throw new UsageError(`--compare must be HOST:PORT, got '${text}'`);
  const host = m[1] ?? (m[2] === '' || m[2] === undefined ? defaultHost : m[2]);
  return { host, port: int('--compare port', m[3], 0, 1, 65535) };
}

export function parseCli(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string', short: 'h' },
        port: { type: 'string', short: 'p' },
        password: { type: 'string', short: 'a' },
        connections: { type: 'string', short: 'c' },
        pipeline: { type: 'string', short: 'P' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        keyspace: { type: 'string' },
        'value-size': { type: 'string' },
        mix: { type: 'string' },
        protocol: { type: 'string' },
        closed: { type: 'boolean' },
        suite: { type: 'string' },
        compare: { type: 'string' },
        label: { type: 'string' },
        'compare-label': { type: 'string' },
        'compare-password': { type: 'string' },
        threads: { type: 'string' },
        timeout: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'string' },
        csv: { type: 'string' },
        svg: { type: 'string' },
        'no-progress': { type: 'boolean' },
        progress: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    // Node's parseArgs explains how to pass a positional '-x' after '--'; the first sentence is the point.
    const message = (err as Error).message;
    throw new UsageError(/^Unknown option/.test(message) ? message.replace(/\. To specify a positional argument.*$/s, '') : message);
  }
  const str = (k: string): string | undefined => values[k] as string | undefined;
  const host = str('host') ?? '127.0.0.1';
  const port = int('--port', str('port'), 8080, 1, 65535);
  const protocol = str('protocol') ?? 'resp';
  if (protocol !== 'resp' && protocol !== 'text') throw new UsageError(`--protocol must be resp or text, got '${protocol}'`);
  const suite = str('suite') ?? null;
  if (suite !== null && suite !== 'seed') throw new UsageError(`--suite knows only 'seed', got '${suite}'`);
  let mix: Mix;
  try {
    mix = parseMix(str('mix') ?? 'get=1,set=1,del=1');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const cmp = str('compare');
  const compare = cmp === undefined ? null : parseHostPort(cmp, host);
  const threadsText = str('threads');
  return {
    host,
    port,
    password: str('password') ?? null,
    protocol,
    label: str('label') ?? `${host}:${port}`,
    compare: compare === null ? null : { ...compare, label: str('compare-label') ?? `${compare.host}:${compare.port}`, password: str('compare-password') ?? null },
    connections: int('-c', str('connections'), 10, 1, 1_000_000),
    rate: positive('--rate', str('rate'), 1000),
    durationS: positive('--duration', str('duration'), 5),
    closed: values.closed === true,
    pipeline: int('-P', str('pipeline'), 1, 1, 1_000_000),
    keyspace: int('--keyspace', str('keyspace'), 100000, 1),
    valueSize: int('--value-size', str('value-size'), 3, 0, 512 * 1024 * 1024),
    mix,
    suite,
    threads: threadsText === undefined ? null : int('--threads', threadsText, 0, 0, 256),
    timeoutMs: int('--timeout', str('timeout'), 2000, 1),
    seed: int('--seed', str('seed'), Math.floor(Math.random() * 2 ** 31), 0, 2 ** 32 - 1),
    json: str('json') ?? null,
    csv: str('csv') ?? null,
    svg: str('svg') ?? null,
    progress: values['no-progress'] !== true,
    forceProgress: values.progress === true && values['no-progress'] !== true,
    help: values.help === true,
  };
}

function isLoopbackAddress(addr: string): boolean {
  return addr.startsWith('127.') || addr === '::1' || addr.startsWith('::ffff:127.');
}

/**
 * Refuses targets that are not on this machine's loopback interface: this
 * tool offers tens of thousands of requests per second and is meant for
 * servers you run yourself, here.
 */
export async function assertLoopback(host: string): Promise<void> {
  let addrs: string[];
  try {
    addrs = (await lookup(host, { all: true })).map((a) => a.address);
  } catch (err) {
    throw new UsageError(`cannot resolve host '${host}': ${(err as Error).message}`);
  }
  const bad = addrs.filter((a) => !isLoopbackAddress(a));
  if (addrs.length === 0 || bad.length > 0) {
    throw new UsageError(`refusing to load '${host}' (${addrs.join(', ')}): only loopback targets (127.0.0.0/8, ::1) are allowed`);
  }
}

function rowsOf(opts: CliOptions): RowSpec[] {
  if (opts.suite === 'seed') return seedSuite(opts.durationS, opts.pipeline);
  return [{ series: 'run', connections: opts.connections, rate: opts.rate, durationS: opts.durationS, pipeline: opts.pipeline, closed: opts.closed }];
}

function describeRow(target: Target, row: RowSpec): string {
  const load = row.closed ? `closed -P ${row.pipeline}` : `${row.rate} req/s`;
  return `${target.label} ${row.series === 'run' ? '' : row.series + ' '}${row.connections} conn x ${load}`;
}

/**
 * The progress bar's line: "connecting N/M" while the row's connections
 * open, then the time bar with replies and replies/s.
 */
export const progressLine: cliProgress.GenericFormatter = (options, params, payload: Record<string, unknown>) => {
  if (payload.phase === 'connecting') {
    const failed = Number(payload.failed) > 0 ? `, ${String(payload.failed)} failed` : '';
    return `${String(payload.row)} | connecting ${String(payload.connected)}/${String(payload.connections)}${failed}`;
  }
  const bar = cliProgress.Format.BarFormat(params.progress, options);
  return `${String(payload.row)} |${bar}| ${params.value}/${params.total} s | ${String(payload.replies)} replies | ${String(payload.rps)} replies/s`;
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '?';
  } catch {
    return '?';
  }
}

/** Flags only redis-benchmark has: seeing one in the default mode earns a hint at `mini-kv-benchmark redis`. */
const REDIS_BENCHMARK_FLAGS = new Set(['-n', '-t', '-q', '-r', '-d', '-k', '-l', '-I', '-e', '-x', '-s', '-u', '-3', '--user', '--dbnum', '--precision', '--cluster', '--enable-tracking']);
/** This mode's options that take a value: the word after one is a value (`--rate -3`), never a flag. */
const VALUE_OPTIONS = new Set(['-h', '--host', '-p', '--port', '-a', '--password', '-c', '--connections', '-P', '--pipeline', '--rate', '--duration', '--keyspace', '--value-size', '--mix', '--protocol', '--suite', '--compare', '--label', '--compare-label', '--compare-password', '--threads', '--timeout', '--seed', '--json', '--csv', '--svg']);

/**
 * The one-line hint for a redis-benchmark command line given to the default
 * mode, or null when `argv` shows none of redis-benchmark's own flags.
 */
export function redisHint(argv: string[]): string | null {
  const isValue = (i: number): boolean => i > 0 && VALUE_OPTIONS.has(argv[i - 1]);
  const seen = argv.filter((a, i) => REDIS_BENCHMARK_FLAGS.has(a) && !isValue(i));
  // A word that is neither a flag nor a flag's value starts a command line, as redis-benchmark takes one.
  const command = argv.findIndex((a, i) => !a.startsWith('-') && !isValue(i) && !(i > 0 && REDIS_BENCHMARK_FLAGS.has(argv[i - 1])));
  if (seen.length === 0 && command < 0) return null;
  const quoted = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  const what = seen.length === 0
    ? `a command after the options ('${argv[command]}') is redis-benchmark's`
    : `${[...new Set(seen)].join(' ')} ${seen.length > 1 ? 'are' : 'is'} redis-benchmark's`;
  return `hint: ${what}; for its tests, closed loop and output run: mini-kv-benchmark redis ${quoted}`;
}

/** Runs the CLI; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'redis') return redisMain(argv.slice(1), { stdout: process.stdout, stderr: process.stderr }, version(), assertLoopback);
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
    if (opts.help) {
      process.stdout.write(HELP);
      return 0;
    }
    await assertLoopback(opts.host);
    if (opts.compare !== null) await assertLoopback(opts.compare.host);
  } catch (err) {
    if (err instanceof UsageError) {
      const hint = redisHint(argv);
      process.stderr.write(`mini-kv-benchmark: ${err.message}\n${hint !== null ? `${hint}\n` : ''}(see mini-kv-benchmark --help)\n`);
      return 2;
    }
    throw err;
  }
  const targets: Target[] = [{ label: opts.label, host: opts.host, port: opts.port, password: opts.password, protocol: opts.protocol }];
  if (opts.compare !== null) {
    if (opts.compare.label === opts.label) opts.compare.label += ' (2)';
    targets.push({ label: opts.compare.label, host: opts.compare.host, port: opts.compare.port, password: opts.compare.password, protocol: opts.protocol });
  }
  const rows = rowsOf(opts);
  const cpus = os.availableParallelism();
  const runOpts = (row: RowSpec): RunOptions => ({
    threads: opts.threads ?? Math.min(cpus, row.connections),
    timeoutMs: opts.timeoutMs,
    connectTimeoutMs: 10000,
    keyspace: opts.keyspace,
    valueSize: opts.valueSize,
    mix: opts.mix,
    seed: opts.seed,
  });

  const limit = openFileLimit();
  const maxConns = Math.max(...rows.map((r) => r.connections));
  const shortfall = fdShortfall(maxConns, limit);
  if (shortfall !== null) process.stderr.write(`mini-kv-benchmark: WARNING: ${shortfall}. Rows with too many connections will be skipped.\n`);

  // Reach every server once before printing anything: a failed run prints only its error.
  for (const target of targets) {
    try {
      await probeTarget(target, 10000);
    } catch (err) {
      if (!(err instanceof BenchConnectError)) throw err;
      process.stderr.write(`mini-kv-benchmark: ${err.message}\n`);
      return 1;
    }
  }

  const out = process.stdout;
  out.write(`# mini-kv-benchmark ${version()}\n\n`);
  out.write(`- servers: ${targets.map((t) => `${t.label} (${t.host}:${t.port})`).join(', ')}; protocol ${opts.protocol}\n`);
  out.write(`- load: ${opts.closed ? `closed loop, -P ${opts.pipeline}` : `open loop${opts.pipeline > 1 ? `, -P ${opts.pipeline}` : ''}`}; ${opts.durationS} s per row; keyspace ${opts.keyspace}; value ${opts.valueSize} bytes; mix ${formatMix(opts.mix)}; seed ${opts.seed}\n`);
  out.write(`- machine: ${cpus} CPUs, Node ${process.version}, open-file limit ${limit ?? 'unknown'}${opts.compare !== null ? '; servers alternate row by row' : ''}\n\n`);

  const tty = process.stderr.isTTY === true;
  const useBar = opts.progress && (tty || opts.forceProgress);
  const results: RowResult[] = [];
  const plan: Array<{ row: RowSpec; target: Target }> = [];
  rows.forEach((row, i) => {
    // Alternate which server goes first, so slow drift (heat, other load) hits both alike.
    const order = i % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) plan.push({ row, target });
  });
  let step = 0;
  for (const { row, target } of plan) {
    step++;
    const name = `[${step}/${plan.length}] ${describeRow(target, row)}`;
    const rowShort = fdShortfall(row.connections, limit);
    if (rowShort !== null) {
      results.push(skippedRow(target, row, `open-file limit ${limit} too low`));
      process.stderr.write(`${name}: skipped: ${rowShort}\n`);
      continue;
    }
    const bar = useBar
      ? new cliProgress.SingleBar({
          format: progressLine, stream: process.stderr, hideCursor: tty, clearOnComplete: tty,
          noTTYOutput: opts.forceProgress, notTTYSchedule: 250,
        }, cliProgress.Presets.shades_classic)
      : null;
    bar?.start(row.durationS, 0, { row: name, phase: 'connecting', connected: 0, failed: 0, connections: row.connections, replies: 0, rps: 0 });
    let result: RowResult;
    const timeline: Array<[number, number]> = [];
    try {
      result = await runRow(target, row, runOpts(row), (elapsedS, _sent, replies) => {
        if (elapsedS > 0) timeline.push([elapsedS, replies]);
        bar?.update(Math.max(0, Math.min(row.durationS, Number(elapsedS.toFixed(1)))), { phase: 'running', replies, rps: elapsedS > 0 ? Math.round(replies / elapsedS) : 0 });
      }, (connected, failed, total) => {
        bar?.update(0, { phase: 'connecting', connected, failed, connections: total });
      });
    } catch (err) {
      bar?.stop();
      if (err instanceof BenchConnectError) {
        process.stderr.write(`mini-kv-benchmark: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      bar?.stop();
    }
    if (timeline.length === 0 || timeline[timeline.length - 1][0] < row.durationS) timeline.push([row.durationS, result.replies]);
    result.timeline = timeline;
    results.push(result);
    process.stderr.write(`${name}: ${fmtRate(result.throughput)} replies/s${result.achieved !== null ? ` (${(result.achieved * 100).toFixed(1)}% of offered)` : ''}, avg ${fmtMs(result.avgMs)} ms, p99 ${fmtMs(result.p99)} ms${result.errors + result.timeouts + result.lost > 0 ? `, ${result.errors} errors, ${result.timeouts} timeouts, ${result.lost} lost` : ''}\n`);
  }

  // Tables list each server's rows in the suite's order, whichever ran first.
  const ordered = targets.flatMap((t) => results.filter((r) => r.server === t.label));
  out.write(renderMarkdown(ordered, { withSeed: opts.suite === 'seed' }));
  const title = `mini-kv-benchmark: ${targets.map((t) => t.label).join(' vs ')} (${opts.protocol}, ${opts.closed ? 'closed' : 'open'} loop, ${opts.durationS} s per row)`;
  if (opts.json !== null) {
    writeFileSync(opts.json, renderJson(ordered, {
      tool: `mini-kv-benchmark ${version()}`,
      startedAt: new Date().toISOString(),
      node: process.version,
      cpus,
      command: `mini-kv-benchmark ${argv.join(' ')}`,
      settings: { protocol: opts.protocol, durationS: opts.durationS, keyspace: opts.keyspace, valueSize: opts.valueSize, mix: formatMix(opts.mix), pipeline: opts.pipeline, closed: opts.closed, timeoutMs: opts.timeoutMs, seed: opts.seed, openFileLimit: limit },
    }));
  }
  if (opts.csv !== null) writeFileSync(opts.csv, renderCsv(ordered));
  if (opts.svg !== null) writeFileSync(opts.svg, renderSvg(ordered, { title }));
  // Nothing measured at all (every row skipped for the open-file limit) is a failure for scripts.
  return results.every((r) => r.skipped !== null) ? 1 : 0;
}
