/**
 * The `server` group, part three: the text of INFO, section by section, with
 * Redis 7.0.15's section names, order and field names (server.c
 * genRedisInfoString). Fields that describe Redis internals mini-kv does not
 * have (forks, replication offsets, allocator details) are left out rather
 * than invented; fields every client or tool looks for (loading, role,
 * redis_version, db0) are present with their true values.
 *
 * latencystats (under `all` or by name) shows the per-command latency
 * percentiles of `latency-tracking` (latency.ts).
 */
import os from 'node:os';
import path from 'node:path';
import { MINIKV_VERSION } from '../version.js';
import { latencystatsLines } from './latency.js';
import type { ServerState } from './state.js';

/** Section names in the order Redis prints them. */
const SECTION_ORDER = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'] as const;
type Section = (typeof SECTION_ORDER)[number];

/** What INFO with no argument, or `default`, prints (Redis's default sections). */
const DEFAULT_SECTIONS: readonly Section[] = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];

/** Redis's LRU clock resolution: 24 bits of seconds (LRU_CLOCK_MAX). */
const LRU_CLOCK_MAX = (1 << 24) - 1;

/**
 * The sections an INFO request asks for (Redis's genInfoSectionDict): none
 * means default; `default`, `all` and `everything` expand; other names are
 * taken in any case, and unknown ones simply print nothing.
 */
export function infoSections(args: readonly string[]): Set<Section> {
  const wanted = new Set<Section>();
  if (args.length === 0) {
    for (const s of DEFAULT_SECTIONS) wanted.add(s);
    return wanted;
  }
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === 'default') for (const s of DEFAULT_SECTIONS) wanted.add(s);
    else if (a === 'all' || a === 'everything') for (const s of SECTION_ORDER) wanted.add(s);
    else if ((SECTION_ORDER as readonly string[]).includes(a)) wanted.add(a as Section);
  }
  return wanted;
}

/** Redis's bytesToHuman: B, then K, M, G, T, P with two decimals. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  let i = 0;
  while (d >= 1024 && i < units.length - 1) {
    d /= 1024;
    i++;
  }
  return `${d.toFixed(2)}${units[i]}`;
}

/** Per server: the ops/sec sample INFO computes lazily (Redis samples in serverCron). */
interface OpsSample {
  time: number;
  commands: number;
  opsPerSec: number;
}
const opsSamples = new WeakMap<ServerState, OpsSample>();
/** A new ops/sec figure is computed when the last sample is at least this old. */
const OPS_SAMPLE_MIN_MS = 1000; // ms

/**
 * instantaneous_ops_per_sec: commands per second between the last two INFO
 * calls at least OPS_SAMPLE_MIN_MS apart. mini-kv has no cron to sample in,
 * so the figure is lazy, but it measures the same thing.
 */
function opsPerSec(server: ServerState, now: number): number {
  const n = server.stats.totalCommandsProcessed;
  const s = opsSamples.get(server);
  if (s === undefined) {
    opsSamples.set(server, { time: now, commands: n, opsPerSec: 0 });
    return 0;
  }
  if (now - s.time >= OPS_SAMPLE_MIN_MS) {
    s.opsPerSec = Math.round(((n - s.commands) * 1000) / (now - s.time));
    s.time = now;
    s.commands = n;
  }
  return s.opsPerSec;
}

let peakMemory = 0;

function serverSection(server: ServerState, now: number): string[] {
  const uptime = Math.max(0, Math.floor((now - server.startTime) / 1000));
  const hz = server.config.get('hz');
  return [
    `redis_version:${server.version}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.machine()}`,
    `arch_bits:${process.arch.endsWith('64') ? 64 : 32}`,
    `process_id:${process.pid}`,
    'process_supervised:no',
    `run_id:${server.runId}`,
    `tcp_port:${server.port}`,
    `server_time_usec:${server.clock.nowUs()}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${hz}`,
    `configured_hz:${hz}`,
    `lru_clock:${Math.floor(now / 1000) & LRU_CLOCK_MAX}`,
    `executable:${path.resolve(process.argv[1] ?? process.execPath)}`,
    `config_file:${server.configFile}`,
    'io_threads_active:0',
    `minikv_version:${MINIKV_VERSION}`,
    `node_version:${process.version}`,
  ];
}

function clientsSection(server: ServerState): string[] {
  let maxIn = 0;
  let maxOut = 0;
  for (const c of server.clients.values()) {
    maxIn = Math.max(maxIn, c.queryBufferLength());
    maxOut = Math.max(maxOut, c.outputBufferLength());
  }
  return [
    `connected_clients:${server.clients.size}`,
    'cluster_connections:0',
    `maxclients:${server.config.get('maxclients')}`,
    `client_recent_max_input_buffer:${maxIn}`,
    `client_recent_max_output_buffer:${maxOut}`,
    `blocked_clients:${server.blocking.blockedClients}`,
    `tracking_clients:${server.tracking.trackingClients}`,
    `clients_in_timeout_table:${server.blocking.clientsWithTimeout}`,
  ];
}

function memorySection(server: ServerState): string[] {
  const m = process.memoryUsage();
  // V8's heap plus memory outside it (Buffers), the closest to Redis's zmalloc count.
  const used = m.heapUsed + m.external;
  peakMemory = Math.max(peakMemory, used);
  const maxmemory = Number(server.config.get('maxmemory'));
  const total = os.totalmem();
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${peakMemory}`,
    `used_memory_peak_human:${bytesToHuman(peakMemory)}`,
    `used_memory_peak_perc:${((used * 100) / peakMemory).toFixed(2)}%`,
    `total_system_memory:${total}`,
    `total_system_memory_human:${bytesToHuman(total)}`,
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${server.config.get('maxmemory-policy')}`,
    `mem_fragmentation_ratio:${(m.rss / used).toFixed(2)}`,
    'mem_allocator:v8',
  ];
}

