import { describe, expect, it } from 'vitest';
import { evaluateConditions, failedCondition } from './conditions.ts';

const etag = '"abc"';
const at = new Date('2024-01-02T03:04:05Z');

describe('evaluateConditions', () => {
  it('If-Match: 412 unless the ETag (or *) matches', () => {
    expect(evaluateConditions({ ifMatch: '"abc"' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: 'abc' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: '"x", *' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: '"x"' }, etag, at)).toEqual({ failed: 'If-Match' });
  });

  it('If-Match compares strongly: a weak tag never matches (RFC 7232); If-None-Match compares weakly', () => {
    expect(evaluateConditions({ ifMatch: 'W/"abc"' }, etag, at)).toEqual({ failed: 'If-Match' });
    expect(evaluateConditions({ ifMatch: 'W/"abc", "abc"' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifNoneMatch: 'W/"abc"' }, etag, at)).toBe('not-modified');
  });

  it('If-None-Match: 304 when the ETag matches', () => {
    expect(evaluateConditions({ ifNoneMatch: '"abc"' }, etag, at)).toBe('not-modified');
    expect(evaluateConditions({ ifNoneMatch: '"x"' }, etag, at)).toBe('ok');
  });

  it('dates apply only when the ETag condition is absent', () => {
    expect(evaluateConditions({ ifModifiedSince: at.toUTCString() }, etag, at)).toBe('not-modified');
    expect(evaluateConditions({ ifModifiedSince: new Date(0).toUTCString() }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifUnmodifiedSince: new Date(0).toUTCString() }, etag, at)).toEqual({
      failed: 'If-Unmodified-Since',
    });
    expect(
      evaluateConditions({ ifMatch: '"abc"', ifUnmodifiedSince: new Date(0).toUTCString() }, etag, at),
    ).toBe('ok');
  });
});

describe('failedCondition', () => {
  it('names the condition that does not hold, as copies report it', () => {
    expect(failedCondition({ ifMatch: '"x"' }, etag, at)).toBe('If-Match');
    expect(failedCondition({ ifNoneMatch: etag }, etag, at)).toBe('If-None-Match');
    expect(failedCondition({ ifUnmodifiedSince: new Date(0).toUTCString() }, etag, at)).toBe(
      'If-Unmodified-Since',
    );
    expect(failedCondition({ ifModifiedSince: new Date(at.getTime() + 1000).toUTCString() }, etag, at)).toBe(
      'If-Modified-Since',
    );
    expect(failedCondition({ ifModifiedSince: 'not a date', ifUnmodifiedSince: 'nor this' }, etag, at)).toBe(
      undefined,
    );
  });

  it('If-Match true with If-Unmodified-Since false holds; If-None-Match false fails whatever the date says', () => {
    const past = new Date(0).toUTCString();
    expect(failedCondition({ ifMatch: etag, ifUnmodifiedSince: past }, etag, at)).toBeUndefined();
    expect(failedCondition({ ifNoneMatch: etag, ifModifiedSince: past }, etag, at)).toBe('If-None-Match');
    expect(failedCondition({ ifNoneMatch: '"other"', ifModifiedSince: at.toUTCString() }, etag, at)).toBe(
      undefined,
    );
  });
});
