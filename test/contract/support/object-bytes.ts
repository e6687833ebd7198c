import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Target } from './target.ts';

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The SHA-256 of the object's bytes as the store gives them, or null when there is no such key. */
export async function sha256Of(target: S3Target, key: string): Promise<string | null> {
  try {
    const r = await target.client.send(new GetObjectCommand({ Bucket: target.bucket, Key: key }));
    return sha256Hex(await r.Body!.transformToByteArray());
  } catch {
    return null;
  }
}
