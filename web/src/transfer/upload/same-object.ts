import type { ChecksumAlgorithm, KeyExists, ObjectProperties } from '../../../../server/shared/api-types.ts';
import { noProperties } from '../../../../server/shared/object-properties.ts';
import { parseEtag } from '../../../../server/shared/etag.ts';
import { layoutFits, type PartLayout } from '../../../../server/shared/part-layout.ts';
import { commonLayouts } from '../shared/tool-layouts.ts';

/** A whole file's checksum (base64) by one algorithm. */
export interface FileChecksum {
  algorithm: ChecksumAlgorithm;
  checksum: string;
}

type Stored = Pick<KeyExists['existing'], 'etag' | 'checksum' | 'checksumAlgorithm'>;

/**
 * The algorithms to hash a file with to prove it is the object at its key: MD5, when the object's ETag
 * is a single PUT's MD5 (32 hex digits; a multipart upload's ends in "-N"), and CRC32 as well when the
 * store keeps the object's CRC32 (an answer that names no algorithm gives the store's own, CRC32 where
 * it keeps checksums). Empty: nothing proves it, and the user is asked. A CRC32 alone is no proof: 32
 * bits, which two files of one size share by chance one time in four billion, and which anyone can give
 * a file of their making (an outside tester had a different file taken for the object that way). An
 * ETag of 32 hex digits that is no MD5 (SSE-KMS, SSE-C) matches nothing: the user is asked then too.
 */
export function proofAlgorithms(existing: Stored): ChecksumAlgorithm[] {
  if (existing.etag === null || !/^"?[0-9a-f]{32}"?$/i.test(existing.etag)) return [];
  const crc32 = existing.checksum !== undefined && (existing.checksumAlgorithm ?? 'CRC32') === 'CRC32';
  return crc32 ? ['MD5', 'CRC32'] : ['MD5'];
}

/**
 * Is the object at the key this very file? `ours`: the whole file's checksums (part 1's, as a single
 * PUT is one part), of every algorithm `proofAlgorithms` names, each matching what the object has: its
 * ETag for MD5, its stored checksum for CRC32. Sizes are compared first by the caller.
 */
export function matchesStoredObject(existing: Stored, ours: readonly FileChecksum[]): boolean {
  const needed = proofAlgorithms(existing);
  return (
    needed.length > 0 &&
    needed.every((algorithm) => ours.some((o) => o.algorithm === algorithm && matchesOne(existing, o)))
  );
}

function matchesOne(existing: Stored, ours: FileChecksum): boolean {
  if (ours.algorithm === 'MD5')
    return existing.etag !== null && existing.etag.replaceAll('"', '') === base64ToHex(ours.checksum);
  // A store that does not say which algorithm (older answers) gives the one it was asked for.
  const algorithm = existing.checksumAlgorithm ?? ours.algorithm;
  return algorithm === ours.algorithm && existing.checksum === ours.checksum;
}

/**
 * The parts to hash a file of `size` bytes by, to prove it is the multipart object at its key (an ETag
 * "…-N": the MD5 of its N parts' MD5s): Hoist's own layout, or another common uploader's, of N parts
 * (tool-layouts.ts), every one that has N parts (a 10 MiB file is 2 parts as Hoist and as the AWS CLI cut
 * it), most likely first. That ETag recomputed from the file is as strong a proof as a single PUT's MD5:
 * 128 bits over every byte. A layout that does not give it back proves nothing (parts of other sizes make
 * the same count), so the user is asked then, as when no layout has N parts (none).
 */
export function multipartProofLayouts(existing: Pick<Stored, 'etag'>, size: number): PartLayout[] {
  const etag = existing.etag === null ? null : parseEtag(existing.etag);
  if (etag?.kind !== 'multipart') return [];
  // One part is the whole file (the AWS CLI sends a file of exactly 8 MiB so).
  if (etag.parts === 1) return size > 0 ? [{ partSize: size, count: 1 }] : [];
  return commonLayouts(size, etag.parts).filter((layout) => layoutFits(layout, size));
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
