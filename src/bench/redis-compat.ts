/**
 * `mini-kv-benchmark redis ...`: the redis-benchmark compatible mode. It
 * takes redis-benchmark 7.0's flags (-h -p -a -c -n -d -P -r -k -q --csv -t,
 * and a command line after them), runs its default tests in its order with
 * its test names (PING_INLINE, PING_MBULK, SET, GET, INCR, LPUSH, ..., MSET
 * (10 keys)), closed loop as it does (redis-runner.ts), and prints its three
 * output shapes (redis-report.ts), so a redis-benchmark command line works
 * unchanged after `mini-kv-benchmark redis`.
 *
 * Where it differs on purpose: the default port is mini-kv's 8080 (pass -p
 * 6379 for a Redis); only loopback targets are accepted (the tool's rule); a
 * server that cannot be reached is an error on standard error with exit
 * status 1 before anything is printed (redis-benchmark 7.0 prints a warning
 * and waits); bad or unsupported flags print a message on standard error and
 * exit 1 (redis-benchmark prints its usage on standard output). As in
 * redis-benchmark, the first error reply ends the run: "Error from server:
 * ..." on standard error, exit status 1, so run the tests the target serves
 * with -t (for mini-kv today: ping,set,get,incr,mset).
 *
 * Live progress ("SET: rps=... (overall: ...) avg_msec=...", and "SET:
 * connecting N/M" while connections open) is drawn on standard output with
 * carriage returns only when it is a terminal, so piped output holds the
 * results alone.
 */
import net from 'node:net';
import { encodeCommand } from './workload.js';
import { runCompatTest, socketErrorText, CompatConnectError, CompatServerError, type CompatProgress } from './redis-runner.js';
import { CSV_HEADER, csvLine, detailedReport, quietLine, type CompatResult } from './redis-report.js';

export const REDIS_HELP = `mini-kv-benchmark redis: redis-benchmark 7.0's flags, tests and output, closed loop.

Usage: mini-kv-benchmark redis [OPTIONS] [COMMAND ARGS...]

  -h <hostname>      server host, loopback only (default 127.0.0.1)
  -p <port>          server port (default 8080, mini-kv's; redis-benchmark's is 6379)
  -a <password>      AUTH <password> on every connection first
  -c <clients>       parallel connections (default 50)
  -n <requests>      total requests per test (default 100000)
  -d <size>          bytes of the SET/GET/LPUSH/... value (default 3)
  -k <boolean>       1 = keep connections, 0 = reconnect after each batch (default 1)
  -r <keyspacelen>   replace __rand_int__ in keys with a 12-digit number below
                     keyspacelen, new for every request (without -r every
                     request of a test uses the same key)
  -P <numreq>        pipeline: each connection writes numreq requests at once
                     and waits for all their replies (default 1)
  -q                 quiet: one line per test
  --csv              CSV: a header line, then one quoted row per test
  -t <tests>         comma-separated tests to run (names as printed, lower case:
                     ping_inline, ping_mbulk, ping, set, get, incr, lpush, rpush,
                     lpop, rpop, sadd, hset, spop, zadd, zpopmin, lrange,
                     lrange_100, lrange_300, lrange_500, lrange_600, mset);
                     ignored when a command is given
  --help             this text
  --version          the version

As in redis-benchmark, the first error reply ends the run with "Error from
server: ..." and exit status 1: against mini-kv, pick the tests it serves with
-t ping,set,get,incr,mset.

Examples:
  mini-kv-benchmark redis -p 7000 -t set,get -n 100000 -q
  mini-kv-benchmark redis -p 7000 -t set -P 16 -r 100000 --csv
  mini-kv-benchmark redis -p 7000 -n 10000 -r 10000 incrby counter:__rand_int__ 5
`;

export interface RedisOptions {
  host: string;
  port: number;
  password: string | null;
  clients: number;
  requests: number;
  dataSize: number;
  keepAlive: boolean;
  randomKeys: number | null;
  pipeline: number;
  quiet: boolean;
  csv: boolean;
  /** ",set,get," as redis-benchmark keeps it, or null for every test. */
  tests: string | null;
  /** A command given after the options, or null for the default tests. */
  command: string[] | null;
  help: boolean;
  version: boolean;
}

/** A bad or unsupported flag: printed on standard error, exit status 1 (as redis-benchmark exits). */
export class RedisUsageError extends Error {
  readonly code = 'ERR_BENCH_USAGE';
}

