#!/usr/bin/env node
// One PUBLISH to many subscribers: how long does mini-kv's event loop stall?
//
// Starts mini-kv, opens --subscribers loopback connections that all
// SUBSCRIBE to one channel (and keep reading), starts a new event-loop
// window (CONFIG RESETSTAT), then sends --publishes PUBLISHes one after the
// other (after --warmup unmeasured ones), each only once every subscriber
// has its message, and reads
// eventloop_max_stall_ms and eventloop_delay_p99_ms from INFO stats (the
// server's own event-loop monitor, src/server/event-loop-monitor.ts). A
// benchmark, not a test: it prints figures and asserts nothing.
//
//   node bench/pubsub-fanout.mjs                       # 10,000 subscribers, 20 publishes
//   node bench/pubsub-fanout.mjs --subscribers 2000 --publishes 50 --size 1024
//
// Bounded: at most --subscribers sockets (the process needs as many file
// descriptors, twice over with the server's side), and the run gives up
// after 120 s.
import net from 'node:net';
import { parseOptions, startServer } from './lib.mjs';

const v = parseOptions(process.argv.slice(2), {
  subscribers: { type: 'string', default: '10000' },
  publishes: { type: 'string', default: '20' },
  size: { type: 'string', default: '16' },
  warmup: { type: 'string', default: '3' },
}, import.meta.url);
const SUBS = Number(v.subscribers);
const PUBLISHES = Number(v.publishes);
const SIZE = Number(v.size);
const WARMUP = Number(v.warmup);
setTimeout(() => {
  console.error('gave up after 120 s');
  process.exit(1);
}, 120_000).unref();

/** Sends one command on `sock` and resolves with the raw reply text once `done(text)` says it is complete. */
function command(sock, args, done) {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d) => {
      text += d.toString('latin1');
      if (done(text)) {
        sock.off('data', onData);
        resolve(text);
      }
    };
    sock.on('data', onData);
    sock.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
  });
}

// Room for every subscriber and the publisher (maxclients is 10000 by default).
const server = await startServer('mini-kv', { serverArgs: ['--maxclients', String(SUBS + 10)] });
try {
  const channel = 'fanout';
  const message = 'm'.repeat(SIZE);
  const messageBytes = `*3\r\n$7\r\nmessage\r\n$${channel.length}\r\n${channel}\r\n$${SIZE}\r\n${message}\r\n`.length;
  let received = 0; // bytes of messages, over all subscribers
  const sockets = [];
  const t0 = Date.now();
  // In batches, so that the listen backlog is never the limit.
  for (let i = 0; i < SUBS; i += 500) {
    const batch = [];
    for (let j = i; j < Math.min(SUBS, i + 500); j++) {
      batch.push(new Promise((resolve, reject) => {
        const s = net.connect(server.port, '127.0.0.1');
        s.once('error', reject);
        s.once('connect', async () => {
          await command(s, ['SUBSCRIBE', channel], (t) => t.endsWith(':1\r\n'));
          s.on('data', (d) => (received += d.length));
          resolve(s);
        });
      }));
    }
    sockets.push(...(await Promise.all(batch)));
  }
  console.log(`${SUBS} subscribers connected and subscribed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const admin = net.connect(server.port, '127.0.0.1');
  await new Promise((r) => admin.once('connect', r));
  const latencies = [];
  // The first WARMUP publishes (JIT, first allocations) are not measured.
  for (let p = -WARMUP; p < PUBLISHES; p++) {
    if (p === 0) {
      await command(admin, ['CONFIG', 'RESETSTAT'], (t) => t.endsWith('\r\n'));
      latencies.length = 0;
    }
    const before = received;
    const start = process.hrtime.bigint();
    const reply = await command(admin, ['PUBLISH', channel, message], (t) => t.endsWith('\r\n'));
    if (reply !== `:${SUBS}\r\n`) throw new Error(`PUBLISH answered ${JSON.stringify(reply)}`);
    while (received - before < SUBS * messageBytes) await new Promise((r) => setImmediate(r));
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const info = await command(admin, ['INFO', 'stats'], (t) => /\r\n\r\n$/.test(t) && t.length > 20);
  const field = (name) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? NaN);
  latencies.sort((a, b) => a - b);
  console.log(`${PUBLISHES} PUBLISHes of ${SIZE} bytes to ${SUBS} subscribers:`);
  console.log(`  until every subscriber had it: median ${latencies[latencies.length >> 1].toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
  console.log(`  server event loop: longest stall ${field('eventloop_max_stall_ms').toFixed(1)} ms, p99 delay ${field('eventloop_delay_p99_ms').toFixed(1)} ms`);
  for (const s of sockets) s.destroy();
  admin.destroy();
} finally {
  await server.stop();
}
