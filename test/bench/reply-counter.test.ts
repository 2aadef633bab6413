import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RespReplyCounter, TextReplyCounter, type ReplyCounter } from '../../src/bench/reply-counter.js';

/** Feeds `data` cut into pieces of `size` bytes; returns the replies counted. */
function feedSplit(counter: ReplyCounter, data: Buffer, size: number): number {
  let n = 0;
  for (let i = 0; i < data.length; i += size) n += counter.feed(data.subarray(i, i + size));
  return n;
}

const RESP_STREAM = Buffer.from(
  '+OK\r\n' + // SET
    '$-1\r\n' + // GET miss
    '$5\r\nhe\r\nl\r\n' + // GET hit, with CR LF inside the payload
    ':1\r\n' + // DEL
    '-ERR unknown command\r\n' +
    '*2\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n' + // one nested array reply
    '*0\r\n' +
    '*-1\r\n' +
    '$0\r\n\r\n',
);

test('reply counter - RESP replies counted whole, at every chunk size', () => {
  for (let size = 1; size <= RESP_STREAM.length; size++) {
    const c = new RespReplyCounter();
    assert.equal(feedSplit(c, RESP_STREAM, size), 9, `chunk size ${size}`);
    assert.equal(c.errors, 1);
    assert.equal(c.firstError, 'ERR unknown command');
  }
});

test('reply counter - RESP thousands of pipelined replies in one chunk', () => {
  const c = new RespReplyCounter();
  const one = Buffer.from('+OK\r\n$3\r\nabc\r\n:0\r\n$-1\r\n');
  assert.equal(c.feed(Buffer.concat(Array.from({ length: 2500 }, () => one))), 10000);
  assert.equal(c.errors, 0);
  assert.equal(c.firstError, null);
});

test('reply counter - RESP reply incomplete until its last byte', () => {
  const c = new RespReplyCounter();
  assert.equal(c.feed(Buffer.from('$3\r\nab')), 0);
  assert.equal(c.feed(Buffer.from('c\r')), 0);
  assert.equal(c.feed(Buffer.from('\n')), 1);
});

const TEXT_STREAM = Buffer.from('(nil)\nvalue\n(integer) 1\n(error) ERR wrong\n(empty array)\nabc\r\n(er\n');

test('reply counter - text dialect counts one line per reply, at every chunk size', () => {
  for (let size = 1; size <= TEXT_STREAM.length; size++) {
    const c = new TextReplyCounter();
    assert.equal(feedSplit(c, TEXT_STREAM, size), 7, `chunk size ${size}`);
    assert.equal(c.errors, 1, `chunk size ${size}`);
    assert.equal(c.firstError, '(error) ERR wrong');
    assert.equal(c.answersInResp, false);
  }
});

test('reply counter - text dialect switches to RESP when the server answers inline commands in RESP', () => {
  const c = new TextReplyCounter();
  assert.equal(c.feed(Buffer.from('+PONG\r\n$3\r\nabc\r\n-ERR x\r\n')), 3);
  assert.equal(c.answersInResp, true);
  assert.equal(c.errors, 1);
  assert.equal(c.firstError, 'ERR x');
});
