import { describe, expect, it } from 'vitest';
import { createIndexedDbJournal } from './indexeddb-journal.ts';

describe('createIndexedDbJournal', () => {
  it('does not keep a failed open (blocked storage): the next call asks again', async () => {
    let opens = 0;
    const factory = {
      open: () => {
        opens++;
        throw new DOMException('storage is blocked', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const journal = createIndexedDbJournal({ indexedDB: factory });
    await expect(journal.list()).rejects.toThrow('storage is blocked');
    await expect(journal.get('f')).rejects.toThrow('storage is blocked');
    expect(opens).toBe(2);
  });
});
