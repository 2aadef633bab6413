/**
 * Process limits a large run depends on, read before any socket is opened.
 *
 * Every connection is a file descriptor in this process (worker threads share
 * the process's table), so 10,000 connections need an open-file limit above
 * 10,000. Node cannot raise its own limit; the shell must (`ulimit -n`). Read
 * from /proc/self/limits on Linux; elsewhere the check is skipped.
 */
import { readFileSync } from 'node:fs';

/** Descriptors the process needs besides its connections: stdio, worker threads' pipes, the event loop's own, files being written. */
export const FD_HEADROOM = 64;

/** The soft "Max open files" limit, or null when it cannot be read (not Linux) or is unlimited. */
export function openFileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const line = text.split('\n').find((l) => l.startsWith('Max open files'));
  if (line === undefined) return null;
  const soft = line.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === 'unlimited') return null;
  const n = Number(soft);
  return Number.isFinite(n) ? n : null;
}

/** Descriptors a run of `connections` connections needs. */
export function fdsNeeded(connections: number): number {
  return connections + FD_HEADROOM;
}

/** A clear message when `limit` is too low for `connections`, otherwise null. */
export function fdShortfall(connections: number, limit: number | null): string | null {
  if (limit === null || fdsNeeded(connections) <= limit) return null;
  return `open-file limit is ${limit}, but ${connections} connections need about ${fdsNeeded(connections)} descriptors in this process; raise it with \`ulimit -n ${Math.max(fdsNeeded(connections), 20000)}\` in the shell that starts the benchmark (the server needs as many)`;
}
