import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  ListMultipartUploadsCommand,
  AbortMultipartUploadCommand,
  ListObjectsV2Command,
  DeleteObjectsCommand,
  PutBucketCorsCommand,
  S3Client,
  type CORSRule,
} from '@aws-sdk/client-s3';
import { startLocalS3, type LocalS3 } from '../../../server/local-s3/index.ts';

/**
 * The S3 endpoint the contract suites run against: S3_ENDPOINT (RGW, AWS, MinIO…) with a fresh bucket per
 * suite, or else the embedded store in a fresh temp dir on a random port.
 */
export interface S3Target {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  kind: 'embedded' | 'rgw' | 'other';
  client: S3Client;
  /** embedded only */
  dataDir?: string;
  /** embedded only: stop and start the store again on the same data dir and port */
  restart?: () => Promise<void>;
  close(): Promise<void>;
}

export const PERMISSIVE_CORS: CORSRule[] = [
  {
    AllowedOrigins: ['*'],
    AllowedMethods: ['GET', 'PUT', 'POST', 'DELETE', 'HEAD'],
    AllowedHeaders: ['*'],
    ExposeHeaders: [
      'ETag',
      'x-amz-checksum-crc32',
      'x-amz-checksum-crc32c',
      'x-amz-checksum-sha256',
      'x-amz-request-id',
    ],
    MaxAgeSeconds: 600,
  },
];

export function uniqueBucketName(prefix = 'hoist-test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export function makeClient(endpoint: string, region: string, credentials: S3Target['credentials']): S3Client {
  return new S3Client({ endpoint, region, credentials, forcePathStyle: true });
}

export async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    for (const u of uploads.Uploads ?? [])
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key!, UploadId: u.UploadId! }),
      );
    if (!uploads.IsTruncated) break;
  }
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key! }));
    if (keys.length === 0) break;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
}

/** The kind of target the environment selects, known before the suite starts (for it.runIf). */
export function targetKind(): S3Target['kind'] {
  const endpoint = process.env['S3_ENDPOINT'];
  if (!endpoint) return 'embedded';
  return process.env['S3_KIND'] === 'rgw' || /\/\/(127\.0\.0\.1|localhost):7480\/?$/.test(endpoint)
    ? 'rgw'
    : 'other';
}

export async function getTarget(
  options: {
    cors?: CORSRule[];
    /** embedded only: the store's clock (its answers' Date, its checks of signing times) */
    storeNow?: () => Date;
  } = {},
): Promise<S3Target> {
  const cors = options.cors ?? PERMISSIVE_CORS;
  const endpoint = process.env['S3_ENDPOINT'];
  if (endpoint) {
    if (options.storeNow) throw new Error('storeNow sets the clock of the embedded store only');
    const region = process.env['AWS_REGION'] ?? process.env['S3_REGION'] ?? 'us-east-1';
    const credentials = {
      accessKeyId: process.env['AWS_ACCESS_KEY_ID'] ?? process.env['S3_ACCESS_KEY_ID'] ?? '',
      secretAccessKey: process.env['AWS_SECRET_ACCESS_KEY'] ?? process.env['S3_SECRET_ACCESS_KEY'] ?? '',
    };
    const kind =
      process.env['S3_KIND'] === 'rgw' || /\/\/(127\.0\.0\.1|localhost):7480\/?$/.test(endpoint)
        ? 'rgw'
        : 'other';
    const client = makeClient(endpoint, region, credentials);
    const bucket = uniqueBucketName();
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: cors } }));
    return {
      endpoint,
      region,
      credentials,
      bucket,
      kind,
      client,
      async close() {
        await emptyBucket(client, bucket).catch(() => undefined);
        await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
        client.destroy();
      },
    };
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-store-'));
  const region = 'us-east-1';
  const credentials = {
    accessKeyId: 'TESTKEY' + randomBytes(6).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(20).toString('hex'),
  };
  const bucket = uniqueBucketName();
  const start = (port: number) =>
    startLocalS3({
      dataDir,
      port,
      region,
      credentials,
      buckets: [bucket],
      cors: cors as LocalS3Options['cors'],
      ...(options.storeNow && { now: options.storeNow }),
    });
  let store: LocalS3 = await start(0);
  const endpoint0 = store.endpoint;
  const client = makeClient(endpoint0, region, credentials);
  return {
    endpoint: endpoint0,
    region,
    credentials,
    bucket,
    kind: 'embedded',
    client,
    dataDir,
    async restart() {
      await store.close();
      store = await start(Number(new URL(endpoint0).port));
    },
    async close() {
      client.destroy();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

type LocalS3Options = Parameters<typeof startLocalS3>[0];
