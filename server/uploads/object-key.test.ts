import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberedKey } from '../shared/numbered-name.ts';
import {
  KeyError,
  browserUnsafeSegment,
  isManagedKey,
  keyForNewFolder,
  keyForUpload,
  otherKeySpellings,
  validateRelativeKey,
} from './object-key.ts';

describe('keyForUpload', () => {
  it('puts the name, or the folder path, under the prefix', () => {
    expect(keyForUpload('uploads/', 'a.txt')).toBe('uploads/a.txt');
    expect(keyForUpload('', 'a.txt', 'photos/2024/a.txt')).toBe('photos/2024/a.txt');
  });

  it('keeps unicode and spaces, normalised to NFC', () => {
    const nfd = 'Cafe\u0301 menu.pdf';
    expect(keyForUpload('', nfd)).toBe('Café menu.pdf');
    expect(keyForUpload('', nfd)).toBe(keyForUpload('', nfd.normalize('NFC')));
  });

  it('gives the spellings other tools may have written the same name under, where they differ from NFC', () => {
    const nfc = 'Café menu.pdf'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(otherKeySpellings('p/', nfd)).toEqual(['p/' + nfd]);
    expect(otherKeySpellings('p/', nfc)).toEqual(['p/' + nfd]);
    expect(otherKeySpellings('p/', 'x', `Ordner/${nfd}`)).toEqual([`p/Ordner/${nfd}`]);
    expect(otherKeySpellings('p/', nfd, undefined, 'x//')).toEqual([`p/x//${nfd}`]);
    expect(otherKeySpellings('p/', 'menu.pdf')).toEqual([]);
    // Too long for S3 once decomposed: no object has that key.
    expect(otherKeySpellings('', 'é'.repeat(600))).toEqual([]);
  });

  it('keeps the folder it goes into as listed (NFD, "x//"), and normalises and checks only the path below it', () => {
    const nfdFolder = 'Re\u0301sume\u0301/';
    expect(keyForUpload('p/', 'cv.pdf', 'cv.pdf', nfdFolder)).toBe('p/' + nfdFolder + 'cv.pdf');
    expect(keyForUpload('', 'x', 'Cafe\u0301/x', 'x//')).toBe('x//Café/x');
    expect(() => keyForUpload('', 'x', 'a//x', 'x//')).toThrow(KeyError);
    expect(() => keyForUpload('', 'x', '../x', 'a/')).toThrow(KeyError);
    expect(() => keyForUpload('', 'x', 'x', 'é'.repeat(512) + '/')).toThrow(/bytes; S3 allows/);
  });

  it('refuses a folder with a "." or ".." folder name or a control character, however it was listed', () => {
    for (const folder of ['../', 'a/../', './', 'a/./b/']) {
      expect(() => keyForUpload('p/', 'x', 'x', folder)).toThrow(/folder named "\.{1,2}"/);
    }
    expect(() => keyForUpload('p/', 'x', 'x', 'a\u0001/')).toThrow(/control character/);
    expect(() => keyForUpload('p/', 'x', 'x', 'a\ud800/')).toThrow(/not valid Unicode/);
  });

  it.each([
    ['..', 'dot-segment'],
    ['a/../b', 'dot-segment'],
    ['./a', 'dot-segment'],
    ['/etc/passwd', 'absolute'],
    ['a//b', 'empty-segment'],
    ['a\u0000b', 'control-character'],
    ['line\nbreak', 'control-character'],
    ['a\ud800b.txt', 'not-unicode'],
    ['\udc00', 'not-unicode'],
    ['x'.repeat(1025), 'too-long'],
    ['', 'empty'],
  ])('refuses %j (%s)', (path, problem) => {
    expect(() => keyForUpload('', path)).toThrow(KeyError);
    try {
      validateRelativeKey(path);
    } catch (error) {
      expect((error as KeyError).problem).toBe(problem);
    }
  });

  it('counts the limit in UTF-8 bytes, prefix included', () => {
    expect(() => keyForUpload('', 'é'.repeat(512))).not.toThrow();
    expect(() => keyForUpload('', 'é'.repeat(513))).toThrow(/1026 bytes/);
    expect(() => keyForUpload('p/', 'é'.repeat(512))).toThrow(KeyError);
    // The key is what is counted, the folder included, however long the path is on its own.
    expect(() => keyForUpload('photos/', 'x'.repeat(1045))).toThrow(
      'The object key is 1052 bytes; S3 allows at most 1024.',
    );
  });

  it('never yields a key outside the prefix or with a dot segment (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (path) => {
        try {
          const key = keyForUpload('pre/', 'name', path);
          expect(key.startsWith('pre/')).toBe(true);
          expect(key.split('/')).not.toContain('..');
          expect(isManagedKey('pre/', key)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(KeyError);
        }
      }),
      { numRuns: 2000 },
    );
  }, 20_000); // 2 s alone; more beside the contract run against Ceph RGW in CI
});

