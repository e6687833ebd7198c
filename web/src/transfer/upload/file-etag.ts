/**
 * What a picked file would be stored as, recomputed to compare it with the object at its key
 * (run-upload.ts `isSameObject`): its multipart ETag over a part layout, or its whole digests.
 */
import { createCRC32, createMD5 } from 'hash-wasm';
import { partStarts, partSizes, type PartLayout } from '../../../../server/shared/part-layout.ts';
import { shortRead } from '../shared/file-gone.ts';
import { bytesToBase64, type HashAlgorithm, type Hasher } from '../shared/hasher.ts';
import type { FileChecksum } from './same-object.ts';
import { childController } from '../shared/signals.ts';
import { taskLimit } from '../shared/task-limit.ts';

/** Parts hashed at once: the worker pool's size on two cores, so it is kept busy and no more. */
const PARTS_AT_ONCE = 2;

/**
 * The file's multipart ETag over `layout`: the MD5 of every part's binary MD5, one after another, then
 * "-N", as S3 gives an object completed from those parts. Each part is hashed by the page's hasher (the
 * worker pool), two at a time and in order: the hashing of other uploads' parts goes on beside it, and a
 * pause or cancel stops it at the part being read.
 */
export async function fileMultipartEtag(
  hasher: Hasher,
  file: Blob,
  layout: PartLayout,
  o: { signal: AbortSignal; onHashed?: (bytes: number) => void },
): Promise<string> {
  const sizes = partSizes(layout, file.size);
  const starts = partStarts(layout, file.size);
  const limit = taskLimit(PARTS_AT_ONCE);
  // Ended with the first part that cannot be read (the file changed or went): the rest are not read.
  const run = childController(o.signal);
  const signal = run.controller.signal;
  let hashed = 0;
  let digests: string[];
  try {
    digests = await Promise.all(
      starts.map((start, i) =>
        limit(async () => {
          signal.throwIfAborted();
          const md5 = await hasher.hash(file.slice(start, start + sizes[i]!), 'MD5', { signal });
          hashed += sizes[i]!;
          signal.throwIfAborted(); // stopped meanwhile: nothing more is said of it
          o.onHashed?.(hashed);
          return md5;
        }),
      ),
    );
  } finally {
    run.dispose();
  }
  const whole = (await createMD5()).init();
  for (const digest of digests) whole.update(Uint8Array.from(atob(digest), (c) => c.charCodeAt(0)));
  return `${whole.digest('hex')}-${digests.length}`;
}

/**
 * The whole file's digests (base64, as `Hasher` gives them) by each of `algorithms`, in one read: what
 * proves a file is an object written in one request (its MD5 ETag, and its CRC32 where the store keeps
 * one) when the file is bigger than one part, as after a copy (CopyObject) or another tool's single PUT
 * of up to 8 MiB. Read as a stream in the page itself (an MD5 cannot be cut into parts for the workers),
 * a chunk at a time, so the page goes on between chunks; `onHashed` every few MiB.
 */
export async function fileDigests(
  file: Blob,
  algorithms: readonly HashAlgorithm[],
  o: { signal: AbortSignal; onHashed?: (bytes: number) => void },
): Promise<FileChecksum[]> {
  const hashers = await Promise.all(
    algorithms.map(async (algorithm) => ({
      algorithm,
      state: (await (algorithm === 'MD5' ? createMD5() : createCRC32())).init(),
    })),
  );
  const reader = file.stream().getReader();
  let read = 0;
  let said = 0;
  try {
    for (;;) {
      o.signal.throwIfAborted();
      const { done, value } = await reader.read();
      if (done) break;
      for (const { state } of hashers) state.update(value);
      read += value.byteLength;
      if (read - said >= SAY_EVERY_BYTES) o.onHashed?.((said = read));
    }
  } finally {
    reader.releaseLock();
  }
  o.signal.throwIfAborted();
  if (read !== file.size) throw shortRead(read, file.size);
  o.onHashed?.(read);
  return hashers.map(({ algorithm, state }) => ({
    algorithm,
    checksum: bytesToBase64(state.digest('binary')),
  }));
}

/** How often `fileDigests` says how far it read. */
const SAY_EVERY_BYTES = 8 * 1024 * 1024;
