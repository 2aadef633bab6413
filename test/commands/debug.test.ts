/**
 * DEBUG against Redis 7.0.15: enable-debug-command (no, yes, local, and
 * immutable), DIGEST and DIGEST-VALUE (Redis's algorithm: the same digest
 * for the same data), OBJECT, PROTOCOL byte for byte in RESP2 and RESP3
 * (test/fixtures/redis-7.0.15-debug-protocol.json, recorded from
 * redis-server 7.0.15 by sending `[HELLO 3, PING,] DEBUG PROTOCOL <type>,
 * PING`), SLEEP, SET-ACTIVE-EXPIRE, CHANGE-REPL-ID and the errors. A live
 * redis-server is compared where installed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers.js';
import { NO_REDIS_SERVER } from '../server/config-helpers.js';
import { RawConn } from '../server/sockets.js';
import { bothReplies, startOracle, type Oracle } from './redis-oracle.js';
import { RespClient, type Tree } from './resp-client.js';

const PROTOCOL = JSON.parse(readFileSync(new URL('../../../test/fixtures/redis-7.0.15-debug-protocol.json', import.meta.url), 'utf8')) as Record<string, string>;
const NOT_ALLOWED = 'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** The bytes of `DEBUG PROTOCOL type` then PING's reply, in RESP2 or (after HELLO 3 and a PING) RESP3. */
function protocolBytes(port: number, resp: 2 | 3, type: string): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let d = '';
    const pre = resp === 3 ? 'HELLO 3\r\nPING\r\n' : '';
    s.on('data', (b) => {
      d += b.toString('latin1');
      if (d.endsWith('+PONG\r\n') && (resp === 2 || d.indexOf('+PONG\r\n') !== d.length - 7)) {
        s.destroy();
        resolve(resp === 3 ? d.slice(d.indexOf('+PONG\r\n') + 7) : d);
      }
    });
    s.write(`${pre}DEBUG PROTOCOL ${type}\r\nPING\r\n`);
  });
}

