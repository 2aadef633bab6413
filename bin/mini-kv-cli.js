#!/usr/bin/env node
// mini-kv-cli: a small redis-cli lookalike. Run with --help.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
