/**
 * The `generic` group (being written).
 */
import type { CommandSpec } from './table.js';

export const GENERIC_COMMANDS: CommandSpec[] = [];
