/**
 * The server's clock. Every command reads the time once from it (Redis
 * freezes time for a command's run), and so does active expiry. Tests and the
 * embedding API freeze and advance it instead of sleeping.
 */
import { performance } from 'node:perf_hooks';

export class Clock {
  private frozenAt: number | null = null;
  /** Added to the system time while running, so set() works unfrozen too. */
  private offset = 0;

  /** Milliseconds since the epoch. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offset;
  }

  /**
   * Microseconds since the epoch (TIME, INFO server_time_usec), agreeing with
   * now(): the millisecond is now()'s, the microseconds within it come from
   * the high-resolution clock. Frozen time has no microseconds to give.
   */
  nowUs(): number {
    if (this.frozenAt !== null) return this.frozenAt * 1000;
    const ms = Date.now();
    // performance's clock is monotonic and drifts from the wall clock when
    // the system time is stepped, so only its fraction of a millisecond is used.
    const fine = performance.timeOrigin + performance.now();
    const micros = Math.floor((fine - Math.floor(fine)) * 1000);
    return (ms + this.offset) * 1000 + micros;
  }

  /** Stops time at its current value. */
  freeze(): void {
    if (this.frozenAt === null) this.frozenAt = this.now();
  }

  /** Lets time run again from where it stands. */
  unfreeze(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = null;
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  /** Moves time forward by `ms` (frozen or not). */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError('advance() takes a finite number of milliseconds >= 0');
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
  }

  /** Sets the current time (frozen or not). */
  set(time: Date | number): void {
    const t = typeof time === 'number' ? time : time.getTime();
    if (!Number.isFinite(t)) throw new RangeError('set() takes a valid Date or epoch milliseconds');
    if (this.frozenAt !== null) this.frozenAt = t;
    else this.offset = t - Date.now();
  }
}
