import { describe, expect, it } from 'vitest';
import { ConfigError, embeddedStorePublicEndpoint, parseConfig } from './config.ts';
import { formatBytes } from './shared/format-bytes.ts';

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

  it('offers the storage classes of the store unless HOIST_STORAGE_CLASSES lists them', () => {
    expect(parseConfig({}).storageClasses).toContain('STANDARD_IA');
    expect(parseConfig({}).storageClasses).not.toContain('GLACIER');
    expect(parseConfig({ S3_ENDPOINT: 'aws' }).storageClasses).toContain('DEEP_ARCHIVE');
    expect(parseConfig({ S3_ENDPOINT: 'http://minio:9000' }).storageClasses).toEqual(['STANDARD']);
    expect(
      parseConfig({
        S3_ENDPOINT: 'http://minio:9000',
        HOIST_STORAGE_CLASSES: ' STANDARD, REDUCED_REDUNDANCY,',
      }).storageClasses,
    ).toEqual(['STANDARD', 'REDUCED_REDUNDANCY']);
    for (const bad of ['standard_ia', 'STANDARD,STANDARD IA', 'GLACIER;DROP'])
      expect(() => parseConfig({ S3_ENDPOINT: 'aws', HOIST_STORAGE_CLASSES: bad })).toThrow(
        /HOIST_STORAGE_CLASSES: "[^"]+" is no storage class: a comma-separated list of storage classes as S3 writes them \(upper case\)/,
      );
    expect(() => parseConfig({ HOIST_STORAGE_CLASSES: ',' })).toThrow(
      'HOIST_STORAGE_CLASSES: no class given',
    );
    // The embedded store keeps no archive class, nor one of its own.
    for (const notKept of ['STANDARD,GLACIER', 'COLD'])
      expect(() => parseConfig({ HOIST_STORAGE_CLASSES: notKept })).toThrow(
        /HOIST_STORAGE_CLASSES: the embedded store does not keep (GLACIER|COLD) \(it has no archive tier\); it keeps STANDARD,/,
      );
    expect(parseConfig({ HOIST_STORAGE_CLASSES: 'STANDARD,STANDARD_IA' }).storageClasses).toEqual([
      'STANDARD',
      'STANDARD_IA',
    ]);
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

  it('reads KB, MB, GB and TB as the page shows sizes (binary), so a limit of 5GB is shown as 5.0 GB', () => {
    for (const text of ['5GiB', '5GB', '5G', '5gb', '5 GB', '5368709120'])
      expect(parseConfig({ HOIST_MAX_OBJECT_SIZE: text }).maxObjectSize, text).toBe(5 * 1024 ** 3);
    expect(parseConfig({ HOIST_MAX_OBJECT_SIZE: '1.5MB' }).maxObjectSize).toBe(1.5 * 1024 ** 2);
    expect(parseConfig({ HOIST_MAX_OBJECT_SIZE: '5TB' }).maxObjectSize).toBe(5 * 1024 ** 4);
    expect(formatBytes(parseConfig({ HOIST_MAX_OBJECT_SIZE: '5GB' }).maxObjectSize)).toBe('5.0 GB');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ S3_ENDPOINT: 'not a url' }, 'S3_ENDPOINT'],
    [{ S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET'],
    [{ HOIST_KEY_PREFIX: 'no-slash' }, 'HOIST_KEY_PREFIX'],
    // Browsers drop "." and ".." folders from every address: parts would go to another bucket or key.
    [{ HOIST_KEY_PREFIX: '../x/' }, 'HOIST_KEY_PREFIX'],
    [{ HOIST_KEY_PREFIX: 'a/./b/' }, 'HOIST_KEY_PREFIX'],
    [{ HOIST_KEY_PREFIX: 'a//' }, 'HOIST_KEY_PREFIX'],
    [{ S3_REGION: 'eu_west_1' }, 'S3_REGION'],
    [{ S3_REGION: 'eu/west' }, 'S3_REGION'],
    [{ S3_REGION: ' ' }, 'S3_REGION'],
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
    [{ HOIST_STALE_UPLOAD_TTL: '99999999999999999999999d' }, 'HOIST_STALE_UPLOAD_TTL'],
    [{ HOIST_STALE_UPLOAD_TTL: '366d' }, 'HOIST_STALE_UPLOAD_TTL'],
    [{ HOIST_JANITOR_INTERVAL: '0' }, 'HOIST_JANITOR_INTERVAL'],
    // Node fires a longer timer at once: the janitor would sweep every millisecond.
    [{ HOIST_JANITOR_INTERVAL: '30d' }, 'HOIST_JANITOR_INTERVAL'],
    [{ HOIST_SHUTDOWN_DELAY: '1h' }, 'HOIST_SHUTDOWN_DELAY'],
    [{ HOIST_SHUTDOWN_DELAY: 'soon' }, 'HOIST_SHUTDOWN_DELAY'],
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
    // Stops at once unless told to wait for a load balancer.
    expect(parseConfig({}).shutdownDelayMs).toBe(0);
    expect(parseConfig({ HOIST_SHUTDOWN_DELAY: '15s' }).shutdownDelayMs).toBe(15_000);
  });

  // The message (after "Invalid configuration:") for one bad variable.
  const refusal = (env: Record<string, string>) => {
    try {
      parseConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message.replace(/^Invalid configuration:\n {2}/, '');
    }
    throw new Error(`${JSON.stringify(env)} was taken`);
  };

  it('says what S3_ENDPOINT takes: an http(s) URL, or "aws" in lower case', () => {
    const expected =
      'S3_ENDPOINT: the S3 endpoint: an http:// or https:// URL such as https://s3.example.com or http://127.0.0.1:9000, or "aws" for AWS S3 itself';
    expect(refusal({ S3_ENDPOINT: 'not-a-url' })).toBe(`${expected} (got "not-a-url")`);
    expect(refusal({ S3_ENDPOINT: 'ftp://x' })).toBe(`${expected} (got "ftp://x")`);
    expect(refusal({ S3_ENDPOINT: 'http://rgw:7480 ' })).toBe(`${expected} (got "http://rgw:7480 ")`);
    expect(refusal({ S3_ENDPOINT: 'AWS' })).toBe('S3_ENDPOINT: "aws" in lower case (AWS S3 itself)');
    expect(refusal({ S3_ENDPOINT: 'http://rgw:7480/?x=1' })).toBe(
      'S3_ENDPOINT: the S3 endpoint: no ?query or #fragment (got "http://rgw:7480/?x=1")',
    );
    expect(refusal({ S3_PUBLIC_ENDPOINT: 'files' })).toMatch(
      /^S3_PUBLIC_ENDPOINT: the S3 endpoint browsers use: an http:\/\/ or https:\/\/ URL such as .*9000 \(got "files"\)$/,
    );
  });

  it('echoes a bad duration, size or switch, takes switches in any case, and gives Hoist addresses as examples of HOIST_PUBLIC_URL', () => {
    expect(refusal({ HOIST_PRESIGN_TTL: '15min' })).toBe(
      'HOIST_PRESIGN_TTL: a duration such as 900, 900s, 15m, 24h or 7d (got "15min")',
    );
    expect(refusal({ HOIST_MAX_OBJECT_SIZE: '5 gigs' })).toBe(
      'HOIST_MAX_OBJECT_SIZE: a byte count such as 5368709120, 500MiB or 5GiB (got "5 gigs")',
    );
    expect(refusal({ S3_CONFIGURE_BUCKET: 'on' })).toBe(
      'S3_CONFIGURE_BUCKET: 1, true or yes; or 0, false or no (got "on")',
    );
    expect(
      parseConfig({ S3_ENDPOINT: 'http://127.0.0.1:7480', S3_FORCE_PATH_STYLE: 'TRUE' }).s3.forcePathStyle,
    ).toBe(true);
    expect(refusal({ HOIST_PUBLIC_URL: 'hoist.example.com' })).toBe(
      'HOIST_PUBLIC_URL: the address people open Hoist at: an http:// or https:// URL such as https://files.example.com or http://192.168.1.20:8080 (got "hoist.example.com")',
    );
  });

  it('refuses a path after the endpoint\'s host (the SDK would put it before every bucket), but not a lone "/"', () => {
    expect(refusal({ S3_ENDPOINT: 'http://127.0.0.1:7491/cfg2' })).toBe(
      'S3_ENDPOINT: no path after the host ("/cfg2"): the bucket goes in S3_BUCKET',
    );
    expect(refusal({ S3_PUBLIC_ENDPOINT: 'https://files.example.com/s3/' })).toMatch(
      /^S3_PUBLIC_ENDPOINT: no path after the host \("\/s3\/"\)/,
    );
    expect(refusal({ HOIST_PUBLIC_URL: 'https://hoist.example.com/app' })).toMatch(
      /^HOIST_PUBLIC_URL: no path after the host \("\/app"\): an origin such as https:\/\/hoist\.example\.com/,
    );
    expect(parseConfig({ S3_ENDPOINT: 'http://127.0.0.1:7491/' }).s3.endpoint).toBe('http://127.0.0.1:7491');
    expect(parseConfig({ S3_ENDPOINT: 'http://127.0.0.1:7491//' }).s3.endpoint).toBe('http://127.0.0.1:7491');
    expect(parseConfig({ S3_PUBLIC_ENDPOINT: 'https://files.example.com/' }).s3.publicEndpoint).toBe(
      'https://files.example.com',
    );
  });

  it('takes PORT and STORE_PORT in decimal digits only, naming the variable and the range', () => {
    for (const bad of [' ', '1e3', '0x4775', '-1', '8080.0', '+8080', ' 8080', '65536', '999999', 'eighty']) {
      expect(refusal({ PORT: bad })).toBe('PORT: a port number from 1 to 65535');
      expect(refusal({ STORE_PORT: bad })).toBe(
        'STORE_PORT: a port number from 0 to 65535 (0: any free port)',
      );
    }
    // The app's origin (checked in the bucket CORS) has its port in it: no random one.
    expect(refusal({ PORT: '0' })).toBe('PORT: a port number from 1 to 65535');
    expect(parseConfig({ PORT: '65535', STORE_PORT: '0' })).toMatchObject({ port: 65535, storePort: 0 });
    expect(parseConfig({ PORT: '08080' }).port).toBe(8080);
    expect(parseConfig({ PORT: '' }).port).toBe(8080);
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

  it('gives browsers the store at its own address when Hoist is opened at a *.localhost name', () => {
    // Browsers take any *.localhost for this machine; this server's resolver may not know the name.
    expect(embeddedStorePublicEndpoint('http://files.localhost:8080', 9000)).toBeNull();
    expect(embeddedStorePublicEndpoint('http://files.example.lan:8080', 9000)).toBe(
      'http://files.example.lan:9000',
    );
  });

  it('refuses an https HOIST_PUBLIC_URL with the embedded store as it reads the settings (npm run dev stops at once)', () => {
    const token = { HOIST_ACCESS_TOKEN: 'a-token-of-16-chars-or-more' };
    expect(() => parseConfig({ ...token, HOIST_PUBLIC_URL: 'https://files.example.com' })).toThrow(
      'S3_PUBLIC_ENDPOINT: Hoist is served over https',
    );
    expect(
      parseConfig({
        ...token,
        HOIST_PUBLIC_URL: 'https://files.example.com',
        S3_PUBLIC_ENDPOINT: 'https://store.example.com',
      }).publicUrl,
    ).toBe('https://files.example.com');
  });

  it('uses path style for custom endpoints unless told otherwise, and always for the embedded store', () => {
    expect(parseConfig({ S3_ENDPOINT: 'http://127.0.0.1:7480' }).s3.forcePathStyle).toBe(true);
    // At a HOIST_PUBLIC_URL name, virtual-hosted links (http://hoist.files.example.lan:9000/…) reach nothing.
    expect(parseConfig({}).s3.forcePathStyle).toBe(true);
    expect(() => parseConfig({ S3_FORCE_PATH_STYLE: 'false' })).toThrow(
      'S3_FORCE_PATH_STYLE: the embedded store takes path-style URLs only',
    );
    expect(parseConfig({ S3_ENDPOINT: 'aws' }).s3.forcePathStyle).toBe(false);
    expect(
      parseConfig({ S3_ENDPOINT: 'https://x.r2.cloudflarestorage.com', S3_FORCE_PATH_STYLE: 'false' }).s3
        .forcePathStyle,
    ).toBe(false);
  });
});