/** redis-benchmark flags this mode does not implement, with whether they take a value. */
const UNSUPPORTED: Record<string, boolean> = {
  '-s': true, '-u': true, '--user': true, '--dbnum': true, '--precision': true, '--threads': true,
  '-x': false, '-3': false, '-l': false, '-I': false, '--cluster': false, '--enable-tracking': false, '--tls': false,
};

function whole(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new RedisUsageError(`${flag} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

/**
 * Parses the arguments after `redis`, as redis-benchmark's parseOptions()
 * does: flags first, and the first word that is not a flag starts the
 * command. Values are checked (redis-benchmark's atoi() would turn "x" into 0).
 */
export function parseRedisArgs(argv: string[]): RedisOptions {
  const o: RedisOptions = {
    host: '127.0.0.1', port: 8080, password: null, clients: 50, requests: 100000, dataSize: 3, keepAlive: true,
    randomKeys: null, pipeline: 1, quiet: false, csv: false, tests: null, command: null, help: false, version: false,
  };
  let i = 0;
  const value = (flag: string): string => {
    if (i + 1 >= argv.length) throw new RedisUsageError(`Invalid option "${flag}" or option argument missing`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '-h': o.host = value(a); break;
      case '-p': o.port = whole('-p', value(a), 1, 65535); break;
      case '-a': o.password = value(a); break;
      case '-c': o.clients = whole('-c', value(a), 1, 1_000_000); break;
      case '-n': o.requests = whole('-n', value(a), 0); break;
      case '-d': o.dataSize = whole('-d', value(a), 1, 1024 * 1024 * 1024); break;
      case '-P': o.pipeline = whole('-P', value(a), 1, 1_000_000); break;
      case '-r': o.randomKeys = whole('-r', value(a), 0); break;
      case '-k': {
        const v = value(a);
        if (v !== '0' && v !== '1') throw new RedisUsageError(`-k must be 1 (keep alive) or 0 (reconnect), got '${v}'`);
        o.keepAlive = v === '1';
        break;
      }
      case '-t': o.tests = `,${value(a).toLowerCase()},`; break;
      case '-q': o.quiet = true; break;
      case '--csv': o.csv = true; break;
      case '--help': o.help = true; break;
      case '-v': case '--version': o.version = true; break;
      case '-e': break; // redis-benchmark 7.0 accepts -e and ignores it
      default:
        if (a in UNSUPPORTED) throw new RedisUsageError(`redis-benchmark's ${a} is not supported by mini-kv-benchmark redis`);
        if (a.startsWith('-')) throw new RedisUsageError(`Invalid option "${a}" or option argument missing`);
        o.command = argv.slice(i);
        return o;
    }
  }
  return o;
}

/** One default test: the names -t selects it by, the title it prints, and its command. */
export interface RedisTest {
  selectors: string[];
  title: string;
  command: Buffer;
  inline: boolean;
}

/**
 * genBenchmarkRandomData(): the payload redis-benchmark fills values with
 * (the same bytes for the same size, so servers see the same data).
 */
export function benchmarkData(size: number): Buffer {
  const out = Buffer.alloc(size);
  let state = 1234;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = 48 + ((state >>> 16) & 63);
  }
  return out;
}

