#!/usr/bin/env node
/**
 * A bounded soak run for manual use: starts mini-kv-server as a child process,
 * first holds 10,000 idle connections while measuring PING latency, then for
 * `--seconds` (default 300) mixes, at once:
 *   - churn: connect, PING, QUIT or a hard close, again and again;
 *   - pipelines: 100 SET+GET pairs per write over a few long-lived connections;
 *   - large values: SET and GET of 1 to 4 MB;
 *   - expiry: SET with PX 20..500 ms on fresh keys, so the active cycle works;
 *   - slow readers: pipelined GETs of a 1 MB value, read in short bursts.
 * RSS is sampled every 10 s. It fails (exit 1) when the server dies, logs to
 * stderr, answers wrongly, or RSS at the end exceeds the post-warm-up level by
 * more than 50%. Prints a JSON summary for docs/reliability.md.
 *
 *   npm run build && node scripts/soak.mjs [--seconds 300] [--idle 10000]
 */
import { connect, numberOptions, resp, rssKb, startServer } from './lib.mjs';

const opts = numberOptions({ seconds: 300, idle: 10_000 });
const seconds = Math.min(3600, Math.max(10, opts.seconds));
const idleCount = Math.min(20_000, Math.max(0, opts.idle));

/** A connection that sends requests and resolves once `n` bytes of reply arrived. */
class Client {
  constructor(sock) {
    this.sock = sock;
    this.buf = '';
    this.waiting = null;
    sock.on('data', (d) => {
      this.buf += d.toString('latin1');
      this.wake();
    });
    sock.on('close', () => { this.closed = true; this.wake(); });
    sock.on('error', () => {});
  }
  static async open(port) {
    return new Client(await connect(port));
  }
  wake() {
    if (this.waiting && (this.buf.length >= this.waiting.n || this.closed)) {
      const w = this.waiting;
      this.waiting = null;
      clearTimeout(w.t);
      const out = this.buf.slice(0, w.n);
      this.buf = this.buf.slice(w.n);
      w.resolve(out);
    }
  }
  ask(req, n, ms = 10_000) {
    return new Promise((resolve, reject) => {
      this.waiting = { n, resolve, t: setTimeout(() => reject(new Error(`no reply in ${ms} ms (have ${this.buf.length} of ${n})`)), ms) };
      this.sock.write(req);
      this.wake();
    });
  }
}

const server = await startServer(['--maxclients', '20000']);
const { child, port } = server;
const summary = { seconds, port, rssStartKb: rssKb(child.pid) };

// 1. Hold many idle connections and measure PING latency meanwhile.
const pinger = await Client.open(port);
async function pingLatency(n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    if ((await pinger.ask(resp('PING'), 7)) !== '+PONG\r\n') throw new Error('PING');
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: +times[Math.floor(n * 0.5)].toFixed(3), p99: +times[Math.floor(n * 0.99)].toFixed(3), max: +times[n - 1].toFixed(3) };
}
summary.pingIdleServerMs = await pingLatency(2000);
const idle = [];
const t0 = Date.now();
for (let i = 0; i < idleCount; i += 250) {
  const batch = await Promise.all(Array.from({ length: Math.min(250, idleCount - i) }, () => connect(port)));
  for (const s of batch) { s.on('error', () => {}); idle.push(s); }
}
summary.idleConnections = idle.length;
summary.idleConnectSeconds = (Date.now() - t0) / 1000;
// The server accepts from its backlog a little behind the client: wait until it has them all.
for (let i = 0; i < 100; i++) {
  const info = await pinger.ask(resp('INFO', 'clients'), 60);
  await new Promise((r) => setTimeout(r, 100));
  summary.connectedClientsReported = Number(/connected_clients:(\d+)/.exec(info + pinger.buf)?.[1]);
  pinger.buf = '';
  if (summary.connectedClientsReported >= idle.length + 1) break;
}
summary.pingWithIdleMs = await pingLatency(2000);
summary.rssWithIdleKb = rssKb(child.pid);
for (const s of idle) s.destroy();
await new Promise((r) => setTimeout(r, 1000));

// 2. The mixed load.
const deadline = Date.now() + seconds * 1000;
const counts = { churn: 0, pipelines: 0, large: 0, expiring: 0, slowReplies: 0, errors: 0 };
let failure = null;
const fail = (e) => { failure ??= e; };
const running = () => Date.now() < deadline && failure === null && server.crashed === null;

