/**
 * The pubsub group through raw sockets (RESP2 and RESP3), ioredis's
 * subscriber mode and node-redis's subscriber (a duplicate() client, RESP2
 * and RESP3): confirmations and their counts, messages from channels,
 * patterns and shard channels, RESP2 subscribed mode's errors and PING,
 * RESP3 pushes interleaved with replies, PUBSUB's subcommands, clean-up on
 * close, and the pubsub class of client-output-buffer-limit. Replies are
 * compared with Redis 7.0.15 through scenarios where they do not depend on
 * the client (ids, hash order); the rest were taken from Redis by hand.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { startTestServer, type TestServer } from '../helpers.js';
import { RespClient, type Tree } from './resp-client.js';
import { scenarioSuite, type Step } from './scenario.js';
import { deliverMessage, isSubscribed, unsubscribeAll } from '../../src/commands/pubsub.js';
import { CLIENT_PUBSUB } from '../../src/commands/state.js';

const subscribedError = (cmd: string): Tree => ({
  error: `ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
});

/** Polls `cond` (an observable fact, never a time bound) until it holds. */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 5));
}

describe('pub/sub against Redis 7.0.15 (scenarios)', () => {
  const suite = scenarioSuite('pubsub');
  const oracle = suite.oracle;

  const scenarios: Record<string, Step[]> = {
    'subscribe, publish, unsubscribe (RESP2)': [
      { c: 1, call: ['SUBSCRIBE', 'a', 'b', 'a'] },
      { c: 1, call: ['PSUBSCRIBE', 'a*', 'x?'] },
      { c: 1, next: 3 },
      { c: 0, call: ['PUBLISH', 'a', 'hello'] },
      { c: 0, call: ['PUBLISH', 'xy', 'pat'] },
      { c: 0, call: ['PUBLISH', 'nobody', 'm'] },
      { c: 0, call: ['PUBLISH', 'b', ''] },
      { c: 1, sync: 's1' },
      { c: 1, call: ['PING'] },
      { c: 1, call: ['PING', 'hi'] },
      { c: 1, call: ['UNSUBSCRIBE', 'a', 'zz'] },
      { c: 1, next: 1 },
      { c: 1, call: ['PUNSUBSCRIBE', 'x?'] },
      { c: 1, call: ['UNSUBSCRIBE'] },
      { c: 1, call: ['PUNSUBSCRIBE'] },
      { c: 1, call: ['UNSUBSCRIBE'] },
      { c: 1, call: ['PUNSUBSCRIBE'] },
      { c: 1, call: ['SUNSUBSCRIBE'] },
      // Out of subscribed mode: any command again.
      { c: 1, call: ['PING'] },
      { c: 1, call: ['SET', 'k', 'v'] },
    ],
    'RESP2 subscribed mode refuses other commands': [
      { c: 0, call: ['SUBSCRIBE', 'ch'] },
      { c: 0, call: ['GET', 'k'] },
      { c: 0, call: ['SET', 'k', 'v'] },
      { c: 0, call: ['PUBLISH', 'ch', 'x'] },
      { c: 0, call: ['CONFIG', 'GET', 'port'] },
      { c: 0, call: ['PUBSUB', 'NUMSUB', 'ch'] },
      { c: 0, call: ['MULTI'] },
      { c: 0, call: ['NOSUCH'] },
      { c: 0, call: ['SUBSCRIBE'] },
      { c: 0, call: ['PSUBSCRIBE', 'p*'] },
      { c: 0, call: ['SSUBSCRIBE', 's'] },
      { c: 0, call: ['UNSUBSCRIBE', 'ch'] },
      { c: 0, call: ['GET', 'k'] },
      { c: 0, call: ['PUNSUBSCRIBE', 'p*'] },
      { c: 0, call: ['GET', 'k'] },
      { c: 0, call: ['SUNSUBSCRIBE', 's'] },
      { c: 0, call: ['GET', 'k'] },
    ],
    'shard channels': [
      { c: 1, call: ['SSUBSCRIBE', 's1', 's2'] },
      { c: 1, next: 1 },
      { c: 1, call: ['SUBSCRIBE', 's1'] },
      { c: 0, call: ['SPUBLISH', 's1', 'sharded'] },
      { c: 0, call: ['PUBLISH', 's1', 'plain'] },
      { c: 0, call: ['SPUBLISH', 'nobody', 'm'] },
      { c: 1, sync: 's' },
      { c: 0, call: ['PUBSUB', 'SHARDCHANNELS', 's1'] },
      { c: 0, call: ['PUBSUB', 'SHARDCHANNELS', 'z*'] },
      { c: 0, call: ['PUBSUB', 'SHARDNUMSUB', 's1', 's2', 'none'] },
      { c: 0, call: ['PUBSUB', 'SHARDNUMSUB'] },
      { c: 1, call: ['SUNSUBSCRIBE', 's1'] },
      { c: 1, call: ['SUNSUBSCRIBE', 's1'] },
      { c: 1, call: ['SUNSUBSCRIBE'] },
      { c: 1, call: ['SUNSUBSCRIBE'] },
      { c: 1, call: ['UNSUBSCRIBE'] },
      { c: 0, call: ['PUBSUB', 'SHARDNUMSUB', 's1'] },
    ],
    'PUBSUB subcommands and errors': [
      { c: 1, call: ['SUBSCRIBE', 'news'] },
      { c: 2, call: ['SUBSCRIBE', 'news'] },
      { c: 2, call: ['PSUBSCRIBE', 'n*', 'm*'] },
      { c: 2, next: 1 },
      { c: 1, call: ['PSUBSCRIBE', 'n*'] },
      { c: 0, call: ['PUBSUB', 'CHANNELS'] },
      { c: 0, call: ['PUBSUB', 'CHANNELS', 'n*'] },
      { c: 0, call: ['PUBSUB', 'CHANNELS', 'z*'] },
      { c: 0, call: ['PUBSUB', 'NUMSUB', 'news', 'n*', 'none'] },
      { c: 0, call: ['PUBSUB', 'NUMSUB'] },
      { c: 0, call: ['PUBSUB', 'NUMPAT'] },
      { c: 0, call: ['PUBLISH', 'news', 'x'] },
      { c: 1, sync: 'c1' },
      { c: 2, sync: 'c2' },
      { c: 0, call: ['PUBSUB', 'HELP'] },
      { c: 0, call: ['pubsub', 'help'] },
      { c: 0, call: ['PUBSUB', 'FOO'] },
      { c: 0, call: ['PUBSUB', 'CHANNELS', 'a', 'b'] },
      { c: 0, call: ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'] },
      { c: 0, call: ['PUBSUB', 'NUMPAT', 'x'] },
      { c: 0, call: ['PUBSUB', 'HELP', 'x'] },
      { c: 0, call: ['PUBSUB'] },
      { c: 0, call: ['SUBSCRIBE'] },
      { c: 0, call: ['PSUBSCRIBE'] },
      { c: 0, call: ['SSUBSCRIBE'] },
      { c: 0, call: ['PUBLISH', 'ch'] },
      { c: 0, call: ['SPUBLISH', 'ch', 'a', 'b'] },
    ],
    'subscribe inside MULTI': [
      { c: 0, call: ['MULTI'] },
      { c: 0, call: ['SUBSCRIBE', 'm'] },
      { c: 0, call: ['SSUBSCRIBE', 'sm'] },
      { c: 0, call: ['PSUBSCRIBE', 'pm*'] },
      { c: 0, call: ['EXEC'] },
      { c: 0, call: ['GET', 'k'] },
      { c: 0, call: ['UNSUBSCRIBE', 'm'] },
      { c: 0, call: ['PUNSUBSCRIBE', 'pm*'] },
      { c: 0, call: ['GET', 'k'] },
    ],
    'binary and empty channel names and messages': [
      { c: 1, call: ['SUBSCRIBE', '', 'caf\xe9', 'a\r\nb'] },
      { c: 1, next: 2 },
      { c: 0, call: ['PUBLISH', '', ''] },
      { c: 0, call: ['PUBLISH', 'caf\xe9', '\x00\xff'] },
      { c: 0, call: ['PUBLISH', 'a\r\nb', 'x'.repeat(70000)] },
      { c: 1, sync: 'bin' },
    ],
  };

  for (const [name, steps] of Object.entries(scenarios)) {
    test(name, async (t) => {
      await oracle.check(t, name, suite.srv.port, { clients: 3, steps });
    });
  }
});

describe('pub/sub through clients', () => {
  let srv: TestServer;
  const logLines: string[] = [];
  before(async () => {
    srv = await startTestServer({ log: (l) => logLines.push(l) });
  });
  after(() => srv.close());

  test('RESP3: confirmations are pushes, messages interleave with replies in order', async () => {
    const c = await RespClient.connect(srv.port);
    const p = await RespClient.connect(srv.port);
    try {
      await c.call('HELLO', '3');
      assert.deepEqual(await c.call('SUBSCRIBE', 'q'), { push: ['subscribe', 'q', 1] });
      assert.deepEqual(await c.call('PSUBSCRIBE', 'q*'), { push: ['psubscribe', 'q*', 2] });
      // Any command runs while subscribed in RESP3.
      assert.deepEqual(await c.call('SET', 'k', 'v'), { simple: 'OK' });
      assert.deepEqual(await c.call('PING'), { simple: 'PONG' });
      // The client publishes to itself: the pushes come before PUBLISH's reply, then GET's.
      c.write('*3\r\n$7\r\nPUBLISH\r\n$1\r\nq\r\n$2\r\nhi\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
      assert.deepEqual(await c.next(), { push: ['message', 'q', 'hi'] });
      assert.deepEqual(await c.next(), { push: ['pmessage', 'q*', 'q', 'hi'] });
      assert.equal(await c.next(), 2);
      assert.equal(await c.next(), 'v');
      // Another client's message between two of this client's replies.
      assert.equal(await c.call('GET', 'k'), 'v');
      assert.equal(await p.call('PUBLISH', 'q', 'other'), 2);
      assert.deepEqual(await c.call('GET', 'k'), { push: ['message', 'q', 'other'] });
      assert.deepEqual(await c.next(), { push: ['pmessage', 'q*', 'q', 'other'] });
      assert.equal(await c.next(), 'v');
      assert.deepEqual(await c.call('UNSUBSCRIBE'), { push: ['unsubscribe', 'q', 1] });
      assert.deepEqual(await c.call('PUNSUBSCRIBE'), { push: ['punsubscribe', 'q*', 0] });
      assert.deepEqual(await c.call('UNSUBSCRIBE'), { push: ['unsubscribe', null, 0] });
      assert.deepEqual(await c.call('SSUBSCRIBE', 's'), { push: ['ssubscribe', 's', 1] });
      assert.equal(await p.call('SPUBLISH', 's', 'x'), 1);
      assert.deepEqual(await c.next(), { push: ['smessage', 's', 'x'] });
    } finally {
      c.close();
      p.close();
    }
  });

  test('RESP2 and RESP3 subscribers of one channel each get their own encoding', async () => {
    const c2 = await RespClient.connect(srv.port);
    const c3 = await RespClient.connect(srv.port);
    const p = await RespClient.connect(srv.port);
    try {
      await c3.call('HELLO', '3');
      assert.deepEqual(await c2.call('SUBSCRIBE', 'both'), { array: ['subscribe', 'both', 1] });
      assert.deepEqual(await c3.call('SUBSCRIBE', 'both'), { push: ['subscribe', 'both', 1] });
      assert.equal(await p.call('PUBLISH', 'both', 'm'), 2);
      assert.deepEqual(await c2.next(), { array: ['message', 'both', 'm'] });
      assert.deepEqual(await c3.next(), { push: ['message', 'both', 'm'] });
    } finally {
      c2.close();
      c3.close();
      p.close();
    }
  });

  test('many messages in one turn reach a subscriber whole and in order (one write up to 16 KB, a writev past it)', async () => {
    const sub = net.connect(srv.port, '127.0.0.1');
    let got = '';
    sub.setEncoding('latin1');
    sub.on('data', (d: string) => (got += d));
    const p = await RespClient.connect(srv.port);
    try {
      sub.write('*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nturn\r\n');
      const confirm = '*3\r\n$9\r\nsubscribe\r\n$4\r\nturn\r\n:1\r\n';
      await until(() => got === confirm);
      got = '';
      // Each write of PUBLISHes runs in one turn, and the subscriber's
      // messages are queued together before they are written: 50 small ones
      // (copied into one write), then 3 of 8 KB (a writev).
      const bulk = (x: string): string => `$${x.length}\r\n${x}\r\n`;
      for (const bodies of [Array.from({ length: 50 }, (_, i) => `m${i}`), Array.from({ length: 3 }, (_, i) => String(i).repeat(8000))]) {
        got = '';
        p.write(bodies.map((b) => `*3\r\n${bulk('PUBLISH')}${bulk('turn')}${bulk(b)}`).join(''));
        for (let i = 0; i < bodies.length; i++) assert.equal(await p.next(), 1);
        const expected = bodies.map((b) => `*3\r\n${bulk('message')}${bulk('turn')}${bulk(b)}`).join('');
        await until(() => got.length >= expected.length);
        assert.equal(got, expected);
      }
    } finally {
      sub.destroy();
      p.close();
    }
  });

  test('a closed subscriber is forgotten', async () => {
    const c = await RespClient.connect(srv.port);
    const p = await RespClient.connect(srv.port);
    try {
      await c.call('SUBSCRIBE', 'gone');
      await c.call('PSUBSCRIBE', 'gone*');
      await c.call('SSUBSCRIBE', 'sgone');
      assert.deepEqual(await p.call('PUBSUB', 'NUMSUB', 'gone'), { array: ['gone', 1] });
      // INFO stats counts what PUBSUB lists (earlier tests' clients may still be closing: compare, do not assume).
      const channels = ((await p.call('PUBSUB', 'CHANNELS')) as { array: Tree[] }).array.length;
      const shard = ((await p.call('PUBSUB', 'SHARDCHANNELS')) as { array: Tree[] }).array.length;
      const patterns = (await p.call('PUBSUB', 'NUMPAT')) as number;
      assert.ok(channels >= 1 && shard >= 1 && patterns >= 1);
      const info = (await p.call('INFO', 'stats')) as string;
      assert.ok(info.includes(`\r\npubsub_channels:${channels}\r\npubsub_patterns:${patterns}\r\npubsubshard_channels:${shard}\r\n`), info);
      c.close();
      await until(async () => JSON.stringify(await p.call('PUBSUB', 'NUMSUB', 'gone')) === JSON.stringify({ array: ['gone', 0] }));
      assert.equal(await p.call('PUBSUB', 'NUMPAT'), 0);
      assert.deepEqual(await p.call('PUBSUB', 'SHARDCHANNELS'), { array: [] });
      assert.equal(await p.call('PUBLISH', 'gone', 'x'), 0);
    } finally {
      p.close();
    }
  });

  test('isSubscribed, deliverMessage and unsubscribeAll (for client tracking and RESET)', async () => {
    const c = await RespClient.connect(srv.port);
    try {
      const id = (await c.call('CLIENT', 'ID')) as number;
      await c.call('SUBSCRIBE', '__redis__:invalidate');
      const state = srv.server.clients.get(id)!;
      assert.equal(isSubscribed(srv.server, state, '__redis__:invalidate'), true);
      assert.equal(isSubscribed(srv.server, state, 'other'), false);
      deliverMessage(state, '__redis__:invalidate', 'k');
      assert.deepEqual(await c.next(), { array: ['message', '__redis__:invalidate', 'k'] });
      unsubscribeAll(srv.server, state);
      assert.equal(state.flags & CLIENT_PUBSUB, 0);
      assert.equal(isSubscribed(srv.server, state, '__redis__:invalidate'), false);
      // Out of subscribed mode without a reply: any command runs.
      assert.equal(await c.call('ECHO', 'x'), 'x');
    } finally {
      c.close();
    }
  });

  test('ioredis subscriber mode: message, pmessage, smessage and unsubscribe', async () => {
    const sub = new Redis({ port: srv.port, lazyConnect: true });
    const pub = new Redis({ port: srv.port, lazyConnect: true });
    await sub.connect();
    await pub.connect();
    try {
      const got: string[] = [];
      sub.on('message', (ch: string, msg: string) => got.push(`message ${ch} ${msg}`));
      sub.on('pmessage', (pat: string, ch: string, msg: string) => got.push(`pmessage ${pat} ${ch} ${msg}`));
      assert.equal(await sub.subscribe('news', 'sport'), 2);
      assert.equal(await sub.psubscribe('n*'), 3);
      assert.equal(await pub.publish('news', 'hello'), 2);
      assert.equal(await pub.publish('sport', 'goal'), 1);
      await until(() => got.length === 3);
      assert.deepEqual(got, ['message news hello', 'pmessage n* news hello', 'message sport goal']);
      assert.deepEqual(await pub.pubsub('NUMSUB', 'news', 'sport'), ['news', 1, 'sport', 1]);
      assert.equal(await sub.unsubscribe('news'), 2);
      assert.equal(await pub.publish('news', 'again'), 1);
      await until(() => got.length === 4);
      assert.equal(got[3], 'pmessage n* news again');
      // PING in subscriber mode: the server answers [pong, ''] (the scenarios check it), which ioredis turns into PONG.
      assert.equal(await sub.ping(), 'PONG');
      // By name: ioredis 6's argument-less (P)UNSUBSCRIBE never resolves, against Redis as well.
      assert.equal(await sub.punsubscribe('n*'), 1);
      assert.equal(await sub.unsubscribe('sport'), 0);
      // Out of subscriber mode, an ordinary command works again.
      assert.equal(await sub.set('after', '1'), 'OK');
    } finally {
      sub.disconnect();
      pub.disconnect();
    }
  });

  for (const RESP of [2, 3] as const) {
    test(`node-redis subscriber (duplicate(), RESP${RESP}): subscribe, pSubscribe, sSubscribe`, async () => {
      const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP });
      await client.connect();
      const sub = client.duplicate();
      await sub.connect();
      try {
        const got: string[] = [];
        await sub.subscribe('orders', (msg, ch) => got.push(`${ch}:${msg}`));
        await sub.pSubscribe('ord*', (msg, ch) => got.push(`p ${ch}:${msg}`));
        await sub.sSubscribe('shard', (msg, ch) => got.push(`s ${ch}:${msg}`));
        assert.equal(await client.publish('orders', 'o1'), 2);
        assert.equal(await client.sPublish('shard', 's1'), 1);
        await until(() => got.length === 3);
        assert.deepEqual(got.sort(), ['orders:o1', 'p orders:o1', 's shard:s1']);
        assert.deepEqual(await client.pubSubNumSub(['orders']), { orders: 1 });
        assert.equal(await client.pubSubNumPat(), 1);
        assert.deepEqual(await client.pubSubChannels(), ['orders']);
        await sub.unsubscribe('orders');
        await sub.pUnsubscribe('ord*');
        await sub.sUnsubscribe('shard');
        assert.deepEqual(await client.pubSubNumSub(['orders']), { orders: 0 });
        assert.equal(await client.publish('orders', 'o2'), 0);
      } finally {
        await sub.quit();
        await client.quit();
      }
    });
  }

  test('client-output-buffer-limit pubsub (hard): a subscriber that never reads is closed, with the log line', async () => {
    const admin = await RespClient.connect(srv.port);
    assert.deepEqual(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 256kb 0 0'), { simple: 'OK' });
    // A raw subscriber that stops reading after its confirmation.
    const sock = net.connect(srv.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nslow\r\n');
    await new Promise<void>((r) => sock.once('data', () => r()));
    sock.pause();
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.on('error', () => {});
    const idLine = (await admin.call('CLIENT', 'LIST')) as string;
    const slowId = /id=(\d+) [^\n]*cmd=subscribe/.exec(idLine)![1]!;
    const big = 'x'.repeat(100 * 1024);
    let receivers = 1;
    let sent = 0;
    // The kernel takes some megabytes first; then the backlog grows past the limit.
    while (receivers === 1 && sent < 2000) {
      receivers = (await admin.call('PUBLISH', 'slow', big)) as number;
      sent++;
    }
    assert.equal(receivers, 0, 'the subscriber was closed');
    // Reading again lets the paused socket see the server's close.
    sock.resume();
    await closed;
    assert.ok(logLines.some((l) => l.includes(`Client id=${slowId} `) && l.endsWith('scheduled to be closed ASAP for overcoming of output buffer limits.')), logLines.join('\n'));
    assert.deepEqual(await admin.call('PUBSUB', 'NUMSUB', 'slow'), { array: ['slow', 0] });
    await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
    admin.close();
  });

  test('client-output-buffer-limit pubsub (soft): over the soft limit for longer than its seconds', async () => {
    const admin = await RespClient.connect(srv.port);
    assert.deepEqual(await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 256kb 5'), { simple: 'OK' });
    srv.server.clock.freeze();
    try {
      const sock = net.connect(srv.port, '127.0.0.1');
      await new Promise<void>((r) => sock.once('connect', () => r()));
      sock.write('*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nsoft\r\n');
      await new Promise<void>((r) => sock.once('data', () => r()));
      sock.pause();
      const closed = new Promise<void>((r) => sock.once('close', () => r()));
      sock.on('error', () => {});
      const big = 'x'.repeat(100 * 1024);
      // Past the soft limit, with the clock stopped: it stays open however much waits.
      let omem = 0;
      for (let sent = 0; omem < 512 * 1024 && sent < 2000; sent++) {
        assert.equal(await admin.call('PUBLISH', 'soft', big), 1);
        const list = (await admin.call('CLIENT', 'LIST')) as string;
        omem = Number(/omem=(\d+)[^\n]*cmd=subscribe/.exec(list)?.[1] ?? 0);
      }
      assert.ok(omem >= 512 * 1024, `backlog ${omem}`);
      assert.deepEqual(await admin.call('PUBSUB', 'NUMSUB', 'soft'), { array: ['soft', 1] });
      // Five seconds later, the next message closes it.
      srv.server.clock.advance(5001);
      assert.equal(await admin.call('PUBLISH', 'soft', big), 1);
      sock.resume();
      await closed;
      assert.deepEqual(await admin.call('PUBSUB', 'NUMSUB', 'soft'), { array: ['soft', 0] });
    } finally {
      srv.server.clock.unfreeze();
      await admin.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 32mb 8mb 60');
      admin.close();
    }
  });
});
