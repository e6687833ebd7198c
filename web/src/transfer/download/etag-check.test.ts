import { describe, expect, it } from 'vitest';
import { hoistLayout, planEtagCheck } from './etag-check.ts';

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
    // Another tool's 8 MiB parts make 2: Hoist's part size cannot give that ETag.
    expect(planEtagCheck(link(`${MD5}-2`, 12 * MiB))).toEqual({ kind: 'unknown-parts' });
  });

  it("knows Hoist's part layout: none for a single request, 5 MiB parts, larger past 10,000 parts", () => {
    expect(hoistLayout(5 * MiB)).toBeNull();
    expect(hoistLayout(5 * MiB + 1)).toEqual({ partSize: 5 * MiB, count: 2 });
    expect(hoistLayout(100_000 * MiB)).toEqual({ partSize: 10 * MiB, count: 10_000 });
    expect(hoistLayout(-1)).toBeNull();
  });
});
