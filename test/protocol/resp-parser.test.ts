/**
 * RequestParser: both dialects whole, split at every byte and pipelined by the
 * thousand; big bulks assembled in place; every protocol error with Redis
 * 7.0.15's exact text (checked against a live redis-server by sending it the
 * same bytes); limits lowered through the constructor.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseIntBytes, REQUEST_ARGS, REQUEST_NONE, REQUEST_RAW, RequestParser, type Arg } from '../../src/protocol/resp-parser.js';
import { PROTO_MAX_BULK_LEN, PROTO_MULTIBULK_MAX, type ParserLimits } from '../../src/protocol/limits.js';

/** A RESP multibulk request (local: the protocol tests load no server code). */
function resp(...args: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

interface Parsed {
  requests: Arg[][];
  /** The `inline` flag after each request. */
  inline: boolean[];
  error: string | null;
}

/** Feeds `chunks` in order, collecting every complete request. */
function feed(parser: RequestParser, chunks: Buffer[]): Parsed {
  const out: Parsed = { requests: [], inline: [], error: null };
  for (const c of chunks) {
    parser.append(c);
    for (let argv = parser.next(); argv !== null; argv = parser.next()) {
      out.requests.push(argv);
      out.inline.push(parser.inline);
    }
    if (parser.error !== null) break;
  }
  out.error = parser.error;
  return out;
}

function parse(input: Buffer | string, limits: Partial<ParserLimits> = {}): Parsed {
  return feed(new RequestParser(limits), [typeof input === 'string' ? Buffer.from(input, 'latin1') : input]);
}

/** Splits `b` into chunks of `size` bytes. */
function chunked(b: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/** A mixed batch: RESP with empty and binary bulks, inline with quotes, blank lines, empty multibulks. */
const MIXED = Buffer.concat([
  resp('SET', 'key', 'value'),
  Buffer.from('GET key\r\n'),
  resp('ECHO', ''),
  Buffer.from('*0\r\n\r\n  \n'),
  resp('SET', ALL_BYTES, ALL_BYTES),
  Buffer.from('set "a b" \'c d\' "\\x41\\n"\n'),
  Buffer.from('*-1\r\n'),
  resp('MSET', 'k1', 'v1', 'k2', 'v2'),
  Buffer.from('PING\r\n'),
]);
const MIXED_EXPECTED: Arg[][] = [
  ['SET', 'key', 'value'],
  ['GET', 'key'],
  ['ECHO', ''],
  ['SET', ALL_BYTES.toString('latin1'), ALL_BYTES.toString('latin1')],
  ['set', 'a b', 'c d', 'A\n'],
  ['MSET', 'k1', 'v1', 'k2', 'v2'],
  ['PING'],
];
const MIXED_INLINE = [false, true, false, false, true, false, true];

describe('RESP parser - whole requests', () => {
  test('A multibulk request parses into latin1 string arguments', () => {
    const r = parse(resp('SET', 'key', 'value'));
    assert.deepEqual(r.requests, [['SET', 'key', 'value']]);
    assert.deepEqual(r.inline, [false]);
    assert.equal(r.error, null);
  });

  test('Every byte value round-trips in a bulk', () => {
    const r = parse(resp('ECHO', ALL_BYTES));
    assert.equal(r.requests.length, 1);
    assert.deepEqual(Buffer.from(r.requests[0]![1] as string, 'latin1'), ALL_BYTES);
  });

  test('A mixed batch of both dialects parses in order with the right dialect flags', () => {
    const r = parse(MIXED);
    assert.deepEqual(r.requests, MIXED_EXPECTED);
    assert.deepEqual(r.inline, MIXED_INLINE);
    assert.equal(r.error, null);
  });

  test('Empty multibulks (*0, *-1) and blank lines are skipped, as in Redis', () => {
    const r = parse('*0\r\n*-1\r\n*-5\r\n\r\n\n   \r\nPING\r\n');
    assert.deepEqual(r.requests, [['PING']]);
  });

  test('The two bytes after a bulk are skipped without being checked, as in Redis', () => {
    // redis-server answers this with two +PONG.
    const r = parse('*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n');
    assert.deepEqual(r.requests, [['PING'], ['PING']]);
  });

  test('An incomplete request yields nothing until the rest arrives', () => {
    const p = new RequestParser();
    p.append(Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\nhel'));
    assert.equal(p.next(), null);
    assert.equal(p.error, null);
    p.append(Buffer.from('lo\r\n'));
    assert.deepEqual(p.next(), ['ECHO', 'hello']);
    assert.equal(p.next(), null);
    assert.equal(p.pending, 0);
  });

  test('parseIntBytes follows string2ll: no plus sign, no leading zeros, no spaces', () => {
    const n = (s: string): number => parseIntBytes(Buffer.from(s), 0, s.length);
    assert.equal(n('0'), 0);
    assert.equal(n('123'), 123);
    assert.equal(n('-7'), -7);
    for (const bad of ['', '-', '+1', '01', '-0', ' 1', '1 ', '1a', '99999999999999999999999']) assert.ok(Number.isNaN(n(bad)), bad);
  });
});

describe('RESP parser - split input', () => {
  test('The mixed batch split at every byte into two chunks parses the same', () => {
    let checked = 0;
    for (let i = 1; i < MIXED.length; i++) {
      const r = feed(new RequestParser(), [MIXED.subarray(0, i), MIXED.subarray(i)]);
      assert.deepEqual(r.requests, MIXED_EXPECTED, `split at ${i}`);
      assert.deepEqual(r.inline, MIXED_INLINE, `split at ${i}`);
      checked++;
    }
    assert.equal(checked, MIXED.length - 1);
  });

  test('The mixed batch in one-byte chunks parses the same', () => {
    const p = new RequestParser();
    const r = feed(p, chunked(MIXED, 1));
    assert.deepEqual(r.requests, MIXED_EXPECTED);
    assert.equal(p.pending, 0);
  });

  test('Chunks of every size from 2 to 64 bytes parse the same', () => {
    for (let size = 2; size <= 64; size++) {
      assert.deepEqual(feed(new RequestParser(), chunked(MIXED, size)).requests, MIXED_EXPECTED, `size ${size}`);
    }
  });

  test('A request split at every byte with big-bulk assembly forced (bigArg 4) parses the same', () => {
    const req = resp('SET', 'a-key-longer-than-four', ALL_BYTES);
    const expected = [['SET', 'a-key-longer-than-four', ALL_BYTES.toString('latin1')]];
    for (let i = 1; i < req.length; i++) {
      const r = feed(new RequestParser({ bigArg: 4 }), [req.subarray(0, i), req.subarray(i)]);
      assert.deepEqual(r.requests, expected, `split at ${i}`);
    }
    assert.deepEqual(feed(new RequestParser({ bigArg: 4 }), chunked(req, 1)).requests, expected);
  });
});

describe('RESP parser - pipelining', () => {
  test('10,000 requests in one chunk all parse, in order', () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 10_000; i++) parts.push(i % 3 === 0 ? Buffer.from(`SET k${i} v${i}\r\n`) : resp('SET', `k${i}`, `v${i}`));
    const r = parse(Buffer.concat(parts));
    assert.equal(r.requests.length, 10_000);
    for (let i = 0; i < 10_000; i++) {
      assert.deepEqual(r.requests[i], ['SET', `k${i}`, `v${i}`]);
      assert.equal(r.inline[i], i % 3 === 0);
    }
  });

  test('5,000 pipelined requests in 7-byte chunks all parse, in order', () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 5_000; i++) parts.push(resp('INCR', `counter:${i}`));
    const r = feed(new RequestParser(), chunked(Buffer.concat(parts), 7));
    assert.equal(r.requests.length, 5_000);
    assert.deepEqual(r.requests[4_999], ['INCR', 'counter:4999']);
  });
});

