/**
 * Key-change signals: the one place every change to the data is reported,
 * by command handlers, fast paths, expiry and FLUSH/SWAPDB alike. From here
 * a change reaches everything that watches data: WATCH (a watching client's
 * transaction is marked dirty, Redis's touchWatchedKey), client-side caching
 * (the tracking hook), keyspace notifications (`notify-keyspace-events`,
 * Redis's notifyKeyspaceEvent), and the dirty counter (INFO
 * rdb_changes_since_last_save; later the AOF and replicas).
 *
 * A write site reports its change once: `changed(db, key, class, event)`
 * for the common case (one key, one event), or `modified` and `notify`
 * separately where a command raises several events for one change (SET
 * with EX raises `set` and `expire`) or signals keys without an event.
 *
 * Cost when nobody listens: a fast path tests one field (`listening`) and
 * bumps `dirty`; the key's string is made only when something listens.
 *
 * One KeyspaceSignals per server (ServerState.signals): nothing here is
 * shared between servers.
 */
import { NO_EXPIRY, type Database } from '../keyspace/keyspace.js';

/** Whether the key is stored, expired or not (Redis's dictFind on db->dict): no expiry is seen before all time. */
export function keyPresent(db: Database, key: string): boolean {
  return db.has(key, -Infinity);
}

/** Whether the key is stored and its time has passed (Redis's keyIsExpired). */
export function keyIsExpired(db: Database, key: string, now: number): boolean {
  if (!keyPresent(db, key)) return false;
  const at = db.getExpire(key);
  return at !== NO_EXPIRY && at <= now;
}

// Notification classes: Redis's NOTIFY_* bits (server.h), same values.
export const NOTIFY_KEYSPACE = 1 << 0; // K
export const NOTIFY_KEYEVENT = 1 << 1; // E
export const NOTIFY_GENERIC = 1 << 2; // g
export const NOTIFY_STRING = 1 << 3; // $
export const NOTIFY_LIST = 1 << 4; // l
export const NOTIFY_SET = 1 << 5; // s
export const NOTIFY_HASH = 1 << 6; // h
export const NOTIFY_ZSET = 1 << 7; // z
export const NOTIFY_EXPIRED = 1 << 8; // x
export const NOTIFY_EVICTED = 1 << 9; // e
export const NOTIFY_STREAM = 1 << 10; // t
/** m: key misses; left out of A on purpose, as in Redis. */
export const NOTIFY_KEY_MISS = 1 << 11;
export const NOTIFY_MODULE = 1 << 13; // d
/** n: a key was created. */
export const NOTIFY_NEW = 1 << 14;
/** A: every class but m and n. */
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | NOTIFY_ZSET
  | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const FLAG_CHARS: Record<string, number> = {
  A: NOTIFY_ALL, g: NOTIFY_GENERIC, $: NOTIFY_STRING, l: NOTIFY_LIST, s: NOTIFY_SET, h: NOTIFY_HASH,
  z: NOTIFY_ZSET, x: NOTIFY_EXPIRED, e: NOTIFY_EVICTED, K: NOTIFY_KEYSPACE, E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM, m: NOTIFY_KEY_MISS, d: NOTIFY_MODULE, n: NOTIFY_NEW,
};

