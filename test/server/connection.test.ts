/**
 * The server over raw sockets: the seed's text transcript byte for byte, inline
 * commands with RESP replies, requests split at every byte, 10,000 commands in
 * one write, and every protocol error answered after the earlier replies, then
 * the connection closed with nothing stored lost and other clients unaffected.
 * Each raw expectation was first checked against redis-server 7.0.15 with the
 * same bytes (the text dialect is mini-kv's own).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { rawExchange, resp, startTestServer, type TestServer } from '../helpers.js';

/** A raw connection that reads until it has seen what a test waits for. */
class RawClient {
  private readonly sock: net.Socket;
  private data = '';
  private waiter: (() => void) | null = null;
  closed = false;
  readonly ready: Promise<void>;

  constructor(port: number) {
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.setNoDelay(true);
    this.ready = new Promise((resolve, reject) => {
      this.sock.once('connect', () => resolve());
      this.sock.once('error', reject);
    });
    this.sock.on('data', (d) => {
      this.data += d.toString('latin1');
      this.waiter?.();
    });
    this.sock.on('close', () => {
      this.closed = true;
      this.waiter?.();
    });
    this.sock.on('error', () => {});
  }

  static async open(port: number): Promise<RawClient> {
    const c = new RawClient(port);
    await c.ready;
    return c;
  }

  write(b: string | Buffer): void {
    this.sock.write(typeof b === 'string' ? Buffer.from(b, 'latin1') : b);
  }

  /** Resolves with exactly `n` bytes (fewer if the server closes or 5 s pass). */
  read(n: number): Promise<string> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(deadline);
        this.waiter = null;
        const out = this.data.slice(0, n);
        this.data = this.data.slice(out.length);
        resolve(out);
      };
      const deadline = setTimeout(finish, 5000);
      this.waiter = () => {
        if (this.data.length >= n || this.closed) finish();
      };
      this.waiter();
    });
  }

  /** Sends `request` and resolves with the next `expected.length` bytes. */
  async exchange(request: string | Buffer, expected: string): Promise<string> {
    this.write(request);
    return this.read(expected.length);
  }

  /** Resolves once the server has closed the connection (or after 5 s). */
  async waitClosed(): Promise<boolean> {
    const start = Date.now();
    while (!this.closed && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 5));
    return this.closed;
  }

  /** Whatever arrived and was not read yet. */
  rest(): string {
    return this.data;
  }

  close(): void {
    this.sock.destroy();
  }
}

let srv: TestServer;
before(async () => {
  srv = await startTestServer();
});
after(async () => {
  await srv.close();
});

describe('Text dialect - the seed transcript', () => {
  test('SET answers (nil) and GET the raw value, byte for byte, as the seed did over nc', async () => {
    const c = await RawClient.open(srv.port);
    assert.equal(await c.exchange('SET key value\n', '(nil)\n'), '(nil)\n');
    assert.equal(await c.exchange('GET key\n', 'value\n'), 'value\n');
    c.close();
  });

  test('Inline replies: (nil) for a missing key, (error) ERR for errors', async () => {
    const c = await RawClient.open(srv.port);
    assert.equal(await c.exchange('GET no-such-key\n', '(nil)\n'), '(nil)\n');
    const unknown = "(error) ERR unknown command 'FOO', with args beginning with: 'a' \n";
    assert.equal(await c.exchange('FOO a\n', unknown), unknown);
    const arity = "(error) ERR wrong number of arguments for 'get' command\n";
    assert.equal(await c.exchange('GET\n', arity), arity);
    assert.equal(await c.exchange('ECHO "two words\\tand a tab"\n', 'two words\tand a tab\n'), 'two words\tand a tab\n');
    c.close();
  });

  test('RESP and inline requests mix on one connection, each answered in its own dialect', async () => {
    const c = await RawClient.open(srv.port);
    const expected = '+OK\r\nmixed\n$5\r\nmixed\r\nPONG\n';
    assert.equal(await c.exchange(Buffer.concat([resp('SET', 'mix', 'mixed'), Buffer.from('GET mix\n'), resp('GET', 'mix'), Buffer.from('PING\n')]), expected), expected);
    c.close();
  });

  test('An inline line ended by CRLF (redis-benchmark PING_INLINE, telnet) is answered in RESP, as Redis answers it', async () => {
    const c = await RawClient.open(srv.port);
    assert.equal(await c.exchange('PING\r\n', '+PONG\r\n'), '+PONG\r\n');
    assert.equal(await c.exchange('GET no-such-key\r\n', '$-1\r\n'), '$-1\r\n');
    const unknown = "-ERR unknown command 'FOO', with args beginning with: 'a' \r\n";
    assert.equal(await c.exchange('FOO a\r\n', unknown), unknown);
    // The dialect follows each line: a bare LF next gets the human reply again.
    assert.equal(await c.exchange('PING\n', 'PONG\n'), 'PONG\n');
    const unbalanced = '-ERR Protocol error: unbalanced quotes in request\r\n';
    assert.equal(await c.exchange('ECHO "x\r\n', unbalanced), unbalanced);
    c.close();
  });

  test('Inline QUIT answers OK and closes', async () => {
    const r = await rawExchange(srv.port, 'QUIT\n');
    assert.equal(r.data, 'OK\n');
    assert.equal(r.closed, true);
  });

  test('An inline protocol error is answered in the text dialect, then the connection closes', async () => {
    const r = await rawExchange(srv.port, 'PING\nSET "a b\nPING\n');
    assert.equal(r.data, 'PONG\n(error) ERR Protocol error: unbalanced quotes in request\n');
    assert.equal(r.closed, true);
  });
});

