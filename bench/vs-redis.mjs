#!/usr/bin/env node
// mini-kv against redis-server with redis-benchmark, side by side in one run.
//
// Starts mini-kv and (when installed) redis-server on free loopback ports,
// persistence off, then runs redis-benchmark against both, alternating
// A B A B so that drift on the machine hits both alike. Each test runs
// --repeats times per server; the table shows medians of requests/s, p50 and
// p99 (ms) and the ratio mini-kv/Redis (rps: higher is better; latency:
// lower is better). Both servers get one unmeasured warm-up pass first
// (mini-kv's JIT, both keyspaces populated), and stop when the run ends.
//
// Beside the requests/s of each server, each row shows the CPU time its
// process spent per request, user + system µs (from /proc/<pid>/stat over
// the measured runs): when system calls are expensive on the day, the
// system share grows and unpipelined throughput falls for both servers, so
// the regime a ratio was measured in can be read off the table.
//
// --cpus S:B pins the servers to CPU list S and redis-benchmark to B with
// taskset. `--cpus 0:0` puts server and benchmark on one core: every
// request then costs two context switches on top of its system calls,
// which reproduces, on a quiet machine, the regime of days when system
// calls are slow (Redis near 55k req/s unpipelined instead of 150k).
//
//   npm run bench:vs-redis
//   npm run bench:vs-redis -- --repeats 5 --tests set,get --pipelines 16
//   REPEATS=1 npm run bench:vs-redis          # a quick look, about a minute
//   npm run bench:vs-redis -- --json /tmp/vs.json --node-flags "--max-semi-space-size=64"
//
// Options (environment variable in brackets):
//   --repeats N      runs per test and server, median reported [REPEATS] (3)
//   --tests LIST     redis-benchmark tests, and `multi` (MULTI, 3 SETs, EXEC
//                    from bench/tx-load.mjs: its rps is transactions/s)
//                    [TESTS] (set,get,incr,mset,multi); none: skip
//   --pubsub LIST    pub/sub: subscriber counts [PUBSUB] (1,10,100); none: skip.
//                    One redis-benchmark publisher (-c CLIENTS, PUBLISH ch msg)
//                    while that many connections subscribed to `ch` read;
//                    reports messages delivered per second (all subscribers,
//                    first message to last) and PUBLISH requests/s
//   --pubsub-requests N  PUBLISHes per pub/sub run [PUBSUB_REQUESTS] (200000)
//   --pipelines LIST pipeline depths [PIPELINES] (1,16)
//   --clients N      connections [CLIENTS] (50)
//   --keyspace N     -r, random keys [KEYSPACE] (100000)
//   --requests N     requests per run without pipelining [REQUESTS] (100000);
//                    pipelined runs send 8x as many, so each lasts about as long
//   --node-flags S   extra node flags for mini-kv [NODE_FLAGS]
//   --cpus S:B       taskset CPU lists for the servers and redis-benchmark,
//                    e.g. 0:0 (one shared core, the slow regime) or 0:1 [CPUS]
//   --mini-kv-only   skip redis-server even when installed
//   --json FILE      also write every sample as JSON
// A run is bounded: each redis-benchmark call is killed after 120 s.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { cpuTime, has, median, numberList, parseOptions, startServer, words } from './lib.mjs';

const RUN_TIMEOUT_MS = 120_000; // one redis-benchmark call, at most

function readOptions(argv) {
  const env = process.env;
  const v = parseOptions(argv, {
    repeats: { type: 'string', default: env.REPEATS ?? '3' },
    tests: { type: 'string', default: env.TESTS ?? 'set,get,incr,mset,multi' },
    pubsub: { type: 'string', default: env.PUBSUB ?? '1,10,100' },
    'pubsub-requests': { type: 'string', default: env.PUBSUB_REQUESTS ?? '200000' },
    pipelines: { type: 'string', default: env.PIPELINES ?? '1,16' },
    clients: { type: 'string', default: env.CLIENTS ?? '50' },
    keyspace: { type: 'string', default: env.KEYSPACE ?? '100000' },
    requests: { type: 'string', default: env.REQUESTS ?? '100000' },
    'node-flags': { type: 'string', default: env.NODE_FLAGS ?? '' },
    cpus: { type: 'string', default: env.CPUS ?? '' },
    'mini-kv-only': { type: 'boolean', default: false },
    json: { type: 'string' },
  }, import.meta.url);
  const o = {
    repeats: Number(v.repeats),
    tests: v.tests === 'none' || v.tests === '' ? [] : v.tests.split(','),
    pubsub: v.pubsub === 'none' || v.pubsub === '' ? [] : numberList(v.pubsub),
    pubsubRequests: Number(v['pubsub-requests']),
    pipelines: numberList(v.pipelines),
    clients: Number(v.clients),
    keyspace: Number(v.keyspace),
    requests: Number(v.requests),
    nodeFlags: words(v['node-flags']),
    redis: !v['mini-kv-only'],
    json: v.json ?? null,
    serverCpus: null,
    benchCpus: null,
  };
  if (!(o.repeats >= 1)) throw new Error('--repeats must be at least 1');
  if (v.cpus !== '') {
    const m = /^([\d,-]+):([\d,-]+)$/.exec(v.cpus);
    if (m === null) throw new Error(`--cpus takes SERVER:BENCHMARK CPU lists, e.g. 0:0 or 0:1 (got '${v.cpus}')`);
    if (!has('taskset')) throw new Error('--cpus needs taskset (util-linux)');
    o.serverCpus = m[1];
    o.benchCpus = m[2];
  }
  return o;
}

