import { crc32 as zlibCrc32 } from 'node:zlib';

/** Table-driven reflected CRC-32 (slice-by-8) for any polynomial; zlib's native CRC-32 is used when present. */
function makeTables(poly: number): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = t0[n]!;
    for (let k = 1; k < 8; k++) {
      c = t0[c & 0xff]! ^ (c >>> 8);
      tables[k]![n] = c >>> 0;
    }
  }
  return tables;
}

function makeCrc(poly: number): (data: Uint8Array, previous?: number) => number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = makeTables(poly) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  return (data, previous = 0) => {
    let crc = ~previous >>> 0;
    let i = 0;
    const end8 = data.length - (data.length % 8);
    for (; i < end8; i += 8) {
      const a = (crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
      crc =
        t7[a & 0xff]! ^
        t6[(a >>> 8) & 0xff]! ^
        t5[(a >>> 16) & 0xff]! ^
        t4[a >>> 24]! ^
        t3[data[i + 4]!]! ^
        t2[data[i + 5]!]! ^
        t1[data[i + 6]!]! ^
        t0[data[i + 7]!]!;
    }
    for (; i < data.length; i++) crc = t0[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    return ~crc >>> 0;
  };
}

const jsCrc32 = makeCrc(0xedb88320);

/** CRC-32 (IEEE, as zlib/gzip); pass the previous value to continue a running checksum. */
export const crc32: (data: Uint8Array, previous?: number) => number =
  typeof zlibCrc32 === 'function' ? (data, previous = 0) => zlibCrc32(data, previous) : jsCrc32;

export const crc32Js = jsCrc32;

/** CRC-32C (Castagnoli, as iSCSI). */
export const crc32c: (data: Uint8Array, previous?: number) => number = makeCrc(0x82f63b78);

export function crcToBase64(value: number): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b.toString('base64');
}
