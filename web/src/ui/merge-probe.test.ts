import { describe, expect, it } from 'vitest';
import { holdsObjects } from './merge-probe.ts';

const entry = (key: string, size: number) => ({ key, size, lastModified: '', etag: '"e"' });

describe('holdsObjects', () => {
  it('takes a folder with only its console-made markers as empty', () => {
    expect(holdsObjects({ objects: [entry('new/', 0)], nextCursor: null })).toBe(false);
    expect(holdsObjects({ objects: [entry('new/', 0), entry('new/sub/', 0)], nextCursor: null })).toBe(false);
    expect(holdsObjects({ objects: [], nextCursor: null })).toBe(false);
  });

  it('sees an object beside the marker, or a key ending in "/" that holds bytes', () => {
    expect(holdsObjects({ objects: [entry('new/', 0), entry('new/a.txt', 3)], nextCursor: null })).toBe(true);
    expect(holdsObjects({ objects: [entry('new/odd/', 5)], nextCursor: null })).toBe(true);
  });

  it('counts markers with more keys after them as holding objects (what follows is not known)', () => {
    expect(holdsObjects({ objects: [entry('new/', 0)], nextCursor: 'c' })).toBe(true);
  });
});