/**
 * Feeds `chunks` and reads each request through nextRequest(), checking
 * that a REQUEST_RAW request's offsets hold exactly the bytes args() makes
 * strings of. Returns the requests and the kind each came as.
 */
function feedRequests(parser: RequestParser, chunks: Buffer[]): { requests: Arg[][]; kinds: number[] } {
  const requests: Arg[][] = [];
  const kinds: number[] = [];
  for (const c of chunks) {
    parser.append(c);
    for (let kind = parser.nextRequest(); kind !== REQUEST_NONE; kind = parser.nextRequest()) {
      let fromBytes: string[] | null = null;
      if (kind === REQUEST_RAW) {
        const raw = parser.raw;
        fromBytes = [parser.name];
        for (let i = 1; i < raw.argc; i++) fromBytes.push(raw.buf.latin1Slice(raw.start[i]!, raw.start[i]! + raw.len[i]!));
      }
      const argv = parser.args();
      assert.equal(parser.name, argv[0]);
      if (fromBytes !== null) assert.deepEqual(fromBytes, argv);
      requests.push(argv);
      kinds.push(kind);
    }
  }
  return { requests, kinds };
}

describe('RESP parser - requests left as bytes', () => {
  const batch = Buffer.concat([
    resp('SET', 'key', 'value'),
    resp('GET', ALL_BYTES),
    resp('MSET', ...Array.from({ length: 40 }, (_, i) => `k${i}`)), // past the 32 offsets a request starts with
    resp('SET', '', ''),
    Buffer.from('GET inline\r\n'),
    resp('get', 'key'),
  ]);
  const whole = feedRequests(new RequestParser(), [batch]);

  test('a multibulk that arrives whole stays bytes; an inline request is strings', () => {
    assert.deepEqual(whole.kinds, [REQUEST_RAW, REQUEST_RAW, REQUEST_RAW, REQUEST_RAW, REQUEST_ARGS, REQUEST_RAW]);
    assert.equal(whole.requests[2]!.length, 41);
    assert.equal(whole.requests[1]![1], ALL_BYTES.latin1Slice(0, 256));
  });

  test('split at every byte, every request has the same arguments, whichever form it came in', () => {
    for (let at = 1; at < batch.length; at++) {
      const got = feedRequests(new RequestParser(), [batch.subarray(0, at), batch.subarray(at)]);
      assert.deepEqual(got.requests, whole.requests, `split at ${at}`);
      // Only the request the cut falls in may change form.
      assert.ok(got.kinds.filter((k, i) => k !== whole.kinds[i]).length <= 1, `split at ${at}`);
    }
  });

  test('a big bulk still arriving turns the request into strings', () => {
    const big = Buffer.alloc(100, 'x');
    const req = resp('SET', 'bk', big);
    const got = feedRequests(new RequestParser({ bigArg: 64 }), [req.subarray(0, 20), req.subarray(20)]);
    assert.deepEqual(got.kinds, [REQUEST_ARGS]);
    assert.deepEqual(got.requests, [['SET', 'bk', big.latin1Slice(0, 100)]]);
  });

  test('an argument longer than stringArgMax becomes a Buffer in args()', () => {
    const p = new RequestParser({ stringArgMax: 4 });
    p.append(resp('SET', 'k', 'longer'));
    assert.equal(p.nextRequest(), REQUEST_RAW);
    const argv = p.args();
    assert.equal(argv[1], 'k');
    assert.ok(Buffer.isBuffer(argv[2]));
    assert.equal((argv[2] as Buffer).toString(), 'longer');
  });
});

