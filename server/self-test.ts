import type { CORSRule } from '@aws-sdk/client-s3';
import { headerAllowed, originAllowed } from './shared/cors-match.ts';
import { hoistCorsRule } from './shared/hoist-cors-rule.ts';
import { createHash, randomUUID } from 'node:crypto';
import type {
  BucketVersioning,
  ChecksumAlgorithm,
  HealthReport,
  MetadataUnderscore,
} from './shared/api-types.ts';
import { isS3Error, type ObjectStore } from './s3/s3-gateway.ts';
import { deniedAs, explainStoreError, storeErrorFacts, tlsProblem } from './s3/explain-store-error.ts';
import { describeClockOffset } from './s3/store-clock.ts';
import { refusedPutMessage } from './s3/refused-put-message.ts';
import { s3ErrorOf } from './shared/s3-error-body.ts';
import { ifMatchValue, type IfMatchForm } from './uploads/if-match-form.ts';

export interface SelfTest {
  /** The algorithm uploads use now: CRC32 once the store proved it verifies it, else Content-MD5. */
  checksumAlgorithm(): ChecksumAlgorithm;
  /** What the store does with "_" in metadata names, as the checksum probe showed ('kept' until then). */
  metadataUnderscore(): MetadataUnderscore;
  /** How the store takes If-Match on a PUT, as the same probe showed ('quoted', as S3, until then). */
  ifMatchForm(): IfMatchForm;
  /**
   * How the store takes the ETag of a conditional DeleteObjects, as the same probe showed when it
   * deleted its object ('quoted' until then; 'none': it refuses the object's own, so none is sent).
   */
  deleteIfMatchForm(): IfMatchForm;
  report(): HealthReport;
  /**
   * Runs the checks (again); concurrent callers share one run. A run gives up after `timeoutMs`: a
   * store that takes connections and never answers (hung, or stopped) fails it, not hangs it.
   */
  run(o?: { signal?: AbortSignal }): Promise<HealthReport>;
  /**
   * What stops a page open at these origins (one page's: the one it says it is open at) from
   * uploading, by the CORS rules the last run read; null when one of them may, or the rules are not known.
   */
  corsProblemFor(origins: string[]): string | null;
  /**
   * Whether the CORS rules the last run read let a page open at one of these origins upload: a page
   * behind a proxy at an address Hoist was not told of works though Hoist's own check failed.
   */
  corsServes(origins: string[]): boolean;
}

