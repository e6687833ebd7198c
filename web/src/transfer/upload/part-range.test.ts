import { describe, expect, it } from 'vitest';
import { fileBytes, partRange } from './part-range.ts';

describe('partRange', () => {
  const plan = { size: 2_500, partSize: 1_000 };

  it('gives each full part its own slice of the file', () => {
    expect(partRange(plan, 1)).toEqual({ start: 0, end: 1_000, size: 1_000 });
    expect(partRange(plan, 2)).toEqual({ start: 1_000, end: 2_000, size: 1_000 });
  });

  it('ends the last part at the end of the file', () => {
    expect(partRange(plan, 3)).toEqual({ start: 2_000, end: 2_500, size: 500 });
  });
});

describe('fileBytes', () => {
  const file = new Blob(['0123456789']);

  it('is the file itself when the range is all of it (no slice to register)', () => {
    expect(fileBytes(file, 0, 10)).toBe(file);
  });

  it('slices any other range', async () => {
    const part = fileBytes(file, 2, 5);
    expect(part).not.toBe(file);
    expect(await part.text()).toBe('234');
    expect(await fileBytes(file, 0, 9).text()).toBe('012345678');
  });
});