describe('DEBUG', () => {
  let srv: TestServer;
  let c: RespClient;
  let redis: Oracle | null;
  before(async () => {
    srv = await startTestServer({ config: { 'enable-debug-command': 'yes' } });
    c = await RespClient.connect(srv.port);
    redis = await startOracle(['--enable-debug-command', 'yes']);
  });
  after(async () => {
    c.close();
    redis?.close();
    await srv.close();
  });

  const both = (...cmds: string[][]): Promise<Tree[]> => bothReplies(c, redis, cmds);

  test('DEBUG DIGEST - the same digest as Redis for the same strings, TTLs and databases', async () => {
    await both(['FLUSHALL']);
    // Recorded from redis-server 7.0.15 for an empty dataset and after these SETs.
    assert.deepEqual(await both(['DEBUG', 'DIGEST']), [{ simple: '0000000000000000000000000000000000000000' }]);
    await both(['SET', 'a', '1'], ['SET', 'b', 'hello', 'EX', '100']);
    assert.deepEqual(await both(['DEBUG', 'DIGEST']), [{ simple: '669dc7955c0119edb82e7cfeb40ea4a28f89f902' }]);
    assert.deepEqual(await both(['DEBUG', 'DIGEST-VALUE', 'a', 'b', 'nosuch']), [{ array: [
      { simple: 'b4fc66738120fba0b5aa500ab5c2bf89cea1c5da' }, { simple: 'd037c4eb8a8b36b602fbced4000daeab0714c1e3' }, { simple: '0000000000000000000000000000000000000000' },
    ] }]);
    assert.deepEqual(await both(['DEBUG', 'DIGEST-VALUE']), [{ array: [] }]);
    // Order of keys does not matter; the database does.
    await both(['SELECT', '3'], ['SET', 'x', 'y'.repeat(100)], ['APPEND', 'x', 'z'], ['SET', 'n', '-12345'], ['SELECT', '0']);
    const [d] = await both(['DEBUG', 'DIGEST']);
    assert.notDeepEqual(d, { simple: '669dc7955c0119edb82e7cfeb40ea4a28f89f902' });
    await both(['FLUSHALL']);
  });

  test('DEBUG OBJECT - Redis\'s line: refcount, encoding and serializedlength as Redis for short strings', async () => {
    await both(['FLUSHALL'], ['SET', 'i8', '1'], ['SET', 'i16', '300'], ['SET', 'i32', '70000'], ['SET', 'big', '5000000000'], ['SET', 'neg', '-5'], ['SET', 's', 'abc'], ['SET', 's20', 'abcdefghijklmnopqrst']);
    for (const key of ['i8', 'i16', 'i32', 'big', 'neg', 's', 's20']) {
      const ours = (await c.call('DEBUG', 'OBJECT', key)) as { simple: string };
      assert.match(ours.simple, /^Value at:0x[0-9a-f]+ refcount:\d+ encoding:\w+ serializedlength:\d+ lru:\d+ lru_seconds_idle:0$/);
      if (redis !== null) {
        const theirs = (await redis.client.call('DEBUG', 'OBJECT', key)) as { simple: string };
        const fields = (s: string): string => s.replace(/^Value at:\S+ /, '').replace(/ lru:.*$/, '');
        assert.equal(fields(ours.simple), fields(theirs.simple), key);
      }
    }
    assert.match(((await c.call('DEBUG', 'OBJECT', 'i8')) as { simple: string }).simple, / refcount:2147483647 encoding:int serializedlength:2 /);
    assert.match(((await c.call('DEBUG', 'OBJECT', 's')) as { simple: string }).simple, / refcount:1 encoding:embstr serializedlength:4 /);
    assert.deepEqual(await both(['DEBUG', 'OBJECT', 'nosuch']), [{ error: 'ERR no such key' }]);
    await both(['FLUSHALL']);
  });

  test('DEBUG PROTOCOL - every type byte for byte as Redis 7.0.15, RESP2 and RESP3', async () => {
    for (const key of Object.keys(PROTOCOL)) {
      const [v, type] = key.split(' ') as [string, string];
      const resp = Number(v) as 2 | 3;
      assert.equal(await protocolBytes(srv.port, resp, type), PROTOCOL[key], `recorded ${key}`);
      if (redis !== null) assert.equal(await protocolBytes(redis.port, resp, type), PROTOCOL[key], `live ${key}`);
    }
  });

  test('DEBUG SLEEP, JMAP, STRINGMATCH-TEST and CHANGE-REPL-ID reply as Redis; the replication ID changes', async () => {
    assert.deepEqual(await both(['DEBUG', 'SLEEP', '0'], ['DEBUG', 'SLEEP', '0.001'], ['DEBUG', 'SLEEP', 'x']), [{ simple: 'OK' }, { simple: 'OK' }, { simple: 'OK' }]);
    assert.deepEqual(await both(['DEBUG', 'STRINGMATCH-TEST']), [{ simple: 'Apparently Redis did not crash: test passed' }]);
    assert.deepEqual(await c.call('DEBUG', 'JMAP'), { simple: 'OK' });
    const replid = async (): Promise<string> => /master_replid:(\w+)/.exec((await c.call('INFO', 'replication')) as string)![1]!;
    const before = await replid();
    assert.deepEqual(await both(['DEBUG', 'CHANGE-REPL-ID']), [{ simple: 'OK' }]);
    const after = await replid();
    assert.match(after, /^[0-9a-f]{40}$/);
    assert.notEqual(after, before);
  });

  test('DEBUG SET-ACTIVE-EXPIRE - 0 stops the active cycle (the key stays until read), 1 starts it again', async () => {
    assert.deepEqual(await both(['DEBUG', 'SET-ACTIVE-EXPIRE', '0']), [{ simple: 'OK' }]);
    assert.equal(srv.server.activeExpireEnabled, false);
    await c.call('SET', 'gone', 'v', 'PX', '1');
    // Several cycles' worth (hz 10): nothing reads the key, so only the active cycle could remove it.
    await new Promise((r) => setTimeout(r, 350));
    assert.equal(await c.call('DBSIZE'), 1);
    assert.deepEqual(await both(['DEBUG', 'SET-ACTIVE-EXPIRE', '1']), [{ simple: 'OK' }]);
    assert.equal(srv.server.activeExpireEnabled, true);
    let size: Tree = 1;
    for (let i = 0; i < 50 && size !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      size = await c.call('DBSIZE');
    }
    assert.equal(size, 0, 'the active cycle removed the expired key');
  });

  test('DEBUG - errors as Redis 7.0.15: unknown subcommand, wrong argument counts, arity', async () => {
    const sub = (s: string): Tree => ({ error: `ERR unknown subcommand or wrong number of arguments for '${s}'. Try DEBUG HELP.` });
    assert.deepEqual(await both(['DEBUG', 'nosuch'], ['DEBUG', 'sleep'], ['DEBUG', 'OBJECT'], ['DEBUG', 'digest', 'x'], ['DEBUG', 'PROTOCOL'], ['DEBUG', 'set-active-expire']), [
      sub('nosuch'), sub('sleep'), sub('OBJECT'), sub('digest'), sub('PROTOCOL'), sub('set-active-expire'),
    ]);
    assert.deepEqual(await both(['DEBUG']), [{ error: "ERR wrong number of arguments for 'debug' command" }]);
    const help = (await c.call('DEBUG', 'HELP')) as { array: { simple: string }[] };
    assert.deepEqual(help.array[0], { simple: 'DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' });
    assert.ok(help.array.some((l) => l.simple === 'DIGEST-VALUE <key> [<key> ...]'));
    assert.deepEqual(help.array.at(-1), { simple: '    Prints this help.' });
  });

  test('enable-debug-command - immutable at run time, with Redis\'s error', async () => {
    assert.deepEqual(await both(['CONFIG', 'SET', 'enable-debug-command', 'no']), [{ error: "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - can't set immutable config" }]);
    assert.deepEqual(await both(['CONFIG', 'GET', 'enable-debug-command']), [{ array: ['enable-debug-command', 'yes'] }]);
  });
});

