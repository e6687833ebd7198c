/**
 * A DestinationFile that remembers whether a write to it failed. A failed write errors the file for
 * good (a FileSystemWritableFileStream stays errored, as every WritableStream does: later writes and
 * the close fail too, and the swap file holding what it took is lost with it), so a download stopped
 * after one cannot keep that file to go on from: its Retry starts the file over.
 */
import type { DestinationFile } from './destination.ts';

export interface WatchedFile extends DestinationFile {
  /** A write failed: only `abort()` is left. */
  readonly broken: boolean;
}

export function watchWrites(file: DestinationFile): WatchedFile {
  let broken = false;
  return {
    get broken() {
      return broken;
    },
    write: async (offset, chunk) => {
      try {
        await file.write(offset, chunk);
      } catch (error) {
        broken = true;
        throw error;
      }
    },
    flush: () => file.flush(),
    ...(file.read && { read: (o?: { signal?: AbortSignal }) => file.read!(o) }),
    close: () => file.close(),
    abort: () => file.abort(),
  };
}
