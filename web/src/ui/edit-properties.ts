/**
 * The "Edit properties" form of one object: filled from what the store keeps, read back into what
 * the object is to get (in full: an emptied field is removed), checked as the server checks it. Pure.
 */
import type { ObjectDetails, ObjectProperties } from '../../../server/shared/api-types.ts';
import { parseSettings, type UploadSettingsForm } from './upload-settings.ts';

/** The form as the object is now: one "name: value" a line of metadata, one "key=value" a line of tags. */
export function formFromDetails(d: ObjectDetails): UploadSettingsForm {
  return {
    contentType: d.contentType ?? '',
    cacheControl: d.cacheControl ?? '',
    metadata: Object.entries(d.metadata ?? {})
      .map(([name, value]) => `${name}: ${value}`)
      .join('\n'),
    tags: (d.tags ?? []).map((t) => `${t.key}=${t.value}`).join('\n'),
  };
}

/** What to send, or what to fix first. A content type is needed: every object has one. */
export function parseEdit(
  form: UploadSettingsForm,
): { properties: ObjectProperties; problem: null } | { properties: null; problem: string } {
  if (form.contentType.trim() === '') {
    return { properties: null, problem: 'A content type is needed (like text/html or image/png).' };
  }
  const { properties, problem } = parseSettings(form);
  if (problem !== null || !properties) return { properties: null, problem: problem ?? 'Nothing to save.' };
  // The type as written, not lowercased as for uploads: a stored "text/html; charset=UTF-8" left as it
  // is must not count as a change.
  return { properties: { ...properties, contentType: form.contentType.trim() }, problem: null };
}
