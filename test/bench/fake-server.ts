/**
 * A tiny in-test key-value server, just enough for the benchmark's live
 * tests: GET, SET, DEL, PING, INCR and AUTH, in RESP (multibulk requests) and in
 * the seed's text dialect (inline requests answered with one line each). It
 * keeps the benchmark's tests independent of redis-server and of mini-kv's
 * own server. Not a parser to copy: it assumes well-formed requests.
 */
import net from 'node:net';

export interface FakeServer {
  port: number;
  /** Commands received, by upper-case name. */
  counts: Map<string, number>;
  /** Keys of the GET, SET, DEL and INCR commands received, in order. */
  keys: string[];
  connections: number;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Answer every DEL with an error reply. */
  failDel?: boolean;
  /** Require AUTH with this password before anything else. */
  password?: string;
  /** Answer each connection's first PING this many ms late (slow handshakes, for the "connecting" display). */
  firstPingDelayMs?: number;
}

export async function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const store = new Map<string, string>();
  const counts = new Map<string, number>();
  const keys: string[] = [];
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let authed = opts.password === undefined;
    let pinged = false;
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const out: string[] = [];
      let delay = 0;
      for (;;) {
        const parsed = buf[0] === 42 ? parseMultibulk(buf) : parseInline(buf);
        if (parsed === null) break;
        buf = buf.subarray(parsed.used);
        const text = parsed.inline;
        const [name, ...args] = parsed.args;
        const cmd = name.toUpperCase();
        counts.set(cmd, (counts.get(cmd) ?? 0) + 1);
        if (cmd === 'GET' || cmd === 'SET' || cmd === 'DEL' || cmd === 'INCR') keys.push(args[0]);
        const reply = (r: { t: 'ok' | 'pong' | 'nil' | 'bulk' | 'int' | 'err'; v?: string | number }): void => {
          if (text) {
            out.push(r.t === 'ok' ? 'OK\n' : r.t === 'pong' ? 'PONG\n' : r.t === 'nil' ? '(nil)\n' : r.t === 'bulk' ? `${r.v}\n` : r.t === 'int' ? `(integer) ${r.v}\n` : `(error) ${r.v}\n`);
          } else {
            out.push(r.t === 'ok' ? '+OK\r\n' : r.t === 'pong' ? '+PONG\r\n' : r.t === 'nil' ? '$-1\r\n' : r.t === 'bulk' ? `$${String(r.v).length}\r\n${r.v}\r\n` : r.t === 'int' ? `:${r.v}\r\n` : `-${r.v}\r\n`);
          }
        };
        if (!authed && cmd !== 'AUTH') reply({ t: 'err', v: 'NOAUTH Authentication required.' });
        else if (cmd === 'AUTH') {
          authed = args[0] === opts.password;
          reply(authed ? { t: 'ok' } : { t: 'err', v: 'WRONGPASS invalid username-password pair or user is disabled.' });
        } else if (cmd === 'PING') {
          if (!pinged && opts.firstPingDelayMs !== undefined) delay = opts.firstPingDelayMs;
          pinged = true;
          reply({ t: 'pong' });
        } else if (cmd === 'INCR') {
          const n = Number(store.get(args[0]) ?? '0') + 1;
          store.set(args[0], String(n));
          reply({ t: 'int', v: n });
        } else if (cmd === 'GET') {
          const v = store.get(args[0]);
          reply(v === undefined ? { t: 'nil' } : { t: 'bulk', v });
        } else if (cmd === 'SET') {
          store.set(args[0], args[1]);
          reply(text ? { t: 'nil' } : { t: 'ok' });
        } else if (cmd === 'DEL') {
          if (opts.failDel) reply({ t: 'err', v: 'ERR DEL is disabled' });
          else reply({ t: 'int', v: store.delete(args[0]) ? 1 : 0 });
        } else reply({ t: 'err', v: `ERR unknown command '${name}'` });
      }
      if (out.length === 0) return;
      const text = out.join('');
      if (delay > 0) setTimeout(() => sock.write(text), delay);
      else sock.write(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    counts,
    keys,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function parseInline(buf: Buffer): { args: string[]; used: number; inline: true } | null {
  const lf = buf.indexOf(10);
  if (lf < 0) return null;
  const line = buf.subarray(0, lf).toString('latin1').replace(/\r$/, '');
  return { args: line.split(' ').filter((w) => w !== ''), used: lf + 1, inline: true };
}

function parseMultibulk(buf: Buffer): { args: string[]; used: number; inline: false } | null {
  let at = buf.indexOf('\r\n');
  if (at < 0) return null;
  const n = Number(buf.subarray(1, at).toString('latin1'));
  let pos = at + 2;
  const args: string[] = [];
  for (let i = 0; i < n; i++) {
    at = buf.indexOf('\r\n', pos);
    if (at < 0) return null;
    const len = Number(buf.subarray(pos + 1, at).toString('latin1'));
    pos = at + 2;
    if (buf.length < pos + len + 2) return null;
    args.push(buf.subarray(pos, pos + len).toString('latin1'));
    pos += len + 2;
  }
  return { args, used: pos, inline: false };
}
