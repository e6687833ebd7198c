import { describe, expect, it } from 'vitest';
import { formatBytesApart } from './format-bytes.ts';

describe('formatBytesApart', () => {
  it('rounds two sizes that read differently rounded', () => {
    expect(formatBytesApart(12 * 1024 ** 2, 10 * 1024 ** 2)).toEqual(['12.0 MB', '10.0 MB']);
  });

  it('gives exact byte counts where the rounded figures would read the same', () => {
    expect(formatBytesApart(10 * 1024 ** 2 + 1, 10 * 1024 ** 2)).toEqual([
      '10,485,761 bytes',
      '10,485,760 bytes',
    ]);
    expect(formatBytesApart(1, 0)).toEqual(['1 B', '0 B']);
    expect(formatBytesApart(1025, 1024)).toEqual(['1,025 bytes', '1,024 bytes']);
  });
});
