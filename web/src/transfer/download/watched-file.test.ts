import { describe, expect, it } from 'vitest';
import { MemoryDestination } from './memory-destination.ts';
import { watchWrites } from './watched-file.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('watchWrites', () => {
  it('is broken once a write failed, and passes everything through', async () => {
    const dest = new MemoryDestination();
    dest.capacity = 4;
    const file = watchWrites(await dest.openFile('a', { size: 6 }));
    await file.write(0, enc('abc'));
    expect(file.broken).toBe(false);
    await expect(file.write(3, enc('def'))).rejects.toThrow('The disk is full.');
    expect(file.broken).toBe(true);
    dest.capacity = Infinity;
    // Errored for good, as a WritableStream: room again changes nothing.
    await expect(file.write(3, enc('def'))).rejects.toThrow('The disk is full.');
    await expect(file.close()).rejects.toThrow('The disk is full.');
    await file.abort();
    expect(dest.open.size + dest.files.size).toBe(0);
  });
});