function persistenceSection(server: ServerState): string[] {
  return [
    'loading:0',
    'async_loading:0',
    `rdb_changes_since_last_save:${server.signals.dirty}`,
    'rdb_bgsave_in_progress:0',
    `rdb_last_save_time:${Math.floor(server.startTime / 1000)}`,
    'rdb_last_bgsave_status:ok',
    'aof_enabled:0',
    'aof_rewrite_in_progress:0',
    'aof_last_bgrewrite_status:ok',
    'aof_last_write_status:ok',
  ];
}

function statsSection(server: ServerState, now: number): string[] {
  const s = server.stats;
  const loop = server.eventLoopStats();
  return [
    `total_connections_received:${s.totalConnectionsReceived}`,
    `total_commands_processed:${s.totalCommandsProcessed}`,
    `instantaneous_ops_per_sec:${opsPerSec(server, now)}`,
    `total_net_input_bytes:${s.totalNetInputBytes}`,
    `total_net_output_bytes:${s.totalNetOutputBytes}`,
    `rejected_connections:${s.rejectedConnections}`,
    `expired_keys:${s.expiredKeys}`,
    'evicted_keys:0',
    'evicted_clients:0',
    `keyspace_hits:${s.keyspaceHits}`,
    `keyspace_misses:${s.keyspaceMisses}`,
    `pubsub_channels:${server.pubsub.channels.size}`,
    `pubsub_patterns:${server.pubsub.patterns.size}`,
    `pubsubshard_channels:${server.pubsub.shardChannels.size}`,
    'total_forks:0',
    `tracking_total_keys:${server.tracking.totalKeys}`,
    `tracking_total_items:${server.tracking.totalItems}`,
    `tracking_total_prefixes:${server.tracking.totalPrefixes}`,
    'unexpected_error_replies:0',
    `total_error_replies:${s.totalErrorReplies}`,
    // mini-kv's own: event-loop stalls (event-loop-monitor.ts).
    `eventloop_max_stall_ms:${loop.maxStallMs.toFixed(3)}`,
    `eventloop_delay_p99_ms:${loop.p99Ms.toFixed(3)}`,
  ];
}

function replicationSection(server: ServerState): string[] {
  return [
    'role:master',
    'connected_slaves:0',
    'master_failover_state:no-failover',
    `master_replid:${server.replicationId}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
  ];
}

function cpuSection(): string[] {
  const u = process.cpuUsage();
  const sys = (u.system / 1e6).toFixed(6);
  const user = (u.user / 1e6).toFixed(6);
  return [
    `used_cpu_sys:${sys}`,
    `used_cpu_user:${user}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${sys}`,
    `used_cpu_user_main_thread:${user}`,
  ];
}

function commandstatsSection(server: ServerState): string[] {
  const out: string[] = [];
  for (const [name, st] of server.stats.commands) {
    if (st.calls === 0 && st.failedCalls === 0 && st.rejectedCalls === 0) continue;
    // usec is kept fractional (a run of quick commands shares its time); Redis prints whole microseconds.
    const usec = Math.round(st.usec);
    const perCall = st.calls === 0 ? 0 : st.usec / st.calls;
    out.push(`cmdstat_${name}:calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`);
  }
  return out;
}

/** `errorstat_ERR:count=3`, one line per error name, in first-seen order. */
function errorstatsSection(server: ServerState): string[] {
  const out: string[] = [];
  for (const [name, count] of server.stats.errorCodes) out.push(`errorstat_${name}:count=${count}`);
  return out;
}

function keyspaceSection(server: ServerState): string[] {
  const out: string[] = [];
  for (let i = 0; i < server.dbs.length; i++) {
    const db = server.dbs[i]!;
    const keys = db.size();
    if (keys === 0) continue;
    out.push(`db${i}:keys=${keys},expires=${db.expiresCount()},avg_ttl=0`);
  }
  return out;
}

const TITLES: Record<Section, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats', errorstats: 'Errorstats', latencystats: 'Latencystats', cluster: 'Cluster',
  keyspace: 'Keyspace',
};

/**
 * The INFO text for `sections`: each as `# Title` and `field:value` lines
 * ending in CRLF, sections separated by an empty line, as Redis.
 */
export function infoText(server: ServerState, now: number, sections: Set<Section>): string {
  let out = '';
  for (const s of SECTION_ORDER) {
    if (!sections.has(s)) continue;
    let lines: string[];
    switch (s) {
      case 'server': lines = serverSection(server, now); break;
      case 'clients': lines = clientsSection(server); break;
      case 'memory': lines = memorySection(server); break;
      case 'persistence': lines = persistenceSection(server); break;
      case 'stats': lines = statsSection(server, now); break;
      case 'replication': lines = replicationSection(server); break;
      case 'cpu': lines = cpuSection(); break;
      case 'modules': lines = []; break;
      case 'commandstats': lines = commandstatsSection(server); break;
      case 'errorstats': lines = errorstatsSection(server); break;
      case 'latencystats': lines = server.observer.tracking ? latencystatsLines(server) : []; break;
      case 'cluster': lines = ['cluster_enabled:0']; break;
      case 'keyspace': lines = keyspaceSection(server); break;
    }
    if (out !== '') out += '\r\n';
    out += `# ${TITLES[s]}\r\n`;
    for (const l of lines) out += l + '\r\n';
  }
  return out;
}
