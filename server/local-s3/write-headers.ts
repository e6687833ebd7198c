import { S3Error } from './errors.ts';
import { checkStorageClass } from './storage-class.ts';

/**
 * Write headers asking for what the store does not do (encryption, object lock, archive storage classes, ACLs that
 * grant others access, website redirects) are refused, never ignored: a client must not believe its data is
 * encrypted, locked, tiered or public when it is not.
 */

type Headers = ReadonlyMap<string, readonly string[]>;

const SSE_C = /^x-amz-(copy-source-)?server-side-encryption-customer-/;

export function checkWriteHeaders(headers: Headers): void {
  const names = [...headers.keys()];
  const value = (name: string) => headers.get(name)?.join(',').trim();
  if (names.some((n) => SSE_C.test(n)))
    throw new S3Error(
      'InvalidRequest',
      'Server-side encryption with customer-provided keys (SSE-C) is not supported by the local store; the data would not be encrypted.',
    );
  const sse = value('x-amz-server-side-encryption');
  if (sse !== undefined) {
    if (sse === 'aws:kms' || sse === 'aws:kms:dsse')
      throw new S3Error(
        'NotImplemented',
        `Server-side encryption with KMS keys (${sse}) is not supported by the local store.`,
      );
    if (sse === 'AES256')
      throw new S3Error(
        'NotImplemented',
        'Server-side encryption (AES256) is not supported by the local store: it does not encrypt data at rest.',
      );
    throw new S3Error('InvalidArgument', 'The encryption method specified is not supported', {
      ArgumentName: 'x-amz-server-side-encryption',
      ArgumentValue: sse,
    });
  }
  if (names.some((n) => n.startsWith('x-amz-server-side-encryption-')))
    throw new S3Error(
      'NotImplemented',
      'Server-side encryption with KMS keys is not supported by the local store.',
    );
  if (names.some((n) => n.startsWith('x-amz-object-lock-')))
    throw new S3Error('InvalidRequest', 'Bucket is missing Object Lock Configuration');
  checkStorageClass(value('x-amz-storage-class'));
}

/** The canned ACLs that give no one but the owner anything: what every object in the store already has. */
const OWNER_ONLY_ACLS = new Set(['private', 'bucket-owner-full-control']);

/**
 * ACL headers on PutObject, CreateMultipartUpload, CopyObject and Put{Bucket,Object}Acl: the store behaves as an S3
 * bucket with Object Ownership "bucket owner enforced" (the default for new buckets), where only the owner has
 * access. A canned ACL or grant that would give anyone else access is refused as S3 refuses it there, 400
 * AccessControlListNotSupported, rather than stored as private while the client believes it public.
 */
export function checkAclHeaders(headers: Headers): void {
  if (grantsOthers(headers)) throw new S3Error('AccessControlListNotSupported');
}

/** CreateBucket's ACL headers: S3 answers an ACL that grants others access 400 InvalidBucketAclWithObjectOwnership. */
export function checkBucketAclHeaders(headers: Headers): void {
  if (grantsOthers(headers))
    throw new S3Error(
      'InvalidBucketAclWithObjectOwnership',
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
}

function grantsOthers(headers: Headers): boolean {
  const acl = headers.get('x-amz-acl')?.join(',').trim();
  return (
    (acl !== undefined && !OWNER_ONLY_ACLS.has(acl)) ||
    [...headers.keys()].some((n) => n.startsWith('x-amz-grant-'))
  );
}

/**
 * Headers that set up a new object: ACLs (checkAclHeaders) and a website redirect, which the store refuses (501)
 * rather than keeps: it has no website endpoint, so the redirect could never take effect.
 */
export function checkNewObjectHeaders(headers: Headers): void {
  checkAclHeaders(headers);
  if (headers.has('x-amz-website-redirect-location'))
    throw new S3Error(
      'NotImplemented',
      'Website redirects (x-amz-website-redirect-location) are not supported by the local store: it has no website endpoint.',
      { Header: 'x-amz-website-redirect-location' },
    );
}

/**
 * The conditional writes S3 implements (PutObject, CopyObject, CompleteMultipartUpload): `If-None-Match: *` or
 * `If-Match: <etag>`, one of them. Anything else is S3's 501, not a condition ignored: a client that sent
 * `If-None-Match: "<etag>"` must not have its object overwritten as if it had asked for nothing.
 */
export function checkWriteConditionHeaders(headers: Headers): void {
  const ifNoneMatch = headers.get('if-none-match')?.join(',').trim();
  if (ifNoneMatch === undefined) return;
  if (headers.has('if-match'))
    throw new S3Error('NotImplemented', 'If-Match and If-None-Match cannot be used together on a write.', {
      Header: 'If-None-Match',
    });
  if (ifNoneMatch !== '*') throw new S3Error('NotImplemented', undefined, { Header: 'If-None-Match' });
}
