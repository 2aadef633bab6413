/**
 * Key lookups for handlers, counting keyspace hits and misses as Redis's
 * lookupKeyRead does (INFO stats keyspace_hits / keyspace_misses). Writes
 * look keys up with ctx.db directly: Redis does not count those.
 */
import type { StoredValue } from '../keyspace/keyspace.js';
import { TYPE_NONE } from '../keyspace/value-type.js';
import { NOTIFY_KEY_MISS } from './signals.js';
import type { CommandContext } from './table.js';

/** The live value of `key` for a read, counting a hit or a miss (a miss is a `keymiss` event). */
export function lookupRead(ctx: CommandContext, key: string): StoredValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) keyMissed(ctx, key);
  else ctx.server.stats.keyspaceHits++;
  return v;
}

/**
 * lookupRead for a key's type byte (value-type.ts) rather than its value:
 * TYPE and OBJECT ENCODING read the record's type layer, counting the hit or
 * miss the same way. TYPE_NONE when there is no live key.
 */
export function lookupTypeRead(ctx: CommandContext, key: string): number {
  const t = ctx.db.lookupType(key, ctx.now);
  if (t === TYPE_NONE) keyMissed(ctx, key);
  else ctx.server.stats.keyspaceHits++;
  return t;
}

/** A read found no key: keyspace_misses, and the `keymiss` event (class m). */
export function keyMissed(ctx: CommandContext, key: string): void {
  ctx.server.stats.keyspaceMisses++;
  ctx.server.signals.notify(NOTIFY_KEY_MISS, 'keymiss', key, ctx.db.id);
}
