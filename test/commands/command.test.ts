/**
 * COMMAND and its subcommands, and the two things derived from the command
 * table that must not drift: COMMAND INFO/DOCS against Redis 7.0.15 (the
 * fixture captured by scripts/capture-redis-commands.mjs), and the README's
 * command list (scripts/gen-command-docs.mjs).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { commandListMarkdown, generatedSection } from '../../scripts/command-docs.js';
import { ALL_COMMANDS } from '../../src/commands/index.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { field, RespClient, toResp2, type Tree } from './resp-client.js';

const ROOT = new URL('../../../', import.meta.url);

interface Fixture {
  redis_version: string;
  commands: Record<string, { info: Tree; docs: Tree }>;
}
const fixture = JSON.parse(readFileSync(new URL('test/fixtures/redis-7.0.15-commands.json', ROOT), 'utf8')) as Fixture;

/**
 * Where mini-kv deliberately differs from Redis 7.0.15, per command: KEYS
 * takes no pattern in mini-kv (the seed's bare KEYS lists every key), so its
 * arity is -1 where Redis has 2. Nothing else may differ.
 */
const ALLOWED_INFO_DIFFERENCES: Record<string, (redis: Tree[]) => Tree[]> = {
  keys: (redis) => redis.map((v, i) => (i === 1 ? -1 : v)),
};

function items(t: Tree): Tree[] {
  assert.ok(t !== null && typeof t === 'object' && ('array' in t || 'set' in t || 'map' in t), `not an aggregate: ${JSON.stringify(t)}`);
  return 'array' in t ? t.array : 'set' in t ? t.set : t.map;
}

/** A docs map (or RESP2 flat array) without its `subcommands` pair, and that pair's items. */
function splitDocs(t: Tree): { own: Tree[]; subs: Tree[] } {
  const kv = items(t);
  const own: Tree[] = [];
  let subs: Tree[] = [];
  for (let i = 0; i < kv.length; i += 2) {
    if (kv[i] === 'subcommands') subs = items(kv[i + 1]!);
    else own.push(kv[i]!, kv[i + 1]!);
  }
  return { own, subs };
}

/** Pairs of a flat key/value list, as a Map. */
function pairs(kv: Tree[]): Map<string, Tree> {
  const m = new Map<string, Tree>();
  for (let i = 0; i < kv.length; i += 2) m.set(kv[i] as string, kv[i + 1]!);
  return m;
}

