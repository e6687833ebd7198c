import { describe, expect, it } from 'vitest';
import { parseStoreEnv, StoreEnvError } from './store-env.ts';

describe('parseStoreEnv', () => {
  it('takes STORE_PORT in decimal digits only, 0 for any free port, and an empty one as unset (as npm start)', () => {
    expect(parseStoreEnv({}).port).toBe(9000);
    expect(parseStoreEnv({ STORE_PORT: '' }).port).toBe(9000);
    expect(parseStoreEnv({ STORE_PORT: '0' }).port).toBe(0);
    expect(parseStoreEnv({ STORE_PORT: '65535' }).port).toBe(65535);
    for (const bad of [' ', '1e3', '0x4775', '-1', '65536'])
      expect(() => parseStoreEnv({ STORE_PORT: bad })).toThrow(
        'STORE_PORT: a port number from 0 to 65535 (0: any free port)',
      );
  });

  it('takes keys only as a pair, and a HOIST_SECRET of 32 characters or more', () => {
    expect(parseStoreEnv({}).credentials).toBeNull();
    expect(parseStoreEnv({ S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b' }).credentials).toEqual({
      accessKeyId: 'a',
      secretAccessKey: 'b',
    });
    expect(() => parseStoreEnv({ S3_ACCESS_KEY_ID: 'a' })).toThrow(StoreEnvError);
    expect(() => parseStoreEnv({ HOIST_SECRET: 'short' })).toThrow('HOIST_SECRET: at least 32 characters');
    expect(parseStoreEnv({ HOST: '[::]' }).host).toBe('::');
  });

  it('checks the bucket and the region as npm start does, naming the variable', () => {
    expect(() => parseStoreEnv({ S3_BUCKET: 'Bad_Bucket' })).toThrow('S3_BUCKET: a valid S3 bucket name');
    expect(() => parseStoreEnv({ S3_REGION: 'us east' })).toThrow(
      'S3_REGION: a region name such as us-east-1',
    );
    expect(parseStoreEnv({ S3_BUCKET: 'photos', S3_REGION: 'eu-west-1' })).toMatchObject({
      bucket: 'photos',
      region: 'eu-west-1',
    });
  });
});
