import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { describeFailure } from './errors.ts';

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`getaddrinfo ${code} store.example`), { code });
}

const quiet = () => {};

describe('describeFailure', () => {
  it('says an archived object must be restored, not that the credentials are wrong (both are 403)', () => {
    const archived = describeFailure(s3Error('InvalidObjectState', 403), 'rename', quiet);
    expect(archived).toMatchObject({ status: 409, code: 'object-archived' });
    expect(archived.message).toMatch(/restore it first/);
    expect(describeFailure(s3Error('AccessDenied', 403), 'rename', quiet)).toMatchObject({
      status: 502,
      code: 'store-denied',
    });
  });

  it('a storage class the store does not keep is a setting to change (400 invalid-properties, never retried), not a store failure', () => {
    const answer = describeFailure(s3Error('InvalidStorageClass', 400), 'POST /api/uploads', quiet);
    expect(answer).toMatchObject({ status: 400, code: 'invalid-properties' });
    expect(answer.message).toMatch(
      /^The storage does not keep this storage class .*pick another in the upload settings\.$/,
    );
  });

  it('words a full storage as the page words a part refused for it: one event, one wording', () => {
    const answer = describeFailure(s3Error('InsufficientStorage', 507), 'POST /api/uploads/complete', quiet);
    expect(answer).toMatchObject({ status: 507, code: 'store-full' });
    // The same text as fetch-part-transport.test.ts expects of a part PUT answered 507.
    expect(answer.message).toBe(
      'The storage has no space left (InsufficientStorage). Free some space on it, then Retry.',
    );
  });

  it.each(['POST /api/objects/rename', 'POST /api/objects/copy', 'POST /api/objects/properties'])(
    'tells to try again, not to press a Retry there is none of, when %s finds the storage full',
    (where) => {
      expect(describeFailure(s3Error('InsufficientStorage', 507), where, quiet).message).toBe(
        'The storage has no space left (InsufficientStorage). Free some space on it, then try again.',
      );
    },
  );

  it('answers 404 for an object deleted since the page listed it, not a store failure to retry', () => {
    expect(describeFailure(s3Error('NoSuchKey', 404), 'copy', quiet)).toMatchObject({
      status: 404,
      code: 'not-found',
    });
    expect(describeFailure(s3Error('NoSuchBucket', 404), 'copy', quiet)).toMatchObject({
      code: 'no-such-bucket',
    });
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EPIPE', 'ECONNRESET'])(
    'takes %s for a store that cannot be reached now (503, retried), not a server bug (500)',
    (code) => {
      expect(describeFailure(networkError(code), 'list', quiet)).toMatchObject({
        status: 503,
        code: 'store-unreachable',
      });
    },
  );

  it('logs anything else and answers 500 without its details', () => {
    const lines: string[] = [];
    const answer = describeFailure(new TypeError('x is undefined'), 'list', (l) => lines.push(l));
    expect(answer).toMatchObject({ status: 500, code: 'internal' });
    expect(answer.message).not.toMatch(/undefined/);
    expect(lines.join('\n')).toMatch(/x is undefined/);
  });
});
