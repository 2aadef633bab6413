/**
 * Types for two methods every Node Buffer has but @types/node does not list:
 * the latin1 fast paths behind `toString('latin1')` and `write(s, 'latin1')`.
 * Calling them directly skips the encoding switch on the hot path. They exist
 * in Node 20 and later (lib/buffer.js installs them on Buffer.prototype).
 */
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(str: string, offset: number, length?: number): number;
  }
}
export {};