export interface SelfTestOptions {
  store: ObjectStore;
  kind: 'embedded' | 'external';
  keyPrefix: string;
  /** S3_PUBLIC_ENDPOINT, when browsers are given another address of the store than this server uses. */
  publicEndpoint?: string;
  /**
   * Origins the browser app is served from, the one Hoist was told first (see appOrigins): Hoist's rule
   * names them all (configureCors), and the check asks for the first; the others (localhost beside
   * 127.0.0.1) are asked for by a page open there (corsProblemFor). Empty when unknown (HOST=0.0.0.0
   * without HOIST_PUBLIC_URL): then any rule that lets some origin upload will do, but Hoist's own
   * (configureCors) lets any origin ("*"), as a rule for one site may not serve the page's.
   */
  appOrigins: string[];
  /** Put the CORS rules Hoist needs on the bucket (embedded store, or S3_CONFIGURE_BUCKET=true). */
  configureCors: boolean;
  fetch?: typeof fetch;
  /** This server's clock (ms), which presigned links are dated by. */
  now?: () => number;
  log?: (line: string) => void;
  /** Default `SELF_TEST_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** The Content-MD5 of the probes' one byte, "x". */
const PROBE_MD5 = createHash('md5').update('x').digest('base64');

export const SELF_TEST_TIMEOUT_MS = 10_000;

/** Origins kept on Hoist's CORS rule at most: this server's, then those other servers put there last. */
export const MAX_CORS_ORIGINS = 20;

/**
 * The bucket's rules with Hoist's added (S3_CONFIGURE_BUCKET): every other rule is kept, as the
 * bucket may serve other apps. A rule Hoist added before (ID "hoist") is brought up to date, its
 * origins kept beside this server's: other Hoist servers on the same bucket (staging and production,
 * a laptop and a server) each keep working, rather than taking the rule from one another at every
 * self-test. At most `MAX_CORS_ORIGINS` are kept, this server's first. Origins match as S3 matches them
 * (one "*" anywhere). Hoist's rule goes first. Pure.
 */
export function withHoistCorsRule(existing: CORSRule[] | null, origins: string[]): CORSRule[] {
  const earlier = (existing ?? []).find((r) => r.ID === 'hoist')?.AllowedOrigins ?? [];
  const anyOrigin = origins.length === 0 || earlier.includes('*');
  // Cut first, then drop what is covered: an origin that an entry with "*" kept here already lets in
  // (an operator's `https://*.example.com`) needs no place of its own, but one whose "*" entry the
  // cut removed does.
  const kept = [...new Set([...origins, ...earlier])].slice(0, MAX_CORS_ORIGINS);
  const merged = anyOrigin
    ? []
    : kept.filter((o) => o.includes('*') || !kept.some((w) => w.includes('*') && originAllowed([w], o)));
  // First: S3 answers a preflight with the first rule that matches it, and a broad rule of another
  // app (any origin, no ETag exposed) listed earlier would otherwise be the one Hoist's page gets.
  return [hoistCorsRule(merged), ...(existing ?? []).filter((r) => r.ID !== 'hoist')];
}

/** What a probe object's writes and deletes left in the bucket, so that all of it can go (removeProbe). */
interface ProbeTrail {
  /** Versions its PUTs made, as their answers named them (a versioned bucket). */
  readonly versions: string[];
  /** Delete markers its deletes left. */
  readonly markers: string[];
  /** A PUT's answer named no version: the object is the bucket's only (or "null") one. */
  unnamed: boolean;
  /** A delete went through. */
  gone: boolean;
  /** Notes a PUT's answer; gives it back. */
  put(res: Response): Response;
  /** Notes a delete's answer; gives it back. */
  deleted<T extends { deleted: string[]; markers?: Record<string, string> } | undefined>(r: T): T;
}

function probeTrail(): ProbeTrail {
  const trail: ProbeTrail = {
    versions: [],
    markers: [],
    unnamed: false,
    gone: false,
    put(res) {
      if (res.ok) {
        const version = res.headers.get('x-amz-version-id');
        if (version) trail.versions.push(version);
        else trail.unnamed = true;
      }
      return res;
    },
    deleted(r) {
      if (r && r.deleted.length > 0) trail.gone = true;
      for (const marker of Object.values(r?.markers ?? {})) trail.markers.push(marker);
      return r;
    },
  };
  return trail;
}

/**
 * Proves at start what the app needs of the bucket: reachable, CORS that lets the page PUT parts
 * and read their ETag, whether flexible checksums are verified (RGW 16 ignores them), and abort.
 * The checksum probe also tells whether the store keeps "_" in metadata names (RGW turns it into "-").
 * It also reads the bucket's versioning, which is no check (any answer will do) but tells the page
 * what a delete does.
 */
export function createSelfTest(options: SelfTestOptions): SelfTest {
  const { store, keyPrefix, kind } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => {});
  let algorithm: ChecksumAlgorithm = 'MD5';
  let versioning: BucketVersioning = 'unknown';
  let underscore: MetadataUnderscore = 'kept';
  let underscoreLearned = false;
  /** The probe with "_" in a metadata name was refused (and said in the log): "_" is refused meanwhile. */
  let underscoreRefused = false;
  let ifMatch: IfMatchForm = 'quoted';
  let deleteIfMatch: IfMatchForm = 'quoted';
  let last: HealthReport = {
    ok: false,
    store: kind,
    bucket: store.bucket,
    prefix: keyPrefix,
    checks: [{ name: 'startup', ok: false, message: 'The self-test has not finished yet.' }],
    checksumAlgorithm: algorithm,
    versioning,
    metadataUnderscore: underscore,
  };
  let running: Promise<HealthReport> | null = null;
  /** The bucket's CORS rules as the last run read them (null: not read, or no configuration). */
  let corsRules: CORSRule[] | null = null;
  /** The abort check's upload that the store did not abort, tried again by the next run. */
  let stranded: { key: string; uploadId: string } | null = null;
  /** The last run's report, for what the next one logs (null: none has finished). */
  let previous: HealthReport | null = null;

