/**
 * Every command group's specs, in one list: the input of the command table.
 * A new group is one import and one spread here.
 */
import { CLIENT_CONTROL_COMMANDS } from './client-control.js';
import { CONNECTION_COMMANDS } from './connection.js';
import { DEBUG_COMMANDS } from './debug.js';
import { GENERIC_COMMANDS } from './generic.js';
import { LATENCY_COMMANDS } from './latency.js';
import { PUBSUB_COMMANDS } from './pubsub.js';
import { SERVER_COMMANDS } from './server.js';
import { SLOWLOG_COMMANDS } from './slowlog.js';
import { STRING_COMMANDS } from './string.js';
import { TRANSACTION_COMMANDS } from './transactions.js';
import type { CommandSpec } from './table.js';

export const ALL_COMMANDS: readonly CommandSpec[] = [...STRING_COMMANDS, ...GENERIC_COMMANDS, ...CONNECTION_COMMANDS, ...CLIENT_CONTROL_COMMANDS, ...SERVER_COMMANDS, ...TRANSACTION_COMMANDS, ...PUBSUB_COMMANDS, ...SLOWLOG_COMMANDS, ...LATENCY_COMMANDS, ...DEBUG_COMMANDS];
