import type {
  CopiedObjects,
  MadeCopy,
  EditedProperties,
  ObjectProperties,
  DownloadLink,
  DownloadLinks,
  ObjectDetails,
  ObjectEntry,
  ObjectPage,
  NewFolder,
  RenamedObject,
  ShareLink,
  ShownProperties,
} from '../../../server/shared/api-types.ts';
import { hc } from 'hono/client';
import type { AppType } from '../../../server/app.ts';
import { client, deadlineInit, unwrap } from './client.ts';

/** Reads and signing: a minute without an answer is a lost connection (see `withDeadline`). */
const READ_TIMEOUT_MS = 60_000;

export const objectsKey = (folder: string, filter: string, cursor: string | null, limit: number) =>
  ['objects', folder, filter, cursor, limit] as const;

export function listObjects(
  prefix: string,
  cursor: string | null,
  limit: number,
  signal?: AbortSignal,
  delimiter: '/' | '' = '/',
) {
  return unwrap<ObjectPage>(
    client.objects.$get(
      { query: { prefix, limit: String(limit), delimiter, ...(cursor ? { cursor } : {}) } },
      deadlineInit(READ_TIMEOUT_MS, signal),
    ),
  );
}

/** Every object under a prefix, folders flattened (for "download folder"). */
/** Every object under `prefix`, a page of 1,000 at a time; `onPage` hears how many each page held. */
export async function listAllObjects(
  prefix: string,
  signal?: AbortSignal,
  onPage?: (count: number) => void,
): Promise<ObjectEntry[]> {
  const all: ObjectEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: ObjectPage = await listObjects(prefix, cursor, 1000, signal, '');
    all.push(...page.objects);
    onPage?.(page.objects.length);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** `versionId`: a new link to the version a download began with (its link's `versionId`). */
export function downloadLink(key: string, signal?: AbortSignal, versionId?: string) {
  const timed = deadlineInit(READ_TIMEOUT_MS, signal);
  const json = { key, ...(versionId !== undefined && { versionId }) };
  return unwrap<DownloadLink>(client.objects.download.$post({ json }, timed));
}

/** The typed client for addresses only: `$url` needs an absolute base, whose origin is dropped. */
const addresses = hc<AppType>('http://hoist.invalid/api');

/**
 * "Open": the page's own address that shows the object (or that version of it) in a tab
 * (`GET /api/objects/open` redirects to a presigned GET the store answers inline). A link to it can be
 * opened, copied or bookmarked; each visit signs a fresh GET.
 */
export function openHref(key: string, versionId?: string): string {
  const url = addresses.objects.open.$url({ query: { key, ...(versionId !== undefined && { versionId }) } });
  return url.pathname + url.search;
}

export function downloadLinks(keys: string[], signal?: AbortSignal) {
  return unwrap<DownloadLinks>(
    client.objects['download-links'].$post({ json: { keys } }, deadlineInit(READ_TIMEOUT_MS, signal)),
  );
}

export function shareLink(key: string, expiresInSeconds: number, signal?: AbortSignal) {
  return unwrap<ShareLink>(
    client.objects.share.$post({ json: { key, expiresInSeconds } }, deadlineInit(READ_TIMEOUT_MS, signal)),
  );
}

/**
 * `newPath` is relative to `folder` (where the object is shown, relative to the server's key
 * prefix), or to the key prefix itself when it starts with "/". The server resolves and checks it.
 */
export function renameObject(
  key: string,
  move: { folder: string; newPath: string },
  replace: boolean,
  signal?: AbortSignal,
) {
  return unwrap<RenamedObject>(
    client.objects.rename.$post({ json: { key, ...move, replace } }, { init: { signal } }),
  );
}

/** "New folder": the empty "name/" object that keeps it in the bucket (`folder`: the one shown). */
export function createFolder(folder: string, name: string, signal?: AbortSignal) {
  return unwrap<NewFolder>(
    client.objects.folder.$post({ json: { folder, name } }, deadlineInit(READ_TIMEOUT_MS, signal)),
  );
}

/**
 * `etags`: per key, the ETag it was counted or listed at; one written since is kept, its error
 * `changed`.
 */
export function deleteObjects(keys: string[], signal?: AbortSignal, etags?: Record<string, string>) {
  return unwrap<{ deleted: string[]; errors: { key: string; message: string; changed?: true }[] }>(
    client.objects.delete.$post({ json: { keys, ...(etags && { etags }) } }, { init: { signal } }),
  );
}

export function objectDetails(key: string, signal?: AbortSignal) {
  const timed = deadlineInit(READ_TIMEOUT_MS, signal);
  return unwrap<ObjectDetails>(client.objects.details.$post({ json: { key } }, timed));
}

/**
 * Copies (or moves) `keys`, all under `from`, to the folder typed in `to` (relative to `base`, or
 * from the top with "/"); folders are relative to the server's key prefix. Each key's outcome comes back.
 */
export function copyObjects(
  keys: string[],
  o: {
    from: string;
    base: string;
    to: string;
    move: boolean;
    replace: boolean;
    /** Moves whose copy was made already (see MadeCopy): only their old keys are deleted. */
    made?: Record<string, MadeCopy>;
    /** With `replace`: per key, the ETag of the object shown at its new key (see CopiedObjects). */
    replaceIf?: Record<string, string>;
  },
  signal?: AbortSignal,
) {
  return unwrap<CopiedObjects>(client.objects.copy.$post({ json: { keys, ...o } }, { init: { signal } }));
}

/**
 * Sets what `key` (at ETag `etag`, as shown) gets: its content type, headers, metadata and tags,
 * in full. `shown` is what the form was filled from: changed since by someone else, nothing is written.
 */
export function editProperties(
  key: string,
  etag: string,
  properties: ObjectProperties,
  shown: ShownProperties,
  signal?: AbortSignal,
) {
  return unwrap<EditedProperties>(
    client.objects.properties.$post({ json: { key, etag, properties, shown } }, { init: { signal } }),
  );
}
