import { describe, expect, it } from 'vitest';
import type { ObjectEntry } from '../../../server/shared/api-types.ts';
import { folderName, leftAfterDelete } from './left-after-delete.ts';

const entry = (key: string): ObjectEntry => ({ key, size: 1, lastModified: '', etag: '"e"' });

describe('leftAfterDelete', () => {
  it('counts what is still under each folder, leaving out keys that failed to delete and empty folders', async () => {
    const listed: Record<string, ObjectEntry[]> = {
      'p/many/': [entry('p/many/late.bin')],
      'p/other/': [entry('p/other/refused.bin'), entry('p/other/late1'), entry('p/other/x/late2')],
      'p/gone/': [],
    };
    const asked: string[] = [];
    const left = await leftAfterDelete(
      ['p/many/', 'p/other/', 'p/gone/'],
      new Set(['p/other/refused.bin']),
      (prefix) => {
        asked.push(prefix);
        return Promise.resolve(listed[prefix] ?? []);
      },
    );
    expect(asked).toEqual(['p/many/', 'p/other/', 'p/gone/']);
    expect(left).toEqual([
      { name: 'many/', count: 1 },
      { name: 'other/', count: 2 },
    ]);
  });

  it('passes the signal on to the listing', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await leftAfterDelete(
      ['a/'],
      new Set(),
      (_, signal) => {
        seen = signal;
        return Promise.resolve([]);
      },
      { signal: controller.signal },
    );
    expect(seen).toBe(controller.signal);
  });
});

describe('folderName', () => {
  it("is the folder's last segment, as its row names it", () => {
    expect(folderName('a/b/many/')).toBe('many/');
    expect(folderName('many/')).toBe('many/');
    expect(folderName('a//')).toBe('/');
  });
});
