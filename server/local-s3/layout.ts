import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { S3Error } from './errors.ts';
import { MAX_KEY_BYTES } from '../shared/s3-limits.ts';

/**
 * Where things live under the data dir. Keys never become paths: an object's metadata file is named by the
 * SHA-256 of its key, data files and uploads by random ids. Bucket names are validated to S3's rules first.
 *
 *   {dataDir}/tmp/…                                  in-flight writes (same filesystem, renamed into place)
 *   {dataDir}/buckets/{bucket}/bucket.json           creation date, CORS rules
 *   {dataDir}/buckets/{bucket}/objects/{sha256(key)}.json   object manifest (key, etag, parts → data files)
 *   {dataDir}/buckets/{bucket}/objects/{sha256(key)}.json   a versioned bucket's: the current version, which may
 *                                                    be a delete marker ({"key","deleteMarker":true,…})
 *   {dataDir}/buckets/{bucket}/versions/{sha256(key)}.{versionId|null}.json   a versioned bucket's other versions
 *                                                    (only once its versioning was set)
 *   {dataDir}/buckets/{bucket}/data/{id}             object and part bytes
 *   {dataDir}/buckets/{bucket}/uploads/{uploadId}/upload.json, part-{n}.json
 */

export function objectMetaName(key: string): string {
  return `${createHash('sha256').update(key, 'utf8').digest('hex')}.json`;
}

export function newId(): string {
  return randomBytes(16).toString('hex');
}

export class Layout {
  constructor(readonly dataDir: string) {}
  get tmpDir(): string {
    return join(this.dataDir, 'tmp');
  }
  get bucketsDir(): string {
    return join(this.dataDir, 'buckets');
  }
  tmpFile(): string {
    return join(this.tmpDir, newId());
  }
  bucketDir(bucket: string): string {
    return join(this.bucketsDir, bucket);
  }
  bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }
  objectsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'objects');
  }
  objectMeta(bucket: string, key: string): string {
    return join(this.objectsDir(bucket), objectMetaName(key));
  }
  versionsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'versions');
  }
  /** A noncurrent version's manifest: `versionId` is "null" or of the store's form (version-id.ts), never a path. */
  versionFile(bucket: string, key: string, versionId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(versionId))
      throw new S3Error('InternalError', `bad version id ${JSON.stringify(versionId)}`);
    return join(
      this.versionsDir(bucket),
      `${objectMetaName(key).slice(0, -'.json'.length)}.${versionId}.json`,
    );
  }
  dataDirOf(bucket: string): string {
    return join(this.bucketDir(bucket), 'data');
  }
  dataFile(bucket: string, id: string): string {
    assertId(id);
    return join(this.dataDirOf(bucket), id);
  }
  uploadsDir(bucket: string): string {
    return join(this.bucketDir(bucket), 'uploads');
  }
  uploadDir(bucket: string, uploadId: string): string {
    assertId(uploadId);
    return join(this.uploadsDir(bucket), uploadId);
  }
  uploadFile(bucket: string, uploadId: string): string {
    return join(this.uploadDir(bucket, uploadId), 'upload.json');
  }
  partFile(bucket: string, uploadId: string, partNumber: number): string {
    return join(this.uploadDir(bucket, uploadId), `part-${partNumber}.json`);
  }
}

export function isId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

function assertId(id: string): void {
  if (!isId(id)) throw new S3Error('InternalError', `bad internal id ${JSON.stringify(id)}`);
}

/** S3's bucket naming rules (general purpose buckets). */
export function isValidBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.endsWith('-s3alias')
  );
}

export function validateKey(key: string): void {
  if (key === '') throw new S3Error('InvalidArgument', 'Key must not be empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
    throw new S3Error('KeyTooLongError', undefined, {
      MaxSizeAllowed: String(MAX_KEY_BYTES),
      Size: String(Buffer.byteLength(key)),
    });
}
