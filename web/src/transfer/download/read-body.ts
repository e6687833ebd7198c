/**
 * Streams a response body to its place in the file: chunks are written at increasing offsets as they
 * arrive (never the whole object in memory), and the byte count must come out exact.
 */
import { DownloadError } from './errors.ts';
import type { DestinationFile } from './destination.ts';

export async function writeBody(
  body: ReadableStream<Uint8Array>,
  target: {
    file: DestinationFile;
    /** File offset of the body's first byte. */
    offset: number;
    /** Exact number of bytes expected. */
    length: number;
    key: string;
    /** Called after each chunk is written, with the bytes of this body written so far. */
    onChunk: (chunk: Uint8Array, written: number) => void;
  },
  o: { signal?: AbortSignal } = {},
): Promise<void> {
  const reader = body.getReader();
  let written = 0;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        o.signal?.throwIfAborted();
        throw new DownloadError(
          'network',
          `The connection broke while receiving "${target.key}" (${written} of ${target.length} bytes).`,
          { cause: error },
        );
      }
      o.signal?.throwIfAborted();
      if (result.done) break;
      const chunk = result.value;
      if (written + chunk.byteLength > target.length) {
        throw new DownloadError(
          'bad-response',
          `The storage sent more than the ${target.length} bytes expected for "${target.key}".`,
        );
      }
      try {
        await target.file.write(target.offset + written, chunk);
      } catch (error) {
        o.signal?.throwIfAborted();
        throw new DownloadError(
          'write-failed',
          `Couldn't write "${target.key}" to the folder (disk full, or permission withdrawn?): ${
            error instanceof Error ? error.message : String(error)
          }`,
          { cause: error },
        );
      }
      written += chunk.byteLength;
      target.onChunk(chunk, written);
    }
  } finally {
    // Frees the connection when we stop early (error, abort); a no-op on a finished stream.
    reader.cancel().catch(() => {});
  }
  if (written !== target.length) {
    throw new DownloadError(
      'network',
      `The connection closed early while receiving "${target.key}" (${written} of ${target.length} bytes).`,
    );
  }
}
