/**
 * Active expiry: reclaims keys whose time has passed even when nobody reads
 * them again, modelled on Redis's activeExpireCycle (expire.c).
 *
 * Each run walks the keys with a TTL from where the last run stopped (see
 * ArenaDatabase.expireStep), a few at a time; it goes on while more than
 * ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE percent of a batch had expired, and
 * stops at a small time budget so the event loop never waits long. When a run
 * stops at its budget with expired keys still around, the next run comes on
 * the next turn of the event loop instead of the next tick, so a mass expiry
 * is cleared quickly while clients are still answered between runs.
 */
import type { Clock } from './clock.js';
import type { Database, ExpireStepResult } from './keyspace.js';

/** Keys examined per batch (expire.c ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
export const ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP = 20;
/** Keep going while more than this percent of a batch had expired (expire.c). */
export const ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE = 10; // percent
/** Longest a run may hold the event loop: short enough to stay unnoticed by clients. */
export const ACTIVE_EXPIRE_CYCLE_BUDGET_MS = 2; // ms
/** Batches between clock checks (Redis checks every 16 iterations). */
const BATCHES_PER_TIME_CHECK = 16;

export interface ExpireCycleStats {
  /** Keys reclaimed by active expiry since start (INFO stats expired_keys counts lazy ones too). */
  expired: number;
  /** Runs that stopped at their time budget (INFO stats expired_time_cap_reached_count). */
  timeCapReached: number;
}

export class ActiveExpire {
  readonly stats: ExpireCycleStats = { expired: 0, timeCapReached: 0 };
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private readonly step: ExpireStepResult = { checked: 0, expired: 0 };
  /** Database to start the next run with, so every database gets its turn. */
  private nextDb = 0;

  constructor(
    private readonly dbs: () => readonly Database[],
    private readonly clock: Clock,
    private readonly onExpired: (count: number) => void = () => {},
  ) {}

  /** Runs the cycle `hz` times a second (the server's `hz`). */
  start(hz: number): void {
    this.stop();
    this.timer = setInterval(() => this.run(), Math.max(1, Math.round(1000 / hz)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /**
   * One time-bounded run over the databases. Returns true when it finished
   * (nothing left that is worth another run right away).
   */
  run(budgetMs = ACTIVE_EXPIRE_CYCLE_BUDGET_MS): boolean {
    this.immediate = null;
    const dbs = this.dbs();
    const now = this.clock.now();
    const started = performance.now();
    let batches = 0;
    let capped = false;
    for (let d = 0; d < dbs.length && !capped; d++) {
      const db = dbs[(this.nextDb + d) % dbs.length]!;
      if (db.expiresCount() === 0 || db.retainExpired) continue;
      for (;;) {
        db.expireStep(now, ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP, this.step);
        if (this.step.expired > 0) {
          this.stats.expired += this.step.expired;
          this.onExpired(this.step.expired);
        }
        if (this.step.checked === 0) break;
        if (++batches % BATCHES_PER_TIME_CHECK === 0 && performance.now() - started > budgetMs) {
          capped = true;
          this.nextDb = (this.nextDb + d) % dbs.length;
          break;
        }
        if (this.step.expired * 100 <= this.step.checked * ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE) break;
      }
    }
    if (capped) {
      this.stats.timeCapReached++;
      if (this.timer !== null && this.immediate === null) this.immediate = setImmediate(() => this.run());
      return false;
    }
    this.nextDb = (this.nextDb + 1) % Math.max(1, dbs.length);
    return true;
  }

  /** Runs until every key whose time has passed is gone (clock.advance in the embedding API). */
  drain(): void {
    const dbs = this.dbs();
    const now = this.clock.now();
    for (const db of dbs) {
      // A step continues the walk where the last one stopped, mid-pass; the
      // rest of that pass plus one whole pass (each at most the count)
      // examine every key with a TTL (ArenaDatabase.expireStep).
      let remaining = 2 * db.expiresCount();
      while (remaining > 0) {
        db.expireStep(now, ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP * 50, this.step);
        if (this.step.expired > 0) {
          this.stats.expired += this.step.expired;
          this.onExpired(this.step.expired);
        }
        remaining -= this.step.checked;
        if (this.step.checked === 0) break;
      }
    }
  }
}
