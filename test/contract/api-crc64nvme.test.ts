import { randomBytes, randomUUID } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink, DownloadLinks, ObjectDetails } from '../../server/shared/api-types.ts';
import { crc64NvmeBase64, loadCrc64Nvme } from '../../server/local-s3/crc64nvme.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, type S3Target } from './support/target.ts';

// S3 gives new objects a CRC64NVME when the writer sends no checksum (since late 2024), and aws-cli and
// boto3 send one: the download links and the details must carry it, as they carry a CRC32.

const MiB = 1024 * 1024;
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;
let prefix: string;

beforeAll(async () => {
  target = await getTarget();
  prefix = `crc64-${randomUUID().slice(0, 8)}/`;
  h = await apiOver(target, { HOIST_KEY_PREFIX: prefix });
  await loadCrc64Nvme(); // the expected values, computed here
});
afterAll(async () => {
  await target?.close();
});

const crc64 = crc64NvmeBase64;

/** What the link, the batch of links and the details say of the object's checksum. */
async function reported(key: string) {
  const link = (await (await h.api.objects.download.$post({ json: { key } })).json()) as DownloadLink;
  const batch = (await (
    await h.api.objects['download-links'].$post({ json: { keys: [key] } })
  ).json()) as DownloadLinks;
  const details = (await (await h.api.objects.details.$post({ json: { key } })).json()) as ObjectDetails;
  return [link.checksum, batch.links[0]?.checksum, details.checksum];
}

describe('CRC64NVME objects through the API', () => {
  it('reports the CRC64NVME of an object put with one in its download links and details', async () => {
    const key = `${prefix}put.bin`;
    const body = randomBytes(70_000);
    // The SDK computes the CRC64NVME itself (AWS's implementation); the store checks it.
    const put = await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: key, Body: body, ChecksumAlgorithm: 'CRC64NVME' }),
    );
    if (target.kind === 'rgw') {
      // RGW 16 ignores flexible checksums: none is kept, none reported.
      expect(await reported(key)).toEqual([undefined, undefined, undefined]);
      return;
    }
    expect(put.ChecksumCRC64NVME).toBe(crc64(body));
    const want = { algorithm: 'CRC64NVME', value: crc64(body), composite: false };
    expect(await reported(key)).toEqual([want, want, want]);
  });

  it('reports the FULL_OBJECT CRC64NVME of a multipart object (never composite, no part layout)', async () => {
    const key = `${prefix}parts.bin`;
    const parts = [randomBytes(5 * MiB), randomBytes(123_457)];
    const { UploadId } = await target.client.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: key, ChecksumAlgorithm: 'CRC64NVME' }),
    );
    const sent = [];
    for (const [i, body] of parts.entries()) {
      const out = await target.client.send(
        new UploadPartCommand({
          Bucket: target.bucket,
          Key: key,
          UploadId,
          PartNumber: i + 1,
          Body: body,
          ChecksumAlgorithm: 'CRC64NVME',
        }),
      );
      sent.push({ PartNumber: i + 1, ETag: out.ETag, ChecksumCRC64NVME: out.ChecksumCRC64NVME });
    }
    const done = await target.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: sent },
      }),
    );
    const reports = await reported(key);
    if (target.kind === 'rgw') {
      expect(reports).toEqual([undefined, undefined, undefined]);
      return;
    }
    const whole = crc64(Buffer.concat(parts));
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([whole, 'FULL_OBJECT']);
    const want = { algorithm: 'CRC64NVME', value: whole, composite: false };
    expect(reports).toEqual([want, want, want]);
  });
});
