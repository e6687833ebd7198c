import { sha256 } from 'hash-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crcToBase64,
  crcValue,
  createHasher,
  digestBase64,
  hashStream,
  planObjectVerification,
  planVerification,
  type CrcAlgorithm,
} from './integrity.ts';
import { wholeChecksum, type SegmentCrc } from './segment-crcs.ts';

const text = (s: string) => new TextEncoder().encode(s);
const expected = (c: { algorithm: string; value: string }) => ({ algorithm: c.algorithm, expected: c.value });

async function digestOf(algorithm: CrcAlgorithm, data: Uint8Array): Promise<string> {
  const h = await createHasher(algorithm);
  h.update(data);
  return digestBase64(h);
}

describe('CRC combine (ranges hashed alone, in any order)', () => {
  it.each<CrcAlgorithm>(['CRC32', 'CRC32C', 'CRC64NVME'])(
    '%s: the ranges combined equal the CRC of the whole, however it is split',
    async (algorithm) => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 600 }),
          fc.uniqueArray(fc.integer({ min: 1, max: 599 }), { maxLength: 6 }),
          async (data, at) => {
            const cuts = [0, ...at.filter((c) => c < data.length).sort((a, b) => a - b), data.length];
            const segments: SegmentCrc[] = [];
            for (let i = 0; i + 1 < cuts.length; i++) {
              const [start, end] = [cuts[i]!, cuts[i + 1]!];
              if (end === start) continue; // no empty range (only an empty object has none)
              const h = await createHasher(algorithm);
              h.update(data.subarray(start, end));
              segments.push({ start, length: end - start, crc: crcValue(h) });
            }
            expect(wholeChecksum(segments.reverse(), data.length, algorithm)).toBe(
              await digestOf(algorithm, data),
            );
          },
        ),
        { numRuns: 100 },
      );
    },
  );
});

describe('integrity', () => {
  it('matches the base64 forms S3 gives', async () => {
    // "123456789": CRC32 cbf43926, CRC32C e3069283.
    const c = await createHasher('CRC32');
    c.update(text('123456789'));
    expect(digestBase64(c)).toBe(crcToBase64(0xcbf43926));
    const cc = await createHasher('CRC32C');
    cc.update(text('123456789'));
    expect(crcValue(cc)).toBe(0xe3069283n);
    // CRC-64/NVME (reflected 0x9a6c9329ac4bc9b5): the catalogue check value, and the 8 bytes big-endian.
    const c64 = await createHasher('CRC64NVME');
    c64.update(text('123456789'));
    expect(crcValue(c64)).toBe(0xae8b14860a799888n);
    expect(await digestOf('CRC64NVME', text('123456789'))).toBe(crcToBase64(0xae8b14860a799888n, 64));
    const s = await createHasher('SHA256');
    s.update(text('abc'));
    expect(digestBase64(s)).toBe(Buffer.from(await sha256('abc'), 'hex').toString('base64'));
  });

  it('gives the CRC64NVME that S3 itself stores (values AWS S3 answered to PutObject)', async () => {
    // x-amz-checksum-crc64nvme of objects put to AWS S3 with no checksum (its default since late 2024);
    // the AWS SDK for JavaScript's own CRC64NVME gives the same.
    const fromS3 = { data: '7a5hQ478J4A=', original: 'qH8Ak/zuapA=', v1: '6RYxVX5H2lY=', '': 'AAAAAAAAAAA=' };
    for (const [body, value] of Object.entries(fromS3)) {
      expect(await digestOf('CRC64NVME', text(body)), body).toBe(value);
    }
    // A hasher goes on where it was: chunking does not matter.
    const h = await createHasher('CRC64NVME');
    for (const piece of ['ori', 'gi', '', 'nal']) h.update(text(piece));
    expect(digestBase64(h)).toBe('qH8Ak/zuapA=');
  });

  it('combines range CRCs into the object CRC', async () => {
    const parts = ['1234', '567', '89'];
    const crcs = [];
    let start = 0;
    for (const p of parts) {
      const h = await createHasher('CRC32');
      h.update(text(p));
      crcs.push({ start, crc: crcValue(h), length: p.length });
      start += p.length;
    }
    expect(wholeChecksum(crcs, 9, 'CRC32')).toBe(crcToBase64(0xcbf43926));
    const crcs64 = [];
    for (const { start, length } of crcs) {
      const h = await createHasher('CRC64NVME');
      h.update(text('123456789'.slice(start, start + length)));
      crcs64.push({ start, crc: crcValue(h), length });
    }
    expect(wholeChecksum(crcs64, 9, 'CRC64NVME')).toBe('rosUhgp5mIg=');
  });

  it('hashes a stream', async () => {
    const digest = await hashStream(new Blob(['abc']).stream(), 'SHA256');
    expect(digest).toBe(Buffer.from(await sha256('abc'), 'hex').toString('base64'));
  });

  it('plans verification by algorithm, download kind and composite flag', () => {
    const crc = { algorithm: 'CRC32', value: 'AAAAAA==', composite: false } as const;
    const sha = { algorithm: 'SHA256', value: 'x', composite: false } as const;
    const whole = (ranged: boolean, canReadBack: boolean) => ({ ranged, canReadBack, size: 13 });
    expect(planVerification(undefined, whole(false, true)).kind).toBe('none');
    expect(planVerification({ ...crc, composite: true }, whole(false, true)).kind).toBe('none');
    expect(planVerification({ ...crc, value: 'AAAAAA==-3' }, whole(true, true)).kind).toBe('none');
    expect(planVerification(crc, whole(false, false)).kind).toBe('stream');
    expect(planVerification(crc, whole(true, false)).kind).toBe('combine');
    expect(planVerification(sha, whole(true, true)).kind).toBe('read-back');
    expect(planVerification(sha, whole(true, false)).kind).toBe('none');
  });

  it('plans a CRC64NVME like the other CRCs: streamed whole, ranges combined; never as a composite', () => {
    const c64 = { algorithm: 'CRC64NVME', value: 'rosUhgp5mIg=', composite: false } as const;
    for (const canReadBack of [false, true]) {
      const at = { canReadBack, size: 13 };
      expect(planVerification(c64, { ...at, ranged: false })).toEqual({ kind: 'stream', ...expected(c64) });
      expect(planVerification(c64, { ...at, ranged: true })).toEqual({ kind: 'combine', ...expected(c64) });
    }
    // S3 keeps CRC64NVME as FULL_OBJECT only: a "-N" value is none S3 gives, so nothing to recompute.
    const parts = { partSize: 5, count: 3 };
    const dashed = { ...c64, value: 'rosUhgp5mIg=-3', composite: true, parts };
    for (const ranged of [false, true]) {
      expect(planVerification(dashed, { ranged, canReadBack: true, size: 13 }).kind).toBe('none');
    }
  });

  it('plans a composite CRC only with a part layout that fits the value and the size', () => {
    const parts = { partSize: 5, count: 3 };
    const composite = { algorithm: 'CRC32C', value: 'AAAAAA==-3', composite: true, parts } as const;
    for (const ranged of [false, true]) {
      expect(planVerification(composite, { ranged, canReadBack: false, size: 13 })).toEqual({
        kind: 'composite',
        algorithm: 'CRC32C',
        expected: 'AAAAAA==-3',
        layout: parts,
      });
    }
    const at = { ranged: true, canReadBack: true, size: 13 };
    expect(planVerification({ ...composite, value: 'AAAAAA==-4' }, at).kind).toBe('none');
    expect(planVerification(composite, { ...at, size: 16 }).kind).toBe('none');
    expect(planVerification({ ...composite, algorithm: 'SHA256' }, at).kind).toBe('none');
  });
});