describe('DEBUG - enable-debug-command no and local', () => {
  test('no (the default) refuses DEBUG with Redis 7.0\'s error', async (t) => {
    const srv = await startTestServer();
    const c = await RespClient.connect(srv.port);
    const redis = await startOracle();
    try {
      assert.deepEqual(await c.call('DEBUG', 'SLEEP', '0'), { error: NOT_ALLOWED });
      assert.deepEqual(await c.call('CONFIG', 'GET', 'enable-debug-command'), { array: ['enable-debug-command', 'no'] });
      if (redis === null) t.diagnostic(NO_REDIS_SERVER);
      else assert.deepEqual(await redis.client.call('DEBUG', 'SLEEP', '0'), { error: NOT_ALLOWED });
    } finally {
      c.close();
      redis?.close();
      await srv.close();
    }
  });

  test('local admits a client from 127.0.0.1 and refuses one from another address', async () => {
    const srv = await startTestServer({ config: { 'enable-debug-command': 'local', bind: '127.0.0.1', 'protected-mode': 'no' } });
    const c = await RespClient.connect(srv.port);
    try {
      assert.deepEqual(await c.call('DEBUG', 'SLEEP', '0'), { simple: 'OK' });
      // 127.0.0.2 is loopback to Linux but not "local" to Redis's islocalClient (exactly 127.0.0.1 or ::1).
      const far = await RawConn.open(srv.port, { from: '127.0.0.2' });
      far.write('DEBUG SLEEP 0\r\n');
      const data = await far.expect('\r\n');
      assert.equal(data, `-${NOT_ALLOWED}\r\n`);
      far.destroy();
    } finally {
      c.close();
      await srv.close();
    }
  });
});
