/**
 * Server options, named as in redis.conf: their types, defaults and checks,
 * and the three ways to set them: a config file in redis.conf syntax, the
 * command line (`--port 7000`, overriding the file), and CONFIG SET at run
 * time. A bad option at start-up throws ConfigError; at run time the caller
 * gets an error string in Redis's wording.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { splitInlineArgs } from '../protocol/inline-parser.js';
import { parseOutputBufferLimits, type OutputLimit } from './limits.js';

type Kind = 'int' | 'bool' | 'string' | 'enum' | 'memory';

export interface OptionSpec {
  name: string;
  kind: Kind;
  default: string;
  /** Allowed range for int and memory options. */
  min?: number;
  max?: number;
  /** Allowed values for enum options. */
  values?: readonly string[];
  /** false: only at start-up (CONFIG SET answers "can't set immutable config"). */
  mutable: boolean;
  /** Takes several words (bind, save, client-output-buffer-limit). */
  multi?: boolean;
  /** A string option's own check and normal form, given the current value (client-output-buffer-limit merges). */
  check?: (value: string, current: string) => { value: string } | { error: string };
}

/** Every option the server has; CONFIG GET lists exactly these. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', kind: 'int', default: '8080', min: 0, max: 65535, mutable: false },
  { name: 'bind', kind: 'string', default: '127.0.0.1 -::1', mutable: false, multi: true },
  { name: 'protected-mode', kind: 'bool', default: 'yes', mutable: true },
  { name: 'requirepass', kind: 'string', default: '', mutable: true },
  { name: 'maxclients', kind: 'int', default: '10000', min: 1, max: 1_000_000, mutable: true },
  { name: 'timeout', kind: 'int', default: '0', min: 0, max: 2_147_483_647, mutable: true },
  { name: 'tcp-keepalive', kind: 'int', default: '300', min: 0, max: 2_147_483_647, mutable: true },
  { name: 'proto-max-bulk-len', kind: 'memory', default: '536870912', min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'client-query-buffer-limit', kind: 'memory', default: '1073741824', min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'client-output-buffer-limit', kind: 'string', default: 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', mutable: true, multi: true, check: mergeOutputBufferLimits },
  { name: 'tls-port', kind: 'int', default: '0', min: 0, max: 65535, mutable: false },
  { name: 'tls-cert-file', kind: 'string', default: '', mutable: false },
  { name: 'tls-key-file', kind: 'string', default: '', mutable: false },
  { name: 'tls-ca-cert-file', kind: 'string', default: '', mutable: false },
  { name: 'tls-auth-clients', kind: 'enum', default: 'yes', values: ['no', 'yes', 'optional'], mutable: false },
  { name: 'hz', kind: 'int', default: '10', min: 1, max: 500, mutable: true },
  { name: 'databases', kind: 'int', default: '16', min: 1, max: 2_147_483_647, mutable: false },
  { name: 'inline-replies', kind: 'enum', default: 'text', values: ['text', 'resp'], mutable: true },
  { name: 'loglevel', kind: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'], mutable: true },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'daemonize', kind: 'bool', default: 'no', mutable: false },
  { name: 'save', kind: 'string', default: '', mutable: true, multi: true },
  { name: 'appendonly', kind: 'bool', default: 'no', mutable: true },
  { name: 'maxmemory', kind: 'memory', default: '0', min: 0, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'maxmemory-policy', kind: 'enum', default: 'noeviction', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], mutable: true },
];

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));

export function optionSpec(name: string): OptionSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/**
 * Parses a memory size as Redis's memtoull: digits with an optional unit,
 * k/m/g (powers of 1000) or kb/mb/gb (powers of 1024), any case. NaN if not.
 */
export function parseMemory(text: string): number {
  const m = /^(\d+)([kmg]b?|b)?$/i.exec(text.trim());
  if (m === null) return NaN;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mul: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return n * mul[unit]!;
}

/**
 * client-output-buffer-limit as Redis's config.c sets it: the classes given
 * replace their own limits and the others stay; sizes are stored in bytes.
 */
function mergeOutputBufferLimits(value: string, current: string): { value: string } | { error: string } {
  const given = parseOutputBufferLimits(value);
  if (typeof given === 'string') return { error: given };
  const merged = parseOutputBufferLimits(current) as Map<string, OutputLimit>;
  for (const [cls, limit] of given) merged.set(cls, limit);
  const words: string[] = [];
  for (const cls of ['normal', 'slave', 'pubsub']) {
    const l = merged.get(cls);
    if (l !== undefined) words.push(cls, String(l.hard), String(l.soft), String(l.softSeconds));
  }
  return { value: words.join(' ') };
}

