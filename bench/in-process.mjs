// Our JavaScript alone, per request: feeds pipelined RESP batches straight to
// the server's Connection objects over fake sockets, so neither the kernel
// nor redis-benchmark is in the way, and prints nanoseconds per request
// (median of --runs). Use it to compare two builds of the hot path (parser,
// dispatch, commands, keyspace, reply writer) on a noisy machine: CPU work
// in one process varies far less than socket benchmarks do.
//
//   npm run build && node bench/in-process.mjs --test get
//   node bench/in-process.mjs --root /tmp/other-checkout --test incr   # another build
//
// Options: --test get|set|incr|mset (default get), --clients 50,
// --pipeline 16 (requests per read), --keys 100000 (random keys, filled by
// SET first), --rounds 1000 (reads per client per run), --runs 5.
// Every connection is fed one batch per event-loop turn, and replies are
// written by the server's own end-of-turn write into a socket that discards
// them. Bounded: clients × rounds × runs batches.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseOptions } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), {
  root: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') },
  test: { type: 'string', default: 'get' },
  clients: { type: 'string', default: '50' },
  pipeline: { type: 'string', default: '16' },
  keys: { type: 'string', default: '100000' },
  rounds: { type: 'string', default: '1000' },
  runs: { type: 'string', default: '5' },
}, import.meta.url);
const [clients, pipeline, keys, rounds, runs] = ['clients', 'pipeline', 'keys', 'rounds', 'runs'].map((k) => Number(opts[k]));

const { MiniKvServer } = await import(pathToFileURL(path.join(opts.root, 'dist/src/server/server.js')).href);

/** Just enough of a net.Socket for Connection: every write is dropped. */
class NullSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 1;
  localAddress = '127.0.0.1';
  localPort = 2;
  writableLength = 0;
  bytesRead = 0;
  destroyed = false;
  writableEnded = false;
  writableNeedDrain = false;
  setNoDelay() {}
  setKeepAlive() {}
  write() { return true; }
  cork() {}
  uncork() {}
  pause() {}
  resume() {}
  end() {}
  destroy() {}
}

const server = new MiniKvServer({ config: { port: 0 } });
const sockets = [];
for (let i = 0; i < clients; i++) {
  const s = new NullSocket();
  server['accept'](s); // the server's own accept path, minus listening
  sockets.push(s);
}

const resp = (...args) => `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
const randomKey = () => String(Math.floor(Math.random() * keys)).padStart(12, '0');
/** One read's worth of requests, shaped like redis-benchmark's. */
function batch(test) {
  let s = '';
  for (let i = 0; i < pipeline; i++) {
    if (test === 'get') s += resp('GET', `key:${randomKey()}`);
    else if (test === 'set') s += resp('SET', `key:${randomKey()}`, 'xxx');
    else if (test === 'incr') s += resp('INCR', `counter:${randomKey()}`);
    else if (test === 'mset') s += resp('MSET', ...Array.from({ length: 10 }, () => [`key:{tag}:${randomKey()}`, 'xxx']).flat());
    else throw new Error(`unknown --test ${test}`);
  }
  return Buffer.from(s, 'latin1');
}
// A pool of prepared batches, so that building requests is not measured.
const POOL = 512;
const pool = (test) => Array.from({ length: POOL }, () => batch(test));
const turn = () => new Promise((resolve) => setImmediate(resolve));

async function feed(batches, n) {
  let k = 0;
  for (let r = 0; r < n; r++) {
    for (const s of sockets) s.emit('data', batches[k++ % POOL]);
    await turn();
  }
}

await feed(pool('set'), Math.ceil((keys * 2) / (clients * pipeline))); // fill the keyspace
const work = pool(opts.test);
await feed(work, Math.min(rounds, 500)); // warm up the optimizer
const results = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  await feed(work, rounds);
  results.push(Number(process.hrtime.bigint() - t0) / (rounds * clients * pipeline));
}
results.sort((a, b) => a - b);
console.log(`${opts.test}: ${results[results.length >> 1].toFixed(0)} ns per request (median of ${runs}; runs ${results.map((x) => x.toFixed(0)).join(' ')})`);
process.exit(0);
