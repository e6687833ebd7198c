import { describe, expect, it } from 'vitest';
import { alreadyInListNotice, NOTHING_PICKED_NOTICE } from './upload-notes.ts';

describe('alreadyInListNotice', () => {
  it('says nothing when every file was added', () => {
    expect(alreadyInListNotice([])).toBeNull();
  });

  it('names the one file left out', () => {
    expect(alreadyInListNotice(['photos/a.jpg'])).toBe(
      '“photos/a.jpg” is already in the list, so it was not added again.',
    );
  });

  it('counts the files left out when there are several', () => {
    expect(alreadyInListNotice(['a', 'b', 'c'])).toBe(
      '3 files are already in the list, so they were not added again.',
    );
  });

  it('says which failed files are tried again instead, beside those left out', () => {
    expect(alreadyInListNotice([], ['big.iso'])).toBe(
      '“big.iso” had failed: it is tried again in its row, going on from what was sent.',
    );
    expect(alreadyInListNotice(['a'], ['b', 'c'])).toBe(
      '“a” is already in the list, so it was not added again. 2 files had failed: they are tried again in their rows, going on from what was sent.',
    );
  });

  it('names dropped items that could not be read, up to three, beside the rest', () => {
    expect(alreadyInListNotice([], [], ['docs/gone.txt'])).toBe(
      '“docs/gone.txt” could not be read (moved, deleted, or not allowed to be opened?), so it was not added.',
    );
    expect(alreadyInListNotice(['a'], [], ['x', 'y/', 'z', 'w', 'v'])).toBe(
      '“a” is already in the list, so it was not added again. 5 dropped items could not be read (moved, deleted, or not allowed to be opened?), so they were not added: “x”, “y/”, “z” and 2 more.',
    );
  });

  it('says a pick or a drop that held no file at all (an empty folder) added nothing, rather than nothing', () => {
    expect(alreadyInListNotice([], [], [], 0)).toBe(NOTHING_PICKED_NOTICE);
    expect(alreadyInListNotice([], [], [], 3)).toBeNull();
  });
});
