import type { ChecksumAlgorithm, KeyExists } from '../../../../server/shared/api-types.ts';

/**
 * Is the object at the key this very file? Compared by the stored full-object checksum (of the same
 * algorithm) or, for MD5, by the ETag (the MD5 of a single PUT), given the whole file's checksum
 * (base64): part 1's, as a single PUT is one part. Sizes are compared first by the caller.
 */
export function matchesStoredObject(
  existing: Pick<KeyExists['existing'], 'etag' | 'checksum' | 'checksumAlgorithm'>,
  ours: { algorithm: ChecksumAlgorithm; checksum: string },
): boolean {
  if (ours.algorithm === 'MD5')
    return existing.etag !== null && existing.etag.replaceAll('"', '') === base64ToHex(ours.checksum);
  // A store that does not say which algorithm (older answers) gives the one it was asked for.
  const algorithm = existing.checksumAlgorithm ?? ours.algorithm;
  return algorithm === ours.algorithm && existing.checksum === ours.checksum;
}

function base64ToHex(base64: string): string {
  return [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
