/**
 * How mini-kv-cli prints replies, as redis-cli 7.0 does (its
 * cliFormatReply and the four formatters under it). On a terminal (or
 * with --no-raw), cliFormatReplyTTY's style: strings quoted and escaped like
 * sdscatrepr (`"value"`), `(nil)`, `(integer) 1`, `(error) ERR x`, numbered
 * elements with right-aligned indexes, nested aggregates indented under their
 * index, `1#` map entries as `key => value`, `1~` set elements. Otherwise
 * (output piped, or --raw), cliFormatReplyRaw's: bare values, one per line
 * (-d sets the separator). --csv is cliFormatReplyCSV's and --json and
 * --quoted-json cliFormatReplyJson's. A big number has no formatter in 7.0:
 * redis-cli prints "Unknown reply type: 13" and exits 1, and so do we
 * (UnknownReplyTypeError). `forcedRaw` lists the commands redis-cli always
 * prints raw (INFO, CLIENT LIST, ...), whatever the output style.
 * Both return latin1 strings (one char per byte), to be written as latin1,
 * so binary values reach stdout unchanged.
 *
 * Shares the text dialect's idea (src/protocol/reply-writer.ts) but formats a
 * parsed reply tree on the client side, so it knows nothing of the server.
 */
import type { OutputMode } from './options.js';
import type { Reply } from './reply.js';

