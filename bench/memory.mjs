#!/usr/bin/env node
// Memory per key and event-loop stalls, mini-kv beside redis-server.
//
// For each server in turn (one at a time, so neither competes for the CPU
// while the other loads): start it fresh on a free port, then
//   1. load keys `key:0` … `key:<N-1>` with SET and a 32-byte value, over
//      pipelined RESP (a window of batches in flight), first to 1,000,000
//      keys, then on to 10,000,000;
//   2. after each load, let it settle and record RSS growth per key (from
//      /proc/<pid>/status, the same for both servers) and, for mini-kv, the
//      V8 heap per key (INFO used_memory: heap used plus external);
//   3. run a phase of mixed GET/SET (half each, random existing keys,
//      several pipelined clients) for --mixed seconds.
// Stalls: a separate client sends PING one at a time all along and records
// the worst round trip per phase; mini-kv also reports the longest
// event-loop delay that perf_hooks.monitorEventLoopDelay saw inside the
// server (INFO stats eventloop_max_stall_ms, reset per phase with CONFIG
// RESETSTAT).
//
//   npm run bench:memory
//   npm run bench:memory -- --sizes 1000000 --mixed 10      # a quick look
//   npm run bench:memory -- --node-flags "--max-semi-space-size=16"
//
// Options (environment variable in brackets):
//   --sizes LIST     key counts to reach, in order [SIZES] (1000000,10000000)
//   --mixed S        seconds of mixed GET/SET after each load [MIXED_SECONDS] (60)
//   --value-size N   bytes per value [VALUE_SIZE] (32)
//   --batch N        SETs per pipelined write [BATCH] (1000)
//   --window N       batches in flight [WINDOW] (8)
//   --clients N      connections in the mixed phase [CLIENTS] (8)
//   --heap MB        mini-kv's --max-old-space-size [HEAP_MB] (16384)
//   --node-flags S   extra node flags for mini-kv [NODE_FLAGS]
//   --mini-kv-only / --redis-only
//   --json FILE      also write the figures as JSON
// Bounded: each load stops after --load-timeout seconds (600), each phase
// after its --mixed seconds.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, has, numberList, parseOptions, sleep, startServer, words } from './lib.mjs';

const PING_INTERVAL_MS = 5; // pause between two PINGs of the stall probe
const SETTLE_MS = 2000; // idle time before reading memory after a load

function readOptions(argv) {
  const env = process.env;
  const v = parseOptions(argv, {
    sizes: { type: 'string', default: env.SIZES ?? '1000000,10000000' },
    mixed: { type: 'string', default: env.MIXED_SECONDS ?? '60' },
    'value-size': { type: 'string', default: env.VALUE_SIZE ?? '32' },
    batch: { type: 'string', default: env.BATCH ?? '1000' },
    window: { type: 'string', default: env.WINDOW ?? '8' },
    clients: { type: 'string', default: env.CLIENTS ?? '8' },
    heap: { type: 'string', default: env.HEAP_MB ?? '16384' },
    'node-flags': { type: 'string', default: env.NODE_FLAGS ?? '' },
    'load-timeout': { type: 'string', default: '600' },
    'mini-kv-only': { type: 'boolean', default: false },
    'redis-only': { type: 'boolean', default: false },
    json: { type: 'string' },
  }, import.meta.url);
  const o = {
    sizes: numberList(v.sizes),
    mixed: Number(v.mixed),
    valueSize: Number(v['value-size']),
    batch: Number(v.batch),
    window: Number(v.window),
    clients: Number(v.clients),
    heapMb: Number(v.heap),
    nodeFlags: words(v['node-flags']),
    loadTimeout: Number(v['load-timeout']),
    minikv: !v['redis-only'],
    redis: !v['mini-kv-only'],
    json: v.json ?? null,
  };
  for (let i = 1; i < o.sizes.length; i++) if (!(o.sizes[i] > o.sizes[i - 1])) throw new Error('--sizes must increase');
  return o;
}

function rssBytes(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m === null ? NaN : Number(m[1]) * 1024;
}

function cmd(...args) {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return s;
}

/**
 * One request/reply connection for INFO, CONFIG and friends: sends a
 * command and resolves with the whole reply text (bulk or status).
 */
class Control {
  constructor(sock) {
    this.sock = sock;
    this.buf = '';
    this.waiting = null;
    sock.setEncoding('latin1');
    sock.on('data', (d) => {
      this.buf += d;
      this.tryResolve();
    });
  }
  static async open(port) {
    return new Control(await connect(port));
  }
  tryResolve() {
    if (this.waiting === null) return;
    const b = this.buf;
    const nl = b.indexOf('\r\n');
    if (nl === -1) return;
    let end;
    let value;
    if (b[0] === '$') {
      const len = Number(b.slice(1, nl));
      if (len < 0) {
        end = nl + 2;
        value = null;
      } else {
        if (b.length < nl + 2 + len + 2) return;
        end = nl + 2 + len + 2;
        value = b.slice(nl + 2, nl + 2 + len);
      }
    } else {
      end = nl + 2;
      value = b.slice(0, nl);
    }
    this.buf = b.slice(end);
    const w = this.waiting;
    this.waiting = null;
    w(value);
  }
  send(...args) {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.sock.write(cmd(...args));
    });
  }
  async info(section) {
    const text = await this.send('INFO', section);
    const out = {};
    for (const line of (text ?? '').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
  }
  close() {
    this.sock.destroy();
  }
}

