// The keyspace store alone (ArenaDatabase, no server, no parser): nanoseconds
// per operation for getBytes (GET's lookup), setBytes (SET's overwrite), the
// getBytes + setFoundBytes pair (INCR's read-modify-write) and set() of a
// short string, the minimum and median of --runs. Use it to compare two
// builds of src/keyspace on a noisy machine, alternating them:
//
//   npm run build && node bench/store.mjs --keys 1000
//   node bench/store.mjs --root /tmp/other-checkout --keys 1000   # another build
//
// Options: --keys 1000 (1,000 keys fit the CPU caches, so the figures are the
// code's; 100,000 measure cache misses as much), --ops 524288 (operations per
// run, random keys from a fixed seed), --runs 7. Bounded: ops × (runs + 1) × 4.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseOptions } from './lib.mjs';

const opts = parseOptions(process.argv.slice(2), {
  root: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') },
  keys: { type: 'string', default: '1000' },
  ops: { type: 'string', default: '524288' },
  runs: { type: 'string', default: '7' },
}, import.meta.url);
const [N, OPS, RUNS] = ['keys', 'ops', 'runs'].map((k) => Number(opts[k]));
const load = (p) => import(pathToFileURL(path.join(opts.root, 'dist/src/keyspace', p)).href);
const { ArenaDatabase } = await load('arena-store.js');
const { ByteView, KEEP_TTL, NO_EXPIRY, LOOKUP_BYTES } = await load('keyspace.js');

const keys = Array.from({ length: N }, (_, i) => Buffer.from(`key:${String(i).padStart(12, '0')}`, 'latin1'));
const strKeys = keys.map((k) => k.toString('latin1'));
let seed = 12345; // a fixed sequence, the same for both builds
const order = Int32Array.from({ length: OPS }, () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % N);
const val = Buffer.from('xxx');
const digits = Buffer.from('123');
const db = new ArenaDatabase(0);
for (let i = 0; i < N; i++) db.setBytes(keys[i], 0, keys[i].length, val, 0, 3, NO_EXPIRY);
const view = new ByteView();

const ops = {
  getBytes() {
    let s = 0;
    for (let i = 0; i < order.length; i++) { const k = keys[order[i]]; s += db.getBytes(k, 0, k.length, 0, view); }
    return s;
  },
  setBytes() {
    for (let i = 0; i < order.length; i++) { const k = keys[order[i]]; db.setBytes(k, 0, k.length, val, 0, 3, NO_EXPIRY); }
  },
  incr() {
    for (let i = 0; i < order.length; i++) {
      const k = keys[order[i]];
      if (db.getBytes(k, 0, k.length, 0, view) === LOOKUP_BYTES) db.setFoundBytes(digits, 0, 3, KEEP_TTL);
    }
  },
  setString() {
    for (let i = 0; i < order.length; i++) db.set(strKeys[order[i]], 'abc', NO_EXPIRY);
  },
};
const out = [];
for (const [name, f] of Object.entries(ops)) {
  const r = [];
  for (let run = 0; run <= RUNS; run++) {
    const t0 = process.hrtime.bigint();
    f();
    if (run > 0) r.push(Number(process.hrtime.bigint() - t0) / order.length); // run 0 warms the optimizer
  }
  r.sort((a, b) => a - b);
  out.push(`${name} ${r[0].toFixed(1)}/${r[r.length >> 1].toFixed(1)}`);
}
console.log(`ns per op, min/median of ${RUNS} (${N} keys): ${out.join('  ')}`);
