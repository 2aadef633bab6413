/**
 * The blocked-client registry (src/commands/blocking.ts), before any
 * blocking command exists: a real server, real connections, and clients
 * blocked through the registry's own API with test callbacks, as a
 * blocking command's handler will block them. What is checked: the blocked
 * client's input waits and runs in order once it is served; a key written
 * through the call path (another client's SET, a write inside EXEC) serves
 * its waiters in the order they blocked; deadlines time out in deadline
 * order from one heap; CLIENT UNBLOCK TIMEOUT|ERROR; a closed client
 * leaves the registry; INFO blocked_clients and clients_in_timeout_table;
 * CLIENT LIST flag `b`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { BlockHandlers } from '../../src/commands/blocking.js';
import { CLIENT_BLOCKED, type ClientState } from '../../src/commands/state.js';
import type { CommandContext } from '../../src/commands/table.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { RespClient } from './resp-client.js';

/** Handlers that serve when the key holds a value, replying `+served <key>=<value>`, and time out with a null array. */
function serveWhenSet(log: string[], name: string): BlockHandlers {
  return {
    onKeyReady(ctx: CommandContext, key: string): boolean {
      const v = ctx.db.get(key, ctx.now);
      if (v === null || v === undefined) return false;
      log.push(`${name}:${key}`);
      ctx.reply.simple(`served ${key}`);
      return true;
    },
    onTimeout(ctx: CommandContext): void {
      log.push(`${name}:timeout`);
      ctx.reply.nullArray();
    },
  };
}

async function clientState(srv: TestServer, c: RespClient): Promise<ClientState> {
  const id = (await c.call('CLIENT', 'ID')) as number;
  const state = srv.server.clients.get(id);
  assert.ok(state !== undefined);
  return state;
}

function info(text: unknown, field: string): string {
  const m = new RegExp(`${field}:(\\S+)`).exec(String(text));
  assert.ok(m !== null, `${field} in INFO`);
  return m[1]!;
}