describe('RESP parser - big bulks', () => {
  const BIG = Buffer.alloc(100 * 1024);
  for (let i = 0; i < BIG.length; i++) BIG[i] = (i * 7) & 255;
  const req = Buffer.concat([resp('SET', 'big', BIG), resp('GET', 'big')]);

  test('A 100 KB bulk in one chunk parses exactly', () => {
    const r = parse(req);
    assert.equal(r.requests.length, 2);
    assert.deepEqual(Buffer.from(r.requests[0]![2] as string, 'latin1'), BIG);
    assert.deepEqual(r.requests[1], ['GET', 'big']);
  });

  test('A 100 KB bulk in 1000-byte chunks is assembled in place and counted in pending', () => {
    const p = new RequestParser();
    let sent = 0;
    let complete: Arg[][] = [];
    for (const c of chunked(req, 1000)) {
      p.append(c);
      sent += c.length;
      for (let argv = p.next(); argv !== null; argv = p.next()) complete.push(argv);
      if (complete.length === 0) {
        // Only the header bytes already parsed are not counted.
        assert.ok(p.pending <= sent && p.pending >= sent - 64, `pending ${p.pending} after ${sent}`);
      }
    }
    assert.equal(complete.length, 2);
    assert.deepEqual(Buffer.from(complete[0]![2] as string, 'latin1'), BIG);
    assert.equal(p.pending, 0);
    complete = [];
  });

  test('A huge announced bulk holds only what arrived', () => {
    const p = new RequestParser();
    const before = process.memoryUsage().arrayBuffers;
    p.append(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$400000000\r\n'));
    let sent = 0;
    const piece = Buffer.alloc(64 * 1024, 120);
    for (let i = 0; i < 16; i++) {
      p.append(piece);
      sent += piece.length;
      assert.equal(p.next(), null);
    }
    assert.equal(p.error, null);
    assert.equal(p.pending, sent);
    // 400 MB was announced; about 1 MB arrived. Allow generous slack for other allocations.
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 64 * 1024 * 1024, `array buffers grew by ${grown}`);
    p.reset();
    assert.equal(p.pending, 0);
  });

  test('A bulk longer than stringArgMax comes out as a Buffer', () => {
    const r = parse(resp('SET', 'k', 'x'.repeat(100)), { stringArgMax: 10 });
    assert.ok(Buffer.isBuffer(r.requests[0]![2]));
    assert.equal((r.requests[0]![2] as Buffer).toString(), 'x'.repeat(100));
    assert.equal(typeof r.requests[0]![1], 'string');
  });

  test('A big bulk longer than stringArgMax, assembled in place, comes out as a Buffer', () => {
    const p = new RequestParser({ stringArgMax: 1000, bigArg: 100 });
    const r = feed(p, chunked(resp('SET', 'k', BIG), 4096));
    assert.ok(Buffer.isBuffer(r.requests[0]![2]));
    assert.deepEqual(r.requests[0]![2], BIG);
  });
});

