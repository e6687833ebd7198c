/**
 * CRC-32 of A‖B from crc(A), crc(B) and len(B), as zlib's `crc32_combine` does (multiplication by x^len
 * in GF(2) through repeated squaring of the one-zero-bit operator). Lets ranges that finish out of
 * order be checksummed independently and still prove the whole object. Pure.
 */
export const CRC32_POLY = 0xedb88320;
export const CRC32C_POLY = 0x82f63b78;

function times(matrix: Uint32Array, vector: number): number {
  let sum = 0;
  for (let i = 0; vector !== 0; i++, vector >>>= 1) {
    if (vector & 1) sum ^= matrix[i] ?? 0;
  }
  return sum >>> 0;
}

function square(into: Uint32Array, matrix: Uint32Array): void {
  for (let n = 0; n < 32; n++) into[n] = times(matrix, matrix[n] ?? 0);
}

export function crc32Combine(crc1: number, crc2: number, length2: number, polynomial = CRC32_POLY): number {
  if (length2 <= 0) return crc1 >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  // Operator for one zero bit.
  odd[0] = polynomial;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row;
  square(even, odd); // two zero bits
  square(odd, even); // four zero bits
  let crc = crc1 >>> 0;
  let len = length2;
  for (;;) {
    square(even, odd);
    if (len % 2 === 1) crc = times(even, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
    square(odd, even);
    if (len % 2 === 1) crc = times(odd, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
  }
  return (crc ^ crc2) >>> 0;
}
