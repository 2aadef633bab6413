#!/usr/bin/env node
/**
 * A long fuzz run for manual use (test/server/fuzz.test.ts is the short one
 * in the suite). Starts mini-kv-server as a child process and, for a bounded
 * number of minutes, throws random bytes, mutated RESP and inline pipelines
 * and hostile headers at it, each split at random points over a fresh
 * connection, from several connections at once. Every 200 streams it checks
 * that the server answers, that a sentinel key is intact, and that a
 * well-formed pipeline split at random points gets exactly the predicted
 * replies. Exits 1 on the first failure (crash, hang, wrong reply).
 *
 *   npm run build && node scripts/fuzz-long.mjs [--minutes 3] [--workers 8] [--seed N]
 */
import { connect, numberOptions, resp, rssKb, startServer } from './lib.mjs';

const opts = numberOptions({ minutes: 3, workers: 8, seed: Date.now() % 2 ** 31 });
const minutes = Math.min(60, Math.max(0.1, opts.minutes));
const workers = Math.min(64, Math.max(1, opts.workers));
let seed = opts.seed;
const startSeed = seed;

// A small deterministic PRNG (mulberry32) so a failing run can be replayed with --seed.
function rand() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (a) => a[int(a.length)];

const randomBytes = (n) => Buffer.from(Array.from({ length: n }, () => int(256)));

function validPipeline() {
  const parts = [];
  for (let i = 1 + int(12); i > 0; i--) {
    parts.push(pick([
      () => resp('PING'),
      () => resp('SET', `f:${int(50)}`, randomBytes(int(64))),
      () => resp('GET', `f:${int(50)}`),
      () => resp('MSET', `f:${int(50)}`, 'x', `f:${int(50)}`, 'y'),
      () => resp('INCRBY', `f:n${int(5)}`, String(int(100))),
      () => resp('EXPIRE', `f:${int(50)}`, String(int(3))),
      () => Buffer.from(`PING\r\n`),
      () => Buffer.from(`SET "f:q ${int(9)}" 'v\\x41'\r\n`),
      () => Buffer.from('ECHO hi\n'),
    ])());
  }
  return Buffer.concat(parts);
}

function mutated() {
  let b = validPipeline();
  for (let e = 1 + int(4); e > 0 && b.length > 0; e--) {
    const i = int(b.length);
    switch (int(4)) {
      case 0: b[i] = int(256); break;
      case 1: b = Buffer.concat([b.subarray(0, i), Buffer.from([int(256)]), b.subarray(i)]); break;
      case 2: b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]); break;
      default: b = b.subarray(0, i);
    }
  }
  return b;
}

const HEADERS = ['*', '$', '*-1', '*0', '$-1', '*2147483647', '$536870912', '*99999999999', '$-7', '*1\r\n$', '"', "'", '\\x', '\r\n', '\n', ' ', '*3\r\n$3\r\nSET\r\n'];
function hostile() {
  const parts = [];
  for (let i = int(20); i > 0; i--) parts.push(pick([() => Buffer.from(pick(HEADERS)), () => randomBytes(int(30)), () => Buffer.from(String(int(100000)))])());
  return Buffer.concat(parts);
}

function split(data) {
  const cuts = Array.from({ length: int(8) }, () => int(data.length)).sort((a, b) => a - b);
  const out = [];
  let prev = 0;
  for (const c of cuts) if (c > prev) { out.push(data.subarray(prev, c)); prev = c; }
  out.push(data.subarray(prev));
  return out;
}

/** Sends chunks a turn apart, then waits until the server closes or goes quiet. */
async function storm(port, data) {
  const s = await connect(port);
  let got = 0;
  let closed = false;
  s.on('data', (d) => (got += d.length));
  s.on('close', () => (closed = true));
  s.on('error', () => {});
  for (const ch of split(data)) {
    if (closed) break;
    s.write(ch);
    await new Promise((r) => setImmediate(r));
  }
  let last = -1;
  while (!closed && got !== last) {
    last = got;
    await new Promise((r) => setTimeout(r, 10));
  }
  s.destroy();
  return closed;
}