describe('RESP parser - protocol errors', () => {
  // Each expectation is redis-server 7.0.15's reply to the same bytes.
  const cases: [string, string][] = [
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*01\r\n', 'Protocol error: invalid multibulk length'],
    ['*-0\r\n', 'Protocol error: invalid multibulk length'],
    ['* 1\r\n', 'Protocol error: invalid multibulk length'],
    ['*1 \r\n', 'Protocol error: invalid multibulk length'],
    ['*\r\n', 'Protocol error: invalid multibulk length'],
    ['*2147483648\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$+1\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$04\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$-0\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\n$536870913\r\n', 'Protocol error: invalid bulk length'],
    ['*1\r\nx\r\n', "Protocol error: expected '$', got 'x'"],
    ['*1\r\n\r\n', "Protocol error: expected '$', got ' '"],
    ['*1\rx\n$4\r\nPING\r\n', "Protocol error: expected '$', got ' '"],
    ['*1048577\r\nQUIT\r\n', "Protocol error: expected '$', got 'Q'"],
    ['"unbalanced\r\n', 'Protocol error: unbalanced quotes in request'],
    ['set "a"b c\r\n', 'Protocol error: unbalanced quotes in request'],
  ];
  for (const [input, message] of cases) {
    test(`${JSON.stringify(input)} -> ${message}`, () => {
      const r = parse(input);
      assert.deepEqual(r.requests, []);
      assert.equal(r.error, message);
    });
  }

  test('The same errors arrive when the input comes one byte at a time', () => {
    for (const [input, message] of cases) {
      const r = feed(new RequestParser(), chunked(Buffer.from(input, 'latin1'), 1));
      assert.equal(r.error, message, JSON.stringify(input));
    }
  });

  test('Requests before a bad one in the same chunk are returned first', () => {
    const r = parse('PING\r\n*1\r\n$4\r\nPING\r\n*x\r\nPING\r\n');
    assert.deepEqual(r.requests, [['PING'], ['PING']]);
    assert.equal(r.error, 'Protocol error: invalid multibulk length');
  });

  test('After an error next() returns null until reset, and a reset parser works again', () => {
    const p = new RequestParser();
    p.append(Buffer.from('*x\r\n'));
    assert.equal(p.next(), null);
    assert.equal(p.error, 'Protocol error: invalid multibulk length');
    p.append(resp('PING'));
    assert.equal(p.next(), null);
    p.reset();
    assert.equal(p.error, null);
    p.append(resp('PING'));
    assert.deepEqual(p.next(), ['PING']);
  });

  test('The inline flag tells which dialect the bad request had', () => {
    const p1 = new RequestParser();
    feed(p1, [Buffer.from('PING\r\n"x\r\n')]);
    assert.equal(p1.inline, true);
    const p2 = new RequestParser();
    feed(p2, [Buffer.from('PING\r\n*x\r\n')]);
    assert.equal(p2.inline, false);
  });

  test('*2147483647 (INT_MAX) is accepted and costs nothing until arguments arrive', () => {
    assert.equal(PROTO_MULTIBULK_MAX, 2147483647);
    const p = new RequestParser();
    const before = process.memoryUsage().arrayBuffers;
    p.append(Buffer.from(`*${PROTO_MULTIBULK_MAX}\r\n`));
    assert.equal(p.next(), null);
    assert.equal(p.error, null);
    assert.equal(p.pending, 0);
    assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
  });

  test('*1048577 is accepted: its arguments are read as they arrive', () => {
    const p = new RequestParser();
    p.append(Buffer.from('*1048577\r\n'));
    assert.equal(p.next(), null);
    assert.equal(p.error, null);
    assert.equal(p.pending, 0);
    p.append(Buffer.concat(Array.from({ length: 1000 }, () => Buffer.from('$1\r\nx\r\n'))));
    assert.equal(p.next(), null);
    assert.equal(p.error, null);
    assert.equal(p.pending, 0);
  });
});

