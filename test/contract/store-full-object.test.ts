import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListPartsCommand,
  UploadPartCommand,
  type ChecksumAlgorithm,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, crcToBase64 } from '../../server/local-s3/crc.ts';
import { crc64NvmeBase64, loadCrc64Nvme } from '../../server/local-s3/crc64nvme.ts';
import { errorOf } from './support/error-of.ts';
import { presignClient } from './support/presign.ts';
import { getTarget, type S3Target } from './support/target.ts';

/**
 * FULL_OBJECT multipart checksums, as the AWS CRT transfer managers and the C++ TransferManager use them:
 * CreateMultipartUpload with a CRC algorithm and `x-amz-checksum-type: FULL_OBJECT` (CRC64NVME is always
 * so), parts checked one by one, and on Complete the CRC of the whole object, which the store combines
 * from the parts' CRCs and checks against the one the client computed (BadDigest when they differ).
 * RGW 16 ignores flexible checksums, right or wrong (see /work/shared/s3/README.md).
 */
const MiB = 1024 * 1024;
let target: S3Target;
let s3: S3Client;
/** no checksum of its own: the values sent are the ones given */
let plain: S3Client;
beforeAll(async () => {
  target = await getTarget();
  s3 = target.client;
  plain = presignClient(target);
  await loadCrc64Nvme(); // the test computes expected values itself
});
afterAll(async () => {
  plain?.destroy();
  await target?.close();
});

const rgw = () => target.kind === 'rgw';
const crc32Of = (b: Uint8Array) => crcToBase64(crc32(b));
const crc64Of = crc64NvmeBase64;

/** Uploads `parts` (checksum computed by the SDK for CRC32, given for CRC64NVME) and lists them for Complete. */
async function uploadParts(
  key: string,
  uploadId: string,
  algorithm: ChecksumAlgorithm,
  parts: Buffer[],
): Promise<CompletedPart[]> {
  const done: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const common = { Bucket: target.bucket, Key: key, UploadId: uploadId, PartNumber: i + 1, Body: body };
    const out =
      algorithm === 'CRC64NVME'
        ? await plain.send(new UploadPartCommand({ ...common, ChecksumCRC64NVME: crc64Of(body) }))
        : await s3.send(new UploadPartCommand({ ...common, ChecksumAlgorithm: algorithm }));
    done.push({ PartNumber: i + 1, ETag: out.ETag! });
  }
  return done;
}

const complete = (key: string, uploadId: string, parts: CompletedPart[], claim: object) =>
  s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: target.bucket,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts },
      ...claim,
    }),
  );

async function getBytes(key: string, extra: object = {}) {
  const out = await s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: key, ...extra }));
  return { out, body: Buffer.from(await out.Body!.transformToByteArray()) };
}

