/**
 * Property-based tests (fast-check) against a live server: random bytes,
 * mutated RESP and inline pipelines, split at random points, must never crash
 * or hang it, and a key set before the storm must be intact after; well-formed
 * pipelines of random commands and binary values, split at random points, get
 * exactly the replies a small model predicts. scripts/fuzz-long.mjs runs the
 * same storms for minutes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { resp, startTestServer, type TestServer } from '../helpers.js';
import { RawConn } from './sockets.js';

let text: TestServer;
let model: TestServer;
const SENTINEL = Buffer.from('sentinel\x00\r\n\xff value', 'latin1');

before(async () => {
  text = await startTestServer();
  model = await startTestServer({ config: { 'inline-replies': 'resp' } });
  for (const s of [text, model]) {
    const c = await RawConn.open(s.port);
    assert.equal(await c.ask(resp('SET', 'sentinel', SENTINEL), 5), '+OK\r\n');
    c.destroy();
  }
});
after(async () => {
  await text.close();
  await model.close();
});

/** Splits `data` at the given fractions into chunks. */
function split(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].filter((p) => p > 0 && p < data.length).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(data.subarray(prev, p));
    prev = p;
  }
  out.push(data.subarray(prev));
  return out;
}

/** Writes the chunks one event-loop turn apart, so the server reads them separately. */
async function send(c: RawConn, chunks: Buffer[]): Promise<void> {
  for (const ch of chunks) {
    if (c.closed) return;
    c.write(ch);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The server still answers and the sentinel is intact. */
async function healthy(s: TestServer): Promise<void> {
  const c = await RawConn.open(s.port);
  const want = `+PONG\r\n$${SENTINEL.length}\r\n${SENTINEL.toString('latin1')}\r\n`;
  assert.equal(await c.ask(Buffer.concat([resp('PING'), resp('GET', 'sentinel')]), want.length), want);
  c.destroy();
}

const validPipeline = fc.array(fc.oneof(
  fc.constant(resp('PING')),
  fc.tuple(fc.string({ maxLength: 8 }), fc.uint8Array({ maxLength: 40 })).map(([k, v]) => resp('SET', `f:${k}`, Buffer.from(v))),
  fc.string({ maxLength: 8 }).map((k) => resp('GET', `f:${k}`)),
  fc.string({ maxLength: 8 }).map((k) => Buffer.from(`INCR f:n${k.replace(/[\s"']/g, '')}\r\n`)),
  fc.constant(Buffer.from('PING\r\n')),
  fc.constant(Buffer.from('ECHO "a b"\n')),
), { minLength: 1, maxLength: 12 }).map((parts) => Buffer.concat(parts));

/** A valid pipeline with random bytes flipped, inserted, deleted, or the stream cut. */
const mutated = fc.tuple(validPipeline, fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }))
  .map(([data, edits]) => {
    let b = Buffer.from(data);
    for (const [kind, at, byte] of edits) {
      const i = Math.min(b.length - 1, Math.floor(at * b.length));
      if (kind === 0) b[i] = byte;
      else if (kind === 1) b = Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
      else if (kind === 2) b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
      else b = b.subarray(0, i);
    }
    return b;
  });

const headers = fc.constantFrom('*', '$', '*-1', '*0', '$-1', '*2147483647', '$536870912', '*99999999999', '$-7', '*1\r\n$', '"', "'", '\\x', '\r\n', '\n', ' ');
const hostile = fc.array(fc.oneof(headers.map((h) => Buffer.from(h)), fc.uint8Array({ maxLength: 30 }).map((u) => Buffer.from(u)), fc.nat({ max: 99999 }).map((n) => Buffer.from(String(n)))), { maxLength: 20 })
  .map((parts) => Buffer.concat(parts));

const stream = fc.oneof(fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)), mutated, hostile);
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

describe('fuzz', () => {
  test('fuzz - random, mutated and hostile byte streams split anywhere never crash or hang the server; the sentinel survives', async () => {
    let runs = 0;
    await fc.assert(fc.asyncProperty(stream, cuts, fc.boolean(), async (data, at, textServer) => {
      runs++;
      const s = textServer ? text : model;
      const c = await RawConn.open(s.port, { keep: false });
      await send(c, split(data, at));
      // Settle: the server closes (protocol error) or goes quiet waiting for more input.
      let last = -1;
      while (!c.closed && c.bytes !== last) {
        last = c.bytes;
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      c.destroy();
      if (runs % 25 === 0) await healthy(s);
    }), { numRuns: 300 });
    await healthy(text);
    await healthy(model);
    assert.equal(runs, 300);
  });

  test('fuzz - well-formed pipelines of random commands, split anywhere, get exactly the predicted replies', async () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    const value = fc.uint8Array({ maxLength: 64 }).map((u) => Buffer.from(u));
    const command = fc.oneof(
      fc.tuple(fc.constant('SET'), key, value),
      fc.tuple(fc.constant('GET'), key),
      fc.tuple(fc.constant('DEL'), key),
      fc.tuple(fc.constant('APPEND'), key, value),
      fc.tuple(fc.constant('STRLEN'), key),
      fc.tuple(fc.constant('ECHO'), value),
      fc.tuple(fc.constant('PING')),
      fc.tuple(fc.constant('EXISTS'), key),
      fc.tuple(fc.constant('INLINE'), key),
    );
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), cuts, async (cmds, at) => {
      const ns = `w${run++}:`;
      const store = new Map<string, Buffer>();
      const reqs: Buffer[] = [];
      let want = '';
      const bulk = (b: Buffer | undefined): string => (b === undefined ? '$-1\r\n' : `$${b.length}\r\n${b.toString('latin1')}\r\n`);
      for (const [name, k, v] of cmds as [string, string?, Buffer?][]) {
        const full = ns + (k ?? '');
        switch (name) {
          case 'SET': reqs.push(resp('SET', full, v!)); store.set(full, v!); want += '+OK\r\n'; break;
          case 'GET': reqs.push(resp('GET', full)); want += bulk(store.get(full)); break;
          case 'DEL': reqs.push(resp('DEL', full)); want += `:${store.delete(full) ? 1 : 0}\r\n`; break;
          case 'APPEND': {
            reqs.push(resp('APPEND', full, v!));
            const nv = Buffer.concat([store.get(full) ?? Buffer.alloc(0), v!]);
            store.set(full, nv);
            want += `:${nv.length}\r\n`;
            break;
          }
          case 'STRLEN': reqs.push(resp('STRLEN', full)); want += `:${store.get(full)?.length ?? 0}\r\n`; break;
          case 'ECHO': reqs.push(resp('ECHO', k as unknown as Buffer)); want += bulk(k as unknown as Buffer); break;
          case 'PING': reqs.push(resp('PING')); want += '+PONG\r\n'; break;
          case 'EXISTS': reqs.push(resp('EXISTS', full)); want += `:${store.has(full) ? 1 : 0}\r\n`; break;
          case 'INLINE': reqs.push(Buffer.from(`  get   ${full}\r\n`, 'latin1')); want += bulk(store.get(full)); break;
        }
      }
      const c = await RawConn.open(model.port);
      await send(c, split(Buffer.concat(reqs), at));
      await c.until(() => c.data.length >= want.length, 3000);
      c.destroy();
      assert.equal(c.data, want);
    }), { numRuns: 200 });
    await healthy(model);
  });
});
