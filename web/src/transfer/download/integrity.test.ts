import { crc32, sha256 } from 'hash-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CRC32C_POLY, crc32Combine } from './crc32-combine.ts';
import {
  combineCrcs,
  crcToBase64,
  crcValue,
  createHasher,
  digestBase64,
  hashStream,
  planVerification,
} from './integrity.ts';

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
    for (const p of parts) {
      const h = await createHasher('CRC32');
      h.update(text(p));
      crcs.push({ crc: crcValue(h), length: p.length });
    }
    expect(combineCrcs(crcs, 'CRC32')).toBe(crcToBase64(0xcbf43926));
  });

  it('hashes a stream', async () => {
    const digest = await hashStream(new Blob(['abc']).stream(), 'SHA256');
    expect(digest).toBe(Buffer.from(await sha256('abc'), 'hex').toString('base64'));
  });

  it('plans verification by algorithm, download kind and composite flag', () => {
    const crc = { algorithm: 'CRC32', value: 'AAAAAA==', composite: false } as const;
    const sha = { algorithm: 'SHA256', value: 'x', composite: false } as const;
    expect(planVerification(undefined, { ranged: false, canReadBack: true }).kind).toBe('none');
    expect(planVerification({ ...crc, composite: true }, { ranged: false, canReadBack: true }).kind).toBe(
      'none',
    );
    expect(planVerification({ ...crc, value: 'AAAAAA==-3' }, { ranged: true, canReadBack: true }).kind).toBe(
      'none',
    );
    expect(planVerification(crc, { ranged: false, canReadBack: false }).kind).toBe('stream');
    expect(planVerification(crc, { ranged: true, canReadBack: false }).kind).toBe('combine');
    expect(planVerification(sha, { ranged: true, canReadBack: true }).kind).toBe('read-back');
    expect(planVerification(sha, { ranged: true, canReadBack: false }).kind).toBe('none');
  });
});
