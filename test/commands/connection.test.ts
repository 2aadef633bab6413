/**
 * The connection group: PING, ECHO, QUIT, HELLO, AUTH, SELECT and CLIENT,
 * through ioredis, node-redis (RESP2 and RESP3), raw sockets and redis-cli.
 * Expected replies and errors were checked against Redis 7.0.15.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { NO_REDIS_CLI, rawExchange, redisCli, resp, startTestServer, type TestServer } from '../helpers.js';
import { field, RespClient, type Tree } from './resp-client.js';

const run = promisify(execFile);

/** The HELLO reply fields after `id`, the same for every client. */
function helloFields(t: Tree, proto: number): void {
  assert.equal(field(t, 'server'), 'redis');
  assert.equal(field(t, 'version'), '7.0.15');
  assert.equal(field(t, 'proto'), proto);
  assert.equal(typeof field(t, 'id'), 'number');
  assert.equal(field(t, 'mode'), 'standalone');
  assert.equal(field(t, 'role'), 'master');
  assert.deepEqual(field(t, 'modules'), { array: [] });
}

/** CLIENT LIST/INFO field names, in Redis 7.0.15's order. */
const CLIENT_FIELDS = [
  'id', 'addr', 'laddr', 'fd', 'name', 'age', 'idle', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'qbuf',
  'qbuf-free', 'argv-mem', 'multi-mem', 'rbs', 'rbp', 'obl', 'oll', 'omem', 'tot-mem', 'events', 'cmd', 'user',
  'redir', 'resp',
];

function parseClientLine(line: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of line.split(' ')) {
    const eq = kv.indexOf('=');
    m.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return m;
}

