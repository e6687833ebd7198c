import { describe, expect, it } from 'vitest';
import { viewedContentType } from './viewed-type.ts';

describe('viewedContentType', () => {
  it('leaves a stored type that says what the bytes are, HTML and SVG included', () => {
    expect(viewedContentType('photo.png', 'image/png')).toBeUndefined();
    expect(viewedContentType('notes.txt', 'text/plain')).toBeUndefined();
    expect(viewedContentType('page.png', 'text/html; charset=utf-8')).toBeUndefined();
    expect(viewedContentType('logo.svg', 'image/svg+xml')).toBeUndefined();
    // A type the browser saves rather than shows is the owner's word too.
    expect(viewedContentType('data.json', 'application/zip')).toBeUndefined();
  });

  it("names a type by the extension when the stored one says nothing (the CLI's binary/octet-stream)", () => {
    expect(viewedContentType('photo.JPG', 'binary/octet-stream')).toBe('image/jpeg');
    expect(viewedContentType('a/b/report.pdf', 'application/octet-stream')).toBe('application/pdf');
    expect(viewedContentType('notes.txt', null)).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('build.log', '')).toBe('text/plain; charset=utf-8');
    expect(viewedContentType('clip.webm', 'Application/Octet-Stream; x=1')).toBe('video/webm');
    expect(viewedContentType('song.mp3', undefined)).toBe('audio/mpeg');
  });

  it('never guesses a type a browser would run, nor one for an unknown or missing extension', () => {
    expect(viewedContentType('index.html', 'binary/octet-stream')).toBeUndefined();
    expect(viewedContentType('logo.svg', 'application/octet-stream')).toBeUndefined();
    expect(viewedContentType('feed.xml', 'binary/octet-stream')).toBeUndefined();
    expect(viewedContentType('archive.zip', 'binary/octet-stream')).toBeUndefined();
    expect(viewedContentType('README', 'binary/octet-stream')).toBeUndefined();
    expect(viewedContentType('.txt', 'binary/octet-stream')).toBeUndefined();
    expect(viewedContentType('name.', 'binary/octet-stream')).toBeUndefined();
  });

  it('answers a type a browser sniffs (none, application/unknown) with one it saves, where the name says nothing shown', () => {
    expect(viewedContentType('index.html', 'application/unknown')).toBe('application/octet-stream');
    expect(viewedContentType('index.html', null)).toBe('application/octet-stream');
    expect(viewedContentType('README', '*/*')).toBe('application/octet-stream');
    expect(viewedContentType('notes.txt', 'application/unknown')).toBe('text/plain; charset=utf-8');
  });
});