async function churn() {
  while (running()) {
    const c = await Client.open(port);
    if ((await c.ask(resp('PING'), 7)) !== '+PONG\r\n') throw new Error('churn PING');
    if (counts.churn % 2 === 0) await c.ask(resp('QUIT'), 5);
    c.sock.destroy();
    counts.churn++;
  }
}

async function pipelines(id) {
  const c = await Client.open(port);
  let n = 0;
  while (running()) {
    const parts = [];
    let want = '';
    for (let i = 0; i < 100; i++, n++) {
      const k = `p${id}:${n % 1000}`;
      parts.push(resp('SET', k, `v${n}`), resp('GET', k));
      want += `+OK\r\n$${`v${n}`.length}\r\nv${n}\r\n`;
    }
    const got = await c.ask(Buffer.concat(parts), want.length);
    if (got !== want) throw new Error('pipeline replies differ');
    counts.pipelines++;
  }
  c.sock.destroy();
}

async function large() {
  const c = await Client.open(port);
  let i = 0;
  while (running()) {
    const size = (1 + (i % 4)) * 1024 * 1024;
    const v = Buffer.alloc(size, 97 + (i % 26));
    if ((await c.ask(resp('SET', `large:${i % 8}`, v), 5)) !== '+OK\r\n') throw new Error('large SET');
    const got = await c.ask(resp('GET', `large:${i % 8}`), size + `$${size}\r\n\r\n`.length);
    if (got.length !== size + `$${size}\r\n\r\n`.length || got.charCodeAt(20) !== 97 + (i % 26)) throw new Error('large GET');
    counts.large++;
    i++;
  }
  c.sock.destroy();
}

async function expiring() {
  const c = await Client.open(port);
  let i = 0;
  while (running()) {
    const parts = [];
    for (let j = 0; j < 200; j++, i++) parts.push(resp('SET', `exp:${i}`, 'x'.repeat(100), 'PX', 20 + (i % 480)));
    await c.ask(Buffer.concat(parts), 200 * 5);
    counts.expiring += 200;
    await new Promise((r) => setTimeout(r, 20));
  }
  c.sock.destroy();
}

async function slowReader() {
  const setter = await Client.open(port);
  await setter.ask(resp('SET', 'slow:big', Buffer.alloc(1024 * 1024, 98)), 5);
  setter.sock.destroy();
  while (running()) {
    const s = await connect(port);
    s.on('error', () => {});
    s.pause();
    const n = 50;
    const reply = 1024 * 1024 + `$${1024 * 1024}\r\n\r\n`.length;
    let got = 0;
    s.on('data', (d) => (got += d.length));
    s.write(Buffer.concat(Array.from({ length: n }, () => resp('GET', 'slow:big'))));
    // Read in short bursts with pauses between.
    while (got < n * reply && running()) {
      s.resume();
      await new Promise((r) => setTimeout(r, 5));
      s.pause();
      await new Promise((r) => setTimeout(r, 50));
    }
    if (got === n * reply) counts.slowReplies += n;
    s.destroy();
  }
}

const samples = [];
const sampler = setInterval(() => samples.push(rssKb(child.pid)), 10_000);
const tasks = [churn(), churn(), pipelines(1), pipelines(2), large(), expiring(), slowReader(), slowReader()].map((p) => p.catch(fail));
await Promise.all(tasks);
clearInterval(sampler);

const finalInfo = await Client.open(port).then(async (c) => {
  const text = await c.ask(resp('INFO', 'all'), 100);
  await new Promise((r) => setTimeout(r, 200));
  const all = text + c.buf;
  c.sock.destroy();
  return all;
}).catch((e) => { fail(e); return ''; });
summary.counts = counts;
summary.expiredKeys = Number(/expired_keys:(\d+)/.exec(finalInfo)?.[1]);
summary.totalConnectionsReceived = Number(/total_connections_received:(\d+)/.exec(finalInfo)?.[1]);
summary.rssSamplesKb = samples;
const warm = samples.length > 3 ? samples[2] : samples[0];
summary.rssAfterWarmupKb = warm;
summary.rssEndKb = rssKb(child.pid);
summary.rssMaxKb = Math.max(...samples);
summary.serverStderr = server.stderr;
summary.failure = failure?.message ?? server.crashed;
child.kill('SIGTERM');
const bad = failure !== null || server.crashed !== null || server.stderr.length > 0 || summary.rssEndKb > warm * 1.5;
console.log(JSON.stringify(summary, null, 1));
process.exit(bad ? 1 : 0);
