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
//   npm run bench:vs-redis
//   npm run bench:vs-redis -- --repeats 5 --tests set,get --pipelines 16
//   REPEATS=1 npm run bench:vs-redis          # a quick look, about a minute
//   npm run bench:vs-redis -- --json /tmp/vs.json --node-flags "--max-semi-space-size=64"
//
// Options (environment variable in brackets):
//   --repeats N      runs per test and server, median reported [REPEATS] (3)
//   --tests LIST     redis-benchmark tests [TESTS] (set,get,incr,mset)
//   --pipelines LIST pipeline depths [PIPELINES] (1,16)
//   --clients N      connections [CLIENTS] (50)
//   --keyspace N     -r, random keys [KEYSPACE] (100000)
//   --requests N     requests per run without pipelining [REQUESTS] (100000);
//                    pipelined runs send 8x as many, so each lasts about as long
//   --node-flags S   extra node flags for mini-kv [NODE_FLAGS]
//   --mini-kv-only   skip redis-server even when installed
//   --json FILE      also write every sample as JSON
// A run is bounded: each redis-benchmark call is killed after 120 s.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { has, median, numberList, parseOptions, startServer, words } from './lib.mjs';

const RUN_TIMEOUT_MS = 120_000; // one redis-benchmark call, at most

function readOptions(argv) {
  const env = process.env;
  const v = parseOptions(argv, {
    repeats: { type: 'string', default: env.REPEATS ?? '3' },
    tests: { type: 'string', default: env.TESTS ?? 'set,get,incr,mset' },
    pipelines: { type: 'string', default: env.PIPELINES ?? '1,16' },
    clients: { type: 'string', default: env.CLIENTS ?? '50' },
    keyspace: { type: 'string', default: env.KEYSPACE ?? '100000' },
    requests: { type: 'string', default: env.REQUESTS ?? '100000' },
    'node-flags': { type: 'string', default: env.NODE_FLAGS ?? '' },
    'mini-kv-only': { type: 'boolean', default: false },
    json: { type: 'string' },
  }, import.meta.url);
  const o = {
    repeats: Number(v.repeats),
    tests: v.tests.split(','),
    pipelines: numberList(v.pipelines),
    clients: Number(v.clients),
    keyspace: Number(v.keyspace),
    requests: Number(v.requests),
    nodeFlags: words(v['node-flags']),
    redis: !v['mini-kv-only'],
    json: v.json ?? null,
  };
  if (!(o.repeats >= 1)) throw new Error('--repeats must be at least 1');
  return o;
}

/** Runs one redis-benchmark test; returns { rps, p50, p99 } from its CSV. */
function runBenchmark(port, test, pipeline, o) {
  const requests = pipeline > 1 ? o.requests * 8 : o.requests;
  const args = ['-h', '127.0.0.1', '-p', String(port), '-t', test, '-n', String(requests), '-r', String(o.keyspace), '-c', String(o.clients), '-P', String(pipeline), '--csv'];
  const r = spawnSync('redis-benchmark', args, { encoding: 'utf8', timeout: RUN_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`redis-benchmark ${args.join(' ')} failed: ${r.stderr || r.error}`);
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('"') && !l.startsWith('"test"')).pop();
  if (line === undefined) throw new Error(`no CSV from redis-benchmark: ${r.stdout}`);
  const f = line.split(',').map((x) => x.replace(/"/g, ''));
  return { rps: Number(f[1]), p50: Number(f[4]), p99: Number(f[6]) };
}

async function main() {
  const o = readOptions(process.argv.slice(2));
  if (!has('redis-benchmark')) {
    console.error('redis-benchmark is not installed (apt-get install redis-tools): nothing to measure');
    process.exit(1);
  }
  process.on('SIGINT', () => process.exit(130));

  const servers = [await startServer('mini-kv', { nodeArgs: o.nodeFlags })];
  const mkPort = servers[0].port;
  let redisVersion = null;
  if (o.redis && has('redis-server')) {
    servers.push(await startServer('redis'));
    redisVersion = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.match(/v=([\d.]+)/)?.[1] ?? '?';
  } else if (o.redis) {
    console.error('redis-server not found: measuring mini-kv alone');
  }

  const started = Date.now();
  console.log(`redis-benchmark -c ${o.clients} -r ${o.keyspace}, ${o.repeats} run(s) per test and server, alternating; medians.`);
  console.log(`mini-kv on :${mkPort}${o.nodeFlags.length ? ' (node ' + o.nodeFlags.join(' ') + ')' : ''}${redisVersion ? `, redis-server ${redisVersion} on :${servers[1].port}` : ''}; node ${process.version}`);
  // Warm-up: one short pass of every test on each server (not measured).
  for (const s of servers) for (const t of o.tests) runBenchmark(s.port, t, 16, { ...o, requests: Math.min(o.requests, 50000) });

  const samples = [];
  const rows = [];
  for (const pipeline of o.pipelines) {
    for (const test of o.tests) {
      const per = new Map(servers.map((s) => [s.label, []]));
      for (let rep = 0; rep < o.repeats; rep++) {
        for (const s of servers) {
          const r = runBenchmark(s.port, test, pipeline, o);
          per.get(s.label).push(r);
          samples.push({ server: s.label, test, pipeline, rep, ...r });
        }
      }
      const med = {};
      for (const [label, rs] of per) med[label] = { rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)) };
      rows.push({ test: test.toUpperCase(), pipeline, med });
      printRow(rows[rows.length - 1], rows.length === 1, servers.length > 1);
    }
  }
  console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s. Ratios are mini-kv/Redis: rps ≥ 1.00 and latency ≤ 1.00 meet the target.`);
  if (o.json !== null) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, redis: redisVersion, options: o, rows, samples }, null, 2) + '\n');
  await Promise.all(servers.map((s) => s.stop()));
}

function fmt(n, w, digits = 0) {
  return (Number.isFinite(n) ? n.toFixed(digits) : '-').padStart(w);
}

function printRow(row, header, compare) {
  if (header) {
    const h = compare
      ? `${'test'.padEnd(8)}${'-P'.padStart(4)} | ${'mini-kv rps'.padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} | ${'redis rps'.padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} | ${'rps x'.padStart(6)} ${'p50 x'.padStart(6)} ${'p99 x'.padStart(6)}`
      : `${'test'.padEnd(8)}${'-P'.padStart(4)} | ${'mini-kv rps'.padStart(11)} ${'p50'.padStart(6)} ${'p99'.padStart(6)}`;
    console.log('\n' + h);
    console.log('-'.repeat(h.length));
  }
  const m = row.med['mini-kv'];
  let line = `${row.test.padEnd(8)}${String(row.pipeline).padStart(4)} | ${fmt(m.rps, 11)} ${fmt(m.p50, 6, 3)} ${fmt(m.p99, 6, 3)}`;
  if (compare) {
    const r = row.med.redis;
    line += ` | ${fmt(r.rps, 11)} ${fmt(r.p50, 6, 3)} ${fmt(r.p99, 6, 3)} | ${fmt(m.rps / r.rps, 6, 2)} ${fmt(m.p50 / r.p50, 6, 2)} ${fmt(m.p99 / r.p99, 6, 2)}`;
  }
  console.log(line);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
