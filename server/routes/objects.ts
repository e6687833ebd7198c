import { dispositionFilename, withoutControls } from '../s3/content-disposition.ts';
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../context.ts';
import { describeFailure, fail } from '../errors.ts';
import { validate } from '../validate.ts';
import { keyChecks } from './key-checks.ts';
import { browserUnsafeSegment, KeyError, keyForNewFolder, utf8Length } from '../uploads/object-key.ts';
import { folderForCopy, keyForRename } from '../uploads/rename-key.ts';
import { copyObject, finishMove } from '../s3/copy-object.ts';
import { copiedKey, destinationProblem, foldersOfKeys } from '../shared/copy-target.ts';
import { MAX_KEY_BYTES } from '../shared/s3-limits.ts';
import {
  MAX_COPIES_PER_CALL,
  MAX_LINKS_PER_CALL,
  SHARE_LINK_MAX_SECONDS,
  SHARE_LINK_MIN_SECONDS,
  type DownloadLink,
  type ObjectDetails,
  type ShareLink,
  type DownloadLinks,
  type RenamedObject,
  type NewFolder,
  type CopiedObjects,
  type MadeCopy,
  type TakenObject,
  type EditedProperties,
  type ObjectPage,
} from '../shared/api-types.ts';
import { mapLimit } from '../shared/map-limit.ts';
import { changedHeaders, metadataNameChanged, propertiesProblem } from '../shared/object-properties.ts';
import { storageClassProblem } from '../shared/storage-classes.ts';
import { ifMatchValue } from '../uploads/if-match-form.ts';
import { propertiesSchema } from '../properties-schema.ts';
import { compositePartCount, layoutOf, type FirstPart, type PartLayout } from '../shared/part-layout.ts';
import { etagHidesMd5, parseEtag } from '../shared/etag.ts';
import { unquoteEtag } from '../uploads/multipart-etag.ts';
import { pinnableVersion, statusOf, type HeadResult, type ObjectVersion } from '../s3/s3-gateway.ts';
import { viewedContentType } from '../s3/viewed-type.ts';

const listQuery = z.object({
  prefix: z.string().max(1024).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  delimiter: z.enum(['/', '']).default('/'),
});

const keyBody = z.object({ key: z.string().min(1).max(1024) });
/** A download link; `versionId`: a new link to the version the download began with (its `DownloadLink.versionId`). */
const downloadBody = keyBody.extend({ versionId: z.string().min(1).max(1024).optional() });
const keysBody = z.object({ keys: z.array(z.string().min(1).max(1024)).min(1).max(1000) });
/**
 * `etags`: per key, the ETag the page counted or listed it at: a key written since is kept (its error
 * says `changed`), as what the user confirmed was that object, not whatever is there now.
 */
const deleteBody = keysBody.extend({
  etags: z.record(z.string().max(1024), z.string().min(1).max(256)).optional(),
});
const linksBody = z.object({ keys: z.array(z.string().min(1).max(1024)).min(1).max(MAX_LINKS_PER_CALL) });
const shareBody = z.object({
  key: z.string().min(1).max(1024),
  expiresInSeconds: z.number().int().min(SHARE_LINK_MIN_SECONDS).max(SHARE_LINK_MAX_SECONDS),
});
const renameBody = z.object({
  key: z.string().min(1).max(1024),
  /**
   * The new key, relative to `folder`, or to the server's key prefix when it starts with "/" (as
   * an upload's path is); ending in "/", the folder to move the object into under its own name.
   */
  // Longer than S3's 1,024 bytes is refused by the key rules, saying so in bytes (keyForRename).
  newPath: z.string().min(1).max(4096),
  /** The folder the object is shown in, relative to the key prefix: '' (the top) or ending in "/". */
  folder: z
    .string()
    .max(1024)
    .refine((f) => f === '' || f.endsWith('/'), 'A folder is empty or ends in "/".')
    .default(''),
  replace: z.boolean().default(false),
});
/** A new folder: its name, in the folder shown (relative to the key prefix: '' or ending in "/"). */
const newFolderBody = z.object({
  folder: renameBody.shape.folder,
  name: z.string().min(1).max(1024),
});
const HEADS_AT_ONCE = 8;
/**
 * A multipart object with no checksum of at most this many parts has every part's size asked
 * (HeadObject with PartNumber, 8 at a time: 99 HEADs at most, a few round trips), so its ETag is
 * recomputed with its real layout; past that, with the layout part 1's size suggests (a guess).
 */
