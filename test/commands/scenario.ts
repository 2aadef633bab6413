/**
 * Scenarios: the same script of commands, from one or more clients, played
 * against mini-kv and against a real Redis 7.0, and the two transcripts
 * (every reply and push, tagged with the client that got it) compared. Where
 * redis-server is not installed, the transcript recorded from Redis in
 * test/fixtures/scenarios/<suite>.json stands in for it, so the comparison
 * keeps its teeth; MINIKV_RECORD_FIXTURES=1 with redis-server installed
 * writes that file anew.
 *
 * A scenario starts from empty databases on both servers (FLUSHALL) and
 * opens its own clients, which it closes at the end.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, type TestContext } from 'node:test';
import type { ServerOptions } from '../../src/server/server.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { redisServerBin, startRedisServer } from '../cli/oracle.js';
import { RespClient, type Tree } from './resp-client.js';

export type Step =
  /** Send a command and record its reply. */
  | { c?: number; call: string[] }
  /** Send a command and wait for its reply, recording nothing (HELLO 3: its reply names the connection id). */
  | { c?: number; quiet: string[] }
  /** Send a command, record nothing (its reply is taken by a later `next`). */
  | { c?: number; send: string[] }
  /** Record the next `next` items this client receives. */
  | { c?: number; next: number }
  /**
   * Send PING <sync> and record everything this client receives up to and
   * including its pong (`[pong, sync]` in RESP2 subscribed mode, the bulk
   * otherwise): the pushes that arrived before it, however many.
   */
  | { c?: number; sync: string }
  /** Wait (for a key's time to pass: never a timing assertion). */
  | { sleep: number };

export interface Scenario {
  /** Clients the steps refer to as c: 0 … clients-1 (default 1). */
  clients?: number;
  steps: Step[];
}

/** What a scenario produced: [client, item] for every recorded item, in order. */
export type Transcript = [number, Tree][];

/** Plays a scenario against the server on `port`. */
export async function play(port: number, scenario: Scenario): Promise<Transcript> {
  const clients: RespClient[] = [];
  for (let i = 0; i < (scenario.clients ?? 1); i++) clients.push(await RespClient.connect(port));
  const out: Transcript = [];
  try {
    await clients[0]!.call('FLUSHALL');
    for (const step of scenario.steps) {
      if ('sleep' in step) {
        await new Promise((r) => setTimeout(r, step.sleep));
        continue;
      }
      const i = step.c ?? 0;
      const c = clients[i]!;
      if ('call' in step) out.push([i, await c.call(...step.call)]);
      else if ('quiet' in step) await c.call(...step.quiet);
      else if ('sync' in step) {
        c.send('PING', step.sync);
        for (;;) {
          const item = await c.next();
          out.push([i, item]);
          if (item === step.sync || JSON.stringify(item) === JSON.stringify({ array: ['pong', step.sync] })) break;
        }
      }
      else if ('send' in step) c.send(...step.send);
      else for (let n = 0; n < step.next; n++) out.push([i, await c.next()]);
    }
  } finally {
    for (const c of clients) c.close();
  }
  return out;
}

/**
 * One suite's oracle: a live redis-server when installed, else the
 * recorded transcripts. `check` plays a scenario on mini-kv and compares.
 */
export class ScenarioOracle {
  private redis: { port: number; close(): Promise<void> } | null = null;
  private readonly path: string;
  private readonly recorded: Record<string, Transcript>;
  private readonly recording = process.env.MINIKV_RECORD_FIXTURES === '1';

  constructor(suite: string) {
    this.path = fileURLToPath(new URL(`../../../test/fixtures/scenarios/${suite}.json`, import.meta.url));
    this.recorded = existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, Transcript>) : {};
  }

  /** Starts redis-server when there is one; `extra` as its command line. */
  async start(extra: string[] = []): Promise<void> {
    if (redisServerBin() !== null) this.redis = await startRedisServer(extra);
  }

  async stop(): Promise<void> {
    await this.redis?.close();
    if (this.recording && this.redis !== null) {
      mkdirSync(dirname(this.path), { recursive: true });
      // One line per scenario: diffs stay readable.
      const lines = Object.entries(this.recorded).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      writeFileSync(this.path, `{\n${lines.join(',\n')}\n}\n`);
    }
  }

  /** Plays `scenario` on mini-kv (`port`) and asserts its transcript equals Redis's. */
  async check(t: TestContext, name: string, port: number, scenario: Scenario): Promise<Transcript> {
    const mine = await play(port, scenario);
    let expected: Transcript | undefined;
    if (this.redis !== null) {
      expected = await play(this.redis.port, scenario);
      this.recorded[name] = expected;
    } else {
      expected = this.recorded[name];
      if (expected === undefined) {
        t.skip(`redis-server is not installed and ${name} has no recorded transcript`);
        return mine;
      }
    }
    assert.deepEqual(mine, expected, `${name}: mini-kv's transcript differs from Redis's`);
    return mine;
  }
}

/** A describe block's servers: mini-kv (`srv`, set once the block starts) and the suite's oracle. */
export interface ScenarioSuite {
  readonly oracle: ScenarioOracle;
  readonly srv: TestServer;
}

/**
 * Starts a mini-kv and the oracle of `suite` before the tests of the
 * describe block it is called in, and stops both after them.
 */
export function scenarioSuite(suite: string, options: ServerOptions = {}): ScenarioSuite {
  const oracle = new ScenarioOracle(suite);
  let srv: TestServer | null = null;
  before(async () => {
    srv = await startTestServer(options);
    await oracle.start();
  });
  after(async () => {
    await oracle.stop();
    await srv?.close();
  });
  return {
    oracle,
    get srv(): TestServer {
      if (srv === null) throw new Error('scenarioSuite: the servers start before the first test');
      return srv;
    },
  };
}