/** Normalises `value` for `spec`, or returns an error text (Redis's wording after the ' - '). */
export function normalize(spec: OptionSpec, value: string, current = spec.default): { value: string } | { error: string } {
  if (spec.check !== undefined) return spec.check(value, current);
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(value)) return { error: 'argument couldn\'t be parsed into an integer' };
      const n = Number(value);
      if (n < spec.min! || n > spec.max!) return { error: `argument must be between ${spec.min} and ${spec.max} inclusive` };
      return { value: String(n) };
    }
    case 'memory': {
      const n = parseMemory(value);
      if (Number.isNaN(n)) return { error: 'argument must be a memory value' };
      if (n < spec.min! || n > spec.max!) return { error: `argument must be between ${spec.min} and ${spec.max} inclusive` };
      return { value: String(n) };
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (v !== 'yes' && v !== 'no') return { error: 'argument must be \'yes\' or \'no\'' };
      return { value: v };
    }
    case 'enum': {
      const v = value.toLowerCase();
      if (!spec.values!.includes(v)) return { error: 'argument(s) must be one of the following: ' + spec.values!.join(', ') };
      return { value: v };
    }
    case 'string':
      return { value };
  }
}

export class Config {
  private readonly values = new Map<string, string>();
  /** Called after a run-time change (CONFIG SET), with the option name. */
  onChange: (name: string) => void = () => {};

  constructor(overrides: Record<string, string | number | boolean> = {}) {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
    for (const [name, raw] of Object.entries(overrides)) {
      const value = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : String(raw);
      this.setStartup(name, value);
    }
  }

  /** Sets an option before start; throws ConfigError on an unknown option or bad value. */
  setStartup(name: string, value: string): void {
    const spec = optionSpec(name);
    if (spec === undefined) throw new ConfigError(`Bad directive or wrong number of arguments: unknown option '${name}'`);
    const r = normalize(spec, value, this.values.get(spec.name));
    if ('error' in r) throw new ConfigError(`Invalid value for '${spec.name}' (${JSON.stringify(value)}): ${r.error}`);
    this.values.set(spec.name, r.value);
  }

  get(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`no option ${name}`);
    return v;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Every option's [name, value]. */
  entries(): [string, string][] {
    return [...this.values.entries()];
  }

  /**
   * CONFIG SET for several options at once, all or nothing, as Redis 7.
   * Returns null on success or the error message (without `ERR `).
   */
  setRuntime(pairs: [string, string][]): string | null {
    const staged: [OptionSpec, string][] = [];
    const seen = new Set<string>();
    for (const [name, value] of pairs) {
      const spec = optionSpec(name);
      if (spec === undefined) return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
      if (seen.has(spec.name)) return `CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`;
      seen.add(spec.name);
      if (!spec.mutable) return `CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`;
      const r = normalize(spec, value, this.values.get(spec.name));
      if ('error' in r) return `CONFIG SET failed (possibly related to argument '${name}') - ${r.error}`;
      staged.push([spec, r.value]);
    }
    for (const [spec, value] of staged) {
      this.values.set(spec.name, value);
      this.onChange(spec.name);
    }
    return null;
  }
}

/**
 * Reads redis.conf syntax: one `name value…` per line, `#` comments, values
 * quoted as in inline requests. Returns [name, value] pairs in order.
 */
export function parseConfigText(text: string, source: string): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const buf = Buffer.from(line, 'latin1');
    const words = splitInlineArgs(buf, 0, buf.length);
    if (words === null) throw new ConfigError(`${source}:${i + 1}: unbalanced quotes in configuration line`);
    if (words.length < 1) continue;
    out.push([words[0]!.toLowerCase(), words.slice(1).join(' ')]);
  }
  return out;
}

/**
 * Parses redis-server style arguments: an optional config file first, then
 * `--name value…` pairs (a value may span several words, as for --bind and
 * --save). The command line overrides the file.
 */
export function parseServerArgs(argv: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  if (argv.length > 0 && !argv[0]!.startsWith('--')) {
    const file = argv[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`Can't open the config file '${file}': ${(e as Error).message}`);
    }
    pairs.push(...parseConfigText(text, file));
    i = 1;
  }
  while (i < argv.length) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg.length === 2) throw new ConfigError(`Invalid argument '${arg}': options are written --name value`);
    const name = arg.slice(2).toLowerCase();
    const words: string[] = [];
    i++;
    while (i < argv.length && !argv[i]!.startsWith('--')) words.push(argv[i++]!);
    pairs.push([name, words.join(' ')]);
  }
  return pairs;
}