/**
 * Runs one redis-benchmark test against `server`; returns { rps, p50, p99 }
 * from its CSV, and the server's CPU time per request in µs (user, sys).
 */
function runBenchmark(server, test, pipeline, o) {
  if (test === 'multi') return runTransactions(server, pipeline, o);
  const requests = pipeline > 1 ? o.requests * 8 : o.requests;
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-t', test, '-n', String(requests), '-r', String(o.keyspace), '-c', String(o.clients), '-P', String(pipeline), '--csv'];
  const cpu0 = cpuTime(server.child.pid);
  const r = o.benchCpus === null
    ? spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS })
    : spawnSync('taskset', ['-c', o.benchCpus, 'redis-benchmark', ...args], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  const cpu1 = cpuTime(server.child.pid);
  if (r.status !== 0) throw new Error(`redis-benchmark ${args.join(' ')} failed: ${r.stderr || r.error}`);
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"')).pop();
  if (line === undefined) throw new Error(`no CSV from redis-benchmark: ${r.stdout}`);
  const f = line.split(',').map((x) => x.replace(/"/g, ''));
  // MSET's request sets 10 keys but is one request, as redis-benchmark counts it.
  const perRequest = (a, b) => (cpu0 === null || cpu1 === null ? NaN : ((b - a) * 1e6) / requests);
  return { rps: Number(f[1]), p50: Number(f[4]), p99: Number(f[6]), userUs: perRequest(cpu0?.user, cpu1?.user), sysUs: perRequest(cpu0?.sys, cpu1?.sys) };
}

/**
 * The MULTI/EXEC test (redis-benchmark has none): bench/tx-load.mjs sends
 * transactions of three SETs; `rps` is transactions per second, each of
 * five commands, and CPU time is per transaction.
 */
function runTransactions(server, pipeline, o) {
  const transactions = pipeline > 1 ? o.requests * 4 : o.requests;
  const args = [new URL('tx-load.mjs', import.meta.url).pathname, '--port', String(server.port), '--clients', String(o.clients), '--pipeline', String(pipeline), '--transactions', String(transactions), '--keyspace', String(o.keyspace)];
  const cpu0 = cpuTime(server.child.pid);
  const r = o.benchCpus === null
    ? spawnSync(process.execPath, args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS })
    : spawnSync('taskset', ['-c', o.benchCpus, process.execPath, ...args], { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  const cpu1 = cpuTime(server.child.pid);
  if (r.status !== 0) throw new Error(`tx-load failed: ${r.stderr || r.error}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop());
  if (m.errors > 0) throw new Error(`tx-load: ${m.errors} error replies, first: ${m.firstError}`);
  const perTx = (a, b) => (cpu0 === null || cpu1 === null ? NaN : ((b - a) * 1e6) / transactions);
  return { rps: m.tps, p50: m.p50, p99: m.p99, userUs: perTx(cpu0?.user, cpu1?.user), sysUs: perTx(cpu0?.sys, cpu1?.sys) };
}

async function main() {
  const o = readOptions(process.argv.slice(2));
  if (!has('redis-benchmark')) {
    console.error('redis-benchmark is not installed (apt-get install redis-tools): nothing to measure');
    process.exit(1);
  }
  process.on('SIGINT', () => process.exit(130));

  const servers = [await startServer('mini-kv', { nodeArgs: o.nodeFlags, cpus: o.serverCpus })];
  const mkPort = servers[0].port;
  let redisVersion = null;
  if (o.redis && has('redis-server')) {
    servers.push(await startServer('redis', { cpus: o.serverCpus }));
    redisVersion = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.match(/v=([\d.]+)/)?.[1] ?? '?';
  } else if (o.redis) {
    console.error('redis-server not found: measuring mini-kv alone');
  }

  const started = Date.now();
  console.log(`redis-benchmark -c ${o.clients} -r ${o.keyspace}, ${o.repeats} run(s) per test and server, alternating; medians.`);
  console.log(`mini-kv on :${mkPort}${o.nodeFlags.length ? ' (node ' + o.nodeFlags.join(' ') + ')' : ''}${redisVersion ? `, redis-server ${redisVersion} on :${servers[1].port}` : ''}; node ${process.version}`);
  if (o.serverCpus !== null) console.log(`Pinned: servers on CPU ${o.serverCpus}, redis-benchmark on CPU ${o.benchCpus} (taskset).`);
  // Warm-up: one short pass of every test on each server (not measured).
  for (const s of servers) for (const t of o.tests) runBenchmark(s, t, 16, { ...o, requests: Math.min(o.requests, 50000) });

  const samples = [];
  const rows = [];
  for (const pipeline of o.pipelines) {
    for (const test of o.tests) {
      const per = new Map(servers.map((s) => [s.label, []]));
      for (let rep = 0; rep < o.repeats; rep++) {
        for (const s of servers) {
          const r = runBenchmark(s, test, pipeline, o);
          per.get(s.label).push(r);
          samples.push({ server: s.label, test, pipeline, rep, ...r });
        }
      }
      const med = {};
      for (const [label, rs] of per) {
        const m = (field) => median(rs.map((r) => r[field]));
        med[label] = { rps: m('rps'), p50: m('p50'), p99: m('p99'), userUs: m('userUs'), sysUs: m('sysUs') };
      }
      rows.push({ test: test.toUpperCase(), pipeline, med });
      printRow(rows[rows.length - 1], rows.length === 1, servers.length > 1);
    }
  }
  const pubsubRows = [];
  // Warm-up for pub/sub too (mini-kv's JIT), not measured.
  if (o.pubsub.length > 0) for (const s of servers) await runPubsub(s, 1, { ...o, pubsubRequests: Math.min(o.pubsubRequests, 20000) });
  for (const subs of o.pubsub) {
    const per = new Map(servers.map((s) => [s.label, []]));
    for (let rep = 0; rep < o.repeats; rep++) {
      for (const s of servers) {
        const r = await runPubsub(s, subs, o);
        per.get(s.label).push(r);
        samples.push({ server: s.label, test: 'pubsub', subscribers: subs, rep, ...r });
      }
    }
    const med = {};
    for (const [label, rs] of per) med[label] = { delivered: median(rs.map((r) => r.delivered)), rps: median(rs.map((r) => r.rps)) };
    pubsubRows.push({ subscribers: subs, med });
    printPubsubRow(pubsubRows[pubsubRows.length - 1], pubsubRows.length === 1, servers.length > 1, o);
  }
  console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s. Ratios are mini-kv/Redis: rps ≥ 1.00 and latency ≤ 1.00 meet the target.`);
  console.log('cpu µs/req: the server process\'s user+system CPU time per request over the measured runs (medians).');
  if (o.json !== null) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, redis: redisVersion, options: o, rows, pubsubRows, samples }, null, 2) + '\n');
  await Promise.all(servers.map((s) => s.stop()));
}

