import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { ApiFailure, describeFailure, fail } from '../errors.ts';
import { invalidRequest, validate } from '../validate.ts';
import { contentTypeFor } from '../uploads/content-type.ts';
import { KeyError, keyForUpload, otherKeySpellings, utf8Length } from '../uploads/object-key.ts';
import { MAX_CREATES_PER_CALL } from '../shared/api-types.ts';
import { mapLimit } from '../shared/map-limit.ts';
import { numberedKey } from '../shared/numbered-name.ts';
import { partLength, planParts } from '../uploads/plan-parts.ts';
import { MAX_KEY_BYTES, MAX_PARTS } from '../shared/s3-limits.ts';
import { isObjectOfParts } from '../uploads/same-upload.ts';
import { receivedPartWithin } from '../uploads/upload-activity.ts';
import {
  MAX_TOKEN_CHARS,
  TokenError,
  signUploadToken,
  verifyUploadToken,
  type UploadClaims,
} from '../uploads/upload-token.ts';
import { isS3Error, type HeadResult } from '../s3/s3-gateway.ts';
import { CLOCK_OFFSET_USED_MS, inStoreTime } from '../s3/store-clock.ts';
import { keepTags } from '../s3/keep-tags.ts';
import type {
  AbortResult,
  CompletedUpload,
  CreateManyResult,
  KeyExists,
  ListedParts,
  RefreshedToken,
  SignedPart,
  SignedParts,
  UploadPlan,
  UploadedPart,
} from '../shared/api-types.ts';
import { formatBytesApart } from '../shared/format-bytes.ts';
import { metadataNameChanged, noProperties, propertiesProblem } from '../shared/object-properties.ts';
import { propertiesSchema } from '../properties-schema.ts';
import { storageClassProblem } from '../shared/storage-classes.ts';
import { ifMatchValue } from '../uploads/if-match-form.ts';
import { normalEtag } from '../shared/etag.ts';
import { explainStoreError, storeErrorFacts } from '../s3/explain-store-error.ts';
import type { SignedThing } from '../foreign-signature.ts';

const token = z.string().min(10).max(MAX_TOKEN_CHARS);
/** The store's CompleteMultipartUpload: minutes on AWS for the biggest objects; the page gives up at 15. */
const STORE_COMPLETE_TIMEOUT_MS = 10 * 60_000;
const partNumber = z.number().int().min(1).max(MAX_PARTS);
const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'a base64 checksum');

const createBody = z.object({
  name: z.string().min(1).max(1024),
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  type: z.string().max(255).default(''),
  lastModified: z.number().finite().default(0),
  relativePath: z.string().max(4096).optional(),
  /**
   * The folder the file goes into, as the page lists it (relative to the key prefix, ending in "/"):
   * `relativePath` starts with it, and it is kept byte for byte while the rest is normalised and checked.
   * A server without this field normalises the whole path (as before it).
   */
  folder: z
    .string()
    .max(1024)
    .refine((f) => f === '' || f.endsWith('/'), 'A folder is empty or ends in "/".')
    .optional(),
  onConflict: z.enum(['replace', 'keep-both', 'skip']).optional(),
  replaceIf: z.string().min(1).max(200).optional(),
  firstPart: z
    .object({
      size: z.number().int().min(0),
      checksumAlgorithm: z.enum(['CRC32', 'MD5']),
      checksum: base64.max(64),
    })
    .optional(),
  properties: propertiesSchema.optional(),
});

/** Files planned at once in `POST /api/uploads/many` (one HEAD each). */
const CREATES_AT_ONCE = 8;
// Each file is checked on its own (createBody, in the handler): one the schema refuses is answered
// invalid-request alone, as POST /api/uploads would answer it, and the others go on.
const createManyBody = z.object({ files: z.array(z.unknown()).min(1).max(MAX_CREATES_PER_CALL) });

/**
 * `replace`: the user chose to replace an object at this key. Without it, the write is conditional
 * (`If-None-Match: *` on the single PUT and on CompleteMultipartUpload), so an object created at the
 * key since the upload started (another file in the queue, another tab, the CLI) is never overwritten
 * unasked: the answer is 409 key-exists and the user chooses again.
 */
