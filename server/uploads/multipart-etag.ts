import { createHash } from 'node:crypto';

/** An ETag without quotes or a weak prefix. */
export function unquoteEtag(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Multipart ETag: md5 of the concatenated binary part MD5s, then `-N`. Quoted. */
export function multipartEtag(partEtags: readonly string[]): string {
  const md5 = createHash('md5');
  for (const etag of partEtags) md5.update(Buffer.from(unquoteEtag(etag), 'hex'));
  return `"${md5.digest('hex')}-${partEtags.length}"`;
}
