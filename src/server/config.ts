/**
 * Server options, named as in redis.conf: their types, defaults and checks,
 * and the three ways to set them: a config file in redis.conf syntax, the
 * command line (`--port 7000`, read after the file, as Redis appends it to
 * the file's text), and CONFIG SET at run time.
 *
 * The rule this module keeps: every option either works as in Redis or is
 * refused, never accepted and ignored.
 * - OPTIONS are the options mini-kv implements. Some honour only one value
 *   today (`appendonly no`, `maxmemory 0`, `syslog-enabled no`): any other
 *   is refused as "not supported yet". `save` is the one habit a stock
 *   redis.conf carries that is accepted at start-up with a warning: its
 *   schedule is logged as not honoured and `CONFIG GET save` answers "".
 * - REDIS_ONLY_OPTIONS (redis-options.ts) are the options Redis 7.0 has and
 *   mini-kv does not: accepted at start-up only at Redis's default value,
 *   with one warning naming them all, refused otherwise and always refused
 *   by CONFIG SET.
 * - `include` reads another file in place, as in Redis; Redis's other
 *   non-option directives (rename-command, user, …) are refused.
 * - Anything else is Redis's "Bad directive or wrong number of arguments".
 *
 * A bad option at start-up is a ConfigError (ConfigFileError with the file,
 * line and text when it came from a config file or the command line, which
 * main.ts prints as Redis's FATAL CONFIG FILE ERROR block); at run time the
 * caller gets an error string in Redis's wording.
 */
import { notifyFlagsFromString, notifyFlagsToString } from '../commands/signals.js';
import type { ConfigAccess } from '../commands/state.js';
import { closeSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, ConfigFileError, notSupportedYet } from '../errors.js';
import { globMatch } from '../keyspace/glob.js';
import { splitInlineArgs } from '../protocol/inline-parser.js';
import { LOGLEVELS } from './log.js';
import { REDIS_ONLY_OPTIONS, type RedisOptionKind } from './redis-options.js';

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
  /** Redis's PROTECTED_CONFIG: CONFIG SET answers "can't set protected config" (dir). */
  protected?: boolean;
  /** Takes several words (bind, save, client-output-buffer-limit). */
  multi?: boolean;
  /**
   * The one value mini-kv honours today, in normal form, and why: any other
   * valid value is refused as not supported yet (at start-up and by CONFIG
   * SET), never stored.
   */
  only?: { value: string; why: string };
  /** A string option's own check and normal form, given the current value (client-output-buffer-limit merges). */
  check?: (value: string, current: string) => { value: string } | { error: string };
}

/** Redis's default pidfile when daemonized without one is /var/run/redis.pid; ours. */
export const DEFAULT_DAEMON_PIDFILE = '/var/run/mini-kv.pid';

const NO_DISK = 'mini-kv keeps no data on disk';

/** Redis's LLONG_MAX, the upper bound of its long long options. */
const LLONG_MAX = 9223372036854775807n;

