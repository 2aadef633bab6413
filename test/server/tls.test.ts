/**
 * TLS: a throwaway CA, server and client certificates made with the openssl
 * CLI in a temporary directory at test time (no key is committed), then
 * ioredis and redis-cli --tls against tls-port, with tls-auth-clients no, yes
 * and optional. The plain port keeps working beside the TLS one.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { ConfigError } from '../../src/errors.js';
import { MiniKvServer } from '../../src/server/server.js';
import { NO_REDIS_CLI, redisCli, resp as r } from '../helpers.js';
import { freePort } from './sockets.js';

const execFileAsync = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'mini-kv-tls-'));
const f = (name: string): string => join(dir, name);
let openssl = true;
const servers: MiniKvServer[] = [];

function ssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}



before(() => {
  try {
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=mini-kv test CA');
    for (const [name, cn, ext] of [['server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], ['client', 'client', 'extendedKeyUsage=clientAuth']] as const) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      writeFileSync(f(`${name}.ext`), ext + '\n');
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`);
    }
  } catch {
    openssl = false;
  }
});

after(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function tlsServer(auth: 'yes' | 'no' | 'optional'): Promise<MiniKvServer> {
  const s = new MiniKvServer({
    config: { port: 0, bind: '127.0.0.1', 'tls-port': await freePort(), 'tls-cert-file': f('server.crt'), 'tls-key-file': f('server.key'), 'tls-ca-cert-file': f('ca.crt'), 'tls-auth-clients': auth },
  });
  await s.listen();
  servers.push(s);
  return s;
}

function client(s: MiniKvServer, withCert: boolean | 'rogue'): Redis {
  const t: tls.ConnectionOptions = { ca: readFileSync(f('ca.crt')), servername: 'localhost' };
  if (withCert === true) {
    t.cert = readFileSync(f('client.crt'));
    t.key = readFileSync(f('client.key'));
  } else if (withCert === 'rogue') {
    t.cert = readFileSync(f('rogue.crt'));
    t.key = readFileSync(f('rogue.key'));
  }
  return new Redis({ port: s.tlsPort, host: '127.0.0.1', tls: t, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
}

/** Resolves with the error message if the TLS client cannot run PING, or 'PONG'. */
async function tryPing(io: Redis): Promise<string> {
  io.on('error', () => {});
  try {
    await io.connect();
    return await io.ping();
  } catch (e) {
    return (e as Error).message;
  } finally {
    io.disconnect();
  }
}

describe('TLS', () => {
  test('TLS - ioredis over tls-port with tls-auth-clients no: SET, GET, a 1 MB value; the plain port still works', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    const s = await tlsServer('no');
    const io = client(s, false);
    await io.connect();
    assert.equal(await io.set('k', 'v'), 'OK');
    assert.equal(await io.get('k'), 'v');
    const big = Buffer.alloc(1024 * 1024, 7);
    assert.equal(await io.set('big', big), 'OK');
    assert.deepEqual(await io.getBuffer('big'), big);
    assert.deepEqual(await io.config('GET', 'tls-port'), ['tls-port', String(s.tlsPort)]);
    io.disconnect();
    const plain = new Redis({ port: s.port, host: '127.0.0.1' });
    assert.equal(await plain.get('k'), 'v');
    plain.disconnect();
  });

  test('TLS - tls-auth-clients yes refuses a client without a certificate and serves one signed by the CA', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    const s = await tlsServer('yes');
    assert.notEqual(await tryPing(client(s, false)), 'PONG');
    assert.equal(await tryPing(client(s, true)), 'PONG');
  });

  test('TLS - tls-auth-clients optional serves a client without a certificate, refuses one the CA did not sign', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue.key', '-out', 'rogue.crt', '-days', '1', '-subj', '/CN=rogue');
    const s = await tlsServer('optional');
    assert.equal(await tryPing(client(s, false)), 'PONG');
    assert.equal(await tryPing(client(s, true)), 'PONG');
    assert.notEqual(await tryPing(client(s, 'rogue')), 'PONG');
  });

  test('TLS - redis-cli --tls with the CA and client certificate', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    const cli = redisCli();
    if (cli === null) return t.skip(NO_REDIS_CLI);
    const s = await tlsServer('yes');
    const args = ['--tls', '--cacert', f('ca.crt'), '--cert', f('client.crt'), '--key', f('client.key'), '-h', '127.0.0.1', '-p', String(s.tlsPort)];
    // Asynchronously: the server runs on this thread.
    const run = async (...cmd: string[]): Promise<string> => (await execFileAsync(cli, [...args, ...cmd], { encoding: 'utf8' })).stdout;
    assert.equal(await run('SET', 'tls-key', 'hello'), 'OK\n');
    assert.equal(await run('GET', 'tls-key'), 'hello\n');
    assert.equal(await run('PING'), 'PONG\n');
  });

  test('TLS - a raw TLS socket speaks RESP like the plain port', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    const s = await tlsServer('no');
    const sock = tls.connect({ port: s.tlsPort, host: '127.0.0.1', ca: readFileSync(f('ca.crt')), servername: 'localhost' });
    let data = '';
    sock.on('data', (d) => (data += d));
    await new Promise((resolve) => sock.once('secureConnect', resolve));
    sock.write(Buffer.concat([r('PING'), r('ECHO', 'x'), r('GET', 'nope')]));
    for (let i = 0; i < 100 && data.length < 18; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(data, '+PONG\r\n$1\r\nx\r\n$-1\r\n');
    sock.destroy();
  });

  test('TLS - a missing certificate file is a ConfigError at listen, and tls-port without a certificate too', async (t) => {
    if (!openssl) return t.skip('openssl could not make certificates');
    const missing = new MiniKvServer({ config: { port: 0, bind: '127.0.0.1', 'tls-port': await freePort(), 'tls-cert-file': f('nope.crt'), 'tls-key-file': f('server.key'), 'tls-auth-clients': 'no' } });
    await assert.rejects(missing.listen(), (e: unknown) => e instanceof ConfigError && /Failed to load tls-cert-file/.test(e.message));
    await missing.close();
    const none = new MiniKvServer({ config: { port: 0, bind: '127.0.0.1', 'tls-port': await freePort() } });
    await assert.rejects(none.listen(), { message: 'tls-port needs tls-cert-file and tls-key-file' });
    await none.close();
  });
});
