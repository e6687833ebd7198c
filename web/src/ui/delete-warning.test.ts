import { describe, expect, it } from 'vitest';
import { deleteWarning } from './delete-warning.ts';

describe('deleteWarning', () => {
  it('says a delete cannot be undone on a bucket that never had versioning', () => {
    expect(deleteWarning('never')).toBe('This cannot be undone.');
  });

  it('says a versioned bucket keeps earlier versions, still stored, and how to remove them', () => {
    for (const versioning of ['enabled', 'suspended'] as const) {
      const text = deleteWarning(versioning);
      expect(text).not.toContain('cannot be undone');
      expect(text).toContain('adds delete markers');
      expect(text).toContain('still stored');
      expect(text).toContain('S3 console or the CLI');
    }
    expect(deleteWarning('enabled')).toMatch(/^Versioning is on: .*earlier versions stay in the bucket/);
    expect(deleteWarning('suspended')).toMatch(/^Versioning is suspended: /);
  });

  it('claims nothing it does not know when the store would not say (or has not yet)', () => {
    for (const versioning of ['unknown', undefined] as const) {
      const text = deleteWarning(versioning);
      expect(text).not.toMatch(/^This cannot be undone/);
      expect(text).toMatch(/Unless the bucket keeps earlier versions/);
    }
  });
});
