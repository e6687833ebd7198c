import { describe, expect, it } from 'vitest';
import { downloadBehindText } from './download-behind-text.ts';

describe('downloadBehindText', () => {
  const writer = { keyPath: 'alpha/report.pdf', kept: 0 };

  it('names the download it waits for and the file they share', () => {
    expect(downloadBehindText({ ...writer, status: 'downloading' }, 'report.pdf')).toBe(
      'Waits for the download of alpha/report.pdf (both save as report.pdf); then asks what to do with that file.',
    );
  });

  it('says what lets it go when the other one waits for the user', () => {
    expect(downloadBehindText({ ...writer, status: 'paused' }, 'report.pdf')).toMatch(
      /paused download of alpha\/report\.pdf .*resume or cancel it/,
    );
    expect(downloadBehindText({ ...writer, status: 'exists' }, 'report.pdf')).toBe(
      'Waits for your choice on alpha/report.pdf (both save as report.pdf).',
    );
    expect(downloadBehindText({ ...writer, status: 'failed', kept: 20 }, 'report.pdf')).toMatch(
      /failed download of alpha\/report\.pdf, whose 20 B saved are in that file .*resume or remove it/,
    );
  });
});
