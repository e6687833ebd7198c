import { describe, expect, it } from 'vitest';
import { ConfigError, embeddedStorePublicEndpoint, parseConfig } from './config.ts';

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

  it('reads the trusted proxies as a list, and names an entry that is not an address or range', () => {
    expect(parseConfig({}).trustedProxies).toEqual([]);
    expect(parseConfig({ HOIST_TRUSTED_PROXIES: ' 10.0.0.0/8, ::1 ,' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => parseConfig({ HOIST_TRUSTED_PROXIES: '10.0.0.1, lb.internal' })).toThrow(
      'HOIST_TRUSTED_PROXIES: "lb.internal" is not an IP address or CIDR range (a comma-separated list of them)',
    );
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
    [{ S3_ENDPOINT: 'rgw:7480' }, 'S3_ENDPOINT'],
    [{ S3_ENDPOINT: 'localhost:7480' }, 'S3_ENDPOINT'],
    [{ S3_ENDPOINT: 'ftp://files.example.com' }, 'S3_ENDPOINT'],
    [{ S3_PUBLIC_ENDPOINT: 'files.example.com:9000' }, 'S3_PUBLIC_ENDPOINT'],
    [{ HOIST_PUBLIC_URL: 'https://hoist.example.com/app' }, 'HOIST_PUBLIC_URL'],
    [{ HOIST_PRESIGN_TTL: '8d' }, 'HOIST_PRESIGN_TTL'],
    [{ HOIST_PRESIGN_TTL: '0' }, 'HOIST_PRESIGN_TTL'],
    [{ HOIST_STALE_UPLOAD_TTL: '0' }, 'HOIST_STALE_UPLOAD_TTL'],
    [{ HOIST_JANITOR_INTERVAL: '0' }, 'HOIST_JANITOR_INTERVAL'],
    // Node fires a longer timer at once: the janitor would sweep every millisecond.
    [{ HOIST_JANITOR_INTERVAL: '30d' }, 'HOIST_JANITOR_INTERVAL'],
    [{ S3_ENDPOINT: 'amazon' }, 'S3_ENDPOINT'],
    [{ HOIST_MAX_OBJECT_SIZE: '0' }, 'HOIST_MAX_OBJECT_SIZE'],
    [{ HOIST_MAX_OBJECT_SIZE: '10TiB' }, 'HOIST_MAX_OBJECT_SIZE'],
    [{ HOST: '0.0.0.0', HOIST_ACCESS_TOKEN: 'x'.repeat(16) }, 'HOIST_PUBLIC_URL'],
    // Behind a proxy on this machine HOST stays loopback, and everyone the proxy passes on gets in.
    [{ HOIST_PUBLIC_URL: 'https://files.example.com', S3_ENDPOINT: 'aws' }, 'HOIST_ACCESS_TOKEN'],
    [{ HOIST_PUBLIC_URL: 'http://10.0.0.5:8080' }, 'HOIST_ACCESS_TOKEN'],
  ])('fails at start on %j, naming %s', (env, variable) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(variable);
  });

  it('takes a public address at this machine without an access token', () => {
    for (const url of [
      'http://localhost:8080',
      'http://127.0.0.1:9000',
      'http://hoist.localhost:8080',
      'http://[::1]:8080',
    ]) {
      expect(parseConfig({ HOIST_PUBLIC_URL: url }).publicUrl).toBe(url);
    }
  });

  it('listens beyond loopback only with an access token, and on every address only knowing its public address', () => {
    const token = { HOIST_ACCESS_TOKEN: 'x'.repeat(16) };
    expect(parseConfig({ HOST: '10.0.0.5', ...token }).host).toBe('10.0.0.5');
    const c = parseConfig({ HOST: '0.0.0.0', HOIST_PUBLIC_URL: 'http://files.lan:8080/', ...token });
    expect(c.publicUrl).toBe('http://files.lan:8080');
    // With an external store, its own endpoint is what browsers use.
    expect(parseConfig({ HOST: '::', S3_ENDPOINT: 'https://s3.example.com', ...token }).host).toBe('::');
  });

  it('S3_ENDPOINT=aws is AWS S3 itself (the SDK finds the regional endpoint; virtual-hosted URLs), not the embedded store', () => {
    const aws = parseConfig({ S3_ENDPOINT: 'aws', S3_REGION: 'eu-west-1', S3_BUCKET: 'my-bucket' });
    expect(aws.s3).toMatchObject({ endpoint: undefined, embedded: false, forcePathStyle: false });
    expect(parseConfig({}).s3).toMatchObject({ endpoint: undefined, embedded: true });
    expect(parseConfig({ S3_ENDPOINT: 'http://rgw:7480' }).s3).toMatchObject({
      embedded: false,
      forcePathStyle: true,
    });
    expect(parseConfig({ HOIST_JANITOR_INTERVAL: '24d' }).janitorIntervalMs).toBe(24 * 86_400_000);
  });

  it('takes HOST in brackets as a URL writes it ("[::1]") as the address to listen on', () => {
    expect(parseConfig({ HOST: '[::1]' }).host).toBe('::1');
  });

  it("gives browsers the embedded store at the public URL's host, on STORE_PORT", () => {
    expect(embeddedStorePublicEndpoint(undefined, 9000)).toBeNull();
    expect(embeddedStorePublicEndpoint('http://127.0.0.1:8080', 9000)).toBeNull();
    expect(embeddedStorePublicEndpoint('http://files.lan:8080', 9000)).toBe('http://files.lan:9000');
    expect(embeddedStorePublicEndpoint('http://[fd00::5]:8080', 9001)).toBe('http://[fd00::5]:9001');
    // An https page cannot use a plain-http store: say which setting fixes it.
    expect(() => embeddedStorePublicEndpoint('https://files.example.com', 9000)).toThrow(
      'S3_PUBLIC_ENDPOINT',
    );
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
