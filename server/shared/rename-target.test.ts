import { describe, expect, it } from 'vitest';
import { renamedPath, renameTarget } from './rename-target.ts';

describe('renameTarget', () => {
  it('moves into a folder under the same name when the new path ends in "/"', () => {
    expect(renameTarget('docs/report.pdf', 'newdir/')).toBe('newdir/report.pdf');
    expect(renameTarget('report.pdf', 'a/b/')).toBe('a/b/report.pdf');
    expect(renameTarget('p/docs/archive.tar.gz', 'p/docs/old/')).toBe('p/docs/old/archive.tar.gz');
  });

  it('takes any other path as the new key itself', () => {
    expect(renameTarget('docs/report.pdf', 'final.pdf')).toBe('final.pdf');
    expect(renameTarget('docs/report.pdf', '2024/final.pdf')).toBe('2024/final.pdf');
  });

  it('leaves a doubled slash for the key rules to refuse', () => {
    expect(renameTarget('report.pdf', 'newdir//')).toBe('newdir//report.pdf');
  });
});

describe('renamedPath', () => {
  it('takes a path relative to the folder the object is in', () => {
    expect(renamedPath('cli/', 'cli/big.bin', 'moved/')).toBe('cli/moved/big.bin');
    expect(renamedPath('cli/', 'cli/big.bin', 'big2.bin')).toBe('cli/big2.bin');
    expect(renamedPath('', 'big.bin', 'a/b.bin')).toBe('a/b.bin');
  });

  it('takes a path starting with "/" from the top, and "/" alone as the top under its own name', () => {
    expect(renamedPath('cli/', 'cli/big.bin', '/moved/')).toBe('moved/big.bin');
    expect(renamedPath('cli/', 'cli/big.bin', '/moved/new.bin')).toBe('moved/new.bin');
    expect(renamedPath('a/b/', 'a/b/big.bin', '/')).toBe('big.bin');
    expect(renamedPath('', 'big.bin', '/')).toBe('big.bin');
  });

  it('takes off one "/" only, and leaves ".." in place, for the key rules to refuse', () => {
    expect(renamedPath('cli/', 'cli/big.bin', '//x')).toBe('/x');
    expect(renamedPath('cli/', 'cli/big.bin', '../moved/')).toBe('cli/../moved/big.bin');
  });
});