describe('FULL_OBJECT multipart checksums', () => {
  it('CRC32: Complete checks the whole-object CRC the client sends, and the object keeps it', async () => {
    const key = 'full/crc32.bin';
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(1000)];
    const whole = Buffer.concat(parts);
    const created = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        ChecksumAlgorithm: 'CRC32',
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    const uploadId = created.UploadId!;
    const done = await uploadParts(key, uploadId, 'CRC32', parts);
    const listed = await s3.send(
      new ListPartsCommand({ Bucket: target.bucket, Key: key, UploadId: uploadId }),
    );
    // Part checksums are not required on a FULL_OBJECT Complete: the transfer managers leave them out.
    const result = await complete(key, uploadId, done, {
      ChecksumCRC32: crc32Of(whole),
      ChecksumType: 'FULL_OBJECT',
    });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const { out: got, body } = await getBytes(key, { ChecksumMode: 'ENABLED' });
    expect(body.equals(whole)).toBe(true);
    if (rgw()) {
      expect([created.ChecksumType, result.ChecksumCRC32, head.ChecksumCRC32]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      return;
    }
    expect([created.ChecksumAlgorithm, created.ChecksumType]).toEqual(['CRC32', 'FULL_OBJECT']);
    expect([listed.ChecksumAlgorithm, listed.ChecksumType]).toEqual(['CRC32', 'FULL_OBJECT']);
    expect(listed.Parts?.map((p) => p.ChecksumCRC32)).toEqual(parts.map(crc32Of));
    // The value of all the bytes, no "-N": GET's body, hashed here, has that CRC32.
    expect([result.ChecksumCRC32, result.ChecksumType]).toEqual([crc32Of(whole), 'FULL_OBJECT']);
    expect([head.ChecksumCRC32, head.ChecksumType]).toEqual([crc32Of(body), 'FULL_OBJECT']);
    expect([got.ChecksumCRC32, got.ChecksumType]).toEqual([crc32Of(body), 'FULL_OBJECT']);
    expect(head.ETag).toMatch(/-3"$/);

    const attributes = await s3.send(
      new GetObjectAttributesCommand({
        Bucket: target.bucket,
        Key: key,
        ObjectAttributes: ['Checksum', 'ObjectParts'],
      }),
    );
    expect(attributes.Checksum).toEqual({ ChecksumCRC32: crc32Of(whole), ChecksumType: 'FULL_OBJECT' });
    // No part checksums are kept for a FULL_OBJECT object: the parts count alone, as for one without checksums.
    expect(attributes.ObjectParts?.TotalPartsCount).toBe(3);
    expect(attributes.ObjectParts?.Parts).toBeUndefined();
    const partTwo = await s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: key, PartNumber: 2, ChecksumMode: 'ENABLED' }),
    );
    expect([partTwo.ContentLength, partTwo.ChecksumCRC32]).toEqual([5 * MiB, undefined]);
    // A range gets the object's checksum only when it is the whole object.
    const ranged = await getBytes(key, { Range: 'bytes=0-99', ChecksumMode: 'ENABLED' });
    const all = await getBytes(key, { Range: `bytes=0-${whole.length - 1}`, ChecksumMode: 'ENABLED' });
    expect([ranged.out.ChecksumCRC32, all.out.ChecksumCRC32]).toEqual([undefined, crc32Of(whole)]);
  });

  it('CRC64NVME (FULL_OBJECT by default): Complete checks x-amz-checksum-crc64nvme and the object keeps it', async () => {
    const key = 'full/crc64nvme.bin';
    const parts = [randomBytes(5 * MiB), randomBytes(5 * MiB), randomBytes(7)];
    const whole = Buffer.concat(parts);
    const created = await plain.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: key, ChecksumAlgorithm: 'CRC64NVME' }),
    );
    const uploadId = created.UploadId!;
    const done = await uploadParts(key, uploadId, 'CRC64NVME', parts);
    // Part checksums may still be given on Complete; they must then be the parts' own.
    const withPartChecksums = done.map((p, i) => ({ ...p, ChecksumCRC64NVME: crc64Of(parts[i]!) }));
    const result = await complete(key, uploadId, withPartChecksums, { ChecksumCRC64NVME: crc64Of(whole) });
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const { body } = await getBytes(key);
    expect(body.equals(whole)).toBe(true);
    if (rgw()) {
      expect([result.ChecksumCRC64NVME, head.ChecksumCRC64NVME]).toEqual([undefined, undefined]);
      return;
    }
    expect(created.ChecksumType).toBe('FULL_OBJECT');
    expect([result.ChecksumCRC64NVME, result.ChecksumType]).toEqual([crc64Of(whole), 'FULL_OBJECT']);
    expect([head.ChecksumCRC64NVME, head.ChecksumType]).toEqual([crc64Of(body), 'FULL_OBJECT']);
  });

  it('a wrong whole-object CRC is BadDigest, nothing is published, and the upload can be completed again', async () => {
    const key = 'full/wrong.bin';
    const parts = [randomBytes(5 * MiB), randomBytes(2000)];
    const whole = Buffer.concat(parts);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        ChecksumAlgorithm: 'CRC32',
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    const done = await uploadParts(key, UploadId!, 'CRC32', parts);
    if (rgw()) {
      // RGW 16 ignores the claim: even a wrong one completes.
      await complete(key, UploadId!, done, { ChecksumCRC32: 'AAAAAA==', ChecksumType: 'FULL_OBJECT' });
      return;
    }
    const wrong = await errorOf(
      complete(key, UploadId!, done, { ChecksumCRC32: crc32Of(parts[0]!), ChecksumType: 'FULL_OBJECT' }),
    );
    expect([wrong.name, wrong.$metadata.httpStatusCode, wrong.message]).toEqual([
      'BadDigest',
      400,
      'The crc32 you specified did not match the calculated checksum.',
    ]);
    // The checksum type must be the upload's too (S3: BadDigest).
    const wrongType = await errorOf(
      complete(key, UploadId!, done, { ChecksumCRC32: crc32Of(whole), ChecksumType: 'COMPOSITE' }),
    );
    expect(wrongType.name).toBe('BadDigest');
    // A part checksum given on Complete must be the part's.
    const wrongPart = await errorOf(
      complete(
        key,
        UploadId!,
        done.map((p) => ({ ...p, ChecksumCRC32: 'AAAAAA==' })),
        { ChecksumCRC32: crc32Of(whole) },
      ),
    );
    expect(wrongPart.name).toBe('InvalidPart');
    expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: key })))).name).toBe(
      'NotFound',
    );
    const still = await s3.send(new ListPartsCommand({ Bucket: target.bucket, Key: key, UploadId }));
    expect(still.Parts?.length).toBe(2);
    const result = await complete(key, UploadId!, done, { ChecksumCRC32: crc32Of(whole) });
    expect(result.ChecksumCRC32).toBe(crc32Of(whole));
  });

  it('CreateMultipartUpload refuses FULL_OBJECT with SHA and COMPOSITE with CRC64NVME (InvalidRequest)', async () => {
    const create = (ChecksumAlgorithm: ChecksumAlgorithm, ChecksumType: 'FULL_OBJECT' | 'COMPOSITE') =>
      plain.send(
        new CreateMultipartUploadCommand({
          Bucket: target.bucket,
          Key: 'full/refused.bin',
          ChecksumAlgorithm,
          ChecksumType,
        }),
      );
    if (rgw()) {
      // RGW 16 takes any of these and ignores them.
      expect((await create('SHA256', 'FULL_OBJECT')).ChecksumType).toBeUndefined();
      return;
    }
    for (const [algorithm, type] of [
      ['SHA256', 'FULL_OBJECT'],
      ['SHA1', 'FULL_OBJECT'],
      ['CRC64NVME', 'COMPOSITE'],
    ] as const)
      expect((await errorOf(create(algorithm, type))).name).toBe('InvalidRequest');
    const crc32c = await create('CRC32C', 'FULL_OBJECT');
    expect(crc32c.ChecksumType).toBe('FULL_OBJECT');
  });

  it('CopyObject of a FULL_OBJECT object carries the same whole-object CRC', async () => {
    const key = 'full/copy-source.bin';
    const parts = [randomBytes(5 * MiB), randomBytes(3)];
    const whole = Buffer.concat(parts);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        ChecksumAlgorithm: 'CRC32C',
        ChecksumType: 'FULL_OBJECT',
      }),
    );
    const done = await uploadParts(key, UploadId!, 'CRC32C', parts);
    const result = await complete(key, UploadId!, done, {});
    const copy = await s3.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: 'full/copy.bin',
        CopySource: `${target.bucket}/${key}`,
      }),
    );
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: target.bucket, Key: 'full/copy.bin', ChecksumMode: 'ENABLED' }),
    );
    expect(head.ContentLength).toBe(whole.length);
    if (rgw()) return;
    expect(result.ChecksumType).toBe('FULL_OBJECT');
    expect(copy.CopyObjectResult?.ChecksumCRC32C).toBe(result.ChecksumCRC32C);
    expect([head.ChecksumCRC32C, head.ChecksumType]).toEqual([result.ChecksumCRC32C, 'FULL_OBJECT']);
  });
});
