import { describe, expect, it } from 'vitest';
import { breadcrumbs } from './breadcrumbs.ts';
import { folderLabel, folderNameProblem, intoFolder } from './upload-folder.ts';

const file = (name: string) => new File(['x'], name) as File & { name: string };

describe('intoFolder', () => {
  it('leaves files alone at the top', () => {
    const input = { file: file('a.txt') };
    expect(intoFolder('', input)).toBe(input);
  });

  it('puts a picked file under the folder', () => {
    expect(intoFolder('docs/2024/', { file: file('a.txt') })).toMatchObject({
      relativePath: 'docs/2024/a.txt',
      folder: 'docs/2024/',
    });
  });

  it("keeps a picked folder's own path below the folder", () => {
    const out = intoFolder('docs/', { file: file('b.jpg'), relativePath: 'album/day 1/b.jpg' });
    expect(out.relativePath).toBe('docs/album/day 1/b.jpg');
    expect(out.file.name).toBe('b.jpg');
  });
});

describe('folderNameProblem', () => {
  it('accepts ordinary and unicode names', () => {
    expect(folderNameProblem('reports')).toBeNull();
    expect(folderNameProblem('Ünïcødé 2024 (final)')).toBeNull();
  });

  it.each([
    ['', /Type a name/],
    ['a/b', /cannot contain "\/"/],
    ['.', /cannot be a folder name/],
    ['..', /cannot be a folder name/],
    ['tab\there', /control characters/],
    ['é'.repeat(257), /at most 512 bytes/],
  ])('refuses %j', (name, message) => {
    expect(folderNameProblem(name)).toMatch(message);
  });
});

describe('folderLabel', () => {
  it('joins the trail', () => {
    expect(folderLabel('Bucket', '')).toBe('Bucket');
    expect(folderLabel('Bucket', 'docs/2024/')).toBe('Bucket / docs / 2024');
  });

  it('names a folder with an empty name as the breadcrumbs do, not the folder above it', () => {
    // Browsing "uploads//" (a key "uploads//lead.txt" another tool wrote): the files go there.
    expect(folderLabel('uploads', '/')).toBe('uploads / “”');
    expect(folderLabel('Bucket', 'a//b/')).toBe('Bucket / a / “” / b');
    expect(folderLabel('uploads', '/../')).toBe('uploads / “” / ..');
    for (const folder of ['/', 'a//b/', '/../', '//']) {
      const trail = breadcrumbs('uploads/', `uploads/${folder}`).map((c) => c.label);
      expect(folderLabel('uploads', folder)).toBe(trail.join(' / '));
    }
  });
});