/** PINGs one at a time, PING_INTERVAL_MS apart; `worst()` returns and resets the worst round trip (ms). */
class PingProbe {
  constructor(sock) {
    this.sock = sock;
    this.max = 0;
    this.sentAt = 0n;
    this.stopped = false;
    this.outstanding = false;
    sock.on('data', () => {
      this.outstanding = false;
      const rtt = Number(process.hrtime.bigint() - this.sentAt) / 1e6;
      if (rtt > this.max) this.max = rtt;
      if (!this.stopped) setTimeout(() => this.ping(), PING_INTERVAL_MS);
    });
  }
  static async start(port) {
    const p = new PingProbe(await connect(port));
    p.ping();
    return p;
  }
  ping() {
    if (this.stopped) return;
    this.outstanding = true;
    this.sentAt = process.hrtime.bigint();
    this.sock.write('*1\r\n$4\r\nPING\r\n');
  }
  worst() {
    // A PING still unanswered counts with its age so far.
    const pending = this.outstanding ? Number(process.hrtime.bigint() - this.sentAt) / 1e6 : 0;
    const w = Math.max(this.max, pending);
    this.max = 0;
    return w;
  }
  stop() {
    this.stopped = true;
    this.sock.destroy();
  }
}

/**
 * Loads keys [from, to) with SET key:<n> <value>, `batch` per write and up to
 * `window` batches unanswered. Every reply is `+OK\r\n` (5 bytes), so counting
 * received bytes is enough. Resolves with the seconds it took.
 */
