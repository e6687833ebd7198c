import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crc32, crc32c } from '../local-s3/crc.ts';
import { Crc64Nvme, loadCrc64Nvme } from '../local-s3/crc64nvme.ts';
import {
  combineCrcs,
  crcCombine,
  CRC32_SPEC,
  CRC32C_SPEC,
  CRC64NVME_SPEC,
  shiftOperator,
  type CrcSpec,
} from './crc-combine.ts';

const MiB = 1024 * 1024;

const crc64 = (data: Uint8Array): bigint => {
  const crc = new Crc64Nvme();
  crc.update(data);
  return crc.digest().readBigUInt64BE();
};

// The store's own CRCs are the reference.
const CRCS: [string, CrcSpec, (data: Uint8Array) => bigint][] = [
  ['CRC32', CRC32_SPEC, (d) => BigInt(crc32(d))],
  ['CRC32C', CRC32C_SPEC, (d) => BigInt(crc32c(d))],
  ['CRC64NVME', CRC64NVME_SPEC, crc64],
];

beforeAll(() => loadCrc64Nvme());

describe.each(CRCS)('%s', (_name, spec, crc) => {
  const data = randomBytes(5 * MiB + 2);

  it.each([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [3, 5],
    [1, 5 * MiB + 1],
    [5 * MiB + 1, 1],
    [5 * MiB + 1, 0],
    [0, 5 * MiB + 1],
  ])('combine(crc(a), crc(b), |b|) = crc(a‖b) for |a| = %i, |b| = %i', (sizeA, sizeB) => {
    const a = data.subarray(0, sizeA);
    const b = data.subarray(sizeA, sizeA + sizeB);
    expect(crcCombine(spec, crc(a), crc(b), b.length)).toBe(crc(Buffer.concat([a, b])));
  });

  it('agrees with the CRC of the whole for random splits', () => {
    for (let i = 0; i < 20; i++) {
      const cut = Math.floor(Math.random() * 70_000);
      const whole = data.subarray(0, cut + Math.floor(Math.random() * 70_000));
      const [a, b] = [whole.subarray(0, cut), whole.subarray(cut)];
      expect(crcCombine(spec, crc(a), crc(b), b.length)).toBe(crc(whole));
    }
  });

  it('combines many pieces end to end, equal sizes and odd ones, empty pieces included', () => {
    const sizes = [MiB, MiB, 0, MiB, 12_345, 1, 0, MiB + 3]; // 4 MiB + 12,349 of the 5 MiB + 2
    const whole = data.subarray(
      0,
      sizes.reduce((n, s) => n + s, 0),
    );
    let offset = 0;
    const pieces = sizes.map((size) => {
      const piece = whole.subarray(offset, (offset += size));
      return { crc: crc(piece), size };
    });
    expect(combineCrcs(spec, pieces)).toBe(crc(whole));
    expect(combineCrcs(spec, [])).toBe(crc(new Uint8Array(0)));
    expect(combineCrcs(spec, pieces.slice(0, 1))).toBe(pieces[0]!.crc);
  });

  it('shifts by zero bytes as the identity, and refuses lengths no part can have', () => {
    const x = crc(data.subarray(0, 100));
    expect(crcCombine(spec, x, 0n, 0)).toBe(x);
    expect(shiftOperator(spec, 0)).toBe(1n << BigInt(spec.width - 1));
    expect(() => shiftOperator(spec, -1)).toThrow(RangeError);
    expect(() => shiftOperator(spec, 1.5)).toThrow(RangeError);
  });
});

it('combines 10,000 parts of a 5 TiB object in well under a second', () => {
  const parts = Array.from({ length: 10_000 }, (_, i) => ({
    crc: (BigInt(i) * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn,
    size: 550 * MiB,
  }));
  const started = performance.now();
  combineCrcs(CRC64NVME_SPEC, parts);
  expect(performance.now() - started).toBeLessThan(1000);
});
