/**
 * A live redis-server 7.0 as the oracle for tests that compare replies one
 * command at a time (slowlog, latency, debug): started on a free port with
 * the given options, or null when redis-server is not installed (the tests
 * then skip the live comparison and keep their recorded expectations).
 * Multi-client scripts use ScenarioOracle (scenario.ts) instead.
 */
import assert from 'node:assert/strict';
import { redisServerBin, startRedisServer } from '../cli/oracle.js';
import { RespClient, type Tree } from './resp-client.js';

export interface Oracle {
  port: number;
  client: RespClient;
  close(): void;
}

export async function startOracle(args: string[] = []): Promise<Oracle | null> {
  if (redisServerBin() === null) return null;
  // Redis's own default for DEBUG, unless `args` ask otherwise (startRedisServer enables it).
  const server = await startRedisServer(['--enable-debug-command', 'no', ...args]);
  const client = await RespClient.connect(server.port);
  return { port: server.port, client, close: () => { client.close(); void server.close(); } };
}

/**
 * Runs the same commands on mini-kv (`c`) and, when it runs, on the oracle;
 * returns mini-kv's replies after checking they are Redis's.
 */
export async function bothReplies(c: RespClient, redis: Oracle | null, cmds: string[][]): Promise<Tree[]> {
  const ours: Tree[] = [];
  for (const cmd of cmds) ours.push(await c.call(...cmd));
  if (redis !== null) {
    const theirs: Tree[] = [];
    for (const cmd of cmds) theirs.push(await redis.client.call(...cmd));
    assert.deepEqual(ours, theirs, cmds.map((x) => x.join(' ')).join('; '));
  }
  return ours;
}
