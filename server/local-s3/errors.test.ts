import { describe, expect, it } from 'vitest';
import { S3Error, toS3Error } from './errors.ts';

describe('toS3Error', () => {
  it.each(['ENOSPC', 'EDQUOT'])('answers a write that failed with %s as 507 InsufficientStorage', (code) => {
    const error = toS3Error(Object.assign(new Error(`${code}: no space left on device, write`), { code }));
    expect(error).toMatchObject({ code: 'InsufficientStorage', status: 507 });
    expect(error.message).toMatch(/no space left/);
  });

  it('answers any other failure as 500 InternalError, and keeps an S3Error as it is', () => {
    expect(toS3Error(Object.assign(new Error('EIO'), { code: 'EIO' }))).toMatchObject({
      code: 'InternalError',
      status: 500,
    });
    const own = new S3Error('NoSuchKey');
    expect(toS3Error(own)).toBe(own);
  });
});
