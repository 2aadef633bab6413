/**
 * LATENCY and INFO latencystats against Redis 7.0.15: the monitor off
 * (DOCTOR's refusal, empty LATEST and HISTORY), a sample made
 * deterministically by DEBUG SLEEP past latency-monitor-threshold (LATEST,
 * HISTORY, GRAPH and DOCTOR texts compared with Redis's with the numbers
 * masked), "fast-command" for a fast command, RESET, the per-command
 * histograms (LATENCY HISTOGRAM's shape, INFO latencystats' lines, the
 * percentile option and its errors), and hdr's bucket arithmetic checked on
 * known durations. No assertion depends on how long anything took beyond
 * DEBUG SLEEP's lower bound.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { percentileText, sparkline } from '../../src/commands/latency.js';
import { startTestServer, type TestServer } from '../helpers.js';
import { bothReplies, startOracle, type Oracle } from './redis-oracle.js';
import { RespClient, type Tree } from './resp-client.js';

function items(t: Tree): Tree[] {
  const o = t as { array?: Tree[]; set?: Tree[]; map?: Tree[] };
  return o.array ?? o.set ?? o.map ?? [];
}

/** A report or graph with its numbers and ages masked, and Redis's huge-pages advice (a property of its allocator) dropped. */
function masked(text: string): string {
  return text.split('\n').filter((l) => !l.startsWith('- I detected a non zero amount of anonymous huge pages')).join('\n').replace(/\d+(\.\d+)?/g, 'N');
}