/** Every option the server has; CONFIG GET lists exactly these. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: 'port', kind: 'int', default: '8080', min: 0, max: 65535, mutable: false },
  { name: 'bind', kind: 'string', default: '127.0.0.1 -::1', mutable: false, multi: true },
  { name: 'tcp-backlog', kind: 'int', default: '511', min: 0, max: 2_147_483_647, mutable: false },
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
  { name: 'hz', kind: 'int', default: '10', min: 0, max: 2_147_483_647, mutable: true, check: clampHz },
  { name: 'databases', kind: 'int', default: '16', min: 1, max: 2_147_483_647, mutable: false },
  { name: 'inline-replies', kind: 'enum', default: 'text', values: ['text', 'resp'], mutable: true },
  { name: 'loglevel', kind: 'enum', default: 'notice', values: LOGLEVELS, mutable: true },
  { name: 'logfile', kind: 'string', default: '', mutable: false },
  { name: 'syslog-enabled', kind: 'bool', default: 'no', mutable: false, only: { value: 'no', why: 'mini-kv logs to stdout or to logfile only, so only \'syslog-enabled no\' is accepted' } },
  { name: 'daemonize', kind: 'bool', default: 'no', mutable: false },
  { name: 'pidfile', kind: 'string', default: '', mutable: false },
  // The default is the working directory, filled in by Config's constructor.
  { name: 'dir', kind: 'string', default: '', mutable: false, protected: true },
  { name: 'save', kind: 'string', default: '', mutable: true, multi: true, check: checkSave },
  { name: 'appendonly', kind: 'bool', default: 'no', mutable: true, only: { value: 'no', why: `${NO_DISK}, so only 'appendonly no' is accepted` } },
  { name: 'maxmemory', kind: 'memory', default: '0', min: 0, max: Number.MAX_SAFE_INTEGER, mutable: true, only: { value: '0', why: 'mini-kv sets no memory bound, so only \'maxmemory 0\' (no limit) is accepted' } },
  // With maxmemory 0 the policy never evicts, in Redis as here; OBJECT FREQ and IDLETIME read it.
  { name: 'notify-keyspace-events', kind: 'string', default: '', mutable: true, check: checkNotifyKeyspaceEvents },
  { name: 'tracking-table-max-keys', kind: 'int', default: '1000000', min: 0, max: Number.MAX_SAFE_INTEGER, mutable: true },
  { name: 'maxmemory-policy', kind: 'enum', default: 'noeviction', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], mutable: true },
  // The slow log and latency monitor (observer.ts), ranges as Redis's createLongLongConfig / createULongConfig.
  { name: 'slowlog-log-slower-than', kind: 'int', default: '10000', mutable: true, check: longLongIn(-1n, LLONG_MAX) },
  { name: 'slowlog-max-len', kind: 'int', default: '128', mutable: true, check: longLongIn(0n, LLONG_MAX) },
  { name: 'latency-monitor-threshold', kind: 'int', default: '0', mutable: true, check: longLongIn(0n, LLONG_MAX) },
  { name: 'latency-tracking', kind: 'bool', default: 'yes', mutable: true },
  { name: 'latency-tracking-info-percentiles', kind: 'string', default: '50 99 99.9', mutable: true, multi: true, check: checkPercentiles },
  // DEBUG (commands/debug.ts): `local` admits loopback clients only; immutable, as in Redis 7.0.
  { name: 'enable-debug-command', kind: 'enum', default: 'no', values: ['no', 'yes', 'local'], mutable: false },
];

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));
const REDIS_ONLY = new Map(REDIS_ONLY_OPTIONS.map(([name, kind, def]) => [name, { kind, default: def }]));

/**
 * Directives Redis reads from a config file that are not options
 * (config.c loadServerConfigFromString), each with why mini-kv refuses it;
 * `include` is not here because it works (readConfigFile).
 */
const REDIS_DIRECTIVES: Record<string, string> = {
  'rename-command': 'mini-kv cannot rename commands',
  user: 'mini-kv has only the default user (set its password with requirepass)',
  loadmodule: 'mini-kv has no modules',
  sentinel: 'mini-kv has no sentinel mode',
};

/** Redis's reason for a name it does not know, or a wrong number of words for a directive. */
export const BAD_DIRECTIVE = 'Bad directive or wrong number of arguments';

