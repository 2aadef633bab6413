/**
 * Inline requests split like Redis's sdssplitargs. Every expectation below was
 * checked against redis-server 7.0.15 by sending `ECHO <input>` (or the input
 * itself) as an inline request and reading its RESP reply.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { splitInlineArgs } from '../../src/protocol/inline-parser.js';
import { RequestParser } from '../../src/protocol/resp-parser.js';

function split(line: string): string[] | null {
  const b = Buffer.from(line, 'latin1');
  return splitInlineArgs(b, 0, b.length);
}

/** Runs one inline request line through the request parser. */
function parseLine(input: string): { argv: string[][]; error: string | null } {
  const p = new RequestParser();
  p.append(Buffer.from(input, 'latin1'));
  const argv: string[][] = [];
  for (let a = p.next(); a !== null; a = p.next()) argv.push(a as string[]);
  return { argv, error: p.error };
}

describe('Inline splitting - like sdssplitargs', () => {
  const cases: [string, string[] | null][] = [
    ['SET key value', ['SET', 'key', 'value']],
    ['  SET   key\tvalue  ', ['SET', 'key', 'value']],
    ['', []],
    ['   \t ', []],
    ['ECHO "a b"', ['ECHO', 'a b']],
    ["ECHO 'a b'", ['ECHO', 'a b']],
    ['ECHO ""', ['ECHO', '']],
    ["ECHO ''", ['ECHO', '']],
    ['ECHO "" x', ['ECHO', '', 'x']],
    // Escapes inside double quotes: \n \r \t \b \a, \xHH (either case of hex digits), anything else is itself.
    ['ECHO "\\x41\\x4g\\q\\n"', ['ECHO', 'Ax4gq\n']],
    ['ECHO "\\r\\b\\a\\t"', ['ECHO', '\r\b\x07\t']],
    ['ECHO "\\xff\\x00"', ['ECHO', '\xff\x00']],
    ['ECHO "\\xFf"', ['ECHO', '\xff']],
    ['ECHO "\\XFF"', ['ECHO', 'XFF']],
    ['ECHO "\\x4"', ['ECHO', 'x4']],
    ['ECHO "\\x"', ['ECHO', 'x']],
    ['ECHO "a\\\\b"', ['ECHO', 'a\\b']],
    ['ECHO "say \\"hi\\""', ['ECHO', 'say "hi"']],
    // Single quotes understand only \'.
    ["ECHO 'a\\'b\\n'", ['ECHO', "a'b\\n"]],
    ["ECHO 'a\\\\b'", ['ECHO', 'a\\\\b']],
    // Quotes may start mid-token; the closing quote must end it.
    ['ECHO ab"c d"', ['ECHO', 'abc d']],
    ["ECHO a'b c'", ['ECHO', 'ab c']],
    ['ECHO ab"c d"e', null],
    ['ECHO "a"b', null],
    ["ECHO 'a'b", null],
    ['ECHO "unterminated', null],
    ["ECHO 'unterminated", null],
    ['ECHO "ends with backslash\\"', null],
    // \v and \f separate arguments between tokens and after a closing quote,
    // but do not end an unquoted token (only space, \t, \r, \n do).
    ['ECHO a\vb', ['ECHO', 'a\vb']],
    ['ECHO a\fb', ['ECHO', 'a\fb']],
    ['ECHO "a"\vx', ['ECHO', 'a', 'x']],
    ['\v\fPING', ['PING']],
    ['ECHO \xff\xfe', ['ECHO', '\xff\xfe']],
  ];
  for (const [line, expected] of cases) {
    test(`${JSON.stringify(line)} -> ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(split(line), expected);
    });
  }

  test('Only the given range of the buffer is read', () => {
    const b = Buffer.from('xxSET a "b c"yy');
    assert.deepEqual(splitInlineArgs(b, 2, b.length - 2), ['SET', 'a', 'b c']);
  });
});

describe('Inline requests - line endings and errors', () => {
  test('CRLF and bare LF both end a request', () => {
    assert.deepEqual(parseLine('PING\r\nECHO x\nECHO y\r\n').argv, [['PING'], ['ECHO', 'x'], ['ECHO', 'y']]);
  });

  test('A stray CR before CRLF ends the last token (Redis answers ECHO x)', () => {
    assert.deepEqual(parseLine('ECHO x\r\r\n').argv, [['ECHO', 'x']]);
  });

  test('Command names keep their case; the dispatcher folds it', () => {
    assert.deepEqual(parseLine('sEt K V\r\n').argv, [['sEt', 'K', 'V']]);
  });

  test('Unbalanced quotes are a protocol error after the earlier lines', () => {
    const r = parseLine('PING\r\nSET "a b\r\nPING\r\n');
    assert.deepEqual(r.argv, [['PING']]);
    assert.equal(r.error, 'Protocol error: unbalanced quotes in request');
  });

  test('A quoted newline escape keeps the request on one line', () => {
    assert.deepEqual(parseLine('SET k "line1\\nline2"\r\n').argv, [['SET', 'k', 'line1\nline2']]);
  });
});
