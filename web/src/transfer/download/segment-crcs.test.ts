import { crc32, crc64 } from 'hash-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutOf } from '../../../../server/shared/part-layout.ts';
import {
  compositeChecksum,
  partCuts,
  partStartsWithin,
  wholeChecksum,
  type PartCuts,
  type SegmentCrc,
} from './segment-crcs.ts';
import { CRC_SPECS, crcToBase64, type CompositeCrcAlgorithm, type CrcAlgorithm } from './integrity.ts';

/** hash-wasm's one-shot CRCs, with the polynomials spelled out here. */
const crcOf = async (bytes: Uint8Array, algorithm: CrcAlgorithm) =>
  BigInt(
    `0x${
      algorithm === 'CRC64NVME'
        ? await crc64(bytes, '9a6c9329ac4bc9b5')
        : await crc32(bytes, algorithm === 'CRC32' ? 0xedb88320 : 0x82f63b78)
    }`,
  );
const whole = async (bytes: Uint8Array, algorithm: CrcAlgorithm) =>
  crcToBase64(await crcOf(bytes, algorithm), CRC_SPECS[algorithm].width);

/** S3's composite: CRC of the parts' big-endian CRCs, "-N". */
async function s3Composite(data: Uint8Array, partSize: number, algorithm: CompositeCrcAlgorithm) {
  const count = Math.ceil(data.length / partSize);
  const joined = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const crc = await crcOf(data.subarray(i * partSize, (i + 1) * partSize), algorithm);
    new DataView(joined.buffer).setUint32(i * 4, Number(crc));
  }
  return `${crcToBase64(await crcOf(joined, algorithm))}-${count}`;
}

/** Segments as the engine makes them: ranges of `rangeSize`, each cut where a part starts. */
async function segmentsOf(data: Uint8Array, rangeSize: number, partSize: PartCuts, algorithm: CrcAlgorithm) {
  const out: SegmentCrc[] = [];
  for (let start = 0; start < data.length; start += rangeSize) {
    const end = Math.min(data.length, start + rangeSize) - 1;
    const bounds = [start, ...partStartsWithin(start, end, partSize), end + 1];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const [a, b] = [bounds[i]!, bounds[i + 1]!];
      out.push({ start: a, length: b - a, crc: await crcOf(data.subarray(a, b), algorithm) });
    }
  }
  return out.reverse(); // arrival order does not matter
}

describe('segment CRCs', () => {
  it('cuts a range where each part begins', () => {
    expect(partStartsWithin(0, 9, 5)).toEqual([5]);
    expect(partStartsWithin(5, 9, 5)).toEqual([]);
    expect(partStartsWithin(3, 17, 5)).toEqual([5, 10, 15]);
    expect(partStartsWithin(0, 7, 8)).toEqual([]);
    // Uneven parts (6, 2, 9, 3 bytes) begin at 0, 6, 8, 17.
    expect(partStartsWithin(0, 9, [0, 6, 8, 17])).toEqual([6, 8]);
    expect(partStartsWithin(6, 16, [0, 6, 8, 17])).toEqual([8]);
    expect(partStartsWithin(7, 19, [0, 6, 8, 17])).toEqual([8, 17]);
  });

  it('recomputes the composite checksum of parts of uneven sizes from ranges cut anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 2, maxLength: 10 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom<CompositeCrcAlgorithm>('CRC32', 'CRC32C'),
        async (sizes, rangeSize, algorithm) => {
          const size = sizes.reduce((a, b) => a + b, 0);
          const data = Uint8Array.from({ length: size }, (_, i) => (i * 7) % 256);
          const layout = layoutOf(sizes, size)!;
          const joined = new Uint8Array(sizes.length * 4);
          for (let i = 0, at = 0; i < sizes.length; at += sizes[i]!, i++) {
            const crc = await crcOf(data.subarray(at, at + sizes[i]!), algorithm);
            new DataView(joined.buffer).setUint32(i * 4, Number(crc));
          }
          const expected = `${crcToBase64(await crcOf(joined, algorithm))}-${sizes.length}`;
          const segments = await segmentsOf(data, rangeSize, partCuts(layout, size), algorithm);
          expect(compositeChecksum(segments, layout, size, algorithm)).toBe(expected);
          // Not cut where parts begin, a segment straddles a part: not recomputed rather than wrong.
          const uncut = await segmentsOf(data, size, [], algorithm);
          expect(compositeChecksum(uncut, layout, size, algorithm)).toBeNull();
        },
      ),
      { numRuns: 100 },
    );
  });

  it('recomputes S3 composite checksums from ranges that do not line up with parts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.constantFrom<CompositeCrcAlgorithm>('CRC32', 'CRC32C'),
        async (data, partSize, rangeSize, algorithm) => {
          const layout = { partSize, count: Math.ceil(data.length / partSize) };
          const segments = await segmentsOf(data, rangeSize, partSize, algorithm);
          expect(compositeChecksum(segments, layout, data.length, algorithm)).toBe(
            await s3Composite(data, partSize, algorithm),
          );
          expect(wholeChecksum(segments, data.length, algorithm)).toBe(await whole(data, algorithm));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('combines a CRC64NVME over segments cut anywhere (ranges, and cuts inside them)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        async (data, cutEvery, rangeSize) => {
          const segments = await segmentsOf(data, rangeSize, cutEvery, 'CRC64NVME');
          expect(wholeChecksum(segments, data.length, 'CRC64NVME')).toBe(await whole(data, 'CRC64NVME'));
          expect(wholeChecksum(segments.slice(1), data.length, 'CRC64NVME')).toBeNull();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('matches a composite computed independently (Python zlib): "123456789" in parts of 4 bytes', async () => {
    // python3: crcs = b''.join(struct.pack('>I', zlib.crc32(p)) for p in (b'1234', b'5678', b'9'))
    //          base64(struct.pack('>I', zlib.crc32(crcs))) + '-3'
    const data = new TextEncoder().encode('123456789');
    const segments = await segmentsOf(data, 3, 4, 'CRC32');
    expect(compositeChecksum(segments, { partSize: 4, count: 3 }, 9, 'CRC32')).toBe('+vEo6Q==-3');
  });

  it('gives no answer when the segments leave a gap, overlap, or cross a part boundary', async () => {
    const data = new Uint8Array(20).map((_, i) => i);
    const layout = { partSize: 8, count: 3 };
    const segments = await segmentsOf(data, 6, 8, 'CRC32');
    expect(compositeChecksum(segments.slice(1), layout, 20, 'CRC32')).toBeNull();
    expect(compositeChecksum([...segments, segments[0]!], layout, 20, 'CRC32')).toBeNull();
    const uncut = await segmentsOf(data, 10, 1000, 'CRC32'); // ranges not cut at parts
    expect(compositeChecksum(uncut, layout, 20, 'CRC32')).toBeNull();
    expect(wholeChecksum(uncut, 20, 'CRC32')).toBe(await whole(data, 'CRC32'));
    expect(wholeChecksum(uncut.slice(1), 20, 'CRC32')).toBeNull();
  });
});
