/**
 * Is the picked file still the one whose parts were sent? Chromium refuses to read a file whose size
 * or mtime changed, or that was deleted (file-gone.ts); one rewritten in place with both kept (`rsync
 * --inplace -t`) it reads as it is now, so its sampled bytes (fingerprint.ts) are compared with those
 * of when the upload began. A rewrite that keeps the size, the mtime and the sampled bytes goes unseen.
 */
import { readUnlessGone } from '../shared/file-gone.ts';
import { isAbortError } from '../shared/signals.ts';
import type { UploadEntry } from './upload-entry.ts';
import { fileChanged, UploadError } from './upload-error.ts';
import type { UploadConfig } from './upload-options.ts';

type Config = Pick<UploadConfig, 'sampleHash' | 'clock'>;

/**
 * Before parts are sent again (Retry, Resume): rejects with 'file-unreadable' when the file is gone
 * or changed, rather than letting its parts fail as if the storage could not be reached.
 */
export async function checkStillTheFile(
  config: Config,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const now = await sampleNow(config, entry.input.file, signal);
  if (entry.sampleHash !== null && now !== entry.sampleHash) throw fileChanged(entry.input.file.name);
}

/**
 * Before Complete: rejects with 'file-unreadable' when the file reads as other bytes than when its
 * upload began. Each part's checksum is of the bytes it sent, so S3 takes the parts of a file rewritten
 * meanwhile, and the object would be of both. A file gone since is no reason: Chromium read every part
 * while the file was as picked.
 */
export async function checkNotRewritten(
  config: Config,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  if (entry.sampleHash === null) return;
  let now: string;
  try {
    now = await config.sampleHash(entry.input.file);
  } catch (error) {
    if (signal.aborted || isAbortError(error)) throw error;
    return;
  }
  signal.throwIfAborted();
  if (now !== entry.sampleHash) throw fileChanged(entry.input.file.name);
}

/** The file's sampled hash; one refused as gone is asked again a moment later before that counts. */
async function sampleNow(
  config: Config,
  file: UploadEntry['input']['file'],
  signal: AbortSignal,
): Promise<string> {
  // A read right after a dropped upload has been seen to fail once on a file that was fine.
  return readUnlessGone(
    () => config.sampleHash(file),
    (error) => error instanceof UploadError && error.code === 'file-unreadable',
    { clock: config.clock, signal },
  );
}
