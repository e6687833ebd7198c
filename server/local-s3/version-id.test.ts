import { describe, expect, it } from 'vitest';
import { checkVersionIdParam, newVersionId, versionIdOf, versionIdProblem } from './version-id.ts';

describe('versionIdProblem', () => {
  it('takes no version id and "null", the only version of every object in a bucket never versioned', () => {
    expect(versionIdProblem(undefined)).toBeUndefined();
    expect(versionIdProblem('null')).toBeUndefined();
    expect(versionIdProblem(newVersionId())).toBe('Invalid version id specified');
  });

  it("takes the store's own ids too once the bucket's versioning was set", () => {
    expect(versionIdProblem(newVersionId(), true)).toBeUndefined();
    expect(versionIdProblem('null', true)).toBeUndefined();
  });

  it('names what is wrong with any other id, as S3 words it', () => {
    for (const versioned of [false, true]) {
      expect(versionIdProblem('3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY', versioned)).toBe(
        'Invalid version id specified',
      );
      expect(versionIdProblem('NULL', versioned)).toBe('Invalid version id specified');
      expect(versionIdProblem('', versioned)).toBe('Version id cannot be the empty string');
    }
  });
});

describe('newVersionId', () => {
  it('is URL-safe, 32 characters and unique', () => {
    const ids = Array.from({ length: 1000 }, () => newVersionId());
    expect(new Set(ids).size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('is "null" on the wire for a version without an id', () => {
    expect(versionIdOf({})).toBe('null');
    expect(versionIdOf({ versionId: 'abc' })).toBe('abc');
  });
});

describe('checkVersionIdParam', () => {
  it('refuses another id with 400 InvalidArgument naming the versionId parameter', () => {
    expect(() => checkVersionIdParam('abc')).toThrow(
      expect.objectContaining({
        code: 'InvalidArgument',
        status: 400,
        message: 'Invalid version id specified',
        details: { ArgumentName: 'versionId', ArgumentValue: 'abc' },
      }),
    );
    expect(() => checkVersionIdParam('null')).not.toThrow();
    expect(() => checkVersionIdParam(undefined)).not.toThrow();
  });
});
