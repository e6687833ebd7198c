import { describe, expect, it, vi } from 'vitest';
import type { UploadPlan } from '../../../../server/shared/api-types.ts';
import { systemClock } from '../shared/clock.ts';
import { MemoryJournal, type UploadRecord } from './journal.ts';
import { dropPlan, saveJournal } from './journal-sync.ts';
import { createEntry } from './upload-entry.ts';
import type { UploadConfig } from './upload-options.ts';

/** A journal whose writes wait until let go, one at a time: an IndexedDB put that takes a while. */
class SlowJournal extends MemoryJournal {
  held: (() => void)[] = [];
  override async put(record: UploadRecord): Promise<void> {
    await new Promise<void>((resolve) => this.held.push(resolve));
    return super.put(record);
  }
  letOneGo() {
    this.held.shift()?.();
  }
}

const plan = (uploadId: string): UploadPlan => ({
  kind: 'multipart',
  key: 'big.bin',
  uploadId,
  size: 20,
  partSize: 10,
  partCount: 2,
  checksumAlgorithm: 'CRC32',
  token: `token-of-${uploadId}`,
  expiresAt: 1e12,
});

describe('saveJournal', () => {
  it("writes a file started over as a new upload under the new id only, and the old upload's record goes", async () => {
    const journal = new SlowJournal();
    const config: Pick<UploadConfig, 'journal' | 'clock'> = { journal, clock: systemClock };
    const file = new File(['x'.repeat(20)], 'big.bin', { lastModified: 5 });
    const entry = createEntry({ id: 'u1', seq: 1, input: { file }, fingerprint: 'fp', createdAt: 0 });
    entry.plan = plan('old');
    entry.sampleHash = 'hash';
    entry.parts.set(1, { partNumber: 1, etag: '"a"', size: 10 });
    saveJournal(config, entry);
    await vi.waitFor(() => expect(journal.held).toHaveLength(1));

    // While that write is pending, the old upload is dropped (gone from the server) and a new one made.
    dropPlan(config, entry);
    entry.plan = plan('new');
    entry.sampleHash = 'hash';
    entry.parts.set(1, { partNumber: 1, etag: '"b"', size: 10 });
    saveJournal(config, entry);

    journal.letOneGo();
    await vi.waitFor(() => expect(journal.held).toHaveLength(1));
    journal.letOneGo();
    await vi.waitFor(() => expect(entry.journalSaving).toBe(false));

    const records = await journal.list();
    expect(records.map((r) => [r.uploadId, r.token, r.parts.map((p) => p.etag)])).toEqual([
      ['new', 'token-of-new', ['"b"']],
    ]);
  });
});
