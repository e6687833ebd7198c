import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc64NvmeBase64, loadCrc64Nvme } from '../../server/local-s3/crc64nvme.ts';
import { presignClient } from './support/presign.ts';
import { getTarget, type S3Target } from './support/target.ts';

// x-amz-checksum-crc64nvme: checked on PutObject and UploadPart and returned; CreateMultipartUpload takes CRC64NVME
// (FULL_OBJECT, as on S3: the completed object carries the CRC64NVME of all its bytes). RGW 16 ignores flexible
// checksums, right or wrong (see /work/shared/s3/README.md).

let target: S3Target;
beforeAll(async () => {
  target = await getTarget();
  await loadCrc64Nvme(); // the test computes expected values itself
});
afterAll(async () => {
  await target?.close();
});

const crc64 = crc64NvmeBase64;
const WRONG = Buffer.alloc(8, 0x5a).toString('base64');

type Outcome = 'ok' | string;
const outcome = (p: Promise<unknown>): Promise<Outcome> =>
  p.then(
    () => 'ok',
    (e: { name: string }) => e.name,
  );

describe('CRC64NVME', () => {
  it('checks x-amz-checksum-crc64nvme on PutObject, returns it and keeps it for HEAD', async () => {
    // An SDK client that adds no checksum of its own: the header sent is the one given.
    const client = presignClient(target);
    const body = randomBytes(100_000);
    const put = await client.send(
      new PutObjectCommand({
        Bucket: target.bucket,
        Key: 'crc64/ok.bin',
        Body: body,
        ChecksumCRC64NVME: crc64(body),
      }),
    );
    const bad = await outcome(
      client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: 'crc64/bad.bin',
          Body: body,
          ChecksumCRC64NVME: WRONG,
        }),
      ),
    );
    const head = await client.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: 'crc64/ok.bin', ChecksumMode: 'ENABLED' }),
    );
    client.destroy();
    if (target.kind === 'rgw') {
      expect([bad, put.ChecksumCRC64NVME, head.ChecksumCRC64NVME]).toEqual(['ok', undefined, undefined]);
      return;
    }
    expect(bad).toBe('BadDigest');
    expect([put.ChecksumCRC64NVME, put.ChecksumType]).toEqual([crc64(body), 'FULL_OBJECT']);
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([crc64(body), 'FULL_OBJECT']);
  });

  it('takes CRC64NVME on CreateMultipartUpload (FULL_OBJECT) and checks each part', async () => {
    const client = presignClient(target);
    const { bucket } = target;
    const key = 'crc64/multipart.bin';
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ChecksumAlgorithm: 'CRC64NVME' }),
    );
    const part = randomBytes(50_000);
    const send = (value: string) =>
      client.send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: created.UploadId,
          PartNumber: 1,
          Body: part,
          ChecksumCRC64NVME: value,
        }),
      );
    const bad = await outcome(send(WRONG));
    const good = await send(crc64(part));
    const done = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: created.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: good.ETag!, ChecksumCRC64NVME: crc64(part) }] },
      }),
    );
    client.destroy();
    const head = await target.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ContentLength).toBe(part.length);
    if (target.kind === 'rgw') {
      expect([created.ChecksumAlgorithm, bad, good.ChecksumCRC64NVME]).toEqual([undefined, 'ok', undefined]);
      return;
    }
    expect([created.ChecksumAlgorithm, created.ChecksumType]).toEqual(['CRC64NVME', 'FULL_OBJECT']);
    expect([bad, good.ChecksumCRC64NVME]).toEqual(['BadDigest', crc64(part)]);
    // One part: the whole-object CRC64NVME, combined from the parts' (store-full-object.test.ts has more).
    expect([done.ChecksumCRC64NVME, done.ChecksumType]).toEqual([crc64(part), 'FULL_OBJECT']);
  });
});
