/**
 * The upload settings form, as typed, into what uploads set on each object (content type,
 * Cache-Control, Content-Disposition, -Encoding, -Language, metadata, tags, storage class), checked as
 * the server will check it. Pure.
 */
import type { MetadataUnderscore, ObjectProperties } from '../../../server/shared/api-types.ts';
import {
  EDITABLE_HEADERS,
  metadataNameChanged,
  noProperties,
  propertiesProblem,
} from '../../../server/shared/object-properties.ts';
import { encodeHeaderText } from '../../../server/shared/mime-words.ts';
import { storageClassLabel } from '../../../server/shared/storage-classes.ts';

export interface PropertiesForm {
  contentType: string;
  cacheControl: string;
  contentDisposition: string;
  contentEncoding: string;
  contentLanguage: string;
  /** One "name: value" a line. */
  metadata: string;
  /** One "key=value" a line (as `aws s3api --tagging` takes them, one per line). */
  tags: string;
  /** `STANDARD_IA`…; '' (or STANDARD): the store's default, sent as no class at all. */
  storageClass: string;
}

export const EMPTY_SETTINGS: PropertiesForm = {
  contentType: '',
  cacheControl: '',
  contentDisposition: '',
  contentEncoding: '',
  contentLanguage: '',
  metadata: '',
  tags: '',
  storageClass: '',
};

export interface ParsedSettings {
  /** Undefined when nothing is set. */
  properties: ObjectProperties | undefined;
  /** What to fix before files are added; null when none. */
  problem: string | null;
}

/**
 * `underscore`: what the store does with "_" in metadata names (the health report says). With more
 * than one field wrong, `problem` says what is wrong with each, in the form's order: said one at a
 * time, a second red field went unexplained (and was described by the first one's problem).
 */
export function parseSettings(form: PropertiesForm, underscore: MetadataUnderscore = 'kept'): ParsedSettings {
  const parsed = parseForm(form, underscore);
  if (parsed.problem === null) return parsed;
  const each = [...new Set(fieldProblems(form, underscore).values())];
  return each.length > 1 ? { properties: undefined, problem: each.join(' ') } : parsed;
}

function parseForm(form: PropertiesForm, underscore: MetadataUnderscore): ParsedSettings {
  const properties: ObjectProperties = {};
  const contentType = form.contentType.trim();
  if (contentType) properties.contentType = contentType.toLowerCase();
  const cacheControl = form.cacheControl.trim();
  if (cacheControl) properties.cacheControl = cacheControl;
  for (const [field] of EDITABLE_HEADERS) {
    const value = form[field].trim();
    if (value) properties[field] = value;
  }
  const metadata = pairs(form.metadata, ':', 'Metadata');
  if (typeof metadata === 'string') return { properties: undefined, problem: metadata };
  // Other letters than ASCII as S3 takes and answers them: RFC 2047 words ("José" is =?UTF-8?B?Sm9zw6k=?=).
  if (metadata.length > 0)
    properties.metadata = Object.fromEntries(
      metadata.map(([name, value]) => [name.toLowerCase(), encodeHeaderText(value)]),
    );
  const tags = pairs(form.tags, '=', 'Tags');
  if (typeof tags === 'string') return { properties: undefined, problem: tags };
  if (tags.length > 0) properties.tags = Object.fromEntries(tags);
  if (form.storageClass !== '' && form.storageClass !== 'STANDARD')
    properties.storageClass = form.storageClass;
  if (noProperties(properties)) return { properties: undefined, problem: null };
  const problem = propertiesProblem(properties) ?? metadataNameChanged(properties.metadata, underscore);
  return problem ? { properties: undefined, problem } : { properties, problem: null };
}

/**
 * The fields that have a problem on their own (checked one at a time, as S3 would take each), so each
 * can be marked invalid for screen readers, not only the line that says the first problem.
 */
export function invalidFields(
  form: PropertiesForm,
  underscore: MetadataUnderscore = 'kept',
): ReadonlySet<keyof PropertiesForm> {
  return new Set(fieldProblems(form, underscore).keys());
}

/** Each field's problem on its own, in the form's order. */
function fieldProblems(
  form: PropertiesForm,
  underscore: MetadataUnderscore,
): Map<keyof PropertiesForm, string> {
  const problems = new Map<keyof PropertiesForm, string>();
  for (const field of Object.keys(EMPTY_SETTINGS) as (keyof PropertiesForm)[]) {
    if (form[field].trim() === '') continue;
    const { problem } = parseForm({ ...EMPTY_SETTINGS, [field]: form[field] }, underscore);
    if (problem !== null) problems.set(field, problem);
  }
  return problems;
}

/** The lines of a "name<sep>value" list, or what is wrong with them. */
function pairs(text: string, separator: ':' | '=', what: string): [string, string][] | string {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf(separator);
    if (at <= 0 && separator === ':') return `${what}, line ${i + 1}: write it as "name: value".`;
    const name = (at < 0 ? line : line.slice(0, at)).trim();
    const value = at < 0 ? '' : line.slice(at + 1).trim();
    if (name === '') return `${what}, line ${i + 1}: write it as "key=value".`;
    const id = separator === ':' ? name.toLowerCase() : name;
    if (seen.has(id)) return `${what}: "${name}" is given twice.`;
    seen.add(id);
    out.push([name, value]);
  }
  return out;
}

/**
 * What the settings set, in a few words: "text/markdown · Cache-Control · Content-Disposition · 2
 * metadata · 1 tag · Standard-IA".
 */
export function settingsSummary(p: ObjectProperties | undefined): string | null {
  if (!p || noProperties(p)) return null;
  const said: string[] = [];
  if (p.contentType) said.push(p.contentType);
  if (p.cacheControl) said.push('Cache-Control');
  for (const [field, header] of EDITABLE_HEADERS) if (p[field]) said.push(header);
  const m = Object.keys(p.metadata ?? {}).length;
  if (m > 0) said.push(`${m} metadata`);
  const t = Object.keys(p.tags ?? {}).length;
  if (t > 0) said.push(`${t} tag${t === 1 ? '' : 's'}`);
  if (p.storageClass) said.push(storageClassLabel(p.storageClass));
  return said.join(' · ');
}