describe('RESP parser - limits are constructor parameters', () => {
  test('maxBulkLen: a bulk at the limit parses, one byte more is an invalid bulk length', () => {
    assert.deepEqual(parse(resp('ECHO', 'x'.repeat(10)), { maxBulkLen: 10 }).requests, [['ECHO', 'x'.repeat(10)]]);
    assert.equal(parse(resp('ECHO', 'x'.repeat(11)), { maxBulkLen: 10 }).error, 'Protocol error: invalid bulk length');
    assert.equal(PROTO_MAX_BULK_LEN, 512 * 1024 * 1024);
  });

  test('maxMultibulkLen: a count past it is an invalid multibulk length', () => {
    assert.deepEqual(parse(resp('MSET', 'a', 'b'), { maxMultibulkLen: 3 }).requests, [['MSET', 'a', 'b']]);
    assert.equal(parse(resp('MSET', 'a', 'b', 'c'), { maxMultibulkLen: 3 }).error, 'Protocol error: invalid multibulk length');
  });

  test('maxInlineSize: an inline line without newline past it is too big', () => {
    const limits = { maxInlineSize: 16 };
    assert.deepEqual(parse('PING\r\n' + 'a'.repeat(16), limits).error, null);
    const r = parse('PING\r\n' + 'a'.repeat(17), limits);
    assert.deepEqual(r.requests, [['PING']]);
    assert.equal(r.error, 'Protocol error: too big inline request');
    // A complete line may be longer: the limit bounds what waits for a newline.
    assert.deepEqual(parse('ECHO ' + 'a'.repeat(40) + '\r\n', limits).requests, [['ECHO', 'a'.repeat(40)]]);
  });

  test('maxInlineSize also bounds the *N and $N header lines', () => {
    const limits = { maxInlineSize: 16 };
    assert.equal(parse('*' + '1'.repeat(17), limits).error, 'Protocol error: too big mbulk count string');
    assert.equal(parse('*' + '1'.repeat(15), limits).error, null);
    assert.equal(parse('*1\r\n$' + '1'.repeat(16), limits).error, 'Protocol error: too big bulk count string');
    assert.equal(parse('*1\r\n$' + '1'.repeat(15), limits).error, null);
  });

  test('Default 64 KB inline limit: 64 KB without newline waits, one byte more is an error', () => {
    const K = 64 * 1024;
    assert.equal(parse('PING\r\n' + 'a'.repeat(K)).error, null);
    assert.equal(parse('PING\r\n' + 'a'.repeat(K + 1)).error, 'Protocol error: too big inline request');
    assert.equal(parse('*' + '1'.repeat(K + 1)).error, 'Protocol error: too big mbulk count string');
    assert.equal(parse('*1\r\n$' + '1'.repeat(K)).error, 'Protocol error: too big bulk count string');
  });

  test('bigArg: bulks at or above it are assembled in place and still parse exactly', () => {
    const value = 'v'.repeat(1000);
    const r = feed(new RequestParser({ bigArg: 64 }), chunked(Buffer.concat([resp('SET', 'k', value), resp('GET', 'k')]), 100));
    assert.deepEqual(r.requests, [['SET', 'k', value], ['GET', 'k']]);
  });
});