/** A byte string quoted as redis-cli shows it (sds.c sdscatrepr). */
export function repr(b: Buffer): string {
  let s = '"';
  for (const c of b) {
    switch (c) {
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x07: s += '\\a'; break;
      case 0x08: s += '\\b'; break;
      default:
        s += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return s + '"';
}

/** Whether a map value goes on its own lines after `=>` (redis-cli's cliIsMultilineValueTTY). */
function isMultiline(r: Reply): boolean {
  switch (r.type) {
    case 'array':
    case 'set':
    case 'push':
      if (r.elements.length === 0) return false;
      if (r.elements.length > 1) return true;
      return isMultiline(r.elements[0]!);
    case 'map':
      if (r.elements.length === 0) return false;
      if (r.elements.length > 2) return true;
      return isMultiline(r.elements[1]!);
    default:
      return false;
  }
}

const EMPTY: Record<string, string> = { array: '(empty array)', map: '(empty hash)', set: '(empty set)', push: '(empty push)' };

/** hiredis's REDIS_REPLY_* number for each reply type, as "Unknown reply type: N" names them. */
const HIREDIS_TYPE: Record<Reply['type'], number> = {
  string: 1, array: 2, integer: 3, nil: 4, status: 5, error: 6, double: 7, bool: 8, map: 9, set: 10, push: 12, bignum: 13, verbatim: 14,
};

/** A reply type redis-cli 7.0 cannot print; its callers print the message to stderr and exit 1. */
export class UnknownReplyTypeError extends Error {
  override readonly name = 'UnknownReplyTypeError';
  constructor(type: Reply['type']) {
    super(`Unknown reply type: ${HIREDIS_TYPE[type]}`);
  }
}

/** A reply in redis-cli's TTY style; every line ends with "\n". `prefix` indents nested lines. */
export function formatTTY(r: Reply, prefix = ''): string {
  switch (r.type) {
    case 'error': return `(error) ${r.value}\n`;
    case 'status': return r.value + '\n';
    case 'integer': return `(integer) ${r.value}\n`;
    case 'double': return `(double) ${r.value}\n`;
    case 'string': return repr(r.value) + '\n';
    case 'verbatim': return r.value.toString('latin1') + '\n';
    case 'nil': return '(nil)\n';
    case 'bool': return r.value ? '(true)\n' : '(false)\n';
    case 'array':
    case 'set':
    case 'push':
    case 'map': {
      const n = r.elements.length;
      if (n === 0) return EMPTY[r.type]! + '\n';
      const isMap = r.type === 'map';
      const idxLen = String(isMap ? Math.floor(n / 2) : n).length;
      const inner = prefix + ' '.repeat(idxLen + 2);
      const sep = r.type === 'set' ? '~' : isMap ? '#' : ')';
      let out = '';
      for (let i = 0; i < n; i++) {
        const human = (isMap ? Math.floor(i / 2) : i) + 1;
        out += (i === 0 ? '' : prefix) + String(human).padStart(idxLen) + sep + ' ';
        out += formatTTY(r.elements[i]!, inner);
        if (isMap) {
          i++;
          out = out.slice(0, -1) + ' => ';
          const value = r.elements[i]!;
          if (isMultiline(value)) out += '\n' + inner;
          out += formatTTY(value, inner);
        }
      }
      return out;
    }
    default:
      throw new UnknownReplyTypeError(r.type);
  }
}

/** A reply in redis-cli's raw style, without the trailing delimiter (the caller adds -D's). `mbDelim` is -d's. */
export function formatRaw(r: Reply, mbDelim = '\n'): string {
  switch (r.type) {
    case 'nil': return '';
    case 'error': return r.value + '\n';
    case 'status':
    case 'integer':
    case 'double':
      return r.value;
    case 'string':
    case 'verbatim':
      return r.value.toString('latin1');
    case 'bool': return r.value ? '(true)' : '(false)';
    case 'map': {
      let out = '';
      for (let i = 0; i < r.elements.length; i += 2) {
        if (i > 0) out += mbDelim;
        out += formatRaw(r.elements[i]!, mbDelim) + ' ' + (r.elements[i + 1] === undefined ? '' : formatRaw(r.elements[i + 1]!, mbDelim));
      }
      return out;
    }
    case 'array':
    case 'set':
    case 'push':
      return r.elements.map((e) => formatRaw(e, mbDelim)).join(mbDelim);
    default:
      throw new UnknownReplyTypeError(r.type);
  }
}

/** C's strlen view of a reply's text: hiredis hands redis-cli NUL-terminated strings for errors. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul === -1 ? s : s.slice(0, nul);
}

/** A reply in redis-cli's --csv style (cliFormatReplyCSV), without the final newline. */
export function formatCSV(r: Reply): string {
  switch (r.type) {
    case 'error': return 'ERROR,' + repr(Buffer.from(cstr(r.value), 'latin1'));
    case 'status': return repr(Buffer.from(r.value, 'latin1'));
    case 'integer':
    case 'double':
      return r.value;
    case 'string':
    case 'verbatim':
      return repr(r.value);
    case 'nil': return 'NULL';
    case 'bool': return r.value ? 'true' : 'false';
    case 'array':
    case 'set':
    case 'push':
    case 'map':
      return r.elements.map(formatCSV).join(',');
    default:
      throw new UnknownReplyTypeError(r.type);
  }
}

/** escapeJsonString() of cli_common.c: RFC 7159 escapes; bytes from 0x80 up pass through unchanged. */
function jsonEscape(b: Buffer): string {
  let s = '"';
  for (const c of b) {
    switch (c) {
      case 0x5c: s += '\\\\'; break;
      case 0x22: s += '\\"'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0c: s += '\\f'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x08: s += '\\b'; break;
      default: s += c <= 0x1f ? '\\u' + c.toString(16).padStart(4, '0') : String.fromCharCode(c);
    }
  }
  return s + '"';
}

/** jsonStringOutput(): --json escapes for JSON; --quoted-json takes sdscatrepr's quoting and doubles each backslash. */
function jsonString(b: Buffer, quoted: boolean): string {
  return quoted ? repr(b).replace(/\\/g, '\\\\') : jsonEscape(b);
}

/** A reply in redis-cli's --json (or --quoted-json) style (cliFormatReplyJson), without the final newline. */
export function formatJSON(r: Reply, quoted = false): string {
  switch (r.type) {
    case 'error': return 'error:' + jsonString(Buffer.from(cstr(r.value), 'latin1'), quoted);
    case 'status': return jsonString(Buffer.from(r.value, 'latin1'), quoted);
    case 'integer':
    case 'double':
      return r.value;
    case 'string':
    case 'verbatim':
      return jsonString(r.value, quoted);
    case 'nil': return 'null';
    case 'bool': return r.value ? 'true' : 'false';
    case 'array':
    case 'set':
    case 'push':
      return '[' + r.elements.map((e) => formatJSON(e, quoted)).join(',') + ']';
    case 'map': {
      const parts: string[] = [];
      for (let i = 0; i < r.elements.length; i += 2) {
        const key = r.elements[i]!;
        let k: string;
        if (key.type === 'error' || key.type === 'status' || key.type === 'string' || key.type === 'verbatim') k = formatJSON(key, quoted);
        else {
          // JSON keys must be strings; redis-cli quotes the formatted key unless it already starts with a quote.
          const text = formatJSON(key, quoted);
          k = text.startsWith('"') ? text : `"${text}"`;
        }
        parts.push(k + ':' + formatJSON(r.elements[i + 1]!, quoted));
      }
      return '{' + parts.join(',') + '}';
    }
    default:
      throw new UnknownReplyTypeError(r.type);
  }
}

/**
 * cliFormatReply(): one reply as printed, its trailing newline or -D
 * delimiter included. `verbatim` is redis-cli's output_raw flag (the reply
 * of a command it always prints raw): raw formatting with no delimiter at all.
 */
export function formatFor(r: Reply, mode: OutputMode, verbatim = false, delims: { mb: string; cmd: string } = { mb: '\n', cmd: '\n' }): string {
  if (verbatim) return formatRaw(r, delims.mb);
  switch (mode) {
    case 'standard': return formatTTY(r);
    case 'raw': return formatRaw(r, delims.mb) + delims.cmd;
    case 'csv': return formatCSV(r) + '\n';
    case 'json': return formatJSON(r, false) + '\n';
    case 'quoted-json': return formatJSON(r, true) + '\n';
  }
}

const eq = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b;

/** Whether redis-cli prints this command's reply raw whatever the output style (cliSendCommand's output_raw list). */
export function forcedRaw(argv: readonly string[]): boolean {
  const [cmd, sub] = argv;
  const n = argv.length;
  if (eq(cmd, 'info') || eq(cmd, 'lolwut')) return true;
  if (n >= 2 && eq(cmd, 'debug') && (eq(sub, 'htstats') || eq(sub, 'htstats-key') || eq(sub, 'client-eviction'))) return true;
  if (n >= 2 && eq(cmd, 'memory') && (eq(sub, 'malloc-stats') || eq(sub, 'doctor'))) return true;
  if (n === 2 && eq(cmd, 'cluster') && (eq(sub, 'nodes') || eq(sub, 'info'))) return true;
  if (n >= 2 && eq(cmd, 'client') && (eq(sub, 'list') || eq(sub, 'info'))) return true;
  if (n === 3 && eq(cmd, 'latency') && eq(sub, 'graph')) return true;
  if (n === 2 && eq(cmd, 'latency') && eq(sub, 'doctor')) return true;
  if (n >= 2 && eq(cmd, 'proxy') && eq(sub, 'info')) return true;
  return false;
}
