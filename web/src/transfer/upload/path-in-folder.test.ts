import { describe, expect, it } from 'vitest';
import { pathInFolder } from './path-in-folder.ts';

describe('pathInFolder', () => {
  it('names a file by its path below the folder uploads go to', () => {
    expect(pathInFolder('docs/2024/plan.bin', 'docs/2024/')).toBe('plan.bin');
    expect(pathInFolder('docs/album/day 1/a.jpg', 'docs/')).toBe('album/day 1/a.jpg');
    expect(pathInFolder('plan.bin', '')).toBe('plan.bin');
  });

  it('names a file going elsewhere by its whole path, said to be from the top (no leading "/": a key of its own)', () => {
    expect(pathInFolder('docs/plan.bin', 'other/')).toBe('docs/plan.bin (from the top)');
    expect(pathInFolder('docs-old/plan.bin', 'docs/')).toBe('docs-old/plan.bin (from the top)');
    expect(pathInFolder('docs/', 'docs/')).toBe('docs/ (from the top)');
    // To the top of the bucket, seen from a folder: not the same name as one going into that folder.
    expect(pathInFolder('fr.bin', 'sub1/')).toBe('fr.bin (from the top)');
    expect(pathInFolder('sub1/fr.bin', 'sub1/')).toBe('fr.bin');
  });
});
