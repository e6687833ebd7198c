import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  keyToRelativePath,
  numberedPath,
  planRelativePaths,
  sanitizeSegment,
} from './key-to-relative-path.ts';

/** What a path must satisfy to stay inside the chosen folder and be writable everywhere. */
function assertSafe(path: string): void {
  expect(path).not.toMatch(/^\//);
  // eslint-disable-next-line no-control-regex -- control characters are what must not appear
  expect(path).not.toMatch(/[\\:*?"<>|\u0000-\u001f\u007f]/);
  for (const segment of path.split('/')) {
    expect(segment).not.toBe('');
    expect(segment).not.toBe('.');
    expect(segment).not.toBe('..');
    expect(segment).not.toMatch(/[. ]$/);
    expect(segment.length).toBeLessThanOrEqual(255);
  }
}

describe('keyToRelativePath', () => {
  it('strips the browsed prefix', () => {
    expect(keyToRelativePath('photos/2024/a.jpg', 'photos/')).toBe('2024/a.jpg');
    expect(keyToRelativePath('photos/a.jpg', '')).toBe('photos/a.jpg');
  });

  it('strips a prefix without its slash only at a segment boundary', () => {
    expect(keyToRelativePath('photos/a.jpg', 'photos')).toBe('a.jpg');
    expect(keyToRelativePath('photosX/a.jpg', 'photos')).toBe('photosX/a.jpg');
  });

  it('never steps out of the folder', () => {
    expect(keyToRelativePath('../x')).toBe('__/x');
    expect(keyToRelativePath('/abs')).toBe('abs');
    expect(keyToRelativePath('a/../../b')).toBe('a/__/__/b');
    expect(keyToRelativePath('./a/./b')).toBe('_/a/_/b');
    expect(keyToRelativePath('p/../../etc/passwd', 'p/')).toBe('__/__/etc/passwd');
    expect(keyToRelativePath('...')).toBe('___');
  });

  it('replaces characters file systems refuse', () => {
    expect(keyToRelativePath('C:\\x')).toBe('C__x');
    expect(keyToRelativePath('a\u0000b')).toBe('a_b');
    expect(keyToRelativePath('what?<>|"*.txt')).toBe('what______.txt');
    expect(keyToRelativePath('tab\there')).toBe('tab_here');
    expect(keyToRelativePath('dir./name ')).toBe('dir_/name_');
  });

  it('guards Windows device names', () => {
    expect(keyToRelativePath('CON')).toBe('_CON');
    expect(keyToRelativePath('logs/nul.txt')).toBe('logs/_nul.txt');
    expect(keyToRelativePath('console.txt')).toBe('console.txt');
  });

  it('keeps unicode as it is', () => {
    expect(keyToRelativePath('фото/日本語 ✓.png')).toBe('фото/日本語 ✓.png');
  });

  it('maps folder markers and empty keys to null', () => {
    expect(keyToRelativePath('photos/', 'photos/')).toBeNull();
    expect(keyToRelativePath('a//', '')).toBe('a');
    expect(keyToRelativePath('///')).toBeNull();
  });

  it('shortens long names and keeps the extension', () => {
    const name = sanitizeSegment(`${'x'.repeat(300)}.tar.gz`);
    expect(name.length).toBe(255);
    expect(name.endsWith('.gz')).toBe(true);
  });

  it('counts a name in UTF-8 bytes, as ext4 and APFS do, never cutting a character in half', () => {
    // 100 Japanese characters: 100 UTF-16 units, but 300 bytes, more than a Linux or macOS name takes.
    const name = sanitizeSegment(`${'東'.repeat(100)}.pdf`);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
    expect(name).toBe(`${'東'.repeat(83)}.pdf`);
    const emoji = sanitizeSegment('😀'.repeat(70)); // 280 bytes
    expect(emoji).toBe('😀'.repeat(63));
    // A "keep both" copy of a name at the limit still fits: the stem gives way to the number.
    const copy = numberedPath(`docs/${name}`, 12);
    expect(copy).toBe(`docs/${'東'.repeat(82)} (12).pdf`);
    expect(new TextEncoder().encode(copy.slice(5)).length).toBeLessThanOrEqual(255);
  });

  it('maps keys other S3 clients write to names inside the folder', () => {
    expect(
      planRelativePaths([
        '../up.txt',
        'a//b.txt',
        '/lead.txt',
        'x/./y.txt',
        'tab\tname.txt',
        'win:*?"<>|.txt',
        'trailing.',
        'trailing ',
      ]),
    ).toEqual([
      '__/up.txt',
      'a/b.txt',
      'lead.txt',
      'x/_/y.txt',
      'tab_name.txt',
      'win_______.txt',
      'trailing_',
      'trailing_ (1)', // the same name once made safe: kept apart
    ]);
  });

  it("also avoids what Chromium's File System Access API refuses (a TypeError otherwise)", () => {
    expect(sanitizeSegment('zero\u200bwidth\u00adsoft')).toBe('zero_width_soft');
    expect(sanitizeSegment('\ufeffbom')).toBe('_bom');
    expect(sanitizeSegment(' lead space')).toBe('_lead space');
    expect(sanitizeSegment('nbsp\u00a0')).toBe('nbsp_');
    expect(sanitizeSegment('~lock.docx')).toBe('_lock.docx');
    expect(sanitizeSegment('backup~')).toBe('backup_');
    expect(sanitizeSegment('.git')).toBe('.git');
    expect(sanitizeSegment('..hidden')).toBe('._hidden');
    expect(sanitizeSegment('run.lnk')).toBe('run.lnk_');
    expect(sanitizeSegment('x.{21EC2020-3AEA-1069-A2DD-08002B30309D}')).toMatch(/\}_$/);
    expect(sanitizeSegment('mid~dle')).toBe('mid~dle');
  });

  it('never gives a name that ends like a file still being written (".hoist-partial")', () => {
    expect(sanitizeSegment('v.bin.hoist-partial')).toBe('v.bin.hoist-partial_');
    expect(sanitizeSegment('V.BIN.Hoist-Partial')).toBe('V.BIN.Hoist-Partial_');
    expect(sanitizeSegment('v.hoist-partial.')).toBe('v.hoist-partial_');
    const long = sanitizeSegment(`${'x'.repeat(300)}.hoist-partial`);
    expect(long).toHaveLength(255);
    expect(long).not.toMatch(/\.hoist-partial$/i);
    expect(planRelativePaths(['v.bin', 'v.bin.hoist-partial'])).toEqual(['v.bin', 'v.bin.hoist-partial_']);
  });

  // Graphemes are slow to generate: about 1 s alone, 5 s (vitest's default limit) on a busy 2-core box.
  it('gives names Chromium accepts, whatever the key (property)', () => {
    // base::i18n::IsFilenameLegal, as FileSystemAccessDirectoryHandleImpl::IsSafePathComponent uses it.
    const illegalAnywhere = /[\\/:*?"<>|\p{Cc}\p{Cf}\p{Noncharacter_Code_Point}]/u;
    const illegalAtEnds = /[\p{White_Space}.~]/u;
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 12 }),
        fc.string({ unit: 'binary', maxLength: 6 }),
        (a, b) => {
          const name = sanitizeSegment(a + b);
          if (name === '') return;
          const body = name.startsWith('.') ? name.slice(1) : name;
          expect(body).not.toMatch(illegalAnywhere);
          if (body === '') return;
          expect([...body][0]).not.toMatch(illegalAtEnds);
          expect([...body].at(-1)).not.toMatch(illegalAtEnds);
          expect(name).not.toMatch(/\.(lnk|scf|url)$/i);
        },
      ),
    );
  }, 20_000);

  it('never escapes, whatever the key (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom('..', '.', '', '/', '\\', 'C:', '\u0000', ' ', 'CON', 'a', 'é', '日本', '\u202e'),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.constantFrom('', 'p/', 'p'), (parts, prefix) => {
        const path = keyToRelativePath(parts.join(''), prefix);
        if (path !== null) assertSafe(path);
      }),
      { numRuns: 500 },
    );
  });
});

