import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { storeErrorFacts } from './explain-store-error.ts';
import { reachabilityAfter } from './store-reachability.ts';

const answered = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
const reachability = (error: unknown) => reachabilityAfter(storeErrorFacts(error), 'photos');

describe('reachabilityAfter: what a failed bucket check says of the store', () => {
  it('no answer at all is a store that is down: the page waits for it', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
    expect(reachability(refused)).toEqual({
      reachable: false,
      message:
        'Bucket "photos" is not reachable: the store cannot be reached (ECONNREFUSED): check S3_ENDPOINT and that the store is running.',
      problem: null,
    });
    expect(reachability(new DOMException('The operation timed out', 'TimeoutError'))).toMatchObject({
      reachable: false,
      problem: null,
    });
  });

  it('a 5xx is a store that is down too (restarting behind a proxy, overloaded)', () => {
    expect(reachability(answered('ServiceUnavailable', 503))).toMatchObject({
      reachable: false,
      problem: null,
    });
  });

  it('an error answer is a store that is there and refuses: the page fails with its reason', () => {
    expect(reachability(answered('NoSuchBucket', 404))).toEqual({
      reachable: true,
      message: null,
      problem: {
        code: 'no-such-bucket',
        message:
          'The object store refused the request: bucket "photos" does not exist (NoSuchBucket): check S3_BUCKET, or create the bucket.',
      },
    });
    expect(reachability(answered('InvalidAccessKeyId', 403))).toMatchObject({
      reachable: true,
      problem: { code: 'store-denied', message: expect.stringContaining('S3_ACCESS_KEY_ID') },
    });
    expect(reachability(answered('PermanentRedirect', 301))).toMatchObject({
      reachable: true,
      problem: { code: 'store-error', message: expect.stringContaining('S3_REGION') },
    });
  });
});
