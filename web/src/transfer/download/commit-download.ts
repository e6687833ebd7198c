/**
 * The end of one download, once its bytes are all written: the file is flushed, read back and checked
 * where its hash could not be taken on the way (a ranged SHA, an MD5 ETag), then given its name. A file
 * that fails a step, or whose check Cancel stopped, is dropped before it takes its name: the one the
 * user chose to replace is still there.
 */
import type { DestinationFile } from './destination.ts';
import type { ObjectDownloadResult } from './download-object.ts';
import { DownloadError, fromWriteError } from './errors.ts';
import type { Evidence, Verification } from './integrity.ts';
import { verifyReadBack } from './read-back.ts';
import { isAbortError } from '../shared/signals.ts';

export interface CommitTarget {
  key: string;
  relativePath: string;
  /** The file is being read back to be checked. */
  onVerifying(): void;
  /** True while the file takes its name: from then on Cancel is too late, the file is saved. */
  onNaming(naming: boolean): void;
}

export async function commitDownload(
  file: DestinationFile,
  result: ObjectDownloadResult,
  target: CommitTarget,
  { signal }: { signal: AbortSignal },
): Promise<{ verification: Verification; against: Evidence | null }> {
  const { key, relativePath } = target;
  const failed = async (error: unknown): Promise<never> => {
    await file.abort();
    throw fromWriteError(relativePath, 'save', error);
  };
  try {
    await file.flush();
  } catch (error) {
    return failed(error);
  }
  // A read-back the file cannot do (not planned without `read`) leaves the checksum unchecked.
  let verification: Verification = 'unverifiable';
  let against: Evidence | null;
  if (result.verification === 'read-back') {
    against = result.check.kind === 'etag' ? 'md5-etag' : 'checksum';
    if (file.read) {
      target.onVerifying();
      try {
        verification = await verifyReadBack(key, await file.read({ signal }), result.check, { signal });
      } catch (error) {
        // A file that can no longer be read (moved, locked) is a write failure, not 'unknown'.
        if (error instanceof DownloadError || signal.aborted || isAbortError(error)) {
          await file.abort();
          throw error;
        }
        return failed(error);
      }
    }
  } else {
    ({ verification, against } = result);
  }
  if (signal.aborted) {
    await file.abort();
    signal.throwIfAborted();
  }
  target.onNaming(true);
  try {
    await file.close();
  } catch (error) {
    return failed(error);
  } finally {
    target.onNaming(false);
  }
  return { verification, against };
}
