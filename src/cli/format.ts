/**
 * How mini-kv-cli prints replies, as redis-cli 7.0 does. On a terminal (or
 * with --no-raw), cliFormatReplyTTY's style: strings quoted and escaped like
 * sdscatrepr (`"value"`), `(nil)`, `(integer) 1`, `(error) ERR x`, numbered
 * elements with right-aligned indexes, nested aggregates indented under their
 * index, `1#` map entries as `key => value`, `1~` set elements. Otherwise
 * (output piped, or --raw), cliFormatReplyRaw's: bare values, one per line.
 * Both return latin1 strings (one char per byte), to be written as latin1,
 * so binary values reach stdout unchanged.
 *
 * Shares the text dialect's idea (src/protocol/reply-writer.ts) but formats a
 * parsed reply tree on the client side, so it knows nothing of the server.
 */
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

/** A reply in redis-cli's TTY style; every line ends with "\n". `prefix` indents nested lines. */
export function formatTTY(r: Reply, prefix = ''): string {
  switch (r.type) {
    case 'error': return `(error) ${r.value}\n`;
    case 'status': return r.value + '\n';
    case 'integer': return `(integer) ${r.value}\n`;
    case 'double': return `(double) ${r.value}\n`;
    case 'bignum': return `(big number) ${r.value}\n`;
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
      const idxLen = String(isMap ? n / 2 : n).length;
      const inner = prefix + ' '.repeat(idxLen + 2);
      const sep = r.type === 'set' ? '~' : isMap ? '#' : ')';
      let out = '';
      for (let i = 0; i < n; i++) {
        const human = (isMap ? i / 2 : i) + 1;
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
  }
}

/** A reply in redis-cli's raw style (no trailing newline; the caller adds one). */
export function formatRaw(r: Reply): string {
  switch (r.type) {
    case 'nil': return '';
    case 'error': return r.value + '\n';
    case 'status':
    case 'integer':
    case 'double':
    case 'bignum':
      return r.value;
    case 'string':
    case 'verbatim':
      return r.value.toString('latin1');
    case 'bool': return r.value ? '(true)' : '(false)';
    case 'map': {
      const lines: string[] = [];
      for (let i = 0; i + 1 < r.elements.length; i += 2) lines.push(formatRaw(r.elements[i]!) + ' ' + formatRaw(r.elements[i + 1]!));
      return lines.join('\n');
    }
    default:
      return r.elements.map(formatRaw).join('\n');
  }
}