function fmt(n, w, digits = 0) {
  return (Number.isFinite(n) ? n.toFixed(digits) : '-').padStart(w);
}

/** `user+sys` µs per request, e.g. ' 3.1+ 6.0'. */
function cpu(m) {
  return `${fmt(m.userUs, 4, 1)}+${fmt(m.sysUs, 4, 1)}`;
}

function printRow(row, header, compare) {
  if (header) {
    const side = (name) => `${(name + ' rps').padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'cpu µs/req'.padStart(10)}`;
    const h = compare
      ? `${'test'.padEnd(8)}${'-P'.padStart(4)} | ${side('mini-kv')} | ${side('redis')} | ${'rps x'.padStart(6)} ${'p50 x'.padStart(6)} ${'p99 x'.padStart(6)}`
      : `${'test'.padEnd(8)}${'-P'.padStart(4)} | ${side('mini-kv')}`;
    console.log('\n' + h);
    console.log('-'.repeat(h.length));
  }
  const m = row.med['mini-kv'];
  let line = `${row.test.padEnd(8)}${String(row.pipeline).padStart(4)} | ${fmt(m.rps, 11)} ${fmt(m.p50, 6, 3)} ${fmt(m.p99, 6, 3)} ${cpu(m).padStart(10)}`;
  if (compare) {
    const r = row.med.redis;
    line += ` | ${fmt(r.rps, 11)} ${fmt(r.p50, 6, 3)} ${fmt(r.p99, 6, 3)} ${cpu(r).padStart(10)} | ${fmt(m.rps / r.rps, 6, 2)} ${fmt(m.p50 / r.p50, 6, 2)} ${fmt(m.p99 / r.p99, 6, 2)}`;
  }
  console.log(line);
}