describe('Inline commands with --inline-replies resp', () => {
  let respSrv: TestServer;
  before(async () => {
    respSrv = await startTestServer({ config: { 'inline-replies': 'resp' } });
  });
  after(async () => {
    await respSrv.close();
  });

  // Each expectation is redis-server's answer to the same inline bytes.
  const cases: [string, string][] = [
    ['SET key value\r\n', '+OK\r\n'],
    ['GET key\r\n', '$5\r\nvalue\r\n'],
    ['GET nokey\r\n', '$-1\r\n'],
    ['PING\n', '+PONG\r\n'],
    ['ECHO "a\\x00b"\r\n', '$3\r\na\x00b\r\n'],
    ['ECHO a\vb\r\n', '$3\r\na\vb\r\n'],
    ["foo 'a b' c\r\n", "-ERR unknown command 'foo', with args beginning with: 'a b' 'c' \r\n"],
    ['GET\r\n', "-ERR wrong number of arguments for 'get' command\r\n"],
  ];
  test('Inline commands get exactly the RESP replies Redis sends them', async () => {
    const c = await RawClient.open(respSrv.port);
    for (const [request, expected] of cases) assert.equal(await c.exchange(request, expected), expected, JSON.stringify(request));
    c.close();
  });

  test('Inline protocol errors are answered in RESP, as Redis does', async () => {
    const r = await rawExchange(respSrv.port, 'PING\r\nSET "a b\r\n');
    assert.equal(r.data, '+PONG\r\n-ERR Protocol error: unbalanced quotes in request\r\n');
    assert.equal(r.closed, true);
    const big = await rawExchange(respSrv.port, 'PING\r\n' + 'a'.repeat(64 * 1024 + 1), { timeoutMs: 5000 });
    assert.equal(big.data, '+PONG\r\n-ERR Protocol error: too big inline request\r\n');
    assert.equal(big.closed, true);
  });

  test('inline-replies can be switched at run time (what CONFIG SET does) and applies to open connections', async () => {
    const c = await RawClient.open(srv.port);
    assert.equal(await c.exchange('PING\n', 'PONG\n'), 'PONG\n');
    assert.equal(srv.server.config.setRuntime([['inline-replies', 'resp']]), null);
    try {
      assert.equal(await c.exchange('PING\n', '+PONG\r\n'), '+PONG\r\n');
    } finally {
      assert.equal(srv.server.config.setRuntime([['inline-replies', 'text']]), null);
    }
    assert.equal(await c.exchange('PING\n', 'PONG\n'), 'PONG\n');
    c.close();
  });
});

