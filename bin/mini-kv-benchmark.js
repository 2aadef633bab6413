#!/usr/bin/env node
// mini-kv-benchmark: see docs/benchmarks.md, or run with --help.
import { main } from '../dist/src/bench/cli.js';

process.exitCode = await main(process.argv.slice(2));