/** `notify-keyspace-events` text to class bits (Redis's keyspaceEventsStringToFlags); -1 for an unknown character. */
export function notifyFlagsFromString(classes: string): number {
  let flags = 0;
  for (const c of classes) {
    const f = FLAG_CHARS[c];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** Class bits to the text CONFIG GET shows (Redis's keyspaceEventsFlagsToString). */
export function notifyFlagsToString(flags: number): string {
  let s = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    s += 'A';
  } else {
    const order: [number, string][] = [
      [NOTIFY_GENERIC, 'g'], [NOTIFY_STRING, '$'], [NOTIFY_LIST, 'l'], [NOTIFY_SET, 's'], [NOTIFY_HASH, 'h'],
      [NOTIFY_ZSET, 'z'], [NOTIFY_EXPIRED, 'x'], [NOTIFY_EVICTED, 'e'], [NOTIFY_STREAM, 't'],
      [NOTIFY_MODULE, 'd'], [NOTIFY_NEW, 'n'],
    ];
    for (const [f, c] of order) if (flags & f) s += c;
  }
  if (flags & NOTIFY_KEYSPACE) s += 'K';
  if (flags & NOTIFY_KEYEVENT) s += 'E';
  if (flags & NOTIFY_KEY_MISS) s += 'm';
  return s;
}

/** What a client watching keys holds (its transaction state's part). */
export interface Watcher {
  /** Set when a watched key changed: the next EXEC fails (CLIENT_DIRTY_CAS). */
  dirtyCas: boolean;
  /** The keys this client watches, one entry per (db, key). */
  readonly watching: WatchedKey[];
}

/** One client watching one key (Redis's watchedKey). */
export interface WatchedKey {
  readonly watcher: Watcher;
  readonly db: number;
  readonly key: string;
  /** The key had already expired when WATCH ran: its deletion by expiry is no change. */
  expired: boolean;
}

export class KeyspaceSignals {
  /** Changes to the data since start (Redis's server.dirty). */
  dirty = 0;
  /**
   * Whether anything listens for key changes: a watched key, client
   * tracking, or notifications. False lets a write skip making the key's
   * string; `dirty` still counts.
   */
  listening = false;
  /** `notify-keyspace-events` as class bits. */
  private notifyFlags = 0;
  /** Watched keys by database index, then key (Redis's db->watched_keys). */
  private readonly watched = new Map<number, Map<string, WatchedKey[]>>();
  private watchedCount = 0;
  /** Publishes a notification (set by pub/sub); returns the receivers reached. */
  publish: (channel: string, message: string) => number = () => 0;
  /** Client-side caching: a key changed (set by tracking); null when no client tracks. */
  private trackingHook: ((db: Database, key: string) => void) | null = null;
  /** Client-side caching: a database was emptied (FLUSHDB/FLUSHALL), index -1 for all. */
  private trackingFlushHook: ((dbIndex: number) => void) | null = null;
  /** Blocked clients (blocking.ts): a key changed; installed only while some client waits on a key. */
  private blockingHook: ((db: Database, key: string) => void) | null = null;

  /** Sets `notify-keyspace-events` (already checked) from its class bits. */
  setNotifyFlags(flags: number): void {
    this.notifyFlags = flags;
    this.update();
  }

  get notifyClasses(): number {
    return this.notifyFlags;
  }

  /** Installs or removes client tracking's hooks. */
  setTracking(onKey: ((db: Database, key: string) => void) | null, onFlush: ((dbIndex: number) => void) | null): void {
    this.trackingHook = onKey;
    this.trackingFlushHook = onFlush;
    this.update();
  }

  /** Installs or removes the blocked clients' ready-key hook. */
  setBlocking(onKey: ((db: Database, key: string) => void) | null): void {
    this.blockingHook = onKey;
    this.update();
  }

  private update(): void {
    this.listening = this.watchedCount > 0 || this.notifyFlags !== 0 || this.trackingHook !== null || this.blockingHook !== null;
  }

  /**
   * One change to one key: the modified-key signal, its event (class bits
   * and Redis's event name), and one dirty count.
   */
  changed(db: Database, key: string, type: number, event: string): void {
    this.dirty++;
    if (!this.listening) return;
    this.modified(db, key);
    this.notify(type, event, key, db.id);
  }

  /** A key's value changed (Redis's signalModifiedKey): WATCH and client tracking. No dirty count. */
  modified(db: Database, key: string): void {
    if (this.watchedCount > 0) this.touchWatched(db.id, key, db);
    if (this.trackingHook !== null) this.trackingHook(db, key);
    if (this.blockingHook !== null) this.blockingHook(db, key);
  }

  /**
   * A keyspace event (Redis's notifyKeyspaceEvent): published on
   * `__keyspace@<db>__:<key>` (class K) and `__keyevent@<db>__:<event>`
   * (class E) when `type` is enabled.
   */
  notify(type: number, event: string, key: string, dbIndex: number): void {
    const flags = this.notifyFlags;
    if ((flags & type) === 0) return;
    if (flags & NOTIFY_KEYSPACE) this.publish(`__keyspace@${dbIndex}__:${key}`, event);
    if (flags & NOTIFY_KEYEVENT) this.publish(`__keyevent@${dbIndex}__:${event}`, key);
  }

  /** Whether events of this class are enabled (to skip building what only an event needs). */
  wants(type: number): boolean {
    return (this.notifyFlags & type) !== 0;
  }

  /**
   * A key removed because its time passed, lazily or by active expiry:
   * the `expired` event and the modified-key signal (Redis's
   * deleteExpiredKeyAndPropagate). No dirty count: Redis 7.0.15 leaves
   * rdb_changes_since_last_save alone when a key expires.
   */
  expired(db: Database, key: string): void {
    if (!this.listening) return;
    this.modified(db, key);
    this.notify(NOTIFY_EXPIRED, 'expired', key, db.id);
  }

  /**
   * A database emptied (FLUSHDB/FLUSHALL: `replacedWith` null) or swapped
   * with another (SWAPDB), before the change is made, as Redis's
   * touchAllWatchedKeysInDb: each watched key that exists in `emptied`, or
   * will exist after the swap, marks its watchers dirty. `now` tells which
   * keys have expired.
   */
  databaseChanging(emptied: Database, replacedWith: Database | null, now: number): void {
    const keys = this.watched.get(emptied.id);
    if (keys === undefined) return;
    for (const [key, entries] of keys) {
      const inEmptied = keyPresent(emptied, key);
      const inReplacement = replacedWith !== null && keyPresent(replacedWith, key);
      if (!inEmptied && !inReplacement) continue;
      for (const wk of entries) {
        if (wk.expired) {
          if (!inReplacement) {
            // An expired key deleted: no logical change.
            wk.expired = false;
            continue;
          }
          if (keyIsExpired(replacedWith!, key, now)) continue;
        } else if (!inEmptied && keyIsExpired(replacedWith!, key, now)) {
          // A missing key replaced by an expired one.
          wk.expired = true;
          continue;
        }
        wk.watcher.dirtyCas = true;
      }
    }
  }

  /** A database was emptied (FLUSHDB, FLUSHALL: -1): client tracking's flush invalidation. */
  flushed(dbIndex: number): void {
    this.trackingFlushHook?.(dbIndex);
  }

  // ---- WATCH --------------------------------------------------------------

  /** WATCH key (Redis's watchForKey): once per (db, key) per watcher; `expired`: the key has already expired. */
  watch(watcher: Watcher, dbIndex: number, key: string, expired: boolean): void {
    for (const wk of watcher.watching) if (wk.db === dbIndex && wk.key === key) return;
    let keys = this.watched.get(dbIndex);
    if (keys === undefined) {
      keys = new Map();
      this.watched.set(dbIndex, keys);
    }
    let entries = keys.get(key);
    if (entries === undefined) {
      entries = [];
      keys.set(key, entries);
    }
    const wk: WatchedKey = { watcher, db: dbIndex, key, expired };
    entries.push(wk);
    watcher.watching.push(wk);
    this.watchedCount++;
    this.update();
  }

  /** Forgets every key `watcher` watches (Redis's unwatchAllKeys). */
  unwatchAll(watcher: Watcher): void {
    const list = watcher.watching;
    if (list.length === 0) return;
    for (const wk of list) {
      const keys = this.watched.get(wk.db)!;
      const entries = keys.get(wk.key)!;
      const i = entries.indexOf(wk);
      if (i !== -1) entries.splice(i, 1);
      if (entries.length === 0) keys.delete(wk.key);
      if (keys.size === 0) this.watched.delete(wk.db);
      this.watchedCount--;
    }
    list.length = 0;
    this.update();
  }

  /** Keys watched, over all clients and databases (INFO watching_clients and the like). */
  get watchedKeys(): number {
    return this.watchedCount;
  }

  /**
   * Redis's touchWatchedKey: every client watching `key` in this database
   * is marked dirty and stops watching. A key that had already expired
   * when watched and is now gone (deleted by expiry) is no change. Redis
   * 7.0 stops at a watcher whose key had expired and has since been set
   * again, leaving it and the watchers after it untouched; so does this.
   */
  private touchWatched(dbIndex: number, key: string, db: Database): void {
    const entries = this.watched.get(dbIndex)?.get(key);
    if (entries === undefined) return;
    for (const wk of [...entries]) {
      if (wk.expired) {
        if (!keyPresent(db, key)) {
          wk.expired = false;
          continue;
        }
        break;
      }
      wk.watcher.dirtyCas = true;
      // A dirty watcher needs no more signals (Redis unwatches it at once).
      this.unwatchAll(wk.watcher);
    }
  }
}
