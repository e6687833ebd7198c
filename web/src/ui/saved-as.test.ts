import { describe, expect, it } from 'vitest';
import { downloadSavedAs, nameChangedTo, uploadSavedAs } from './saved-as.ts';

describe('nameChangedTo', () => {
  it('names the object when "Keep both" gave it another name', () => {
    expect(nameChangedTo('photos/notes (1).txt', 'notes.txt')).toBe('notes (1).txt');
    expect(nameChangedTo('notes (2).txt', 'notes.txt')).toBe('notes (2).txt');
  });
  it("says nothing when the object has the file's name, in a folder or not", () => {
    expect(nameChangedTo('photos/2024/notes.txt', 'notes.txt')).toBeNull();
    expect(nameChangedTo('notes.txt', 'notes.txt')).toBeNull();
  });
  it('takes a name in another Unicode form (keys are NFC) as the same name', () => {
    expect(nameChangedTo('café.txt'.normalize('NFC'), 'café.txt'.normalize('NFD'))).toBeNull();
  });
});

describe('downloadSavedAs', () => {
  const renamed = { relativePath: 'a/what___.txt', keyPath: 'a/what:*?.txt' };
  it('says where a download whose key is no file name was saved, or goes', () => {
    expect(downloadSavedAs({ ...renamed, status: 'done' })).toBe('Saved as “a/what___.txt”');
    expect(downloadSavedAs({ ...renamed, status: 'downloading' })).toBe('Saving as “a/what___.txt”');
    expect(downloadSavedAs({ ...renamed, status: 'paused' })).toBe('Saving as “a/what___.txt”');
  });
  it('says nothing for a download that saved nothing, or kept its key as its name', () => {
    for (const status of ['failed', 'cancelled', 'skipped'] as const)
      expect(downloadSavedAs({ ...renamed, status })).toBeNull();
    expect(downloadSavedAs({ status: 'done', relativePath: 'a/b.txt', keyPath: 'a/b.txt' })).toBeNull();
    expect(downloadSavedAs({ status: 'queued', relativePath: '', keyPath: 'a/b.txt' })).toBeNull();
  });
});

describe('uploadSavedAs', () => {
  it('names the object an upload goes to when it is not the file’s, saved or still saving', () => {
    expect(uploadSavedAs('done', 'a/big (1).bin', 'big.bin')).toBe('Saved as “big (1).bin”');
    expect(uploadSavedAs('uploading', 'a/big (1).bin', 'big.bin')).toBe('Saving as “big (1).bin”');
    expect(uploadSavedAs('failed', 'a/big (1).bin', 'big.bin')).toBe('Saving as “big (1).bin”');
    expect(uploadSavedAs('done', 'a/big.bin', 'big.bin')).toBeNull();
    // The object another tool wrote as "cafe" + combining accent is the file's "café": the same name on screen.
    expect(uploadSavedAs('done', 'a/cafe\u0301.txt', 'caf\u00e9.txt')).toBeNull();
    expect(uploadSavedAs('done', 'a/caf\u00e9.txt', 'cafe\u0301.txt')).toBeNull();
    expect(uploadSavedAs('done', 'a/cafe\u0301 (1).txt', 'caf\u00e9.txt')).toBe(
      'Saved as “cafe\u0301 (1).txt”',
    );
    expect(uploadSavedAs('queued', null, 'big.bin')).toBeNull();
  });

  it('says nothing of a name once the upload is cancelled or skipped: nothing was saved under it', () => {
    for (const status of ['cancelled', 'cancelling', 'skipped'] as const) {
      expect(uploadSavedAs(status, 'a/big (1).bin', 'big.bin')).toBeNull();
    }
  });
});
