import { unquoteEtag } from '../uploads/multipart-etag.ts';

/**
 * RFC 7232 preconditions as S3 evaluates them for GET/HEAD (and, as x-amz-copy-source-if-*, for copies).
 * What a GET or HEAD answers: 200, 304, or 412 naming the condition that did not hold.
 */
export type ConditionResult = 'ok' | 'not-modified' | { failed: 'If-Match' | 'If-Unmodified-Since' };

export interface ConditionHeaders {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

/** The four precondition headers of a request, each read as `prefix` + its name (`x-amz-copy-source-` for a copy's source). */
export function conditionHeaders(get: (name: string) => string | undefined, prefix = ''): ConditionHeaders {
  return {
    ifMatch: get(`${prefix}if-match`),
    ifNoneMatch: get(`${prefix}if-none-match`),
    ifModifiedSince: get(`${prefix}if-modified-since`),
    ifUnmodifiedSince: get(`${prefix}if-unmodified-since`),
  };
}

/** The condition that does not hold, named as its header is. */
export type FailedCondition = 'If-Match' | 'If-Unmodified-Since' | 'If-None-Match' | 'If-Modified-Since';

/** If-Match compares strongly (RFC 7232 3.1): a weak tag, `W/"…"`, never matches; If-None-Match weakly. */
function etagListMatches(list: string, etag: string, strong = false): boolean {
  const want = unquoteEtag(etag);
  return list.split(',').some((item) => {
    const tag = item.trim();
    return tag === '*' || (!(strong && tag.startsWith('W/')) && unquoteEtag(tag) === want);
  });
}

/**
 * If-Match wins over If-Unmodified-Since and If-None-Match over If-Modified-Since (the date is then not looked
 * at); dates that do not parse are ignored; times compare to the second.
 */
export function failedCondition(
  h: ConditionHeaders,
  etag: string,
  lastModified: Date,
): FailedCondition | undefined {
  const seconds = Math.floor(lastModified.getTime() / 1000);
  const parse = (v: string) => {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  };
  if (h.ifMatch !== undefined) {
    if (!etagListMatches(h.ifMatch, etag, true)) return 'If-Match';
  } else if (h.ifUnmodifiedSince !== undefined) {
    const t = parse(h.ifUnmodifiedSince);
    if (t !== undefined && seconds > t) return 'If-Unmodified-Since';
  }
  if (h.ifNoneMatch !== undefined) {
    if (etagListMatches(h.ifNoneMatch, etag)) return 'If-None-Match';
  } else if (h.ifModifiedSince !== undefined) {
    const t = parse(h.ifModifiedSince);
    if (t !== undefined && seconds <= t) return 'If-Modified-Since';
  }
  return undefined;
}

export function evaluateConditions(h: ConditionHeaders, etag: string, lastModified: Date): ConditionResult {
  const failed = failedCondition(h, etag, lastModified);
  if (failed === undefined) return 'ok';
  return failed === 'If-Match' || failed === 'If-Unmodified-Since' ? { failed } : 'not-modified';
}
