/**
 * The server's own client, with no connection: what the embedding API's
 * helpers and `call()` run commands as, so that they take the one call
 * path every client's command takes (dispatcher checks, statistics,
 * signals, WATCH, notifications) rather than writing to the keyspace
 * around it. Its replies are captured in RESP3 and read back as values
 * (protocol/reply-reader.ts). Like Redis's internal clients it has an id,
 * and it is not listed by CLIENT LIST.
 */
import { countErrorReply, type ClientState, type Transaction } from '../commands/state.js';
import { commandScratch, type CommandContext } from '../commands/table.js';
import type { Arg } from '../protocol/resp-parser.js';
import { readReplies, type ReplyValue } from '../protocol/reply-reader.js';
import { MODE_RESP3, ReplyWriter } from '../protocol/reply-writer.js';
import type { ServerContext } from './state.js';

export class InternalClient implements ClientState {
  flags = 0;
  tx: Transaction | null = null;
  readonly reply = new ReplyWriter();
  name = '';
  dbIndex = 0;
  resp: 2 | 3 = 3;
  readonly addr = '';
  readonly laddr = '';
  readonly createdAt = Date.now();
  lastInteraction = this.createdAt;
  lastCommand = 'NULL';
  libName = '';
  libVer = '';
  authenticated = true;
  closeAfterReply = false;
  readonly fd = -1;
  private readonly chunks: Buffer[] = [];
  private readonly ctx: CommandContext;

  constructor(readonly id: number, private readonly server: ServerContext) {
    this.reply.onErrorReply = (name) => countErrorReply(server.stats, name);
    this.reply.mode = MODE_RESP3;
    this.reply.begin({ sendReply: (data) => this.chunks.push(data) });
    this.ctx = { server, client: this, db: server.dbs[0]!, reply: this.reply, now: 0, scratch: commandScratch() };
  }

  /** Runs one command in database `db` and returns its reply as a value. */
  execute(argv: Arg[], db: number): ReplyValue {
    this.dbIndex = db;
    const dispatcher = this.server.dispatcher;
    dispatcher.startBatch();
    dispatcher.dispatch(this.ctx, argv);
    dispatcher.endBatch();
    this.reply.flush();
    const bytes = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    return readReplies(bytes)[0] ?? null;
  }

  deliver(data: Buffer): void {
    // Pushes to the server's own client (it never subscribes) are dropped.
    void data;
  }

  queryBufferLength(): number {
    return 0;
  }

  outputBufferLength(): number {
    return 0;
  }

  kill(): void {}
  noEvict = false;
  noTouch = false;
  /** Never blocked: its flags never carry CLIENT_SLOW_PATH, so no pause postpones it, and it runs no blocking command. */
  resume(): void {}
}
