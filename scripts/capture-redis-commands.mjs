#!/usr/bin/env node
/**
 * Captures `COMMAND INFO` and `COMMAND DOCS` from a real Redis for a list of
 * command names and saves them as a JSON fixture, so that a test can compare
 * mini-kv's COMMAND replies with Redis's without a Redis at test time.
 *
 *   node scripts/capture-redis-commands.mjs [--host 127.0.0.1] [--port 6399]
 *        [--out test/fixtures/redis-7.0.15-commands.json] [name ...]
 *
 * With no names, it captures the commands of issue 3 (connection, server,
 * string and generic groups). A container (CONFIG, CLIENT, COMMAND, OBJECT)
 * is captured whole, its subcommands included.
 *
 * The replies are read in RESP3 (after HELLO 3), which keeps every type that
 * RESP2 flattens (sets, maps), and stored as a typed tree:
 *
 *   bulk string -> "text"         integer -> 42          null -> null
 *   simple      -> {"simple": s}  error   -> {"error": s}
 *   array       -> {"array": [...]}   set -> {"set": [...]}
 *   map         -> {"map": [k1, v1, k2, v2, ...]}   (pairs in reply order)
 *
 * Redis keeps subcommands in a dict whose hash seed changes at every start,
 * so their order is random: the script sorts them by name (INFO's
 * subcommand array by entry name, DOCS's subcommand map by key). Nothing else
 * is reordered.
 */
import net from 'node:net';
import { writeFileSync } from 'node:fs';

const ISSUE_3_COMMANDS = [
  // connection
  'ping', 'echo', 'quit', 'hello', 'auth', 'select', 'client',
  // server
  'dbsize', 'flushdb', 'flushall', 'swapdb', 'time', 'info', 'config', 'command',
  // string
  'get', 'set', 'setnx', 'setex', 'psetex', 'getset', 'getdel', 'getex', 'mget', 'mset', 'msetnx', 'append',
  'strlen', 'getrange', 'substr', 'setrange', 'incr', 'decr', 'incrby', 'decrby', 'incrbyfloat',
  // generic (keyspace and expiry)
  'del', 'unlink', 'exists', 'type', 'keys', 'scan', 'randomkey', 'rename', 'renamenx', 'copy', 'move', 'touch',
  'object', 'expire', 'pexpire', 'expireat', 'pexpireat', 'ttl', 'pttl', 'expiretime', 'pexpiretime', 'persist',
];

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 6399, out: 'test/fixtures/redis-7.0.15-commands.json', names: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--host') opts.host = argv[++i];
    else if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--out') opts.out = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: capture-redis-commands.mjs [--host H] [--port P] [--out FILE] [name ...]');
      process.exit(0);
    } else opts.names.push(a.toLowerCase());
  }
  if (opts.names.length === 0) opts.names = ISSUE_3_COMMANDS;
  return opts;
}

/** Parses one RESP2/RESP3 reply at `pos`; returns { value, end } or null when incomplete. */
function parseReply(buf, pos) {
  if (pos >= buf.length) return null;
  const type = buf[pos];
  const eol = buf.indexOf('\r\n', pos);
  if (eol === -1) return null;
  const line = buf.toString('latin1', pos + 1, eol);
  let p = eol + 2;
  const aggregate = (count, kind) => {
    const items = [];
    for (let i = 0; i < count; i++) {
      const r = parseReply(buf, p);
      if (r === null) return null;
      items.push(r.value);
      p = r.end;
    }
    return { value: { [kind]: items }, end: p };
  };
  switch (String.fromCharCode(type)) {
    case '+': return { value: { simple: line }, end: p };
    case '-': return { value: { error: line }, end: p };
    case ':': return { value: Number(line), end: p };
    case '_': return { value: null, end: p };
    case '$': case '=': {
      const n = Number(line);
      if (n < 0) return { value: null, end: p };
      if (buf.length < p + n + 2) return null;
      return { value: buf.toString('latin1', p, p + n), end: p + n + 2 };
    }
    case '*': return Number(line) < 0 ? { value: null, end: p } : aggregate(Number(line), 'array');
    case '~': return aggregate(Number(line), 'set');
    case '%': return aggregate(2 * Number(line), 'map');
    default: throw new Error(`unexpected reply type ${JSON.stringify(String.fromCharCode(type))}`);
  }
}

function request(args) {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

/** Sends every command, in one pipeline, and resolves with their replies in order. */
function exchange(host, port, commands) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, host);
    let buf = Buffer.alloc(0);
    const replies = [];
    sock.on('error', reject);
    sock.on('connect', () => sock.write(commands.map(request).join('')));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      let pos = 0;
      for (;;) {
        const r = parseReply(buf, pos);
        if (r === null) break;
        replies.push(r.value);
        pos = r.end;
      }
      buf = buf.subarray(pos);
      if (replies.length === commands.length) {
        sock.end();
        resolve(replies);
      }
    });
  });
}

function byName(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts an INFO entry's subcommands (element 9) by name, recursively. */
function sortInfo(entry) {
  const subs = entry.array[9];
  if (subs && subs.array) {
    subs.array.forEach(sortInfo);
    subs.array.sort((x, y) => byName(x.array[0], y.array[0]));
  }
  return entry;
}

/** Sorts a DOCS map's `subcommands` map by key, recursively. */
function sortDocs(doc) {
  const kv = doc.map;
  for (let i = 0; i < kv.length; i += 2) {
    if (kv[i] !== 'subcommands') continue;
    const pairs = [];
    for (let j = 0; j < kv[i + 1].map.length; j += 2) pairs.push([kv[i + 1].map[j], sortDocs(kv[i + 1].map[j + 1])]);
    pairs.sort((x, y) => byName(x[0], y[0]));
    kv[i + 1] = { map: pairs.flat() };
  }
  return doc;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const commands = [['HELLO', '3'], ['INFO', 'server']];
  for (const name of opts.names) commands.push(['COMMAND', 'INFO', name], ['COMMAND', 'DOCS', name]);
  const replies = await exchange(opts.host, opts.port, commands);
  const infoText = typeof replies[1] === 'string' ? replies[1] : '';
  const version = /redis_version:([^\r\n]+)/.exec(infoText)?.[1] ?? 'unknown';
  const fixture = {
    description: 'COMMAND INFO and COMMAND DOCS captured from a real Redis by scripts/capture-redis-commands.mjs (RESP3 typed tree; subcommands sorted by name). Do not edit by hand: run the script again.',
    redis_version: version,
    commands: {},
  };
  const missing = [];
  opts.names.forEach((name, i) => {
    const info = replies[2 + 2 * i].array[0];
    const docs = replies[3 + 2 * i].map;
    if (info === null || docs.length === 0) {
      missing.push(name);
      return;
    }
    fixture.commands[name] = { info: sortInfo(info), docs: sortDocs(docs[1]) };
  });
  writeFileSync(opts.out, JSON.stringify(fixture, null, 1) + '\n');
  console.log(`captured ${Object.keys(fixture.commands).length} commands from Redis ${version} at ${opts.host}:${opts.port} into ${opts.out}`);
  if (missing.length > 0) console.log(`not known to that server: ${missing.join(', ')}`);
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