export function optionSpec(name: string): OptionSpec | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Redis 7.0's kind and default for an option mini-kv does not implement, or undefined. */
export function redisOnlyOption(name: string): { kind: RedisOptionKind; default: string } | undefined {
  return REDIS_ONLY.get(name.toLowerCase());
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

/** One class's client-output-buffer-limit: 0 disables a limit. */
export interface OutputLimit {
  hard: number; // bytes
  soft: number; // bytes
  softSeconds: number;
}

/**
 * Parses `client-output-buffer-limit` as Redis's config.c does: groups of
 * `<class> <hard> <soft> <soft seconds>`, class normal, replica (slave) or
 * pubsub, sizes with optional units. Returns the limits by class (replica
 * stored as `slave`) or an error text in Redis's wording.
 */
export function parseOutputBufferLimits(text: string): Map<string, OutputLimit> | string {
  const words = text.split(' ').filter((w) => w !== '');
  if (words.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  const out = new Map<string, OutputLimit>();
  for (let i = 0; i < words.length; i += 4) {
    let cls = words[i]!.toLowerCase();
    if (cls === 'replica') cls = 'slave';
    if (cls !== 'normal' && cls !== 'slave' && cls !== 'pubsub') return 'Invalid client class specified in buffer limit configuration.';
    const hard = parseMemory(words[i + 1]!);
    const soft = parseMemory(words[i + 2]!);
    const secs = /^\d+$/.test(words[i + 3]!) ? Number(words[i + 3]) : NaN;
    if (Number.isNaN(hard) || Number.isNaN(soft) || Number.isNaN(secs)) return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
    out.set(cls, { hard, soft, softSeconds: secs });
  }
  return out;
}

/**
 * hz as Redis 7.0 takes it: any int from 0 up, kept within CONFIG_MIN_HZ (1)
 * and CONFIG_MAX_HZ (500), so CONFIG SET hz 1000 answers OK and CONFIG GET
 * hz then says 500 (config.c updateHZ).
 */
function clampHz(value: string): { value: string } | { error: string } {
  if (!/^-?\d+$/.test(value)) return { error: 'argument couldn\'t be parsed into an integer' };
  const n = Number(value);
  if (n < 0 || n > 2_147_483_647) return { error: 'argument must be between 0 and 2147483647 inclusive' };
  return { value: String(Math.min(500, Math.max(1, n))) };
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

/**
 * `save` as Redis's setConfigSaveOption checks it: "" (off) or pairs of
 * <seconds> <changes>, both integers. Returns the schedule's normal form;
 * whether it is honoured is Config's decision (it is not, today).
 */
/** notify-keyspace-events as Redis's setConfigNotifyKeyspaceEventsOption: classes checked, shown in canonical order. */
function checkNotifyKeyspaceEvents(value: string): { value: string } | { error: string } {
  const flags = notifyFlagsFromString(value);
  if (flags === -1) return { error: "Invalid event class character. Use 'Ag$lshzxeKEtmdn'." };
  return { value: notifyFlagsToString(flags) };
}

function checkSave(value: string): { value: string } | { error: string } {
  const words = value.split(' ').filter((w) => w !== '');
  if (words.length % 2 !== 0 || words.some((w) => !/^\d+$/.test(w))) return { error: 'Invalid save parameters' };
  return { value: words.map(Number).join(' ') };
}

/**
 * An integer option checked as Redis's numeric configs are: string2ll, then
 * the range, with Redis's two messages (exact beyond 2^53, where a Number
 * would round the bound in the message).
 */
function longLongIn(min: bigint, max: bigint): (value: string) => { value: string } | { error: string } {
  return (value) => {
    if (!/^-?(0|[1-9]\d*)$/.test(value) || value === '-0') return { error: 'argument couldn\'t be parsed into an integer' };
    const n = BigInt(value);
    if (n < min || n > max) return { error: `argument must be between ${min} and ${max} inclusive` };
    return { value: String(n) };
  };
}

/**
 * latency-tracking-info-percentiles as Redis's
 * setConfigLatencyTrackingInfoPercentilesOutputOption: each word a double
 * within [0, 100], "" for none; shown as "%f" trimmed (99.90 -> 99.9).
 */
function checkPercentiles(value: string): { value: string } | { error: string } {
  const words = value.split(' ').filter((w) => w !== '');
  const out: string[] = [];
  for (const w of words) {
    const n = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(w) ? Number(w) : NaN;
    if (Number.isNaN(n)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
    if (n > 100 || n < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
    out.push(n.toFixed(6).replace(/\.?0+$/, ''));
  }
  return { value: out.join(' ') };
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

/**
 * Whether `value` asks for exactly Redis's default of an option mini-kv
 * does not implement, comparing in the option's kind: memory sizes in bytes
 * (`64mb` is 67108864), integers as numbers, booleans and enums in any case,
 * text with runs of spaces collapsed (multi-word options such as
 * oom-score-adj-values).
 */
export function isRedisDefault(kind: RedisOptionKind, value: string, def: string): boolean {
  switch (kind) {
    case 'memory':
      return parseMemory(value) === parseMemory(def);
    case 'int':
      return /^-?\d+$/.test(value.trim()) && Number(value) === Number(def);
    case 'bool':
    case 'enum':
      return value.trim().toLowerCase() === def;
    case 'string':
      return value.split(' ').filter((w) => w !== '').join(' ') === def;
  }
}

/** How a value is shown inside an error or warning: as typed, `""` when empty. */
function shown(value: string): string {
  return value === '' ? '""' : value;
}

/** Errno codes as Redis's strerror texts, for dir, logfile and pidfile errors. */
export function strerror(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'No such file or directory';
  if (code === 'ENOTDIR') return 'Not a directory';
  if (code === 'EACCES') return 'Permission denied';
  if (code === 'EISDIR') return 'Is a directory';
  if (code === 'EROFS') return 'Read-only file system';
  return (e as Error).message;
}

const OPTION_NAMES: readonly string[] = OPTIONS.map((o) => o.name);

export class Config implements ConfigAccess {
  private readonly values = new Map<string, string>();
  /** Called after a run-time change (CONFIG SET), with the option name. */
  onChange: (name: string) => void = () => {};
  /** Redis options accepted at Redis's default (redis-options.ts), in the order first seen. */
  readonly acceptedRedisDefaults: string[] = [];
  /** The `save` schedule asked for at start-up ('' when none): accepted, logged, not honoured. */
  requestedSave = '';
  private saveLines = 0;

  constructor(overrides: Record<string, string | number | boolean> = {}) {
    for (const o of OPTIONS) this.values.set(o.name, o.default);
    this.values.set('dir', process.cwd());
    for (const [name, raw] of Object.entries(overrides)) {
      const value = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : String(raw);
      this.setStartup(name, value);
    }
  }

  /**
   * Sets an option before start from its words (redis.conf's arguments
   * after the name). Returns null, or the reason in Redis's wording (the
   * last line of its FATAL CONFIG FILE ERROR block). A multi-word option
   * given one word splits it on spaces, as Redis does.
   */
  apply(name: string, args: readonly string[]): string | null {
    const lower = name.toLowerCase();
    const spec = optionSpec(lower);
    if (spec === undefined) {
      const redis = redisOnlyOption(lower);
      if (redis !== undefined) {
        const value = args.join(' ');
        if (!isRedisDefault(redis.kind, value, redis.default)) {
          return notSupportedYet(`${lower} ${shown(value)}`, `mini-kv does not implement ${lower}, so only Redis's default (${shown(redis.default)}) is accepted`);
        }
        if (!this.acceptedRedisDefaults.includes(lower)) this.acceptedRedisDefaults.push(lower);
        return null;
      }
      const why = REDIS_DIRECTIVES[lower];
      if (why !== undefined) return notSupportedYet(lower, why);
      return BAD_DIRECTIVE;
    }
    if (!spec.multi && args.length !== 1) return 'wrong number of arguments';
    const value = args.join(' ');
    if (spec.name === 'save') return this.applySave(value);
    if (spec.name === 'dir') return this.applyDir(value);
    const r = normalize(spec, value, this.values.get(spec.name));
    if ('error' in r) return r.error;
    if (spec.only !== undefined && r.value !== spec.only.value) return notSupportedYet(`${spec.name} ${shown(value)}`, spec.only.why);
    this.values.set(spec.name, r.value);
    return null;
  }

  /**
   * `save` at start-up: each line adds to the schedule, as in Redis 7.0
   * (the first line replaces the default); `save ""` clears it. A non-empty
   * schedule is remembered for the start-up warning; the value in force
   * stays "" because nothing is ever saved.
   */
  private applySave(value: string): string | null {
    const r = checkSave(value);
    if ('error' in r) return r.error;
    if (r.value === '') this.requestedSave = '';
    else this.requestedSave = this.saveLines === 0 || this.requestedSave === '' ? r.value : `${this.requestedSave} ${r.value}`;
    this.saveLines++;
    return null;
  }

  /**
   * `dir`: must be an existing directory (Redis chdirs into it at once and
   * reports the errno); stored as an absolute path, a relative one taken
   * from the dir in force, as successive chdirs would. The binary changes
   * into it (main.ts); the server only resolves relative paths against it.
   */
  private applyDir(value: string): string | null {
    const abs = path.resolve(this.get('dir'), value);
    try {
      if (!statSync(abs).isDirectory()) return 'Not a directory';
    } catch (e) {
      return strerror(e);
    }
    this.values.set('dir', abs);
    return null;
  }

  /** Sets an option before start (the embedding API, tests); throws ConfigError on an unknown option or bad value. */
  setStartup(name: string, value: string): void {
    const spec = optionSpec(name);
    const args = spec?.multi === true && value !== '' ? value.split(' ').filter((w) => w !== '') : [value];
    const err = this.apply(name, args);
    if (err === null) return;
    if (err === BAD_DIRECTIVE) throw new ConfigError(`Bad directive or wrong number of arguments: unknown option '${name}'`);
    // A refusal (errors.ts notSupportedYet) already names the option and value; a bad value gets them prefixed.
    if (spec === undefined || err.includes(' is not supported yet: ')) throw new ConfigError(err);
    throw new ConfigError(`Invalid value for '${spec.name}' (${JSON.stringify(value)}): ${err}`);
  }

  /**
   * Checks made once every option is read, as at the end of Redis's
   * loadServerConfigFromString: the log file must open for appending.
   * Returns null or the reason.
   */
  checkLoaded(): string | null {
    const logfile = this.get('logfile');
    if (logfile !== '') {
      try {
        closeSync(openSync(this.resolvePath(logfile), 'a'));
      } catch (e) {
        return `Can't open the log file: ${strerror(e)}`;
      }
    }
    return null;
  }

  /** A path from an option (logfile, pidfile) made absolute against `dir`, as the binary's chdir would. */
  resolvePath(p: string): string {
    return path.resolve(this.get('dir'), p);
  }

  /**
   * The warnings to log at start-up, one line each: the `save` schedule
   * that is not honoured, and the Redis options accepted only because they
   * ask for Redis's default.
   */
  startupWarnings(): string[] {
    const out: string[] = [];
    if (this.requestedSave !== '') {
      out.push(`Warning: 'save ${this.requestedSave}' is accepted but not honoured: ${NO_DISK} yet, so nothing will be saved and CONFIG GET save answers "". Use 'save ""' to silence this warning.`);
    }
    if (this.acceptedRedisDefaults.length > 0) {
      out.push(`Warning: ${this.acceptedRedisDefaults.length} Redis option(s) accepted only because they are set to Redis's default; mini-kv does not implement them: ${this.acceptedRedisDefaults.join(', ')}`);
    }
    return out;
  }

  get(name: string): string {
    const v = this.values.get(name);
    if (v === undefined) throw new Error(`no option ${name}`);
    return v;
  }

  getInt(name: string): number {
    return Number(this.get(name));
  }

  /** ConfigAccess: the canonical name of an option, or undefined (CONFIG GET of an exact name). */
  optionName(name: string): string | undefined {
    return optionSpec(name)?.name;
  }

  /** ConfigAccess: every option's name, in table order (CONFIG GET with a pattern). */
  optionNames(): readonly string[] {
    return OPTION_NAMES;
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
   * Returns null on success or the error message (without `ERR `). An
   * option mini-kv does not implement is refused as not supported yet,
   * whatever the value: a run-time change has no start-up log to warn in.
   */
  setRuntime(pairs: [string, string][]): string | null {
    const staged: [OptionSpec, string][] = [];
    const seen = new Set<string>();
    const failed = (name: string, why: string): string => `CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
    for (const [name, value] of pairs) {
      const spec = optionSpec(name);
      if (spec === undefined) {
        const redis = redisOnlyOption(name);
        if (redis !== undefined) return failed(name, notSupportedYet(`${name.toLowerCase()} ${shown(value)}`, `mini-kv does not implement ${name.toLowerCase()}`));
        return `Unknown option or number of arguments for CONFIG SET - '${name}'`;
      }
      if (seen.has(spec.name)) return failed(name, 'duplicate parameter');
      seen.add(spec.name);
      if (spec.protected === true) return failed(name, 'can\'t set protected config');
      if (!spec.mutable) return failed(name, 'can\'t set immutable config');
      const r = normalize(spec, value, this.values.get(spec.name));
      if ('error' in r) return failed(name, r.error);
      if (spec.only !== undefined && r.value !== spec.only.value) return failed(name, notSupportedYet(`${spec.name} ${shown(value)}`, spec.only.why));
      if (spec.name === 'save' && r.value !== '') return failed(name, notSupportedYet(`save ${value}`, `${NO_DISK}, so only 'save ""' is accepted`));
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
 * One configuration line: from the config file (with its line number and
 * text as read) or from the command line (`--name args…`, numbered by
 * option and shown as Redis shows such a line, each argument quoted).
 */
export interface ConfigLine {
  name: string;
  args: string[];
  /** The line as Redis's error block shows it after `>>> `. */
  text: string;
  /** `Reading the configuration file '/x.conf', at line 2` or `Reading the command line, at option 1`. */
  where: string;
  /**
   * Set when the line could not be read (unbalanced quotes, an include that
   * cannot be opened): the reason, reported when loading reaches the line,
   * so that an earlier bad line is reported first, as in Redis.
   */
  error?: string;
}

/** How deep includes may nest before a cycle is assumed (Redis has no limit and recurses until it fails). */
const MAX_INCLUDE_DEPTH = 16;

/**
 * An argument as Redis's sdscatrepr writes it: in double quotes, with `\\`,
 * `\"`, `\n`, `\r`, `\t`, `\a`, `\b` escaped and other unprintable bytes as
 * `\xHH`.
 */
export function reprArg(arg: string): string {
  let out = '"';
  for (const b of Buffer.from(arg, 'utf8')) {
    if (b === 0x5c) out += '\\\\';
    else if (b === 0x22) out += '\\"';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x07) out += '\\a';
    else if (b === 0x08) out += '\\b';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/**
 * Reads redis.conf syntax: one `name value…` per line, `#` comments, values
 * quoted as in inline requests. A line with unbalanced quotes comes back
 * with its `error` set. `file` names the source in errors.
 */
export function parseConfigText(text: string, file: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  // latin1 keeps every byte as one character for the splitter; words are
  // turned back into UTF-8 text after.
  const lines = Buffer.from(text, 'utf8').toString('latin1').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const shownText = Buffer.from(line, 'latin1').toString('utf8');
    const where = `Reading the configuration file '${file}', at line ${i + 1}`;
    const buf = Buffer.from(line, 'latin1');
    const words = splitInlineArgs(buf, 0, buf.length);
    if (words === null) {
      out.push({ name: '', args: [], text: shownText, where, error: 'Unbalanced quotes in configuration line' });
      continue;
    }
    if (words.length < 1) continue;
    const utf8 = words.map((w) => Buffer.from(w, 'latin1').toString('utf8'));
    out.push({ name: utf8[0]!.toLowerCase(), args: utf8.slice(1), text: shownText, where });
  }
  return out;
}

/**
 * The files an `include` names, as Redis 7.0's loadServerConfig finds them:
 * a path without wildcards is one file (relative to the working directory,
 * not to the including file, as in Redis); with `*`, `?` or `[` in its last
 * part, every matching file of that directory in sorted order, possibly
 * none (an empty conf.d). Wildcards in directory parts are not supported.
 */
function includedFiles(pattern: string): string[] {
  const abs = path.resolve(pattern);
  const base = path.basename(abs);
  if (!/[*?[]/.test(base)) return [abs];
  const parent = path.dirname(abs);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  return names.filter((n) => globMatch(base, n)).sort().map((n) => path.join(parent, n));
}

/**
 * Reads a config file into lines, expanding each `include <file>` in place
 * (its lines carry their own file and line number). An include that cannot
 * be opened becomes a line with `error` set at the include.
 */
function readConfigFile(file: string, depth: number, lines: ConfigLine[]): void {
  const text = readFileSync(file, 'utf8');
  for (const line of parseConfigText(text, file)) {
    if (line.name !== 'include' || line.args.length !== 1 || line.error !== undefined) {
      lines.push(line);
      continue;
    }
    includeAt(line, depth, lines);
  }
}

/** Expands one `include` line (from a file or the command line) into the lines of the files it names. */
function includeAt(line: ConfigLine, depth: number, lines: ConfigLine[]): void {
  if (depth >= MAX_INCLUDE_DEPTH) {
    lines.push({ ...line, error: `includes nested more than ${MAX_INCLUDE_DEPTH} deep (an include cycle?)` });
    return;
  }
  for (const inc of includedFiles(line.args[0]!)) {
    try {
      readConfigFile(inc, depth + 1, lines);
    } catch (e) {
      lines.push({ ...line, error: `Fatal error, can't open config file '${line.args[0]}': ${strerror(e)}` });
    }
  }
}

/**
 * Parses redis-server style arguments: an optional config file first, then
 * `--name value…` options (a value may span several words, as for --bind and
 * --save). The command line is read after the file, so it overrides it.
 * Throws ConfigError when the file cannot be read; any other bad line is
 * reported by loadServerConfig when it reaches it.
 */
export function parseServerArgs(argv: readonly string[]): ConfigLine[] {
  const lines: ConfigLine[] = [];
  let i = 0;
  if (argv.length > 0 && !argv[0]!.startsWith('--')) {
    const file = path.resolve(argv[0]!);
    try {
      readConfigFile(file, 0, lines);
    } catch (e) {
      // Only the file itself can fail here: includes report at their line.
      throw new ConfigError(`Fatal error, can't open config file '${argv[0]}': ${strerror(e)}`);
    }
    i = 1;
  }
  let option = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    option++;
    const where = `Reading the command line, at option ${option}`;
    if (!arg.startsWith('--') || arg.length === 2) {
      lines.push({ name: '', args: [], text: arg, where, error: 'Invalid argument: options are written --name value' });
      i++;
      continue;
    }
    const name = arg.slice(2).toLowerCase();
    const args: string[] = [];
    i++;
    while (i < argv.length && !argv[i]!.startsWith('--')) args.push(argv[i++]!);
    const text = [name, ...args.map(reprArg)].join(' ');
    if (name === 'include' && args.length === 1) includeAt({ name, args, text, where }, 0, lines);
    else lines.push({ name, args, text, where });
  }
  return lines;
}

/**
 * Applies parsed lines in order to a new Config, then the end-of-load
 * checks, as Redis's loadServerConfigFromString. Throws ConfigFileError
 * naming the line at the first bad one.
 */
export function loadServerConfig(lines: readonly ConfigLine[]): Config {
  const config = new Config();
  for (const line of lines) {
    if (line.error !== undefined) throw new ConfigFileError(line.error, line.where, line.text);
    const err = config.apply(line.name, line.args);
    if (err !== null) throw new ConfigFileError(err, line.where, line.text);
  }
  const err = config.checkLoaded();
  if (err !== null) throw new ConfigFileError(err);
  return config;
}

/**
 * The block Redis's loadServerConfigFromString prints to stderr before
 * exiting 1, with mini-kv's name and version where Redis prints its own and
 * the file named in the location line:
 *
 *     (blank line)
 *     *** FATAL CONFIG FILE ERROR (mini-kv 0.1.0) ***
 *     Reading the configuration file '/etc/mini-kv.conf', at line 2
 *     >>> 'foo bar'
 *     Bad directive or wrong number of arguments
 */
export function fatalConfigReport(e: ConfigFileError, version: string): string {
  let out = `\n*** FATAL CONFIG FILE ERROR (mini-kv ${version}) ***\n`;
  if (e.where !== null) out += `${e.where}\n>>> '${e.text}'\n`;
  return out + e.reason + '\n';
}
