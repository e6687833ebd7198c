/**
 * A file's multipart ETag over a given part layout: the MD5 of every part's binary MD5, one after
 * another, then "-N", as S3 gives an object completed from those parts. Each part is hashed by the
 * page's hasher (the worker pool), two at a time and in order: the hashing of other uploads' parts goes
 * on beside it, and a pause or cancel stops it at the part being read.
 */
import { createMD5 } from 'hash-wasm';
import { partStarts, partSizes, type PartLayout } from '../../../../server/shared/part-layout.ts';
import type { Hasher } from '../shared/hasher.ts';
import { childController } from '../shared/signals.ts';
import { taskLimit } from '../shared/task-limit.ts';

/** Parts hashed at once: the worker pool's size on two cores, so it is kept busy and no more. */
const PARTS_AT_ONCE = 2;

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
