import type { ChecksumAlgorithm, KeyExists, ObjectProperties } from '../../../../server/shared/api-types.ts';
import { noProperties } from '../../../../server/shared/object-properties.ts';

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

/**
 * The algorithm to hash a file with to compare it with the object at its key (`preferred`, the one
 * already hashed, when it will do): CRC32 when the store keeps the object's CRC32 (an answer that
 * names none gives the store's own, CRC32 where it keeps checksums), MD5 when its ETag is a single
 * PUT's MD5 (32 hex digits; a multipart upload's ends in "-N"). Null: nothing to compare with.
 */
export function comparableAlgorithm(
  existing: Pick<KeyExists['existing'], 'etag' | 'checksum' | 'checksumAlgorithm'>,
  preferred?: ChecksumAlgorithm,
): ChecksumAlgorithm | null {
  const byChecksum = existing.checksum !== undefined && (existing.checksumAlgorithm ?? 'CRC32') === 'CRC32';
  const byEtag = existing.etag !== null && /^"?[0-9a-f]{32}"?$/i.test(existing.etag);
  if (preferred && (preferred === 'CRC32' ? byChecksum : byEtag)) return preferred;
  return byChecksum ? 'CRC32' : byEtag ? 'MD5' : null;
}

/** Hex digits (lower case) of a base64 digest. */
export function base64ToHex(base64: string): string {
  return [...atob(base64)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/**
 * Would the file, uploaded with `properties`, make the object there if its bytes are the same? Only
 * with no properties asked for (the type, metadata or tags may be what differs), or a storage class
 * alone that is the object's own (as `aws s3 sync --storage-class` skips an unchanged file).
 */
export function sameSettingsAsThere(
  properties: ObjectProperties | undefined,
  existing: Pick<KeyExists['existing'], 'storageClass'>,
): boolean {
  if (noProperties(properties)) return true;
  const { storageClass, ...rest } = properties!;
  return noProperties(rest) && storageClass === (existing.storageClass ?? 'STANDARD');
}