const replace = z.boolean().optional();
/**
 * With `replace`: the ETag of the object the user chose to replace, as key-exists showed it. The write
 * is then `If-Match` it (the single PUT, and Complete, which also HEADs the key: Ceph RGW ignores the
 * condition there), so an object written at the key after the choice is not overwritten unasked
 * either: 409 key-exists (412 on the PUT) and the user chooses again.
 */
const replaceIf = z.string().min(1).max(200).optional();

const signBody = z.object({
  token,
  parts: z
    .array(z.object({ partNumber, checksum: base64.max(64).optional() }))
    .min(1)
    .max(100),
  replace,
  replaceIf,
});

const completeBody = z.object({
  token,
  parts: z
    .array(z.object({ partNumber, etag: z.string().min(1).max(200), checksum: base64.max(64).optional() }))
    .min(1)
    .max(MAX_PARTS),
  replace,
  replaceIf,
  /**
   * Only asks whether this upload was completed as these parts (another tab sent it, and this one hashed
   * the file to tell): never completes anything, and says yes only when the store's checksum or ETag
   * proves it (404 no-such-upload otherwise).
   */
  check: z.boolean().optional(),
});

const tokenBody = z.object({ token });

/** `sent`: the page aborted a single PUT it had sent, which may still land (see LANDING_CHECKS_MS). */
const abortBody = z.object({ token, sent: z.boolean().optional() });

/**
 * A single PUT the page aborted after sending it may still be written: the store had the whole body when the
 * page gave up on the answer. Looked for again at these delays (1.75 s in all) before "nothing left" is said.
 * (A multipart upload needs no wait: an abort ends it, and ListParts then proves it.)
 */
const LANDING_CHECKS_MS = [0, 250, 500, 1000] as const;

/**
 * How much older than the token an object may look and still be the one its single PUT wrote: the
 * clock offset left out as noise (`CLOCK_OFFSET_USED_MS`), and LastModified's whole seconds.
 */
const LANDED_SLACK_MS = CLOCK_OFFSET_USED_MS + 1_000;

const CHECKSUM_LENGTH = { MD5: 24, CRC32: 8 } as const;

