import { describe, expect, it } from 'vitest';
import { CONFLICT_TEXT, nextAnnouncement, storeFullNotice, type Announcement } from './queue-announcement.ts';
import { UPLOAD_STATUSES, type UploadStatus } from './upload-state.ts';

function totals(counts: Partial<Record<UploadStatus, number>>) {
  const byStatus = Object.fromEntries(UPLOAD_STATUSES.map((s) => [s, counts[s] ?? 0])) as Record<
    UploadStatus,
    number
  >;
  const busy = ['queued', 'hashing', 'uploading', 'completing', 'cancelling'].some(
    (s) => byStatus[s as UploadStatus] > 0,
  );
  const files = UPLOAD_STATUSES.filter((s) => s !== 'cancelled' && s !== 'skipped').reduce(
    (n, s) => n + byStatus[s],
    0,
  );
  return { byStatus, files, busy };
}

const text = (a: Announcement | null) => a?.text ?? null;

describe('nextAnnouncement', () => {
  it('says when uploads are under way (once: no progress), and each milestone when reached', () => {
    const going = nextAnnouncement(null, totals({ uploading: 2, queued: 1, done: 3 }));
    expect(text(going)).toBe('Uploading 3 files…');
    expect(nextAnnouncement(going, totals({ uploading: 1, done: 5 }))).toBe(going);
    expect(text(nextAnnouncement(null, totals({ hashing: 1 })))).toBe('Uploading 1 file…');
    expect(nextAnnouncement(null, totals({ completing: 1, done: 1 }))).toBeNull();
    expect(nextAnnouncement(null, totals({ cancelling: 2 }))).toBeNull();
    expect(text(nextAnnouncement(null, totals({ done: 5 })))).toBe('All 5 uploads done');
    expect(text(nextAnnouncement(null, totals({ done: 1 })))).toBe('1 upload done');
    expect(text(nextAnnouncement(null, totals({ done: 234, skipped: 1779, cancelled: 2 })))).toBe(
      'All 234 uploads done, 1,779 skipped, 2 cancelled',
    );
    expect(text(nextAnnouncement(null, totals({ cancelled: 3 })))).toBe('3 uploads cancelled');
    expect(text(nextAnnouncement(null, totals({ done: 2, failed: 1 })))).toBe('1 upload failed');
    expect(text(nextAnnouncement(null, totals({ queued: 9, conflict: 2 })))).toBe(CONFLICT_TEXT);
    expect(nextAnnouncement(null, totals({ done: 2, paused: 1 }))).toBeNull();
    expect(nextAnnouncement(null, totals({}))).toBeNull();
    expect(text(nextAnnouncement(null, totals({ paused: 5, failed: 1 }), true))).toBe(
      'Uploads paused: the storage is out of space.',
    );
  });

  it('keeps the words of a milestone of the same kind, so it is announced once, with no count to go stale', () => {
    const first = nextAnnouncement(null, totals({ queued: 9, conflict: 1 }));
    expect(text(first)).toBe('A name is already taken: uploads wait for Replace, Keep both or Skip.');
    // More names found taken: the words stay, and are still true (they name no count).
    expect(nextAnnouncement(first, totals({ queued: 5, conflict: 5 }))).toBe(first);
    // Resolved, then taken names again later: announced anew.
    expect(text(nextAnnouncement(first, totals({ uploading: 1 })))).toBe('Uploading 1 file…');
    expect(text(nextAnnouncement(null, totals({ conflict: 3 })))).toBe(CONFLICT_TEXT);
    const done = nextAnnouncement(first, totals({ done: 6 }));
    expect(text(done)).toBe('All 6 uploads done');
  });
});

describe('storeFullNotice', () => {
  it('says how many uploads wait on the full storage, and how many failed on it that Resume tries again', () => {
    expect(storeFullNotice({ paused: 1, failed: 0 })).toBe(
      'Uploads paused: the storage is out of space. 1 upload waits, with the parts already sent. Free some space on it, then Resume.',
    );
    expect(storeFullNotice({ paused: 3, failed: 2 })).toBe(
      'Uploads paused: the storage is out of space. 3 uploads wait, with the parts already sent; 2 failed on it, and Resume tries them again. Free some space on it, then Resume.',
    );
    expect(storeFullNotice({ paused: 2, failed: 1 })).toMatch(
      /; 1 failed on it, and Resume tries it again\./,
    );
  });
});
