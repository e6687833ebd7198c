/**
 * Streams a response body to its place in the file: chunks are written at increasing offsets as they
 * arrive (never the whole object in memory), and the byte count must come out exact. Network chunks
 * (often 16–64 KiB) are gathered into writes of about `writeBufferBytes`, because every write to a
 * File System Access stream is a round trip to the browser process; memory stays bounded by
 * requests in flight × `writeBufferBytes`.
 *
 * When the body breaks off (a dropped connection, a stall, an early close) the bytes already received
 * are written before the error is thrown: they are good, and the caller goes on from the last byte
 * written (`onWritten` counts them).
 */
import type { DestinationFile } from './destination.ts';
import { DownloadError, fromWriteError } from './errors.ts';

export const DEFAULT_WRITE_BUFFER_BYTES = 1024 ** 2;

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

export async function writeBody(
  body: ReadableStream<Uint8Array>,
  target: {
    file: DestinationFile;
    /** File offset of the body's first byte. */
    offset: number;
    /** Exact number of bytes expected. */
    length: number;
    key: string;
    /** Gather chunks into writes of at least this size (0: write each chunk as it comes). */
    writeBufferBytes?: number;
    /** Called for each chunk received, with the bytes of this body received so far (progress). */
    onChunk: (chunk: Uint8Array, received: number) => void;
    /** Called once bytes are on disk, in order. */
    onWritten?: (data: Uint8Array) => void;
  },
  o: { signal?: AbortSignal } = {},
): Promise<void> {
  const bufferBytes = target.writeBufferBytes ?? DEFAULT_WRITE_BUFFER_BYTES;
  const reader = body.getReader();
  let received = 0;
  let written = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const flush = async () => {
    if (pendingBytes === 0) return;
    const data = concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    try {
      await target.file.write(target.offset + written, data);
    } catch (error) {
      o.signal?.throwIfAborted();
      throw fromWriteError(target.key, 'write', error);
    }
    written += data.byteLength;
    target.onWritten?.(data);
  };

  /** False once the bytes received cannot be trusted: nothing more is written. */
  let keep = true;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        o.signal?.throwIfAborted();
        throw new DownloadError(
          'network',
          `The connection broke while receiving "${target.key}" (${received} of ${target.length} bytes).`,
          { cause: error },
        );
      }
      o.signal?.throwIfAborted();
      if (result.done) break;
      const chunk = result.value;
      if (received + chunk.byteLength > target.length) {
        keep = false;
        throw new DownloadError(
          'bad-response',
          `The storage sent more than the ${target.length} bytes expected for "${target.key}".`,
        );
      }
      received += chunk.byteLength;
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      target.onChunk(chunk, received);
      if (pendingBytes >= bufferBytes) await flush();
    }
    if (received !== target.length) {
      throw new DownloadError(
        'network',
        `The connection closed early while receiving "${target.key}" (${received} of ${target.length} bytes).`,
      );
    }
  } catch (error) {
    // What arrived before the break is good: write it, so a retry asks only for the rest. A write that
    // fails now (or a cancel) is the error to report.
    if (keep) await flush();
    throw error;
  } finally {
    // Frees the connection when we stop early (error, abort); a no-op on a finished stream.
    reader.cancel().catch(() => {});
  }
  await flush();
}
