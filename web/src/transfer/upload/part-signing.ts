/**
 * Checksums and presigned URLs for one file's parts: each part is hashed (once per run, shared by
 * whoever asks), and its URL signed with that checksum in batches, a batch or two ahead of the PUTs.
 */
import type { ChecksumAlgorithm, SignedPart, UploadPlan } from '../../../../server/shared/api-types.ts';
import { planParts } from '../../../../server/uploads/plan-parts.ts';
import { MAX_OBJECT_SIZE } from '../../../../server/shared/s3-limits.ts';
import { bytesGone } from '../shared/file-gone.ts';
import { isAbortError } from '../shared/signals.ts';
import { adoptToken } from './journal-sync.ts';
import { fileBytes, partRange } from './part-range.ts';
import { replaceOptions, type UploadEntry } from './upload-entry.ts';
import { fileUnreadable, UploadError } from './upload-error.ts';
import { localExpiry } from '../shared/local-expiry.ts';
import type { UploadConfig } from './upload-options.ts';

export type PartSigningConfig = Pick<
  UploadConfig,
  'api' | 'hasher' | 'clock' | 'journal' | 'checksumHint' | 'signBatchSize' | 'resignBeforeExpiryMs'
>;

/** Part 1's bytes as the server will most likely plan them, hashed before its answer arrives. */
export function hashAhead(
  config: PartSigningConfig,
  entry: UploadEntry,
  { signal }: { signal: AbortSignal },
): { algorithm: ChecksumAlgorithm; end: number; checksum: Promise<string> } | null {
  const algorithm = config.checksumHint();
  const { file } = entry.input;
  if (!algorithm || file.size > MAX_OBJECT_SIZE) return null;
  const end = Math.min(file.size, planParts(file.size).partSize);
  const checksum = config.hasher.hash(fileBytes(file, 0, end), algorithm, { signal });
  checksum.catch(() => undefined); // unused, or read (and reported) through partChecksum
  return { algorithm, end, checksum };
}

/** The part's checksum: hashed once per run (`ahead`: already being hashed), then shared. */
export function partChecksum(
  config: PartSigningConfig,
  entry: UploadEntry,
  plan: UploadPlan,
  partNumber: number,
  { signal, ahead }: { signal: AbortSignal; ahead?: Promise<string> },
): Promise<string> {
  let promise = entry.checksums.get(partNumber);
  if (!promise) {
    const { start, end } = partRange(plan, partNumber);
    promise = (
      ahead ?? config.hasher.hash(fileBytes(entry.input.file, start, end), plan.checksumAlgorithm, { signal })
    ).catch(async (error: unknown) => {
      entry.checksums.delete(partNumber);
      if (signal.aborted || isAbortError(error)) throw error;
      // Gone only if the file itself is refused now (changed, deleted): a read that failed once (a
      // network drive's hiccup, a hashing worker that died) is tried again with the part.
      const { name } = entry.input.file;
      const bytes = fileBytes(entry.input.file, start, end);
      if (await bytesGone(bytes, { clock: config.clock, signal })) throw fileUnreadable(name, error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new UploadError(
        'read-failed',
        `Part ${partNumber} of "${name}" could not be read to be hashed: ${reason}`,
        {
          cause: error,
        },
      );
    });
    entry.checksums.set(partNumber, promise);
  }
  return promise;
}

function urlIsFresh(config: PartSigningConfig, url: SignedPart | undefined): url is SignedPart {
  return !!url && url.expiresAt - config.clock.now() > config.resignBeforeExpiryMs;
}

/** The part's URL: one signed earlier while it is fresh, else one signed now (with the next ones). */
export async function signedUrl(
  config: PartSigningConfig,
  entry: UploadEntry,
  plan: UploadPlan,
  partNumber: number,
  { signal }: { signal: AbortSignal },
): Promise<SignedPart> {
  const joined = entry.signing.get(partNumber);
  if (joined) await joined;
  const url = entry.urls.get(partNumber);
  if (urlIsFresh(config, url)) return url;
  // The first batch of a run is one part, so the first bytes leave after one hash; then full batches.
  const limit = entry.signedOnce ? config.signBatchSize : 1;
  await signBatch(config, entry, plan, partNumber, limit, { signal });
  const signed = entry.urls.get(partNumber);
  if (!signed) throw new UploadError('api', `The server did not sign part ${partNumber}.`);
  return signed;
}

/**
 * Ask for the next batch once fewer than a batch of signed URLs is unused (or being signed): parts
 * are hashed a batch or two ahead of the PUTs, so a PUT never waits for a whole batch to be hashed.
 */
export function prefetchUrls(
  config: PartSigningConfig,
  entry: UploadEntry,
  plan: UploadPlan,
  { signal }: { signal: AbortSignal },
): void {
  const batch = config.signBatchSize;
  let ready = 0;
  for (const [n, url] of entry.urls) if (!entry.inFlight.has(n) && urlIsFresh(config, url)) ready++;
  for (const n of entry.signing.keys()) if (!entry.urls.has(n)) ready++;
  if (ready >= batch) return;
  // Right after part 1, half a batch: parts 2.. wait for fewer hashes (at most one call more in all).
  const size = entry.signCursor <= 1 ? Math.ceil(batch / 2) : batch;
  let next = entry.signCursor + 1;
  while (next <= plan.partCount && (entry.parts.has(next) || entry.signing.has(next))) next++;
  if (next > plan.partCount) return;
  signBatch(config, entry, plan, next, size, { signal }).catch(() => {
    // A part that needs this URL signs it itself and handles the error.
  });
}

async function signBatch(
  config: PartSigningConfig,
  entry: UploadEntry,
  plan: UploadPlan,
  first: number,
  limit: number,
  { signal }: { signal: AbortSignal },
): Promise<void> {
  const numbers = [first];
  for (let n = first + 1; n <= plan.partCount && numbers.length < limit; n++) {
    if (entry.parts.has(n) || entry.signing.has(n) || entry.inFlight.has(n)) continue;
    if (urlIsFresh(config, entry.urls.get(n))) continue;
    numbers.push(n);
  }
  entry.signedOnce = true;
  entry.signCursor = Math.max(entry.signCursor, numbers[numbers.length - 1]!);
  const promise = (async () => {
    const checksums = await Promise.all(numbers.map((n) => partChecksum(config, entry, plan, n, { signal })));
    const signed = await config.api.signParts(
      plan.token,
      numbers.map((partNumber, i) => ({ partNumber, checksum: checksums[i]! })),
      { signal, ...replaceOptions(entry) },
    );
    adoptToken(config, entry, plan, signed);
    // Kept with their expiry by this browser's clock, which can be minutes off the server's.
    const now = config.clock.now();
    for (const part of signed.parts) {
      entry.urls.set(part.partNumber, { ...part, expiresAt: localExpiry(part, now) });
    }
  })();
  for (const n of numbers) entry.signing.set(n, promise);
  try {
    await promise;
  } finally {
    for (const n of numbers) if (entry.signing.get(n) === promise) entry.signing.delete(n);
  }
}
