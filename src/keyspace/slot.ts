/**
 * Redis Cluster hash slots: CRC16-CCITT (XMODEM) of the key, or of the part
 * between the first `{` and the next `}` when that part is non-empty, modulo
 * 16384 (cluster.c keyHashSlot). Keys are latin1 strings, one byte per
 * character, so hashing the char codes hashes the bytes.
 */

export const CLUSTER_SLOTS = 16384;

const CRC16_TABLE = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  let crc = i << 8;
  for (let j = 0; j < 8; j++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  CRC16_TABLE[i] = crc;
}

function crc16(key: string, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ key.charCodeAt(i)) & 0xff]!;
  }
  return crc;
}

/** The hash slot of `key` (a latin1 string). */
export function keyHashSlot(key: string): number {
  const n = key.length;
  let open = -1;
  for (let i = 0; i < n; i++) {
    if (key.charCodeAt(i) === 123 /* { */) {
      open = i;
      break;
    }
  }
  if (open !== -1) {
    for (let j = open + 1; j < n; j++) {
      if (key.charCodeAt(j) === 125 /* } */) {
        if (j > open + 1) return crc16(key, open + 1, j) & (CLUSTER_SLOTS - 1);
        break;
      }
    }
  }
  return crc16(key, 0, n) & (CLUSTER_SLOTS - 1);
}