describe('connection commands', () => {
  let srv: TestServer;
  let redis: Redis;
  let c: RespClient;

  before(async () => {
    srv = await startTestServer();
    redis = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
    await redis.connect();
    c = await RespClient.connect(srv.port);
  });

  after(async () => {
    redis.disconnect();
    c.close();
    await srv.close();
  });

  describe('PING, ECHO, QUIT', () => {
    test('PING - PONG, or the message as a bulk', async () => {
      assert.equal(await redis.ping(), 'PONG');
      assert.equal(await redis.ping('hello world'), 'hello world');
      assert.deepEqual(await c.call('PING'), { simple: 'PONG' });
      assert.deepEqual(await c.call('PING', 'x'), 'x');
    });

    test('PING - more than one argument is an arity error', async () => {
      assert.deepEqual(await c.call('PING', 'a', 'b'), { error: "ERR wrong number of arguments for 'ping' command" });
    });

    test('ECHO - binary-safe round trip', async () => {
      const bytes = Buffer.from([0, 255, 13, 10, 1, 128]);
      const r = await rawExchange(srv.port, resp('ECHO', bytes), { expect: 6 + 6 });
      assert.equal(r.data, '$6\r\n' + bytes.toString('latin1') + '\r\n');
      assert.deepEqual(await c.call('ECHO'), { error: "ERR wrong number of arguments for 'echo' command" });
    });

    test('QUIT - answers OK and closes the connection', async () => {
      const r = await rawExchange(srv.port, resp('QUIT'));
      assert.equal(r.data, '+OK\r\n');
      assert.equal(r.closed, true);
    });
  });

  describe('HELLO', () => {
    test('HELLO - no argument reports the context in RESP2 without switching', async () => {
      const t = await c.call('HELLO');
      assert.ok(typeof t === 'object' && t !== null && 'array' in t && t.array.length === 14);
      helloFields(t, 2);
      assert.equal(field(t, 'id'), await c.call('CLIENT', 'ID'));
    });

    test('HELLO 3 - the reply itself is a RESP3 map, and so is what follows', async () => {
      const x = await RespClient.connect(srv.port);
      const t = await x.call('HELLO', '3');
      assert.ok(typeof t === 'object' && t !== null && 'map' in t && t.map.length === 14);
      helloFields(t, 3);
      assert.equal(await x.call('GET', 'hello-3-missing-key'), null);
      const raw = await rawExchange(srv.port, [resp('HELLO', '3'), resp('GET', 'hello-3-missing-key')], { expect: '_\r\n' });
      assert.ok(raw.data.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n$2\r\nid\r\n:'), raw.data);
      assert.ok(raw.data.endsWith('$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n_\r\n'), raw.data);
      // And back to RESP2.
      helloFields(await x.call('HELLO', '2'), 2);
      const raw2 = await rawExchange(srv.port, [resp('HELLO', '3'), resp('HELLO', '2'), resp('GET', 'hello-3-missing-key')], { expect: '$-1\r\n' });
      assert.ok(raw2.data.endsWith('*0\r\n$-1\r\n'), raw2.data);
      x.close();
    });

    test('HELLO - unsupported and malformed protocol versions', async () => {
      assert.deepEqual(await c.call('HELLO', '1'), { error: 'NOPROTO unsupported protocol version' });
      assert.deepEqual(await c.call('HELLO', '4'), { error: 'NOPROTO unsupported protocol version' });
      assert.deepEqual(await c.call('HELLO', 'x'), { error: 'ERR Protocol version is not an integer or out of range' });
      assert.deepEqual(await c.call('HELLO', '3.0'), { error: 'ERR Protocol version is not an integer or out of range' });
    });

    test('HELLO - options need their arguments; unknown options are syntax errors', async () => {
      assert.deepEqual(await c.call('HELLO', '3', 'AUTH'), { error: "ERR Syntax error in HELLO option 'AUTH'" });
      assert.deepEqual(await c.call('HELLO', '3', 'auth', 'default'), { error: "ERR Syntax error in HELLO option 'auth'" });
      assert.deepEqual(await c.call('HELLO', '3', 'setname'), { error: "ERR Syntax error in HELLO option 'setname'" });
      assert.deepEqual(await c.call('HELLO', '3', 'foo'), { error: "ERR Syntax error in HELLO option 'foo'" });
      assert.deepEqual(await c.call('HELLO', '3', 'SETNAME', 'a', 'b'), { error: "ERR Syntax error in HELLO option 'b'" });
      // None of these switched the protocol.
      assert.deepEqual(await c.call('PING'), { simple: 'PONG' });
      assert.equal(await c.call('GET', 'hello-missing'), null);
    });

    test('HELLO SETNAME - names the client; bad names are refused before switching', async () => {
      const x = await RespClient.connect(srv.port);
      assert.deepEqual(await x.call('HELLO', '3', 'SETNAME', 'bad name'), { error: 'ERR Client names cannot contain spaces, newlines or special characters.' });
      assert.equal(await x.call('CLIENT', 'GETNAME'), null);
      helloFields(await x.call('HELLO', '2', 'SETNAME', 'via-hello'), 2);
      assert.equal(await x.call('CLIENT', 'GETNAME'), 'via-hello');
      x.close();
    });

    test('HELLO AUTH - with no password set the default user takes any password', async () => {
      const x = await RespClient.connect(srv.port);
      helloFields(await x.call('HELLO', '3', 'AUTH', 'default', 'anything'), 3);
      assert.deepEqual(await x.call('HELLO', '2', 'AUTH', 'nobody', 'x'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
      // A failed HELLO keeps the protocol it had.
      assert.deepEqual(await x.call('HELLO'), await x.call('HELLO'));
      assert.equal(field(await x.call('HELLO'), 'proto'), 3);
      x.close();
    });

    test('node-redis RESP3 - a client created with RESP: 3 talks to mini-kv', async () => {
      const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 3, name: 'node-redis-3' });
      client.on('error', () => {});
      await client.connect();
      try {
        assert.equal(await client.ping(), 'PONG');
        assert.equal(await client.clientGetName(), 'node-redis-3');
        const info = await client.clientInfo();
        assert.equal(info.resp, 3);
        assert.equal(info.name, 'node-redis-3');
        assert.equal(await client.get('resp3-missing'), null);
      } finally {
        await client.close();
      }
    });
  });

  describe('AUTH', () => {
    test('AUTH password - an error when no password is configured', async () => {
      assert.deepEqual(await c.call('AUTH', 'x'), { error: 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?' });
    });

    test('AUTH username password - the default user accepts any password when none is set', async () => {
      assert.deepEqual(await c.call('AUTH', 'default', 'whatever'), { simple: 'OK' });
      assert.deepEqual(await c.call('AUTH', 'nobody', 'whatever'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
      assert.deepEqual(await c.call('AUTH', 'a', 'b', 'c'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('AUTH'), { error: "ERR wrong number of arguments for 'auth' command" });
    });

    test('AUTH - with requirepass, only the right password of the default user', async () => {
      const s = await startTestServer({ config: { requirepass: 's3cret' } });
      try {
        const x = await RespClient.connect(s.port);
        assert.deepEqual(await x.call('AUTH', 'wrong'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
        assert.deepEqual(await x.call('AUTH', 'default', 'wrong'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
        assert.deepEqual(await x.call('AUTH', 'other', 's3cret'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
        assert.deepEqual(await x.call('HELLO', '3', 'AUTH', 'default', 'wrong'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
        assert.deepEqual(await x.call('AUTH', 's3cret'), { simple: 'OK' });
        assert.deepEqual(await x.call('AUTH', 'default', 's3cret'), { simple: 'OK' });
        helloFields(await x.call('HELLO', '3', 'AUTH', 'default', 's3cret'), 3);
        x.close();
        // ioredis sends AUTH itself when given a password.
        const io = new Redis(s.port, '127.0.0.1', { password: 's3cret', lazyConnect: true });
        await io.connect();
        assert.equal(await io.ping(), 'PONG');
        io.disconnect();
        const ioBad = new Redis(s.port, '127.0.0.1', { password: 'nope', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        const errors: string[] = [];
        ioBad.on('error', (e: Error) => errors.push(e.message));
        await assert.rejects(ioBad.connect());
        ioBad.disconnect();
        assert.ok(errors.some((m) => m.includes('WRONGPASS invalid username-password pair or user is disabled.')), errors.join('; '));
      } finally {
        await s.close();
      }
    });

    test('AUTH - CONFIG SET requirepass takes effect for the next AUTH', async () => {
      const s = await startTestServer();
      try {
        const x = await RespClient.connect(s.port);
        assert.deepEqual(await x.call('CONFIG', 'SET', 'requirepass', 'pw'), { simple: 'OK' });
        assert.deepEqual(await x.call('AUTH', 'x'), { error: 'WRONGPASS invalid username-password pair or user is disabled.' });
        assert.deepEqual(await x.call('AUTH', 'pw'), { simple: 'OK' });
        assert.deepEqual(await x.call('CONFIG', 'SET', 'requirepass', ''), { simple: 'OK' });
        assert.deepEqual(await x.call('AUTH', 'pw'), { error: 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?' });
        x.close();
      } finally {
        await s.close();
      }
    });
  });

  describe('SELECT', () => {
    test('SELECT - each database has its own keys', async () => {
      const x = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
      await x.connect();
      try {
        assert.equal(await x.select(5), 'OK');
        await x.set('select-key', 'in-5');
        assert.equal(await x.select(0), 'OK');
        assert.equal(await x.get('select-key'), null);
        assert.equal(await x.select(5), 'OK');
        assert.equal(await x.get('select-key'), 'in-5');
        assert.equal(srv.server.dbs[5]!.size() >= 1, true);
        const info = await x.client('INFO');
        assert.match(String(info), / db=5 /);
      } finally {
        x.disconnect();
      }
    });

    test('SELECT - the last database is databases-1; outside is out of range', async () => {
      assert.deepEqual(await c.call('SELECT', '15'), { simple: 'OK' });
      assert.deepEqual(await c.call('SELECT', '16'), { error: 'ERR DB index is out of range' });
      assert.deepEqual(await c.call('SELECT', '-1'), { error: 'ERR DB index is out of range' });
      assert.deepEqual(await c.call('SELECT', '0'), { simple: 'OK' });
    });

    test('SELECT - not an integer, or beyond a C int', async () => {
      assert.deepEqual(await c.call('SELECT', 'x'), { error: 'ERR value is not an integer or out of range' });
      assert.deepEqual(await c.call('SELECT', '1.5'), { error: 'ERR value is not an integer or out of range' });
      assert.deepEqual(await c.call('SELECT', '99999999999999999999'), { error: 'ERR value is not an integer or out of range' });
      assert.deepEqual(await c.call('SELECT', '2147483648'), { error: 'ERR value is out of range, value must between -2147483648 and 2147483647' });
    });

    test('SELECT - the databases option sets how many there are', async () => {
      const s = await startTestServer({ config: { databases: 2 } });
      try {
        const x = await RespClient.connect(s.port);
        assert.deepEqual(await x.call('SELECT', '1'), { simple: 'OK' });
        assert.deepEqual(await x.call('SELECT', '2'), { error: 'ERR DB index is out of range' });
        x.close();
      } finally {
        await s.close();
      }
    });
  });

  describe('CLIENT', () => {
    test('CLIENT ID - a distinct integer per connection', async () => {
      const x = await RespClient.connect(srv.port);
      const a = await c.call('CLIENT', 'ID');
      const b = await x.call('CLIENT', 'ID');
      assert.equal(typeof a, 'number');
      assert.notEqual(a, b);
      assert.deepEqual(await c.call('CLIENT', 'ID', 'x'), { error: "ERR wrong number of arguments for 'client|id' command" });
      x.close();
    });

    test('CLIENT SETNAME / GETNAME - set, read and clear the name', async () => {
      const x = new Redis(srv.port, '127.0.0.1', { lazyConnect: true });
      await x.connect();
      try {
        assert.equal(await x.client('GETNAME'), null);
        assert.equal(await x.client('SETNAME', 'worker-1'), 'OK');
        assert.equal(await x.client('GETNAME'), 'worker-1');
        assert.equal(await x.client('SETNAME', ''), 'OK');
        assert.equal(await x.client('GETNAME'), null);
      } finally {
        x.disconnect();
      }
    });

    test('CLIENT SETNAME - spaces, newlines and bytes outside ! to ~ are refused', async () => {
      for (const bad of ['a b', 'a\nb', 'caf\u00e9', '\x7f', 'tab\there']) {
        assert.deepEqual(await c.call('CLIENT', 'SETNAME', bad), { error: 'ERR Client names cannot contain spaces, newlines or special characters.' }, JSON.stringify(bad));
      }
      assert.deepEqual(await c.call('CLIENT', 'SETNAME'), { error: "ERR wrong number of arguments for 'client|setname' command" });
      assert.deepEqual(await c.call('CLIENT', 'GETNAME', 'x'), { error: "ERR wrong number of arguments for 'client|getname' command" });
    });

    test('CLIENT - bare CLIENT and unknown subcommands', async () => {
      assert.deepEqual(await c.call('CLIENT'), { error: "ERR wrong number of arguments for 'client' command" });
      assert.deepEqual(await c.call('CLIENT', 'foo'), { error: "ERR unknown subcommand 'foo'. Try CLIENT HELP." });
      const help = await c.call('CLIENT', 'HELP');
      assert.ok(typeof help === 'object' && help !== null && 'array' in help);
      assert.deepEqual(help.array[0], { simple: 'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' });
      assert.deepEqual(help.array.at(-1), { simple: '    Prints this help.' });
    });

    test('CLIENT INFO - one line with Redis 7.0.15 fields in order', async () => {
      const x = await RespClient.connect(srv.port);
      await x.call('CLIENT', 'SETNAME', 'info-me');
      await x.call('SELECT', '3');
      const line = await x.call('CLIENT', 'INFO');
      assert.equal(typeof line, 'string');
      const text = line as string;
      assert.ok(text.endsWith('\n') && text.indexOf('\n') === text.length - 1);
      const fields = parseClientLine(text.slice(0, -1));
      assert.deepEqual([...fields.keys()], CLIENT_FIELDS);
      assert.equal(fields.get('id'), String(await x.call('CLIENT', 'ID')));
      assert.equal(fields.get('name'), 'info-me');
      assert.equal(fields.get('db'), '3');
      assert.equal(fields.get('cmd'), 'client|info');
      assert.equal(fields.get('flags'), 'N');
      assert.equal(fields.get('user'), 'default');
      assert.equal(fields.get('resp'), '2');
      assert.equal(fields.get('argv-mem'), '10'); // "client" + "info", as Redis counts it
      assert.equal(fields.get('laddr'), `127.0.0.1:${srv.port}`);
      assert.match(fields.get('addr')!, /^127\.0\.0\.1:\d+$/);
      x.close();
    });

    test('CLIENT INFO and LIST - a verbatim string in RESP3', async () => {
      const raw = await rawExchange(srv.port, [resp('HELLO', '3'), resp('CLIENT', 'INFO')], { expect: 'resp=3\n\r\n' });
      assert.match(raw.data, /\*0\r\n=\d+\r\ntxt:id=\d+ addr=/);
    });

    test('CLIENT LIST - every client, one line each; TYPE and ID filters', async () => {
      const x = await RespClient.connect(srv.port);
      const xid = (await x.call('CLIENT', 'ID')) as number;
      const myId = (await c.call('CLIENT', 'ID')) as number;
      const all = (await c.call('CLIENT', 'LIST')) as string;
      const ids = all.trimEnd().split('\n').map((l) => Number(parseClientLine(l).get('id')));
      assert.ok(ids.includes(xid) && ids.includes(myId));
      assert.equal(ids.length, srv.server.clients.size);
      const normal = (await c.call('CLIENT', 'LIST', 'TYPE', 'normal')) as string;
      assert.equal(normal.trimEnd().split('\n').length, ids.length, 'every mini-kv client is of type normal');
      assert.equal(await c.call('CLIENT', 'LIST', 'TYPE', 'master'), '');
      assert.equal(await c.call('CLIENT', 'LIST', 'TYPE', 'replica'), '');
      assert.equal(await c.call('CLIENT', 'LIST', 'TYPE', 'pubsub'), '');
      const one = (await c.call('CLIENT', 'LIST', 'ID', String(xid), '999999')) as string;
      assert.equal(one.split('\n').length, 2);
      assert.equal(parseClientLine(one.trimEnd()).get('id'), String(xid));
      assert.equal(await c.call('CLIENT', 'LIST', 'ID', '0'), '');
      x.close();
    });

    test('CLIENT LIST - bad filters', async () => {
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'TYPE', 'foo'), { error: "ERR Unknown client type 'foo'" });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'ID', 'x'), { error: 'ERR Invalid client ID' });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'ID'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'TYPE'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'foo'), { error: 'ERR syntax error' });
      assert.deepEqual(await c.call('CLIENT', 'LIST', 'TYPE', 'normal', 'x'), { error: 'ERR syntax error' });
    });

    test('CLIENT SETINFO - LIB-NAME and LIB-VER, with Redis 7.2 errors', async () => {
      const x = await RespClient.connect(srv.port);
      const id = (await x.call('CLIENT', 'ID')) as number;
      assert.deepEqual(await x.call('CLIENT', 'SETINFO', 'LIB-NAME', 'mylib'), { simple: 'OK' });
      assert.deepEqual(await x.call('CLIENT', 'SETINFO', 'lib-ver', '1.2.3'), { simple: 'OK' });
      const state = srv.server.clients.get(id)!;
      assert.equal(state.libName, 'mylib');
      assert.equal(state.libVer, '1.2.3');
      assert.deepEqual(await x.call('CLIENT', 'SETINFO', 'lib-foo', 'x'), { error: "ERR Unrecognized option 'lib-foo'" });
      assert.deepEqual(await x.call('CLIENT', 'SETINFO', 'lib-name', 'a b'), { error: 'ERR lib-name cannot contain spaces, newlines or special characters.' });
      assert.deepEqual(await x.call('CLIENT', 'SETINFO', 'lib-name'), { error: "ERR wrong number of arguments for 'client|setinfo' command" });
      x.close();
    });

    test('CLIENT KILL ID - closes that connection and counts it', async () => {
      const victim = await RespClient.connect(srv.port);
      const id = (await victim.call('CLIENT', 'ID')) as number;
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', String(id)), 1);
      await victim.whenClosed();
      assert.equal(srv.server.clients.has(id), false);
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', String(id)), 0);
    });

    test('CLIENT KILL ip:port - the old form answers OK or No such client', async () => {
      const victim = await RespClient.connect(srv.port);
      const line = (await victim.call('CLIENT', 'INFO')) as string;
      const addr = parseClientLine(line.trimEnd()).get('addr')!;
      assert.deepEqual(await c.call('CLIENT', 'KILL', addr), { simple: 'OK' });
      await victim.whenClosed();
      assert.deepEqual(await c.call('CLIENT', 'KILL', addr), { error: 'ERR No such client' });
      assert.deepEqual(await c.call('CLIENT', 'KILL', '1.2.3.4:5'), { error: 'ERR No such client' });
    });

    test('CLIENT KILL ip:port - killing yourself answers first, then closes', async () => {
      const me = await RespClient.connect(srv.port);
      const addr = parseClientLine(((await me.call('CLIENT', 'INFO')) as string).trimEnd()).get('addr')!;
      assert.deepEqual(await me.call('CLIENT', 'KILL', addr), { simple: 'OK' });
      await me.whenClosed();
    });

    test('CLIENT KILL ADDR/LADDR/SKIPME - SKIPME yes spares the caller, no does not', async () => {
      const me = await RespClient.connect(srv.port);
      const fields = parseClientLine(((await me.call('CLIENT', 'INFO')) as string).trimEnd());
      assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', fields.get('addr')!), 0);
      assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', fields.get('addr')!, 'SKIPME', 'yes'), 0);
      assert.equal(await me.call('CLIENT', 'KILL', 'LADDR', '1.2.3.4:5'), 0);
      assert.equal(await me.call('CLIENT', 'KILL', 'ADDR', fields.get('addr')!, 'SKIPME', 'no'), 1);
      await me.whenClosed();
    });

    test('CLIENT KILL - TYPE and USER filters', async () => {
      const victim = await RespClient.connect(srv.port);
      const id = String(await victim.call('CLIENT', 'ID'));
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', id, 'TYPE', 'master'), 0);
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', id, 'TYPE', 'pubsub'), 0);
      assert.equal(await c.call('CLIENT', 'KILL', 'ID', id, 'USER', 'default', 'TYPE', 'normal'), 1);
      await victim.whenClosed();
    });

    test('CLIENT KILL - errors as Redis words them', async () => {
      const cases: [string[], string][] = [
        [[], "ERR wrong number of arguments for 'client|kill' command"],
        [['ID', 'x'], 'ERR client-id should be greater than 0'],
        [['ID', '0'], 'ERR client-id should be greater than 0'],
        [['ID', '-5'], 'ERR client-id should be greater than 0'],
        [['SKIPME', 'maybe'], 'ERR syntax error'],
        [['ID', '999', 'foo'], 'ERR syntax error'],
        [['foo', 'bar'], 'ERR syntax error'],
        // MAXAGE came in Redis 7.4: 7.0.15 answers it as any unknown filter.
        [['MAXAGE', '1'], 'ERR syntax error'],
        [['TYPE', 'foo'], "ERR Unknown client type 'foo'"],
        [['USER', 'nobody'], "ERR No such user 'nobody'"],
      ];
      for (const [args, err] of cases) assert.deepEqual(await c.call('CLIENT', 'KILL', ...args), { error: err }, args.join(' '));
    });

    test('ioredis - CLIENT LIST parses as key=value lines', async () => {
      await redis.client('SETNAME', 'io-client');
      const list = String(await redis.client('LIST'));
      const mine = list.split('\n').find((l) => l.includes(' name=io-client '));
      assert.ok(mine !== undefined);
      assert.equal(parseClientLine(mine).get('cmd'), 'client|list');
    });

    test('node-redis RESP2 - CLIENT ID and CLIENT SETNAME', async () => {
      const client = createClient({ socket: { port: srv.port, host: '127.0.0.1' }, RESP: 2 });
      client.on('error', () => {});
      await client.connect();
      try {
        assert.equal(typeof (await client.clientId()), 'number');
        assert.equal(await client.clientSetName('nr2'), 'OK');
        assert.equal(await client.clientGetName(), 'nr2');
        await assert.rejects(client.clientSetName('a b'), /Client names cannot contain spaces, newlines or special characters\./);
      } finally {
        await client.close();
      }
    });
  });

  describe('redis-cli', () => {
    const cli = redisCli();
    test('redis-cli - PING, CLIENT SETNAME and HELLO 3', { skip: cli === null ? NO_REDIS_CLI : false }, async () => {
      const base = ['-h', '127.0.0.1', '-p', String(srv.port)];
      assert.equal((await run(cli!, [...base, 'PING'])).stdout, 'PONG\n');
      assert.equal((await run(cli!, [...base, 'CLIENT', 'SETNAME', 'cli'])).stdout, 'OK\n');
      const hello = (await run(cli!, [...base, '-3', 'HELLO', '3'])).stdout;
      assert.match(hello, /^proto 3$/m);
      assert.equal((await run(cli!, [...base, 'SELECT', '16'])).stdout.trim(), 'ERR DB index is out of range');
    });
  });
});
