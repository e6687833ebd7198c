import { describe, expect, it } from 'vitest';
import type { DownloadStatus, DownloadTotals } from '../transfer/download/index.ts';
import { downloadAnnouncement } from './download-announcement.ts';

function totals(counts: Partial<Record<DownloadStatus, number>>): DownloadTotals {
  const all = {
    queued: 0,
    exists: 0,
    downloading: 0,
    paused: 0,
    done: 0,
    failed: 0,
    cancelled: 0,
    skipped: 0,
    ...counts,
  };
  const files = all.queued + all.exists + all.downloading + all.paused + all.done + all.failed;
  return {
    counts: all,
    waiting: 0,
    waitingFor: null,
    bytes: 0,
    loaded: 0,
    files,
    complete: all.done > 0 && all.done === files,
    speed: 0,
    eta: null,
  };
}

describe('downloadAnnouncement', () => {
  it('says nothing while downloads run', () => {
    expect(downloadAnnouncement(totals({ queued: 10, downloading: 6, done: 300 }), true)).toBe('');
  });

  it('announces the end of a run: all done, failures, cancellations', () => {
    expect(downloadAnnouncement(totals({ done: 3000 }), false)).toBe('All 3,000 downloads done.');
    expect(downloadAnnouncement(totals({ done: 1 }), false)).toBe('The download is done.');
    expect(downloadAnnouncement(totals({ done: 3567 }), false, null, 1)).toBe(
      'All 3,567 downloads done; 1 was saved under another name.',
    );
    expect(downloadAnnouncement(totals({ done: 30 }), false, null, 12)).toBe(
      'All 30 downloads done; 12 were saved under another name.',
    );
    expect(downloadAnnouncement(totals({ done: 1 }), false, null, 1)).toBe(
      'The download is done; it was saved under another name.',
    );
    expect(downloadAnnouncement(totals({ done: 28, failed: 2 }), false)).toBe('2 downloads failed; 28 done.');
    expect(downloadAnnouncement(totals({ failed: 1 }), false)).toBe('1 download failed.');
    expect(downloadAnnouncement(totals({ paused: 3, done: 2 }), false)).toBe(
      '3 downloads paused; 2 done. Resume goes on from what was saved.',
    );
    expect(downloadAnnouncement(totals({ queued: 17, failed: 2, done: 4 }), true, 'disk-full')).toBe(
      'Downloads paused: the download folder is out of space. Free some space, then Resume.',
    );
    expect(downloadAnnouncement(totals({ queued: 17, failed: 1 }), true, 'no-permission')).toBe(
      'Downloads paused: this page may no longer write to the download folder. Resume asks you to allow it again.',
    );
    expect(downloadAnnouncement(totals({ done: 96, cancelled: 10_404 }), false)).toBe(
      '10,404 downloads cancelled; 96 done.',
    );
  });

  it('asks for a choice as soon as files are already in the folder, even while others run', () => {
    expect(downloadAnnouncement(totals({ exists: 1, queued: 400 }), true)).toBe(
      'A file is already in the folder: choose Replace, Skip or Keep both.',
    );
    // The count grows as the checks come in: said once, not again for each new count.
    const said = new Set(
      [3, 12, 57, 399].map((exists) => downloadAnnouncement(totals({ exists, queued: 400 - exists }), true)),
    );
    expect([...said]).toEqual(['Files are already in the folder: choose Replace, Skip or Keep both.']);
    expect(downloadAnnouncement(totals({ exists: 400 }), false)).toBe(
      '400 files are already in the folder: choose Replace, Skip or Keep both.',
    );
    expect(downloadAnnouncement(totals({ exists: 1 }), false)).toBe(
      '1 file is already in the folder: choose Replace, Skip or Keep both.',
    );
  });
});