describe('keyForNewFolder', () => {
  it('is the folder shown, the typed name in NFC, and "/" (the S3 console\'s "Create folder" marker)', () => {
    expect(keyForNewFolder('', '', 'reports')).toBe('reports/');
    expect(keyForNewFolder('team/', 'a//', 'cafe\u0301')).toBe('team/a//caf\u00e9/');
  });

  it('refuses what the key rules refuse, and a name with "/"', () => {
    for (const name of ['', '.', '..', 'a/b', 'bad\u0007', '\ud800'])
      expect(() => keyForNewFolder('', '', name), name).toThrow(KeyError);
    expect(() => keyForNewFolder('', '../', 'x')).toThrow(KeyError);
    expect(() => keyForNewFolder('', '', 'x'.repeat(1024))).toThrow(/1025 bytes; S3 allows at most 1024/);
    expect(keyForNewFolder('', '', 'x'.repeat(1023))).toHaveLength(1024);
  });
});

describe('isManagedKey', () => {
  it('accepts any key under the prefix, also ones Hoist would not write, and refuses others', () => {
    expect(isManagedKey('u/', 'u/a')).toBe(true);
    for (const odd of ['u/../a', 'u/a//b', 'u//lead', 'u/x/./y', 'u/tab\there'])
      expect(isManagedKey('u/', odd)).toBe(true);
    expect(isManagedKey('u/', 'v/a')).toBe(false);
    expect(isManagedKey('u/', 'u/')).toBe(false);
    expect(isManagedKey('', 'x'.repeat(1025))).toBe(false);
    expect(isManagedKey('u/', 'u/a\ud800')).toBe(false); // no UTF-8 for it: no S3 key
    expect(isManagedKey('u/', 'u/😀')).toBe(true);
  });
});

describe('browserUnsafeSegment', () => {
  it('names the dot segment a browser would resolve away', () => {
    expect(browserUnsafeSegment('../up.txt')).toBe('..');
    expect(browserUnsafeSegment('x/./y.txt')).toBe('.');
    expect(browserUnsafeSegment('a/..b/c.')).toBeNull();
    expect(browserUnsafeSegment('a//b.txt')).toBeNull();
    expect(browserUnsafeSegment('/lead.txt')).toBeNull();
  });
});

describe('numberedKey', () => {
  it('numbers before the extension, keeping the folder', () => {
    expect(numberedKey('docs/report.pdf', 1)).toBe('docs/report (1).pdf');
    expect(numberedKey('backup.tar.gz', 2)).toBe('backup (2).tar.gz');
    expect(numberedKey('README', 3)).toBe('README (3)');
    expect(numberedKey('.env', 1)).toBe('.env (1)');
  });

  it('shortens the stem, whole characters at a time, to stay within a byte limit', () => {
    const long = `docs/${'é'.repeat(505)}.pdf`; // 1,019 bytes
    const numbered = numberedKey(long, 12, 1024);
    expect(Buffer.byteLength(numbered)).toBeLessThanOrEqual(1024);
    expect(numbered).toMatch(/^docs\/é+ \(12\)\.pdf$/);
    expect(Buffer.from(numbered).toString()).toBe(numbered); // no half of a character left
    expect(numberedKey('😀'.repeat(256), 1, 1024)).toBe(`${'😀'.repeat(255)} (1)`);
    expect(numberedKey('short.txt', 1, 1024)).toBe('short (1).txt');
  });
});
