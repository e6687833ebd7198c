import { describe, expect, it } from 'vitest';
import { folderFromSearch, folderHref, searchWithFolder } from './folder-url.ts';

describe('folder in the URL', () => {
  it('reads the folder from ?prefix=, the top when absent', () => {
    expect(folderFromSearch('')).toBe('');
    expect(folderFromSearch('?prefix=')).toBe('');
    expect(folderFromSearch('?prefix=docs%2F2024%2F')).toBe('docs/2024/');
    expect(folderFromSearch('?prefix=docs/2024')).toBe('docs/2024/');
    expect(folderFromSearch('?prefix=a%20b%26c%2F')).toBe('a b&c/');
  });
  it('writes the folder and keeps other parameters, round-tripping odd names', () => {
    expect(searchWithFolder('', '')).toBe('');
    expect(searchWithFolder('?prefix=a%2F', '')).toBe('');
    expect(searchWithFolder('?x=1', 'a/')).toBe('?x=1&prefix=a%2F');
    for (const folder of ['a b&c=d/', 'é/ü/', 'a//b/', '100%/'])
      expect(folderFromSearch(searchWithFolder('', folder))).toBe(folder);
  });
  it('gives a folder link the query of its folder, and the top the bare path', () => {
    const at = { pathname: '/app/', search: '?prefix=cli%2F' };
    expect(folderHref(at, 'moved/')).toBe('?prefix=moved%2F');
    expect(folderHref(at, '')).toBe('/app/');
    expect(folderHref({ pathname: '/', search: '?x=1&prefix=a%2F' }, '')).toBe('?x=1');
    expect(folderFromSearch(folderHref({ pathname: '/', search: '' }, 'a b/ü//'))).toBe('a b/ü//');
  });
});