describe('planObjectVerification: the checksum, else the ETag as an MD5, else the size', () => {
  const MiB = 1024 * 1024;
  const MD5 = '5d41402abc4b2a76b9719d911017c592';
  const crc = { algorithm: 'CRC32', value: 'AAAAAA==', composite: false } as const;
  const at = (ranged: boolean, canReadBack = true) => ({ ranged, canReadBack });

  it('prefers a checksum it can recompute: the ETag is never hashed beside it', () => {
    const link = { etag: `"${MD5}"`, size: 13, checksum: crc };
    expect(planObjectVerification(link, at(false)).kind).toBe('stream');
    expect(planObjectVerification(link, at(true)).kind).toBe('combine');
  });

  it('falls back to an MD5 ETag: as the bytes stream, or read back after a ranged download', () => {
    const link = { etag: `"${MD5}"`, size: 13 };
    expect(planObjectVerification(link, at(false, false))).toEqual({
      kind: 'etag',
      expected: MD5,
      partSize: null,
      guessed: false,
      readBack: false,
    });
    expect(planObjectVerification(link, at(true))).toMatchObject({ kind: 'etag', readBack: true });
    // Ranged into a folder that cannot be read back: the ETag cannot be recomputed here.
    expect(planObjectVerification(link, at(true, false))).toEqual({ kind: 'none', cannot: 'md5-etag' });
  });

  it('falls back to the ETag when the checksum cannot be recomputed (a composite without its layout, a SHA composite)', () => {
    const noLayout = { ...crc, value: 'AAAAAA==-3', composite: true };
    expect(
      planObjectVerification({ etag: `"${MD5}-3"`, size: 12 * MiB, checksum: noLayout }, at(false)),
    ).toEqual({
      kind: 'etag',
      expected: `${MD5}-3`,
      partSize: 5 * MiB,
      guessed: true,
      readBack: false,
    });
    const parts = { partSize: 6 * MiB, count: 2 };
    const sha = { algorithm: 'SHA256', value: 'x-2', composite: true, parts } as const;
    expect(planObjectVerification({ etag: `"${MD5}-2"`, size: 12 * MiB, checksum: sha }, at(true))).toEqual({
      kind: 'etag',
      expected: `${MD5}-2`,
      partSize: 6 * MiB,
      guessed: false,
      readBack: true,
    });
  });

  it('says what could not be recomputed when nothing can: the checksum first, then the ETag', () => {
    const noLayout = { ...crc, value: 'AAAAAA==-5', composite: true };
    // 5 parts of 30 MiB are no common tool's (Hoist's 6, the AWS CLI's 4): the part sizes are unknown.
    expect(planObjectVerification({ etag: `"${MD5}-5"`, size: 30 * MiB }, at(false))).toEqual({
      kind: 'none',
      cannot: 'md5-etag',
    });
    expect(
      planObjectVerification({ etag: `"${MD5}-5"`, size: 30 * MiB, checksum: noLayout }, at(false)),
    ).toEqual({ kind: 'none', cannot: 'checksum' });
    // Nothing to compare: a store's own tag, or the ETag of an object encrypted with KMS.
    expect(planObjectVerification({ etag: '"v1"', size: 13 }, at(false))).toEqual({ kind: 'none' });
    expect(
      planObjectVerification({ etag: `"${MD5}"`, size: 13, serverSideEncryption: 'aws:kms' }, at(false)),
    ).toEqual({ kind: 'none' });
  });
});
