/**
 * POSIX `cksum` (CRC-32/CKSUM): polynomial 0x04C11DB7, MSB first, no reflection,
 * initial value 0, the message length appended as little-endian bytes without
 * trailing zero bytes, result complemented. Matches coreutils and busybox.
 */
const POLYNOMIAL = 0x04c11db7;

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 24;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x80000000 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
    }
    table[i] = crc >>> 0;
  }
  return table;
}

const TABLE = buildTable();

function update(crc: number, byte: number): number {
  return ((crc << 8) ^ TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
}

/** The CRC `cksum` prints for these bytes (first field of its output). */
export function posixCksum(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) crc = update(crc, byte);
  for (let length = data.length; length > 0; length = Math.floor(length / 256)) {
    crc = update(crc, length & 0xff);
  }
  return ~crc >>> 0;
}