  async function check(name: string, fn: () => Promise<string>) {
    try {
      return { name, ok: true, message: await fn() };
    } catch (error) {
      return { name, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  async function execute(signal?: AbortSignal): Promise<HealthReport> {
    const checks = [];
    /** The bucket's CORS rules as this run read them; kept with its report, at its end. */
    let readRules: CORSRule[] | null = null;
    const bucket = await check('bucket', async () => {
      try {
        await store.checkBucket({ signal });
      } catch (error) {
        throw new Error(
          `Bucket "${store.bucket}" is not reachable: ${explainStoreError(storeErrorFacts(error), store.bucket)}`,
        );
      }
      const offset = store.clockOffsetMs();
      return offset === 0
        ? `Bucket "${store.bucket}" is reachable.`
        : `Bucket "${store.bucket}" is reachable. The store's clock is ${describeClockOffset(offset)} this server's (its Date header): links are dated by the store's, as the AWS SDK dates its own requests, but set this server's clock right (NTP).`;
    });
    checks.push(bucket);
    if (bucket.ok) {
      // Refused or failed: 'unknown', and the page words its delete prompts to be true either way.
      const before = versioning;
      versioning = await store.versioning({ signal }).catch((): BucketVersioning => 'unknown');
      // Versioning turned on or off changes how the store takes conditions (Ceph RGW 16 refuses
      // If-Match on a PUT to a versioned bucket): learned again, or "Replace" kept failing until a restart.
      if (underscoreLearned && versioning !== before && versioning !== 'unknown') underscoreLearned = false;
      checks.push(
        await check('cors', async () => {
          let rules: CORSRule[] | null;
          try {
            rules = await store.getCors({ signal });
          } catch (error) {
            signal?.throwIfAborted();
            const facts = storeErrorFacts(error);
            // Keys scoped to objects (a common IAM policy) may not read the rule: nothing is known of
            // it, which is no failure of the bucket (uploads work if the rule serves the page).
            if (facts.status === 403)
              return `Hoist may not read the bucket's CORS rule (${deniedAs(facts)} on GetBucketCors), so it cannot check it: uploads work if the rule allows GET, PUT and HEAD from this app's address and exposes ETag (the README's JSON). Grant s3:GetBucketCORS to these keys to let Hoist check it.`;
            throw new Error(
              `Could not read the bucket's CORS rule: ${explainStoreError(facts, store.bucket)}`,
            );
          }
          readRules = rules;
          // Origins unknown: set up, the bucket lets any origin (the page may be opened at any address).
          const wanted = options.appOrigins.length > 0 ? options.appOrigins : ['*'];
          if (options.configureCors && !corsProblem(rules, wanted)) return 'CORS allows uploads.';
          let notAdded = '';
          if (options.configureCors) {
            const next = withHoistCorsRule(rules, options.appOrigins);
            try {
              await store.putCors(next, { signal });
              const kept = next.length - 1;
              log(
                `cors: put Hoist's rule for ${hoistCorsRule(options.appOrigins).AllowedOrigins.join(', ')} on the bucket${
                  kept > 0 ? `, beside its ${kept} other rule(s), kept as they were` : ''
                }`,
              );
              rules = await store.getCors({ signal });
              readRules = rules;
            } catch (error) {
              signal?.throwIfAborted();
              // Keys that may not write CORS, on a rule that serves the origin Hoist was told but not
              // its other names (localhost beside 127.0.0.1): that origin still uploads.
              const problem = corsProblem(rules, options.appOrigins.slice(0, 1));
              if (problem !== null) {
                const facts = storeErrorFacts(error);
                throw new Error(
                  `${problem} Hoist could not add its rule (S3_CONFIGURE_BUCKET is set): ${
                    facts.status === 403
                      ? `these keys may not change the bucket's CORS (${deniedAs(facts)} on PutBucketCors): add the rule yourself, or grant s3:PutBucketCORS.`
                      : explainStoreError(facts, store.bucket)
                  }`,
                );
              }
              notAdded = ` (Hoist could not add ${
                options.appOrigins.length > 0 ? 'its other origins to the rule' : 'its rule for any origin'
              }: ${explainStoreError(storeErrorFacts(error), store.bucket)})`;
            }
          }
          // The first origin is the one that must work; with no rule at all, each is named, so one rule
          // written from the message serves the page at every address (localhost beside 127.0.0.1).
          const problem = corsProblem(
            rules,
            rules && rules.length > 0 ? options.appOrigins.slice(0, 1) : options.appOrigins,
          );
          if (problem)
            throw new Error(
              options.configureCors
                ? problem
                : `${problem} Or start Hoist with S3_CONFIGURE_BUCKET=true to let it add its rule, beside the bucket's others.`,
            );
          return `CORS allows uploads from this app and exposes ETag.${notAdded}`;
        }),
      );
      checks.push(
        await check('checksums', async () => {
          algorithm = (await probePut(signal)) ? 'CRC32' : 'MD5';
          // Learned once (it writes an object); a store that refused the probe leaves it unknown.
          if (!underscoreLearned) {
            const learned = await probeMetadataNames(signal);
            if (learned !== null) {
              underscore = learned.underscore;
              if (learned.ifMatch !== null) ifMatch = learned.ifMatch;
              if (learned.deleteIfMatch !== null) deleteIfMatch = learned.deleteIfMatch;
              if (learned.deleteIfMatch === 'none')
                log(
                  'delete-if-match: the store refuses a DeleteObjects pinned to the ETag of the very object: deletes are sent unpinned (a file written again after a folder was counted is deleted too)',
                );
              underscoreLearned = true;
              if (learned.ifMatch !== null && learned.ifMatch !== 'quoted')
                log(
                  learned.ifMatch === 'unquoted'
                    ? 'if-match: the store compares If-Match without the quotes S3 takes (Ceph RGW 16): "Replace" sends it so'
                    : 'if-match: the store refuses If-Match on a PUT even for the same object: "Replace" of a one-part file is sent without it, as `aws s3 cp` writes',
                );
            }
          }
          return `${
            algorithm === 'CRC32'
              ? 'The store verifies CRC32 checksums; parts are sent with x-amz-checksum-crc32.'
              : 'The store does not verify flexible checksums; parts are sent with Content-MD5.'
          }${
            underscoreRefused
              ? ' A test upload with "_" in a metadata name was refused (a proxy that drops such headers?), so Hoist refuses names with "_".'
              : underscore === 'dashed'
                ? ' It turns "_" into "-" in metadata names, so Hoist refuses names with "_".'
                : ''
          }`;
        }),
      );
      checks.push(
        await check('abort', async () => {
          const { key, uploadId } = await abortProbe(signal);
          if ((await store.listParts(key, uploadId, { signal })) !== null) {
            throw new Error('AbortMultipartUpload did not remove the upload.');
          }
          return 'AbortMultipartUpload removes uploads.';
        }),
      );
    }
    corsRules = readRules;
    const report: HealthReport = {
      ok: checks.every((c) => c.ok),
      store: kind,
      bucket: store.bucket,
      prefix: keyPrefix,
      checks,
      checksumAlgorithm: algorithm,
      versioning,
      metadataUnderscore: underscore,
    };
    return report;
  }

  /**
   * PUTs one byte through a presigned URL, as the page does (so through `S3_PUBLIC_ENDPOINT` and any
   * proxy before it); the fetch failing is the check's failure, saying the address must be reachable.
   */
  async function presignedPut(
    key: string,
    algorithm: ChecksumAlgorithm,
    checksum: string,
    options: { properties?: { metadata: Record<string, string> }; ifMatch?: string },
    signal?: AbortSignal,
  ): Promise<Response & { bodyText: string }> {
    const { url, headers } = await store.presignPut(
      key,
      1,
      'application/octet-stream',
      algorithm,
      checksum,
      60,
      options,
    );
    const res = await doFetch(url, { method: 'PUT', headers, body: 'x', signal }).catch((error: unknown) => {
      signal?.throwIfAborted();
      const failure = error instanceof Error && error.cause instanceof Error ? error.cause : null;
      const cause = failure ? failure.message : String(error);
      const code = (failure as { code?: unknown } | null)?.code;
      const certificate =
        tlsProblem(typeof code === 'string' ? code : undefined) === 'certificate'
          ? ' Give Node the certificate authority that signed its certificate (NODE_EXTRA_CA_CERTS=/path/to/ca.pem).'
          : '';
      throw new Error(
        `This server cannot reach the store at ${new URL(url).origin}, the address browsers are given (${cause}). S3_PUBLIC_ENDPOINT must be reachable from the Hoist server too.${certificate}`,
      );
    });
    const bodyText = await res.text().catch(() => '');
    return Object.assign(res, { bodyText });
  }

  /**
   * Starts a multipart upload and aborts it; the upload, once aborted. One the store would not abort
   * (refused, or no answer) is kept and tried again by the next run instead of a new one, so a store
   * that refuses aborts is left one self-test upload, not one per run (every 5 s while failing).
   */
  async function abortProbe(signal?: AbortSignal): Promise<{ key: string; uploadId: string }> {
    for (;;) {
      let probe = stranded;
      if (!probe) {
        const key = `${keyPrefix}.hoist-selftest/${randomUUID()}`;
        probe = {
          key,
          uploadId: await store.createMultipart(key, 'application/octet-stream', 'MD5', { signal }),
        };
      }
      try {
        await store.abort(probe.key, probe.uploadId, { signal });
        stranded = null;
        return probe;
      } catch (error) {
        // The one left by an earlier run is gone (that abort went through after all, or someone
        // removed it): start a new one.
        if (probe === stranded && isS3Error(error, 'NoSuchUpload', 'NoSuchKey', 'NotFound')) {
          stranded = null;
          continue;
        }
        stranded = probe;
        signal?.throwIfAborted();
        const facts = storeErrorFacts(error);
        const why = explainStoreError(facts, store.bucket);
        throw new Error(
          facts.status === 403
            ? `AbortMultipartUpload was refused: ${why} Cancel and the janitor need it (s3:AbortMultipartUpload); the self-test's upload of "${probe.key}" stays until it is allowed.`
            : `AbortMultipartUpload failed: ${why} The self-test's upload of "${probe.key}" is tried again by the next check.`,
        );
      }
    }
  }

  /**
   * PUTs one byte with a wrong CRC32: true when the store rejected it (400: it checks checksums), false
   * when it took it (it does not). Refused otherwise (a store or proxy that takes no
   * x-amz-checksum-crc32 header: 501, or 403 for a signature a dropped header broke), the same byte
   * goes again with its Content-MD5, which every store takes: taken, the store gets Content-MD5 (false).
   * Refused too, the store refuses presigned PUTs altogether (a clock that differs from the store's, a
   * full store, a 5xx): that fails the check, leaving the algorithm as it was. (Any answer but 400 used
   * to mean "no checksums": a full disk or a skewed clock turned uploads to Content-MD5, check passing,
   * while every part was refused.)
   */
  async function probePut(signal?: AbortSignal): Promise<boolean> {
    const key = `${keyPrefix}.hoist-selftest/${randomUUID()}`;
    const wrong = 'AAAAAA=='; // the CRC32 of an empty body, not of "x"
    const trail = probeTrail();
    const res = await presignedPut(key, 'CRC32', wrong, {}, signal);
    trail.put(res);
    if (res.status === 400) return true;
    if (!res.ok) {
      const plain = await presignedPut(key, 'MD5', PROBE_MD5, {}, signal);
      trail.put(plain);
      if (!plain.ok)
        throw new Error(
          refusedPutMessage(
            plain.status,
            plain.bodyText,
            plain.headers.get('date'),
            now(),
            options.publicEndpoint,
          ),
        );
    }
    await removeProbe(key, trail, signal);
    return false;
  }

  /**
   * Removes a probe object so that nothing of it is left, on a versioned bucket too, where a delete only
   * hides the object behind a marker (the checksum check, a minute apart while a page is open, left a
   * version and a marker each time): each version its PUTs made, and each marker its deletes left, is
   * deleted by its id. The current object, if no answer named its version, goes with a plain delete
   * (the only kind an unversioned bucket needs), and a marker that leaves, by its id.
   */
  async function removeProbe(key: string, trail: ProbeTrail, signal?: AbortSignal): Promise<void> {
    const byId = (versionId: string) =>
      store.deleteObjects([key], { signal, versions: { [key]: versionId } }).catch(() => undefined);
    if (trail.unnamed && !trail.gone)
      trail.deleted(await store.deleteObjects([key], { signal }).catch(() => undefined));
    for (const versionId of new Set([...trail.versions, ...trail.markers])) await byId(versionId);
  }

  /**
   * PUTs one byte (its Content-MD5, which every store checks and takes) with the metadata name
   * `PROBE_METADATA_NAME`, and reads back what the store kept of the name; then PUTs it again `If-Match`
   * its ETag (probeIfMatch). Null when nothing was learned: the PUT was refused (a proxy that drops
   * headers with "_" breaks its signature) or the name is not there either way.
   */
  async function probeMetadataNames(signal?: AbortSignal): Promise<{
    underscore: MetadataUnderscore;
    ifMatch: IfMatchForm | null;
    deleteIfMatch: IfMatchForm | null;
  } | null> {
    const key = `${keyPrefix}.hoist-selftest/${randomUUID()}`;
    const trail = probeTrail();
    const res = await presignedPut(
      key,
      'MD5',
      PROBE_MD5,
      { properties: { metadata: { [PROBE_METADATA_NAME]: '1' } } },
      signal,
    );
    trail.put(res);
    if (!res.ok && res.status !== 403) return null;
    if (!res.ok) {
      // Refused (403) where the plain test upload just before passed: its "_" header was dropped on
      // the way (nginx drops them by default), which breaks the signature. Until the probe passes,
      // Hoist takes the safe side: names with "_" are refused, rather than saved under another name
      // or failing.
      const { code } = s3ErrorOf(res.bodyText);
      if (!underscoreRefused)
        log(
          `warning: the store refused a test upload with "_" in a metadata name (HTTP ${res.status}${
            code ? ` ${code}` : ''
          }), though it took one without: a proxy in front of it may drop headers with "_" (nginx: underscores_in_headers on;). Until this passes, Hoist refuses "_" in metadata names.`,
        );
      underscoreRefused = true;
      underscore = 'dashed';
      return null;
    }
    underscoreRefused = false;
    try {
      const head = await store.head(key, { signal }).catch(() => null);
      const underscore = underscoreIn(head?.headers?.metadata);
      if (underscore === null) return null;
      const ifMatch = head ? await probeIfMatch(key, head.etag, trail, signal) : null;
      // The same bytes were put again: the ETag is as it was.
      const deleteIfMatch = head
        ? await probeConditionalDelete(key, head.etag, trail, signal).catch(() => null)
        : null;
      return { underscore, ifMatch, deleteIfMatch };
    } finally {
      await removeProbe(key, trail, signal);
    }
  }

  /**
   * Deletes the probe object `key` with DeleteObjects pinned to its own ETag (the ETag element S3
   * takes), quoted, else without the quotes: the form the store deletes with ('none' when it keeps the
   * object either way, answering PreconditionFailed; null when it failed otherwise).
   */
  async function probeConditionalDelete(
    key: string,
    etag: string,
    trail: ProbeTrail,
    signal?: AbortSignal,
  ): Promise<IfMatchForm | null> {
    for (const form of ['quoted', 'unquoted'] as const) {
      const r = trail.deleted(
        await store.deleteObjects([key], { signal, etags: { [key]: ifMatchValue(etag, form)! } }),
      );
      if (r.deleted.includes(key)) return form;
      if (!r.errors.some((e) => e.changed)) return null;
    }
    return 'none';
  }

  /**
   * PUTs the probe object `key` again `If-Match` its own ETag, quoted as S3 takes it, else without the
   * quotes: the form the store writes with ('none' when it refuses both with 412; null when it refused
   * otherwise, so nothing was learned).
   */
  async function probeIfMatch(
    key: string,
    etag: string,
    trail: ProbeTrail,
    signal?: AbortSignal,
  ): Promise<IfMatchForm | null> {
    for (const form of ['quoted', 'unquoted'] as const) {
      const res = trail.put(
        await presignedPut(key, 'MD5', PROBE_MD5, { ifMatch: ifMatchValue(etag, form)! }, signal),
      );
      if (res.ok) return form;
      if (res.status !== 412) return null;
    }
    return 'none';
  }

  return {
    checksumAlgorithm: () => algorithm,
    metadataUnderscore: () => underscore,
    ifMatchForm: () => ifMatch,
    deleteIfMatchForm: () => deleteIfMatch,
    report: () => last,
    corsProblemFor: (origins) => pageCorsProblem(corsRules, origins),
    corsServes: (origins) =>
      corsRules !== null && corsRules.length > 0 && origins.some((o) => corsProblem(corsRules, [o]) === null),
    run(o) {
      if (running) return running;
      // A timer of our own, not AbortSignal.any([signal, AbortSignal.timeout()]): on Node 20 the
      // timeout signal, held only weakly by the combined one, can be collected before it fires (seen
      // under load: a hung store hung the self-test past its limit).
      const limit = new AbortController();
      const timer = setTimeout(
        () => limit.abort(new DOMException('The self-test took too long.', 'TimeoutError')),
        options.timeoutMs ?? SELF_TEST_TIMEOUT_MS,
      );
      const stop = () => limit.abort(o?.signal?.reason);
      o?.signal?.addEventListener('abort', stop, { once: true });
      if (o?.signal?.aborted) stop();
      running = execute(limit.signal)
        .then((r) => {
          for (const line of selfTestLogLines(previous, r)) log(line);
          previous = r;
          return (last = r);
        })
        .finally(() => {
          clearTimeout(timer);
          o?.signal?.removeEventListener('abort', stop);
          running = null;
        });
      return running;
    },
  };
}

/**
 * What a self-test run adds to the server log, after the run before it (null: none): each failing
 * check, but not again while it fails the same way (the health check re-runs the test every 5 s while
 * it fails), and one line when every check passes again after a failure, so the log's last word on a
 * store that came back is not its failure. Pure.
 */
export function selfTestLogLines(before: HealthReport | null, now: HealthReport): string[] {
  const failedBefore = new Map((before?.checks ?? []).filter((c) => !c.ok).map((c) => [c.name, c.message]));
  const lines = now.checks
    .filter((c) => !c.ok && failedBefore.get(c.name) !== c.message)
    .map((c) => `self-test FAIL ${c.name}: ${c.message}`);
  if (now.ok && failedBefore.size > 0) {
    lines.push(
      `self-test ok again: ${now.checks.map((c) => c.name).join(', ')} pass (${[...failedBefore.keys()].join(', ')} failed before)`,
    );
  }
  return lines;
}

/** The metadata name the self-test's probe object carries: "_" in it, to see what the store makes of one. */
export const PROBE_METADATA_NAME = 'hoist_probe';

/**
 * What the probe object's metadata (as HeadObject gave it) says of the store and "_" in names; null
 * when it does not say (the name is not there either way). Pure.
 */
export function underscoreIn(metadata: Record<string, string> | undefined): MetadataUnderscore | null {
  if (metadata?.[PROBE_METADATA_NAME] !== undefined) return 'kept';
  if (metadata?.[PROBE_METADATA_NAME.replaceAll('_', '-')] !== undefined) return 'dashed';
  return null;
}

/**
 * What keeps a page open at `origins` (its own URL, and what a proxy says it was asked as) from
 * uploading under these rules: null when the rules are not known or any of the origins may, else the
 * first origin's problem. Pure.
 */
export function pageCorsProblem(rules: CORSRule[] | null, origins: string[]): string | null {
  if (rules === null || origins.length === 0) return null;
  if (origins.some((o) => corsProblem(rules, [o]) === null)) return null;
  return corsProblem(rules, origins.slice(0, 1));
}

/** Every request header the page sends to the store ("x-amz-meta-*": any metadata name). */
const PAGE_REQUEST_HEADERS = [
  'content-type',
  'content-md5',
  'x-amz-checksum-crc32',
  'if-none-match',
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'x-amz-tagging',
  'x-amz-storage-class',
  'x-amz-meta-*',
  'range',
  'if-match',
];

/** Why the bucket CORS would stop the page, or null when it is fine. Pure. */
export function corsProblem(rules: CORSRule[] | null, origins: string[]): string | null {
  if (!rules || rules.length === 0) {
    // All it needs at once, so it is fixed in one go, not one missing piece a round.
    const from = origins.length > 0 ? origins.join(' and ') : 'the address people open Hoist at';
    return `The bucket has no CORS configuration, so browsers cannot upload to it. Add a rule allowing GET, PUT and HEAD from ${from}, with AllowedHeaders "*" and ExposeHeaders ETag, Content-Length, Content-Range, x-amz-checksum-crc32 and x-amz-request-id (the README's JSON).`;
  }
  for (const origin of origins.length > 0 ? origins : [null]) {
    const rule = rules.find(
      (r) =>
        (origin === null || originAllowed(r.AllowedOrigins, origin)) &&
        (r.AllowedMethods ?? []).includes('PUT') &&
        (r.AllowedMethods ?? []).includes('GET'),
    );
    if (!rule) {
      return origin === null
        ? 'The bucket CORS has no rule allowing PUT and GET (set HOIST_PUBLIC_URL so Hoist can check the origin).'
        : `The bucket CORS does not allow PUT and GET from ${origin}. Add it to AllowedOrigins (see README), or set HOIST_PUBLIC_URL if people open Hoist at another address.`;
    }
    const exposed = (rule.ExposeHeaders ?? []).map((h) => h.toLowerCase());
    const whose = origin === null ? 'The bucket CORS rule' : `The bucket CORS rule for ${origin}`;
    if (!exposed.includes('etag')) {
      return `${whose} does not expose the ETag header; the browser cannot complete multipart uploads without it.`;
    }
    if (!exposed.includes('content-range')) {
      return `${whose} does not expose the Content-Range header; downloads of objects of 64 MiB and more are fetched in ranges and need it.`;
    }
    const missing = PAGE_REQUEST_HEADERS.filter(
      (h) => !headerAllowed(rule.AllowedHeaders, h.replace('*', 'hoist-check')),
    );
    if (missing.length > 0) {
      return `${whose} must allow the request headers ${missing.join(', ')} (or "*"): the page sends them to the store (uploads with their checksum, type, Cache-Control and the other headers the upload settings set, tags, metadata and storage class; downloads in ranges, pinned with If-Match).`;
    }
  }
  return null;
}
