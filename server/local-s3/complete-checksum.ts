import {
  CHECKSUM_ALGORITHMS,
  checksumHeaderName,
  isWellFormedChecksum,
  type Checksum,
  type ChecksumAlgorithm,
  type ChecksumType,
} from './checksum.ts';
import { S3Error } from './errors.ts';

/**
 * The object checksum a CompleteMultipartUpload may carry (x-amz-checksum-<algorithm>, x-amz-checksum-type: what
 * the AWS transfer managers send after computing a FULL_OBJECT CRC themselves), and its check against the value
 * the store computed from the parts. On Complete these headers describe the object, never the XML body.
 */

export interface ClaimedChecksum {
  checksum?: Checksum;
  type?: ChecksumType;
}

/** Reads the claim; a malformed one is an InvalidRequest, as on PutObject. `get` looks a header up by name. */
export function parseClaimedChecksum(get: (name: string) => string | undefined): ClaimedChecksum {
  const claim: ClaimedChecksum = {};
  const typeText = get('x-amz-checksum-type');
  if (typeText !== undefined) {
    const type = typeText.toUpperCase();
    if (type !== 'COMPOSITE' && type !== 'FULL_OBJECT')
      throw new S3Error('InvalidRequest', 'Value for x-amz-checksum-type header is invalid.');
    claim.type = type;
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeaderName(algorithm);
    const value = get(name);
    if (value === undefined) continue;
    if (claim.checksum)
      throw new S3Error(
        'InvalidRequest',
        'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      );
    // A COMPOSITE value ends with its part count, "-N".
    const match = /^([^-]*)(-\d+)?$/.exec(value.trim());
    if (!match || !isWellFormedChecksum(algorithm, match[1]!))
      throw new S3Error('InvalidRequest', `Value for ${name} header is invalid.`);
    claim.checksum = { algorithm, value: value.trim() };
  }
  return claim;
}

/** What the upload was created with (UploadRecord's fields). */
export interface UploadChecksum {
  checksumAlgorithm?: ChecksumAlgorithm | undefined;
  checksumType?: ChecksumType | undefined;
}

/**
 * Throws unless the claim holds for the object about to be completed: a checksum type other than the upload's,
 * or a value other than the one computed, is a BadDigest (S3 names the algorithm in lower case there); a value
 * for another algorithm is refused as UploadPart refuses one. An upload created without an algorithm has no
 * checksum here (S3 would have given it its default CRC64NVME), so a value claimed for it cannot be checked: 501.
 */
export function checkClaimedChecksum(
  upload: UploadChecksum,
  computed: (Checksum & { type: ChecksumType }) | undefined,
  claim: ClaimedChecksum,
): void {
  const algorithm = upload.checksumAlgorithm;
  const type = algorithm ? (upload.checksumType ?? 'COMPOSITE') : 'FULL_OBJECT'; // S3's default, CRC64NVME, is FULL_OBJECT
  if (claim.type !== undefined && claim.type !== type)
    throw new S3Error(
      'BadDigest',
      `The upload was created using the ${type} checksum type. The complete request must use the same checksum type (${claim.type} was given).`,
    );
  const claimed = claim.checksum;
  if (!claimed) return;
  if (!algorithm)
    throw new S3Error(
      'NotImplemented',
      `The local store checks ${checksumHeaderName(claimed.algorithm)} on CompleteMultipartUpload only for uploads created with x-amz-checksum-algorithm (S3 gives the others a CRC64NVME the store does not compute)`,
    );
  if (claimed.algorithm !== algorithm)
    throw new S3Error(
      'InvalidRequest',
      `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${claimed.algorithm.toLowerCase()}`,
    );
  const matches =
    computed !== undefined &&
    (claimed.value === computed.value ||
      (computed.type === 'COMPOSITE' && claimed.value === computed.value.replace(/-\d+$/, '')));
  if (!matches)
    throw new S3Error(
      'BadDigest',
      `The ${algorithm.toLowerCase()} you specified did not match the calculated checksum.`,
    );
}
