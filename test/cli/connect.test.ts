/**
 * mini-kv-cli's connection set-up against redis-cli 7.0.15: TLS with
 * --cacert, --cacertdir, --cert/--key, --insecure, --sni and rediss://
 * (certificates made with openssl at test time, as test/server/tls.test.ts
 * does), -u with the embedding API's srv.url, AUTH with --user and -a, -n
 * with "SELECT 99 failed", the connection-error messages and exit codes,
 * -s with a missing socket, --help and --version. Every expectation is an
 * exact string; redis-cli, when installed, must print the same.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { USAGE } from '../../src/cli/options.js';
import { startServer, type EmbeddedServer } from '../../src/index.js';
import { MiniKvServer } from '../../src/server/server.js';
import { NO_REDIS_CLI, startTestServer, type TestServer } from '../helpers.js';
import { freePort } from '../server/sockets.js';
import { miniCli, NO_REDIS_SERVER, oracleLive, redisCliRun, redisServerBin, startRedisServer, type Run } from './oracle.js';

const live = oracleLive();
const dir = mkdtempSync(join(tmpdir(), 'mini-kv-cli-tls-'));
const f = (name: string): string => join(dir, name);
let openssl = true;
let tlsServer: MiniKvServer | null = null;
let plain: TestServer;
let secured: TestServer;
let embedded: EmbeddedServer;

before(async () => {
  try {
    const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=mini-kv-cli test CA');
    for (const name of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
      writeFileSync(f(`${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n');
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
    }
    const hash = execFileSync('openssl', ['x509', '-hash', '-noout', '-in', f('ca.crt')], { encoding: 'utf8' }).trim();
    execFileSync('mkdir', [f('cadir')]);
    execFileSync('cp', [f('ca.crt'), f(`cadir/${hash}.0`)]);
    tlsServer = new MiniKvServer({
      config: { port: 0, bind: '127.0.0.1', 'tls-port': await freePort(), 'tls-cert-file': f('server.crt'), 'tls-key-file': f('server.key'), 'tls-ca-cert-file': f('ca.crt'), 'tls-auth-clients': 'optional' },
    });
    await tlsServer.listen();
  } catch {
    openssl = false;
  }
  plain = await startTestServer();
  secured = await startTestServer({ config: { requirepass: 's3cret' } });
  embedded = await startServer();
});
after(async () => {
  await tlsServer?.close();
  await plain.close();
  await secured.close();
  await embedded.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs both clients with the same arguments; asserts mini-kv-cli's result and that redis-cli's is the same. */
async function both(args: string[], expected: Run, opts: { stdin?: string } = {}): Promise<boolean> {
  const mine = await miniCli(args, opts);
  assert.deepEqual(mine, expected, args.join(' '));
  if (!live) return false;
  assert.deepEqual(await redisCliRun(args, opts), expected, `redis-cli ${args.join(' ')}`);
  return true;
}