describe('LATENCY', () => {
  let srv: TestServer;
  let c: RespClient;
  let c3: RespClient;
  let redis: Oracle | null;
  before(async () => {
    srv = await startTestServer({ config: { 'enable-debug-command': 'yes' } });
    c = await RespClient.connect(srv.port);
    c3 = await RespClient.connect(srv.port);
    await c3.call('HELLO', '3');
    redis = await startOracle(['--enable-debug-command', 'yes']);
  });
  after(async () => {
    c.close();
    c3.close();
    redis?.close();
    await srv.close();
  });

  const both = (...cmds: string[][]): Promise<Tree[]> => bothReplies(c, redis, cmds);

  test('LATENCY - monitor off: DOCTOR\'s refusal, empty LATEST and HISTORY, GRAPH\'s error, as Redis', async () => {
    assert.deepEqual(await both(['LATENCY', 'DOCTOR']), ['I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n']);
    assert.deepEqual(await both(['LATENCY', 'LATEST'], ['LATENCY', 'HISTORY', 'command'], ['LATENCY', 'RESET'], ['LATENCY', 'GRAPH', 'command']), [
      { array: [] }, { array: [] }, 0, { error: "ERR No samples available for event 'command'" },
    ]);
    assert.deepEqual(await both(['LATENCY', 'nosuch'], ['LATENCY', 'GRAPH'], ['LATENCY', 'LATEST', 'x'], ['CONFIG', 'SET', 'latency-monitor-threshold', '-1']), [
      { error: "ERR unknown subcommand 'nosuch'. Try LATENCY HELP." },
      { error: "ERR wrong number of arguments for 'latency|graph' command" },
      { error: "ERR wrong number of arguments for 'latency|latest' command" },
      { error: "ERR CONFIG SET failed (possibly related to argument 'latency-monitor-threshold') - argument must be between 0 and 9223372036854775807 inclusive" },
    ]);
    const help = await both(['LATENCY', 'HELP']);
    assert.deepEqual(items(help[0]!)[0], { simple: 'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:' });
  });

  test('LATENCY - DEBUG SLEEP past the threshold is a "command" sample: LATEST, HISTORY, GRAPH, DOCTOR, RESET', async () => {
    await both(['CONFIG', 'SET', 'latency-monitor-threshold', '5'], ['LATENCY', 'RESET'], ['DEBUG', 'SLEEP', '0.02']);
    const check = (latest: Tree): void => {
      const [e] = items(latest);
      const [name, time, lat, max] = items(e!);
      assert.equal(name, 'command');
      assert.ok((time as number) > 1_600_000_000);
      assert.ok((lat as number) >= 20 && max === lat, `latency ${String(lat)} max ${String(max)}`);
    };
    check(await c.call('LATENCY', 'LATEST'));
    if (redis !== null) check(await redis.client.call('LATENCY', 'LATEST'));
    const hist = items(await c.call('LATENCY', 'HISTORY', 'command'));
    assert.equal(hist.length, 1);
    assert.equal(items(hist[0]!).length, 2);
    const graph = (await c.call('LATENCY', 'GRAPH', 'command')) as string;
    assert.match(graph, /^command - high (\d+) ms, low \1 ms \(all time high \1 ms\)\n-{80}\n/);
    const doctor = (await c.call('LATENCY', 'DOCTOR')) as string;
    assert.match(doctor, /^Dave, I have observed latency spikes in this Redis instance\. You don't mind talking about it, do you Dave\?\n\n1\. command: 1 latency spikes \(average \d+ms, mean deviation 0ms, period \d+\.\d\d sec\)\. Worst all time event \d+ms\.\n/);
    assert.ok(doctor.includes("Please use 'CONFIG SET slowlog-log-slower-than 5000'."), doctor);
    if (redis !== null) {
      assert.equal(masked(graph), masked((await redis.client.call('LATENCY', 'GRAPH', 'command')) as string));
      assert.equal(masked(doctor), masked((await redis.client.call('LATENCY', 'DOCTOR')) as string));
    }
    assert.deepEqual(await both(['LATENCY', 'RESET', 'COMMAND', 'nosuch'], ['LATENCY', 'LATEST']), [1, { array: [] }]);
    await both(['CONFIG', 'SET', 'latency-monitor-threshold', '0']);
  });

  test('LATENCY - a fast command\'s sample is a "fast-command" event, and DOCTOR advises on the scheduler', async () => {
    await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '1');
    // A fast command cannot be made to take 5 ms on demand: its share of a run is handed to the observer directly.
    srv.server.observer.observeShare(srv.server.table.lookup('get')!, 5000);
    // On a loaded machine CONFIG SET itself may pass 1 ms and add a "command" event: look for ours by name.
    const e = items(await c.call('LATENCY', 'LATEST')).find((entry) => items(entry)[0] === 'fast-command');
    assert.ok(e !== undefined, 'a fast-command event');
    assert.deepEqual(items(e).filter((_, i) => i !== 1), ['fast-command', 5, 5]);
    assert.ok(((await c.call('LATENCY', 'DOCTOR')) as string).includes('- The system is slow to execute Redis code paths not containing system calls.'));
    assert.equal(srv.server.observer.timeEach, true, 'a 1 ms threshold times quick commands alone');
    await c.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    assert.equal(srv.server.observer.timeEach, false);
    assert.equal(await c.call('LATENCY', 'RESET'), 1);
  });

  test('LATENCY HISTOGRAM - Redis 7.0\'s shape: calls and cumulative counts by power-of-two µs bucket', async () => {
    await both(['CONFIG', 'RESETSTAT'], ['SET', 'h', '1'], ['SET', 'h', '2'], ['SET', 'h', '3'], ['CONFIG', 'GET', 'maxclients']);
    const shapeOf = (reply: Tree): Map<string, number> => {
      const out = new Map<string, number>();
      const kv = items(reply);
      for (let i = 0; i < kv.length; i += 2) {
        const [callsKey, calls, bucketsKey, buckets] = items(kv[i + 1]!);
        assert.deepEqual([callsKey, bucketsKey], ['calls', 'histogram_usec']);
        const b = items(buckets!) as number[];
        for (let j = 2; j < b.length; j += 2) assert.ok(b[j]! > b[j - 2]! && b[j + 1]! > b[j - 1]!, 'buckets and counts rise');
        assert.equal(b.at(-1), calls, 'the last bucket counts every call');
        out.set(kv[i] as string, calls as number);
      }
      return out;
    };
    const ours = shapeOf(await c3.call('LATENCY', 'HISTOGRAM', 'set', 'CONFIG', 'nosuch'));
    // CONFIG brings its subcommands that have run: RESETSTAT (recorded once it ran) and GET.
    assert.deepEqual([...ours], [['set', 3], ['config|get', 1], ['config|resetstat', 1]]);
    if (redis !== null) {
      const r3 = await RespClient.connect(redis.port);
      await r3.call('HELLO', '3');
      assert.deepEqual(new Map([...shapeOf(await r3.call('LATENCY', 'HISTOGRAM', 'set', 'CONFIG', 'nosuch'))].sort()), new Map([...ours].sort()));
      r3.close();
    }
    assert.deepEqual(await both(['LATENCY', 'HISTOGRAM', 'nosuch']), [{ array: [] }]);
  });

  test('INFO latencystats - p50, p99, p99.9 per command in Redis\'s format; the percentiles option; RESETSTAT clears', async () => {
    await both(['CONFIG', 'RESETSTAT'], ['SET', 'x', '1']);
    const info = (await c.call('INFO', 'latencystats')) as string;
    assert.match(info, /^# Latencystats\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
    assert.ok(!info.includes('latency_percentiles_usec_info'), 'INFO is recorded after it runs');
    assert.deepEqual(await both(
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99.999 100.0'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 x'],
      ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '101'],
      ['CONFIG', 'GET', 'latency-tracking-info-percentiles'],
    ), [
      { simple: 'OK' }, { array: ['latency-tracking-info-percentiles', '50 99.999 100'] },
      { error: "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - Invalid latency-tracking-info-percentiles parameters" },
      { error: "ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles') - latency-tracking-info-percentiles parameters should sit between [0.0,100.0]" },
      { array: ['latency-tracking-info-percentiles', '50 99.999 100'] },
    ]);
    assert.match((await c.call('INFO', 'latencystats')) as string, /\r\nlatency_percentiles_usec_set:p50=\d+\.\d{3},p99\.999=\d+\.\d{3},p100=\d+\.\d{3}\r\n/);
    await both(['CONFIG', 'SET', 'latency-tracking-info-percentiles', ''], ['CONFIG', 'SET', 'latency-tracking', 'no']);
    assert.equal((await c.call('INFO', 'latencystats')) as string, '# Latencystats\r\n');
    await both(['CONFIG', 'SET', 'latency-tracking', 'yes'], ['CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'], ['CONFIG', 'RESETSTAT']);
    // RESETSTAT is itself recorded once it has run, as in Redis.
    assert.match((await c.call('INFO', 'latencystats')) as string, /^# Latencystats\r\nlatency_percentiles_usec_config\|resetstat:[^\r]*\r\n$/);
    assert.match((await c.call('INFO', 'everything')) as string, /\r\n# Errorstats\r\n(errorstat_[^\r]*\r\n)*\r\n# Latencystats\r\nlatency_percentiles_usec_info:/, 'after errorstats, as Redis orders it');
  });

  test('latency histograms - hdr\'s buckets as Redis reads them, on known durations', async () => {
    await c.call('CONFIG', 'RESETSTAT');
    const obs = srv.server.observer;
    const get = srv.server.table.lookup('get')!;
    // 500 ns sits in [256, 512) at 2 ns resolution; 1500 ns in [1024, 2048) at 8 ns; 9000 ns in [8192, 16384) at 64 ns.
    for (const usec of [0.5, 1.5, 1.5, 9]) obs.observeShare(get, usec);
    const line = /latency_percentiles_usec_get:(.*)\r\n/.exec((await c.call('INFO', 'latencystats')) as string)![1];
    assert.equal(line, 'p50=1.503,p99=9.023,p99.9=9.023');
    const h = items(await c3.call('LATENCY', 'HISTOGRAM', 'get'));
    assert.deepEqual(items(items(h[1]!)[3]!), [1, 1, 2, 3, 16, 4]);
    assert.deepEqual(['50', '99.9', '100', '0', '99.999'], [50, 99.9, 100, 0, 99.999].map(percentileText));
  });

  test('sparkline - sparkline.c\'s fill rows and labels written downwards', () => {
    assert.equal(sparkline([{ value: 1, label: '2s' }, { value: 9, label: '1s' }], 80, 4), ' #\n |\n |\n_|\n  \n21\nss\n');
    assert.equal(sparkline([{ value: 3, label: '0s' }], 80, 4), ' \n \n \n_\n \n0\ns\n');
  });
});
