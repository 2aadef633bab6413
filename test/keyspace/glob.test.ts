/**
 * Redis's glob (util.c stringmatchlen) as globMatch implements it. Every
 * expected answer in REDIS_CASES was produced by a live Redis 7.0.15: the
 * strings stored as keys in an empty database, then KEYS with the pattern.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch } from '../../src/keyspace/glob.js';

/** [pattern, string, does Redis 7.0.15's KEYS list it]. */
const REDIS_CASES: [string, string, boolean][] = [
  ["h?llo","hello",true],
  ["h?llo","hallo",true],
  ["h?llo","hllo",false],
  ["h?llo","heello",false],
  ["h*llo","hllo",true],
  ["h*llo","heeeello",true],
  ["h*llo","hello world",false],
  ["h[ae]llo","hello",true],
  ["h[ae]llo","hallo",true],
  ["h[ae]llo","hillo",false],
  ["h[^e]llo","hallo",true],
  ["h[^e]llo","hello",false],
  ["h[^e]llo","hllo",false],
  ["h[a-b]llo","hallo",true],
  ["h[a-b]llo","hbllo",true],
  ["h[a-b]llo","hcllo",false],
  ["h[z-a]llo","hallo",true],
  ["h[z-a]llo","hmllo",true],
  ["h[z-a]llo","h-llo",false],
  ["h\\*llo","h*llo",true],
  ["h\\*llo","hello",false],
  ["h\\?llo","h?llo",true],
  ["h\\?llo","hello",false],
  ["\\[a]","[a]",true],
  ["\\[a]","a",false],
  ["a\\","a\\",true],
  ["a\\","a",false],
  ["[abc","a",true],
  ["[abc","c",true],
  ["[abc","[abc",false],
  ["[abc","ab",false],
  ["a[","a",false],
  ["a[","a[",false],
  ["a[b-","ab",true],
  ["a[b-","a-",true],
  ["a[b-","a[b-",false],
  ["[]]","]",false],
  ["[]]","a",false],
  ["[^]]","a",false],
  ["[^]]","]",false],
  ["[a-]","]",true],
  ["[a-]","^",true],
  ["[a-]","a",true],
  ["[a-]","-",false],
  ["[a-]","b",false],
  ["[\\]]","]",true],
  ["[\\]]","\\",false],
  ["[\\-a]","-",true],
  ["[\\-a]","a",true],
  ["[\\-a]","\\",false],
  ["*","anything",true],
  ["**a","a",true],
  ["**a","ba",true],
  ["?","a",true],
  ["?","ab",false],
  ["[A-Z]*","Abc",true],
  ["[A-Z]*","abc",false]
];

test('globMatch - agrees with Redis 7.0.15 on *, ?, classes, ranges, negation, escapes and unterminated classes', () => {
  assert.ok(REDIS_CASES.length > 50);
  for (const [pattern, str, expected] of REDIS_CASES) {
    assert.equal(globMatch(pattern, str), expected, `${JSON.stringify(pattern)} against ${JSON.stringify(str)}`);
  }
});

test('globMatch - an empty string matches only the empty pattern', () => {
  assert.equal(globMatch('', ''), true);
  assert.equal(globMatch('*', ''), false);
  assert.equal(globMatch('**', ''), false);
  assert.equal(globMatch('', 'a'), false);
});

test('globMatch - bytes beyond ASCII compare as bytes', () => {
  assert.equal(globMatch('\xff?', '\xff\x00'), true);
  assert.equal(globMatch('[\x80-\xff]', '\xc3'), true);
  assert.equal(globMatch('[\x80-\xff]', 'a'), false);
});

test('globMatch - nocase folds ASCII letters, in ranges too', () => {
  assert.equal(globMatch('HeLLo', 'hello', true), true);
  assert.equal(globMatch('[A-C]x', 'bX', true), true);
  assert.equal(globMatch('[A-C]x', 'bX'), false);
});

test('globMatch - a pathological pattern on a long string completes', () => {
  const long = 'a'.repeat(5000);
  assert.equal(globMatch('a*a*a*a*a*a*a*a*b', long), false);
  assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', long), false);
  assert.equal(globMatch('a*a*a*a*a*a*a*a*a', long), true);
});

test('globMatch - past Redis\'s nesting limit of 1000 stars nothing matches, as in Redis', () => {
  const key = 'a'.repeat(1002);
  // Checked against Redis 7.0.15: 1000 non-final star runs match, 1001 do not;
  // a run that ends the pattern does not count.
  assert.equal(globMatch('*a'.repeat(1000), key), true);
  assert.equal(globMatch('*a'.repeat(1000) + '*', key), true);
  assert.equal(globMatch('*a'.repeat(1001), key), false);
  assert.equal(globMatch('*a'.repeat(1001) + '*', key), false);
  // Stars inside a class or escaped are not runs.
  assert.equal(globMatch('[*]a'.repeat(1001), '*a'.repeat(1001)), true);
});
