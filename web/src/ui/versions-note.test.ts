import { describe, expect, it } from 'vitest';
import { versionsNote } from './versions-note.ts';

describe('versionsNote', () => {
  it('says nothing where nothing is kept, or where Hoist could not tell', () => {
    for (const versioning of ['never', 'unknown', undefined] as const) {
      for (const change of ['rename', 'move', 'edit', 'replace'] as const)
        expect(versionsNote(versioning, change)).toBeNull();
    }
  });

  it('says a rename or move on a versioned bucket leaves the old versions behind delete markers, and how to remove them', () => {
    expect(versionsNote('enabled', 'rename')).toBe(
      'Versioning is on: the old name keeps its earlier versions behind a delete marker (and they are still stored) — “Deleted objects” above the list brings them back, or deletes them for good.',
    );
    expect(versionsNote('enabled', 'move')).toMatch(
      /^Versioning is on: the old names keep their earlier versions behind delete markers \(and they are still stored\)/,
    );
  });

  it('says Edit properties on a versioned bucket stores a new version beside the one shown', () => {
    expect(versionsNote('enabled', 'edit')).toMatch(/saved as a new version, and the version shown stays/);
    expect(versionsNote('enabled', 'edit')).toContain('a second full copy');
  });

  it('with versioning suspended, says only versions saved while it was on stay', () => {
    expect(versionsNote('suspended', 'rename')).toMatch(
      /^Versioning is suspended: versions saved at the old name while it was on stay in the bucket/,
    );
    expect(versionsNote('suspended', 'move')).toContain('at the old names');
    expect(versionsNote('suspended', 'edit')).toMatch(
      /^Versioning is suspended: if the version shown was saved while versioning was on, it stays/,
    );
  });

  it("says an upload's Replace keeps what is there as an earlier version, where it does", () => {
    expect(versionsNote('enabled', 'replace')).toMatch(
      /Replace keeps the object there as an earlier version/,
    );
    expect(versionsNote('suspended', 'replace')).toMatch(/only if it was saved while versioning was on/);
  });
});
