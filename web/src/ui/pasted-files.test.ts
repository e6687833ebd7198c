import { describe, expect, it } from 'vitest';
import { pastedFiles } from './pasted-files.ts';

/** An element as far as `closest` goes: it matches when it or an ancestor is one of `inside`. */
const element = (inside: string[]) =>
  ({
    closest: (selector: string) =>
      selector.split(',').some((s) => inside.includes(s.trim().replace(/:not\(.*\)$/, ''))) ? {} : null,
  }) as unknown as EventTarget;
const clipboard = (...names: string[]) => ({
  files: names.map((n) => new File(['x'], n)) as unknown as FileList,
});

describe('pastedFiles', () => {
  it('takes the files pasted on the page, in order', () => {
    const got = pastedFiles({ clipboardData: clipboard('image.png', 'notes.txt'), target: element([]) });
    expect(got.map((f) => f.file.name)).toEqual(['image.png', 'notes.txt']);
    expect(got.every((f) => !('relativePath' in f))).toBe(true);
  });

  it('leaves a paste into a text field or an editable element to it', () => {
    for (const field of ['input', 'textarea', 'select', '[contenteditable]'])
      expect(pastedFiles({ clipboardData: clipboard('image.png'), target: element([field]) })).toEqual([]);
  });

  it('takes nothing from a clipboard of text, or none at all', () => {
    expect(pastedFiles({ clipboardData: clipboard(), target: element([]) })).toEqual([]);
    expect(pastedFiles({ clipboardData: null, target: null })).toEqual([]);
  });
});
