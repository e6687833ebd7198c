/**
 * How the common uploaders cut an object into parts by default, for what can be proved of an object by
 * its multipart ETag ("…-N", the MD5 of its parts' MD5s) without knowing its parts: a download checks
 * the bytes it got (download/etag-check.ts), an upload whether the file is the object at its key
 * already (upload/same-object.ts). Pure.
 */
import type { PartLayout } from '../../../../server/shared/part-layout.ts';
import { planParts } from '../../../../server/uploads/plan-parts.ts';
import { MAX_PARTS, MAX_PART_SIZE } from '../../../../server/shared/s3-limits.ts';

const MiB = 1024 ** 2;

/** How Hoist itself cuts an object of `size` bytes into parts (null: it sends it in one request). */
export function hoistLayout(size: number): PartLayout | null {
  try {
    const plan = planParts(size);
    return plan.kind === 'multipart' ? { partSize: plan.partSize, count: plan.partCount } : null;
  } catch {
    return null; // a size Hoist would not upload
  }
}

/**
 * The part size `base`, doubled until the object fits in 10,000 parts: how s3transfer (the AWS CLI, v1
 * and v2, and boto3's `upload_file`) adjusts its 8 MiB `multipart_chunksize`.
 */
function doubledToFit(size: number, base: number): PartLayout | null {
  let partSize = base;
  while (Math.ceil(size / partSize) > MAX_PARTS) partSize *= 2;
  return partSize <= MAX_PART_SIZE ? { partSize, count: Math.ceil(size / partSize) } : null;
}

/**
 * The layouts the common uploaders give an object of `size` bytes, most likely first: Hoist's own
 * (also the AWS SDKs' `Upload` and rclone's 5 MiB, for objects under 48 GiB), the AWS CLI and boto3
 * (8 MiB, doubled past 10,000 parts), MinIO's `mc` and minio-go (16 MiB steps, as many as 10,000 parts
 * need), s3cmd (15 MiB).
 */
export function toolLayouts(size: number): PartLayout[] {
  const minio = Math.max(1, Math.ceil(Math.floor(size / MAX_PARTS) / (16 * MiB))) * 16 * MiB;
  const layouts = [
    hoistLayout(size),
    doubledToFit(size, 8 * MiB),
    { partSize: minio, count: Math.ceil(size / minio) },
    { partSize: 15 * MiB, count: Math.ceil(size / (15 * MiB)) },
  ];
  return layouts.filter((layout): layout is PartLayout => !!layout && layout.count > 1);
}

/** Every one of the common uploaders' layouts (`toolLayouts`) with `parts` parts, once each, most likely first. */
export function commonLayouts(size: number, parts: number): PartLayout[] {
  const layouts = toolLayouts(size).filter((layout) => layout.count === parts);
  return layouts.filter((layout, i) => layouts.findIndex((l) => l.partSize === layout.partSize) === i);
}

/** The first of the common uploaders' layouts (`toolLayouts`) with `parts` parts, or null. */
export function commonLayout(size: number, parts: number): PartLayout | null {
  return commonLayouts(size, parts)[0] ?? null;
}
