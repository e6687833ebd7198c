import { crc32, sha256 } from 'hash-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRC32C_POLY, crc32Combine } from './crc32-combine.ts';
import {
  crcToBase64,
  crcValue,
  createHasher,
  digestBase64,
  hashStream,
  planVerification,
} from './integrity.ts';
import { wholeChecksum } from './segment-crcs.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('crc32Combine', () => {
  it('equals the CRC of the concatenation (CRC32 and CRC32C)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), async (a, b) => {
        const both = new Uint8Array([...a, ...b]);
        for (const poly of [undefined, CRC32C_POLY]) {
          const ca = Number.parseInt(await crc32(a, poly), 16);
          const cb = Number.parseInt(await crc32(b, poly), 16);
          expect(crc32Combine(ca, cb, b.byteLength, poly)).toBe(Number.parseInt(await crc32(both, poly), 16));
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('integrity', () => {
  it('matches the base64 forms S3 gives', async () => {
    // "123456789": CRC32 cbf43926, CRC32C e3069283.
    const c = await createHasher('CRC32');
    c.update(text('123456789'));
    expect(digestBase64(c)).toBe(crcToBase64(0xcbf43926));
    const cc = await createHasher('CRC32C');
    cc.update(text('123456789'));
    expect(crcValue(cc)).toBe(0xe3069283);
    const s = await createHasher('SHA256');
    s.update(text('abc'));
    expect(digestBase64(s)).toBe(Buffer.from(await sha256('abc'), 'hex').toString('base64'));
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
