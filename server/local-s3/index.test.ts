import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from './index.ts';
import { Layout } from './layout.ts';

/** The store as other S3 tools see it: started on a real temp dir, spoken to over HTTP with the SDK. */

const credentials = {
  accessKeyId: 'TESTKEY0000000000000',
  secretAccessKey: 'test-secret-key-0000000000000000000000',
};
const Bucket = 'bucket';
let dir: string;
const started: LocalS3[] = [];
const clients: S3Client[] = [];

async function start(): Promise<{ store: LocalS3; client: S3Client }> {
  const store = await startLocalS3({ dataDir: dir, port: 0, credentials, buckets: [Bucket] });
  started.push(store);
  const client = new S3Client({
    endpoint: store.endpoint,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
  });
  clients.push(client);
  return { store, client };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'local-s3-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(started.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('a Complete sent again after a crash during its clean-up', () => {
  it('answers 200 with the object it made, not InvalidPart', async () => {
    const first = await start();
    const { UploadId } = await first.client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const { ETag } = await first.client.send(
      new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'whole file' }),
    );
    const layout = new Layout(dir);
    const uploadJson = await readFile(layout.uploadFile(Bucket, UploadId!), 'utf8');
    const complete = new CompleteMultipartUploadCommand({
      Bucket,
      Key: 'k',
      UploadId,
      MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] },
    });
    const made = await first.client.send(complete);
    await first.store.close();
    // What the process left when killed while removing the upload: its record, not its part records.
    await mkdir(layout.uploadDir(Bucket, UploadId!));
    await writeFile(layout.uploadFile(Bucket, UploadId!), uploadJson);

    const again = await start();
    const retried = await again.client.send(complete);
    expect(retried.ETag).toBe(made.ETag);
  });
});
