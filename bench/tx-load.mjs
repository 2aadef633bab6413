#!/usr/bin/env node
// MULTI/EXEC load, for bench:vs-redis (redis-benchmark has no transaction
// test): --clients connections each send --pipeline transactions per write,
// every transaction MULTI, SET ×3 on random keys of --keyspace, EXEC, and
// wait for all their replies before the next write. Prints one JSON line:
// transactions per second, and p50/p99 of a write's round trip in ms.
//
//   node bench/tx-load.mjs --port 6379 [--clients 50] [--pipeline 1]
//        [--transactions 100000] [--keyspace 100000]
//
// Bounded: it sends exactly --transactions transactions and gives up after 120 s.
import net from 'node:net';
import { RespReplyCounter } from '../dist/src/bench/reply-counter.js';
import { parseOptions } from './lib.mjs';

const TIMEOUT_MS = 120_000;
const REPLIES_PER_TX = 5; // +OK, +QUEUED ×3, the EXEC array

const v = parseOptions(process.argv.slice(2), {
  port: { type: 'string' },
  clients: { type: 'string', default: '50' },
  pipeline: { type: 'string', default: '1' },
  transactions: { type: 'string', default: '100000' },
  keyspace: { type: 'string', default: '100000' },
}, import.meta.url);
const port = Number(v.port);
const clients = Number(v.clients);
const pipeline = Number(v.pipeline);
const total = Number(v.transactions);
const keyspace = Number(v.keyspace);

const bulk = (s) => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
const key = () => `key:${String(Math.floor(Math.random() * keyspace)).padStart(12, '0')}`;
/** One write's worth of transactions. */
function batch(n) {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += '*1\r\n$5\r\nMULTI\r\n';
    for (let j = 0; j < 3; j++) s += '*3\r\n$3\r\nSET\r\n' + bulk(key()) + bulk('xxx');
    s += '*1\r\n$4\r\nEXEC\r\n';
  }
  return s;
}

const latencies = [];
let sent = 0;
let errors = 0;
let firstError = null;

function runClient() {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setNoDelay(true);
    const counter = new RespReplyCounter();
    let waiting = 0;
    let t0 = 0;
    const next = () => {
      const n = Math.min(pipeline, total - sent);
      if (n <= 0) {
        sock.end();
        resolve();
        return;
      }
      sent += n;
      waiting = n * REPLIES_PER_TX;
      t0 = performance.now();
      sock.write(batch(n));
    };
    sock.on('connect', next);
    sock.on('data', (chunk) => {
      waiting -= counter.feed(chunk);
      if (waiting === 0) {
        latencies.push(performance.now() - t0);
        next();
      }
    });
    sock.on('error', reject);
    sock.on('close', () => {
      errors = counter.errors;
      firstError ??= counter.firstError;
      resolve();
    });
  });
}

const timer = setTimeout(() => {
  console.error(`tx-load: gave up after ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS);
const start = performance.now();
await Promise.all(Array.from({ length: clients }, runClient));
const seconds = (performance.now() - start) / 1000;
clearTimeout(timer);
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
console.log(JSON.stringify({ tps: total / seconds, p50: pct(0.5), p99: pct(0.99), errors, firstError }));
