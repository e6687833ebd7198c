import { S3Error } from './errors.ts';
import { childElements, childText, type XmlElement, type XmlNode } from './xml.ts';

/** Object tags: parsed from x-amz-tagging or a <Tagging> document, checked as S3 checks them, written as XML. */

export interface Tag {
  key: string;
  value: string;
}

export const MAX_TAGS = 10;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;

const chars = (text: string) => [...text].length;

/**
 * Throws InvalidTag for more than 10 tags, an empty or too long key, one starting with "aws:", a too long value, or
 * a repeated key.
 */
export function validateTags(tags: readonly Tag[]): readonly Tag[] {
  if (tags.length > MAX_TAGS)
    throw new S3Error('InvalidTag', `Object tags cannot be greater than ${MAX_TAGS}`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key === '' || chars(key) > MAX_TAG_KEY_CHARS)
      throw new S3Error('InvalidTag', `The TagKey you have provided is invalid`, { TagKey: key });
    // Reserved for AWS's own tags, as S3 answers.
    if (key.toLowerCase().startsWith('aws:'))
      throw new S3Error('InvalidTag', 'Your TagKey cannot be prefixed with aws:', { TagKey: key });
    if (chars(value) > MAX_TAG_VALUE_CHARS)
      throw new S3Error('InvalidTag', `The TagValue you have provided is invalid`, {
        TagKey: key,
        TagValue: value,
      });
    if (seen.has(key))
      throw new S3Error('InvalidTag', 'Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
  }
  return tags;
}

/** x-amz-tagging: a URL query string (`a=1&b=two%20words`); undefined when the header is absent. */
export function parseTaggingHeader(value: string | undefined): readonly Tag[] | undefined {
  if (value === undefined) return undefined;
  const tags = [...new URLSearchParams(value)].map(([key, v]) => ({ key, value: v }));
  return validateTags(tags);
}

/** A PutObjectTagging body: `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`. */
export function parseTaggingXml(doc: XmlElement): readonly Tag[] {
  const tagSet = childElements(doc, 'TagSet');
  if (doc.name !== 'Tagging' || tagSet.length !== 1) throw new S3Error('MalformedXML');
  const tags = childElements(tagSet[0]!, 'Tag').map((el) => {
    const key = childText(el, 'Key');
    const value = childText(el, 'Value');
    if (key === undefined || value === undefined) throw new S3Error('MalformedXML');
    return { key, value };
  });
  return validateTags(tags);
}

export function tagSetXml(tags: readonly Tag[] | undefined): XmlNode[] {
  return [
    [
      'TagSet',
      (tags ?? []).map((t): XmlNode => [
        'Tag',
        [
          ['Key', t.key],
          ['Value', t.value],
        ],
      ]),
    ],
  ];
}

export type TaggingDirective = 'COPY' | 'REPLACE';

/** x-amz-tagging-directive: COPY (the default) keeps the source's tags, REPLACE takes x-amz-tagging. */
export function parseTaggingDirective(value: string | undefined): TaggingDirective {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw new S3Error('InvalidArgument', 'Unknown tagging directive.', {
    ArgumentName: 'x-amz-tagging-directive',
    ArgumentValue: value,
  });
}
