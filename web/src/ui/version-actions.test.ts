import { describe, expect, it } from 'vitest';
import { deleteForGoodText, restoreNote, versionActions, versionLabels } from './version-actions.ts';

const version = { isLatest: false, deleteMarker: false };
const current = { isLatest: true, deleteMarker: false };
const marker = { isLatest: false, deleteMarker: true };

describe('versionActions', () => {
  it('offers Restore for earlier versions only, Download for versions with bytes, Delete for good for all', () => {
    expect(versionActions(current)).toEqual({ download: true, restore: false, deleteForGood: true });
    expect(versionActions(version)).toEqual({ download: true, restore: true, deleteForGood: true });
    expect(versionActions(marker)).toEqual({ download: false, restore: false, deleteForGood: true });
    expect(versionActions({ isLatest: true, deleteMarker: true })).toEqual({
      download: false,
      restore: false,
      deleteForGood: true,
    });
  });
});

describe('deleteForGoodText', () => {
  it('says what becomes current when the current version goes', () => {
    expect(deleteForGoodText(current, version)).toMatch(/cannot be undone\. The version under it becomes/);
    expect(deleteForGoodText(current, marker)).toMatch(/reads as deleted/);
    expect(deleteForGoodText(current, null)).toMatch(/only version, so the object is gone/);
    expect(deleteForGoodText(version, version)).toBe(
      'Its bytes are deleted for good: this cannot be undone.',
    );
  });

  it('says a delete marker on top brings the version under it back, and others delete no bytes', () => {
    expect(deleteForGoodText({ isLatest: true, deleteMarker: true }, version)).toMatch(/brings back/);
    expect(deleteForGoodText({ isLatest: true, deleteMarker: true }, marker)).toMatch(/no bytes/);
    expect(deleteForGoodText(marker, version)).toMatch(/no bytes/);
  });
});

describe('restoreNote', () => {
  it('warns of the "null" version only while versioning is suspended', () => {
    expect(restoreNote('enabled')).not.toMatch(/null/);
    expect(restoreNote('suspended')).toMatch(/replaces the version whose id is "null"/);
  });
});

describe('versionLabels', () => {
  it('names each row by kind and date, the current one so, and adds the id where two read alike', () => {
    const at = '2026-12-07T18:25:24.000Z';
    const labels = versionLabels([
      {
        versionId: 'AAAAAAAAzzz',
        isLatest: true,
        deleteMarker: false,
        lastModified: '2026-12-07T18:30:00.000Z',
      },
      { versionId: 'BBBBBBBByyy', isLatest: false, deleteMarker: false, lastModified: at },
      { versionId: 'CCCCCCCCxxx', isLatest: false, deleteMarker: false, lastModified: at },
      { versionId: 'DDDDDDDDwww', isLatest: false, deleteMarker: true, lastModified: at },
    ]);
    expect(labels[0]).toMatch(/^current version of /);
    expect(labels[1]).toMatch(/^version of .*, id BBBBBBBB$/);
    expect(labels[2]).toMatch(/^version of .*, id CCCCCCCC$/);
    expect(labels[3]).toMatch(/^delete marker of /);
    expect(labels[3]).not.toContain(', id ');
    expect(new Set(labels).size).toBe(4);
  });
});
