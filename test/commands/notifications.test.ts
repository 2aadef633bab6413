/**
 * Keyspace notifications (`notify-keyspace-events`), compared with Redis
 * 7.0.15 through scenarios (scenario.ts): one client subscribes to every
 * keyspace and keyevent channel by pattern, another runs every write
 * command mini-kv implements, with each option, and after each command the
 * subscriber's transcript up to a PING marker must equal Redis's. Each
 * class mix (KEA, E$, Kg, Ex, Em, A alone) runs the same commands, so a
 * wrong class bit shows as well as a wrong event name. Without
 * redis-server, the transcripts recorded in
 * test/fixtures/scenarios/notifications.json stand in.
 */
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers.js';
import { scenarioSuite, type Step } from './scenario.js';

/** Every write command mini-kv implements (and a few reads that miss), each with its options. */
const COMMANDS: string[][] = [
  ['SET', 'k', 'v'],
  ['SET', 'k', 'v2', 'XX'],
  ['SET', 'k', 'v3', 'NX'],
  ['SET', 'n1', 'v', 'NX'],
  ['SET', 'k', 'v4', 'GET'],
  ['SET', 'k', 'v', 'EX', '100'],
  ['SET', 'k', 'v', 'PX', '100000'],
  ['SET', 'k', 'v', 'EXAT', '4102444800'],
  ['SET', 'k', 'v', 'PXAT', '4102444800000'],
  ['SET', 'k', 'v', 'KEEPTTL'],
  ['SET', 'k', 'v', 'EX', '0'],
  ['SET', 'nx2', 'v', 'XX'],
  ['SETNX', 'k', 'v'],
  ['SETNX', 'k2', 'v'],
  ['SETEX', 'k3', '100', 'v'],
  ['PSETEX', 'k4', '100000', 'v'],
  ['GETSET', 'k', 'new'],
  ['GETSET', 'fresh', 'new'],
  ['GETDEL', 'k2'],
  ['GETDEL', 'missing'],
  ['GETEX', 'k', 'EX', '100'],
  ['GETEX', 'k', 'PX', '100000'],
  ['GETEX', 'k', 'EXAT', '4102444800'],
  ['GETEX', 'k', 'PXAT', '4102444800000'],
  ['GETEX', 'k', 'PERSIST'],
  ['GETEX', 'k'],
  ['GETEX', 'k', 'EXAT', '1'],
  ['GETEX', 'missing', 'EX', '10'],
  ['MSET', 'a', '1', 'b', '2'],
  ['MSETNX', 'c', '3', 'd', '4'],
  ['MSETNX', 'c', '3', 'e', '5'],
  ['APPEND', 'a', 'x'],
  ['APPEND', 'ap', 'x'],
  ['SETRANGE', 'a', '3', 'yy'],
  ['SETRANGE', 'sr', '2', 'z'],
  ['SETRANGE', 'a', '0', ''],
  ['INCR', 'i'],
  ['DECR', 'i'],
  ['INCRBY', 'i', '5'],
  ['DECRBY', 'i', '2'],
  ['INCRBYFLOAT', 'f', '1.5'],
  ['INCR', 'a'],
  ['DEL', 'a', 'missing'],
  ['UNLINK', 'b', 'missing'],
  ['RENAME', 'c', 'c2'],
  ['RENAME', 'c2', 'c2'],
  ['RENAMENX', 'c2', 'd'],
  ['RENAMENX', 'c2', 'c3'],
  ['COPY', 'c3', 'cc'],
  ['COPY', 'c3', 'cc'],
  ['COPY', 'c3', 'cc', 'REPLACE'],
  ['COPY', 'c3', 'cc', 'DB', '1'],
  ['MOVE', 'cc', '1'],
  ['MOVE', 'missing', '1'],
  ['EXPIRE', 'd', '100'],
  ['PEXPIRE', 'd', '100000'],
  ['EXPIREAT', 'd', '4102444800'],
  ['PEXPIREAT', 'd', '4102444800000'],
  ['EXPIRE', 'd', '100', 'NX'],
  ['EXPIRE', 'd', '200', 'GT'],
  ['EXPIRE', 'd', '100', 'LT'],
  ['EXPIRE', 'd', '100', 'XX'],
  ['PERSIST', 'd'],
  ['PERSIST', 'd'],
  ['EXPIRE', 'missing', '10'],
  ['EXPIRE', 'd', '-1'],
  ['SET', 'p', 'v'],
  ['PEXPIREAT', 'p', '1'],
  ['SET', 'p', 'v'],
  ['EXPIREAT', 'p', '0'],
  ['GET', 'missing'],
  ['MGET', 'missing', 'i'],
  ['STRLEN', 'missing'],
  ['GETRANGE', 'missing', '0', '1'],
  ['EXISTS', 'missing'],
  ['TYPE', 'missing'],
  ['TTL', 'missing'],
  ['SET', 's0', 'x'],
  ['SELECT', '1'],
  ['SET', 's1', 'x'],
  ['SELECT', '0'],
  ['SWAPDB', '0', '1'],
  ['FLUSHDB'],
  ['SET', 'z', 'x'],
  ['FLUSHALL'],
];

