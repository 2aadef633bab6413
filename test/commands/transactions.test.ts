/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH: every case played against
 * mini-kv and Redis 7.0 (live when installed, else its recorded
 * transcript) and compared reply for reply; then the same through ioredis
 * and node-redis, and the statistics a transaction moves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startTestServer, type TestServer } from '../helpers.js';
import { startOracle, type Oracle } from './redis-oracle.js';
import { RespClient } from './resp-client.js';
import { scenarioSuite, type Scenario, type Step } from './scenario.js';

const call = (...args: string[]): Step => ({ call: args });
const on = (c: number, ...args: string[]): Step => ({ c, call: args });

/** A watched key touched by client 1 between WATCH and EXEC by client 0. */
function touched(setup: string[][], touch: string[], watch = ['k'], db = '0'): Scenario {
  return {
    clients: 2,
    steps: [
      ...setup.map((s) => on(1, ...s)),
      on(0, 'SELECT', db),
      on(0, 'WATCH', ...watch),
      on(1, 'SELECT', db),
      on(1, ...touch),
      on(0, 'MULTI'),
      on(0, 'PING'),
      on(0, 'EXEC'),
    ],
  };
}

const SCENARIOS: Record<string, Scenario> = {
  'queued commands run at EXEC, replies in one array': { steps: [call('MULTI'), call('SET', 'a', '1'), call('INCR', 'a'), call('GET', 'a'), call('EXEC'), call('GET', 'a')] },
  'empty transaction': { steps: [call('MULTI'), call('EXEC')] },
  'EXEC and DISCARD without MULTI, MULTI nested': { steps: [call('EXEC'), call('DISCARD'), call('MULTI'), call('MULTI'), call('SET', 'a', '1'), call('EXEC'), call('GET', 'a')] },
  'DISCARD drops the queue': { steps: [call('MULTI'), call('SET', 'a', '1'), call('DISCARD'), call('GET', 'a'), call('EXEC')] },
  'unknown command while queuing: EXECABORT': { steps: [call('MULTI'), call('SET', 'a', '1'), call('NOSUCH', 'x'), call('EXEC'), call('GET', 'a')] },
  'arity error while queuing: EXECABORT': { steps: [call('MULTI'), call('SET', 'a'), call('SET', 'b', '2'), call('EXEC'), call('GET', 'b')] },
  'unknown subcommand while queuing: EXECABORT': { steps: [call('MULTI'), call('CONFIG', 'NOSUCH'), call('EXEC')] },
  'runtime errors inside EXEC do not roll back': { steps: [call('SET', 's', 'x'), call('MULTI'), call('INCR', 's'), call('SET', 'b', '1'), call('APPEND', 's', 'y'), call('EXEC'), call('GET', 'b')] },
  'runtime error among successes': { steps: [call('SET', 's', 'x'), call('MULTI'), call('SET', 'a', '1'), call('INCR', 's'), call('INCR', 'a'), call('EXEC'), call('GET', 'a')] },
  'WATCH inside MULTI is refused, the transaction goes on': { steps: [call('MULTI'), call('WATCH', 'a'), call('SET', 'a', '1'), call('EXEC')] },
  'SELECT inside a transaction': { steps: [call('MULTI'), call('SELECT', '1'), call('SET', 'a', 'one'), call('EXEC'), call('GET', 'a'), call('SELECT', '0'), call('GET', 'a')] },
  'commands that run at once inside MULTI': { steps: [call('MULTI'), call('PING'), call('UNWATCH'), call('EXEC')] },
  'a watched key set by another client aborts EXEC': touched([['SET', 'k', '1']], ['SET', 'k', '2']),
  'a watched missing key created by another client aborts EXEC': touched([], ['SET', 'k', '2']),
  'a watched key untouched: EXEC runs': touched([['SET', 'k', '1']], ['SET', 'other', '2']),
  'a watched key changed in another database: EXEC runs': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(1, 'SELECT', '1'), on(1, 'SET', 'k', 'x'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'the watching client changes the key itself': { steps: [call('WATCH', 'k'), call('SET', 'k', '1'), call('MULTI'), call('PING'), call('EXEC')] },
  'UNWATCH forgets the keys': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(0, 'UNWATCH'), on(1, 'SET', 'k', '2'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'after EXEC nothing is watched any more': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(0, 'MULTI'), on(0, 'EXEC'), on(1, 'SET', 'k', '2'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'DISCARD unwatches': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(0, 'MULTI'), on(0, 'DISCARD'), on(1, 'SET', 'k', '2'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'a doomed WATCH: EXEC aborts however many keys are watched later': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(1, 'SET', 'k', '1'), on(0, 'WATCH', 'j'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'EXECABORT wins over a dirty WATCH': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(1, 'SET', 'k', '1'), on(0, 'MULTI'), on(0, 'NOSUCH'), on(0, 'EXEC')] },
  'FLUSHALL touches a watched key that exists': touched([['SET', 'k', '1']], ['FLUSHALL']),
  'FLUSHALL leaves a watched missing key alone': touched([['SET', 'other', '1']], ['FLUSHALL']),
  'FLUSHDB of another database leaves the key alone': touched([['SET', 'k', '1']], ['FLUSHDB'], ['k'], '0'),
  'SWAPDB brings a watched key in': { clients: 2, steps: [on(1, 'SELECT', '1'), on(1, 'SET', 'k', 'from1'), on(0, 'WATCH', 'k'), on(1, 'SWAPDB', '0', '1'), on(0, 'MULTI'), on(0, 'GET', 'k'), on(0, 'EXEC')] },
  'SWAPDB of two databases without the key': { clients: 2, steps: [on(0, 'WATCH', 'k'), on(1, 'SWAPDB', '0', '1'), on(0, 'MULTI'), on(0, 'PING'), on(0, 'EXEC')] },
  'a watched key that expires aborts EXEC': { steps: [call('SET', 'k', '1', 'PX', '30'), call('WATCH', 'k'), { sleep: 80 }, call('MULTI'), call('PING'), call('EXEC')] },
  'a key already expired when watched, then deleted by expiry: EXEC runs': { steps: [call('DEBUG', 'SET-ACTIVE-EXPIRE', '0'), call('SET', 'k', '1', 'PX', '20'), { sleep: 60 }, call('WATCH', 'k'), call('GET', 'k'), call('MULTI'), call('PING'), call('EXEC'), call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')] },
  'RESP3: a dirty EXEC is a null': { steps: [{ quiet: ['HELLO', '3'] }, call('WATCH', 'k'), call('SET', 'k', '1'), call('MULTI'), call('PING'), call('EXEC')] },
  'RESP3: replies keep their types inside EXEC': { steps: [{ quiet: ['HELLO', '3'] }, call('MULTI'), call('SET', 'a', '1'), call('GET', 'nosuch'), call('INCRBYFLOAT', 'f', '1.5'), call('CONFIG', 'GET', 'maxmemory'), call('EXEC')] },
  'a no_multi command (SHUTDOWN) inside MULTI dooms it': { steps: [call('MULTI'), call('SHUTDOWN', 'NOSAVE', 'NOW'), call('EXEC')] },
  'WATCH needs a key': { steps: [call('WATCH')] },
  'PING and ECHO are queued like any command': { steps: [call('MULTI'), call('PING', 'x'), call('ECHO', 'y'), call('EXEC')] },
};

// Write commands, each touching a watched key: every one must abort EXEC,
// and every one that changes nothing must not.
const WRITES: [string, string[][], string[]][] = [
  ['SET', [], ['SET', 'k', 'v']],
  ['SET NX on an existing key (no change)', [['SET', 'k', '1']], ['SET', 'k', 'v', 'NX']],
  ['SET XX on a missing key (no change)', [], ['SET', 'k', 'v', 'XX']],
  ['SET GET', [['SET', 'k', '1']], ['SET', 'k', 'v', 'GET']],
  ['SET EX', [], ['SET', 'k', 'v', 'EX', '100']],
  ['SETNX', [], ['SETNX', 'k', 'v']],
  ['SETEX', [], ['SETEX', 'k', '100', 'v']],
  ['PSETEX', [], ['PSETEX', 'k', '100000', 'v']],
  ['GETSET', [['SET', 'k', '1']], ['GETSET', 'k', 'v']],
  ['GETDEL', [['SET', 'k', '1']], ['GETDEL', 'k']],
  ['GETDEL on a missing key (no change)', [], ['GETDEL', 'k']],
  ['GETEX EX', [['SET', 'k', '1']], ['GETEX', 'k', 'EX', '100']],
  ['GETEX PERSIST', [['SET', 'k', '1', 'EX', '100']], ['GETEX', 'k', 'PERSIST']],
  ['GETEX PERSIST without a TTL (no change)', [['SET', 'k', '1']], ['GETEX', 'k', 'PERSIST']],
  ['GETEX without options (no change)', [['SET', 'k', '1']], ['GETEX', 'k']],
  ['MSET', [], ['MSET', 'x', '1', 'k', 'v']],
  ['MSETNX', [], ['MSETNX', 'x', '1', 'k', 'v']],
  ['MSETNX that stores nothing (no change)', [['SET', 'x', '1']], ['MSETNX', 'x', '1', 'k', 'v']],
  ['APPEND', [['SET', 'k', 'a']], ['APPEND', 'k', 'b']],
  ['APPEND to a missing key', [], ['APPEND', 'k', 'b']],
  ['SETRANGE', [['SET', 'k', 'abc']], ['SETRANGE', 'k', '1', 'X']],
  ['SETRANGE of nothing (no change)', [['SET', 'k', 'abc']], ['SETRANGE', 'k', '1', '']],
  ['INCR', [], ['INCR', 'k']],
  ['DECR', [], ['DECR', 'k']],
  ['INCRBY', [], ['INCRBY', 'k', '5']],
  ['DECRBY', [], ['DECRBY', 'k', '5']],
  ['INCRBYFLOAT', [], ['INCRBYFLOAT', 'k', '1.5']],
  ['INCR of a non-integer (no change)', [['SET', 'k', 'x']], ['INCR', 'k']],
  ['DEL', [['SET', 'k', '1']], ['DEL', 'k']],
  ['DEL of a missing key (no change)', [], ['DEL', 'k']],
  ['UNLINK', [['SET', 'k', '1']], ['UNLINK', 'k']],
  ['RENAME from', [['SET', 'k', '1']], ['RENAME', 'k', 'j']],
  ['RENAME to', [['SET', 'j', '1']], ['RENAME', 'j', 'k']],
  ['RENAMENX to', [['SET', 'j', '1']], ['RENAMENX', 'j', 'k']],
  ['COPY to', [['SET', 'j', '1']], ['COPY', 'j', 'k']],
  ['COPY from (no change)', [['SET', 'k', '1']], ['COPY', 'k', 'j']],
  ['MOVE', [['SET', 'k', '1']], ['MOVE', 'k', '1']],
  ['EXPIRE', [['SET', 'k', '1']], ['EXPIRE', 'k', '100']],
  ['EXPIRE in the past deletes', [['SET', 'k', '1']], ['EXPIRE', 'k', '-1']],
  ['EXPIRE NX that does not apply (no change)', [['SET', 'k', '1', 'EX', '10']], ['EXPIRE', 'k', '100', 'NX']],
  ['PEXPIRE', [['SET', 'k', '1']], ['PEXPIRE', 'k', '100000']],
  ['EXPIREAT', [['SET', 'k', '1']], ['EXPIREAT', 'k', '9999999999']],
  ['PEXPIREAT', [['SET', 'k', '1']], ['PEXPIREAT', 'k', '9999999999000']],
  ['PERSIST', [['SET', 'k', '1', 'EX', '100']], ['PERSIST', 'k']],
  ['PERSIST without a TTL (no change)', [['SET', 'k', '1']], ['PERSIST', 'k']],
  ['TOUCH (no change)', [['SET', 'k', '1']], ['TOUCH', 'k']],
  ['FLUSHDB', [['SET', 'k', '1']], ['FLUSHDB']],
];
for (const [name, setup, touch] of WRITES) SCENARIOS[`WATCH k, another client runs ${name}`] = touched(setup, touch);

describe('transactions: replies as Redis 7.0 gives them', () => {
  const suite = scenarioSuite('transactions', { config: { 'enable-debug-command': 'yes' } });
  const oracle = suite.oracle;
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    test(name, async (t) => {
      await oracle.check(t, name, suite.srv.port, scenario);
    });
  }
});

describe('transactions through clients', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.close();
  });

  test('ioredis multi().exec() and watch(): a conflicting write makes exec() resolve null', async () => {
    const a = new Redis(srv.port, '127.0.0.1');
    const b = new Redis(srv.port, '127.0.0.1');
    try {
      assert.deepEqual(await a.multi().set('n', '1').incr('n').get('n').exec(), [[null, 'OK'], [null, 2], [null, '2']]);
      await a.watch('n');
      await b.set('n', '10');
      assert.equal(await a.multi().incr('n').exec(), null);
      assert.equal(await a.get('n'), '10');
      // A runtime error is one element, not a failed transaction.
      await a.set('s', 'x');
      const r = await a.multi().incr('s').set('t', '1').exec();
      assert.equal((r![0]![0] as Error).message, 'ERR value is not an integer or out of range');
      assert.deepEqual(r![1], [null, 'OK']);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });

  test('node-redis multi().exec() and a WATCH conflict (WatchError)', async () => {
    const a = createClient({ url: `redis://127.0.0.1:${srv.port}` });
    const b = createClient({ url: `redis://127.0.0.1:${srv.port}` });
    await a.connect();
    await b.connect();
    try {
      assert.deepEqual(await a.multi().set('m', '1').incr('m').exec(), ['OK', 2]);
      await a.watch('m');
      await b.set('m', '5');
      await assert.rejects(a.multi().incr('m').exec(), (e: Error) => e.constructor.name === 'WatchError');
      assert.equal(await a.get('m'), '5');
    } finally {
      await a.quit();
      await b.quit();
    }
  });

  test('statistics: each queued command is counted when EXEC runs it; EXECABORT is an error reply of EXEC', async () => {
    const c = await RespClient.connect(srv.port);
    const info = await RespClient.connect(srv.port);
    try {
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('MULTI');
      await c.call('SET', 'x', '1');
      await c.call('INCR', 'x');
      const stats = (await info.call('INFO', 'commandstats')) as string;
      assert.doesNotMatch(stats, /cmdstat_set:/, 'a queued command is not counted yet');
      assert.deepEqual(await c.call('EXEC'), { array: [{ simple: 'OK' }, 2] });
      const after = (await c.call('INFO', 'commandstats')) as string;
      assert.match(after, /cmdstat_set:calls=1,/);
      assert.match(after, /cmdstat_incr:calls=1,/);
      assert.match(after, /cmdstat_exec:calls=1,.*failed_calls=0/);
      await c.call('MULTI');
      await c.call('GET');
      assert.deepEqual(await c.call('EXEC'), { error: 'EXECABORT Transaction discarded because of previous errors.' });
      const last = (await c.call('INFO', 'commandstats')) as string;
      assert.match(last, /cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0/);
      assert.match(last, /cmdstat_exec:calls=2,.*rejected_calls=0,failed_calls=1/);
      assert.match((await c.call('INFO', 'errorstats')) as string, /errorstat_EXECABORT:count=1/);
    } finally {
      c.close();
      info.close();
    }
  });

  test('a client that closes while watching leaves nothing behind', async () => {
    const c = await RespClient.connect(srv.port);
    await c.call('WATCH', 'a', 'b');
    const signals = srv.server.signals;
    assert.equal(signals.watchedKeys, 2);
    c.close();
    for (let i = 0; i < 50 && (signals.watchedKeys as number) !== 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(srv.server.signals.watchedKeys, 0);
    assert.equal(srv.server.signals.listening, false);
  });
});

describe('transactions: commands queued as bytes', () => {
  let srv: TestServer;
  let redis: Oracle | null;
  before(async () => {
    srv = await startTestServer();
    redis = await startOracle();
  });
  after(async () => {
    redis?.close();
    await srv.close();
  });

  /** A queued transaction's `multi` and `multi-mem` in CLIENT LIST, seen from another connection. */
  async function queuedMemory(port: number): Promise<string> {
    const a = await RespClient.connect(port);
    const b = await RespClient.connect(port);
    try {
      // SET and INCR have fast paths (queued as bytes); APPEND has not (queued as strings).
      for (const cmd of [['MULTI'], ['SET', 'key', 'value'], ['APPEND', 'key', 'xy'], ['INCR', 'n']]) await a.call(...cmd);
      const list = (await b.call('CLIENT', 'LIST')) as string;
      const line = list.split('\n').find((l) => / multi=3 /.test(l));
      assert.ok(line !== undefined, list);
      return line.match(/ multi=\d+ .* multi-mem=\d+/)![0].replace(/ qbuf.*argv-mem=\d+/, '');
    } finally {
      a.close();
      b.close();
    }
  }

  test('CLIENT LIST multi-mem counts bytes-queued and string-queued commands alike, as Redis 7.0.15', async () => {
    const ours = await queuedMemory(srv.port);
    // As Redis 7.0.15 counts it: 3 + 3 + 5 + 8 * 3 for SET, 6 + 3 + 2 + 8 * 3 for APPEND, 4 + 1 + 8 * 2 for INCR.
    assert.equal(ours, ' multi=3 multi-mem=91');
    if (redis !== null) assert.equal(await queuedMemory(redis.port), ours);
  });

  test('EXEC runs bytes-queued commands by their fast paths with the same replies, errors and commandstats', async () => {
    const c = await RespClient.connect(srv.port);
    try {
      await c.call('CONFIG', 'RESETSTAT');
      await c.call('SET', 'word', 'abc');
      await c.call('MULTI');
      for (const cmd of [['SET', 'q1', 'v'], ['GET', 'q1'], ['INCR', 'q2'], ['INCR', 'word'], ['MSET', 'q3', 'a', 'q4', 'b'], ['GET', 'nosuch'], ['APPEND', 'q1', 'w']]) {
        assert.deepEqual(await c.call(...cmd), { simple: 'QUEUED' });
      }
      assert.deepEqual(await c.call('EXEC'), { array: [{ simple: 'OK' }, 'v', 1, { error: 'ERR value is not an integer or out of range' }, { simple: 'OK' }, null, 2] });
      assert.deepEqual(await c.call('MGET', 'q1', 'q3', 'q4'), { array: ['vw', 'a', 'b'] });
      const stats = (await c.call('INFO', 'commandstats')) as string;
      assert.match(stats, /cmdstat_set:calls=2,/);
      assert.match(stats, /cmdstat_incr:calls=2,usec=[\d.]+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
      assert.match(stats, /cmdstat_get:calls=2,/);
      assert.match(stats, /cmdstat_exec:calls=1,/);
    } finally {
      c.close();
    }
  });
});
