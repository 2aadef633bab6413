/**
 * What the server's own parts (connections, the dispatcher, client limits)
 * see of the server: everything commands see (commands/state.ts), plus the
 * pieces that belong to the networking side.
 */
import type { ServerState } from '../commands/state.js';
import type { ActiveExpire } from '../keyspace/expiry.js';
import type { Config } from './config.js';
import type { Dispatcher } from './dispatch.js';
import type { ClientLimits } from './limits.js';

export type { ClientState, CommandStat, ServerState, Stats } from '../commands/state.js';

export interface ServerContext extends ServerState {
  readonly config: Config;
  /** Runs and accounts for every command (dispatch.ts). */
  readonly dispatcher: Dispatcher;
  readonly activeExpire: ActiveExpire;
  /** Client limits as plain numbers, and the ticker that enforces timeouts. */
  readonly limits: ClientLimits;
}
