import { describe, expect, it } from 'vitest';
import { hoistLayout } from '../shared/tool-layouts.ts';
import { planEtagCheck } from './etag-check.ts';

const MiB = 1024 * 1024;
const MD5 = '5d41402abc4b2a76b9719d911017c592';
const link = (etag: string, size: number, extra: object = {}) => ({ etag: `"${etag}"`, size, ...extra });

describe('planEtagCheck', () => {
  it('recomputes a single-part ETag as the MD5 of the bytes', () => {
    expect(planEtagCheck(link(MD5.toUpperCase(), 5))).toEqual({
      kind: 'recompute',
      expected: MD5,
      partSize: null,
      guessed: false,
    });
    // SSE-S3 (AES256) keeps MD5 ETags.
    expect(planEtagCheck(link(MD5, 5, { serverSideEncryption: 'AES256' })).kind).toBe('recompute');
  });

  it('does not use an ETag under SSE-KMS or SSE-C, or one that is no MD5', () => {
    expect(planEtagCheck(link(MD5, 5, { serverSideEncryption: 'aws:kms' }))).toEqual({ kind: 'none' });
    expect(planEtagCheck(link(MD5, 5, { serverSideEncryption: 'aws:kms:dsse' }))).toEqual({ kind: 'none' });
    expect(planEtagCheck(link(`${MD5}-2`, 6 * MiB, { sseCustomerAlgorithm: 'AES256' }))).toEqual({
      kind: 'none',
    });
    expect(planEtagCheck(link('v1', 5))).toEqual({ kind: 'none' });
  });

  it('recomputes a multipart ETag with the part layout the server learned, when it fits', () => {
    const parts = { partSize: 8 * MiB, count: 2 };
    const checksum = { algorithm: 'SHA256', value: 'x-2', composite: true, parts } as const;
    expect(planEtagCheck(link(`${MD5}-2`, 10 * MiB, { checksum }))).toEqual({
      kind: 'recompute',
      expected: `${MD5}-2`,
      partSize: 8 * MiB,
      guessed: false,
    });
    // A layout of another part count, or one the size does not fit, is not used.
    const other = (p: { partSize: number; count: number }) => ({ checksum: { ...checksum, parts: p } });
    expect(
      planEtagCheck(link(`${MD5}-2`, 10 * MiB, other({ partSize: 4 * MiB, count: 3 })), () => null),
    ).toEqual({
      kind: 'unknown-parts',
    });
    expect(planEtagCheck(link(`${MD5}-2`, 20 * MiB, other(parts)), () => null)).toEqual({
      kind: 'unknown-parts',
    });
  });

  it('takes one part as the whole object, empty too', () => {
    expect(planEtagCheck(link(`${MD5}-1`, 7))).toEqual({
      kind: 'recompute',
      expected: `${MD5}-1`,
      partSize: 7,
      guessed: false,
    });
    expect(planEtagCheck(link(`${MD5}-1`, 0))).toMatchObject({ kind: 'recompute', partSize: 1 });
  });

  it("without a layout, guesses Hoist's own part size when it gives as many parts as the ETag says", () => {
    // Hoist uploads 12 MiB in 5 MiB parts: 3.
    expect(planEtagCheck(link(`${MD5}-3`, 12 * MiB))).toEqual({
      kind: 'recompute',
      expected: `${MD5}-3`,
      partSize: 5 * MiB,
      guessed: true,
    });
    // Hoist's own guess only: another tool's 8 MiB parts make 2, which 5 MiB parts cannot give.
    expect(planEtagCheck(link(`${MD5}-2`, 12 * MiB), hoistLayout)).toEqual({ kind: 'unknown-parts' });
  });

  it("without a layout, guesses the AWS CLI's, MinIO's or s3cmd's part size when it gives the ETag's part count", () => {
    // `aws s3 cp` of 100 MB (Ceph RGW keeps no checksum and does not answer PartNumber=1): 12 × 8 MiB.
    expect(planEtagCheck(link(`${MD5}-12`, 100_000_000))).toEqual({
      kind: 'recompute',
      expected: `${MD5}-12`,
      partSize: 8 * MiB,
      guessed: true,
    });
    // `mc cp` of 100 MiB: 7 × 16 MiB; s3cmd's 15 MiB parts make 7 too, and the first tool that fits wins.
    expect(planEtagCheck(link(`${MD5}-7`, 100 * MiB))).toMatchObject({ partSize: 16 * MiB, guessed: true });
    // s3cmd alone makes 9 of 130 MiB (Hoist 26, the CLI 17, MinIO 9 too: MinIO first).
    expect(planEtagCheck(link(`${MD5}-9`, 130 * MiB))).toMatchObject({ partSize: 16 * MiB });
    expect(planEtagCheck(link(`${MD5}-10`, 140 * MiB))).toMatchObject({ partSize: 15 * MiB });
    // A count no common tool makes of this size: nothing to try.
    expect(planEtagCheck(link(`${MD5}-3`, 100 * MiB))).toEqual({ kind: 'unknown-parts' });
  });

  it("guesses every part but the last of part 1's size when that gives the ETag's part count", () => {
    // aws-cli v2 ≤ 2.22 / boto3 < 1.36: 70,000,000 B in 8 MiB parts, 9 of them; no checksum kept.
    const v2 = link(`${MD5}-9`, 70_000_000, { firstPart: { size: 8 * MiB, count: 9 } });
    expect(planEtagCheck(v2, () => null)).toEqual({
      kind: 'recompute',
      expected: `${MD5}-9`,
      partSize: 8 * MiB,
      guessed: true,
    });
    // 5 parts as large as a 6 MiB part 1 cannot hold 31 MiB (a later part is larger): no guess from it.
    const uneven = link(`${MD5}-5`, 31 * MiB, { firstPart: { size: 6 * MiB, count: 5 } });
    expect(planEtagCheck(uneven, () => null)).toEqual({ kind: 'unknown-parts' });
    // A part count that is not the ETag's is not used either.
    const other = link(`${MD5}-9`, 70_000_000, { firstPart: { size: 8 * MiB, count: 8 } });
    expect(planEtagCheck(other, () => null)).toEqual({ kind: 'unknown-parts' });
  });

  it("tries no guess of Hoist's own once part 1's size is known to be another (a read that cannot match)", () => {
    // 8, 5 and 2 MiB: part 1's 8 MiB cannot make 3 parts of 15 MiB, and Hoist's 5 MiB would, wrongly.
    const cut = link(`${MD5}-3`, 15 * MiB, { firstPart: { size: 8 * MiB, count: 3 } });
    expect(planEtagCheck(cut)).toEqual({ kind: 'unknown-parts' });
  });

  it('recomputes a multipart ETag with parts of uneven sizes from the layout the server learned', () => {
    const runs: [number, number][] = [
      [6 * MiB, 1],
      [5 * MiB, 1],
      [9 * MiB, 1],
      [12_345, 1],
    ];
    const parts = { partSize: 6 * MiB, count: 4, runs };
    const checksum = { algorithm: 'SHA256', value: 'x-4', composite: true, parts } as const;
    expect(planEtagCheck(link(`${MD5}-4`, 20 * MiB + 12_345, { checksum }), () => null)).toEqual({
      kind: 'recompute',
      expected: `${MD5}-4`,
      partSize: 6 * MiB,
      runs,
      guessed: false,
    });
  });

  it('recomputes a multipart ETag with every part size HeadObject told (no checksum): not a guess, a miss is corruption', () => {
    // 6, 5 and 4 MiB: part 1's 6 MiB would make 3 parts of 15 MiB too, wrongly; the sizes told win.
    const runs: [number, number][] = [
      [6 * MiB, 1],
      [5 * MiB, 1],
      [4 * MiB, 1],
    ];
    const uneven = link(`${MD5}-3`, 15 * MiB, {
      firstPart: { size: 6 * MiB, count: 3 },
      partLayout: { partSize: 6 * MiB, count: 3, runs },
    });
    expect(planEtagCheck(uneven, () => null)).toEqual({
      kind: 'recompute',
      expected: `${MD5}-3`,
      partSize: 6 * MiB,
      runs,
      guessed: false,
    });
    // Uniform sizes told are the layout too, no longer a guess.
    const even = link(`${MD5}-9`, 70_000_000, {
      firstPart: { size: 8 * MiB, count: 9 },
      partLayout: { partSize: 8 * MiB, count: 9 },
    });
    expect(planEtagCheck(even, () => null)).toMatchObject({ partSize: 8 * MiB, guessed: false });
    // A layout of another part count than the ETag's is not used.
    const other = link(`${MD5}-4`, 15 * MiB, { partLayout: { partSize: 6 * MiB, count: 3, runs } });
    expect(planEtagCheck(other, () => null)).toEqual({ kind: 'unknown-parts' });
  });
});
