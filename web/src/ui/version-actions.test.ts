import { describe, expect, it } from 'vitest';
import { deleteForGoodText, restoreNote, versionActions } from './version-actions.ts';

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
