/**
 * The `string` group: GET, SET, …
 */
import type { CommandSpec, CommandContext } from './table.js';
import type { Arg } from '../protocol/resp-parser.js';
import { argString } from './args.js';
import { NO_EXPIRY, RawString } from '../keyspace/keyspace.js';
import { WRONGTYPE } from '../errors.js';

// GET key
function getCommand(ctx: CommandContext, argv: Arg[]): void {
  const v = ctx.db.get(argString(argv[1]!), ctx.now);
  if (v === undefined) ctx.reply.nullBulk();
  else if (typeof v === 'string') ctx.reply.bulk(v);
  else if (v instanceof RawString) ctx.reply.bulkBuffer(v.bytes());
  else ctx.reply.error(WRONGTYPE);
}

// SET key value
function setCommand(ctx: CommandContext, argv: Arg[]): void {
  const value = argv[2]!;
  ctx.db.set(argString(argv[1]!), typeof value === 'string' ? value : new RawString(value, value.length), NO_EXPIRY);
  ctx.reply.setOk();
}

export const STRING_COMMANDS: CommandSpec[] = [
  { name: 'get', arity: 2, flags: ['readonly', 'fast'], firstKey: 1, lastKey: 1, step: 1, group: 'string', summary: 'Get the value of a key', since: '1.0.0', complexity: 'O(1)', handler: getCommand },
  { name: 'set', arity: -3, flags: ['write', 'denyoom'], firstKey: 1, lastKey: 1, step: 1, group: 'string', summary: 'Set the string value of a key', since: '1.0.0', complexity: 'O(1)', handler: setCommand },
];