describe('Split and pipelined requests', () => {
  const request = Buffer.concat([resp('SET', 'split:key', 'v\r\nv'), Buffer.from('GET split:key\n'), resp('GET', 'split:key'), resp('ECHO', '')]);
  const reply = '+OK\r\nv\r\nv\n$4\r\nv\r\nv\r\n$0\r\n\r\n';

  test('A request split at every byte gets the same replies', async () => {
    const results = await Promise.all(
      Array.from({ length: request.length - 1 }, (_, i) =>
        rawExchange(srv.port, [request.subarray(0, i + 1), request.subarray(i + 1)], { expect: reply.length, timeoutMs: 5000 }),
      ),
    );
    assert.equal(results.length, request.length - 1);
    for (const [i, r] of results.entries()) assert.equal(r.data, reply, `split after byte ${i + 1}`);
  });

  test('A request sent one byte per write gets the same replies', async () => {
    const c = await RawClient.open(srv.port);
    for (const byte of request) {
      c.write(Buffer.from([byte]));
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(await c.read(reply.length), reply);
    c.close();
  });

  test('10,000 commands pipelined in one write are all answered, in order', async () => {
    const parts: Buffer[] = [];
    let expected = '';
    for (let i = 0; i < 5000; i++) {
      parts.push(resp('SET', `pipe:${i}`, `value-${i}`), resp('GET', `pipe:${i}`));
      expected += `+OK\r\n$${`value-${i}`.length}\r\nvalue-${i}\r\n`;
    }
    const c = await RawClient.open(srv.port);
    c.write(Buffer.concat(parts));
    const got = await c.read(expected.length);
    assert.equal(got.length, expected.length);
    assert.equal(got, expected);
    c.close();
  });

  test('A 5 MB value round-trips through SET and GET', async () => {
    const value = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < value.length; i++) value[i] = (i * 31) & 255;
    const expected = '+OK\r\n$' + value.length + '\r\n' + value.toString('latin1') + '\r\n';
    const c = await RawClient.open(srv.port);
    c.write(Buffer.concat([resp('SET', 'big', value), resp('GET', 'big')]));
    assert.ok((await c.read(expected.length)) === expected);
    c.close();
  });

  test('A huge announced bulk holds only what arrived in the query buffer', async () => {
    const c = await RawClient.open(srv.port);
    c.write('*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$400000000\r\n');
    const piece = Buffer.alloc(256 * 1024, 120);
    for (let i = 0; i < 4; i++) c.write(piece);
    c.write(resp('PING'));
    // The PING is part of the bulk; nothing is answered while it is incomplete.
    let qbuf = 0;
    for (let tries = 0; tries < 200 && qbuf < 4 * piece.length; tries++) {
      await new Promise((r) => setTimeout(r, 5));
      for (const client of srv.server.clients.values()) qbuf = Math.max(qbuf, client.queryBufferLength());
    }
    assert.ok(qbuf >= 4 * piece.length && qbuf < 4 * piece.length + 1024, `qbuf ${qbuf}`);
    assert.equal(c.rest(), '');
    c.close();
  });
});

