/**
 * ReplyWriter: every reply in RESP2, RESP3 and the text dialect. The text
 * expectations follow redis-cli's TTY output (cliFormatReplyTTY) as printed by
 * `redis-cli --no-raw` against redis-server 7.0.15 for the same structures,
 * except that the text dialect writes bulk strings raw (the seed's replies)
 * where redis-cli quotes them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDouble, hasErrorCode, MODE_RESP2, MODE_RESP3, MODE_TEXT, ReplyWriter, type ReplyMode, type ReplyTarget } from '../../src/protocol/reply-writer.js';

class Sink implements ReplyTarget {
  readonly chunks: Buffer[] = [];
  sendReply(data: Buffer): void {
    this.chunks.push(data);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

/** Runs `write` against a fresh writer in `mode` and returns everything flushed. */
function render(mode: ReplyMode, write: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  const sink = new Sink();
  w.begin(sink);
  w.mode = mode;
  write(w);
  w.flush();
  assert.equal(w.pendingBytes, 0);
  return sink.text();
}

/** [name, writer calls, RESP2, RESP3, text] */
const SCALARS: [string, (w: ReplyWriter) => void, string, string, string][] = [
  ['ok', (w) => w.ok(), '+OK\r\n', '+OK\r\n', 'OK\n'],
  ['setOk (the seed answered SET with (nil))', (w) => w.setOk(), '+OK\r\n', '+OK\r\n', '(nil)\n'],
  ['simple', (w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n', 'PONG\n'],
  ['error without a code gets ERR', (w) => w.error('syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n', '(error) ERR syntax error\n'],
  ['error with its own code', (w) => w.error('WRONGTYPE Operation against a key holding the wrong kind of value'), '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', '-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', '(error) WRONGTYPE Operation against a key holding the wrong kind of value\n'],
  ['error with CR and LF inside', (w) => w.error("unknown command 'a\r\nb'"), "-ERR unknown command 'a  b'\r\n", "-ERR unknown command 'a  b'\r\n", "(error) ERR unknown command 'a  b'\n"],
  ['integer 0', (w) => w.integer(0), ':0\r\n', ':0\r\n', '(integer) 0\n'],
  ['integer 1023 (shared)', (w) => w.integer(1023), ':1023\r\n', ':1023\r\n', '(integer) 1023\n'],
  ['integer 1024', (w) => w.integer(1024), ':1024\r\n', ':1024\r\n', '(integer) 1024\n'],
  ['negative integer', (w) => w.integer(-42), ':-42\r\n', ':-42\r\n', '(integer) -42\n'],
  ['largest safe integer', (w) => w.integer(9007199254740991), ':9007199254740991\r\n', ':9007199254740991\r\n', '(integer) 9007199254740991\n'],
  ['most negative safe integer', (w) => w.integer(-9007199254740991), ':-9007199254740991\r\n', ':-9007199254740991\r\n', '(integer) -9007199254740991\n'],
  ['bigInteger', (w) => w.bigInteger('9223372036854775807'), ':9223372036854775807\r\n', ':9223372036854775807\r\n', '(integer) 9223372036854775807\n'],
  ['bulk', (w) => w.bulk('value'), '$5\r\nvalue\r\n', '$5\r\nvalue\r\n', 'value\n'],
  ['empty bulk', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n', '\n'],
  ['binary bulk', (w) => w.bulk('\x00\xff\r\n'), '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n', '\x00\xff\r\n\n'],
  ['bulk of 2000 bytes (header beyond the shared ones)', (w) => w.bulk('x'.repeat(2000)), '$2000\r\n' + 'x'.repeat(2000) + '\r\n', '$2000\r\n' + 'x'.repeat(2000) + '\r\n', 'x'.repeat(2000) + '\n'],
  ['bulkBuffer', (w) => w.bulkBuffer(Buffer.from([0, 1, 255])), '$3\r\n\x00\x01\xff\r\n', '$3\r\n\x00\x01\xff\r\n', '\x00\x01\xff\n'],
  ['bulkBytes from a view into a larger array', (w) => w.bulkBytes(Uint8Array.from([9, 0, 1, 255, 9]), 1, 3), '$3\r\n\x00\x01\xff\r\n', '$3\r\n\x00\x01\xff\r\n', '\x00\x01\xff\n'],
  ['bulkBytes past the copy loop (40 bytes)', (w) => w.bulkBytes(Buffer.from('<' + 'z'.repeat(40) + '>', 'latin1'), 1, 40), '$40\r\n' + 'z'.repeat(40) + '\r\n', '$40\r\n' + 'z'.repeat(40) + '\r\n', 'z'.repeat(40) + '\n'],
  ['empty bulkBytes', (w) => w.bulkBytes(new Uint8Array(4), 2, 0), '$0\r\n\r\n', '$0\r\n\r\n', '\n'],
  ['nullBulk', (w) => w.nullBulk(), '$-1\r\n', '_\r\n', '(nil)\n'],
  ['nullArray', (w) => w.nullArray(), '*-1\r\n', '_\r\n', '(nil)\n'],
  ['empty array', (w) => w.arrayHeader(0), '*0\r\n', '*0\r\n', '(empty array)\n'],
  ['double', (w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n', '1.5\n'],
  ['double inf', (w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n', '-inf\n'],
  ['bool true', (w) => w.bool(true), ':1\r\n', '#t\r\n', '(integer) 1\n'],
  ['bool false', (w) => w.bool(false), ':0\r\n', '#f\r\n', '(integer) 0\n'],
  ['verbatim', (w) => w.verbatim('a\r\nb'), '$4\r\na\r\nb\r\n', '=8\r\ntxt:a\r\nb\r\n', 'a\r\nb\n'],
  ['array of two bulks', (w) => { w.arrayHeader(2); w.bulk('a'); w.bulk('b'); }, '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '*2\r\n$1\r\na\r\n$1\r\nb\r\n', '1) a\n2) b\n'],
  ['map of one pair', (w) => { w.mapHeader(1); w.bulk('port'); w.bulk('6379'); }, '*2\r\n$4\r\nport\r\n$4\r\n6379\r\n', '%1\r\n$4\r\nport\r\n$4\r\n6379\r\n', '1) port\n2) 6379\n'],
  ['set of two', (w) => { w.setHeader(2); w.bulk('x'); w.integer(1); }, '*2\r\n$1\r\nx\r\n:1\r\n', '~2\r\n$1\r\nx\r\n:1\r\n', '1) x\n2) (integer) 1\n'],
];

describe('Reply writer - scalars and flat aggregates', () => {
  for (const [name, write, r2, r3, text] of SCALARS) {
    test(`${name} - RESP2, RESP3 and text`, () => {
      assert.equal(render(MODE_RESP2, write), r2);
      assert.equal(render(MODE_RESP3, write), r3);
      assert.equal(render(MODE_TEXT, write), text);
    });
  }

  test('hasErrorCode knows codes only in upper case at the start', () => {
    assert.equal(hasErrorCode('WRONGTYPE x'), true);
    assert.equal(hasErrorCode('NOPROTO'), true);
    assert.equal(hasErrorCode('wrongtype x'), false);
    assert.equal(hasErrorCode('Protocol error: x'), false);
  });

  test('formatDouble uses inf, -inf, nan and shortest round-trip digits', () => {
    assert.equal(formatDouble(Infinity), 'inf');
    assert.equal(formatDouble(NaN), 'nan');
    assert.equal(formatDouble(0.1 + 0.2), '0.30000000000000004');
    assert.equal(formatDouble(3), '3');
  });
});

describe('Reply writer - text dialect arrays like redis-cli', () => {
  test('Indexes are right-aligned to the widest index and nested arrays are indented', () => {
    // redis-cli --no-raw eval "return {{1,...,10},'a',{},{'x',{'y','z'}},11,...,17,false}" 0
    const out = render(MODE_TEXT, (w) => {
      w.arrayHeader(12);
      w.arrayHeader(10);
      for (let i = 1; i <= 10; i++) w.integer(i);
      w.bulk('a');
      w.arrayHeader(0);
      w.arrayHeader(2);
      w.bulk('x');
      w.arrayHeader(2);
      w.bulk('y');
      w.bulk('z');
      for (let i = 11; i <= 17; i++) w.integer(i);
      w.nullBulk();
    });
    assert.equal(out, [
      ' 1)  1) (integer) 1',
      '     2) (integer) 2',
      '     3) (integer) 3',
      '     4) (integer) 4',
      '     5) (integer) 5',
      '     6) (integer) 6',
      '     7) (integer) 7',
      '     8) (integer) 8',
      '     9) (integer) 9',
      '    10) (integer) 10',
      ' 2) a',
      ' 3) (empty array)',
      ' 4) 1) x',
      '    2) 1) y',
      '       2) z',
      ' 5) (integer) 11',
      ' 6) (integer) 12',
      ' 7) (integer) 13',
      ' 8) (integer) 14',
      ' 9) (integer) 15',
      '10) (integer) 16',
      '11) (integer) 17',
      '12) (nil)',
      '',
    ].join('\n'));
  });

  test('Deep nesting ending in an empty array closes every level', () => {
    // redis-cli --no-raw eval "return {'a',{'b',{'c',{}}}}" 0
    const out = render(MODE_TEXT, (w) => {
      w.arrayHeader(2);
      w.bulk('a');
      w.arrayHeader(2);
      w.bulk('b');
      w.arrayHeader(2);
      w.bulk('c');
      w.arrayHeader(0);
      w.bulk('after');
    });
    assert.equal(out, '1) a\n2) 1) b\n   2) 1) c\n      2) (empty array)\nafter\n');
  });

  test('Errors and status replies inside an array get their index', () => {
    const out = render(MODE_TEXT, (w) => {
      w.arrayHeader(3);
      w.ok();
      w.error('boom');
      w.nullArray();
    });
    assert.equal(out, '1) OK\n2) (error) ERR boom\n3) (nil)\n');
  });

  test('Consecutive replies in one batch each start at the left margin', () => {
    const out = render(MODE_TEXT, (w) => {
      w.setOk();
      w.bulk('value');
      w.arrayHeader(1);
      w.bulk('key');
      w.integer(1);
    });
    assert.equal(out, '(nil)\nvalue\n1) key\n(integer) 1\n');
  });

  test('A map in the text dialect reads as a flat array of its pairs', () => {
    const out = render(MODE_TEXT, (w) => {
      w.mapHeader(2);
      w.bulk('a');
      w.integer(1);
      w.bulk('b');
      w.integer(2);
    });
    assert.equal(out, '1) a\n2) (integer) 1\n3) b\n4) (integer) 2\n');
  });
});

describe('Reply writer - buffers, targets and big values', () => {
  test('Nested RESP3 aggregates encode in order', () => {
    const out = render(MODE_RESP3, (w) => {
      w.mapHeader(2);
      w.bulk('proto');
      w.integer(3);
      w.bulk('modules');
      w.arrayHeader(0);
    });
    assert.equal(out, '%2\r\n$5\r\nproto\r\n:3\r\n$7\r\nmodules\r\n*0\r\n');
  });

  test('A batch of replies leaves in one flush', () => {
    const w = new ReplyWriter();
    const sink = new Sink();
    w.begin(sink);
    for (let i = 0; i < 1000; i++) w.integer(i);
    assert.equal(sink.chunks.length, 0);
    w.flush();
    assert.equal(sink.chunks.length, 1);
    assert.equal(sink.text().length, Array.from({ length: 1000 }, (_, i) => `:${i}\r\n`).join('').length);
  });

  test('A batch larger than the 64 KB scratch grows it and stays in order', () => {
    const out = render(MODE_RESP2, (w) => {
      for (let i = 0; i < 20_000; i++) w.bulk(`value-${i}`);
    });
    const expected = Array.from({ length: 20_000 }, (_, i) => `$${String(i).length + 6}\r\nvalue-${i}\r\n`).join('');
    assert.equal(out, expected);
  });

  test('Switching targets flushes what is pending for the previous one', () => {
    const w = new ReplyWriter();
    const a = new Sink();
    const b = new Sink();
    w.begin(a);
    w.simple('A');
    w.begin(b);
    assert.equal(a.text(), '+A\r\n');
    w.simple('B');
    w.flush();
    assert.equal(b.text(), '+B\r\n');
    assert.equal(a.chunks.length, 1);
  });

  for (const [name, write] of [
    ['bulk', (w: ReplyWriter, v: Buffer) => w.bulk(v.toString('latin1'))],
    ['bulkBuffer', (w: ReplyWriter, v: Buffer) => w.bulkBuffer(v)],
    ['bulkBytes', (w: ReplyWriter, v: Buffer) => w.bulkBytes(v, 0, v.length)],
  ] as const) {
    test(`A big value (${name}, 1 MB) is written directly, after the pending replies, in order`, () => {
      const value = Buffer.alloc(1024 * 1024, 'v');
      const w = new ReplyWriter();
      const sink = new Sink();
      w.begin(sink);
      w.ok();
      write(w, value);
      w.integer(7);
      w.flush();
      // Pending "+OK" and the header, then the value on its own, then the rest.
      assert.equal(sink.chunks.length, 3);
      assert.equal(sink.chunks[0]!.toString('latin1'), '+OK\r\n$1048576\r\n');
      assert.deepEqual(sink.chunks[1], value);
      assert.equal(sink.chunks[2]!.toString('latin1'), '\r\n:7\r\n');
    });
  }

  test('A big value in the text dialect is written raw with its newline', () => {
    const value = 'y'.repeat(300 * 1024);
    assert.equal(render(MODE_TEXT, (w) => w.bulk(value)), value + '\n');
  });

  test('flush with nothing pending sends nothing', () => {
    const w = new ReplyWriter();
    const sink = new Sink();
    w.begin(sink);
    w.flush();
    assert.equal(sink.chunks.length, 0);
  });
});