describe('planRelativePaths', () => {
  it('renames an object that is also a folder of others', () => {
    expect(planRelativePaths(['a', 'a/b', 'x.txt', 'x.txt/y'])).toEqual([
      'a (file)',
      'a/b',
      'x (file).txt',
      'x.txt/y',
    ]);
  });

  it('gives paths that collide (case, sanitising) distinct names', () => {
    expect(planRelativePaths(['A.txt', 'a.txt', 'a:b', 'a_b', 'a?b'])).toEqual([
      'A.txt',
      'a (1).txt',
      'a_b (1)',
      'a_b',
      'a_b (2)',
    ]);
  });

  it('keeps the name of the object really called so; the key made safe is the one numbered', () => {
    expect(
      planRelativePaths(['cli2/a//b.txt', 'cli2/a/b.txt', 'cli2/x:y.txt', 'cli2/x_y.txt'], 'cli2/'),
    ).toEqual(['a/b (1).txt', 'a/b.txt', 'x_y (1).txt', 'x_y.txt']);
  });

  it('skips folder markers', () => {
    expect(planRelativePaths(['p/', 'p/a'], 'p/')).toEqual([null, 'a']);
  });

  it('never gives two objects the same path (property)', () => {
    const key = fc
      .array(fc.constantFrom('a', 'A', 'b', '/', '.', ':', '_', ' (1)', ' (file)'), { maxLength: 6 })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(key, { maxLength: 12 }), (keys) => {
        const unique = [...new Set(keys)];
        const paths = planRelativePaths(unique).filter((p): p is string => p !== null);
        const folded = paths.map((p) => p.toLowerCase());
        expect(new Set(folded).size).toBe(folded.length);
        const folders = new Set(
          folded.flatMap((p) =>
            p
              .split('/')
              .slice(0, -1)
              .map((_, i, a) => a.slice(0, i + 1).join('/')),
          ),
        );
        for (const p of folded) expect(folders.has(p)).toBe(false);
        paths.forEach(assertSafe);
      }),
      { numRuns: 300 },
    );
  });
});