describe('Protocol errors', () => {
  // Sent after `SET <key> 1` and a PING in the same write. The error strings
  // are redis-server's answers to the same bytes; a bad inline request is
  // answered in the text dialect (the default inline-replies).
  const K = 64 * 1024;
  const cases: [string, string, string][] = [
    ['invalid multibulk length', '*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['multibulk count past INT_MAX', '*2147483648\r\n', 'Protocol error: invalid multibulk length'],
    ['invalid bulk length', '*1\r\n$x\r\n', 'Protocol error: invalid bulk length'],
    ['negative bulk length', '*1\r\n$-1\r\n', 'Protocol error: invalid bulk length'],
    ['bulk beyond proto-max-bulk-len (512 MB)', '*1\r\n$536870913\r\n', 'Protocol error: invalid bulk length'],
    ["expected '$'", '*1\r\nx\r\n', "Protocol error: expected '$', got 'x'"],
    ['too big inline request', 'a'.repeat(K + 1), '(error) ERR Protocol error: too big inline request\n'],
    ['too big mbulk count string', '*' + '1'.repeat(K + 1), 'Protocol error: too big mbulk count string'],
    ['too big bulk count string', '*1\r\n$' + '1'.repeat(K + 1), 'Protocol error: too big bulk count string'],
  ];
  for (const [name, bad, message] of cases) {
    test(`${name}: answered after the earlier replies, then the connection closes, data and other clients intact`, async () => {
      const key = `proto:${name}`;
      const other = await RawClient.open(srv.port);
      const r = await rawExchange(srv.port, Buffer.concat([resp('SET', key, '1'), resp('PING'), Buffer.from(bad, 'latin1')]), { timeoutMs: 5000 });
      assert.equal(r.data, '+OK\r\n+PONG\r\n' + (message.startsWith('(error)') ? message : `-ERR ${message}\r\n`));
      assert.equal(r.closed, true);
      // The other connection is unaffected and sees what was stored.
      const expected = '$1\r\n1\r\n';
      assert.equal(await other.exchange(resp('GET', key), expected), expected);
      other.close();
    });
  }

  test('An unbalanced inline request after RESP requests is answered in the text dialect', async () => {
    const r = await rawExchange(srv.port, Buffer.concat([resp('PING'), Buffer.from('ECHO "x\n')]));
    assert.equal(r.data, '+PONG\r\n(error) ERR Protocol error: unbalanced quotes in request\n');
    assert.equal(r.closed, true);
  });

  test('proto-max-bulk-len lowered to 1 MB rejects a longer bulk and accepts one at the limit', async () => {
    const small = await startTestServer({ config: { 'proto-max-bulk-len': '1mb' } });
    try {
      const ok = await rawExchange(small.port, Buffer.concat([resp('SET', 'k', Buffer.alloc(1024 * 1024, 97)), resp('PING')]), { expect: '+PONG\r\n', timeoutMs: 5000 });
      assert.equal(ok.data, '+OK\r\n+PONG\r\n');
      const bad = await rawExchange(small.port, `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${1024 * 1024 + 1}\r\n`, { timeoutMs: 5000 });
      assert.equal(bad.data, '-ERR Protocol error: invalid bulk length\r\n');
      assert.equal(bad.closed, true);
    } finally {
      await small.close();
    }
  });

  test('*1048577 costs nothing and waits for its arguments; a later QUIT is read as one of them, as in Redis', async () => {
    const c = await RawClient.open(srv.port);
    c.write('*1048577\r\n');
    const ping = await RawClient.open(srv.port);
    // A round trip on another connection lets the server read the first.
    assert.equal(await ping.exchange(resp('PING'), '+PONG\r\n'), '+PONG\r\n');
    assert.equal(c.closed, false);
    assert.equal(c.rest(), '');
    for (const client of srv.server.clients.values()) assert.equal(client.queryBufferLength(), 0);
    const expected = "-ERR Protocol error: expected '$', got 'Q'\r\n";
    assert.equal(await c.exchange('QUIT\r\n', expected), expected);
    assert.equal(await c.waitClosed(), true);
    ping.close();
  });

  test('A client that keeps its side open after a protocol error is still disconnected', async () => {
    // allowHalfOpen: the client does not close when the server's FIN arrives.
    const sock = net.connect({ port: srv.port, host: '127.0.0.1', allowHalfOpen: true });
    let data = '';
    let closed = false;
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('end', () => {});
    sock.on('error', () => {});
    sock.on('close', () => (closed = true));
    sock.write('*x\r\n');
    // Keep writing: once the server has really closed, a write is reset.
    const start = Date.now();
    while (!closed && Date.now() - start < 5000) {
      await new Promise((r) => setTimeout(r, 50));
      if (!closed && sock.writable) sock.write('PING\r\n');
    }
    assert.equal(data, '-ERR Protocol error: invalid multibulk length\r\n');
    assert.equal(closed, true);
    sock.destroy();
  });

  test('A protocol error on one connection leaves pipelines on others untouched', async () => {
    const parts: Buffer[] = [];
    let expected = '';
    for (let i = 0; i < 500; i++) {
      parts.push(resp('ECHO', `e${i}`));
      expected += `$${`e${i}`.length}\r\ne${i}\r\n`;
    }
    const [good, bad] = await Promise.all([
      rawExchange(srv.port, Buffer.concat(parts), { expect: expected.length, timeoutMs: 5000 }),
      rawExchange(srv.port, '*1\r\n$x\r\n'),
    ]);
    assert.equal(good.data, expected);
    assert.equal(bad.data, '-ERR Protocol error: invalid bulk length\r\n');
  });
});
