import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('has working defaults: embedded store, loopback, 15-minute URLs', () => {
    const c = parseConfig({});
    expect(c.s3.endpoint).toBeUndefined();
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.s3.bucket).toBe('hoist');
    expect(c.presignTtlMs).toBe(15 * 60_000);
    expect(c.staleUploadTtlMs).toBe(24 * 3_600_000);
    expect(Object.isFrozen(c) && Object.isFrozen(c.s3)).toBe(true);
  });

  it('reads sizes and durations with units', () => {
    const c = parseConfig({
      HOIST_MAX_OBJECT_SIZE: '5GiB',
      HOIST_PRESIGN_TTL: '5s',
      HOIST_STALE_UPLOAD_TTL: '2h',
    });
    expect(c.maxObjectSize).toBe(5 * 1024 ** 3);
    expect(c.presignTtlMs).toBe(5000);
    expect(c.staleUploadTtlMs).toBe(7_200_000);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET'],
    [{ HOIST_KEY_PREFIX: 'no-slash' }, 'HOIST_KEY_PREFIX'],
    [{ HOIST_MAX_OBJECT_SIZE: 'lots' }, 'HOIST_MAX_OBJECT_SIZE'],
    [{ S3_ACCESS_KEY_ID: 'only-one' }, 'S3_SECRET_ACCESS_KEY'],
    [{ HOST: '0.0.0.0' }, 'HOIST_ACCESS_TOKEN'],
  ])('fails at start on %j, naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('listens beyond loopback only with an access token', () => {
    expect(parseConfig({ HOST: '0.0.0.0', HOIST_ACCESS_TOKEN: 'x'.repeat(16) }).host).toBe('0.0.0.0');
  });

  it('uses path style for custom endpoints unless told otherwise', () => {
    expect(parseConfig({ S3_ENDPOINT: 'http://127.0.0.1:7480' }).s3.forcePathStyle).toBe(true);
    expect(parseConfig({}).s3.forcePathStyle).toBe(false);
    expect(
      parseConfig({ S3_ENDPOINT: 'https://x.r2.cloudflarestorage.com', S3_FORCE_PATH_STYLE: 'false' }).s3
        .forcePathStyle,
    ).toBe(false);
  });
});