describe('mini-kv-cli - TLS', () => {
  const ok: Run = { code: 0, stdout: 'PONG\n', stderr: '' };
  test('--tls with --cacert, --cacertdir (hashed names), --cert/--key, --sni, --insecure and rediss://', async (t) => {
    if (!openssl) return t.skip('openssl is not installed');
    const p = String(tlsServer!.tlsPort);
    await both(['-p', p, '--tls', '--cacert', f('ca.crt'), 'ping'], ok);
    await both(['-p', p, '--tls', '--cacertdir', f('cadir'), 'ping'], ok);
    await both(['-p', p, '--tls', '--cacert', f('ca.crt'), '--cert', f('client.crt'), '--key', f('client.key'), 'ping'], ok);
    await both(['-p', p, '--tls', '--cacert', f('ca.crt'), '--sni', 'localhost', 'ping'], ok);
    await both(['-p', p, '--tls', '--insecure', 'ping'], ok);
    await both(['-u', `rediss://127.0.0.1:${p}`, '--cacert', f('ca.crt'), '--no-raw', 'echo', 'over tls'], { code: 0, stdout: '"over tls"\n', stderr: '' });
    if (!live) t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
  });

  test('TLS failures in redis-cli\'s words: unverified server, bad files, the plain port', async (t) => {
    if (!openssl) return t.skip('openssl is not installed');
    const p = String(tlsServer!.tlsPort);
    await both(['-p', p, '--tls', 'ping'], { code: 1, stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${p}: SSL_connect failed: certificate verify failed\n` });
    // A directory without hashed names holds no CA for OpenSSL.
    await both(['-p', p, '--tls', '--cacertdir', dir, 'ping'], { code: 1, stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${p}: SSL_connect failed: certificate verify failed\n` });
    const twice = (m: string): Run => ({ code: 1, stdout: '', stderr: `Could not negotiate a TLS connection: ${m}\n`.repeat(2) });
    await both(['-p', p, '--tls', '--cacert', f('nope.crt'), 'ping'], twice('Invalid CA Certificate File/Directory'));
    await both(['-p', p, '--tls', '--cacert', f('ca.crt'), '--cert', f('nope.crt'), 'ping'], twice('Invalid client certificate'));
    // TLS to the plain port: OpenSSL's reason, or a reset when the server hangs up first (a race in both clients).
    const plainPort = String(tlsServer!.port);
    const r = await miniCli(['-p', plainPort, '--tls', '--insecure', 'ping']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^Could not connect to Redis at 127\\.0\\.0\\.1:${plainPort}: (SSL_connect failed: wrong version number|Connection reset by peer)\n$`));
    if (!live) t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
  });
});

describe('mini-kv-cli - connecting and authenticating', () => {
  test('-u takes the embedding API\'s srv.url, with a database', async () => {
    assert.deepEqual(await miniCli(['-u', embedded.url, 'set', 'url:k', 'v']), { code: 0, stdout: 'OK\n', stderr: '' });
    assert.deepEqual(await miniCli(['-u', `${embedded.url}/3`, 'set', 'url:k', 'in3']), { code: 0, stdout: 'OK\n', stderr: '' });
    assert.deepEqual(await miniCli(['-u', embedded.url, '-n', '3', 'get', 'url:k']), { code: 0, stdout: 'in3\n', stderr: '' });
    assert.deepEqual(await miniCli(['-u', 'http://x', 'ping']), { code: 1, stdout: '', stderr: 'Invalid URI scheme\n' });
  });

  test('-a, --user/--pass, REDISCLI_AUTH and the URL\'s password, with redis-cli\'s warning and AUTH failures', async (t) => {
    const p = String(secured.port);
    const warning = "Warning: Using a password with '-a' or '-u' option on the command line interface may not be safe.\n";
    await both(['-p', p, '-a', 's3cret', 'ping'], { code: 0, stdout: 'PONG\n', stderr: warning });
    await both(['-p', p, '--user', 'default', '--pass', 's3cret', '--no-auth-warning', 'ping'], { code: 0, stdout: 'PONG\n', stderr: '' });
    await both(['-u', `redis://default:s3cret@127.0.0.1:${p}`, 'ping'], { code: 0, stdout: 'PONG\n', stderr: warning });
    await both(['-p', p, '-a', 'wrong', '--no-auth-warning', 'ping'], { code: 0, stdout: 'NOAUTH Authentication required.\n\n', stderr: 'AUTH failed: WRONGPASS invalid username-password pair or user is disabled.\n' });
    assert.deepEqual(await miniCli(['-p', p, 'ping'], { env: { REDISCLI_AUTH: 's3cret' } }), { code: 0, stdout: 'PONG\n', stderr: '' });
    // --askpass reads the password from stdin (no prompt when stdin is not a terminal) and ignores -a.
    await both(['-p', p, '--askpass', '-a', 'wrong', '--no-auth-warning', 'ping'], { code: 0, stdout: 'PONG\n', stderr: '' }, { stdin: 's3cret\n' });
    if (!live) t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
  });

  test('-n 99: "SELECT 99 failed: ..." and no HELLO 3 after it; -3 alone answers in RESP3', async (t) => {
    const p = String(plain.port);
    // An empty CONFIG GET shows the protocol: "(empty array)" in RESP2, "(empty hash)" in RESP3.
    await both(['-p', p, '-n', '99', '-3', '--no-raw', 'config', 'get', 'nosuch'], { code: 0, stdout: '(empty array)\n', stderr: 'SELECT 99 failed: ERR DB index is out of range\n' });
    await both(['-p', p, '-3', '--no-raw', 'config', 'get', 'nosuch'], { code: 0, stdout: '(empty hash)\n', stderr: '' });
    await both(['-p', p, '--json', 'config', 'get', 'nosuch'], { code: 0, stdout: '{}\n', stderr: '' });
    await both(['-p', p, '--json', '-2', 'config', 'get', 'nosuch'], { code: 0, stdout: '[]\n', stderr: '' });
    if (!live) t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
  });

  test('connection errors: refused, a missing Unix socket; exit code 1', async (t) => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const free = (blocker.address() as net.AddressInfo).port;
    await new Promise((r) => blocker.close(r));
    await both(['-p', String(free), 'ping'], { code: 1, stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${free}: Connection refused\n` });
    await both(['-s', f('no.sock'), 'ping'], { code: 1, stdout: '', stderr: `Could not connect to Redis at ${f('no.sock')}: No such file or directory\n` });
    await both(['-p', String(free), '--scan'], { code: 1, stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${free}: Connection refused\n` });
    // Commands from stdin: the connection is tried again for every command.
    await both(['-p', String(free)], { code: 0, stdout: '', stderr: `Could not connect to Redis at 127.0.0.1:${free}: Connection refused\n`.repeat(3) }, { stdin: 'ping\nping\n' });
    if (!live) t.diagnostic(`${NO_REDIS_CLI}: checked against the expected strings only`);
  });

  test('-s connects to a Unix socket (redis-server\'s unixsocket)', async (t) => {
    if (redisServerBin() === null) return t.skip(NO_REDIS_SERVER);
    const sock = f('redis.sock');
    const rs = await startRedisServer(['--unixsocket', sock]);
    try {
      await both(['-s', sock, '--no-raw', 'echo', 'via socket'], { code: 0, stdout: '"via socket"\n', stderr: '' });
    } finally {
      await rs.close();
    }
  });

  test('an unknown host is reported as redis-cli reports it', async (t) => {
    if (!live) return t.skip(NO_REDIS_CLI);
    const args = ['-h', 'no-such-host.invalid', '-p', '8080', 'ping'];
    assert.deepEqual(await miniCli(args), await redisCliRun(args));
  });
});

