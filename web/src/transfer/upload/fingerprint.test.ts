import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileSampleHash, SAMPLE_SIZE, sampleHash } from './fingerprint.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sampleHash', () => {
  const big = new Blob([new Uint8Array(4 * SAMPLE_SIZE).map((_, i) => i % 251)]);
  const small = new Blob(['hello']);

  it('is the same digest without WebCrypto (a page over plain http from another address has none)', async () => {
    const withSubtle = [await sampleHash(big), await sampleHash(small)];
    vi.stubGlobal('crypto', undefined);
    expect([await sampleHash(big), await sampleHash(small)]).toEqual(withSubtle);
  });

  it('tells files of another size or content apart', async () => {
    const a = await sampleHash(small);
    expect(await sampleHash(new Blob(['hellp']))).not.toBe(a);
    expect(await sampleHash(new Blob(['hello!']))).not.toBe(a);
  });

  // As Chromium reads a picked file deleted on disk: slices back empty (never read before), or
  // NotFoundError (read before): either way it is gone, not a sample of some other bytes.
  it.each([
    ['read back empty', () => Promise.resolve(new ArrayBuffer(0))],
    ['refused with NotFoundError', () => Promise.reject(new DOMException('gone', 'NotFoundError'))],
  ])('fails as file-unreadable for a deleted file whose reads are %s', async (_, read) => {
    for (const size of [10, 4 * SAMPLE_SIZE]) {
      const file = Object.assign(new Blob([new Uint8Array(size)]), { name: 'gone.bin' });
      file.arrayBuffer = read;
      file.slice = () => Object.assign(new Blob([new Uint8Array(SAMPLE_SIZE)]), { arrayBuffer: read });
      await expect(fileSampleHash(file)).rejects.toMatchObject({
        code: 'file-unreadable',
        message: expect.stringMatching(/"gone.bin" can no longer be read/),
      });
    }
  });
});
