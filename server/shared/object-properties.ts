/**
 * What an upload may set on the object besides its bytes, as the S3 console's upload "Properties" and
 * `aws s3 cp --content-type --cache-control --content-disposition --metadata` do, and S3's tags. Pure: the server checks a
 * create request with it, the page checks the settings form as it is typed.
 */
import type { MetadataUnderscore, ObjectProperties } from './api-types.ts';
import { CONTROL, PRINTABLE_ASCII as HEADER_VALUE } from './mime-words.ts';
import { STORAGE_CLASS_NAME } from './storage-classes.ts';
import { formatCount } from './format-count.ts';

/** A media type, with parameters as stored ones often have ("text/html; charset=utf-8"). */
export const MIME =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(\s*;\s*[a-z0-9!#$&^_.+-]+=("[\x20-\x21\x23-\x7e]*"|[a-z0-9!#$&^_.+-]+))*$/i;
/** S3 keeps at most 2 KB of user metadata (names and values, in bytes). */
export const MAX_METADATA_BYTES = 2048;
export const MAX_TAGS = 10;
/**
 * A header name's characters (RFC 9110 token), lowercase as S3 answers them: "build.id" and the like,
 * which other tools write, must not keep an object's other properties from being edited.
 */
const METADATA_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,128}$/;
/** What S3 allows in tags: letters, digits, spaces and + - = . _ : / @ (any script). */
const TAG_TEXT = /^[\p{L}\p{N}\s+\-=._:/@]*$/u;

const chars = (text: string) => [...text].length;

/** The properties `EDITABLE_HEADERS` names. */
export type HeaderProperties = Pick<
  ObjectProperties,
  'contentDisposition' | 'contentEncoding' | 'contentLanguage'
>;

/**
 * The headers an upload or "Edit properties" sets besides the content type and Cache-Control, as the
 * S3 console's upload Properties and "Edit metadata": field, header, how long it may be typed, an
 * example.
 */
export const EDITABLE_HEADERS = [
  ['contentDisposition', 'Content-Disposition', 1024, 'attachment; filename="report.pdf"'],
  ['contentEncoding', 'Content-Encoding', 256, 'gzip'],
  ['contentLanguage', 'Content-Language', 256, 'en-GB'],
] as const;

/**
 * The headers of `wanted` that are not as `stored` has them: a stored value left as it is passes
 * unchecked (another tool may have written one longer, or not ASCII), so it never keeps the rest of
 * an object's properties from being edited. Pure.
 */
export function changedHeaders(wanted: HeaderProperties, stored: HeaderProperties): ObjectProperties {
  const changed: ObjectProperties = {};
  for (const [field] of EDITABLE_HEADERS) {
    const value = wanted[field];
    if (value !== undefined && value !== stored[field]) changed[field] = value;
  }
  return changed;
}

/** The first thing wrong with the properties, said for a person; null when S3 will take them. */
export function propertiesProblem(p: ObjectProperties): string | null {
  for (const [field, header, max, example] of EDITABLE_HEADERS) {
    const value = p[field];
    if (value !== undefined && (value === '' || !HEADER_VALUE.test(value) || value.length > max))
      return `${header} must be printable ASCII of up to ${formatCount(max)} characters (for example: ${example}).${
        field === 'contentDisposition' && !HEADER_VALUE.test(value)
          ? ` A file name in other letters goes percent-encoded: attachment; filename*=UTF-8''${encodeURIComponent('Résumé.pdf')}.`
          : ''
      }`;
  }
  if (p.contentType !== undefined && !MIME.test(p.contentType))
    return `"${p.contentType}" is not a content type (like text/html or image/png).`;
  if (
    p.cacheControl !== undefined &&
    (p.cacheControl === '' || !HEADER_VALUE.test(p.cacheControl) || p.cacheControl.length > 256)
  )
    return 'Cache-Control must be printable ASCII of up to 256 characters, like "max-age=3600".';
  let metadataBytes = 0;
  for (const [name, value] of Object.entries(p.metadata ?? {})) {
    if (!METADATA_NAME.test(name) && METADATA_NAME.test(name.toLowerCase()))
      return `Metadata name "${name}": S3 keeps names in lower case; send "${name.toLowerCase()}".`;
    if (!METADATA_NAME.test(name))
      return `Metadata name "${name}" must be ASCII letters, digits, "-", "_" or "." with no spaces (it becomes the header x-amz-meta-${name}).`;
    if (CONTROL.test(value))
      return `Metadata "${name}" must be one line of text, with no tabs or control characters.`;
    if (!HEADER_VALUE.test(value))
      return `Metadata "${name}" must be printable ASCII, or other letters encoded as RFC 2047 words (=?UTF-8?B?…?=), as S3 answers them and the page sends them.`;
    metadataBytes += name.length + value.length;
  }
  if (metadataBytes > MAX_METADATA_BYTES)
    return `Metadata is ${metadataBytes} bytes; S3 keeps at most ${MAX_METADATA_BYTES}.`;
  if (p.storageClass !== undefined && !STORAGE_CLASS_NAME.test(p.storageClass))
    return `"${p.storageClass}" is not a storage class (like STANDARD_IA or GLACIER_IR).`;
  const tags = Object.entries(p.tags ?? {});
  if (tags.length > MAX_TAGS) return `${tags.length} tags; S3 allows at most ${MAX_TAGS} on an object.`;
  for (const [key, value] of tags) {
    if (key === '' || chars(key) > 128 || !TAG_TEXT.test(key))
      return `Tag "${key}": a key is 1 to 128 letters, digits, spaces or + - = . _ : / @.`;
    if (key.toLowerCase().startsWith('aws:'))
      return `Tag "${key}": keys starting with "aws:" are reserved for AWS, and S3 refuses them.`;
    if (chars(value) > 256 || !TAG_TEXT.test(value))
      return `Tag "${key}": a value is up to 256 letters, digits, spaces or + - = . _ : / @.`;
  }
  return null;
}

/**
 * The first metadata name the store would not keep as given, said for a person with the fix; null when
 * it keeps them all. Ceph RGW turns "_" into "-" (`MetadataUnderscore`): such a name is refused, not
 * saved as another name that whatever reads the object later does not look for. Pure.
 */
export function metadataNameChanged(
  metadata: Record<string, string> | undefined,
  underscore: MetadataUnderscore,
): string | null {
  if (underscore === 'kept') return null;
  const name = Object.keys(metadata ?? {}).find((n) => n.includes('_'));
  return name === undefined
    ? null
    : `Metadata name "${name}": this store turns "_" into "-" in metadata names (it would keep "${name.replaceAll('_', '-')}"); use "-".`;
}

/** True when nothing is set. */
export function noProperties(p: ObjectProperties | undefined): boolean {
  return (
    !p ||
    (p.contentType === undefined &&
      p.cacheControl === undefined &&
      EDITABLE_HEADERS.every(([field]) => p[field] === undefined) &&
      Object.keys(p.metadata ?? {}).length === 0 &&
      Object.keys(p.tags ?? {}).length === 0 &&
      p.storageClass === undefined)
  );
}

/**
 * `x-amz-tagging`: the tags as a URL query string (`a=1&b=two%20words`). Spaces as %20, not "+":
 * Ceph RGW keeps a "+" as it is (a tag "retention+days"), where S3 and the embedded store decode both.
 */
export function taggingHeader(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}

/**
 * The headers a single PUT carries for the properties other than the content type (signed into its
 * URL, so the browser must send exactly these): cache-control, content-disposition, -encoding,
 * -language, x-amz-meta-*, x-amz-tagging, x-amz-storage-class.
 */
export function propertyHeaders(
  p: Omit<ObjectProperties, 'contentType'> | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!p) return headers;
  if (p.cacheControl !== undefined) headers['cache-control'] = p.cacheControl;
  for (const [field, header] of EDITABLE_HEADERS) {
    const value = p[field];
    if (value !== undefined) headers[header.toLowerCase()] = value;
  }
  for (const [name, value] of Object.entries(p.metadata ?? {})) headers[`x-amz-meta-${name}`] = value;
  if (p.tags && Object.keys(p.tags).length > 0) headers['x-amz-tagging'] = taggingHeader(p.tags);
  if (p.storageClass !== undefined) headers['x-amz-storage-class'] = p.storageClass;
  return headers;
}
