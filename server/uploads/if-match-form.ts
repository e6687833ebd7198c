/**
 * How a store takes `If-Match` on a PUT. S3 compares the ETag as HeadObject gives it, quoted
 * (`"9b2c…"`); Ceph RGW 16 compares it without the quotes, and answers a quoted one 412 though the object
 * is the same, so "Replace" could never write. The self-test learns which (selfTest.ifMatchForm), and
 * 'none' where the store refuses either: a Replace is then sent without the condition, as `aws s3 cp`
 * sends every write. Pure.
 */
export type IfMatchForm = 'quoted' | 'unquoted' | 'none';

/** The If-Match value for `etag` in `form`; undefined for 'none' (no condition sent). */
export function ifMatchValue(etag: string, form: IfMatchForm): string | undefined {
  const bare = etag.replace(/^(W\/)?"(.*)"$/, '$2');
  if (form === 'none') return undefined;
  return form === 'quoted' ? `"${bare}"` : bare;
}
