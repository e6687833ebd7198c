import { describe, expect, it } from 'vitest';
import { deleteWarning } from './delete-warning.ts';

describe('deleteWarning', () => {
  it('says a delete cannot be undone on a bucket that never had versioning', () => {
    expect(deleteWarning('never')).toBe('This cannot be undone.');
  });

  it('says a versioned bucket keeps earlier versions, still stored, and where to bring them back or remove them', () => {
    for (const versioning of ['enabled', 'suspended'] as const) {
      const text = deleteWarning(versioning);
      expect(text).toContain('still stored');
      expect(text).toContain('“Deleted objects” above the list brings them back, or deletes them for good.');
    }
    const on = deleteWarning('enabled');
    expect(on).toMatch(/^Versioning is on: this adds delete markers; earlier versions stay in the bucket/);
    expect(on).not.toContain('cannot be undone');
  });

  it('says that with versioning suspended what was written since goes for good (its "null" version is replaced)', () => {
    expect(deleteWarning('suspended')).toMatch(
      /^Versioning is suspended: what was written since it was suspended is deleted for good \(this cannot be undone\); versions saved while it was on stay/,
    );
  });

  it('claims nothing it does not know when the store would not say (or has not yet)', () => {
    for (const versioning of ['unknown', undefined] as const) {
      const text = deleteWarning(versioning);
      expect(text).not.toMatch(/^This cannot be undone/);
      expect(text).toMatch(/Unless the bucket keeps earlier versions/);
    }
  });
});
