import { S3Error } from './errors.ts';

/** Parses a single `Range: bytes=…` against an object size. Undefined = serve the whole object. */
export interface ByteRange {
  start: number;
  /** inclusive */
  end: number;
}

export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined; // multiple or malformed ranges: S3 ignores them
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end };
}

/** S3's 416 names the range asked for and the object's size. */
function unsatisfiable(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', undefined, { RangeRequested: header, ActualObjectSize: String(size) });
}

/**
 * The bytes of part `partNumber` of an object (GET/HEAD `?partNumber=`): for a multipart object the
 * part as uploaded; any other object is one part. InvalidPartNumber past the last part.
 */
export function partRange(partSizes: readonly number[], partNumber: number): ByteRange {
  if (partNumber > partSizes.length)
    throw new S3Error('InvalidPartNumber', undefined, {
      PartNumberRequested: String(partNumber),
      ActualPartCount: String(partSizes.length),
    });
  let start = 0;
  for (let i = 0; i < partNumber - 1; i++) start += partSizes[i] ?? 0;
  return { start, end: start + (partSizes[partNumber - 1] ?? 0) - 1 };
}
