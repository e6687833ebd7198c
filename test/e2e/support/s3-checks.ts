import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BUCKET } from './fixtures.ts';

export async function sha256Of(client: S3Client, key: string): Promise<string> {
  const r = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const hash = createHash('sha256');
  for await (const chunk of r.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest('hex');
}

export async function uploadsFor(client: S3Client, key: string) {
  const r = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }));
  return (r.Uploads ?? []).filter((u) => u.Key === key);
}

export async function exists(client: S3Client, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    return true;
  } catch {
    return false;
  }
}

/** Files the embedded store keeps for multipart uploads and in-flight writes (see server/local-s3/layout.ts). */
export async function storeLeftovers(
  dataDir: string,
): Promise<{ uploads: string[]; tmp: string[]; data: string[] }> {
  const base = join(dataDir, 'store');
  const list = (p: string) => readdir(p).catch(() => [] as string[]);
  return {
    uploads: await list(join(base, 'buckets', BUCKET, 'uploads')),
    tmp: await list(join(base, 'tmp')),
    data: await list(join(base, 'buckets', BUCKET, 'data')),
  };
}
