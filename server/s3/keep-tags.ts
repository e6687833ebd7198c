import type { ObjectStore } from './s3-gateway.ts';

/**
 * Gives the object at `key` the tags `wanted` when it does not carry them already: a store may drop
 * them on the way (Ceph RGW 16 at CreateMultipartUpload and on CopyObject; a multipart copy starts
 * with none anywhere). Costs one GetObjectTagging when they are there; nothing when `wanted` is empty.
 */
export async function keepTags(
  store: Pick<ObjectStore, 'tags' | 'putTags'>,
  key: string,
  wanted: Readonly<Record<string, string>>,
  o: { signal: AbortSignal },
): Promise<void> {
  const count = Object.keys(wanted).length;
  if (count === 0) return;
  const stored = await store.tags(key, o);
  const same = stored !== null && stored.length === count && stored.every((t) => wanted[t.key] === t.value);
  if (!same) await store.putTags(key, wanted, o);
}
