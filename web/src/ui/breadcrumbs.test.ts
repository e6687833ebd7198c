import { describe, expect, it } from 'vitest';
import { breadcrumbs, collapseCrumbs, shortFolderLabel } from './breadcrumbs.ts';

describe('breadcrumbs', () => {
  it('names the top "Bucket", or the server prefix, then one crumb per folder', () => {
    expect(breadcrumbs('', 'a/b/')).toEqual([
      { label: 'Bucket', prefix: '' },
      { label: 'a', prefix: 'a/' },
      { label: 'b', prefix: 'a/b/' },
    ]);
    expect(breadcrumbs('uploads/', 'uploads/x/')).toEqual([
      { label: 'uploads', prefix: 'uploads/' },
      { label: 'x', prefix: 'uploads/x/' },
    ]);
  });

  it('gives a folder with an empty name ("a//", "//") a crumb of its own', () => {
    expect(breadcrumbs('', 'a//')).toEqual([
      { label: 'Bucket', prefix: '' },
      { label: 'a', prefix: 'a/' },
      { label: '“”', prefix: 'a//' },
    ]);
    expect(breadcrumbs('', '//b/').map((c) => c.prefix)).toEqual(['', '/', '//', '//b/']);
  });
});

describe('collapseCrumbs', () => {
  it('keeps a short trail whole', () => {
    const crumbs = breadcrumbs('', 'a/b/c/');
    expect(collapseCrumbs(crumbs)).toEqual(crumbs);
  });

  it('keeps the top, the parent and the folder shown of a deep trail; the gap holds the rest in order', () => {
    const crumbs = breadcrumbs('', 'a/b/c/d/e/f/');
    const shown = collapseCrumbs(crumbs);
    expect(shown).toEqual([crumbs[0], { gap: crumbs.slice(1, 5) }, crumbs[5], crumbs[6]]);
  });

  it('never shows more than the maximum, gap included', () => {
    for (let depth = 0; depth < 12; depth++) {
      const prefix = Array.from({ length: depth }, (_, i) => `f${i}/`).join('');
      const shown = collapseCrumbs(breadcrumbs('', prefix));
      expect(shown.length).toBeLessThanOrEqual(4);
      // The folder shown is always last and whole.
      expect(shown.at(-1)).toEqual({ label: depth ? `f${depth - 1}` : 'Bucket', prefix });
    }
  });
});

describe('shortFolderLabel', () => {
  it('says a short path whole, and cuts a long one in the middle as the trail does', () => {
    expect(shortFolderLabel('Bucket', '')).toBe('Bucket');
    expect(shortFolderLabel('Bucket', 'a/b/c/')).toBe('Bucket / a / b / c');
    expect(shortFolderLabel('Bucket', 'a/b/c/d/')).toBe('Bucket / … / c / d');
    expect(shortFolderLabel('uploads', `odd/${'d/'.repeat(300)}`)).toBe('uploads / … / d / d');
    // Levels named as the trail names them: an empty one is "“”".
    expect(shortFolderLabel('Bucket', 'a/b/c//')).toBe('Bucket / … / c / “”');
  });
});
