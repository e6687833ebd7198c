import { describe, expect, it } from 'vitest';
import { contentTypeFor, UNKNOWN_TYPE } from './content-type.ts';

describe('contentTypeFor', () => {
  it("keeps the browser's type, even where the extension says otherwise (as the S3 console does)", () => {
    expect(contentTypeFor('font.otf', 'application/vnd.oasis.opendocument.formula-template')).toBe(
      'application/vnd.oasis.opendocument.formula-template',
    );
    expect(contentTypeFor('page.html', 'text/html; charset=utf-8')).toBe('text/html; charset=utf-8');
  });

  it('looks the extension up where the browser knew no type', () => {
    expect(contentTypeFor('site.webmanifest', '')).toBe('application/manifest+json');
    expect(contentTypeFor('README.md', '')).toBe('text/markdown');
    expect(contentTypeFor('IMG_0001.HEIC', '')).toBe('image/heic');
    expect(contentTypeFor('fonts/a.eot', '')).toBe('application/vnd.ms-fontobject');
  });

  it('looks it up for a type the browser gave that is no media type', () => {
    expect(contentTypeFor('photo.jpg', 'jpeg')).toBe('image/jpeg');
  });

  it('says octet-stream for a name with no known extension', () => {
    expect(contentTypeFor('Makefile', '')).toBe(UNKNOWN_TYPE);
    expect(contentTypeFor('data.parquet-v9', '')).toBe(UNKNOWN_TYPE);
    expect(contentTypeFor('.bashrc', '')).toBe(UNKNOWN_TYPE);
  });
});