const PUBSUB_CHANNEL = 'ch';
const PUBSUB_MESSAGE = 'msg';
/** One message as a RESP2 subscriber receives it. */
const MESSAGE_BYTES = `*3\r\n$7\r\nmessage\r\n$2\r\n${PUBSUB_CHANNEL}\r\n$3\r\n${PUBSUB_MESSAGE}\r\n`.length;

/**
 * One pub/sub run: `subs` sockets SUBSCRIBE to the channel and count the
 * bytes they read, while redis-benchmark publishes --pubsub-requests
 * messages from CLIENTS connections. Returns messages delivered per second
 * over all subscribers, from the first message read to the last (or to 10 s
 * after redis-benchmark ends, when some never arrive), and PUBLISH's rps.
 */
async function runPubsub(server, subs, o) {
  const sockets = [];
  let received = 0; // message bytes over all subscribers
  let first = 0n;
  let last = 0n;
  for (let i = 0; i < subs; i++) {
    const s = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve, reject) => {
      s.once('error', reject);
      s.once('connect', () => {
        s.write(`*2\r\n$9\r\nSUBSCRIBE\r\n$${PUBSUB_CHANNEL.length}\r\n${PUBSUB_CHANNEL}\r\n`);
        // The confirmation, then messages only.
        let confirmed = false;
        s.on('data', (d) => {
          if (!confirmed) {
            confirmed = true;
            resolve();
            return;
          }
          const now = process.hrtime.bigint();
          if (first === 0n) first = now;
          last = now;
          received += d.length;
        });
      });
    });
    sockets.push(s);
  }
  const expected = o.pubsubRequests * subs;
  const args = ['-h', '127.0.0.1', '-p', String(server.port), '-n', String(o.pubsubRequests), '-c', String(o.clients), '--csv', 'PUBLISH', PUBSUB_CHANNEL, PUBSUB_MESSAGE];
  const cmd = o.benchCpus === null ? ['redis-benchmark', args] : ['taskset', ['-c', o.benchCpus, 'redis-benchmark', ...args]];
  const child = spawn(cmd[0], cmd[1], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  const status = await new Promise((r) => child.once('exit', (code) => r(code)));
  clearTimeout(timer);
  if (status !== 0) throw new Error(`redis-benchmark ${args.join(' ')} failed (${status})`);
  const deadline = Date.now() + 10_000;
  while (received / MESSAGE_BYTES < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  for (const s of sockets) s.destroy();
  const line = out.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"')).pop();
  const rps = line === undefined ? NaN : Number(line.split(',')[1].replace(/"/g, ''));
  const seconds = Number(last - first) / 1e9;
  return { delivered: received / MESSAGE_BYTES / seconds, messages: received / MESSAGE_BYTES, expected, rps };
}

function printPubsubRow(row, header, compare, o) {
  if (header) {
    console.log(`\nPub/sub: redis-benchmark -n ${o.pubsubRequests} -c ${o.clients} PUBLISH ${PUBSUB_CHANNEL} ${PUBSUB_MESSAGE}, N subscribed connections reading; messages delivered/s (all subscribers) and PUBLISH rps.`);
    const side = (name) => `${(name + ' msg/s').padStart(14)} ${'pub rps'.padStart(9)}`;
    const h = `${'subs'.padStart(5)} | ${side('mini-kv')}` + (compare ? ` | ${side('redis')} | ${'msg/s x'.padStart(8)}` : '');
    console.log(h);
    console.log('-'.repeat(h.length));
  }
  const m = row.med['mini-kv'];
  let line = `${String(row.subscribers).padStart(5)} | ${fmt(m.delivered, 14)} ${fmt(m.rps, 9)}`;
  if (compare) {
    const r = row.med.redis;
    line += ` | ${fmt(r.delivered, 14)} ${fmt(r.rps, 9)} | ${fmt(m.delivered / r.delivered, 8, 2)}`;
  }
  console.log(line);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
