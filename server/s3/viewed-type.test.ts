import { describe, expect, it } from 'vitest';
import { viewedContentType } from './viewed-type.ts';

/** The embedded store, which answers markup sandboxed. */
const embedded = { sandboxed: true };

describe('viewedContentType', () => {
  it('leaves a stored type that says what the bytes are, HTML and SVG included', () => {
    expect(viewedContentType('photo.png', 'image/png', embedded)).toBeUndefined();
    expect(viewedContentType('notes.txt', 'text/plain; charset=ISO-8859-1', embedded)).toBeUndefined();
    expect(viewedContentType('page.png', 'text/html; charset=utf-8', embedded)).toBeUndefined();
    expect(viewedContentType('logo.svg', 'image/svg+xml', embedded)).toBeUndefined();
    // A type the browser saves rather than shows is the owner's word too.
    expect(viewedContentType('data.json', 'application/zip', embedded)).toBeUndefined();
  });

  it("names a type by the extension when the stored one says nothing (the CLI's binary/octet-stream)", () => {
    expect(viewedContentType('photo.JPG', 'binary/octet-stream', embedded)).toBe('image/jpeg');
    expect(viewedContentType('a/b/report.pdf', 'application/octet-stream', embedded)).toBe('application/pdf');
    expect(viewedContentType('notes.txt', null, embedded)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('build.log', '', embedded)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('clip.webm', 'Application/Octet-Stream; x=1', embedded)).toBe('video/webm');
    expect(viewedContentType('song.mp3', undefined, embedded)).toBe('audio/mpeg');
  });

  it('never guesses a type a browser would run, nor one for an unknown or missing extension', () => {
    expect(viewedContentType('index.html', 'binary/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('logo.svg', 'application/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('feed.xml', 'binary/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('archive.zip', 'binary/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('README', 'binary/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('.txt', 'binary/octet-stream', embedded)).toBeUndefined();
    expect(viewedContentType('name.', 'binary/octet-stream', embedded)).toBeUndefined();
  });

  it('answers a type a browser sniffs (none, application/unknown) with one it saves, where the name says nothing shown', () => {
    expect(viewedContentType('index.html', 'application/unknown', embedded)).toBe('application/octet-stream');
    expect(viewedContentType('index.html', null, embedded)).toBe('application/octet-stream');
    expect(viewedContentType('README', '*/*', embedded)).toBe('application/octet-stream');
    expect(viewedContentType('notes.txt', 'application/unknown', embedded)).toBe('text/plain; charset=utf-8');
  });

  it("shows another store's markup as its text: a presigned GET cannot sandbox it", () => {
    const other = { sandboxed: false };
    expect(viewedContentType('page.html', 'text/html; charset=utf-8', other)).toBe(
      'text/plain; charset=utf-8',
    );
    expect(viewedContentType('logo.svg', 'image/svg+xml', other)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('feed.rss', 'application/rss+xml', other)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('photo.png', 'image/png', other)).toBeUndefined();
    expect(viewedContentType('index.html', 'application/unknown', other)).toBe('application/octet-stream');
  });

  it('reads text stored without a charset as UTF-8, and leaves a stated one alone', () => {
    expect(viewedContentType('notes.txt', 'text/plain', embedded)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('data.csv', 'Text/CSV', embedded)).toBe('text/csv; charset=utf-8');
    expect(viewedContentType('old.txt', 'text/plain; Charset="windows-1252"', embedded)).toBeUndefined();
    // A page's own <meta charset> is not overridden.
    expect(viewedContentType('page.html', 'text/html', embedded)).toBeUndefined();
  });
});
