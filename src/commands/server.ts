/**
 * The `server` group (being written).
 */
import type { CommandSpec } from './table.js';

export const SERVER_COMMANDS: CommandSpec[] = [];
