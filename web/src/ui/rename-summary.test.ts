import { describe, expect, it } from 'vitest';
import { renameSummary } from './rename-summary.ts';

describe('renameSummary', () => {
  it('says the new name, and the folder when it is another one', () => {
    const here = { prefix: 'inbox/', rootPrefix: '' };
    expect(renameSummary('d1.txt', 'inbox/d2.txt', here)).toEqual({
      summary: 'Renamed “d1.txt” to “d2.txt”.',
      folder: null,
    });
    expect(renameSummary('d1.txt', 'top.txt', here)).toEqual({
      summary: 'Moved “d1.txt” to “top.txt” at the top of the bucket.',
      folder: '',
    });
    expect(renameSummary('d1.txt', 'inbox/notes/d1.txt', here)).toEqual({
      summary: 'Moved “d1.txt” to “d1.txt” in “inbox/notes/”.',
      folder: 'inbox/notes/',
    });
  });

  it('names folders below HOIST_KEY_PREFIX as the page does', () => {
    const o = { prefix: 'uploads/a/', rootPrefix: 'uploads/' };
    expect(renameSummary('x.bin', 'uploads/x.bin', o)).toEqual({
      summary: 'Moved “x.bin” to “x.bin” at the top of “uploads”.',
      folder: '',
    });
    expect(renameSummary('x.bin', 'uploads/b/y.bin', o).folder).toBe('b/');
  });
});