/** redis-benchmark 7.0's default tests, in its order (main() in redis-benchmark.c). */
export function defaultTests(dataSize: number, randomKeys: boolean): RedisTest[] {
  const data = benchmarkData(dataSize);
  const mb = (selectors: string[], title: string, args: Array<string | Buffer>): RedisTest => ({ selectors, title, command: encodeCommand('resp', args), inline: false });
  const mset: Array<string | Buffer> = ['MSET'];
  for (let k = 0; k < 10; k++) mset.push('key:__rand_int__', data);
  const lrange = ['lrange', 'lrange_100', 'lrange_300', 'lrange_500', 'lrange_600'];
  return [
    { selectors: ['ping_inline', 'ping'], title: 'PING_INLINE', command: Buffer.from('PING\r\n'), inline: true },
    mb(['ping_mbulk', 'ping'], 'PING_MBULK', ['PING']),
    mb(['set'], 'SET', ['SET', 'key:__rand_int__', data]),
    mb(['get'], 'GET', ['GET', 'key:__rand_int__']),
    mb(['incr'], 'INCR', ['INCR', 'counter:__rand_int__']),
    mb(['lpush'], 'LPUSH', ['LPUSH', 'mylist', data]),
    mb(['rpush'], 'RPUSH', ['RPUSH', 'mylist', data]),
    mb(['lpop'], 'LPOP', ['LPOP', 'mylist']),
    mb(['rpop'], 'RPOP', ['RPOP', 'mylist']),
    mb(['sadd'], 'SADD', ['SADD', 'myset', 'element:__rand_int__']),
    mb(['hset'], 'HSET', ['HSET', 'myhash', 'element:__rand_int__', data]),
    mb(['spop'], 'SPOP', ['SPOP', 'myset']),
    mb(['zadd'], 'ZADD', ['ZADD', 'myzset', randomKeys ? '__rand_int__' : '0', 'element:__rand_int__']),
    mb(['zpopmin'], 'ZPOPMIN', ['ZPOPMIN', 'myzset']),
    mb(lrange, 'LPUSH (needed to benchmark LRANGE)', ['LPUSH', 'mylist', data]),
    mb(['lrange', 'lrange_100'], 'LRANGE_100 (first 100 elements)', ['LRANGE', 'mylist', '0', '99']),
    mb(['lrange', 'lrange_300'], 'LRANGE_300 (first 300 elements)', ['LRANGE', 'mylist', '0', '299']),
    mb(['lrange', 'lrange_500'], 'LRANGE_500 (first 500 elements)', ['LRANGE', 'mylist', '0', '499']),
    mb(['lrange', 'lrange_600'], 'LRANGE_600 (first 600 elements)', ['LRANGE', 'mylist', '0', '599']),
    mb(['mset'], 'MSET (10 keys)', mset),
  ];
}

/** test_is_selected(): every test without -t, else those whose name is in the list. */
export function selectTests(tests: RedisTest[], selection: string | null): RedisTest[] {
  if (selection === null) return tests;
  return tests.filter((t) => t.selectors.some((s) => selection.includes(`,${s},`)));
}

/**
 * getRedisConfig(): CONFIG GET save and appendonly on one connection (after
 * AUTH). Resolves null when the server answers with an error or an
 * unexpected shape; rejects with CompatConnectError when it cannot connect.
 */
export function fetchServerConfig(host: string, port: number, password: string | null, timeoutMs = 5000): Promise<{ save: string; appendonly: string } | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const wanted = password === null ? 2 : 3;
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error('Connection timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    const done = (v: { save: string; appendonly: string } | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    socket.once('connect', () => {
      const parts: Buffer[] = [];
      if (password !== null) parts.push(encodeCommand('resp', ['AUTH', password]));
      parts.push(encodeCommand('resp', ['CONFIG', 'GET', 'save']), encodeCommand('resp', ['CONFIG', 'GET', 'appendonly']));
      socket.write(Buffer.concat(parts));
    });
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const replies = parseSimpleReplies(buf, wanted);
      if (replies === undefined) return;
      const cfg = replies.slice(password === null ? 0 : 1);
      const val = (r: string[] | string | null): string | null => (Array.isArray(r) && r.length === 2 ? r[1] : null);
      const save = val(cfg[0]);
      const appendonly = val(cfg[1]);
      done(save !== null && appendonly !== null ? { save, appendonly } : null);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new CompatConnectError(`Could not connect to Redis at ${host}:${port}: ${socketErrorText(err)}`));
    });
    socket.on('close', () => done(null));
  });
}

/**
 * Reads `n` replies that are simple strings, errors (as null) or arrays of
 * bulk strings; undefined while incomplete. Enough for CONFIG GET and AUTH.
 */
export function parseSimpleReplies(buf: Buffer, n: number): Array<string[] | string | null> | undefined {
  const out: Array<string[] | string | null> = [];
  let pos = 0;
  const line = (): string | undefined => {
    const at = buf.indexOf('\r\n', pos);
    if (at < 0) return undefined;
    const s = buf.subarray(pos, at).toString('utf8');
    pos = at + 2;
    return s;
  };
  while (out.length < n) {
    const head = line();
    if (head === undefined) return undefined;
    if (head[0] === '+') out.push(head.slice(1));
    else if (head[0] === '*') {
      const count = Number(head.slice(1));
      const items: string[] = [];
      for (let k = 0; k < count; k++) {
        const h = line();
        if (h === undefined) return undefined;
        const len = Number(h.slice(1));
        if (h[0] !== '$' || len < 0) {
          items.push('');
          continue;
        }
        if (buf.length < pos + len + 2) return undefined;
        items.push(buf.subarray(pos, pos + len).toString('utf8'));
        pos += len + 2;
      }
      out.push(items);
    } else out.push(null);
  }
  return out;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream;
}

