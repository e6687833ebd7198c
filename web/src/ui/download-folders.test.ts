import { describe, expect, it } from 'vitest';
import { intoSeveralFolders } from './download-folders.ts';

const into = (...folders: (string | null)[]) => folders.map((folder) => ({ folder }));

describe('intoSeveralFolders', () => {
  it('is false for no downloads, or all into one folder', () => {
    expect(intoSeveralFolders([])).toBe(false);
    expect(intoSeveralFolders(into('Pictures', 'Pictures', 'Pictures'))).toBe(false);
  });

  it('is true once a second folder is in the list, wherever it is', () => {
    expect(intoSeveralFolders(into('Pictures', 'Pictures', 'Backup'))).toBe(true);
    expect(intoSeveralFolders(into('Backup', 'Pictures'))).toBe(true);
  });

  it('leaves out downloads with no folder name (the browser’s own downloads)', () => {
    expect(intoSeveralFolders(into(null, 'Pictures', null))).toBe(false);
  });
});
