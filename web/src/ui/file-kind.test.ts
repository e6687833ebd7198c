import { describe, expect, it } from 'vitest';
import { fileKind } from './file-kind.ts';

describe('fileKind', () => {
  it('goes by the extension, in any case', () => {
    expect(fileKind('holiday/IMG_0001.JPG')).toBe('image');
    expect(fileKind('talk.webm')).toBe('video');
    expect(fileKind('song.flac')).toBe('audio');
    expect(fileKind('backup.tar.gz')).toBe('archive');
    expect(fileKind('report.pdf')).toBe('document');
    expect(fileKind('disk.img')).toBe('file');
  });

  it('takes a name with no extension, only one, or a trailing dot as a plain file', () => {
    expect(fileKind('README')).toBe('file');
    expect(fileKind('.png')).toBe('file');
    expect(fileKind('notes.')).toBe('file');
  });
});
