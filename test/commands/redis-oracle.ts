/**
 * A live redis-server 7.0 as the oracle for the observability tests
 * (slowlog, latency, debug): started on a free port with the given options,
 * or null when redis-server is not installed (the tests then skip the live
 * comparison and keep their recorded expectations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { redisServer } from '../server/config-helpers.js';
import { freePort } from '../server/sockets.js';
import { RespClient } from './resp-client.js';

export interface Oracle {
  port: number;
  client: RespClient;
  close(): void;
}

export async function startOracle(args: string[] = []): Promise<Oracle | null> {
  const bin = redisServer();
  if (bin === null) return null;
  const port = await freePort();
  const child: ChildProcess = spawn(bin, ['--port', String(port), '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const client = await RespClient.connect(port);
      return { port, client, close: () => { client.close(); child.kill('SIGKILL'); } };
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}
