import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { explainStoreError, storeErrorFacts } from './explain-store-error.ts';

const explain = (name: string, status?: number, message = 'UnknownError', code?: string) =>
  explainStoreError({ name, status, message, code }, 'photos');

describe('explainStoreError', () => {
  it('names the setting to check for what the store said', () => {
    expect(explain('InvalidAccessKeyId', 403)).toContain('check S3_ACCESS_KEY_ID');
    expect(explain('SignatureDoesNotMatch', 403)).toContain('check S3_SECRET_ACCESS_KEY');
    expect(explain('NoSuchBucket', 404)).toBe(
      'bucket "photos" does not exist (NoSuchBucket): check S3_BUCKET, or create the bucket.',
    );
    expect(explain('AuthorizationHeaderMalformed', 400)).toContain('set S3_REGION');
    expect(explain('RequestTimeTooSkewed', 403)).toContain('clock');
  });

  it('goes by the status when a HEAD answer had no body to name the error', () => {
    expect(explain('Forbidden', 403)).toBe(
      'access denied (HTTP 403): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and that they may use bucket "photos".',
    );
    expect(explain('Unknown', 403)).toContain('access denied (HTTP 403)');
    expect(explain('NotFound', 404)).toContain('bucket "photos" does not exist (HTTP 404)');
    expect(explain('Unknown', 301)).toContain('another region');
  });

  it('says when the store took too long to answer, not "AbortError: Request aborted"', () => {
    const said =
      'the store did not answer in time: check that it is running and not overloaded (or stopped), and S3_ENDPOINT.';
    expect(explain('AbortError', undefined, 'Request aborted')).toBe(said);
    expect(explain('TimeoutError', undefined, 'The operation was aborted due to timeout')).toBe(said);
  });

  it('says when there was no answer at all', () => {
    expect(explain('Error', undefined, 'connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED')).toBe(
      'the store cannot be reached (ECONNREFUSED): check S3_ENDPOINT and that the store is running.',
    );
  });

  it("names the host that does not resolve, and when it is the bucket's virtual-hosted address, what to set", () => {
    const facts = storeErrorFacts(
      Object.assign(new Error('getaddrinfo ENOTFOUND photos.localhost'), {
        code: 'ENOTFOUND',
        hostname: 'photos.localhost',
      }),
    );
    expect(explainStoreError(facts, 'photos')).toBe(
      "the bucket's own address photos.localhost does not resolve (ENOTFOUND): set S3_FORCE_PATH_STYLE=true to send the bucket in the path, or give the store a wildcard DNS name (*.localhost).",
    );
    expect(explainStoreError({ ...facts, host: 's3.example.lan' }, 'photos')).toBe(
      'the store cannot be reached (ENOTFOUND s3.example.lan): check S3_ENDPOINT and that the store is running.',
    );
  });

  it('says what a TLS failure means: a plain-http store named with https://, or a certificate not trusted', () => {
    expect(explain('Error', undefined, 'write EPROTO … wrong version number', 'EPROTO')).toMatch(
      /^the store does not speak https at this address \(EPROTO\): .*start S3_ENDPOINT with http:\/\/\.$/,
    );
    expect(explain('Error', undefined, 'self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')).toMatch(
      /^the store's TLS certificate is not trusted here \(DEPTH_ZERO_SELF_SIGNED_CERT\): .*NODE_EXTRA_CA_CERTS/,
    );
    const tls = Object.assign(new Error('unable to verify'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(storeErrorFacts(tls).code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // Other Node error codes are no store answer to explain.
    expect(
      storeErrorFacts(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })).code,
    ).toBeUndefined();
  });

  it('says where credentials come from when the SDK found none', () => {
    expect(
      explain('CredentialsProviderError', undefined, 'Could not load credentials from any providers'),
    ).toBe(
      "no credentials for the store (Could not load credentials from any providers): set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the AWS SDK's default chain some (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws/credentials, or an instance or container role).",
    );
  });

  it('keeps anything else as the store said it', () => {
    expect(explain('SlowDown', 503, 'Please reduce your request rate.')).toBe(
      'SlowDown: Please reduce your request rate. (HTTP 503)',
    );
    expect(explain('Unknown', 500)).toBe('Unknown (HTTP 500)');
  });
});

describe('storeErrorFacts', () => {
  it('reads the SDK error and a network error', () => {
    const sdk = new S3ServiceException({
      name: 'NotFound',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      message: 'UnknownError',
    });
    expect(storeErrorFacts(sdk)).toEqual({
      name: 'NotFound',
      message: 'UnknownError',
      status: 404,
      code: undefined,
    });
    const net = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(storeErrorFacts(net)).toMatchObject({ code: 'ECONNREFUSED', status: undefined });
  });
});
