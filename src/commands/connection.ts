/**
 * The `connection` group: PING, ECHO, QUIT, …
 */
import type { CommandSpec, CommandContext } from './table.js';
import type { Arg } from '../protocol/resp-parser.js';
import { wrongArity } from '../errors.js';

// PING [message]
function pingCommand(ctx: CommandContext, argv: Arg[]): void {
  if (argv.length > 2) {
    ctx.reply.error(wrongArity('ping'));
    return;
  }
  if (argv.length === 1) ctx.reply.simple('PONG');
  else {
    const m = argv[1]!;
    if (typeof m === 'string') ctx.reply.bulk(m);
    else ctx.reply.bulkBuffer(m);
  }
}

// ECHO message
function echoCommand(ctx: CommandContext, argv: Arg[]): void {
  const m = argv[1]!;
  if (typeof m === 'string') ctx.reply.bulk(m);
  else ctx.reply.bulkBuffer(m);
}

// QUIT
function quitCommand(ctx: CommandContext): void {
  ctx.reply.ok();
  ctx.client.closeAfterReply = true;
}

export const CONNECTION_COMMANDS: CommandSpec[] = [
  { name: 'ping', arity: -1, flags: ['fast'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', summary: 'Ping the server', since: '1.0.0', complexity: 'O(1)', handler: pingCommand },
  { name: 'echo', arity: 2, flags: ['fast'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', summary: 'Echo the given string', since: '1.0.0', complexity: 'O(1)', handler: echoCommand },
  { name: 'quit', arity: -1, flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'], firstKey: 0, lastKey: 0, step: 0, group: 'connection', summary: 'Close the connection', since: '1.0.0', complexity: 'O(1)', handler: quitCommand },
];
