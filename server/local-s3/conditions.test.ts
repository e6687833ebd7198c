import { describe, expect, it } from 'vitest';
import { evaluateConditions } from './conditions.ts';

const etag = '"abc"';
const at = new Date('2024-01-02T03:04:05Z');

describe('evaluateConditions', () => {
  it('If-Match: 412 unless the ETag (or *) matches', () => {
    expect(evaluateConditions({ ifMatch: '"abc"' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: 'abc' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: '"x", *' }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifMatch: '"x"' }, etag, at)).toBe('precondition-failed');
  });

  it('If-None-Match: 304 when the ETag matches', () => {
    expect(evaluateConditions({ ifNoneMatch: '"abc"' }, etag, at)).toBe('not-modified');
    expect(evaluateConditions({ ifNoneMatch: '"x"' }, etag, at)).toBe('ok');
  });

  it('dates apply only when the ETag condition is absent', () => {
    expect(evaluateConditions({ ifModifiedSince: at.toUTCString() }, etag, at)).toBe('not-modified');
    expect(evaluateConditions({ ifModifiedSince: new Date(0).toUTCString() }, etag, at)).toBe('ok');
    expect(evaluateConditions({ ifUnmodifiedSince: new Date(0).toUTCString() }, etag, at)).toBe(
      'precondition-failed',
    );
    expect(
      evaluateConditions({ ifMatch: '"abc"', ifUnmodifiedSince: new Date(0).toUTCString() }, etag, at),
    ).toBe('ok');
  });
});
