import { S3Error } from './errors.ts';

/**
 * Write headers asking for what the store does not do (encryption, object lock, other storage classes) are
 * refused, never ignored: a client must not believe its data is encrypted, locked or tiered when it is not.
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
  const storageClass = value('x-amz-storage-class');
  if (storageClass !== undefined && storageClass !== 'STANDARD')
    throw new S3Error(
      'InvalidStorageClass',
      `The storage class you specified is not valid: the local store keeps every object as STANDARD.`,
      { StorageClassRequested: storageClass },
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
