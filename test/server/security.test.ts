/**
 * Network exposure and authentication: protected mode (the decision, and end
 * to end from a second local address when the machine has one), requirepass
 * with AUTH and HELLO AUTH, the NOAUTH and WRONGPASS strings, and a password
 * set at run time with CONFIG SET. Every expected string was checked against
 * redis-server 7.0.15 with the same bytes (DENIED names mini-kv instead).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { DENIED_PROTECTED_MODE } from '../../src/errors.js';
import { Config } from '../../src/server/config.js';
import { isLoopbackAddress, protectedModeDenies } from '../../src/server/limits.js';
import { resp as r, startTestServer, type TestServer } from '../helpers.js';
import { OTHER_LOOPBACK, RawConn } from './sockets.js';

const NOAUTH = '-NOAUTH Authentication required.\r\n';
const WRONGPASS = '-WRONGPASS invalid username-password pair or user is disabled.\r\n';
const HELLO_NOAUTH = '-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n';
const DENIED = `-${DENIED_PROTECTED_MODE}\r\n`;

const servers: TestServer[] = [];
const conns: RawConn[] = [];
after(async () => {
  for (const c of conns) c.destroy();
  for (const s of servers) await s.close();
});

async function server(config: Record<string, string | number>): Promise<TestServer> {
  const s = await startTestServer({ config });
  servers.push(s);
  return s;
}

async function open(port: number, opts: { host?: string; from?: string } = {}): Promise<RawConn> {
  const c = await RawConn.open(port, opts);
  conns.push(c);
  return c;
}

describe('protected mode', () => {
  test('protected mode - only 127.0.0.1 and ::1 (also IPv4-mapped) count as loopback, as in Redis', () => {
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(a), true, a);
    for (const a of ['127.0.0.2', '192.0.2.2', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', undefined]) assert.equal(isLoopbackAddress(a), false, String(a));
  });

  test('protected mode - denies a non-loopback client only when on and no password is set', () => {
    const on = new Config({});
    assert.equal(protectedModeDenies(on, '192.0.2.2'), true);
    assert.equal(protectedModeDenies(on, '127.0.0.1'), false);
    assert.equal(protectedModeDenies(new Config({ 'protected-mode': 'no' }), '192.0.2.2'), false);
    assert.equal(protectedModeDenies(new Config({ requirepass: 'pw' }), '192.0.2.2'), false);
  });

  test('protected mode - DENIED text is Redis 7.0.15\'s, naming mini-kv', () => {
    assert.ok(DENIED.startsWith('-DENIED mini-kv is running in protected mode because protected mode is enabled and no password is set for the default user.'));
    assert.ok(DENIED.includes('restart it with the \'--protected-mode no\' option.'));
    assert.ok(!DENIED.includes('Redis'));
  });

  test('protected mode - bound to 0.0.0.0, a client from 127.0.0.1 is served', async () => {
    const s = await server({ bind: '0.0.0.0' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
  });

  // Connects from 127.0.0.2 to 127.0.0.1: remote for protected mode, yet on loopback.
  const from = OTHER_LOOPBACK;

  test('protected mode - a client from another address gets DENIED and is closed', async () => {
    const s = await server({ bind: '0.0.0.0' });
    const c = await open(s.port, { from });
    c.write(r('PING'));
    assert.equal(await c.waitClose(), true);
    assert.equal(c.data, DENIED);
    assert.equal(s.server.stats.rejectedConnections, 1);
    assert.equal(s.server.clients.size, 0);
  });

  test('protected mode - --protected-mode no serves other addresses', async () => {
    const s = await server({ bind: '0.0.0.0', 'protected-mode': 'no' });
    const c = await open(s.port, { from });
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
  });

  test('protected mode - with a password set, other addresses are asked to authenticate', async () => {
    const s = await server({ bind: '0.0.0.0', requirepass: 'secret' });
    const c = await open(s.port, { from });
    assert.equal(await c.ask(r('PING'), NOAUTH.length), NOAUTH);
    assert.equal(await c.ask(r('AUTH', 'secret'), 5), '+OK\r\n');
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
  });

  test('protected mode - CONFIG SET protected-mode no from loopback opens the door for the next client', async () => {
    const s = await server({ bind: '0.0.0.0' });
    const local = await open(s.port);
    assert.equal(await local.ask(r('CONFIG', 'SET', 'protected-mode', 'no'), 5), '+OK\r\n');
    const c = await open(s.port, { from });
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
  });
});

describe('requirepass', () => {
  test('NOAUTH - every command but AUTH, HELLO and QUIT is refused before AUTH; unknown and arity errors come first', async () => {
    const s = await server({ requirepass: 'secret' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('PING'), NOAUTH.length), NOAUTH);
    assert.equal(await c.ask(r('SET', 'k', 'v'), NOAUTH.length), NOAUTH);
    assert.equal(await c.ask(r('CONFIG', 'GET', 'port'), NOAUTH.length), NOAUTH);
    const unknown = "-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n";
    assert.equal(await c.ask(r('FOO', 'bar'), unknown.length), unknown);
    const arity = "-ERR wrong number of arguments for 'get' command\r\n";
    assert.equal(await c.ask(r('GET'), arity.length), arity);
    assert.equal(await c.ask(r('HELLO', '3'), HELLO_NOAUTH.length), HELLO_NOAUTH);
    assert.equal(s.server.dbs[0]!.size(), 0);
    assert.equal(await c.ask(r('QUIT'), 5), '+OK\r\n');
    assert.equal(await c.waitClose(), true);
  });

  test('AUTH - a wrong password is WRONGPASS, the right one (alone or with user default) is OK', async () => {
    const s = await server({ requirepass: 'secret' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('AUTH', 'nope'), WRONGPASS.length), WRONGPASS);
    assert.equal(await c.ask(r('AUTH', 'someone', 'secret'), WRONGPASS.length), WRONGPASS);
    assert.equal(await c.ask(r('PING'), NOAUTH.length), NOAUTH);
    assert.equal(await c.ask(r('AUTH', 'secret'), 5), '+OK\r\n');
    assert.equal(await c.ask(r('SET', 'k', 'v'), 5), '+OK\r\n');
    // A failed AUTH later does not undo the earlier success (Redis 7.0).
    assert.equal(await c.ask(r('AUTH', 'wrong'), WRONGPASS.length), WRONGPASS);
    assert.equal(await c.ask(r('GET', 'k'), 7), '$1\r\nv\r\n');
    const c2 = await open(s.port);
    assert.equal(await c2.ask(r('AUTH', 'default', 'secret'), 5), '+OK\r\n');
    assert.equal(await c2.ask(r('GET', 'k'), 7), '$1\r\nv\r\n');
  });

  test('HELLO - AUTH default <pass> authenticates and switches protocol; a wrong one is WRONGPASS', async () => {
    const s = await server({ requirepass: 'secret' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('HELLO', '3', 'AUTH', 'default', 'bad'), WRONGPASS.length), WRONGPASS);
    const hello = await c.ask(r('HELLO', '3', 'AUTH', 'default', 'secret'), 20);
    assert.ok(hello.startsWith('%7\r\n'), hello);
    await c.expect('modules');
    const c3 = await open(s.port);
    assert.ok((await c3.ask(r('HELLO', '2', 'AUTH', 'default', 'secret', 'SETNAME', 'app'), 4)).startsWith('*14\r\n'));
  });

  test('requirepass - ioredis and node-redis authenticate with the password and work', async () => {
    const s = await server({ requirepass: 'secret' });
    const io = new Redis({ port: s.port, host: '127.0.0.1', password: 'secret', lazyConnect: true });
    await io.connect();
    assert.equal(await io.set('a', '1'), 'OK');
    assert.equal(await io.get('a'), '1');
    io.disconnect();
    const nr = createClient({ socket: { port: s.port, host: '127.0.0.1' }, password: 'secret' });
    nr.on('error', () => {});
    await nr.connect();
    assert.equal(await nr.get('a'), '1');
    await nr.quit();
    // A wrong password: ioredis reports WRONGPASS from its HELLO AUTH and gives up.
    const bad = new Redis({ port: s.port, host: '127.0.0.1', password: 'wrong', lazyConnect: true, retryStrategy: () => null });
    const errors: string[] = [];
    bad.on('error', (e: Error) => errors.push(e.message));
    await bad.connect().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    bad.disconnect();
    assert.ok(errors.some((m) => m.includes('WRONGPASS invalid username-password pair or user is disabled.')), errors.join('; '));
  });

  test('CONFIG SET requirepass - existing clients stay authenticated, new ones must AUTH; clearing it opens again', async () => {
    const s = await server({});
    const old = await open(s.port);
    const noPassword = '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n';
    assert.equal(await old.ask(r('AUTH', 'x'), noPassword.length), noPassword);
    assert.equal(await old.ask(r('CONFIG', 'SET', 'requirepass', 's3'), 5), '+OK\r\n');
    assert.equal(await old.ask(r('PING'), 7), '+PONG\r\n');
    const fresh = await open(s.port);
    assert.equal(await fresh.ask(r('PING'), NOAUTH.length), NOAUTH);
    assert.equal(await fresh.ask(r('AUTH', 's3'), 5), '+OK\r\n');
    assert.equal(await old.ask(r('CONFIG', 'SET', 'requirepass', ''), 5), '+OK\r\n');
    const open3 = await open(s.port);
    assert.equal(await open3.ask(r('PING'), 7), '+PONG\r\n');
  });
});

describe('requirepass cleared', () => {
  test('CONFIG SET requirepass "" - a client that never authenticated is let in, as in Redis 7.0', async () => {
    const s = await server({ requirepass: 'pw' });
    const c = await open(s.port);
    assert.equal(await c.ask(r('PING'), NOAUTH.length), NOAUTH);
    const admin = await open(s.port);
    assert.equal(await admin.ask(r('AUTH', 'pw'), 5), '+OK\r\n');
    assert.equal(await admin.ask(r('CONFIG', 'SET', 'requirepass', ''), 5), '+OK\r\n');
    assert.equal(await c.ask(r('PING'), 7), '+PONG\r\n');
  });
});
