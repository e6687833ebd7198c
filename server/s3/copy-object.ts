import { fail } from '../errors.ts';
import type { MadeCopy, TakenObject } from '../shared/api-types.ts';
import { normalEtag } from '../shared/etag.ts';
import { keepTags } from './keep-tags.ts';
import { sameStoredObject, sameTags } from './same-object.ts';
import type { ObjectStore } from './s3-gateway.ts';

export interface CopyOutcome {
  key: string;
  newKey: string;
  size: number;
  etag: string;
  /** Set when a move kept the old key because a newer version had been written to it meanwhile. */
  note?: string;
}

/**
 * Copies one object to `newKey` inside the store, as the S3 console's Copy, Move and Rename do:
 * nothing passes through this server but requests. The copy is pinned to the version HeadObject
 * saw, checked (the new key holds that many bytes), and for a move only then is the old key
 * deleted, and only that version: a newer one written meanwhile stays (and `note` says so).
 * Without `replace` an object at `newKey` is never overwritten: 409 `key-exists`, with the object
 * there (`existing`). With `replace` and `replaceIf` (the ETag of the object there the user chose to
 * replace), another object written there since is not replaced either: 409 `key-exists` again, as
 * an upload's "Replace" is pinned with If-Match. Throws ApiFailure with a stable code (`not-found`,
 * `key-exists`, `changed`, `copy-failed`, `delete-failed`); store errors as they come.
 */
export async function copyObject(
  store: ObjectStore,
  key: string,
  newKey: string,
  o: { move: boolean; replace: boolean; replaceIf?: string; signal: AbortSignal; verb?: string },
): Promise<CopyOutcome> {
  const { signal } = o;
  const verb = o.verb ?? (o.move ? 'moved' : 'copied');
  const source = await store.head(key, { signal });
  if (!source) return fail(404, 'not-found', `"${key}" is not in the bucket (any more).`);
  const marker = isFolderMarker(key, source.size);
  const pinned = o.replace && o.replaceIf !== undefined;
  const there = o.replace && !pinned && !marker ? null : await store.head(newKey, { signal });
  if (there && marker && isFolderMarker(newKey, there.size)) {
    // A folder marker (the S3 console's "Create folder") onto another: the folder is there already,
    // as `aws s3 mv --recursive` leaves it; nothing to copy, and a move removes the old marker.
    const outcome: CopyOutcome = { key, newKey, size: 0, etag: there.etag };
    return o.move ? removeSource(store, outcome, source.etag, { signal, verb }) : outcome;
  }
  // The same object there already, alike in all a copy carries (bytes, type, headers, metadata,
  // storage class, encryption and tags): the copy an earlier call made, cut off before it could
  // answer or delete the old key (a server restarted mid-move), or the same file put there alike. It
  // counts as copied, as running `aws s3 mv` again would leave it, and a move removes the old key.
  // One that differs in anything is a name taken: a move would lose what only the old key has, and
  // a copy would write the old key's tags over the object there, unasked.
  const madeAlready =
    !o.replace &&
    there !== null &&
    sameStoredObject(there, source) &&
    sameTags(await store.tags(newKey, { signal }), await store.tags(key, { signal }));
  if (!o.replace && there && !madeAlready) {
    return fail(409, 'key-exists', `An object named "${newKey}" already exists.`, {
      existing: { etag: there.etag, size: there.size } satisfies TakenObject,
    });
  }
  if (pinned && there && normalEtag(there.etag) !== normalEtag(o.replaceIf!)) {
    return fail(409, 'key-exists', `"${newKey}" was written again since it was shown; look at it again.`, {
      existing: { etag: there.etag, size: there.size } satisfies TakenObject,
    });
  }
  const copied = madeAlready
    ? 'copied'
    : await store.copy(
        {
          key,
          size: source.size,
          etag: source.etag,
          ...(source.checksum ? { checksumAlgorithm: source.checksum.algorithm } : {}),
          ...(source.headers && { headers: source.headers }),
        },
        newKey,
        // Not replacing: the copy itself is conditional, so an object written at the new name since
        // the check above is not overwritten (S3 and the embedded store; RGW 16 ignores it).
        { signal, onlyIfAbsent: !o.replace },
      );
  if (copied === 'changed') {
    return fail(409, 'changed', `"${key}" changed while it was being ${verb}; try again.`);
  }
  if (copied === 'exists') {
    return fail(409, 'key-exists', `An object named "${newKey}" already exists.`);
  }
  const target = await store.head(newKey, { signal });
  if (!target || target.size !== source.size) {
    return fail(502, 'copy-failed', `The copy of "${key}" to "${newKey}" did not come out whole.`);
  }
  // The source's tags go with it, as the S3 console's Copy and Move and `aws s3 cp --copy-props`
  // keep them: a multipart copy starts without them, and Ceph RGW 16 drops them on CopyObject. (A
  // copy made already has them: they were compared.)
  const tags = madeAlready ? null : await store.tags(key, { signal });
  if (tags?.length) {
    await keepTags(store, newKey, Object.fromEntries(tags.map((t) => [t.key, t.value])), { signal });
  }
  const outcome: CopyOutcome = { key, newKey, size: target.size, etag: target.etag };
  return o.move ? removeSource(store, outcome, source.etag, { signal, verb }) : outcome;
}

/**
 * The rest of a move whose copy was made but whose old key could not be deleted (`delete-failed`,
 * which gave `made`): nothing is copied again; the old key is deleted, only the version copied,
 * and only while the new key is still that copy. Throws ApiFailure `changed` when it is not (the old
 * key is kept), or `delete-failed` again.
 */
export async function finishMove(
  store: ObjectStore,
  key: string,
  newKey: string,
  made: MadeCopy,
  o: { signal: AbortSignal; verb?: string },
): Promise<CopyOutcome> {
  const copy = await store.head(newKey, { signal: o.signal });
  if (!copy || copy.etag !== made.copyEtag) {
    return fail(409, 'changed', `"${newKey}" is no longer the copy made of "${key}", so "${key}" was kept.`);
  }
  const outcome: CopyOutcome = { key, newKey, size: copy.size, etag: copy.etag };
  return removeSource(store, outcome, made.etag, { signal: o.signal, verb: o.verb ?? 'moved' });
}

/** A zero-byte key ending in "/": what the S3 console's "Create folder" writes. */
function isFolderMarker(key: string, size: number): boolean {
  return key.endsWith('/') && size === 0;
}

/**
 * The second half of a move: the old key deleted, only the version `etag` (a newer one written
 * meanwhile stays, and `note` says so). A failure is 502 `delete-failed`: the new key is there.
 */
async function removeSource(
  store: ObjectStore,
  outcome: CopyOutcome,
  etag: string,
  o: { signal: AbortSignal; verb: string },
): Promise<CopyOutcome> {
  const { key, newKey } = outcome;
  let removed: 'deleted' | 'changed';
  try {
    removed = await store.deleteIfUnchanged(key, etag, { signal: o.signal });
  } catch (error) {
    if (o.signal.aborted) throw error;
    const made: MadeCopy = { etag, copyEtag: outcome.etag };
    return fail(
      502,
      'delete-failed',
      `"${newKey}" was made, but "${key}" could not be removed: ${error instanceof Error ? error.message : String(error)}`,
      { made },
    );
  }
  if (removed === 'changed') {
    return {
      ...outcome,
      note: `"${key}" was written again while it was being ${o.verb}, so that newer version was kept.`,
    };
  }
  return outcome;
}
