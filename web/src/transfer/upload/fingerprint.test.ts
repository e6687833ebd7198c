import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_SIZE, sampleHash } from './fingerprint.ts';

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
});
