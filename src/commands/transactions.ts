/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH and UNWATCH (Redis's multi.c).
 *
 * MULTI sets the client's CLIENT_MULTI state; from then on the dispatcher
 * queues every command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET and
 * answers +QUEUED (dispatch.ts), after the same checks a command gets when
 * it runs at once (unknown command, arity, NOAUTH, no_multi), any failure
 * of which dooms the transaction: EXEC then answers EXECABORT. EXEC runs
 * the queued commands one after the other through the server's one call
 * path, each with its own accounting, and replies with their replies as
 * one array; an error inside is just one element (no rollback).
 *
 * WATCH registers keys with the signals (signals.ts); any change to one,
 * by any client, by expiry, FLUSHDB/FLUSHALL or SWAPDB, marks the
 * transaction dirty, and EXEC answers a null array.
 */
import { DISCARD_WITHOUT_MULTI, EXEC_WITHOUT_MULTI, EXECABORT, MULTI_NESTED, WATCH_IN_MULTI } from '../errors.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString } from './args.js';
import { keyIsExpired } from './signals.js';
import { CLIENT_MULTI, Transaction } from './state.js';
import { KEYS_ARG, keyRange, type CommandContext, type CommandSpec } from './table.js';

/** Bytes of a transaction's byte queue kept for the next transaction. */
const RAW_QUEUE_KEEP_MAX = 64 * 1024;

/** The client's transaction state, made on first use. */
function transactionOf(ctx: CommandContext): Transaction {
  return ctx.client.tx ?? (ctx.client.tx = new Transaction());
}

/** Ends the transaction, run or not: no queue, no MULTI state, no watched keys (Redis's discardTransaction). */
export function discardTransaction(ctx: CommandContext): void {
  const client = ctx.client;
  client.flags &= ~CLIENT_MULTI;
  const tx = client.tx;
  if (tx === null) return;
  tx.queue.length = 0;
  tx.rawBytesUsed = 0;
  tx.rawArgs = 0;
  // A transaction of big values does not keep its bytes for the next one.
  if (tx.rawBytes.length > RAW_QUEUE_KEEP_MAX) tx.rawBytes = Buffer.alloc(0);
  tx.queuedWrite = false;
  tx.queuedMayReplicate = false;
  tx.dirtyCas = false;
  tx.dirtyExec = false;
  ctx.server.signals.unwatchAll(tx);
}

function multiCommand(ctx: CommandContext): void {
  if (ctx.client.flags & CLIENT_MULTI) {
    ctx.reply.error(MULTI_NESTED);
    return;
  }
  transactionOf(ctx);
  ctx.client.flags |= CLIENT_MULTI;
  ctx.reply.ok();
}

function discardCommand(ctx: CommandContext): void {
  if (!(ctx.client.flags & CLIENT_MULTI)) {
    ctx.reply.error(DISCARD_WITHOUT_MULTI);
    return;
  }
  discardTransaction(ctx);
  ctx.reply.ok();
}

/** Whether a key watched while it existed has expired since (Redis's isWatchedKeyExpired). */
function watchedKeyExpired(ctx: CommandContext, tx: Transaction): boolean {
  for (const wk of tx.watching) {
    if (wk.expired) continue;
    if (keyIsExpired(ctx.server.dbs[wk.db]!, wk.key, ctx.now)) return true;
  }
  return false;
}

function execCommand(ctx: CommandContext): void {
  const client = ctx.client;
  if (!(client.flags & CLIENT_MULTI)) {
    ctx.reply.error(EXEC_WITHOUT_MULTI);
    return;
  }
  const tx = client.tx!;
  if (watchedKeyExpired(ctx, tx)) tx.dirtyCas = true;
  if (tx.dirtyCas || tx.dirtyExec) {
    if (tx.dirtyExec) ctx.reply.error(EXECABORT);
    else ctx.reply.nullArray();
    discardTransaction(ctx);
    return;
  }
  // Unwatch first: the transaction's own writes need not signal it.
  ctx.server.signals.unwatchAll(tx);
  const queue = tx.queue.slice();
  tx.queue.length = 0;
  const caller = ctx.server.caller;
  ctx.reply.arrayHeader(queue.length);
  for (const q of queue) caller.callQueued(ctx, q, tx);
  discardTransaction(ctx);
}

function watchCommand(ctx: CommandContext, argv: Arg[]): void {
  if (ctx.client.flags & CLIENT_MULTI) {
    ctx.reply.error(WATCH_IN_MULTI);
    return;
  }
  const tx = transactionOf(ctx);
  // A transaction already doomed needs no more keys.
  if (!tx.dirtyCas) {
    const db = ctx.db;
    for (let i = 1; i < argv.length; i++) {
      const key = argString(argv[i]!);
      ctx.server.signals.watch(tx, db.id, key, keyIsExpired(db, key, ctx.now));
    }
  }
  ctx.reply.ok();
}

function unwatchCommand(ctx: CommandContext): void {
  const tx = ctx.client.tx;
  if (tx !== null) {
    ctx.server.signals.unwatchAll(tx);
    tx.dirtyCas = false;
  }
  ctx.reply.ok();
}

// ---------------------------------------------------------------------------
// Specs, as Redis 7.0.15's COMMAND INFO and COMMAND DOCS give them.

const TX_FLAGS = ['noscript', 'loading', 'stale', 'fast', 'allow_busy'];

export const TRANSACTION_COMMANDS: CommandSpec[] = [
  { name: 'multi', arity: 1, flags: TX_FLAGS, firstKey: 0, lastKey: 0, step: 0, group: 'transactions', summary: 'Mark the start of a transaction block', since: '1.2.0', complexity: 'O(1)', handler: multiCommand },
  { name: 'exec', arity: 1, flags: ['noscript', 'loading', 'stale', 'skip_slowlog'], firstKey: 0, lastKey: 0, step: 0, group: 'transactions', summary: 'Execute all commands issued after MULTI', since: '1.2.0', complexity: 'Depends on commands in the transaction', handler: execCommand },
  { name: 'discard', arity: 1, flags: TX_FLAGS, firstKey: 0, lastKey: 0, step: 0, group: 'transactions', summary: 'Discard all commands issued after MULTI', since: '2.0.0', complexity: 'O(N), when N is the number of queued commands', handler: discardCommand },
  { name: 'watch', arity: -2, flags: TX_FLAGS, firstKey: 1, lastKey: -1, step: 1, group: 'transactions', summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', since: '2.2.0', complexity: 'O(1) for every key.', keySpecs: [keyRange(['RO'], 1, -1)], args: [KEYS_ARG], handler: watchCommand },
  { name: 'unwatch', arity: 1, flags: TX_FLAGS, firstKey: 0, lastKey: 0, step: 0, group: 'transactions', summary: 'Forget about all watched keys', since: '2.2.0', complexity: 'O(1)', handler: unwatchCommand },
];
