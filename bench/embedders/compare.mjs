#!/usr/bin/env node
// Start-up cost of in-process Redis stand-ins, for docs/testing.md:
// time from "start" to the first PING answered, warm (after one start in the
// same process), median and max of RUNS starts each. Run from this folder
// after `npm install` here (mini-kv must be built: npm run build at the root).
// Usage: node compare.mjs [runs]
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const RUNS = Math.max(3, Math.min(100, Number(process.argv[2] ?? 20)));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function pingRaw(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host, () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.once('data', () => { s.destroy(); resolve(); });
    s.once('error', reject);
  });
}

async function measure(name, startAndPing) {
  await startAndPing(); // warm-up
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await startAndPing();
    times.push(performance.now() - t);
  }
  console.log(`| ${name} | ${median(times).toFixed(2)} ms | ${Math.max(...times).toFixed(2)} ms |`);
}

const { startServer } = await import('../../dist/src/index.js');
const { createRedisMock } = await import('js-redis-server');
const { default: RedisMock } = await import('ioredis-mock');

console.log(`| tool | start to first PONG (median) | max | (${RUNS} warm runs)`);
console.log('| --- | --- | --- |');
await measure('mini-kv startServer()', async () => {
  const srv = await startServer();
  await pingRaw(srv.port);
  await srv.close();
});
await measure('js-redis-server createRedisMock()', async () => {
  const mock = await createRedisMock();
  const addr = mock.addresses()[0];
  const port = typeof addr === 'string' ? Number(addr.split(':').pop()) : addr.port;
  await pingRaw(port);
  await mock.close();
});
await measure('ioredis-mock new RedisMock()', async () => {
  const r = new RedisMock();
  await r.ping();
  r.disconnect();
});