describe('COMMAND', () => {
  let srv: TestServer;
  let c2: RespClient;
  let c3: RespClient;
  let redis: Redis;

  before(async () => {
    srv = await startTestServer();
    c2 = await RespClient.connect(srv.port);
    c3 = await RespClient.connect(srv.port);
    await c3.call('HELLO', '3');
    redis = new Redis(srv.port, '127.0.0.1', { lazyConnect: true, enableReadyCheck: false });
    await redis.connect();
  });

  after(async () => {
    c2.close();
    c3.close();
    redis.disconnect();
    await srv.close();
  });

  test('COMMAND COUNT - the number of top-level commands in the table', async () => {
    assert.equal(await c2.call('COMMAND', 'COUNT'), srv.server.table.size);
    assert.equal(srv.server.table.size, ALL_COMMANDS.length);
  });

  test('COMMAND - bare COMMAND describes every command', async () => {
    const all = items(await c2.call('COMMAND'));
    assert.equal(all.length, srv.server.table.size);
    const names = all.map((e) => items(e)[0]);
    assert.deepEqual(names, srv.server.table.commands.map((c) => c.fullName));
  });

  test('COMMAND INFO - no names means every command, unknown names are nil', async () => {
    assert.equal(items(await c2.call('COMMAND', 'INFO')).length, srv.server.table.size);
    const r = items(await c2.call('COMMAND', 'INFO', 'nosuch', 'GET', 'config|get', 'Config|GET', 'config|nosuch', 'get|x'));
    assert.equal(r[0], null);
    assert.equal(items(r[1]!)[0], 'get');
    assert.equal(items(r[2]!)[0], 'config|get');
    assert.equal(items(r[3]!)[0], 'config|get');
    assert.equal(r[4], null);
    assert.equal(r[5], null);
  });

  test('COMMAND INFO - RESP2 nil is $-1, as Redis', async () => {
    // Redis's addReplyCommandInfo answers an unknown name with addReplyNull.
    const raw = await RespClient.connect(srv.port);
    assert.deepEqual(await raw.call('COMMAND', 'INFO', 'nosuch'), { array: [null] });
    raw.close();
  });

  test('COMMAND DOCS - unknown names are skipped, duplicates repeated', async () => {
    const r = items(await c3.call('COMMAND', 'DOCS', 'nosuch', 'ping', 'config|get', 'ping'));
    assert.deepEqual([r[0], r[2], r[4]], ['ping', 'config|get', 'ping']);
    assert.deepEqual(items(await c3.call('COMMAND', 'DOCS', 'nosuch')), []);
    assert.equal(items(await c3.call('COMMAND', 'DOCS')).length, 2 * srv.server.table.size);
  });

  test('COMMAND LIST - every command and subcommand, containers first', async () => {
    const names = items(await c2.call('COMMAND', 'LIST')) as string[];
    assert.ok(names.includes('config'));
    assert.equal(names.indexOf('config|get'), names.indexOf('config') + 1);
    assert.ok(names.includes('client|kill'));
    assert.ok(names.includes('get'));
  });

  test('COMMAND LIST FILTERBY - PATTERN (any case), ACLCAT and MODULE', async () => {
    assert.deepEqual(items(await c2.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CONFIG|*')), ['config|get', 'config|set', 'config|resetstat', 'config|help']);
    assert.deepEqual(items(await c2.call('command', 'list', 'filterby', 'pattern', 'conf*')), ['config', 'config|get', 'config|set', 'config|resetstat', 'config|help']);
    const conn = items(await c2.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'CONNECTION')) as string[];
    for (const n of ['ping', 'hello', 'auth', 'select', 'client|id', 'command', 'command|docs']) assert.ok(conn.includes(n), n);
    assert.ok(!conn.includes('client'), 'a container carries no group category of its own');
    assert.ok(!conn.includes('get'));
    assert.deepEqual(items(await c2.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', '@connection')), []);
    assert.deepEqual(items(await c2.call('COMMAND', 'LIST', 'FILTERBY', 'MODULE', 'x')), []);
  });

  test('COMMAND LIST - bad filters are syntax errors', async () => {
    for (const args of [['x'], ['FILTERBY'], ['FILTERBY', 'foo', 'bar'], ['FILTERBY', 'PATTERN', 'x', 'extra'], ['FILTERBY', 'PATTERN']]) {
      assert.deepEqual(await c2.call('COMMAND', 'LIST', ...args), { error: 'ERR syntax error' }, args.join(' '));
    }
  });

  test('COMMAND GETKEYS - keys from the table, with Redis errors', async () => {
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'SET', 'a', 'b'), { array: ['a'] });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'get', 'k'), { array: ['k'] });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'nosuch', 'a'), { error: 'ERR Invalid command specified' });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'config', 'nosuch'), { error: 'ERR Invalid command specified' });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'get', 'a', 'b'), { error: 'ERR Invalid number of arguments specified for command' });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'config', 'get'), { error: 'ERR The command has no key arguments' });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'client', 'list'), { error: 'ERR The command has no key arguments' });
    assert.deepEqual(await c2.call('COMMAND', 'GETKEYS', 'ping'), { error: "ERR wrong number of arguments for 'command|getkeys' command" });
  });

  test('COMMAND - unknown subcommand and arity errors name the container', async () => {
    assert.deepEqual(await c2.call('COMMAND', 'foo'), { error: "ERR unknown subcommand 'foo'. Try COMMAND HELP." });
    assert.deepEqual(await c2.call('COMMAND', 'COUNT', 'x'), { error: "ERR wrong number of arguments for 'command|count' command" });
  });

  test('COMMAND HELP - status lines in Redis help layout', async () => {
    const lines = items(await c2.call('COMMAND', 'HELP'));
    assert.deepEqual(lines[0], { simple: 'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' });
    assert.deepEqual(lines.at(-2), { simple: 'HELP' });
    assert.deepEqual(lines.at(-1), { simple: '    Prints this help.' });
  });

  test('COMMAND INFO - RESP3 uses sets for flags, categories, tips and key specs', async () => {
    const get = items((items(await c3.call('COMMAND', 'INFO', 'get')))[0]!);
    assert.deepEqual(get.slice(0, 7), ['get', 2, { set: [{ simple: 'readonly' }, { simple: 'fast' }] }, 1, 1, 1, { set: [{ simple: '@read' }, { simple: '@string' }, { simple: '@fast' }] }]);
  });

  test('ioredis - COMMAND INFO and COMMAND COUNT through a client library', async () => {
    const info = (await redis.call('COMMAND', 'INFO', 'ping')) as unknown[][];
    assert.deepEqual(info[0]!.slice(0, 7), ['ping', -1, ['fast'], 0, 0, 0, ['@fast', '@connection']]);
    assert.equal(await redis.call('COMMAND', 'COUNT'), srv.server.table.size);
  });

  test('node-redis RESP3 - COMMAND DOCS comes back as a map', async () => {
    const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3 });
    client.on('error', () => {});
    await client.connect();
    try {
      const docs = (await client.sendCommand(['COMMAND', 'DOCS', 'echo'])) as unknown;
      const entry = docs instanceof Map ? docs.get('echo') : (docs as Record<string, unknown>)['echo'];
      const summary = entry instanceof Map ? entry.get('summary') : (entry as Record<string, unknown>)['summary'];
      assert.equal(summary, 'Echo the given string');
    } finally {
      await client.close();
    }
  });

  describe(`COMMAND INFO and DOCS match Redis ${fixture.redis_version} (test/fixtures)`, () => {
    /**
     * Compares one command: its own INFO fields and DOCS map exactly (in
     * RESP3, and in RESP2 through the fixture flattened), then each of our
     * subcommands against Redis's entry of the same name. Redis's
     * subcommands that mini-kv lacks are not required.
     */
    for (const spec of ALL_COMMANDS) {
      const name = spec.name;
      test(`${name}`, async (t) => {
        const expected = fixture.commands[name];
        if (expected === undefined) {
          t.skip(`${name} is not in the fixture: run node scripts/capture-redis-commands.mjs with it to add it`);
          return;
        }
        for (const [proto, client, shape] of [['RESP3', c3, (x: Tree) => x], ['RESP2', c2, toResp2]] as const) {
          const ours = items(items(await client.call('COMMAND', 'INFO', name))[0]!);
          const theirs = items(shape(expected.info));
          const adjust = ALLOWED_INFO_DIFFERENCES[name] ?? ((x: Tree[]) => x);
          assert.deepEqual(ours.slice(0, 9), adjust(theirs.slice(0, 9)), `${proto} COMMAND INFO ${name}`);
          const theirSubs = new Map(items(theirs[9]!).map((e) => [items(e)[0] as string, e]));
          for (const sub of items(ours[9]!)) {
            const subName = items(sub)[0] as string;
            const want = theirSubs.get(subName);
            if (want === undefined) continue; // reported once below
            assert.deepEqual(sub, want, `${proto} COMMAND INFO ${subName}`);
          }

          const docsReply = items(await client.call('COMMAND', 'DOCS', name));
          assert.equal(docsReply[0], name);
          const ourDocs = splitDocs(docsReply[1]!);
          const theirDocs = splitDocs(shape(expected.docs));
          assert.deepEqual(ourDocs.own, theirDocs.own, `${proto} COMMAND DOCS ${name}`);
          const theirSubDocs = pairs(theirDocs.subs);
          for (const [subName, doc] of pairs(ourDocs.subs)) {
            const want = theirSubDocs.get(subName);
            if (want === undefined) continue;
            assert.deepEqual(doc, want, `${proto} COMMAND DOCS ${subName}`);
          }
        }
        const redisSubs = new Set(items(items(expected.info)[9]!).map((e) => items(e)[0] as string));
        const extra = (spec.subcommands ?? []).map((s) => `${name}|${s.name}`).filter((n) => !redisSubs.has(n));
        if (extra.length > 0) t.diagnostic(`not in Redis ${fixture.redis_version}, so not compared: ${extra.join(', ')}`);
      });
    }
  });
});

describe('README command list', () => {
  test('README.md lists exactly the commands of the table (node scripts/gen-command-docs.mjs --write)', () => {
    const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
    const section = generatedSection(readme);
    assert.notEqual(section, null, 'README.md lacks the <!-- commands:start --> and <!-- commands:end --> markers');
    assert.equal(section, commandListMarkdown(ALL_COMMANDS), 'README.md drifted from the command table: run npm run build && node scripts/gen-command-docs.mjs --write');
  });

  test('the generated list has a row per command and subcommand', () => {
    const list = commandListMarkdown(ALL_COMMANDS);
    assert.match(list, /^\| `CONFIG GET` \| server \| Get the values of configuration parameters \|$/m);
    assert.match(list, /^\| `PING` \| connection \| Ping the server \|$/m);
    assert.doesNotMatch(list, /^\| `CONFIG` \|/m, 'a container without a handler has no row of its own');
    assert.match(list, /^\| `COMMAND` \| server \|/m);
  });
});