describe('mini-kv-cli - --help and --version', () => {
  test('--help prints redis-cli\'s usage shape to stdout and exits 0; so does a trailing -h', async () => {
    const r = await miniCli(['--help']);
    assert.deepEqual(r, { code: 0, stdout: USAGE, stderr: '' });
    assert.match(USAGE, /^mini-kv-cli \d+\.\d+\.\d+\n\nUsage: mini-kv-cli \[OPTIONS\] \[cmd \[arg \[arg \.\.\.\]\]\]\n {2}-h <hostname> {6}Server hostname \(default: 127\.0\.0\.1\)\.\n {2}-p <port> {10}Server port \(default: 8080\)\.\n/);
    assert.deepEqual(await miniCli(['-p', '1', '-h']), r);
    for (const opt of ['-u <uri>', '-r <repeat>', '-i <interval>', '-x ', '-e ', '--tls ', '--csv ', '--json ', '--quoted-json', '--scan ', '--bigkeys', '--memkeys', '--stat', '--latency ', '--latency-history', '--pipe ', '--pipe-timeout', '--no-auth-warning', '--user <username>']) {
      assert.ok(USAGE.includes(`  ${opt}`), opt);
    }
  });

  test('--version and -v', async () => {
    assert.deepEqual(await miniCli(['--version']), { code: 0, stdout: 'mini-kv-cli 0.1.0\n', stderr: '' });
    assert.deepEqual(await miniCli(['-v']), { code: 0, stdout: 'mini-kv-cli 0.1.0\n', stderr: '' });
  });
});
