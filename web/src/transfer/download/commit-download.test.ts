import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { commitDownload, type CommitTarget } from './commit-download.ts';
import type { DestinationFile } from './destination.ts';
import type { ObjectDownloadResult } from './download-object.ts';
import { DownloadError } from './errors.ts';
import { MemoryDestination } from './memory-destination.ts';

const BODY = 'the downloaded bytes';
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64');
const readBack = (expected: string): ObjectDownloadResult => ({
  verification: 'read-back',
  check: { kind: 'checksum', algorithm: 'SHA256', expected },
});

/** The file as a download leaves it (written in full), in a folder that already holds one by its name. */
async function written() {
  const dest = new MemoryDestination({ 'report.txt': 'the file the user had' });
  const file = await dest.openFile('report.txt', { size: BODY.length });
  await file.write(0, new TextEncoder().encode(BODY));
  const steps: string[] = [];
  const target: CommitTarget = {
    key: 'docs/report.txt',
    relativePath: 'report.txt',
    onVerifying: () => steps.push('verifying'),
    onNaming: (naming) => steps.push(naming ? 'naming' : 'named'),
  };
  return { dest, file, steps, target };
}

const live = () => ({ signal: new AbortController().signal });

describe('commitDownload', () => {
  it('a download checked on the way takes its name, with what it was checked against', async () => {
    const { dest, file, steps, target } = await written();
    const result: ObjectDownloadResult = { verification: 'verified', against: 'checksum' };
    await expect(commitDownload(file, result, target, live())).resolves.toEqual({
      verification: 'verified',
      against: 'checksum',
    });
    expect(dest.text('report.txt')).toBe(BODY);
    expect(steps).toEqual(['naming', 'named']);
  });

  it('a ranged download is read back and checked before it takes its name', async () => {
    const { dest, file, steps, target } = await written();
    await expect(commitDownload(file, readBack(sha256(BODY)), target, live())).resolves.toEqual({
      verification: 'verified',
      against: 'checksum',
    });
    expect(dest.text('report.txt')).toBe(BODY);
    expect(steps).toEqual(['verifying', 'naming', 'named']);
  });

  it('a file whose read-back does not match is dropped, and the one the user had is left as it was', async () => {
    const { dest, file, steps, target } = await written();
    const error = await commitDownload(file, readBack(sha256('other bytes')), target, live()).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code: 'corrupt' });
    expect(error.message).toContain('"docs/report.txt"');
    expect(dest.text('report.txt')).toBe('the file the user had');
    expect(dest.open.size).toBe(0);
    expect(steps).toEqual(['verifying']);
  });

  it('a file that cannot be read back is saved unverifiable, not wrongly called verified', async () => {
    const { dest, file, target } = await written();
    const { read: _read, ...unreadable } = file;
    await expect(commitDownload(unreadable, readBack(sha256('anything')), target, live())).resolves.toEqual({
      verification: 'unverifiable',
      against: 'checksum',
    });
    expect(dest.text('report.txt')).toBe(BODY);
  });

  it('cancelled before the file takes its name: dropped, the old file kept, and the abort thrown', async () => {
    const { dest, file, steps, target } = await written();
    const controller = new AbortController();
    const result: ObjectDownloadResult = { verification: 'verified', against: 'checksum' };
    controller.abort(new DOMException('Cancelled', 'AbortError'));
    await expect(commitDownload(file, result, target, { signal: controller.signal })).rejects.toThrow(
      'Cancelled',
    );
    expect(dest.text('report.txt')).toBe('the file the user had');
    expect(dest.open.size).toBe(0);
    expect(steps).toEqual([]);
  });

  it('a flush or a close that fails is a write failure naming the file, and the file is dropped', async () => {
    for (const step of ['flush', 'close'] as const) {
      const { file, steps, target } = await written();
      let aborted = false;
      const failing: DestinationFile = {
        ...file,
        [step]: () => Promise.reject(new DOMException('The file was moved.', 'NotFoundError')),
        abort: async () => {
          aborted = true;
          await file.abort();
        },
      };
      const result: ObjectDownloadResult = { verification: 'verified', against: 'checksum' };
      const error = await commitDownload(failing, result, target, live()).catch((e) => e);
      expect(error, step).toMatchObject({ code: 'write-failed' });
      expect(error.message, step).toContain('"report.txt"');
      expect(error.message, step).toContain('The file was moved.');
      expect(aborted, step).toBe(true);
      // Cancel is no longer too late once naming failed.
      expect(steps, step).toEqual(step === 'close' ? ['naming', 'named'] : []);
    }
  });
});
