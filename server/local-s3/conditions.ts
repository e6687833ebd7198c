import { unquoteEtag } from './checksum.ts';

/** RFC 7232 preconditions as S3 evaluates them for GET/HEAD. */
export type ConditionResult = 'ok' | 'precondition-failed' | 'not-modified';

export interface ConditionHeaders {
  ifMatch?: string | undefined;
  ifNoneMatch?: string | undefined;
  ifModifiedSince?: string | undefined;
  ifUnmodifiedSince?: string | undefined;
}

function etagListMatches(list: string, etag: string): boolean {
  const want = unquoteEtag(etag);
  return list.split(',').some((item) => item.trim() === '*' || unquoteEtag(item) === want);
}

export function evaluateConditions(h: ConditionHeaders, etag: string, lastModified: Date): ConditionResult {
  const seconds = Math.floor(lastModified.getTime() / 1000);
  const parse = (v: string) => {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
  };
  if (h.ifMatch !== undefined) {
    if (!etagListMatches(h.ifMatch, etag)) return 'precondition-failed';
  } else if (h.ifUnmodifiedSince !== undefined) {
    const t = parse(h.ifUnmodifiedSince);
    if (t !== undefined && seconds > t) return 'precondition-failed';
  }
  if (h.ifNoneMatch !== undefined) {
    if (etagListMatches(h.ifNoneMatch, etag)) return 'not-modified';
  } else if (h.ifModifiedSince !== undefined) {
    const t = parse(h.ifModifiedSince);
    if (t !== undefined && seconds <= t) return 'not-modified';
  }
  return 'ok';
}
