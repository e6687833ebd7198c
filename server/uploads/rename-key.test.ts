import { describe, expect, it } from 'vitest';
import { KeyError } from './object-key.ts';
import { folderForCopy, keyForRename } from './rename-key.ts';

const problemOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('no KeyError');
};

describe('keyForRename', () => {
  it('puts a relative path in the folder shown, under the prefix', () => {
    expect(keyForRename('', 'cli/', 'cli/big60-v1.bin', 'moved/')).toBe('cli/moved/big60-v1.bin');
    expect(keyForRename('up/', 'cli/', 'up/cli/big.bin', 'v2.bin')).toBe('up/cli/v2.bin');
  });

  it('takes a path starting with "/" from the top of the bucket, or of the key prefix', () => {
    expect(keyForRename('', 'cli/', 'cli/big60-v1.bin', '/moved/')).toBe('moved/big60-v1.bin');
    expect(keyForRename('', 'cli/', 'cli/big60-v1.bin', '/')).toBe('big60-v1.bin');
    expect(keyForRename('up/', 'cli/', 'up/cli/big.bin', '/moved/')).toBe('up/moved/big.bin');
    expect(keyForRename('up/', 'a/b/', 'up/a/b/big.bin', '/')).toBe('up/big.bin');
  });

  it('keeps the folder shown and the name moved into a folder as listed; what is typed is NFC', () => {
    const nfd = 'Re\u0301sume\u0301/';
    expect(keyForRename('', nfd, nfd + 'cv.pdf', 'cv-2024.pdf')).toBe(nfd + 'cv-2024.pdf');
    expect(keyForRename('', 'x//', 'x//y.txt', 'z.txt')).toBe('x//z.txt');
    expect(keyForRename('', '/', '/lead.txt', 'led.txt')).toBe('/led.txt');
    expect(keyForRename('', 'a/', 'a/' + nfd + 'f', 'Cafe\u0301/')).toBe('a/Café/f');
    expect(keyForRename('', '', 'Cafe\u0301.txt', 'moved/')).toBe('moved/Cafe\u0301.txt');
    expect(problemOf(() => keyForRename('', 'x//', 'x//y.txt', 'a//b')).problem).toBe('empty-segment');
  });

  it('refuses ".." and says how to move elsewhere: start the path with "/"', () => {
    const refused = problemOf(() => keyForRename('', 'cli/', 'cli/big60-v1.bin', '../moved/'));
    expect(refused.problem).toBe('dot-segment');
    expect(refused.message).toContain('".."');
    expect(refused.message).toContain('start the path with "/", the top of the bucket');
    const under = problemOf(() => keyForRename('up/', '', 'up/x', './x'));
    expect(under.message).toMatch(/"\." as a folder name.*the top of “up”/);
  });

  it('refuses "//" at the start with a message about the one "/" a path from the top takes', () => {
    const refused = problemOf(() => keyForRename('', 'cli/', 'cli/x', '//x'));
    expect(refused.problem).toBe('absolute');
    expect(refused.message).toContain('one "/" only');
    expect(problemOf(() => keyForRename('', 'cli/', 'cli/x', '/a//b')).problem).toBe('empty-segment');
  });
});

describe('folderForCopy', () => {
  it('resolves the destination folder as a rename path is resolved', () => {
    expect(folderForCopy('', 'photos/', 'archive')).toBe('photos/archive/');
    expect(folderForCopy('up/', 'photos/', '/archive/')).toBe('archive/');
    expect(folderForCopy('up/', 'photos/', '/')).toBe('');
  });

  it('refuses a folder Hoist would not write, with the rename explanations', () => {
    expect(problemOf(() => folderForCopy('', 'a/', '../b'))).toMatchObject({
      problem: 'dot-segment',
      message: expect.stringContaining('start the path with "/"'),
    });
    expect(problemOf(() => folderForCopy('', 'a/', '//b')).problem).toBe('absolute');
    expect(problemOf(() => folderForCopy('', 'a/', 'x//y')).problem).toBe('empty-segment');
  });

  it('keeps the folder shown as listed, checking only what was typed', () => {
    expect(folderForCopy('', 'x//', 'archive')).toBe('x//archive/');
    expect(folderForCopy('', 'Re\u0301sume\u0301/', 'Cafe\u0301')).toBe('Re\u0301sume\u0301/Café/');
    expect(folderForCopy('', 'x//', '')).toBe('x//');
  });
});