describe('blocked clients (registry)', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(async () => {
    await srv.close();
  });

  test('a blocked client is served when another client writes its key; its pipelined input runs after, in order', async () => {
    const a = await RespClient.connect(srv.port);
    const b = await RespClient.connect(srv.port);
    const log: string[] = [];
    const state = await clientState(srv, a);
    srv.server.blocking.block(state, 0, ['k'], 0, serveWhenSet(log, 'a'));
    assert.ok(state.flags & CLIENT_BLOCKED);
    a.send('PING', 'after');
    // Written to another key: a is not woken.
    assert.deepEqual(await b.call('SET', 'other', '1'), { simple: 'OK' });
    const list = String(await b.call('CLIENT', 'LIST'));
    assert.match(list, new RegExp(`id=${state.id} .* flags=b `));
    assert.equal(info(await b.call('INFO', 'clients'), 'blocked_clients'), '1');
    assert.equal(info(await b.call('INFO', 'clients'), 'clients_in_timeout_table'), '0');
    assert.equal(a.pending, 0);
    await b.call('SET', 'k', 'v');
    assert.deepEqual(await a.next(), { simple: 'served k' });
    assert.equal(await a.next(), 'after');
    assert.deepEqual(log, ['a:k']);
    assert.equal(state.flags & CLIENT_BLOCKED, 0);
    assert.equal(info(await b.call('INFO', 'clients'), 'blocked_clients'), '0');
    a.close();
    b.close();
  });

  test('waiters on one key are served in the order they blocked; one that cannot be served keeps waiting', async () => {
    const [a, b, c, w] = await Promise.all([0, 1, 2, 3].map(() => RespClient.connect(srv.port)));
    const log: string[] = [];
    await w!.call('DEL', 'q');
    const sa = await clientState(srv, a!);
    const sb = await clientState(srv, b!);
    const sc = await clientState(srv, c!);
    // b serves only once `q` has been seen by a: it refuses the first wake-up.
    let bRefused = false;
    const picky: BlockHandlers = {
      onKeyReady(ctx, key) {
        if (!bRefused) {
          bRefused = true;
          log.push('b:refused');
          return false;
        }
        return serveWhenSet(log, 'b').onKeyReady(ctx, key);
      },
      onTimeout: serveWhenSet(log, 'b').onTimeout,
    };
    srv.server.blocking.block(sa, 0, ['q'], 0, serveWhenSet(log, 'a'));
    srv.server.blocking.block(sb, 0, ['q'], 0, picky);
    srv.server.blocking.block(sc, 0, ['q', 'r'], 0, serveWhenSet(log, 'c'));
    assert.equal(srv.server.blocking.totalBlockingKeys, 2);
    // One write inside EXEC: the pass runs once, after EXEC.
    await w!.call('MULTI');
    await w!.call('SET', 'q', '1');
    await w!.call('SET', 'q', '2');
    assert.deepEqual(await w!.call('EXEC'), { array: [{ simple: 'OK' }, { simple: 'OK' }] });
    assert.deepEqual(await a!.next(), { simple: 'served q' });
    assert.deepEqual(await c!.next(), { simple: 'served q' });
    assert.deepEqual(log, ['a:q', 'b:refused', 'c:q']);
    assert.ok(sb.flags & CLIENT_BLOCKED);
    assert.equal(srv.server.blocking.totalBlockingKeys, 1);
    await w!.call('SET', 'q', '3');
    assert.deepEqual(await b!.next(), { simple: 'served q' });
    assert.equal(srv.server.blocking.totalBlockingKeys, 0);
    for (const x of [a, b, c, w]) x!.close();
  });

  test('deadlines time out in deadline order, whatever the order the clients blocked in', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => RespClient.connect(srv.port)));
    const states = await Promise.all(clients.map((c) => clientState(srv, c)));
    const log: string[] = [];
    const far = Date.now() + 3_600_000;
    // Blocked with deadlines far, nearer, nearest: the heap answers nearest first.
    srv.server.blocking.block(states[0]!, 0, ['t0'], far + 300, serveWhenSet(log, 'c0'));
    srv.server.blocking.block(states[1]!, 0, ['t1'], far + 200, serveWhenSet(log, 'c1'));
    srv.server.blocking.block(states[2]!, 0, ['t2'], far + 100, serveWhenSet(log, 'c2'));
    const probe = await RespClient.connect(srv.port);
    assert.equal(info(await probe.call('INFO', 'clients'), 'clients_in_timeout_table'), '3');
    srv.server.blocking.checkTimeouts(far + 150);
    assert.deepEqual(log, ['c2:timeout']);
    srv.server.blocking.checkTimeouts(far + 1000);
    assert.deepEqual(log, ['c2:timeout', 'c1:timeout', 'c0:timeout']);
    for (const c of clients) assert.deepEqual(await c.next(), null);
    assert.equal(info(await probe.call('INFO', 'clients'), 'clients_in_timeout_table'), '0');
    for (const c of [...clients, probe]) c.close();
  });

  test('the server timer answers a deadline that passes', async () => {
    const a = await RespClient.connect(srv.port);
    const state = await clientState(srv, a);
    const log: string[] = [];
    srv.server.blocking.block(state, 0, ['never'], Date.now() + 30, serveWhenSet(log, 'a'));
    // Waits for the reply the timer causes; no assertion on when it comes.
    assert.deepEqual(await a.next(), null);
    assert.deepEqual(log, ['a:timeout']);
    a.close();
  });

  test('CLIENT UNBLOCK - TIMEOUT answers as timed out, ERROR with -UNBLOCKED, and a client not blocked gives 0', async () => {
    const a = await RespClient.connect(srv.port);
    const b = await RespClient.connect(srv.port);
    const sa = await clientState(srv, a);
    const log: string[] = [];
    srv.server.blocking.block(sa, 0, ['u'], 0, serveWhenSet(log, 'a'));
    assert.equal(await b.call('CLIENT', 'UNBLOCK', String(sa.id)), 1);
    assert.deepEqual(await a.next(), null);
    srv.server.blocking.block(sa, 0, ['u'], 0, serveWhenSet(log, 'a'));
    assert.equal(await b.call('CLIENT', 'UNBLOCK', String(sa.id), 'error'), 1);
    assert.deepEqual(await a.next(), { error: 'UNBLOCKED client unblocked via CLIENT UNBLOCK' });
    assert.equal(await b.call('CLIENT', 'UNBLOCK', String(sa.id)), 0);
    assert.equal(await b.call('CLIENT', 'UNBLOCK', '999999'), 0);
    assert.deepEqual(log, ['a:timeout']);
    a.close();
    b.close();
  });

  test('SWAPDB - a client waiting on a key of database 0 is served when SWAPDB brings in a database holding it', async () => {
    const a = await RespClient.connect(srv.port);
    const w = await RespClient.connect(srv.port);
    const sa = await clientState(srv, a);
    const log: string[] = [];
    await w.call('SELECT', '9');
    await w.call('SET', 'swapped', 'in');
    srv.server.blocking.block(sa, 0, ['swapped', 'absent'], 0, serveWhenSet(log, 'a'));
    // A swap of two other databases changes nothing for it.
    assert.deepEqual(await w.call('SWAPDB', '3', '4'), { simple: 'OK' });
    assert.ok(sa.flags & CLIENT_BLOCKED);
    assert.deepEqual(await w.call('SWAPDB', '0', '9'), { simple: 'OK' });
    assert.deepEqual(await a.next(), { simple: 'served swapped' });
    assert.deepEqual(log, ['a:swapped']);
    assert.deepEqual(await w.call('SWAPDB', '0', '9'), { simple: 'OK' });
    a.close();
    w.close();
  });

  test('a blocked client that disconnects leaves the registry', async () => {
    const a = await RespClient.connect(srv.port);
    const b = await RespClient.connect(srv.port);
    const sa = await clientState(srv, a);
    srv.server.blocking.block(sa, 0, ['gone'], Date.now() + 3_600_000, serveWhenSet([], 'a'));
    assert.equal(srv.server.blocking.blockedClients, 1);
    a.close();
    for (let i = 0; i < 100 && srv.server.clients.has(sa.id); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(srv.server.blocking.blockedClients, 0);
    assert.equal(srv.server.blocking.clientsWithTimeout, 0);
    assert.equal(srv.server.blocking.totalBlockingKeys, 0);
    // Its key has no waiters: writing it is an ordinary write.
    assert.deepEqual(await b.call('SET', 'gone', '1'), { simple: 'OK' });
    b.close();
  });
});
