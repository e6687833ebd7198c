import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import type { S3Target } from './target.ts';

export async function setVersioning(t: S3Target, Status: 'Enabled' | 'Suspended') {
  await t.client.send(
    new PutBucketVersioningCommand({ Bucket: t.bucket, VersioningConfiguration: { Status } }),
  );
}

/** A versioned bucket keeps every version and delete marker: they go too, or it cannot be deleted. */
export async function deleteEveryVersion(t: S3Target) {
  for (;;) {
    const page = await t.client.send(new ListObjectVersionsCommand({ Bucket: t.bucket }));
    const all = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId,
    }));
    if (all.length === 0) return;
    await t.client.send(
      new DeleteObjectsCommand({ Bucket: t.bucket, Delete: { Objects: all, Quiet: true } }),
    );
  }
}
