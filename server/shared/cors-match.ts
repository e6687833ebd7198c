/**
 * How S3 matches a bucket CORS rule's AllowedOrigin and AllowedHeader entries: an entry may hold one "*",
 * anywhere, standing for any run of characters (`https://*.example.com`, `http://127.0.0.1:*`,
 * `x-amz-meta-*`, `*`); the rest must match exactly. Origins match case-sensitively (the browser sends
 * them in lower case), header names in any case. AWS S3, Ceph RGW and MinIO refuse an entry with a
 * second "*"; one given anyway (from another store) matches its first "*" only, the rest as written.
 * Pure: the self-test, S3_CONFIGURE_BUCKET's rule merge and the embedded store all use it.
 */
export function corsPatternMatches(pattern: string, value: string, o: { ignoreCase: boolean }): boolean {
  const p = o.ignoreCase ? pattern.toLowerCase() : pattern;
  const v = o.ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star === -1) return p === v;
  const head = p.slice(0, star);
  const tail = p.slice(star + 1);
  return v.length >= head.length + tail.length && v.startsWith(head) && v.endsWith(tail);
}

/** Whether one of a rule's AllowedOrigins lets `origin` in. */
export function originAllowed(allowedOrigins: readonly string[] | undefined, origin: string): boolean {
  return (allowedOrigins ?? []).some((o) => corsPatternMatches(o, origin, { ignoreCase: false }));
}

/** Whether one of a rule's AllowedHeaders lets the request header `name` through. */
export function headerAllowed(allowedHeaders: readonly string[] | undefined, name: string): boolean {
  return (allowedHeaders ?? []).some((h) => corsPatternMatches(h, name, { ignoreCase: true }));
}

/** An entry S3 refuses in PutBucketCors: more than one "*". */
export function hasSeveralWildcards(entry: string): boolean {
  return entry.indexOf('*') !== entry.lastIndexOf('*');
}
