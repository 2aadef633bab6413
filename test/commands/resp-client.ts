/**
 * A minimal RESP2/RESP3 client for tests that must see reply types exactly
 * (sets versus arrays, maps, verbatim strings), which ioredis and node-redis
 * hide. Replies become a typed tree, the same encoding as the Redis fixture
 * written by scripts/capture-redis-commands.mjs:
 *
 *   bulk string -> 'text'          integer -> 42           null -> null
 *   simple      -> { simple: s }   error   -> { error: s } verbatim -> { verbatim: 'txt:...' }
 *   array       -> { array: [...] }   set -> { set: [...] }   map -> { map: [k1, v1, ...] }
 *   push        -> { push: [...] }    big number -> { big: '123' }   attribute -> { attribute: [k1, v1, ...] }
 *
 * Replies and pushes arrive in one ordered stream: `call` sends a command
 * and resolves with the next item, `send` and `next` do the two halves
 * (pub/sub, pipelines, pushes interleaved with replies).
 */
import net from 'node:net';
import { resp } from '../helpers.js';

export type Tree =
  | string
  | number
  | null
  | boolean
  | { simple: string }
  | { error: string }
  | { verbatim: string }
  | { double: string }
  | { array: Tree[] }
  | { set: Tree[] }
  | { map: Tree[] }
  | { push: Tree[] }
  | { big: string }
  | { attribute: Tree[] };

/** Parses one reply at `pos`: the value and where it ends, or null when incomplete. */
export function parseReply(buf: Buffer, pos: number): { value: Tree; end: number } | null {
  if (pos >= buf.length) return null;
  const type = String.fromCharCode(buf[pos]!);
  const eol = buf.indexOf('\r\n', pos);
  if (eol === -1) return null;
  const line = buf.toString('latin1', pos + 1, eol);
  let p = eol + 2;
  const aggregate = (count: number, kind: 'array' | 'set' | 'map' | 'push' | 'attribute'): { value: Tree; end: number } | null => {
    const items: Tree[] = [];
    for (let i = 0; i < count; i++) {
      const r = parseReply(buf, p);
      if (r === null) return null;
      items.push(r.value);
      p = r.end;
    }
    return { value: { [kind]: items } as Tree, end: p };
  };
  switch (type) {
    case '+': return { value: { simple: line }, end: p };
    case '-': return { value: { error: line }, end: p };
    case ':': return { value: Number(line), end: p };
    case '_': return { value: null, end: p };
    case '#': return { value: line === 't', end: p };
    case ',': return { value: { double: line }, end: p };
    case '$':
    case '=': {
      const n = Number(line);
      if (n < 0) return { value: null, end: p };
      if (buf.length < p + n + 2) return null;
      const s = buf.toString('latin1', p, p + n);
      return { value: type === '=' ? { verbatim: s } : s, end: p + n + 2 };
    }
    case '*': return Number(line) < 0 ? { value: null, end: p } : aggregate(Number(line), 'array');
    case '~': return aggregate(Number(line), 'set');
    case '%': return aggregate(2 * Number(line), 'map');
    case '>': return aggregate(Number(line), 'push');
    case '|': return aggregate(2 * Number(line), 'attribute');
    case '(': return { value: { big: line }, end: p };
    default: throw new Error(`unexpected reply type ${JSON.stringify(type)}`);
  }
}

/** One connection; `call` sends a command and resolves with its reply tree. */
export class RespClient {
  private buf = Buffer.alloc(0);
  private readonly waiting: ((t: Tree) => void)[] = [];
  /** Items received that nobody has asked for yet (pushes, extra replies). */
  private readonly received: Tree[] = [];
  closed = false;

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      let pos = 0;
      for (;;) {
        const r = parseReply(this.buf, pos);
        if (r === null) break;
        pos = r.end;
        const w = this.waiting.shift();
        if (w !== undefined) w(r.value);
        else this.received.push(r.value);
      }
      this.buf = this.buf.subarray(pos);
    });
    sock.on('close', () => {
      this.closed = true;
    });
    sock.on('error', () => {});
  }

  static connect(port: number): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(new RespClient(sock)));
      sock.once('error', reject);
    });
  }

  call(...args: string[]): Promise<Tree> {
    this.send(...args);
    return this.next();
  }

  /** Sends a command without waiting for anything. */
  send(...args: string[]): void {
    this.sock.write(resp(...args));
  }

  /** Sends raw bytes (a pipeline, an inline command). */
  write(data: string | Buffer): void {
    this.sock.write(data);
  }

  /** The next item received (reply or push), in order. */
  next(): Promise<Tree> {
    const r = this.received.shift();
    if (r !== undefined) return Promise.resolve(r);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Items already received and not yet taken. */
  get pending(): number {
    return this.received.length;
  }

  /** Resolves when the server has closed the connection. */
  whenClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.sock.once('close', () => resolve()));
  }

  close(): void {
    this.sock.destroy();
  }
}

/** The RESP2 shape of a RESP3 tree: sets become arrays, maps flat arrays, verbatim a bulk (prefix dropped). */
export function toResp2(t: Tree): Tree {
  if (t === null || typeof t !== 'object') return t;
  if ('set' in t) return { array: t.set.map(toResp2) };
  if ('map' in t) return { array: t.map.map(toResp2) };
  if ('array' in t) return { array: t.array.map(toResp2) };
  if ('verbatim' in t) return t.verbatim.slice(4);
  return t;
}

/** The value under `key` in a map (or a RESP2 flat array), or undefined. */
export function field(t: Tree, key: string): Tree | undefined {
  const items = t !== null && typeof t === 'object' ? ('map' in t ? t.map : 'array' in t ? t.array : null) : null;
  if (items === null) return undefined;
  for (let i = 0; i + 1 < items.length; i += 2) if (items[i] === key) return items[i + 1];
  return undefined;
}
