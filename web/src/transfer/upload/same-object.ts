import type { KeyExists } from '../../../../server/shared/api-types.ts';

/**
 * After a refused conditional PUT: is the object at the key this very file (our own earlier PUT whose
 * answer was lost)? Compared by the stored checksum (CRC32) or ETag (MD5 of a single PUT), given our
 * part 1's checksum (base64) — the whole file, as a single PUT is one part. Sizes are compared first by
 * the caller.
 */
export function matchesStoredObject(
  existing: Pick<KeyExists['existing'], 'etag' | 'checksum'>,
  checksum: string,
): boolean {
  if (existing.checksum === checksum) return true;
  return existing.etag !== null && existing.etag.replaceAll('"', '') === base64ToHex(checksum);
}

function base64ToHex(base64: string): string {
  return [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}
