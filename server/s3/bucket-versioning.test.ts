import { GetBucketVersioningCommand, S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { readBucketVersioning, versioningOf } from './bucket-versioning.ts';

/** An S3 client that answers GetBucketVersioning with `answer` (or throws it). */
const clientAnswering = (answer: { Status?: string } | Error) =>
  ({
    send: (command: unknown) => {
      expect(command).toBeInstanceOf(GetBucketVersioningCommand);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  }) as unknown as S3Client;

const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });

describe('versioningOf', () => {
  it('reads Enabled, Suspended and no status (never enabled)', () => {
    expect(versioningOf('Enabled')).toBe('enabled');
    expect(versioningOf('Suspended')).toBe('suspended');
    expect(versioningOf(undefined)).toBe('never');
    expect(versioningOf('')).toBe('never');
    expect(versioningOf('Something')).toBe('unknown');
  });
});

describe('readBucketVersioning', () => {
  it("says what the store says of the bucket's versioning", async () => {
    expect(await readBucketVersioning(clientAnswering({ Status: 'Enabled' }), 'b')).toBe('enabled');
    expect(await readBucketVersioning(clientAnswering({}), 'b')).toBe('never');
  });

  it('is unknown, not "never", when the store will not say (AccessDenied, NotImplemented)', async () => {
    expect(await readBucketVersioning(clientAnswering(s3Error('AccessDenied', 403)), 'b')).toBe('unknown');
    expect(await readBucketVersioning(clientAnswering(s3Error('NotImplemented', 501)), 'b')).toBe('unknown');
  });

  it('throws a network failure and an abort', async () => {
    await expect(readBucketVersioning(clientAnswering(new TypeError('fetch failed')), 'b')).rejects.toThrow(
      'fetch failed',
    );
    const aborted = AbortSignal.abort();
    await expect(
      readBucketVersioning(clientAnswering(s3Error('AccessDenied', 403)), 'b', { signal: aborted }),
    ).rejects.toThrow();
  });
});
