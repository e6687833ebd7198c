import { describe, expect, it } from 'vitest';
import { renameTarget } from './rename-target.ts';

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
