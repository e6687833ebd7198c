import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BUCKET } from './fixtures.ts';
import { makeFile } from './make-file.ts';

export interface Seeded {
  key: string;
  size: number;
  sha256: string;
}

/**
 * The checksums seeded objects carry: CRC32, or CRC64NVME (S3's default, and what aws-cli sends); or
 * 'MD5': none kept, only Content-MD5 sent (as Hoist uploads to a store that checks only that, such as
 * Ceph RGW 16), so the ETag is all there is to verify against.
 */
export type SeedChecksum = 'CRC32' | 'CRC64NVME' | 'MD5';

const md5Base64 = (body: Uint8Array) => createHash('md5').update(body).digest('base64');
const integrity = (body: Uint8Array, algorithm: SeedChecksum) =>
  algorithm === 'MD5' ? { ContentMD5: md5Base64(body) } : { ChecksumAlgorithm: algorithm };

/** Puts an object of random bytes (with a CRC32, or `algorithm`, the downloader can verify). */
export async function seedObject(
  client: S3Client,
  key: string,
  size: number,
  algorithm: SeedChecksum = 'CRC32',
): Promise<Seeded> {
  const body = randomBytes(size);
  await client.send(
    new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ...integrity(body, algorithm) }),
  );
  return { key, size, sha256: createHash('sha256').update(body).digest('hex') };
}

/** A big object streamed from a temp file. */
export async function seedBigObject(
  client: S3Client,
  dir: string,
  key: string,
  size: number,
): Promise<Seeded> {
  const file = await makeFile(dir, `seed-${Date.now()}.bin`, size);
  await client.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: key,
      Body: createReadStream(file.path),
      ContentLength: size,
    }),
  );
  return { key, size, sha256: file.sha256 };
}

/**
 * An object uploaded in parts of `partSize` with CRC32 part checksums, as the AWS SDKs and CLI do:
 * its checksum is COMPOSITE ("…-N"). With CRC64NVME it is FULL_OBJECT, the CRC64NVME of all its bytes
 * (S3 has no other kind of CRC64NVME). With 'MD5' it has none: its ETag is the MD5 of the part MD5s.
 */
export async function seedMultipartObject(
  client: S3Client,
  key: string,
  size: number,
  partSize: number,
  algorithm: SeedChecksum = 'CRC32',
): Promise<Seeded> {
  const hash = createHash('sha256');
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      ...(algorithm === 'MD5' ? {} : { ChecksumAlgorithm: algorithm }),
    }),
  );
  const parts = [];
  for (let start = 0, n = 1; start < size; start += partSize, n++) {
    const body = randomBytes(Math.min(partSize, size - start));
    hash.update(body);
    const out = await client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: key,
        UploadId,
        PartNumber: n,
        Body: body,
        ...integrity(body, algorithm),
      }),
    );
    parts.push({
      PartNumber: n,
      ETag: out.ETag,
      ChecksumCRC32: out.ChecksumCRC32,
      ChecksumCRC64NVME: out.ChecksumCRC64NVME,
    });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  return { key, size, sha256: hash.digest('hex') };
}

export async function seedMany(client: S3Client, specs: { key: string; size: number }[], parallel = 16) {
  const out: Seeded[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < specs.length) {
        const spec = specs[next++]!;
        out.push(await seedObject(client, spec.key, spec.size));
      }
    }),
  );
  return out;
}
