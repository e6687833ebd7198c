/**
 * How a picked file that changed or went on disk reads in Chromium (checked in Chromium 156):
 * - changed (its size or mtime): every read fails with NotReadableError;
 * - deleted after it was read once: every read fails with NotFoundError;
 * - deleted before any read: reads of its slices "succeed" with no bytes at all (a read of the whole
 *   file fails with NotFoundError).
 * So a read is checked for its length, and both errors count as the file being gone.
 */

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
 * Whether the bytes behind `body` (a part's slice of a picked file) are gone for good: its first byte,
 * read now and again after each of `recheckMs`, is refused (or missing) every time.
 */
export async function bytesGone(
  body: Blob,
  { recheckMs = GONE_RECHECK_MS }: { recheckMs?: readonly number[] } = {},
): Promise<boolean> {
  for (let ask = 0; ask <= recheckMs.length; ask++) {
    if (ask > 0) await new Promise((resolve) => setTimeout(resolve, recheckMs[ask - 1]));
    try {
      await readWhole(body.slice(0, 1));
      return false;
    } catch (error) {
      if (!isGoneRead(error)) return false;
    }
  }
  return true;
}