/** The class mixes each run the same commands. */
const MIXES = ['KEA', 'E$', 'Kg', 'Ex', 'Em', 'KEm', 'A'];

/** Subscriber first (client 1), then each command from client 0 followed by a marker from the subscriber. */
function scenarioFor(flags: string, commands: string[][]): Step[] {
  const steps: Step[] = [
    { c: 0, call: ['CONFIG', 'SET', 'notify-keyspace-events', flags] },
    { c: 1, call: ['PSUBSCRIBE', '__key*@*__:*'] },
  ];
  commands.forEach((cmd, i) => {
    steps.push({ c: 0, call: cmd });
    steps.push({ c: 1, sync: `after-${i}` });
  });
  return steps;
}

describe('keyspace notifications against Redis 7.0.15', () => {
  const suite = scenarioSuite('notifications', { config: { 'enable-debug-command': 'yes' } });
  const oracle = suite.oracle;

  for (const flags of MIXES) {
    test(`notify-keyspace-events ${flags}: every write command`, async (t) => {
      await oracle.check(t, `write commands ${flags}`, suite.srv.port, { clients: 2, steps: scenarioFor(flags, COMMANDS) });
    });
  }

  // NOTIFY_NEW: Redis 7.0.15 publishes `new` when a key is created (dbAdd),
  // before the command's own event.
  test('notify-keyspace-events KEn: new keys', async (t) => {
    await oracle.check(t, 'write commands KEn', suite.srv.port, { clients: 2, steps: scenarioFor('KEn', COMMANDS) });
  });

  // The expired event comes from the store's expiry hook (lazy and active expiry).
  test('a key whose time passes: expired (KEA)', async (t) => {
    const steps: Step[] = [
      { c: 0, call: ['CONFIG', 'SET', 'notify-keyspace-events', 'KEA'] },
      { c: 1, call: ['PSUBSCRIBE', '__key*@*__:*'] },
      { c: 0, call: ['SET', 'e', 'v'] },
      { c: 0, call: ['PEXPIRE', 'e', '20'] },
      { sleep: 100 },
      // A read finds it expired: deleted lazily, with the event.
      { c: 0, call: ['GET', 'e'] },
      { c: 1, sync: 'expired' },
      // A SET (the fast path) and an MSET over keys past their time expire
      // them first (active expiry held off, so the writes are what find them).
      { c: 0, call: ['DEBUG', 'SET-ACTIVE-EXPIRE', '0'] },
      { c: 0, call: ['SET', 'f', 'v', 'PX', '20'] },
      { c: 0, call: ['SET', 'g', 'v', 'PX', '20'] },
      { sleep: 100 },
      { c: 0, call: ['SET', 'f', 'w'] },
      { c: 0, call: ['MSET', 'g', 'w', 'h', 'w'] },
      { c: 1, sync: 'after-set' },
      { c: 0, call: ['DEBUG', 'SET-ACTIVE-EXPIRE', '1'] },
    ];
    await oracle.check(t, 'expired KEA', suite.srv.port, { clients: 2, steps });
  });

  test('keyspace channel only (K with two classes), one channel subscribed', async (t) => {
    const steps: Step[] = [
      { c: 0, call: ['CONFIG', 'SET', 'notify-keyspace-events', 'K$g'] },
      { c: 1, call: ['SUBSCRIBE', '__keyspace@0__:k'] },
      { c: 0, call: ['SET', 'k', '1'] },
      { c: 0, call: ['INCR', 'k'] },
      { c: 0, call: ['DEL', 'k'] },
      { c: 1, sync: 'done' },
    ];
    await oracle.check(t, 'keyspace channel K$g', suite.srv.port, { clients: 2, steps });
  });
});
