/**
 * Runs bin/mini-kv-benchmark.js as a real child process and collects what it
 * printed and how it exited, for the CLI tests. Bounded: the child is killed
 * after `timeoutMs`.
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/mini-kv-benchmark.js');

export interface CliRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

export function runCli(args: string[], timeoutMs = 20000, bin: string = process.execPath, prefix: string[] = [BIN]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(bin, [...prefix, ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as unknown as { code: number }).code) : null;
      resolve({ stdout, stderr, code });
    });
  });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
