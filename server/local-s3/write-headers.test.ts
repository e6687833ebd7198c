import { describe, expect, it } from 'vitest';
import {
  checkBucketAclHeaders,
  checkNewObjectHeaders,
  checkWriteConditionHeaders,
  checkWriteHeaders,
} from './write-headers.ts';

const failure = (h: Record<string, string>) => {
  try {
    checkWriteHeaders(new Map(Object.entries(h).map(([k, v]) => [k, [v]])));
  } catch (error) {
    const e = error as { code: string; status: number; message: string };
    return [e.status, e.code, e.message];
  }
  return 'accepted';
};

describe('checkWriteHeaders', () => {
  it('accepts plain writes and STANDARD', () => {
    expect(failure({ 'content-type': 'text/plain', 'x-amz-meta-a': '1' })).toBe('accepted');
    expect(failure({ 'x-amz-storage-class': 'STANDARD' })).toBe('accepted');
  });

  it('refuses SSE-C (also on a copy source) with 400 InvalidRequest: the data would not be encrypted', () => {
    for (const name of [
      'x-amz-server-side-encryption-customer-algorithm',
      'x-amz-server-side-encryption-customer-key',
      'x-amz-copy-source-server-side-encryption-customer-key-md5',
    ])
      expect(failure({ [name]: 'x' }).slice(0, 2)).toEqual([400, 'InvalidRequest']);
  });

  it('answers 501 for KMS and for AES256, 400 for an unknown method', () => {
    expect(failure({ 'x-amz-server-side-encryption': 'aws:kms' })).toEqual([
      501,
      'NotImplemented',
      'Server-side encryption with KMS keys (aws:kms) is not supported by the local store.',
    ]);
    expect(failure({ 'x-amz-server-side-encryption': 'AES256' }).slice(0, 2)).toEqual([
      501,
      'NotImplemented',
    ]);
    expect(failure({ 'x-amz-server-side-encryption-aws-kms-key-id': 'k' }).slice(0, 2)).toEqual([
      501,
      'NotImplemented',
    ]);
    expect(failure({ 'x-amz-server-side-encryption': 'rot13' }).slice(0, 2)).toEqual([
      400,
      'InvalidArgument',
    ]);
  });

  it('refuses object lock as AWS does on a bucket without it, and the archive storage classes', () => {
    expect(failure({ 'x-amz-object-lock-mode': 'GOVERNANCE' })).toEqual([
      400,
      'InvalidRequest',
      'Bucket is missing Object Lock Configuration',
    ]);
    expect(failure({ 'x-amz-object-lock-legal-hold': 'ON' }).slice(0, 2)).toEqual([400, 'InvalidRequest']);
    expect(failure({ 'x-amz-storage-class': 'GLACIER' }).slice(0, 2)).toEqual([400, 'InvalidStorageClass']);
    expect(failure({ 'x-amz-storage-class': 'standard_ia' }).slice(0, 2)).toEqual([
      400,
      'InvalidStorageClass',
    ]);
    expect(failure({ 'x-amz-storage-class': 'STANDARD_IA' })).toBe('accepted');
  });
});

describe('checkNewObjectHeaders and checkBucketAclHeaders', () => {
  const outcome = (check: (h: Map<string, string[]>) => void, h: Record<string, string>) => {
    try {
      check(new Map(Object.entries(h).map(([k, v]) => [k, [v]])));
    } catch (error) {
      const e = error as { code: string; status: number };
      return [e.status, e.code];
    }
    return 'accepted';
  };

  it('take no ACL and the owner-only canned ACLs', () => {
    const owner: Record<string, string>[] = [
      {},
      { 'x-amz-acl': 'private' },
      { 'x-amz-acl': ' bucket-owner-full-control ' },
    ];
    for (const h of owner) {
      expect(outcome(checkNewObjectHeaders, h)).toBe('accepted');
      expect(outcome(checkBucketAclHeaders, h)).toBe('accepted');
    }
  });

  it('refuse a canned ACL or grant giving others access, as S3 does on a bucket with ACLs disabled', () => {
    const others: Record<string, string>[] = [
      { 'x-amz-acl': 'public-read' },
      { 'x-amz-acl': 'authenticated-read' },
      { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
      { 'x-amz-grant-full-control': 'id="0000"' },
    ];
    for (const h of others) {
      expect(outcome(checkNewObjectHeaders, h)).toEqual([400, 'AccessControlListNotSupported']);
      expect(outcome(checkBucketAclHeaders, h)).toEqual([400, 'InvalidBucketAclWithObjectOwnership']);
    }
  });

  it('refuse a website redirect with 501: the store has no website endpoint', () => {
    expect(outcome(checkNewObjectHeaders, { 'x-amz-website-redirect-location': '/t.html' })).toEqual([
      501,
      'NotImplemented',
    ]);
  });
});

describe('checkWriteConditionHeaders', () => {
  const outcome = (h: Record<string, string>) => {
    try {
      checkWriteConditionHeaders(new Map(Object.entries(h).map(([k, v]) => [k, [v]])));
    } catch (error) {
      const e = error as { code: string; status: number; details: Record<string, string> };
      return [e.status, e.code, e.details['Header']];
    }
    return 'accepted';
  };

  it('accepts no condition, If-None-Match: * and If-Match alone', () => {
    expect(outcome({})).toBe('accepted');
    expect(outcome({ 'if-none-match': ' * ' })).toBe('accepted');
    expect(outcome({ 'if-match': '"abc"' })).toBe('accepted');
  });

  it('answers 501 for If-None-Match with an ETag, and for If-None-Match with If-Match', () => {
    expect(outcome({ 'if-none-match': '"d41d8cd98f00b204e9800998ecf8427e"' })).toEqual([
      501,
      'NotImplemented',
      'If-None-Match',
    ]);
    expect(outcome({ 'if-none-match': '*', 'if-match': '"abc"' })).toEqual([
      501,
      'NotImplemented',
      'If-None-Match',
    ]);
  });
});
