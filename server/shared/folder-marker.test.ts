import { describe, expect, it } from 'vitest';
import { isFolderMarker } from './folder-marker.ts';

describe('isFolderMarker', () => {
  it('is an empty object whose key ends in "/", and nothing else', () => {
    expect(isFolderMarker({ key: 'photos/', size: 0 })).toBe(true);
    // A key ending in "/" with bytes in it is an object to download, not a folder.
    expect(isFolderMarker({ key: 'keys/trailing/', size: 36 })).toBe(false);
    expect(isFolderMarker({ key: 'empty.txt', size: 0 })).toBe(false);
  });
});
