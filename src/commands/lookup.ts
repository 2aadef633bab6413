/**
 * Key lookups for handlers, counting keyspace hits and misses as Redis's
 * lookupKeyRead does (INFO stats keyspace_hits / keyspace_misses). Writes
 * look keys up with ctx.db directly: Redis does not count those.
 */
import type { StoredValue } from '../keyspace/keyspace.js';
import type { CommandContext } from './table.js';

/** The live value of `key` for a read, counting a hit or a miss. */
export function lookupRead(ctx: CommandContext, key: string): StoredValue | undefined {
  const v = ctx.db.get(key, ctx.now);
  if (v === undefined) ctx.server.stats.keyspaceMisses++;
  else ctx.server.stats.keyspaceHits++;
  return v;
}
