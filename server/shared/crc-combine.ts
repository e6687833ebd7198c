/**
 * The CRC of a concatenation from the CRCs of its pieces and their lengths, without their bytes (zlib's
 * crc32_combine, generalised): crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B). It holds for the reflected CRCs S3
 * uses (CRC32, CRC32C, CRC64NVME: init and xorout all ones), and is what a FULL_OBJECT multipart checksum is.
 * Shared: the embedded store combines parts with it, the page the ranges of a download. Pure, no Node APIs.
 *
 * Polynomials are kept reflected, as the table-driven CRCs are: the top bit of a `width`-bit value is x^0.
 * Values are BigInt at the edges; inside, a 64-bit value is two uint32 halves, so combining 10,000 parts costs
 * a few milliseconds (with BigInt in the loops it was ~100 ms).
 */

export interface CrcSpec {
  width: 32 | 64;
  /** reflected polynomial */
  poly: bigint;
}

export const CRC32_SPEC: CrcSpec = { width: 32, poly: 0xedb88320n };
export const CRC32C_SPEC: CrcSpec = { width: 32, poly: 0x82f63b78n };
export const CRC64NVME_SPEC: CrcSpec = { width: 64, poly: 0x9a6c9329ac4bc9b5n };

/** A width-bit value as uint32 halves (`hi` is 0 for 32-bit CRCs). */
interface Word {
  hi: number;
  lo: number;
}

const MASK32 = 0xffffffffn;
const toWord = (v: bigint): Word => ({ hi: Number((v >> 32n) & MASK32), lo: Number(v & MASK32) });
const toBigInt = (w: Word): bigint => (BigInt(w.hi >>> 0) << 32n) | BigInt(w.lo >>> 0);

/** x^0, the top bit */
const one = (width: number): Word => (width === 64 ? { hi: 0x80000000, lo: 0 } : { hi: 0, lo: 0x80000000 });

/** a·b mod P, both reflected (zlib multmodp): the bits of `a` from the top (x^0) down. */
function multiplyMod(width: number, poly: Word, a: Word, b: Word): Word {
  let pHi = 0;
  let pLo = 0;
  let bHi = b.hi;
  let bLo = b.lo;
  const words = width === 64 ? [a.hi, a.lo] : [a.lo];
  for (const word of words) {
    for (let bit = 31; bit >= 0; bit--) {
      if ((word >>> bit) & 1) {
        pHi ^= bHi;
        pLo ^= bLo;
      }
      const carry = bLo & 1;
      bLo = (bLo >>> 1) | ((bHi & 1) << 31);
      bHi >>>= 1;
      if (carry) {
        bHi ^= poly.hi;
        bLo ^= poly.lo;
      }
    }
  }
  return { hi: pHi >>> 0, lo: pLo >>> 0 };
}

/** x^(2^k) mod P for k = 0…63: enough for any length a JS number holds, in bits. */
const powerTables = new WeakMap<CrcSpec, Word[]>();
function powerTable(spec: CrcSpec): Word[] {
  let table = powerTables.get(spec);
  if (table) return table;
  const poly = toWord(spec.poly);
  table = [];
  let p = toWord(1n << BigInt(spec.width - 2)); // x^1
  for (let k = 0; k < 64; k++) {
    table.push(p);
    p = multiplyMod(spec.width, poly, p, p);
  }
  powerTables.set(spec, table);
  return table;
}

function operator(spec: CrcSpec, bytes: number): Word {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`bad length ${bytes}`);
  const table = powerTable(spec);
  const poly = toWord(spec.poly);
  let p = one(spec.width);
  // bytes · 8 = 2^3 · bytes: bit i of `bytes` selects x^(2^(i+3)).
  for (let n = bytes, k = 3; n > 0; n = Math.floor(n / 2), k++)
    if (n % 2 === 1) p = multiplyMod(spec.width, poly, table[k]!, p);
  return p;
}

/** x^(8·bytes) mod P: the operator that moves a CRC past `bytes` zero bytes (zlib x2nmodp(bytes, 3)). */
export function shiftOperator(spec: CrcSpec, bytes: number): bigint {
  return toBigInt(operator(spec, bytes));
}

/** crc(A‖B) from crc(A), crc(B) and |B| in bytes. */
export function crcCombine(spec: CrcSpec, crcA: bigint, crcB: bigint, lengthB: number): bigint {
  return combineCrcs(spec, [
    { crc: crcA, size: 0 },
    { crc: crcB, size: lengthB },
  ]);
}

/** The CRC of the pieces end to end (of nothing: 0, the CRC of no bytes). */
export function combineCrcs(spec: CrcSpec, pieces: readonly { crc: bigint; size: number }[]): bigint {
  const poly = toWord(spec.poly);
  const operators = new Map<number, Word>(); // parts mostly share one size
  let crc: Word = { hi: 0, lo: 0 };
  for (const { crc: next, size } of pieces) {
    let op = operators.get(size);
    if (op === undefined) operators.set(size, (op = operator(spec, size)));
    const shifted = multiplyMod(spec.width, poly, op, crc);
    const n = toWord(next);
    crc = { hi: (shifted.hi ^ n.hi) >>> 0, lo: (shifted.lo ^ n.lo) >>> 0 };
  }
  return toBigInt(crc);
}