export function uploadRoutes(deps: AppDeps, foreign: (what: SignedThing) => void = () => {}) {
  const { config, store, secret } = deps;
  const now = deps.now ?? Date.now;
  const ttlSeconds = Math.max(1, Math.round(config.presignTtlMs / 1000));

  /**
   * The token's claims. An expired token of a multipart upload that is still receiving parts (one came
   * in within the stale-upload TTL, so the janitor keeps it too) is honoured: the token is refreshed on
   * each sign and parts call, and this covers the parts sent after the last of them.
   */
  const claimsOf = async (t: string, signal: AbortSignal): Promise<UploadClaims> => {
    try {
      return verifyUploadToken(t, secret, now());
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      if (error.problem === 'bad-signature') foreign('upload token');
      const expired = error.expiredClaims;
      if (expired?.uploadId) {
        const parts = await store.listParts(expired.key, expired.uploadId, { signal });
        if (parts && receivedPartWithin(parts, config.staleUploadTtlMs, inStoreTime(now(), store)))
          return expired;
      }
      return fail(error.problem === 'expired' ? 410 : 403, `token-${error.problem}`, error.message);
    }
  };
  /**
   * The token's expiry slides: every sign or parts call that succeeds answers a token valid for another
   * `staleUploadTtlMs` (the janitor's TTL, which likewise spares an upload that received a part within
   * it), so an upload that keeps going never runs out, while one left alone expires as before.
   */
  const refreshed = (claims: UploadClaims): RefreshedToken => {
    const expiresAt = now() + config.staleUploadTtlMs;
    return { token: signUploadToken({ ...claims, expiresAt }, secret), expiresAt };
  };
  const partCountOf = (c: UploadClaims) => (c.uploadId === null ? 1 : Math.ceil(c.size / c.partSize));
  const partSizeOf = (c: UploadClaims, n: number) =>
    c.uploadId === null ? c.size : partLength(c.size, c.partSize, n);

  /**
   * One presigned part (or single PUT) URL, its exact size and checksum signed in. A single PUT is
   * `If-None-Match: *` unless replacing, then `If-Match` the ETag replaced when the page gives it.
   * A store that takes no If-Match on a PUT (Ceph RGW 16 on a versioned bucket answers it 412 even for
   * the very object, and ignores If-None-Match there) is asked for the object at the key now instead:
   * the PUT goes unconditional only while that is the object the user chose to replace. Otherwise it is
   * signed `If-Match` the chosen ETag all the same, which such a store refuses (412), as S3 would: the
   * page then asks again, and the object written meanwhile stays.
   */
  const signPart = async (
    claims: UploadClaims,
    partNumber: number,
    checksum: string | undefined,
    replace: boolean,
    replaceIf: string | undefined,
    signal?: AbortSignal,
  ) => {
    const count = partCountOf(claims);
    if (partNumber > count) {
      fail(
        400,
        'invalid-part-number',
        `Part ${partNumber} does not exist: this upload has ${count} part(s).`,
      );
    }
    if (checksum !== undefined && checksum.length !== CHECKSUM_LENGTH[claims.checksumAlgorithm]) {
      fail(
        400,
        'invalid-checksum',
        `The checksum of part ${partNumber} is not a base64 ${claims.checksumAlgorithm}.`,
      );
    }
    const size = partSizeOf(claims, partNumber);
    // As the store compares it (quoted, as S3; unquoted, as Ceph RGW 16), or not sent (self-test.ts).
    const form = deps.selfTest.ifMatchForm();
    const chosen = replace && claims.uploadId === null ? replaceIf : undefined;
    const ifMatch =
      chosen === undefined
        ? undefined
        : form !== 'none'
          ? ifMatchValue(chosen, form)
          : await store
              .head(claims.key, { ...(signal && { signal }) })
              .then((head) =>
                head !== null && normalEtag(head.etag) === normalEtag(chosen)
                  ? undefined
                  : ifMatchValue(chosen, 'quoted'),
              );
    const signed =
      claims.uploadId === null
        ? await store.presignPut(
            claims.key,
            size,
            claims.contentType,
            claims.checksumAlgorithm,
            checksum,
            ttlSeconds,
            {
              onlyIfAbsent: !replace,
              ...(ifMatch !== undefined && { ifMatch }),
              ...(claims.properties && { properties: claims.properties }),
            },
          )
        : await store.presignPart(
            claims.key,
            claims.uploadId,
            partNumber,
            size,
            claims.checksumAlgorithm,
            checksum,
            ttlSeconds,
          );
    const part: SignedPart = {
      partNumber,
      method: 'PUT',
      size,
      // By the store's clock, as the URL's X-Amz-Date (the page reads the lifetime from the two).
      expiresAt: now() + store.clockOffsetMs() + ttlSeconds * 1000,
      ...signed,
    };
    return part;
  };

  /**
   * While the self-test says the bucket is not reachable, an upload checks again before it starts,
   * and stops there with what is wrong: a missing bucket would otherwise show only when the browser's
   * first PUT fails (as a CORS error, since the store has no bucket to take CORS rules from).
   */
  const bucketStillThere = async (signal: AbortSignal) => {
    if (deps.selfTest.report().checks.find((check) => check.name === 'bucket')?.ok !== false) return;
    try {
      await store.checkBucket({ signal });
    } catch (error) {
      const facts = storeErrorFacts(error);
      if (facts.status === undefined) throw error; // no answer: the store is unreachable (503, retried)
      fail(
        502,
        facts.status === 403 ? 'store-denied' : 'no-such-bucket',
        `Uploads cannot start: ${explainStoreError(facts, store.bucket)}`,
      );
    }
  };

  /**
   * Plans one upload (the key, its parts, its token; part 1 signed when its checksum came along), or
   * says the name is taken. Throws ApiFailure for a file it refuses.
   */
  const createUpload = async (
    body: z.infer<typeof createBody>,
    signal: AbortSignal,
  ): Promise<{ plan: UploadPlan } | { keyExists: KeyExists }> => {
    if (body.size > config.maxObjectSize) {
      const [size, max] = formatBytesApart(body.size, config.maxObjectSize);
      fail(413, 'too-large', `"${body.name}" is ${size}; this server accepts files of up to ${max}.`);
    }
    const refused =
      body.properties &&
      (propertiesProblem(body.properties) ??
        (body.properties.storageClass !== undefined &&
          storageClassProblem(body.properties.storageClass, config.storageClasses)));
    if (refused) fail(400, 'invalid-properties', refused);
    const renamed = metadataNameChanged(body.properties?.metadata, deps.selfTest.metadataUnderscore());
    if (renamed) fail(400, 'metadata-name-changed', renamed);
    let key: string;
    let spellings: string[];
    try {
      const folder = body.folder ?? '';
      if (!(body.relativePath ?? '').startsWith(folder))
        fail(400, 'invalid-key', 'The path of a file uploaded into a folder starts with that folder.');
      const path = body.relativePath?.slice(folder.length);
      key = keyForUpload(config.keyPrefix, body.name, path, folder);
      spellings = otherKeySpellings(config.keyPrefix, body.name, path, folder);
    } catch (error) {
      if (error instanceof KeyError)
        return fail(400, 'invalid-key', error.message, { problem: error.problem });
      throw error;
    }
    await bucketStillThere(signal);
    let existing = await store.head(key, { signal });
    // Not under Hoist's NFC key, but under the name's bytes as another tool wrote them: that object.
    for (const spelling of spellings) {
      if (existing) break;
      existing = await store.head(spelling, { signal });
      if (existing) key = spelling;
    }
    if (existing && body.onConflict !== 'replace') {
      if (body.onConflict !== 'keep-both') return { keyExists: await keyExists(key, existing, signal) };
      key = await freeKey(key, signal);
    }
    const plan = planParts(body.size);
    const { contentType: chosenType, ...more } = body.properties ?? {};
    const contentType = chosenType ?? contentTypeFor(body.name, body.type);
    const properties = noProperties(more) ? undefined : more;
    const checksumAlgorithm = deps.selfTest.checksumAlgorithm();
    const uploadId =
      plan.kind === 'multipart'
        ? await store.createMultipart(key, contentType, checksumAlgorithm, {
            signal,
            ...(properties && { properties }),
          })
        : null;
    const expiresAt = now() + config.staleUploadTtlMs;
    const claims: UploadClaims = {
      key,
      uploadId,
      size: body.size,
      partSize: plan.partSize,
      checksumAlgorithm,
      contentType,
      expiresAt,
      ...(properties && { properties }),
    };
    const answer: UploadPlan = {
      kind: plan.kind,
      key,
      uploadId,
      size: body.size,
      partSize: plan.partSize,
      partCount: plan.partCount,
      checksumAlgorithm,
      token: signUploadToken(claims, secret),
      expiresAt,
    };
    // Part 1 signed in the same answer when the client hashed it already (it guessed the plan from
    // the file size and the health report): one round trip less before the first bytes leave.
    const first = body.firstPart;
    if (
      first &&
      first.checksumAlgorithm === checksumAlgorithm &&
      first.size === partSizeOf(claims, 1) &&
      first.checksum.length === CHECKSUM_LENGTH[checksumAlgorithm]
    ) {
      answer.firstPart = await signPart(
        claims,
        1,
        first.checksum,
        body.onConflict === 'replace',
        body.replaceIf,
        signal,
      );
      if (deps.metrics) deps.metrics.signedParts += 1;
    }
    return { plan: answer };
  };

  return new Hono()
    .post('/', validate('json', createBody), async (c) => {
      const created = await createUpload(c.req.valid('json'), c.req.raw.signal);
      return 'plan' in created ? c.json(created.plan, 200) : c.json(created.keyExists, 409);
    })

    .post('/many', validate('json', createManyBody), async (c) => {
      // Many files at once (a folder of small files): one call plans them all, each answered on its own
      // (a plan, the name taken, or why it was refused), so one refused file does not hold up the rest.
      const signal = c.req.raw.signal;
      // Each store call listens on it: up to CREATES_AT_ONCE files' calls at once.
      setMaxListeners(4 * CREATES_AT_ONCE, signal);
      const { files } = c.req.valid('json');
      const results = await mapLimit(files, CREATES_AT_ONCE, async (file): Promise<CreateManyResult> => {
        try {
          const parsed = createBody.safeParse(file);
          if (!parsed.success) throw invalidRequest(parsed.error);
          return await createUpload(parsed.data, signal);
        } catch (error) {
          // The page went away: the call ends as "cancelled", unlogged, as a single create would.
          if (signal.aborted) throw error;
          const { code, message, status, details } = describeFailure(
            error,
            'POST /api/uploads/many',
            deps.log,
            store.bucket,
          );
          return { error: { code, message }, status, ...(details && { details }) };
        }
      });
      return c.json({ results }, 200);
    })

    .post('/sign', validate('json', signBody), async (c) => {
      const body = c.req.valid('json');
      const claims = await claimsOf(body.token, c.req.raw.signal);
      if (deps.metrics) {
        deps.metrics.signCalls += 1;
        deps.metrics.signedParts += body.parts.length;
      }
      const parts = await Promise.all(
        body.parts.map((p) =>
          signPart(claims, p.partNumber, p.checksum, body.replace === true, body.replaceIf, c.req.raw.signal),
        ),
      );
      const answer: SignedParts = { parts, ...refreshed(claims) };
      return c.json(answer, 200);
    })

    .post('/parts', validate('json', tokenBody), async (c) => {
      const claims = await claimsOf(c.req.valid('json').token, c.req.raw.signal);
      const signal = c.req.raw.signal;
      if (claims.uploadId === null) {
        const head = await store.head(claims.key, { signal });
        const parts: UploadedPart[] =
          head && head.size === claims.size ? [{ partNumber: 1, size: head.size, etag: head.etag }] : [];
        const answer: ListedParts = { parts, ...refreshed(claims) };
        return c.json(answer, 200);
      }
      const parts = await store.listParts(claims.key, claims.uploadId, { signal });
      if (parts === null) {
        return fail(
          404,
          'no-such-upload',
          'This upload no longer exists on the server (it was completed, cancelled or expired).',
        );
      }
      const answer: ListedParts = { parts, ...refreshed(claims) };
      return c.json(answer, 200);
    })

    .post('/complete', validate('json', completeBody), async (c) => {
      const body = c.req.valid('json');
      const claims = await claimsOf(body.token, c.req.raw.signal);
      const signal = c.req.raw.signal;
      // After the store's Complete, its follow-ups run to the end too (see below), a minute at most.
      const finish = async (
        alreadyCompleted: boolean,
        o: { signal?: AbortSignal; surely?: boolean } = { signal },
      ) => {
        const head = await store.head(claims.key, { signal: o.signal });
        if (!head || head.size !== claims.size) return null;
        // The upload is gone and an object is there: ours only if it is made of these parts.
        if (alreadyCompleted && !isObjectOfParts(head, body.parts, { surely: o.surely === true }))
          return null;
        const done: CompletedUpload = {
          key: claims.key,
          etag: head.etag,
          size: head.size,
          ...(head.checksum ? { checksum: head.checksum.value } : {}),
          ...(alreadyCompleted ? { alreadyCompleted } : {}),
        };
        return done;
      };

      if (body.check) {
        const done = claims.uploadId !== null && (await finish(true, { signal, surely: true }));
        if (done) return c.json(done, 200);
        return fail(404, 'no-such-upload', 'No object made of these parts is at this key.');
      }

      if (claims.uploadId === null) {
        const done = await finish(false);
        if (!done) fail(409, 'parts-missing', 'The file has not been uploaded yet.', { missing: [1] });
        return c.json(done as CompletedUpload, 200);
      }

      const listed = await store.listParts(claims.key, claims.uploadId, { signal });
      if (listed === null) {
        // A Complete whose answer was lost: the object is there, so report success once more.
        const done = await finish(true);
        if (done) return c.json(done, 200);
        return fail(
          404,
          'no-such-upload',
          'This upload no longer exists on the server (it was cancelled or expired).',
        );
      }
      const count = partCountOf(claims);
      const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
      const missing: number[] = [];
      const wrongSize: number[] = [];
      let total = 0;
      for (let n = 1; n <= count; n++) {
        const part = byNumber.get(n);
        if (!part) missing.push(n);
        else if (part.size !== partLength(claims.size, claims.partSize, n)) wrongSize.push(n);
        else total += part.size;
      }
      if (missing.length > 0 || wrongSize.length > 0 || byNumber.size !== count) {
        fail(
          409,
          'parts-missing',
          `The store is missing ${missing.length} part(s) and has ${wrongSize.length} of the wrong size.`,
          {
            missing,
            wrongSize,
          },
        );
      }
      if (total !== claims.size)
        fail(409, 'size-mismatch', `The parts add up to ${total} bytes, not ${claims.size}.`);
      const given = new Map(body.parts.map((p) => [p.partNumber, p]));
      const parts: { partNumber: number; etag: string; checksum: string | undefined }[] = [];
      // Every part the store holds otherwise is named at once, so the client sends them all again.
      const mismatched: number[] = [];
      for (let n = 1; n <= count; n++) {
        const stored = byNumber.get(n) as UploadedPart;
        const client = given.get(n);
        if (client && normalEtag(client.etag) !== normalEtag(stored.etag)) mismatched.push(n);
        parts.push({ partNumber: n, etag: stored.etag, checksum: stored.checksum ?? client?.checksum });
      }
      if (mismatched.length > 0) {
        fail(
          409,
          'part-mismatch',
          mismatched.length === 1
            ? `Part ${mismatched[0]} on the store is not the one this client uploaded; upload it again.`
            : `Parts ${mismatched.join(', ')} on the store are not the ones this client uploaded; upload them again.`,
          { missing: mismatched },
        );
      }
      // An object at the key that its ETag or composite CRC32 shows is made of exactly these parts is
      // this upload's own: a Complete retried while the first was still assembling (its answer lost to
      // a proxy's timeout) finds it there before the store stops listing the upload. It is answered
      // done, as when the upload is gone; not a name conflict, and the store is not asked to write again.
      const ours = (head: HeadResult) =>
        head.size === claims.size && isObjectOfParts(head, parts, { surely: true });
      // Not stopped when the page goes away (a proxy's idle timeout on a long Complete, a closed tab):
      // half-assembled is worse than done, and the page's retry is then answered 'done'. Bounded all the
      // same, as a store connection can hang: AWS takes minutes for the biggest (the page waits 15).
      const afterwards = () => ({ signal: AbortSignal.timeout(60_000) });
      // An object of exactly these parts at the key while this upload is still listed (ListParts above)
      // is another uploader's copy of the same file, cut the same way (another browser, the CLI), that
      // completed first: these bytes are there, so this upload is done, and its own parts are aborted,
      // or they would stay stored (and billed) until the janitor. Its own earlier Complete, found done by
      // a retry, has no upload left to abort (NoSuchUpload, ignored; the embedded store refuses an abort
      // while it completes).
      const dropOwnParts = () =>
        store.abort(claims.key, claims.uploadId!, afterwards()).catch(() => undefined);
      /**
       * The write's condition: no object at the key (`If-None-Match: *`), or, replacing, the object the
       * user was shown (`If-Match` replaceIf); none only for a Replace with no ETag to pin.
       */
      let condition: { onlyIfAbsent: boolean; ifMatch?: string } =
        body.replace !== true
          ? { onlyIfAbsent: true }
          : { onlyIfAbsent: false, ...(body.replaceIf !== undefined && { ifMatch: body.replaceIf }) };
      // A key holding nothing since the choice: nothing to overwrite, and nothing written meanwhile either.
      const vanished = { onlyIfAbsent: true };
      // Checked here too: not every store honours If-None-Match or If-Match on Complete (Ceph RGW 16
      // ignores them).
      if (condition.onlyIfAbsent || condition.ifMatch !== undefined) {
        const taken = await store.head(claims.key, { signal });
        // The very object the user chose to replace is written over even when it is made of the same
        // parts (the same file uploaded again): the upload's type, metadata, tags and class are what
        // was asked for, and the row would say Done with none of them applied.
        const chosen =
          taken !== null &&
          condition.ifMatch !== undefined &&
          normalEtag(taken.etag) === normalEtag(condition.ifMatch);
        if (taken && ours(taken) && !chosen) {
          const done = await finish(true);
          if (done) {
            await dropOwnParts();
            return c.json(done, 200);
          }
        }
        if (taken && !chosen) return c.json(await keyExists(claims.key, taken, signal), 409);
        if (!taken) condition = vanished;
      }
      const completeOnStore = () =>
        store.complete(claims.key, claims.uploadId!, claims.checksumAlgorithm, parts, {
          ...condition,
          signal: AbortSignal.timeout(STORE_COMPLETE_TIMEOUT_MS),
        });
      try {
        try {
          await completeOnStore();
        } catch (error) {
          // The object to replace was deleted since the HEAD above: S3 answers If-Match on no object
          // 404 NoSuchKey. Completed then only if the key still holds nothing (If-None-Match: *).
          if (condition.ifMatch === undefined || !isS3Error(error, 'NoSuchKey')) throw error;
          const taken = await store.head(claims.key, afterwards());
          if (taken && ours(taken)) {
            const done = await finish(true, afterwards());
            if (done) {
              await dropOwnParts();
              return c.json(done, 200);
            }
          }
          if (taken) return c.json(await keyExists(claims.key, taken, afterwards().signal), 409);
          condition = vanished;
          await completeOnStore();
        }
      } catch (error) {
        if (isS3Error(error, 'NoSuchUpload')) {
          const done = await finish(true, afterwards());
          if (done) return c.json(done, 200);
        }
        // AWS answers 409 ConditionalRequestConflict when another write to the key raced this one.
        const conditional = condition.onlyIfAbsent || condition.ifMatch !== undefined;
        if (conditional && isS3Error(error, 'PreconditionFailed', 'ConditionalRequestConflict')) {
          const taken = await store.head(claims.key, afterwards());
          if (taken && ours(taken)) {
            const done = await finish(true, afterwards());
            if (done) {
              await dropOwnParts();
              return c.json(done, 200);
            }
          }
          if (taken) return c.json(await keyExists(claims.key, taken, afterwards().signal), 409);
        }
        if (
          isS3Error(error, 'InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'BadDigest', 'InvalidRequest')
        ) {
          fail(409, 'complete-rejected', `The store refused to assemble the parts: ${error.message}`);
        }
        throw error;
      }
      // The tags asked for at CreateMultipartUpload: Ceph RGW 16 drops them there (not on a single PUT).
      await keepTags(store, claims.key, claims.properties?.tags ?? {}, afterwards());
      const done = await finish(false, afterwards());
      if (!done)
        return fail(
          502,
          'complete-unconfirmed',
          'The store accepted Complete but the object is not readable yet.',
        );
      return c.json(done, 200);
    })

    .post('/abort', validate('json', abortBody), async (c) => {
      const { token, sent } = c.req.valid('json');
      const claims = await claimsOf(token, c.req.raw.signal);
      const signal = c.req.raw.signal;
      const confirmed = (partsRemoved: number) => {
        const result: AbortResult = { key: claims.key, partsRemoved, confirmed: true };
        return c.json(result, 200);
      };
      const alreadyCompleted = () =>
        fail(409, 'already-completed', 'This upload has already completed; delete the object instead.', {
          key: claims.key,
        });
      // Nothing to abort (a single PUT, or an upload already gone): idempotent success, unless the
      // object this upload was writing has landed since it was created (looked for again while a PUT the
      // page sent may still land).
      const nothingLeft = async (mayLand: boolean) => {
        // When the token was last refreshed (by a sign or parts call, so before any Complete), by the
        // store's clock, which stamped the object: with the store a minute behind this server, an
        // object that landed read as older than the upload, and the row said "Cancelled".
        const issuedAt = inStoreTime(claims.expiresAt - config.staleUploadTtlMs, store);
        for (const wait of mayLand ? LANDING_CHECKS_MS : [0]) {
          if (wait > 0) await sleep(wait, undefined, { signal });
          const head = await store.head(claims.key, { signal });
          if (
            head &&
            head.size === claims.size &&
            head.lastModified &&
            Date.parse(head.lastModified) >= issuedAt - LANDED_SLACK_MS
          ) {
            return alreadyCompleted();
          }
        }
        return confirmed(0);
      };
      if (claims.uploadId === null) return nothingLeft(sent === true);
      const before = await store.listParts(claims.key, claims.uploadId, { signal });
      if (before === null) return nothingLeft(false);
      let partsRemoved = before.length;
      // Abort, then confirm with ListParts: a part still in flight can land after the first abort.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          await store.abort(claims.key, claims.uploadId, { signal });
        } catch (error) {
          if (!isS3Error(error, 'NoSuchUpload', 'NoSuchKey')) throw error;
        }
        const left = await store.listParts(claims.key, claims.uploadId, { signal });
        if (left === null) {
          // A Complete may have won the race with this Cancel (the row said "Completing"): then the
          // object there is made of the parts listed above; another writer's is not, unless it holds
          // the same bytes in the same parts. Looked for whatever the abort answered: Ceph RGW 16 was
          // seen answering both the abort and the Complete with success in the race test.
          const head = await store.head(claims.key, { signal });
          if (head && head.size === claims.size && isObjectOfParts(head, before)) return alreadyCompleted();
          return confirmed(partsRemoved);
        }
        partsRemoved = Math.max(partsRemoved, left.length);
        // A caller gone meanwhile (the page closed) stops the confirming, as its store calls do.
        await sleep(Math.min(1000, 50 * 2 ** attempt), undefined, { signal });
      }
      return fail(
        503,
        'abort-unconfirmed',
        'The store still lists this upload after aborting it; try cancelling again.',
      );
    });

  async function keyExists(key: string, existing: HeadResult, signal?: AbortSignal): Promise<KeyExists> {
    const whole = existing.checksum && !existing.checksum.composite ? existing.checksum : undefined;
    return {
      error: { code: 'key-exists', message: `An object named "${key}" already exists.` },
      key,
      existing: {
        size: existing.size,
        lastModified: existing.lastModified,
        etag: existing.etag,
        ...(whole && { checksum: whole.value, checksumAlgorithm: whole.algorithm }),
        ...(existing.headers?.storageClass !== undefined &&
          existing.headers.storageClass !== 'STANDARD' && { storageClass: existing.headers.storageClass }),
      },
      ...(await freeKey(key, signal).then(
        (suggestedKey) => ({ suggestedKey }),
        (error: unknown) => {
          // Still a name conflict to answer (replace, skip), not a refused request.
          if (error instanceof ApiFailure && error.code === 'invalid-key') return {};
          throw error;
        },
      )),
    };
  }

  /** The first "name (n)" free beside `key`, shortened to stay a key S3 takes. */
  async function freeKey(key: string, signal?: AbortSignal): Promise<string> {
    const fitting = (n: number) => {
      const candidate = numberedKey(key, n, MAX_KEY_BYTES);
      if (utf8Length(candidate) > MAX_KEY_BYTES)
        fail(
          400,
          'invalid-key',
          `No numbered name beside "${key}" fits in the ${MAX_KEY_BYTES} bytes S3 allows.`,
          {
            problem: 'too-long',
          },
        );
      return candidate;
    };
    for (let n = 1; n <= 1000; n++) {
      const candidate = fitting(n);
      if (!(await store.head(candidate, { signal }))) return candidate;
    }
    return fitting(now());
  }
}