const ALL_PART_SIZES_UP_TO = 100;
const propertiesBody = z.object({
  key: z.string().min(1).max(1024),
  /** The version the page showed: an object written since is not edited (409 changed). */
  etag: z.string().min(1).max(256),
  properties: propertiesSchema,
  /** What the page's form was filled from (ShownProperties); loose: it is compared, never written. */
  shown: z
    .object({
      contentType: z.string().max(1024).nullable(),
      cacheControl: z.string().max(8192).nullable(),
      contentDisposition: z.string().max(8192).nullable(),
      contentEncoding: z.string().max(8192).nullable(),
      contentLanguage: z.string().max(8192).nullable(),
      metadata: z.record(z.string().max(2048), z.string().max(8192)),
      tags: z.record(z.string().max(256), z.string().max(512)).nullable(),
    })
    .optional(),
});
const sameRecord = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
/** Folders as the page names them, relative to the key prefix: '' (the top) or ending in "/". */
const folderPath = z
  .string()
  .max(1024)
  .refine((f) => f === '' || f.endsWith('/'), 'A folder is empty or ends in "/".');
const copyBody = z.object({
  keys: z.array(z.string().min(1).max(1024)).min(1).max(MAX_COPIES_PER_CALL),
  /** The folder every key is under; what follows it in a key is kept under the destination. */
  from: folderPath,
  /** The folder shown, which a destination not starting with "/" is relative to. */
  base: folderPath,
  /** The destination folder as typed (see destinationFolder). */
  to: z.string().max(1024),
  move: z.boolean(),
  replace: z.boolean().default(false),
  /**
   * With `replace`: per key, the ETag of the object at its new key that the page showed as taken
   * (`existing`); another object written there since is not replaced (409 `key-exists` again).
   */
  replaceIf: z.record(z.string().max(1024), z.string().min(1).max(256)).optional(),
  /**
   * Keys of a move whose copy an earlier call made but whose old key it could not delete, with what
   * that call answered (`made`): only the old key is deleted now, nothing copied again.
   */
  made: z
    .record(
      z.string().max(1024),
      z.object({ etag: z.string().min(1).max(256), copyEtag: z.string().min(1).max(256) }),
    )
    .optional(),
});
/** Server-side copies in flight at once within one call. */
const COPIES_AT_ONCE = 8;

