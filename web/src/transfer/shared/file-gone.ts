/**
 * How a picked file that changed or went on disk reads in Chromium (checked in Chromium 156):
 * - changed (its size or mtime): every read fails with NotReadableError;
 * - deleted after it was read once: every read fails with NotFoundError;
 * - deleted before any read: reads of its slices "succeed" with no bytes at all (a read of the whole
 *   file fails with NotFoundError).
 * So a read is checked for its length, and both errors count as the file being gone.
 */
import type { Clock } from './clock.ts';

/** A read of a picked file refused because the file is no longer the one picked (changed, or deleted). */
export function isGoneRead(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')
  );
}

/** `blob`'s bytes; a read that comes back short (the file deleted before it was read) fails as NotFoundError. */
export async function readWhole(blob: Blob): Promise<ArrayBuffer> {
  const bytes = await blob.arrayBuffer();
  if (bytes.byteLength !== blob.size) throw shortRead(bytes.byteLength, blob.size);
  return bytes;
}

export function shortRead(got: number, size: number): DOMException {
  return new DOMException(
    `Read ${got} of ${size} bytes: the file is no longer there (deleted since it was picked).`,
    'NotFoundError',
  );
}

/**
 * Waits before asking again whether a file is gone: a read right after a dropped upload has been seen
 * to fail once with NotFoundError on a file that was fine, so only a file refused every time is gone.
 */
export const GONE_RECHECK_MS: readonly number[] = [250, 1000];

/**
 * `read()`, asked again after each of `recheckMs` (by `clock`) while it is refused as gone (`isGone`):
 * its value the first time it is not refused; the last refusal once it was refused every time. Other
 * errors are thrown at once.
 */
export async function readUnlessGone<T>(
  read: () => Promise<T>,
  isGone: (error: unknown) => boolean,
  { clock, recheckMs = GONE_RECHECK_MS, signal }: GoneCheckOptions,
): Promise<T> {
  for (let ask = 0; ; ask++) {
    signal.throwIfAborted();
    try {
      return await read();
    } catch (error) {
      if (!isGone(error) || ask >= recheckMs.length) throw error;
      await clock.sleep(recheckMs[ask]!, { signal });
    }
  }
}

export interface GoneCheckOptions {
  clock: Clock;
  /** Waits before asking again (default `GONE_RECHECK_MS`). */
  recheckMs?: readonly number[];
  signal: AbortSignal;
}

/**
 * Whether the bytes behind `body` (a part's slice of a picked file) are gone for good: its first byte,
 * read now and again after each of `recheckMs`, is refused (or missing) every time.
 */
export async function bytesGone(body: Blob, options: GoneCheckOptions): Promise<boolean> {
  try {
    await readUnlessGone(() => readWhole(body.slice(0, 1)), isGoneRead, options);
    return false;
  } catch (error) {
    options.signal.throwIfAborted();
    return isGoneRead(error);
  }
}
