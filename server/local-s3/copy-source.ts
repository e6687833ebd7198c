import { S3Error } from './errors.ts';
import { MAX_COPY_SIZE } from '../shared/s3-limits.ts';
import type { ByteRange } from './range.ts';
import { versionIdProblem } from './version-id.ts';

/** The x-amz-copy-source family of CopyObject and UploadPartCopy: which object, which bytes, how big. */

export interface CopySource {
  bucket: string;
  key: string;
  /** `?versionId=`: "null" or of the store's form (version-id.ts); which the source bucket has is the caller's to see */
  versionId?: string;
}

/**
 * `[/]bucket/key[?versionId=id]`, URL-encoded as a whole: the value is split at its first literal `?` and `/`
 * before decoding, so an encoded `?` or `/` stays in the key. A version id must be one that can name a version
 * (version-id.ts). Errors are S3's InvalidArgument answers.
 */
export function parseCopySource(value: string): CopySource {
  const invalid = (message: string) =>
    new S3Error('InvalidArgument', message, { ArgumentName: 'x-amz-copy-source', ArgumentValue: value });
  const qmark = value.indexOf('?');
  const path = qmark === -1 ? value : value.slice(0, qmark);
  const query = qmark === -1 ? '' : value.slice(qmark + 1);
  const start = path.startsWith('/') ? 1 : 0;
  const slash = path.indexOf('/', start);
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalid('Invalid copy source encoding');
    }
  };
  const bucket = decode(path.slice(start, slash === -1 ? undefined : slash));
  if (bucket === '') throw invalid('Invalid copy source bucket name');
  const key = slash === -1 ? '' : decode(path.slice(slash + 1));
  if (key === '') throw invalid('Invalid copy source object key');
  let versionId: string | undefined;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if ((eq === -1 ? pair : pair.slice(0, eq)) === 'versionId')
      versionId = eq === -1 ? '' : decode(pair.slice(eq + 1));
  }
  const problem = versionIdProblem(versionId, true);
  if (problem) throw invalid(problem);
  return { bucket, key, ...(versionId !== undefined ? { versionId } : {}) };
}

/**
 * `x-amz-copy-source-range: bytes=first-last` (both offsets required, inclusive) against the source's size;
 * undefined copies the whole source. A range that is not of that form, or not inside the source, is an
 * InvalidArgument (S3 answers neither with 416).
 */
export function parseCopyRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(value.trim());
  if (!m)
    throw new S3Error(
      'InvalidArgument',
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: value },
    );
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (start > end || end >= size)
    throw new S3Error('InvalidArgument', `Range specified is not valid for source object of size: ${size}`, {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: value,
    });
  return { start, end };
}

/** One copy request moves at most 5 GiB: a bigger object is copied in parts (UploadPartCopy with ranges). */
export function checkCopySize(bytes: number): void {
  if (bytes > MAX_COPY_SIZE)
    throw new S3Error(
      'InvalidRequest',
      `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_COPY_SIZE}`,
    );
}

export type MetadataDirective = 'COPY' | 'REPLACE';

/** x-amz-metadata-directive: COPY (the default) keeps the source's headers, REPLACE takes the request's. */
export function parseMetadataDirective(value: string | undefined): MetadataDirective {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw new S3Error('InvalidArgument', 'Unknown metadata directive.', {
    ArgumentName: 'x-amz-metadata-directive',
    ArgumentValue: value,
  });
}
