/**
 * Short real runs against a live server (the in-test fake server): every
 * scheduled request is sent, every reply is counted and matched, errors are
 * counted, and the CLI writes its files. No timing assertions: the counts are
 * exact whatever the machine's speed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRow, BenchConnectError, type RowSpec, type RunOptions, type Target } from '../../src/bench/run.js';
import { SEED_MIX } from '../../src/bench/workload.js';
import { startFakeServer, type FakeServer } from './fake-server.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/mini-kv-benchmark.js');

let fake: FakeServer;
let failing: FakeServer;
let guarded: FakeServer;
let dir: string;

before(async () => {
  fake = await startFakeServer();
  failing = await startFakeServer({ failDel: true });
  guarded = await startFakeServer({ password: 'sesame' });
  dir = mkdtempSync(path.join(tmpdir(), 'mini-kv-bench-'));
});

after(async () => {
  await Promise.all([fake.close(), failing.close(), guarded.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const opts = (threads: number): RunOptions => ({ threads, timeoutMs: 5000, connectTimeoutMs: 5000, keyspace: 1000, valueSize: 8, mix: SEED_MIX, seed: 42 });
const target = (port: number, protocol: 'resp' | 'text' = 'resp', password: string | null = null): Target => ({ label: 'fake', host: '127.0.0.1', port, password, protocol });
const row = (connections: number, rate: number, extra: Partial<RowSpec> = {}): RowSpec => ({ series: 'run', connections, rate, durationS: 0.5, pipeline: 1, closed: false, ...extra });

function commandsSeen(s: FakeServer): number {
  return (s.counts.get('GET') ?? 0) + (s.counts.get('SET') ?? 0) + (s.counts.get('DEL') ?? 0);
}

test('live - open loop on this thread sends every scheduled request and counts every reply (RESP)', async () => {
  const before = commandsSeen(fake);
  const r = await runRow(target(fake.port), row(4, 100), opts(0));
  assert.equal(r.sent, 200); // 4 connections x 100 req/s x 0.5 s
  assert.equal(r.replies, 200);
  assert.equal(commandsSeen(fake) - before, 200);
  assert.equal(r.errors, 0);
  assert.equal(r.timeouts, 0);
  assert.equal(r.lost, 0);
  assert.equal(r.offered, 400);
  assert.ok(r.throughput > 0 && r.avgMs > 0);
  assert.ok(r.p50 <= r.p90 && r.p90 <= r.p99 && r.p99 <= r.p999 && r.p999 <= r.maxMs);
  // All three commands of the mix were sent.
  for (const cmd of ['GET', 'SET', 'DEL']) assert.ok((fake.counts.get(cmd) ?? 0) > 0, cmd);
});

test('live - worker threads split the connections and their results add up', async () => {
  const r = await runRow(target(fake.port), row(7, 40), opts(2));
  assert.equal(r.threads, 2);
  assert.equal(r.sent, 140);
  assert.equal(r.replies, 140);
  assert.equal(r.errors + r.timeouts + r.lost, 0);
});

test('live - the text protocol sends inline commands and counts one-line replies', async () => {
  const before = fake.counts.get('SET') ?? 0;
  const r = await runRow(target(fake.port, 'text'), row(3, 60, { pipeline: 3 }), opts(0));
  assert.equal(r.sent, 90);
  assert.equal(r.replies, 90);
  assert.equal(r.errors, 0);
  assert.ok((fake.counts.get('SET') ?? 0) > before);
  assert.deepEqual(r.errorSamples, []);
});

test('live - error replies are counted and sampled, in both protocols', async () => {
  for (const protocol of ['resp', 'text'] as const) {
    const r = await runRow(target(failing.port, protocol), row(2, 100, { durationS: 0.3 }), { ...opts(0), mix: { get: 0, set: 0, del: 1 } });
    assert.equal(r.replies, 60, protocol);
    assert.equal(r.errors, 60, protocol);
    assert.ok(r.errorSamples.some((s) => s.includes('ERR DEL is disabled')), protocol);
  }
});

test('live - closed loop keeps -P requests in flight until the duration ends', async () => {
  const r = await runRow(target(fake.port), row(2, 1, { closed: true, pipeline: 4, durationS: 0.3 }), opts(0));
  assert.equal(r.mode, 'closed');
  assert.equal(r.offered, null);
  assert.ok(r.sent >= 8);
  assert.equal(r.replies, r.sent);
  assert.equal(r.timeouts, 0);
});

test('live - AUTH is sent first when a password is given; a wrong one is refused', async () => {
  const ok = await runRow(target(guarded.port, 'resp', 'sesame'), row(2, 50, { durationS: 0.2 }), opts(0));
  assert.equal(ok.replies, 20);
  assert.equal(ok.errors, 0);
  await assert.rejects(runRow(target(guarded.port, 'resp', 'wrong'), row(2, 50, { durationS: 0.2 }), opts(0)), (err: Error) => {
    assert.ok(err instanceof BenchConnectError);
    assert.match(err.message, /WRONGPASS/);
    return true;
  });
});

test('live - a server that is not there is a clear connect error', async () => {
  const closed = await startFakeServer();
  const port = closed.port;
  await closed.close();
  await assert.rejects(runRow(target(port), row(1, 10), opts(1)), /cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
});

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 20000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

test('live - the CLI compares two servers and writes JSON, CSV and SVG', async () => {
  const json = path.join(dir, 'r.json');
  const csv = path.join(dir, 'r.csv');
  const svg = path.join(dir, 'r.svg');
  const res = await runCli(['-p', String(fake.port), '-c', '3', '--rate', '20', '--duration', '0.5', '--label', 'one', '--compare', `127.0.0.1:${failing.port}`, '--compare-label', 'two', '--json', json, '--csv', csv, '--svg', svg, '--seed', '7']);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /\*\*one\*\* \(127\.0\.0\.1:\d+, resp, open loop/);
  assert.match(res.stdout, /\*\*one vs two\*\*/);
  const doc = JSON.parse(readFileSync(json, 'utf8')) as { rows: Array<Record<string, unknown>> };
  assert.equal(doc.rows.length, 2);
  assert.deepEqual(doc.rows.map((r) => r.server), ['one', 'two']);
  for (const r of doc.rows) {
    assert.equal(r.connections, 3);
    assert.equal(r.rate, 20);
    assert.equal(r.replies, 30);
    for (const k of ['throughput', 'avgMs', 'p50', 'p99', 'p999', 'maxMs']) assert.equal(typeof r[k], 'number', k);
  }
  assert.equal(doc.rows[0].errors, 0);
  assert.ok((doc.rows[1].errors as number) > 0, 'the second server fails every DEL');
  const lines = readFileSync(csv, 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0], /^series,server,host,port,protocol,mode,connections,rate,/);
  assert.match(readFileSync(svg, 'utf8'), /^<\?xml[^]*<svg [^]*<\/svg>\n$/);
});

test('live - the CLI rejects bad flags and non-loopback hosts with status 2', async () => {
  const bad = await runCli(['--rate', 'fast']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--rate must be a positive number, got 'fast'/);
  const remote = await runCli(['-h', '192.0.2.1', '-p', String(fake.port)]);
  assert.equal(remote.code, 2);
  assert.match(remote.stderr, /only loopback targets/);
});

test('live - connecting progress starts at 0/N and ends at N/N, on this thread and across workers', async () => {
  for (const threads of [0, 2]) {
    const calls: Array<[number, number, number]> = [];
    const r = await runRow(target(fake.port), row(5, 20, { durationS: 0.2 }), opts(threads), undefined, (connected, failed, total) => calls.push([connected, failed, total]));
    assert.equal(r.replies, 20, String(threads));
    assert.deepEqual(calls[0], [0, 0, 5], String(threads));
    assert.deepEqual(calls[calls.length - 1], [5, 0, 5], String(threads));
    for (let i = 1; i < calls.length; i++) assert.ok(calls[i][0] >= calls[i - 1][0], 'the count only grows');
  }
});
