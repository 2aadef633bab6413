/**
 * Property-based tests of the request parser (fast-check): random bytes in
 * random chunks never throw and a reset parser works again; any argument
 * vector encoded as RESP, or as a fully quoted inline line, parses back to
 * itself however it is split. Seeds are fixed so a failure reproduces.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RequestParser, type Arg } from '../../src/protocol/resp-parser.js';

const SEED = 0x6d696e69; // "mini"

function resp(args: Buffer[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const b of args) parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  return Buffer.concat(parts);
}

/** Cuts `b` at the given offsets (taken modulo its length, sorted). */
function cut(b: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => (b.length === 0 ? 0 : o % b.length)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(b.subarray(prev, p));
    prev = p;
  }
  out.push(b.subarray(prev));
  return out;
}

function drain(p: RequestParser, chunks: Buffer[]): Arg[][] {
  const out: Arg[][] = [];
  for (const c of chunks) {
    p.append(c);
    for (let a = p.next(); a !== null; a = p.next()) out.push(a);
    if (p.error !== null) break;
  }
  return out;
}

const bytes = fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a));
/** Bytes biased towards the protocol's own characters, so headers get exercised. */
const protoish = fc
  .array(fc.oneof(fc.constantFrom('*', '$', '\r', '\n', '\r\n', '-', '0', '1', '3', '"', "'", '\\', ' ', 'x', 'PING'), fc.string({ maxLength: 4 })), { maxLength: 60 })
  .map((parts) => Buffer.from(parts.join(''), 'latin1'));
const splits = fc.array(fc.nat(), { maxLength: 6 });
const args = fc.array(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { minLength: 1, maxLength: 6 });

test('Fuzz - random bytes in random chunks never throw, and a reset parser parses a valid request', () => {
  let runs = 0;
  fc.assert(
    fc.property(fc.oneof(bytes, protoish), splits, fc.boolean(), (input, offsets, smallLimits) => {
      runs++;
      const p = new RequestParser(smallLimits ? { maxInlineSize: 16, bigArg: 8, maxBulkLen: 64, stringArgMax: 4 } : {});
      drain(p, cut(input, offsets));
      // It never holds more unparsed bytes than it was given.
      assert.ok(p.pending <= input.length, `${p.pending} bytes pending of ${input.length} received`);
      assert.ok(p.error === null || p.error.startsWith('Protocol error: '));
      p.reset();
      p.append(Buffer.from('*1\r\n$4\r\nPING\r\n'));
      assert.deepEqual(p.next(), ['PING']);
      assert.equal(p.next(), null);
    }),
    { seed: SEED, numRuns: 1500 },
  );
  assert.equal(runs, 1500);
});

test('Fuzz - any argument vector encoded as RESP parses back to itself, however split', () => {
  fc.assert(
    fc.property(fc.array(args, { minLength: 1, maxLength: 5 }), splits, fc.boolean(), (requests, offsets, smallBig) => {
      const input = Buffer.concat(requests.map(resp));
      const p = new RequestParser(smallBig ? { bigArg: 4, stringArgMax: 16 } : {});
      const got = drain(p, cut(input, offsets));
      assert.equal(p.error, null);
      assert.deepEqual(
        got.map((argv) => argv.map((a) => (typeof a === 'string' ? Buffer.from(a, 'latin1') : a))),
        requests,
      );
      assert.equal(p.pending, 0);
    }),
    { seed: SEED, numRuns: 500 },
  );
});

/** Quotes an argument for an inline line: every byte as \xHH inside double quotes. */
function quoteHex(b: Buffer): string {
  let s = '"';
  for (const c of b) s += '\\x' + c.toString(16).padStart(2, '0');
  return s + '"';
}

test('Fuzz - any argument vector as a fully quoted inline line parses back to itself', () => {
  fc.assert(
    fc.property(args, splits, (argv, offsets) => {
      const line = Buffer.from('ECHO ' + argv.map(quoteHex).join(' ') + '\r\n', 'latin1');
      const p = new RequestParser();
      const got = drain(p, cut(line, offsets));
      assert.equal(p.error, null);
      assert.equal(got.length, 1);
      assert.deepEqual(got[0]!.slice(1).map((a) => Buffer.from(a as string, 'latin1')), argv);
    }),
    { seed: SEED, numRuns: 500 },
  );
});
