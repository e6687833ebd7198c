import { describe, expect, it } from 'vitest';
import { copiedKey, destinationFolder, destinationProblem, foldersOfKeys } from './copy-target.ts';

describe('destinationFolder', () => {
  it('takes a typed folder relative to the folder shown, adding the final "/"', () => {
    expect(destinationFolder('photos/', 'archive')).toBe('photos/archive/');
    expect(destinationFolder('photos/', 'archive/2024/')).toBe('photos/archive/2024/');
    expect(destinationFolder('', 'archive')).toBe('archive/');
  });

  it('takes a path starting with "/" from the top; "/" alone is the top', () => {
    expect(destinationFolder('photos/', '/archive')).toBe('archive/');
    expect(destinationFolder('photos/', '/')).toBe('');
    // Only the first "/" goes: the rest is for the key rules to refuse.
    expect(destinationFolder('photos/', '//x')).toBe('/x/');
  });

  it('is the folder shown when nothing is typed', () => {
    expect(destinationFolder('photos/', '')).toBe('photos/');
  });
});

describe('copiedKey', () => {
  it('keeps what follows the folder the selection was made in', () => {
    expect(copiedKey('', 'photos/', 'archive/', 'photos/a.jpg')).toBe('archive/a.jpg');
    expect(copiedKey('', 'photos/', 'archive/', 'photos/2024/b.jpg')).toBe('archive/2024/b.jpg');
    expect(copiedKey('up/', '', 'old/', 'up/2024/b.jpg')).toBe('up/old/2024/b.jpg');
  });

  it('renames a folder when the folder itself is `from`, marker included', () => {
    expect(copiedKey('', 'old/', 'new/', 'old/a.txt')).toBe('new/a.txt');
    expect(copiedKey('', 'old/', 'new/', 'old/')).toBe('new/');
    expect(copiedKey('', 'a/old/', '', 'a/old/x//y')).toBe('x//y');
  });
});

describe('destinationProblem', () => {
  it('refuses the folder the selection is in', () => {
    expect(destinationProblem('photos/', 'photos/', [])).toMatch(/already in “photos\/”/);
    expect(destinationProblem('', '', [])).toMatch(/already in the top/);
  });

  it('refuses a ticked folder itself or any folder inside it', () => {
    expect(destinationProblem('', 'a/', ['a/'])).toBe('“a/” cannot go into itself.');
    expect(destinationProblem('', 'a/b/', ['x/', 'a/'])).toMatch(
      /“a\/” cannot go into itself \(“a\/b\/” is inside it\)/,
    );
  });

  it('takes a folder beside or above', () => {
    expect(destinationProblem('', 'ab/', ['a/'])).toBeNull();
    expect(destinationProblem('a/b/', 'a/', ['a/b/c/'])).toBeNull();
    expect(destinationProblem('old/', 'new/', ['old/'])).toBeNull();
  });
});

describe('foldersOfKeys', () => {
  it('names the folders right under `from` that the keys are in, once each', () => {
    expect(foldersOfKeys('up/', '', ['up/photos/a.jpg', 'up/photos/sub/b.jpg', 'up/x.txt'])).toEqual([
      'photos/',
    ]);
    expect(foldersOfKeys('', 'old/', ['old/', 'old/a.txt', 'old/sub/b', 'old//c'])).toEqual([
      'old/sub/',
      'old//',
    ]);
  });

  it('leaves out keys outside `from`', () => {
    expect(foldersOfKeys('up/', 'a/', ['up/b/c/d', 'other/a/x/y'])).toEqual([]);
  });
});
