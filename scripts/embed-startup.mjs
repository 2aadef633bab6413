#!/usr/bin/env node
// Measures the embedding API's costs: the import time of the package (in a
// fresh process, median of RUNS) and the time from calling startServer() to
// the first PONG on a raw socket, warm (after one server has started in this
// process), median and max of RUNS. Usage: node scripts/embed-startup.mjs [runs]
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const RUNS = Math.max(3, Math.min(200, Number(process.argv[2] ?? 30)));
const entry = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const importTimes = [];
for (let i = 0; i < Math.min(RUNS, 15); i++) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e',
    `const t = performance.now(); await import(${JSON.stringify(entry)}); console.log(performance.now() - t);`], { encoding: 'utf8' });
  importTimes.push(Number(out.trim()));
}

const { startServer } = await import(entry);

function firstPong(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('*1\r\n$4\r\nPING\r\n'));
    s.once('data', () => { s.destroy(); resolve(); });
    s.once('error', reject);
  });
}

// Warm-up: the first server in a process builds the command table and JITs the paths.
const warm = await startServer();
await firstPong(warm.port);
await warm.close();

const startTimes = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const srv = await startServer();
  await firstPong(srv.port);
  startTimes.push(performance.now() - t);
  await srv.close();
}
const fmt = (x) => x.toFixed(2);
console.log(`import (fresh process): median ${fmt(median(importTimes))} ms over ${importTimes.length} runs`);
console.log(`startServer() to first PONG (warm): median ${fmt(median(startTimes))} ms, max ${fmt(Math.max(...startTimes))} ms over ${RUNS} runs`);
