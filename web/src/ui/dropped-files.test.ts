import { describe, expect, it } from 'vitest';
import { carriesFiles, filesFromEntries, filesFromInput } from './dropped-files.ts';

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

describe('filesFromInput', () => {
  const picked = (name: string, webkitRelativePath: string) =>
    Object.defineProperty(new File(['x'], name), 'webkitRelativePath', { value: webkitRelativePath });

  it("keeps a folder pick's paths, and none for files picked alone", () => {
    const got = filesFromInput([picked('a.txt', 'docs/sub/a.txt'), picked('b.txt', '')]);
    expect(got.map((f) => f.relativePath)).toEqual(['docs/sub/a.txt', undefined]);
  });

  it('keeps a "\\" in a name as the name has it, where Chromium\'s path reads "/"', () => {
    const got = filesFromInput([
      picked('back\\slash.txt', 'odd/back/slash.txt'),
      picked('a\\b\\c.txt', 'odd/deep/a/b/c.txt'),
    ]);
    expect(got.map((f) => f.relativePath)).toEqual(['odd/back\\slash.txt', 'odd/deep/a\\b\\c.txt']);
  });
});

/** A dropped item as Chromium hands it over (FileSystemEntry), with `broken` ones failing to read. */
type Tree = { [name: string]: string | Tree | 'broken' | { broken: 'folder' } };

function entryOf(fullPath: string, node: Tree[string]): FileSystemEntry {
  const name = fullPath.slice(fullPath.lastIndexOf('/') + 1);
  const fail = (error: (e: DOMException) => void) =>
    queueMicrotask(() =>
      error(new DOMException('A requested file or directory could not be found', 'NotFoundError')),
    );
  if (typeof node === 'string') {
    return {
      isFile: true,
      isDirectory: false,
      name,
      fullPath,
      file: (ok: (f: File) => void, error: (e: DOMException) => void) =>
        node === 'broken' ? fail(error) : queueMicrotask(() => ok(new File([node], name))),
    } as unknown as FileSystemEntry;
  }
  const children = 'broken' in node ? null : Object.entries(node as Tree);
  return {
    isFile: false,
    isDirectory: true,
    name,
    fullPath,
    createReader: () => {
      // Answers in batches of two, then an empty batch, as Chromium does in batches of 100.
      let at = 0;
      return {
        readEntries: (ok: (entries: FileSystemEntry[]) => void, error: (e: DOMException) => void) => {
          if (children === null) return fail(error);
          const batch = children.slice(at, at + 2).map(([n, c]) => entryOf(`${fullPath}/${n}`, c));
          at += batch.length;
          queueMicrotask(() => ok(batch));
        },
      };
    },
  } as unknown as FileSystemEntry;
}

describe('filesFromEntries', () => {
  it('walks dropped folders: every file with its path under the folder', async () => {
    const dropped = await filesFromEntries([
      entryOf('/photos', { 'a.jpg': 'a', trip: { 'b.jpg': 'bb', 'c.jpg': 'c', 'd.jpg': 'd' } }),
      entryOf('/loose.txt', 'loose'),
    ]);
    expect(dropped.unreadable).toEqual([]);
    expect(dropped.files.map((f) => [f.relativePath ?? null, f.file.name, f.file.size])).toEqual([
      ['photos/a.jpg', 'a.jpg', 1],
      ['photos/trip/b.jpg', 'b.jpg', 2],
      ['photos/trip/c.jpg', 'c.jpg', 1],
      ['photos/trip/d.jpg', 'd.jpg', 1],
      [null, 'loose.txt', 5],
    ]);
  });

  it('an item that cannot be read is named, and the rest of the drop is still taken', async () => {
    const dropped = await filesFromEntries([
      entryOf('/docs', {
        'ok.txt': 'fine',
        'gone.txt': 'broken',
        locked: { broken: 'folder' },
        'z.txt': 'z',
      }),
      null,
      entryOf('/vanished.bin', 'broken'),
    ]);
    expect(dropped.files.map((f) => f.relativePath ?? f.file.name)).toEqual(['docs/ok.txt', 'docs/z.txt']);
    expect(dropped.unreadable).toEqual(['docs/gone.txt', 'docs/locked/', 'vanished.bin']);
  });
});
