/**
 * The "Edit properties" form of one object: filled from what the store keeps, read back into what
 * the object is to get (in full: an emptied field is removed), checked as the server checks it. Pure.
 */
import type {
  ObjectProperties,
  MetadataUnderscore,
  ObjectDetails,
  ShownProperties,
} from '../../../server/shared/api-types.ts';
import {
  changedHeaders,
  EDITABLE_HEADERS,
  propertiesProblem,
  type HeaderProperties,
} from '../../../server/shared/object-properties.ts';
import { decodeHeaderText } from '../../../server/shared/mime-words.ts';
import { parseSettings, type PropertiesForm } from './upload-settings.ts';

/**
 * The form as the object is now: one "name: value" a line of metadata (in its letters: RFC 2047 words
 * decoded), one "key=value" a line of tags.
 */
export function formFromDetails(d: ObjectDetails): PropertiesForm {
  return {
    contentType: d.contentType ?? '',
    cacheControl: d.cacheControl ?? '',
    contentDisposition: d.contentDisposition ?? '',
    contentEncoding: d.contentEncoding ?? '',
    contentLanguage: d.contentLanguage ?? '',
    metadata: Object.entries(d.metadata ?? {})
      .map(([name, value]) => `${name}: ${decodeHeaderText(value)}`)
      .join('\n'),
    tags: tagLines(d.tags ?? []),
    storageClass: d.storageClass ?? 'STANDARD',
  };
}

/** What the form was filled from, for the server to tell whether someone changed it since. */
export function shownProperties(d: ObjectDetails): ShownProperties {
  return {
    contentType: d.contentType,
    cacheControl: d.cacheControl ?? null,
    contentDisposition: d.contentDisposition ?? null,
    contentEncoding: d.contentEncoding ?? null,
    contentLanguage: d.contentLanguage ?? null,
    metadata: d.metadata ?? {},
    tags: d.tags ? Object.fromEntries(d.tags.map((t) => [t.key, t.value])) : null,
  };
}

/**
 * What to send, or what to fix first. A content type is needed: every object has one. Tags left as
 * `details` filled them are sent as the store keeps them: "key=value" lines cannot tell a key with "="
 * in it (S3 allows one) from a value that has it, and are trimmed, so reading them back could change
 * tags nobody touched. `underscore`: what the store does with "_" in metadata names (the health report
 * says).
 */
export function parseEdit(
  form: PropertiesForm,
  details?: Pick<
    ObjectDetails,
    'tags' | 'metadata' | 'contentDisposition' | 'contentEncoding' | 'contentLanguage'
  >,
  underscore: MetadataUnderscore = 'kept',
): { properties: ObjectProperties; problem: null } | { properties: null; problem: string } {
  if (form.contentType.trim() === '') {
    return { properties: null, problem: 'A content type is needed (like text/html or image/png).' };
  }
  // Trimmed; an emptied one is removed.
  const headers: HeaderProperties = {};
  for (const [field] of EDITABLE_HEADERS) {
    const value = form[field].trim();
    if (value) headers[field] = value;
  }
  // One left as stored passes: another tool may have written it longer, or not ASCII.
  const headerProblem = propertiesProblem(changedHeaders(headers, details ?? {}));
  if (headerProblem) return { properties: null, problem: headerProblem };
  const stored = details?.tags;
  const tagsAsStored = stored !== undefined && stored.length > 0 && form.tags === tagLines(stored);
  // The headers are checked above, where one left as stored passes.
  const rest = { ...form, contentDisposition: '', contentEncoding: '', contentLanguage: '' };
  const { properties, problem } = parseSettings(tagsAsStored ? { ...rest, tags: '' } : rest, underscore);
  if (problem !== null || !properties) return { properties: null, problem: problem ?? 'Nothing to save.' };
  // The type as written, not lowercased as for uploads: a stored "text/html; charset=UTF-8" left as it
  // is must not count as a change.
  const contentType = form.contentType.trim();
  // A value that reads as stored is sent as stored: another tool may have encoded it otherwise (Q
  // words, another charset), and re-encoding it would count as a change nobody made.
  const storedMetadata = details?.metadata ?? {};
  if (properties.metadata)
    for (const [name, value] of Object.entries(properties.metadata)) {
      const was = storedMetadata[name];
      if (was !== undefined && decodeHeaderText(was) === decodeHeaderText(value))
        properties.metadata[name] = was;
    }
  // Always said, STANDARD too: the server changes the class only when it is not the object's.
  const storageClass = form.storageClass || 'STANDARD';
  if (!tagsAsStored)
    return { properties: { ...properties, ...headers, contentType, storageClass }, problem: null };
  const tags = Object.fromEntries(stored.map((t) => [t.key, t.value]));
  return { properties: { ...properties, ...headers, contentType, tags, storageClass }, problem: null };
}

function tagLines(tags: NonNullable<ObjectDetails['tags']>): string {
  return tags.map((t) => `${t.key}=${t.value}`).join('\n');
}