/** Runs `mini-kv-benchmark redis ARGS`; returns the exit status. */
export async function redisMain(argv: string[], io: Io, version: string, assertLoopback: (host: string) => Promise<void>): Promise<number> {
  let opts: RedisOptions;
  try {
    opts = parseRedisArgs(argv);
  } catch (err) {
    if (!(err instanceof RedisUsageError)) throw err;
    io.stderr.write(`mini-kv-benchmark redis: ${err.message}\n(see mini-kv-benchmark redis --help)\n`);
    return 1;
  }
  if (opts.help) {
    io.stdout.write(REDIS_HELP);
    return 0;
  }
  if (opts.version) {
    io.stdout.write(`mini-kv-benchmark ${version} (redis-benchmark 7.0 compatible mode)\n`);
    return 0;
  }
  try {
    await assertLoopback(opts.host);
  } catch (err) {
    io.stderr.write(`mini-kv-benchmark redis: ${(err as Error).message}\n`);
    return 1;
  }
  let serverConfig: { save: string; appendonly: string } | null;
  try {
    serverConfig = await fetchServerConfig(opts.host, opts.port, opts.password);
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (serverConfig === null) io.stderr.write('WARNING: Could not fetch server CONFIG\n');

  let tests: RedisTest[];
  let dataSize = opts.dataSize;
  if (opts.command !== null) {
    if (opts.tests !== null) io.stderr.write('WARNING: Option -t is ignored.\n');
    const command = encodeCommand('resp', opts.command);
    dataSize = command.length; // redis-benchmark reports the command's length as its payload
    tests = [{ selectors: [], title: opts.command.join(' '), command, inline: false }];
  } else {
    tests = selectTests(defaultTests(opts.dataSize, opts.randomKeys !== null), opts.tests);
  }

  const live = io.stdout.isTTY === true && !opts.csv;
  let lastPrinted = 0;
  const clearLine = (): void => {
    if (live && lastPrinted > 0) io.stdout.write(`${' '.repeat(lastPrinted)}\r`);
    lastPrinted = 0;
  };
  if (opts.csv) io.stdout.write(`${CSV_HEADER}\n`);
  for (const test of tests) {
    let prevFinished = 0;
    let prevElapsedMs = 0;
    const progress = (p: CompatProgress): void => {
      // showThroughput(): the rate since the last redraw, then the rate and mean latency since the start.
      const instant = (p.finished - prevFinished) / Math.max((p.elapsedMs - prevElapsedMs) / 1000, 1e-9);
      prevFinished = p.finished;
      prevElapsedMs = p.elapsedMs;
      const text = p.phase === 'connecting'
        ? `${test.title}: connecting ${p.connected}/${p.clients}`
        : `${test.title}: rps=${instant.toFixed(1)} (overall: ${(p.finished / Math.max(p.elapsedMs / 1000, 1e-9)).toFixed(1)}) avg_msec=${p.intervalCount > 0 ? (p.intervalLatencyUs / p.intervalCount / 1000).toFixed(3) : '-nan'} (overall: ${p.finished > 0 ? (p.totalLatencyUs / p.finished / 1000).toFixed(3) : '-nan'})`;
      clearLine();
      io.stdout.write(`${text}\r`);
      lastPrinted = text.length;
    };
    let run;
    try {
      run = await runCompatTest({
        host: opts.host, port: opts.port, password: opts.password, clients: opts.clients, requests: opts.requests,
        pipeline: opts.pipeline, randomKeys: opts.randomKeys, keepAlive: opts.keepAlive, command: test.command,
        inline: test.inline, connectTimeoutMs: 10000,
      }, live ? progress : undefined);
    } catch (err) {
      clearLine();
      if (err instanceof CompatServerError || err instanceof CompatConnectError) {
        io.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
    clearLine();
    const result: CompatResult = {
      title: test.title, finished: run.finished, totalMs: run.totalMs, clients: opts.clients, dataSize,
      keepAlive: opts.keepAlive, serverConfig, histogram: run.histogram,
    };
    io.stdout.write(opts.csv ? csvLine(result) : opts.quiet ? quietLine(result) : detailedReport(result));
    run.histogram.destroy();
  }
  if (!opts.csv) io.stdout.write('\n');
  return 0;
}
