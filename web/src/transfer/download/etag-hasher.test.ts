import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { multipartEtag } from '../../../../server/uploads/multipart-etag.ts';
import { EtagHasher } from './etag-hasher.ts';

const md5Hex = (data: Uint8Array) => createHash('md5').update(data).digest('hex');

/** The ETag S3 gives an object completed from parts of `partSize` (each part's ETag its MD5). */
function s3MultipartEtag(data: Uint8Array, partSize: number): string {
  const parts: string[] = [];
  for (let at = 0; at < data.length || parts.length === 0; at += partSize) {
    parts.push(md5Hex(data.subarray(at, at + partSize)));
  }
  return multipartEtag(parts).replaceAll('"', '');
}

/** Feeds `data` in pieces cut at `cuts`. */
async function etagOf(data: Uint8Array, partSize: number | null, cuts: number[] = []): Promise<string> {
  const hasher = await EtagHasher.create(partSize);
  const at = [0, ...cuts.filter((c) => c < data.length).sort((a, b) => a - b), data.length];
  for (let i = 0; i + 1 < at.length; i++) hasher.update(data.subarray(at[i], at[i + 1]));
  return hasher.digest();
}

describe('EtagHasher', () => {
  it('gives a single-part ETag: the MD5 of the bytes', async () => {
    expect(await etagOf(new TextEncoder().encode('hello'), null)).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(await etagOf(new Uint8Array(0), null)).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('gives the multipart ETag S3 makes from the part MD5s, however the bytes arrive', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.integer({ min: 1, max: 120 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 8 }),
        async (data, partSize, cuts) => {
          expect(await etagOf(data, partSize, cuts)).toBe(s3MultipartEtag(data, partSize));
        },
      ),
    );
  });

  it('gives the multipart ETag of parts of uneven sizes, given every size as run-length pairs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 399 }), { maxLength: 8 }),
        async (sizes, cuts) => {
          const data = Uint8Array.from(
            { length: sizes.reduce((a, b) => a + b, 0) },
            (_, i) => (i * 31) % 251,
          );
          const md5s: string[] = [];
          const runs: [number, number][] = [];
          for (let at = 0, i = 0; i < sizes.length; at += sizes[i]!, i++) {
            md5s.push(md5Hex(data.subarray(at, at + sizes[i]!)));
            const last = runs[runs.length - 1];
            if (last && last[0] === sizes[i]) last[1]++;
            else runs.push([sizes[i]!, 1]);
          }
          const hasher = await EtagHasher.create(sizes[0]!, runs);
          const at = [0, ...cuts.filter((c) => c < data.length).sort((a, b) => a - b), data.length];
          for (let i = 0; i + 1 < at.length; i++) hasher.update(data.subarray(at[i], at[i + 1]));
          expect(hasher.digest()).toBe(multipartEtag(md5s).replaceAll('"', ''));
        },
      ),
    );
  });

  it('counts a last part that ends exactly on a part boundary once, and one empty part for no bytes', async () => {
    const data = new Uint8Array(30).fill(7);
    expect(await etagOf(data, 10)).toBe(s3MultipartEtag(data, 10));
    expect((await etagOf(data, 10)).endsWith('-3')).toBe(true);
    expect(await etagOf(new Uint8Array(0), 5)).toBe(s3MultipartEtag(new Uint8Array(0), 5));
  });

  it('refuses a part size that is no positive whole number', async () => {
    await expect(EtagHasher.create(0)).rejects.toThrow(RangeError);
    await expect(EtagHasher.create(1.5)).rejects.toThrow(RangeError);
  });
});