async function load(port, from, to, o) {
  const sock = await connect(port);
  sock.setNoDelay(true);
  const value = 'v'.repeat(o.valueSize);
  const valueHdr = `$${o.valueSize}\r\n${value}\r\n`;
  let next = from;
  let sentBatches = 0;
  let expectedBytes = 0;
  let receivedBytes = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + o.loadTimeout * 1000;
  return new Promise((resolve, reject) => {
    const sendOne = () => {
      if (next >= to) return false;
      const end = Math.min(to, next + o.batch);
      let s = '';
      for (let n = next; n < end; n++) {
        const k = `key:${n}`;
        s += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n${valueHdr}`;
      }
      expectedBytes += 5 * (end - next);
      next = end;
      sentBatches++;
      sock.write(s, 'latin1');
      return true;
    };
    const inFlight = () => sentBatches - Math.floor(receivedBytes / (5 * o.batch));
    sock.on('data', (d) => {
      receivedBytes += d.length;
      if (receivedBytes >= 5 * (to - from)) {
        sock.destroy();
        resolve(Number(process.hrtime.bigint() - started) / 1e9);
        return;
      }
      if (Date.now() > deadline) {
        sock.destroy();
        reject(new Error(`load did not finish within ${o.loadTimeout} s`));
        return;
      }
      while (inFlight() < o.window && sendOne());
    });
    sock.on('error', reject);
    for (let i = 0; i < o.window; i++) sendOne();
  });
}

/**
 * Mixed GET/SET for `seconds`: `clients` connections, each keeping a batch
 * of 64 commands (half GET, half SET of random existing keys) in flight.
 * Resolves with commands per second.
 */
async function mixed(port, keys, seconds, o) {
  const BATCH = 64;
  const value = 'w'.repeat(o.valueSize);
  const socks = await Promise.all(Array.from({ length: o.clients }, () => connect(port)));
  let done = 0;
  let stop = false;
  const started = Date.now();
  const batch = () => {
    let s = '';
    for (let i = 0; i < BATCH; i++) {
      const k = `key:${Math.floor(Math.random() * keys)}`;
      s += i & 1 ? `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${value.length}\r\n${value}\r\n` : `*2\r\n$3\r\nGET\r\n$${k.length}\r\n${k}\r\n`;
    }
    return s;
  };
  // Replies per batch: 32 × `+OK\r\n` and 32 bulks of the value size.
  const replyBytes = (BATCH / 2) * 5 + (BATCH / 2) * (`$${o.valueSize}\r\n`.length + o.valueSize + 2);
  await Promise.all(socks.map((sock) => new Promise((resolve) => {
    let received = 0;
    sock.on('data', (d) => {
      received += d.length;
      while (received >= replyBytes) {
        received -= replyBytes;
        done += BATCH;
        if (stop || Date.now() - started >= seconds * 1000) {
          stop = true;
          sock.destroy();
          resolve();
          return;
        }
        sock.write(batch(), 'latin1');
      }
    });
    sock.write(batch(), 'latin1');
  })));
  return done / ((Date.now() - started) / 1000);
}

async function measureServer(label, o) {
  const server = await startServer(label, { nodeArgs: [`--max-old-space-size=${o.heapMb}`, ...o.nodeFlags], waitMs: 15_000 });
  const { port, child } = server;
  try {
    const ctl = await Control.open(port);
    await sleep(500);
    const rss0 = rssBytes(child.pid);
    const info0 = await ctl.info('memory');
    const heap0 = Number(info0.used_memory);
    await ctl.send('CONFIG', 'RESETSTAT');
    const probe = await PingProbe.start(port);
    const rows = [];
    let loaded = 0;
    for (const size of o.sizes) {
      await ctl.send('CONFIG', 'RESETSTAT');
      probe.worst();
      const loadSeconds = await load(port, loaded, size, o);
      const loadPing = probe.worst();
      const loadStall = Number((await ctl.info('stats')).eventloop_max_stall_ms ?? NaN);
      loaded = size;
      await sleep(SETTLE_MS);
      const rss = rssBytes(child.pid);
      const mem = await ctl.info('memory');
      const dbsize = Number(await ctl.send('DBSIZE').then((r) => r.slice(1)));
      await ctl.send('CONFIG', 'RESETSTAT');
      probe.worst();
      const opsPerSec = o.mixed > 0 ? await mixed(port, size, o.mixed, o) : NaN;
      const mixedPing = probe.worst();
      const mixedStall = Number((await ctl.info('stats')).eventloop_max_stall_ms ?? NaN);
      const row = {
        server: label, keys: size, dbsize,
        rssBytesPerKey: (rss - rss0) / size,
        usedMemoryBytesPerKey: (Number(mem.used_memory) - heap0) / size,
        rss, usedMemory: Number(mem.used_memory),
        loadSeconds, loadRate: (size - (rows.length ? o.sizes[rows.length - 1] : 0)) / loadSeconds,
        loadStallMs: loadStall, loadWorstPingMs: loadPing,
        mixedSeconds: o.mixed, mixedOpsPerSec: opsPerSec, mixedStallMs: mixedStall, mixedWorstPingMs: mixedPing,
      };
      rows.push(row);
      printRow(row);
    }
    probe.stop();
    ctl.close();
    return rows;
  } finally {
    await server.stop();
  }
}

let headerPrinted = false;
function printRow(r) {
  if (!headerPrinted) {
    headerPrinted = true;
    console.log(`\n${'server'.padEnd(8)} ${'keys'.padStart(10)} | ${'RSS B/key'.padStart(9)} ${'heap B/key'.padStart(10)} | ${'load s'.padStart(7)} ${'keys/s'.padStart(9)} ${'stall ms'.padStart(8)} ${'ping ms'.padStart(8)} | ${'mixed ops/s'.padStart(11)} ${'stall ms'.padStart(8)} ${'ping ms'.padStart(8)}`);
    console.log('-'.repeat(118));
  }
  const f = (n, w, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-').padStart(w);
  console.log(`${r.server.padEnd(8)} ${f(r.keys, 10)} | ${f(r.rssBytesPerKey, 9, 1)} ${f(r.usedMemoryBytesPerKey, 10, 1)} | ${f(r.loadSeconds, 7, 1)} ${f(r.loadRate, 9)} ${f(r.loadStallMs, 8, 1)} ${f(r.loadWorstPingMs, 8, 1)} | ${f(r.mixedOpsPerSec, 11)} ${f(r.mixedStallMs, 8, 1)} ${f(r.mixedWorstPingMs, 8, 1)}`);
}

async function main() {
  const o = readOptions(process.argv.slice(2));
  const hasRedis = has('redis-server');
  console.log(`Keys key:<n> with ${o.valueSize}-byte values, SET pipelined ${o.batch} per write, ${o.window} writes in flight; sizes ${o.sizes.join(', ')}; ${o.mixed} s mixed GET/SET (${o.clients} clients) after each.`);
  console.log(`node ${process.version}, mini-kv --max-old-space-size=${o.heapMb}${o.nodeFlags.length ? ' ' + o.nodeFlags.join(' ') : ''}${hasRedis ? ', ' + spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout.trim() : ''}`);
  const all = [];
  if (o.minikv) all.push(...(await measureServer('mini-kv', o)));
  if (o.redis && hasRedis) all.push(...(await measureServer('redis', o)));
  else if (o.redis) console.error('redis-server not found: mini-kv alone');
  console.log('\nRSS B/key: growth of the process RSS per key loaded. heap B/key: growth of INFO used_memory (mini-kv: V8 heap used + external; Redis: its allocator count).');
  console.log('stall ms: longest event-loop delay inside mini-kv (monitorEventLoopDelay); ping ms: worst PING round trip from a separate client.');
  if (o.json !== null) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), node: process.version, options: o, rows: all }, null, 2) + '\n');
}

main().catch((e) => {
  console.error(e.stack ?? e.message);
  process.exit(1);
});
