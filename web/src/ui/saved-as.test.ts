import { describe, expect, it } from 'vitest';
import { nameChangedTo } from './saved-as.ts';

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
