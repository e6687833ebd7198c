import { S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  MAX_CORS_ORIGINS,
  PROBE_METADATA_NAME,
  corsProblem,
  createSelfTest,
  pageCorsProblem,
  selfTestLogLines,
  underscoreIn,
  withHoistCorsRule,
} from './self-test.ts';
import type { ObjectStore } from './s3/s3-gateway.ts';
import { hoistCorsRule, REQUIRED_CORS } from './shared/hoist-cors-rule.ts';
import type { HealthReport } from './shared/api-types.ts';

describe('corsProblem', () => {
  const origin = 'http://127.0.0.1:8080';
  it('accepts the rules Hoist puts on the embedded store', () => {
    expect(corsProblem(REQUIRED_CORS, [origin])).toBeNull();
  });
  it('explains a missing configuration, a missing origin and a hidden ETag', () => {
    // All a rule needs, at once, for the origin: fixed in one go, not a missing piece a round.
    expect(corsProblem(null, [origin])).toBe(
      'The bucket has no CORS configuration, so browsers cannot upload to it. Add a rule allowing GET, PUT and HEAD from http://127.0.0.1:8080, with AllowedHeaders "*" and ExposeHeaders ETag, Content-Length, Content-Range, x-amz-checksum-crc32 and x-amz-request-id (the README\'s JSON).',
    );
    expect(
      corsProblem([{ AllowedOrigins: ['https://other'], AllowedMethods: ['GET', 'PUT'] }], [origin]),
    ).toMatch(/does not allow PUT and GET from http:\/\/127\.0\.0\.1:8080/);
    expect(
      corsProblem(
        [{ AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'] }],
        [origin],
      ),
    ).toMatch(/ETag/);
  });
  it('asks for every header a part or single PUT is signed with, if-none-match included', () => {
    const rule = (AllowedHeaders: string[]) => [
      {
        AllowedOrigins: [origin],
        AllowedMethods: ['GET', 'PUT'],
        AllowedHeaders,
        ExposeHeaders: ['ETag', 'Content-Range'],
      },
    ];
    expect(corsProblem(rule(['content-type', 'content-md5', 'x-amz-checksum-crc32']), [origin])).toMatch(
      /if-none-match/,
    );
    // The four a plain upload sends are not enough: downloads send Range and If-Match, and uploads with
    // settings Cache-Control, Content-Disposition, -Encoding, -Language, x-amz-tagging, -storage-class and
    // x-amz-meta-*.
    const uploadsOnly = ['content-type', 'content-md5', 'x-amz-checksum-crc32', 'if-none-match'];
    expect(corsProblem(rule(uploadsOnly), [origin])).toMatch(
      /must allow the request headers cache-control, content-disposition, content-encoding, content-language, x-amz-tagging, x-amz-storage-class, x-amz-meta-\*, range, if-match \(or "\*"\)/,
    );
    const settings = ['Cache-Control', 'Content-Disposition', 'Content-Encoding', 'Content-Language'];
    const all = [
      ...uploadsOnly,
      ...settings,
      'x-amz-tagging',
      'x-amz-storage-class',
      'x-amz-meta-*',
      'Range',
      'If-Match',
    ];
    expect(corsProblem(rule(all), [origin])).toBeNull();
    expect(corsProblem(rule(all.filter((h) => h !== 'Content-Language')), [origin])).toMatch(
      /must allow the request headers content-language \(or "\*"\)/,
    );
    expect(corsProblem(rule(['*']), [origin])).toBeNull();
    expect(
      corsProblem(rule([...uploadsOnly, ...settings, 'x-amz-*', 'range', 'if-match']), [origin]),
    ).toBeNull();
  });
});

describe('corsProblem, further', () => {
  const origin = 'https://hoist.example.com';
  it("asks for Content-Range, which ranged downloads read (the README's rule once missed it)", () => {
    const rule = { AllowedOrigins: [origin], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'] };
    expect(corsProblem([{ ...rule, ExposeHeaders: ['ETag', 'x-amz-checksum-crc32'] }], [origin])).toMatch(
      /Content-Range/,
    );
    expect(corsProblem([{ ...rule, ExposeHeaders: ['ETag', 'Content-Range'] }], [origin])).toBeNull();
  });
  it('with no known origin, any rule that lets some origin upload will do, and it says how to check', () => {
    expect(corsProblem([hoistCorsRule([origin])], [])).toBeNull();
    expect(corsProblem([{ AllowedOrigins: [origin], AllowedMethods: ['GET'] }], [])).toMatch(
      /HOIST_PUBLIC_URL/,
    );
  });
  it('takes an origin with one "*" as S3 does: any port, any subdomain', () => {
    const rule = (AllowedOrigins: string[]) => [{ ...hoistCorsRule([]), AllowedOrigins }];
    expect(corsProblem(rule(['http://127.0.0.1:*']), ['http://127.0.0.1:18301'])).toBeNull();
    expect(corsProblem(rule(['https://*.example.com']), [origin])).toBeNull();
    expect(corsProblem(rule(['https://*.example.com']), ['https://example.com'])).toMatch(
      /does not allow PUT and GET from https:\/\/example\.com/,
    );
    expect(corsProblem(rule(['http://127.0.0.1:*']), ['http://localhost:8080'])).toMatch(
      /does not allow PUT and GET from http:\/\/localhost:8080/,
    );
  });
  it('names HOIST_PUBLIC_URL when the rule is for another origin', () => {
    expect(corsProblem([hoistCorsRule([origin])], ['http://127.0.0.1:8080'])).toMatch(/HOIST_PUBLIC_URL/);
  });
});

describe('pageCorsProblem', () => {
  const rules = [hoistCorsRule(['http://127.0.0.1:8080'])];

  it('is null for a page at an origin the rule names, or when any of its origins is named', () => {
    expect(pageCorsProblem(rules, ['http://127.0.0.1:8080'])).toBeNull();
    expect(pageCorsProblem(rules, ['http://proxy.internal', 'http://127.0.0.1:8080'])).toBeNull();
  });

  it("names the page's origin when the rule does not", () => {
    expect(pageCorsProblem(rules, ['http://localhost:8080'])).toContain(
      'does not allow PUT and GET from http://localhost:8080',
    );
  });

  it('says nothing while the rules are not known (the self-test itself reports that)', () => {
    expect(pageCorsProblem(null, ['http://localhost:8080'])).toBeNull();
    expect(pageCorsProblem(rules, [])).toBeNull();
  });
});

describe('withHoistCorsRule', () => {
  const other = { AllowedOrigins: ['https://other-app.example.com'], AllowedMethods: ['GET'] };
  it("keeps the bucket's other rules and adds Hoist's for its origin", () => {
    const rules = withHoistCorsRule([other], ['https://hoist.example.com']);
    expect(rules).toEqual([hoistCorsRule(['https://hoist.example.com']), other]);
    expect(corsProblem(rules, ['https://hoist.example.com'])).toBeNull();
  });
  it('keeps the origins of other Hoist servers on the same bucket: neither takes the rule from the other', () => {
    const a = withHoistCorsRule([other], ['http://a']);
    const both = withHoistCorsRule(a, ['http://b']);
    expect(both).toEqual([hoistCorsRule(['http://b', 'http://a']), other]);
    // Each one's check now passes, so neither writes the rule again.
    expect(corsProblem(both, ['http://a'])).toBeNull();
    expect(corsProblem(both, ['http://b'])).toBeNull();
    expect(withHoistCorsRule(both, ['http://a'])).toEqual([hoistCorsRule(['http://a', 'http://b']), other]);
  });

  it('adds no origin of its own that an entry with "*" on its rule already lets in', () => {
    const wild = { ...hoistCorsRule(['https://*.example.com']), ExposeHeaders: ['ETag'] };
    expect(withHoistCorsRule([wild], ['https://hoist.example.com'])).toEqual([
      hoistCorsRule(['https://*.example.com']),
    ]);
    expect(withHoistCorsRule([wild], ['http://127.0.0.1:8080'])).toEqual([
      hoistCorsRule(['http://127.0.0.1:8080', 'https://*.example.com']),
    ]);
  });

  it('keeps its own origin when the entry with "*" that lets it in is past the ones kept', () => {
    const others = Array.from({ length: MAX_CORS_ORIGINS + 1 }, (_, i) => `https://app${i}.example.org`);
    const wild = hoistCorsRule([...others, 'https://*.example.com']);
    const origins = withHoistCorsRule([wild], ['https://hoist.example.com'])[0]!.AllowedOrigins!;
    expect(origins).toHaveLength(MAX_CORS_ORIGINS);
    expect(origins[0]).toBe('https://hoist.example.com');
    expect(corsProblem([hoistCorsRule(origins)], ['https://hoist.example.com'])).toBeNull();
  });

  it('keeps at most MAX_CORS_ORIGINS, this server first; any origin only when none is known', () => {
    let rules = withHoistCorsRule(null, ['http://0']);
    for (let i = 1; i <= 30; i++) rules = withHoistCorsRule(rules, [`http://${i}`]);
    const origins = rules[0]!.AllowedOrigins!;
    expect(origins).toHaveLength(MAX_CORS_ORIGINS);
    expect(origins.slice(0, 2)).toEqual(['http://30', 'http://29']);
    expect(withHoistCorsRule(null, [])[0]!.AllowedOrigins).toEqual(['*']);
    expect(withHoistCorsRule(withHoistCorsRule(null, []), ['http://a'])[0]!.AllowedOrigins).toEqual(['*']);
  });
});

describe('selfTestLogLines', () => {
  const report = (...checks: [string, string | null][]): HealthReport => ({
    ok: checks.every(([, failure]) => failure === null),
    store: 'external',
    bucket: 'b',
    prefix: '',
    checks: checks.map(([name, failure]) => ({
      name,
      ok: failure === null,
      message: failure ?? `${name} ok`,
    })),
    checksumAlgorithm: 'MD5',
    versioning: 'unknown',
    metadataUnderscore: 'kept',
  });
  const passing = report(['bucket', null], ['cors', null], ['checksums', null], ['abort', null]);
  const stopped = report(['bucket', 'Bucket "b" is not reachable: the store did not answer in time: …']);

  it('logs a failure once while it stays the same, and one line when the store passes again', () => {
    // The store frozen (kill -STOP), the health check re-running the test every 5 s, then resumed.
    expect(selfTestLogLines(passing, stopped)).toEqual([
      'self-test FAIL bucket: Bucket "b" is not reachable: the store did not answer in time: …',
    ]);
    expect(selfTestLogLines(stopped, stopped)).toEqual([]);
    expect(selfTestLogLines(stopped, passing)).toEqual([
      'self-test ok again: bucket, cors, checksums, abort pass (bucket failed before)',
    ]);
    expect(selfTestLogLines(passing, passing)).toEqual([]);
  });

  it('logs a failure that changed, a new one, and every failure of the first run', () => {
    const denied = report(['bucket', 'Bucket "b" is not reachable: access denied']);
    expect(selfTestLogLines(stopped, denied)).toEqual([
      'self-test FAIL bucket: Bucket "b" is not reachable: access denied',
    ]);
    const corsToo = report(['bucket', null], ['cors', 'no CORS'], ['checksums', null], ['abort', 'no abort']);
    expect(selfTestLogLines(stopped, corsToo)).toEqual([
      'self-test FAIL cors: no CORS',
      'self-test FAIL abort: no abort',
    ]);
    // Still failing (abort): no "ok again" yet, and nothing said again.
    const abortOnly = report(['bucket', null], ['cors', null], ['checksums', null], ['abort', 'no abort']);
    expect(selfTestLogLines(corsToo, abortOnly)).toEqual([]);
    expect(selfTestLogLines(null, corsToo)).toEqual([
      'self-test FAIL cors: no CORS',
      'self-test FAIL abort: no abort',
    ]);
    // The start-up run that passes says nothing here (server/index.ts logs its checks).
    expect(selfTestLogLines(null, passing)).toEqual([]);
  });
});

describe('createSelfTest: what the store makes of "_" in metadata names', () => {
  /** A store that checks checksums and turns "_" into "-" (a newer Ceph RGW); `proxy` answers the PUT with metadata. */
  /** `ifMatchTaken`: the If-Match form the store takes on a PUT (the others are answered 412). */
  function setupProbe(
    metadataPutStatus: number,
    ifMatchTaken: 'quoted' | 'unquoted' | 'none' = 'quoted',
    deleteTaken: 'quoted' | 'unquoted' | 'none' = 'quoted',
  ) {
    const puts: string[] = [];
    const deletes: string[] = [];
    const store = {
      bucket: 'b',
      checkBucket: () => Promise.resolve(),
      versioning: () => Promise.resolve('unknown'),
      getCors: () => Promise.resolve(REQUIRED_CORS),
      presignPut: (
        key: string,
        _size: number,
        _type: string,
        algorithm: string,
        _checksum: string,
        _ttl: number,
        o?: { properties?: { metadata?: Record<string, string> }; ifMatch?: string },
      ) =>
        Promise.resolve({
          url: `http://store.test/b/${key}`,
          headers: {
            algorithm,
            ...(o?.properties?.metadata && { metadata: 'yes' }),
            ...(o?.ifMatch !== undefined && { 'if-match': o.ifMatch }),
          },
        }),
      head: () => Promise.resolve({ etag: '"e1"', headers: { metadata: { 'hoist-probe': '1' } } }),
      // DeleteObjects pinned to an ETag: deleted in the form the store takes, else PreconditionFailed.
      deleteObjects: (keys: string[], o?: { etags?: Record<string, string> }) => {
        const etag = o?.etags?.[keys[0]!];
        deletes.push(etag ?? 'unpinned');
        const taken = etag === undefined || deleteTaken === (etag.startsWith('"') ? 'quoted' : 'unquoted');
        return Promise.resolve(
          taken
            ? { deleted: keys, errors: [] }
            : { deleted: [], errors: [{ key: keys[0], message: 'PreconditionFailed', changed: true }] },
        );
      },
      createMultipart: () => Promise.resolve('u1'),
      abort: () => Promise.resolve(),
      listParts: () => Promise.resolve(null),
      clockOffsetMs: () => 0,
    } as unknown as ObjectStore;
    const logged: string[] = [];
    const selfTest = createSelfTest({
      store,
      kind: 'external',
      keyPrefix: '',
      appOrigins: [],
      configureCors: false,
      log: (line) => logged.push(line),
      fetch: (_url, init) => {
        const headers = init?.headers as Record<string, string>;
        const ifMatch = headers['if-match'];
        puts.push(
          `${headers['algorithm']}${headers['metadata'] ? '+metadata' : ''}${ifMatch ? ` if-match ${ifMatch}` : ''}`,
        );
        if (ifMatch !== undefined) {
          const taken = ifMatchTaken === (ifMatch.startsWith('"') ? 'quoted' : 'unquoted');
          return Promise.resolve(new Response(null, { status: taken ? 200 : 412 }));
        }
        // The wrong CRC32 is refused (the store checks); the probe with metadata as `metadataPutStatus`.
        const status = headers['algorithm'] === 'CRC32' ? 400 : metadataPutStatus;
        return Promise.resolve(new Response(null, { status }));
      },
    });
    return { selfTest, puts, deletes, logged };
  }

  it('learns it from a PUT of its own, also where the store checks checksums; once', async () => {
    const { selfTest, puts } = setupProbe(200);
    const report = await selfTest.run();
    expect(report).toMatchObject({ ok: true, checksumAlgorithm: 'CRC32', metadataUnderscore: 'dashed' });
    await selfTest.run();
    expect(puts).toEqual(['CRC32', 'MD5+metadata', 'MD5 if-match "e1"', 'CRC32']);
    expect(selfTest.ifMatchForm()).toBe('quoted');
  });

  it('learns, deleting its object, how the store takes the ETag of a conditional DeleteObjects', async () => {
    const s3 = setupProbe(200);
    await s3.selfTest.run();
    expect([s3.selfTest.deleteIfMatchForm(), s3.deletes]).toEqual(['quoted', ['"e1"']]);
    const bare = setupProbe(200, 'quoted', 'unquoted');
    await bare.selfTest.run();
    expect([bare.selfTest.deleteIfMatchForm(), bare.deletes]).toEqual(['unquoted', ['"e1"', 'e1']]);
    // Kept either way: deletes go unpinned, and the probe object is deleted all the same.
    const none = setupProbe(200, 'quoted', 'none');
    await none.selfTest.run();
    expect([none.selfTest.deleteIfMatchForm(), none.deletes]).toEqual(['none', ['"e1"', 'e1', 'unpinned']]);
  });

  it('learns with the same object how the store takes If-Match on a PUT: quoted as S3, unquoted as Ceph RGW 16, or not at all', async () => {
    const rgw = setupProbe(200, 'unquoted');
    await rgw.selfTest.run();
    expect(rgw.selfTest.ifMatchForm()).toBe('unquoted');
    expect(rgw.puts).toEqual(['CRC32', 'MD5+metadata', 'MD5 if-match "e1"', 'MD5 if-match e1']);
    const refusing = setupProbe(200, 'none');
    await refusing.selfTest.run();
    expect(refusing.selfTest.ifMatchForm()).toBe('none');
    // Nothing learned (the probe refused): S3's way is assumed.
    const refused = setupProbe(403);
    await refused.selfTest.run();
    expect(refused.selfTest.ifMatchForm()).toBe('quoted');
  });

  it('a probe with "_" refused (a proxy drops such headers, breaking the signature) leaves the checksum finding as it is, says so once, and refuses "_" meanwhile', async () => {
    const { selfTest, puts, logged } = setupProbe(403);
    const report = await selfTest.run();
    expect(report).toMatchObject({ ok: true, checksumAlgorithm: 'CRC32', metadataUnderscore: 'dashed' });
    expect(report.checks.find((c) => c.name === 'checksums')?.message).toContain(
      'A test upload with "_" in a metadata name was refused',
    );
    await selfTest.run();
    expect(puts).toEqual(['CRC32', 'MD5+metadata', 'CRC32', 'MD5+metadata']); // not learned: asked again
    expect(logged.filter((line) => line.includes('underscores_in_headers on'))).toEqual([
      'warning: the store refused a test upload with "_" in a metadata name (HTTP 403), though it took one without: a proxy in front of it may drop headers with "_" (nginx: underscores_in_headers on;). Until this passes, Hoist refuses "_" in metadata names.',
    ]);
  });
});

/** A store that passes every check (it verifies CRC32), with `overrides` for the calls a test is about. */
const passingStore = (overrides: Record<string, unknown> = {}) =>
  ({
    bucket: 'b',
    checkBucket: () => Promise.resolve(),
    versioning: () => Promise.resolve('unknown'),
    getCors: () => Promise.resolve(REQUIRED_CORS),
    presignPut: () => Promise.resolve({ url: 'http://store.test/b/probe', headers: {} }),
    createMultipart: () => Promise.resolve('u1'),
    abort: () => Promise.resolve(),
    listParts: () => Promise.resolve(null),
    clockOffsetMs: () => 0,
    ...overrides,
  }) as unknown as ObjectStore;

/** The self-test over `store`, external, whose probe PUT with a wrong CRC32 is refused. */
const selfTestOf = (store: ObjectStore, options: Partial<Parameters<typeof createSelfTest>[0]> = {}) =>
  createSelfTest({
    store,
    kind: 'external',
    keyPrefix: '',
    appOrigins: [],
    configureCors: false,
    fetch: () => Promise.resolve(new Response('BadDigest', { status: 400 })),
    ...options,
  });

const s3Error = (name: string, status: number, message = name) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });

describe('createSelfTest: the log over runs', () => {
  it('says a frozen store failed once, and that it passes again once resumed', async () => {
    let frozen = false;
    const store = passingStore({
      checkBucket: () =>
        frozen
          ? Promise.reject(new DOMException('The self-test took too long.', 'TimeoutError'))
          : Promise.resolve(),
    });
    const lines: string[] = [];
    const selfTest = selfTestOf(store, { log: (line) => lines.push(line) });
    await selfTest.run();
    frozen = true;
    for (let i = 0; i < 3; i++) await selfTest.run();
    frozen = false;
    await selfTest.run();
    await selfTest.run();
    expect(lines).toEqual([
      expect.stringMatching(
        /^self-test FAIL bucket: Bucket "b" is not reachable: the store did not answer in time/,
      ),
      'self-test ok again: bucket, cors, checksums, abort pass (bucket failed before)',
    ]);
  });
});

describe('createSelfTest: a store that refuses AbortMultipartUpload', () => {
  it('says why, and leaves one self-test upload, tried again on each run, not one per run', async () => {
    let refuse = true;
    const created: string[] = [];
    const aborts: string[] = [];
    const store = passingStore({
      createMultipart: (key: string) => {
        created.push(key);
        return Promise.resolve(`u${created.length}`);
      },
      abort: (_key: string, uploadId: string) => {
        aborts.push(uploadId);
        return refuse ? Promise.reject(s3Error('AccessDenied', 403, 'Access Denied')) : Promise.resolve();
      },
    });
    const selfTest = selfTestOf(store, { keyPrefix: 'app/' });
    const abortCheck = async () => (await selfTest.run()).checks.find((c) => c.name === 'abort');
    const refused = await abortCheck();
    expect(refused?.ok).toBe(false);
    expect(refused?.message).toBe(
      `AbortMultipartUpload was refused: access denied (AccessDenied): check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, and that they may use bucket "b". Cancel and the janitor need it (s3:AbortMultipartUpload); the self-test's upload of "${created[0]}" stays until it is allowed.`,
    );
    expect(created[0]).toMatch(/^app\/\.hoist-selftest\//);
    await abortCheck();
    await abortCheck();
    expect(created).toHaveLength(1);
    expect(aborts).toEqual(['u1', 'u1', 'u1']);
    refuse = false;
    expect((await abortCheck())?.ok).toBe(true); // the one left behind is removed now
    expect(aborts).toEqual(['u1', 'u1', 'u1', 'u1']);
    await abortCheck();
    expect(aborts).toEqual(['u1', 'u1', 'u1', 'u1', 'u2']);
  });
});

describe('createSelfTest: an abort that fails otherwise', () => {
  it('says it failed, not that it was refused, and tries the same upload again', async () => {
    const aborts: string[] = [];
    const selfTest = selfTestOf(
      passingStore({
        abort: (_key: string, uploadId: string) => {
          aborts.push(uploadId);
          return Promise.reject(s3Error('InternalError', 500, 'We encountered an internal error.'));
        },
      }),
    );
    const check = (await selfTest.run()).checks.find((c) => c.name === 'abort');
    expect(check?.message).toMatch(
      /^AbortMultipartUpload failed: InternalError: We encountered an internal error\. \(HTTP 500\) The self-test's upload of ".*" is tried again by the next check\.$/,
    );
    await selfTest.run();
    expect(aborts).toEqual(['u1', 'u1']);
  });
});

describe('createSelfTest: keys that may not write the bucket CORS (S3_CONFIGURE_BUCKET)', () => {
  const selfTestOver = (rules: ReturnType<typeof hoistCorsRule>[]) =>
    selfTestOf(
      passingStore({
        getCors: () => Promise.resolve(rules),
        putCors: () => Promise.reject(s3Error('AccessDenied', 403, 'Access Denied')),
      }),
      { appOrigins: ['http://127.0.0.1:8080', 'http://localhost:8080'], configureCors: true },
    );
  const corsCheck = async (rules: ReturnType<typeof hoistCorsRule>[]) =>
    (await selfTestOver(rules).run()).checks.find((c) => c.name === 'cors');

  it('passes a rule that serves the origin Hoist was told, saying the other names could not be added', async () => {
    const check = await corsCheck([hoistCorsRule(['http://127.0.0.1:8080'])]);
    expect(check?.ok).toBe(true);
    expect(check?.message).toMatch(
      /^CORS allows uploads from this app and exposes ETag\. \(Hoist could not add its other origins to the rule: access denied/,
    );
  });

  it("with no origin known (HOST=0.0.0.0, no HOIST_PUBLIC_URL), adds its rule for any origin before another site's", async () => {
    const other = hoistCorsRule(['https://hoist.example.com']);
    let rules = [{ ...other, ID: 'site' }];
    const put: (typeof rules)[] = [];
    const store = passingStore({
      getCors: () => Promise.resolve(rules),
      putCors: (next: typeof rules) => {
        put.push(next);
        rules = next;
        return Promise.resolve();
      },
    });
    const selfTest = selfTestOf(store, { appOrigins: [], configureCors: true });
    expect((await selfTest.run()).checks.find((c) => c.name === 'cors')?.ok).toBe(true);
    expect(put).toEqual([[hoistCorsRule([]), { ...other, ID: 'site' }]]);
    // Set up once: the next run finds it so.
    await selfTest.run();
    expect(put).toHaveLength(1);
  });

  it('with no origin known, passes a rule for another site, saying its rule for any origin could not be added', async () => {
    const store = passingStore({
      getCors: () => Promise.resolve([hoistCorsRule(['https://hoist.example.com'])]),
      putCors: () => Promise.reject(s3Error('AccessDenied', 403, 'Access Denied')),
    });
    const check = (await selfTestOf(store, { appOrigins: [], configureCors: true }).run()).checks.find(
      (c) => c.name === 'cors',
    );
    expect(check?.ok).toBe(true);
    expect(check?.message).toMatch(/\(Hoist could not add its rule for any origin: access denied/);
  });

  it('fails when the rule does not serve that origin either, saying the keys may not change it and what to do', async () => {
    const check = await corsCheck([hoistCorsRule(['https://other.example.com'])]);
    expect(check?.ok).toBe(false);
    expect(check?.message).toMatch(
      /^The bucket CORS does not allow .* Hoist could not add its rule \(S3_CONFIGURE_BUCKET is set\): these keys may not change the bucket's CORS \(AccessDenied on PutBucketCors\): add the rule yourself, or grant s3:PutBucketCORS\.$/,
    );
  });

  it('passes, saying it could not check, when the keys may not read the rule (keys scoped to objects)', async () => {
    const store = passingStore({
      getCors: () => Promise.reject(s3Error('AccessDenied', 403, 'Access Denied')),
    });
    const report = await selfTestOf(store, { appOrigins: ['http://127.0.0.1:8080'] }).run();
    const check = report.checks.find((c) => c.name === 'cors');
    expect(check?.ok).toBe(true);
    expect(check?.message).toMatch(
      /^Hoist may not read the bucket's CORS rule \(AccessDenied on GetBucketCors\), so it cannot check it: .*Grant s3:GetBucketCORS/,
    );
    expect(report.ok).toBe(true);
  });
});

describe('underscoreIn', () => {
  it('reads from the probe object whether the store kept the "_" of its metadata name', () => {
    expect(PROBE_METADATA_NAME).toContain('_');
    expect(underscoreIn({ [PROBE_METADATA_NAME]: '1' })).toBe('kept');
    // Ceph RGW: x-amz-meta-hoist_probe comes back as hoist-probe.
    expect(underscoreIn({ 'hoist-probe': '1' })).toBe('dashed');
    // A store that kept no metadata, or no object to read: nothing learned.
    expect(underscoreIn({})).toBeNull();
    expect(underscoreIn(undefined)).toBeNull();
  });
});

describe('createSelfTest: a bucket whose CORS stops the page', () => {
  it('says what the rule needs, and that S3_CONFIGURE_BUCKET=true lets Hoist add it', async () => {
    // Every address the page is known at is named: one rule written from it serves them all.
    const report = await selfTestOf(passingStore({ getCors: () => Promise.resolve(null) }), {
      appOrigins: ['http://127.0.0.1:8594', 'http://localhost:8594'],
    }).run();
    expect(report.checks.find((c) => c.name === 'cors')).toEqual({
      name: 'cors',
      ok: false,
      message: expect.stringMatching(
        /^The bucket has no CORS configuration.*from http:\/\/127\.0\.0\.1:8594 and http:\/\/localhost:8594, .* Or start Hoist with S3_CONFIGURE_BUCKET=true to let it add its rule, beside the bucket's others\.$/,
      ),
    });
  });
});

describe('createSelfTest: a checksum probe the store refuses otherwise than for its checksum', () => {
  it('fails the check saying why, and keeps the algorithm it had: a full store or a skewed clock is no store without checksums', async () => {
    // An outside tester: Hoist's clock 2 h ahead (403 "Request is not valid yet"), or the embedded
    // store's disk full (507), turned uploads to Content-MD5 while /api/ready said ready.
    let answer = () => new Response('BadDigest', { status: 400 });
    const now = Date.parse('2026-12-06T12:00:00Z');
    const store = passingStore({
      deleteObjects: () => Promise.resolve({ deleted: ['x'] }),
      head: () => Promise.resolve(null),
    });
    const selfTest = selfTestOf(store, { fetch: () => Promise.resolve(answer()), now: () => now });
    await selfTest.run();
    expect(selfTest.checksumAlgorithm()).toBe('CRC32');
    const checksums = (r: HealthReport) => r.checks.find((c) => c.name === 'checksums');
    answer = () =>
      new Response('<Error><Code>AccessDenied</Code><Message>Request is not valid yet</Message></Error>', {
        status: 403,
        headers: { date: 'Sun, 06 Dec 2026 10:00:00 GMT' },
      });
    const skewed = await selfTest.run();
    expect(checksums(skewed)).toMatchObject({ ok: false });
    expect(checksums(skewed)!.message).toContain('AccessDenied: Request is not valid yet');
    expect(checksums(skewed)!.message).toContain("This server's clock is 120 min ahead of the store's");
    expect(skewed.ok).toBe(false);
    expect(selfTest.checksumAlgorithm()).toBe('CRC32');
    answer = () => new Response('<Error><Code>InsufficientStorage</Code></Error>', { status: 507 });
    expect(checksums(await selfTest.run())!.message).toContain('HTTP 507, InsufficientStorage');
    expect(selfTest.checksumAlgorithm()).toBe('CRC32');
    // Taken with a wrong CRC32: that store does not check checksums.
    answer = () => new Response(null, { status: 200 });
    const taken = await selfTest.run();
    expect(checksums(taken)).toMatchObject({ ok: true });
    expect(selfTest.checksumAlgorithm()).toBe('MD5');
  });

  it('takes Content-MD5 where only the x-amz-checksum-crc32 header is refused (501, or a proxy that drops it)', async () => {
    const puts: string[] = [];
    const store = passingStore({
      deleteObjects: () => Promise.resolve({ deleted: ['x'] }),
      head: () => Promise.resolve(null),
      presignPut: (_key: string, _size: number, _type: string, algorithm: string) =>
        Promise.resolve({ url: `http://store.test/b/probe?${algorithm}`, headers: {} }),
    });
    const selfTest = selfTestOf(store, {
      fetch: (url) => {
        const algorithm = String(url).split('?')[1]!;
        puts.push(algorithm);
        return Promise.resolve(
          algorithm === 'CRC32'
            ? new Response('<Error><Code>NotImplemented</Code></Error>', { status: 501 })
            : new Response(null, { status: 200 }),
        );
      },
    });
    const report = await selfTest.run();
    expect(report.checks.find((c) => c.name === 'checksums')).toMatchObject({ ok: true });
    expect(selfTest.checksumAlgorithm()).toBe('MD5');
    expect(puts.slice(0, 2)).toEqual(['CRC32', 'MD5']);
  });
});

describe('createSelfTest: the address browsers are given (S3_PUBLIC_ENDPOINT) with a certificate not trusted here', () => {
  it('says to give Node the certificate authority', async () => {
    const cause = Object.assign(new Error('self-signed certificate'), {
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    const report = await selfTestOf(passingStore(), {
      fetch: () => Promise.reject(new TypeError('fetch failed', { cause })),
    }).run();
    expect(report.checks.find((c) => c.name === 'checksums')?.message).toBe(
      'This server cannot reach the store at http://store.test, the address browsers are given (self-signed certificate). S3_PUBLIC_ENDPOINT must be reachable from the Hoist server too. Give Node the certificate authority that signed its certificate (NODE_EXTRA_CA_CERTS=/path/to/ca.pem).',
    );
  });
});