export function objectRoutes(deps: AppDeps) {
  const { config, store } = deps;
  const now = deps.now ?? Date.now;
  const ttlSeconds = Math.max(1, Math.round(config.presignTtlMs / 1000));
  const { checkKey, checkPlainKey } = keyChecks(config);

  /** The key's last name ("keys/trailing/" → "trailing": an object so named has content to save). */
  const fileName = (key: string) =>
    key
      .split('/')
      .filter((s) => s !== '')
      .pop() ?? 'download';
  /**
   * What a download saves the object as: the file name its stored Content-Disposition gives (what the
   * browser saves it as from the S3 console), else the key's last segment, control characters and
   * bidirectional controls as "_" (withoutControls). Always as an attachment.
   */
  const downloadName = (key: string, head: HeadResult) =>
    withoutControls(dispositionFilename(head.headers?.contentDisposition) ?? fileName(key));
  const notFound = (key: string) => fail(404, 'not-found', `"${key}" is not in the bucket (any more).`);

  /**
   * A composite checksum with the part layout the browser needs to recompute it (a CRC's) or, for a
   * SHA's, the multipart ETag. A single part is the whole object; more cost one GetObjectAttributes
   * call (a page per 1,000 parts), uniform or not. Such an object is at least 5 MiB (S3's smallest
   * part), so the call is small beside its download. Objects without a checksum are not asked about:
   * S3 lists no parts for them, and a store that does not know GetObjectAttributes (RGW 16) answers it
   * with the whole object, as a GET.
   */
  const withLayout = async (
    key: string,
    head: HeadResult & ObjectVersion,
    signal: AbortSignal,
  ): Promise<DownloadLink['checksum']> => {
    const checksum = head.checksum;
    if (!checksum?.composite) return checksum;
    const count = compositePartCount(checksum.value);
    if (count === 1) return { ...checksum, parts: { partSize: head.size, count } };
    if (count === null) return checksum;
    const parts = await store.partLayout(key, head, { signal });
    return parts && parts.count === count ? { ...checksum, parts } : checksum;
  };

  /**
   * For a multipart ETag that is an MD5 of the parts' MD5s with no layout known and no full-object
   * checksum (no checksum: aws-cli v2 before 2.23, boto3 before 1.36, older MinIO), part 1's size and the part count: one HeadObject
   * with PartNumber=1, from which the page guesses the layout most tools cut.
   */
  const firstPartFor = async (
    key: string,
    head: HeadResult & ObjectVersion,
    checksum: DownloadLink['checksum'],
    signal: AbortSignal,
  ): Promise<FirstPart | null> => {
    const etag = parseEtag(head.etag);
    if (etag?.kind !== 'multipart' || etag.parts < 2 || checksum?.parts) return null;
    // A full-object checksum verifies the bytes whatever the parts were: the page needs no layout.
    if (checksum && !checksum.composite) return null;
    if (etagHidesMd5(head.headers ?? {})) return null;
    const first = await store.firstPart(key, head, { signal });
    return first && first.count === etag.parts ? first : null;
  };

  /**
   * Every part's size, from part 1 on (HeadObject with PartNumber=2…N), for an object of at most
   * ALL_PART_SIZES_UP_TO parts: then its ETag is recomputed with the layout it was made with, not a
   * guess, and parts of uneven sizes (a streaming uploader's) are verified too. Null when a part is
   * not told, or the sizes do not make up the object.
   */
  const layoutFor = async (
    key: string,
    head: HeadResult & ObjectVersion,
    first: FirstPart,
    signal: AbortSignal,
  ): Promise<PartLayout | null> => {
    if (first.count > ALL_PART_SIZES_UP_TO) return null;
    const sizes = await store.partSizes(key, head, first, { signal });
    return sizes && layoutOf(sizes, head.size);
  };

  /**
   * HeadObject (size, ETag, checksum, encryption) and a presigned GET; null when the object is gone. On a
   * versioned bucket the link names the version HeadObject saw, so every range of a download (and each
   * link renewed for it, `versionId`) reads the same bytes, as one GET would, even when the key is
   * written meanwhile.
   */
  const linkFor = async (
    key: string,
    signal: AbortSignal,
    o: { versionId?: string } = {},
  ): Promise<DownloadLink | null> => {
    const found = await store.head(key, { signal, ...o });
    if (!found) return null;
    // A version asked for by id is the one linked, "null" too (an object written before versioning was
    // on, or while it was suspended); else the current one, pinned where the bucket gives it an id.
    const versionId = o.versionId ?? pinnableVersion(found);
    const head = { ...found, ...(versionId !== undefined && { versionId }) };
    const [url, { checksum, firstPart, partLayout }] = await Promise.all([
      store.presignGet(key, { filename: downloadName(key, head), ttlSeconds, versionId }),
      withLayout(key, head, signal).then(async (checksum) => {
        const firstPart = await firstPartFor(key, head, checksum, signal);
        const partLayout = firstPart && (await layoutFor(key, head, firstPart, signal));
        return { checksum, firstPart, partLayout };
      }),
    ]);
    const { serverSideEncryption, sseCustomerAlgorithm } = head.headers ?? {};
    return {
      key,
      url,
      size: head.size,
      etag: head.etag,
      ...(versionId !== undefined && { versionId }),
      ...(checksum ? { checksum } : {}),
      ...(firstPart ? { firstPart } : {}),
      ...(partLayout ? { partLayout } : {}),
      // Whether the ETag can be an MD5 of the bytes (not under SSE-KMS or SSE-C).
      ...(serverSideEncryption && { serverSideEncryption }),
      ...(sseCustomerAlgorithm && { sseCustomerAlgorithm }),
      // By the store's clock, as the URL's X-Amz-Date (the page reads the lifetime from the two).
      expiresAt: now() + store.clockOffsetMs() + ttlSeconds * 1000,
    };
  };

  return (
    new Hono()
      .get('/', validate('query', listQuery), async (c) => {
        const q = c.req.valid('query');
        const prefix = q.prefix ?? config.keyPrefix;
        if (!prefix.startsWith(config.keyPrefix)) {
          fail(400, 'invalid-prefix', `Listing is limited to "${config.keyPrefix}".`);
        }
        const page = await store
          .listObjects(
            prefix,
            { delimiter: q.delimiter || undefined, cursor: q.cursor, limit: q.limit },
            { signal: c.req.raw.signal },
          )
          .catch((error: unknown) => {
            // A page token the store refuses (edited, or from another listing) is the caller's mistake.
            if (q.cursor !== undefined && statusOf(error) === 400) {
              fail(
                400,
                'invalid-cursor',
                'This page token is not one the listing gave (or no longer holds): list again from the first page.',
              );
            }
            throw error;
          });
        const answer: ObjectPage = { prefix, ...page };
        return c.json(answer, 200);
      })

      .post('/download', validate('json', downloadBody), async (c) => {
        const { key, versionId } = c.req.valid('json');
        checkPlainKey(key);
        const link = await linkFor(key, c.req.raw.signal, versionId !== undefined ? { versionId } : {});
        if (!link && versionId !== undefined) {
          fail(404, 'not-found', `This version of "${key}" is not in the bucket (any more).`);
        }
        if (!link) return notFound(key);
        return c.json(link, 200);
      })

      // "Open", as in the S3 console: the page links each object here (a tab of its own, a new one), and
      // this answers with a redirect to a presigned GET that asks the store to show it there: inline, as
      // its stored type, or as its extension says where the stored type says nothing (viewed-type.ts).
      // This address does not run out (copied, bookmarked); the GET it sends the tab to does, in minutes.
      .get('/open', validate('query', downloadBody), async (c) => {
        const { key, versionId } = c.req.valid('query');
        checkPlainKey(key);
        const head = await store.head(key, {
          signal: c.req.raw.signal,
          ...(versionId !== undefined && { versionId }),
        });
        if (!head && versionId !== undefined) {
          fail(404, 'not-found', `This version of "${key}" is not in the bucket (any more).`);
        }
        if (!head) return notFound(key);
        const filename = downloadName(key, head);
        const contentType = viewedContentType(filename, head.contentType, { sandboxed: config.s3.embedded });
        const url = await store.presignGet(key, {
          filename,
          ttlSeconds,
          ...(versionId !== undefined && { versionId }),
          view: contentType !== undefined ? { contentType } : {},
        });
        c.header('Cache-Control', 'no-store');
        return c.redirect(url, 302);
      })

      // A link to hand to someone else (the S3 console's "share with a presigned URL"): the same GET
      // as a download link, valid for the time asked. Signed with temporary credentials, it stops
      // working when they expire, whichever comes first, and the answer says which.
      .post('/share', validate('json', shareBody), async (c) => {
        const { key, expiresInSeconds } = c.req.valid('json');
        checkPlainKey(key);
        const head = await store.head(key, { signal: c.req.raw.signal });
        if (!head) return notFound(key);
        const [url, credentialsEnd] = await Promise.all([
          store.presignGet(key, { filename: downloadName(key, head), ttlSeconds: expiresInSeconds }),
          store.credentialsExpireAt(),
        ]);
        const asked = now() + store.clockOffsetMs() + expiresInSeconds * 1000;
        const answer: ShareLink =
          credentialsEnd !== null && credentialsEnd < asked
            ? { key, url, expiresAt: credentialsEnd, endsWithCredentials: true }
            : { key, url, expiresAt: asked };
        return c.json(answer, 200);
      })

      // What HeadObject says of one object, as the S3 console's "Properties" show it.
      .post('/details', validate('json', keyBody), async (c) => {
        const { key } = c.req.valid('json');
        checkKey(key);
        const signal = c.req.raw.signal;
        const [head, tags] = await Promise.all([store.head(key, { signal }), store.tags(key, { signal })]);
        if (!head) return notFound(key);
        // A multipart object's ETag ends in "-<parts>" (whatever its checksum), as a composite checksum does.
        const partCount = compositePartCount(unquoteEtag(head.etag));
        const answer: ObjectDetails = {
          key,
          size: head.size,
          etag: head.etag,
          lastModified: head.lastModified,
          contentType: head.contentType,
          ...head.headers,
          ...(head.checksum && { checksum: head.checksum }),
          ...(partCount !== null && { partCount }),
          ...(tags !== null && { tags }),
        };
        return c.json(answer, 200);
      })

      // Edit one object's content type, Cache-Control, Content-Disposition, -Encoding, -Language,
      // metadata, tags and storage class, as the S3 console's "Edit metadata", "Edit tags" and "Edit
      // storage class" do: `properties` is what the object gets, in full (an absent field is removed;
      // an absent storage class is kept). Headers, metadata and class are rewritten by a copy of the
      // object onto itself, pinned to the ETag the page showed, and only when they change; tags are put
      // (or removed) only when they change.
      .post('/properties', validate('json', propertiesBody), async (c) => {
        const { key, etag, properties, shown } = c.req.valid('json');
        const signal = c.req.raw.signal;
        checkKey(key);
        // As typed: a stored "text/html; charset=UTF-8" left alone must compare equal.
        const contentType = properties.contentType?.trim();
        if (!contentType)
          return fail(400, 'invalid-properties', 'A content type is needed (like text/html or image/png).');
        const wanted = { ...properties, contentType };
        // The headers are checked once the stored ones are known (changedHeaders).
        const { contentDisposition: _d, contentEncoding: _e, contentLanguage: _l, ...checked } = wanted;
        const refused = propertiesProblem(checked);
        if (refused) return fail(400, 'invalid-properties', refused);
        const renamed = metadataNameChanged(wanted.metadata, deps.selfTest.metadataUnderscore());
        if (renamed) return fail(400, 'metadata-name-changed', renamed);
        const [head, tags] = await Promise.all([store.head(key, { signal }), store.tags(key, { signal })]);
        if (!head) return notFound(key);
        if (head.etag !== etag) {
          return fail(
            409,
            'changed',
            `"${key}" was written again since it was shown; look at it again before editing.`,
          );
        }
        const h = head.headers ?? {};
        const tagsNow = tags && Object.fromEntries(tags.map((t) => [t.key, t.value]));
        if (
          shown &&
          (head.contentType !== shown.contentType ||
            (h.cacheControl ?? null) !== shown.cacheControl ||
            (h.contentDisposition ?? null) !== shown.contentDisposition ||
            (h.contentEncoding ?? null) !== shown.contentEncoding ||
            (h.contentLanguage ?? null) !== shown.contentLanguage ||
            !sameRecord(h.metadata ?? {}, shown.metadata) ||
            (shown.tags !== null && tagsNow !== null && !sameRecord(tagsNow, shown.tags)))
        ) {
          return fail(
            409,
            'changed',
            `"${key}" was changed since it was shown (its type, headers, metadata or tags); look at it again before editing.`,
          );
        }
        const badHeader = propertiesProblem(changedHeaders(wanted, h));
        if (badHeader) return fail(400, 'invalid-properties', badHeader);
        if (h.sseCustomerAlgorithm) {
          return fail(
            400,
            'sse-c',
            `"${key}" is encrypted with a customer-provided key (SSE-C), which Hoist does not hold, so it cannot rewrite it.`,
          );
        }
        const headersChange =
          head.contentType !== contentType ||
          (h.cacheControl ?? '') !== (wanted.cacheControl ?? '') ||
          (h.contentDisposition ?? '') !== (wanted.contentDisposition ?? '') ||
          (h.contentEncoding ?? '') !== (wanted.contentEncoding ?? '') ||
          (h.contentLanguage ?? '') !== (wanted.contentLanguage ?? '') ||
          !sameRecord(h.metadata ?? {}, wanted.metadata ?? {});
        // Absent: the object keeps its class. One it has already may stay, offered or not.
        const classChange =
          wanted.storageClass !== undefined && wanted.storageClass !== (h.storageClass ?? 'STANDARD');
        if (classChange) {
          const notOffered = storageClassProblem(wanted.storageClass!, config.storageClasses);
          if (notOffered) return fail(400, 'invalid-properties', notOffered);
        }
        const rewrite = headersChange || classChange;
        if (rewrite) {
          const replaced = await store.replaceProperties(
            {
              key,
              size: head.size,
              etag: head.etag,
              headers: h,
              ...(head.checksum ? { checksumAlgorithm: head.checksum.algorithm } : {}),
            },
            {
              contentType,
              ...(wanted.cacheControl !== undefined && { cacheControl: wanted.cacheControl }),
              ...(wanted.contentDisposition !== undefined && {
                contentDisposition: wanted.contentDisposition,
              }),
              ...(wanted.contentEncoding !== undefined && { contentEncoding: wanted.contentEncoding }),
              ...(wanted.contentLanguage !== undefined && { contentLanguage: wanted.contentLanguage }),
              ...(wanted.metadata && { metadata: wanted.metadata }),
              ...(classChange && { storageClass: wanted.storageClass }),
              // What the object is to have: a copy part by part (over 5 GiB) starts with them.
              tags: wanted.tags ?? {},
            },
            { signal, ifMatch: ifMatchValue(head.etag, deps.selfTest.ifMatchForm()) },
          );
          if (replaced === 'changed') {
            return fail(
              409,
              'changed',
              `"${key}" was written again while it was being edited; look at it again.`,
            );
          }
        }
        // Tags as they are now: a copy keeps them on S3 (and one part by part is made with them); Ceph
        // RGW 16's CopyObject drops them (put back below).
        const current = rewrite ? await store.tags(key, { signal }) : tags;
        const wantedTags = wanted.tags ?? {};
        const tagsChange = !sameRecord(
          Object.fromEntries((current ?? []).map((t) => [t.key, t.value])),
          wantedTags,
        );
        if (tagsChange) {
          if (current === null)
            return fail(
              400,
              'no-tagging',
              `The store does not let Hoist read or write the tags of "${key}".`,
            );
          await store.putTags(key, wantedTags, { signal });
        }
        const answer: EditedProperties = { key, changed: rewrite || tagsChange };
        return c.json(answer, 200);
      })

      // Rename (or move) one object, as the S3 console does: a server-side copy pinned to the version
      // seen, checked, then the old key deleted. Nothing passes through this server but requests.
      .post('/rename', validate('json', renameBody), async (c) => {
        const { key, newPath, folder, replace } = c.req.valid('json');
        const signal = c.req.raw.signal;
        checkPlainKey(key);
        let newKey: string;
        try {
          newKey = keyForRename(config.keyPrefix, folder, key, newPath);
        } catch (error) {
          if (error instanceof KeyError) return fail(400, 'invalid-key', error.message);
          throw error;
        }
        if (newKey === key) return fail(400, 'same-key', 'The new name is the same as the old one.');
        const moved = await copyObject(store, key, newKey, { move: true, replace, signal, verb: 'renamed' });
        const answer: RenamedObject = {
          key: newKey,
          size: moved.size,
          etag: moved.etag,
          ...(moved.note && { note: moved.note }),
        };
        return c.json(answer, 200);
      })

      // "New folder", as the S3 console's "Create folder": an empty "name/" object keeps the folder
      // in the bucket before anything is uploaded into it. An object already at that key is left as
      // it is (a folder that is there, or another tool's "name/" with content): looked for first, and
      // the write is conditional too.
      .post('/folder', validate('json', newFolderBody), async (c) => {
        const { folder, name } = c.req.valid('json');
        const signal = c.req.raw.signal;
        let key: string;
        try {
          key = keyForNewFolder(config.keyPrefix, folder, name);
        } catch (error) {
          if (error instanceof KeyError) return fail(400, 'invalid-key', error.message);
          throw error;
        }
        // A folder that holds objects (made by uploads, no marker of its own) is there already: opened,
        // as one with a marker is, and no marker is written into it (it would keep the folder listed
        // after its objects are deleted, which it did not do before).
        const there =
          (await store.head(key, { signal })) ??
          (await store
            .listObjects(key, { limit: 1 }, { signal })
            .then((page) => (page.objects.length > 0 || page.folders.length > 0 ? page : null)));
        const made = there ? 'exists' : await store.putFolderMarker(key, { signal });
        const answer: NewFolder = { key, created: made === 'created' };
        return c.json(answer, 200);
      })

      // Copy or move many objects (a selection, a folder's contents) to another folder, as the S3
      // console's Copy and Move and `aws s3 cp|mv --recursive` do: each as a rename is, a few at a
      // time. The page lists them first and sends them in batches; each key's outcome comes back
      // (a key that fails does not stop the others), so it can show progress and retry what failed.
      .post('/copy', validate('json', copyBody), async (c) => {
        const { keys, from, base, to, move, replace, replaceIf, made } = c.req.valid('json');
        if (made && !move) return fail(400, 'invalid-request', 'Only a move has copies made to finish.');
        const signal = c.req.raw.signal;
        let folder: string;
        try {
          folder = folderForCopy(config.keyPrefix, base, to);
        } catch (error) {
          if (error instanceof KeyError) return fail(400, 'invalid-key', error.message);
          throw error;
        }
        // As the page judges it: the same folder, or a folder sent (as its keys) into itself.
        const problem = destinationProblem(from, folder, foldersOfKeys(config.keyPrefix, from, keys));
        if (problem) return fail(400, folder === from ? 'same-folder' : 'into-itself', problem);
        const answer: CopiedObjects = { folder, done: [], failed: [] };
        await mapLimit(keys, COPIES_AT_ONCE, async (key) => {
          let newKey: string | undefined;
          try {
            if (!key.startsWith(config.keyPrefix + from)) {
              fail(400, 'invalid-key', `"${key}" is not in the folder it is copied from.`);
            }
            checkPlainKey(key);
            newKey = copiedKey(config.keyPrefix, from, folder, key);
            if (utf8Length(newKey) > MAX_KEY_BYTES) {
              fail(
                400,
                'too-long',
                `"${newKey}" would be ${utf8Length(newKey)} bytes; S3 allows at most ${MAX_KEY_BYTES}.`,
              );
            }
            const copied = made && Object.hasOwn(made, key) ? made[key] : undefined;
            answer.done.push(
              await (copied
                ? finishMove(store, key, newKey, copied, { signal })
                : copyObject(store, key, newKey, {
                    move,
                    replace,
                    ...(replace &&
                      replaceIf &&
                      Object.hasOwn(replaceIf, key) && { replaceIf: replaceIf[key] }),
                    signal,
                  })),
            );
          } catch (error) {
            if (signal.aborted) throw error;
            const { code, message, details } = describeFailure(
              error,
              `copy of ${key}`,
              deps.log,
              store.bucket,
            );
            answer.failed.push({
              key,
              code,
              message,
              ...(newKey !== undefined && { newKey }),
              ...(details?.made !== undefined && { made: details.made as MadeCopy }),
              ...(details?.existing !== undefined && { existing: details.existing as TakenObject }),
            });
          }
        });
        return c.json(answer, 200);
      })

      // Links for many objects in one call (a folder download asks ahead for the next ones): the same
      // HeadObject + presign (+ part layout) per key, a few at a time; keys that are gone come back in
      // `missing`. A key no browser can fetch gets no link: asked for alone, it is explained.
      .post('/download-links', validate('json', linksBody), async (c) => {
        const { keys } = c.req.valid('json');
        keys.forEach(checkKey);
        const signal = c.req.raw.signal;
        const found = await mapLimit(keys, HEADS_AT_ONCE, (key) =>
          browserUnsafeSegment(key) === null ? linkFor(key, signal) : Promise.resolve(undefined),
        );
        const answer: DownloadLinks = {
          links: found.filter((l): l is DownloadLink => !!l),
          missing: keys.filter((_, i) => found[i] === null),
        };
        return c.json(answer, 200);
      })

      // Any key under the prefix may be deleted, also ones Hoist would not write: the "folder/" markers
      // the S3 console makes, or "a//b" from other tools (deleting a folder must take them too).
      .post('/delete', validate('json', deleteBody), async (c) => {
        const { keys, etags } = c.req.valid('json');
        // As every route judges a key: under the prefix, not the prefix's own marker, and one S3 could
        // hold (a lone surrogate would reach S3 as U+FFFD, the name of another key).
        keys.forEach(checkKey);
        // As the store compares them (the self-test's probe): quoted, as S3, or not at all.
        const form = deps.selfTest.deleteIfMatchForm();
        const pinned =
          etags &&
          Object.fromEntries(
            Object.entries(etags).flatMap(([key, etag]) => {
              const value = ifMatchValue(etag, form);
              return value === undefined ? [] : [[key, value] as const];
            }),
          );
        const result = await store.deleteObjects(keys, {
          signal: c.req.raw.signal,
          ...(pinned && { etags: pinned }),
        });
        return c.json(result, 200);
      })
  );
}
