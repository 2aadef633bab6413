/**
 * The object table: values the store keeps as JavaScript objects rather than
 * as bytes in their record. A record holding one has OBJECT_BIT | handle in
 * its value word (record.ts); the handle indexes this side array. Freed
 * handles are reused, so the array stays as long as the most objects ever
 * held at once.
 *
 * Which values live here: a RawString (APPEND and SETRANGE change it in
 * place, so get() must return the very object stored), a string too long for
 * a record, and any non-string value kept as an object (the large encodings
 * of the types to come; their small encodings are packed bytes in the record
 * itself, see docs/keyspace.md). It knows nothing of keys or records.
 */
import type { StoredValue } from './keyspace.js';

export class ObjectTable {
  private objects: (StoredValue | null)[] = [];
  private freeHandles: number[] = [];
  /** Objects held. */
  count = 0;

  /** Keeps `obj`; returns its handle (below 2^31). */
  add(obj: StoredValue): number {
    this.count++;
    if (this.freeHandles.length > 0) {
      const h = this.freeHandles.pop()!;
      this.objects[h] = obj;
      return h;
    }
    this.objects.push(obj);
    return this.objects.length - 1;
  }

  get(h: number): StoredValue {
    return this.objects[h]!;
  }

  /** Puts `obj` under an existing handle. */
  replace(h: number, obj: StoredValue): void {
    this.objects[h] = obj;
  }

  release(h: number): void {
    this.objects[h] = null;
    this.freeHandles.push(h);
    this.count--;
  }

  clear(): void {
    this.objects = [];
    this.freeHandles = [];
    this.count = 0;
  }
}
