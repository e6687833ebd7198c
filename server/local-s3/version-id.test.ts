import { describe, expect, it } from 'vitest';
import { checkVersionIdParam, versionIdProblem } from './version-id.ts';

describe('versionIdProblem', () => {
  it('takes no version id and "null", the only version of every object', () => {
    expect(versionIdProblem(undefined)).toBeUndefined();
    expect(versionIdProblem('null')).toBeUndefined();
  });

  it('names what is wrong with any other id, as S3 words it', () => {
    expect(versionIdProblem('3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY')).toBe('Invalid version id specified');
    expect(versionIdProblem('NULL')).toBe('Invalid version id specified');
    expect(versionIdProblem('')).toBe('Version id cannot be the empty string');
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
