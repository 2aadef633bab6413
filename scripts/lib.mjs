// Shared by the manual long runs (fuzz-long.mjs, soak.mjs): numeric options,
// RESP encoding, RSS, and mini-kv-server as a child process on port 0.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const BIN = fileURLToPath(new URL('../bin/mini-kv-server.js', import.meta.url));

/**
 * Reads `--name N` options from the command line, strictly (an unknown
 * option is an error): each key of `defaults` is one option, and its value
 * is used when the option is absent.
 */
export function numberOptions(defaults) {
  const options = Object.fromEntries(Object.keys(defaults).map((name) => [name, { type: 'string' }]));
  const { values } = parseArgs({ options, strict: true });
  return Object.fromEntries(Object.entries(defaults).map(([name, def]) => [name, values[name] === undefined ? def : Number(values[name])]));
}

/** One command as a RESP array of bulk strings (Buffers as they are, anything else as latin1 text). */
export function resp(...parts) {
  const out = [Buffer.from(`*${parts.length}\r\n`)];
  for (const p of parts) {
    const b = Buffer.isBuffer(p) ? p : Buffer.from(String(p), 'latin1');
    out.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(out);
}

/** Resident set size of `pid` in kB, from /proc; NaN once the process is gone. */
export function rssKb(pid) {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  } catch {
    return NaN;
  }
}

export function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/**
 * Starts mini-kv-server on port 0 with `extraArgs` and resolves once it
 * prints the port it listens on. The returned object keeps the server's
 * stderr (`stderr`) and, once it exits, why (`crashed`).
 */
export async function startServer(extraArgs) {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, port: 0, stderr: '', crashed: null };
  let stdout = '';
  child.stderr.on('data', (d) => (server.stderr += d));
  server.port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /:(\d+) \(pid/.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stdout} ${server.stderr}`)));
  });
  child.on('exit', (code, signal) => (server.crashed = `server exited (code ${code}, signal ${signal})`));
  return server;
}