/** Sends `req` split at random points; resolves with `want.length` bytes of reply or rejects after 3 s. */
async function exchange(port, req, wantLength) {
  const s = await connect(port);
  let data = '';
  const done = new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no reply within 3 s (got ${JSON.stringify(data.slice(0, 200))})`)), 3000);
    s.on('data', (d) => {
      data += d.toString('latin1');
      if (data.length >= wantLength) { clearTimeout(t); resolve(data); }
    });
    s.on('close', () => { clearTimeout(t); resolve(data); });
  });
  for (const ch of split(req)) {
    s.write(ch);
    await new Promise((r) => setImmediate(r));
  }
  const out = await done;
  s.destroy();
  return out;
}

const SENTINEL = Buffer.from('sentinel\x00\r\n\xff value', 'latin1');
let checks = 0;
async function check(port) {
  checks++;
  const want = `+PONG\r\n$${SENTINEL.length}\r\n${SENTINEL.toString('latin1')}\r\n`;
  const got = await exchange(port, Buffer.concat([resp('PING'), resp('GET', 'sentinel')]), want.length);
  if (got !== want) throw new Error(`health check: ${JSON.stringify(got)}`);
  // A well-formed pipeline against a model.
  const key = `model:${checks}`;
  const v = randomBytes(int(2000));
  const req = Buffer.concat([resp('SET', key, v), resp('APPEND', key, 'xyz'), resp('GET', key), resp('STRLEN', key), resp('DEL', key), resp('EXISTS', key)]);
  const full = Buffer.concat([v, Buffer.from('xyz')]);
  const w2 = `+OK\r\n:${full.length}\r\n$${full.length}\r\n${full.toString('latin1')}\r\n:${full.length}\r\n:1\r\n:0\r\n`;
  const got2 = await exchange(port, req, w2.length);
  if (got2 !== w2) throw new Error('model pipeline: wrong replies');
}

const server = await startServer(['--save', '']);
const { child, port } = server;

{
  const s = await connect(port);
  s.write(resp('SET', 'sentinel', SENTINEL));
  await new Promise((r) => s.once('data', r));
  s.destroy();
}

const started = Date.now();
const deadline = started + minutes * 60_000;
const rss0 = rssKb(child.pid);
let streams = 0;
let bytes = 0;
let closedByServer = 0;
let failure = null;
const kinds = [() => randomBytes(int(300)), mutated, hostile];

async function worker() {
  while (Date.now() < deadline && failure === null && server.crashed === null) {
    const data = pick(kinds)();
    bytes += data.length;
    if (await storm(port, data)) closedByServer++;
    streams++;
    if (streams % 200 === 0) await check(port);
  }
}

console.log(`fuzz-long: ${minutes} min, ${workers} workers, seed ${startSeed}, server pid ${child.pid} port ${port}`);
const progress = setInterval(() => console.log(`  ${Math.round((Date.now() - started) / 1000)} s: ${streams} streams, ${checks} checks, RSS ${rssKb(child.pid)} kB`), 30_000);
try {
  await Promise.all(Array.from({ length: workers }, () => worker().catch((e) => { failure ??= e; })));
  if (server.crashed === null && failure === null) await check(port);
} catch (e) {
  failure ??= e;
}
clearInterval(progress);
const rss1 = rssKb(child.pid);
child.kill('SIGTERM');
const secs = (Date.now() - started) / 1000;
console.log(JSON.stringify({
  seed: startSeed, seconds: Math.round(secs), streams, streamsPerSecond: Math.round(streams / secs), bytesSent: bytes,
  closedByServer, healthChecks: checks, rssStartKb: rss0, rssEndKb: rss1, serverStderr: server.stderr.length, failure: failure?.message ?? server.crashed,
}, null, 1));
process.exit(failure !== null || server.crashed !== null || server.stderr.length > 0 ? 1 : 0);
