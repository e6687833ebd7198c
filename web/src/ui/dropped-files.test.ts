import { describe, expect, it } from 'vitest';
import { carriesFiles } from './dropped-files.ts';

describe('carriesFiles', () => {
  it('is true for a drag of files, whatever else it carries', () => {
    expect(carriesFiles(['Files'])).toBe(true);
    expect(carriesFiles(['text/uri-list', 'Files'])).toBe(true);
  });

  it('is false for text, links and drags with no data', () => {
    expect(carriesFiles(['text/plain'])).toBe(false);
    expect(carriesFiles(['text/uri-list', 'text/html'])).toBe(false);
    expect(carriesFiles([])).toBe(false);
    expect(carriesFiles(undefined)).toBe(false);
  });
});
