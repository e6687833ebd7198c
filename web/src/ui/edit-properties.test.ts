import { describe, expect, it } from 'vitest';
import type { ObjectDetails } from '../../../server/shared/api-types.ts';
import { formFromDetails, parseEdit, shownProperties } from './edit-properties.ts';

const details: ObjectDetails = {
  key: 'a/video.mp4',
  size: 10,
  etag: '"e"',
  lastModified: null,
  contentType: 'application/octet-stream',
  cacheControl: 'no-store',
  metadata: { owner: 'ana', project: 'x1' },
  tags: [
    { key: 'team', value: 'red' },
    { key: 'retention days', value: '30' },
  ],
};

describe('formFromDetails / parseEdit', () => {
  it('fills the form from the object, and reads it back unchanged', () => {
    const form = formFromDetails(details);
    expect(form).toEqual({
      contentType: 'application/octet-stream',
      cacheControl: 'no-store',
      contentDisposition: '',
      contentEncoding: '',
      contentLanguage: '',
      metadata: 'owner: ana\nproject: x1',
      tags: 'team=red\nretention days=30',
      storageClass: 'STANDARD',
    });
    expect(parseEdit(form)).toEqual({
      problem: null,
      properties: {
        contentType: 'application/octet-stream',
        cacheControl: 'no-store',
        metadata: { owner: 'ana', project: 'x1' },
        tags: { team: 'red', 'retention days': '30' },
        storageClass: 'STANDARD',
      },
    });
    // The object's own class, and the one picked, are said as they are.
    const cold = formFromDetails({ ...details, storageClass: 'COLD_PLACEMENT' });
    expect(cold.storageClass).toBe('COLD_PLACEMENT');
    expect(parseEdit({ ...cold, storageClass: 'STANDARD_IA' }).properties?.storageClass).toBe('STANDARD_IA');
  });

  it('shows metadata in other letters decoded, sends it encoded, and one left as shown as the store keeps it', () => {
    // As AWS answers "José"; another tool wrote the second in Q words and Latin-1.
    const stored = {
      ...details,
      metadata: { author: '=?UTF-8?B?Sm9zw6k=?=', city: '=?ISO-8859-1?Q?Z=FCrich?=' },
    };
    const form = formFromDetails(stored);
    expect(form.metadata).toBe('author: José\ncity: Zürich');
    expect(parseEdit(form, stored).properties?.metadata).toEqual(stored.metadata);
    expect(
      parseEdit({ ...form, metadata: 'author: José\ncity: Genève' }, stored).properties?.metadata,
    ).toEqual({ author: '=?UTF-8?B?Sm9zw6k=?=', city: '=?UTF-8?B?R2Vuw6h2ZQ==?=' });
  });

  it('sends tags left as shown as the store keeps them: a key with "=", spaces at the ends', () => {
    const odd = {
      ...details,
      tags: [
        { key: 'a=b', value: 'c' },
        { key: ' lead', value: 'trail ' },
      ],
    };
    const form = { ...formFromDetails(odd), contentType: 'video/mp4' };
    expect(parseEdit(form, odd).properties?.tags).toEqual({ 'a=b': 'c', ' lead': 'trail ' });
    // Edited, the lines are what counts.
    expect(parseEdit({ ...form, tags: 'a=b=c' }, odd).properties?.tags).toEqual({ a: 'b=c' });
  });

  it('fills and reads back Content-Disposition, -Encoding and -Language, trimmed; an emptied one is left out', () => {
    const withHeaders = {
      ...details,
      contentDisposition: 'attachment; filename="clip.mp4"',
      contentEncoding: 'gzip',
      contentLanguage: 'de',
    };
    const form = formFromDetails(withHeaders);
    expect(form).toMatchObject({
      contentDisposition: 'attachment; filename="clip.mp4"',
      contentEncoding: 'gzip',
    });
    expect(parseEdit({ ...form, contentLanguage: ' en-GB ' }).properties).toMatchObject({
      contentDisposition: 'attachment; filename="clip.mp4"',
      contentEncoding: 'gzip',
      contentLanguage: 'en-GB',
    });
    expect(parseEdit({ ...form, contentEncoding: '  ' }).properties).not.toHaveProperty('contentEncoding');
    expect(shownProperties(withHeaders)).toMatchObject({ contentEncoding: 'gzip', contentLanguage: 'de' });
    expect(shownProperties(details)).toMatchObject({ contentDisposition: null, contentEncoding: null });
  });

  it('refuses a header a browser cannot send as it is, saying which and how', () => {
    const form = formFromDetails(details);
    expect(parseEdit({ ...form, contentDisposition: 'attachment; filename="café.pdf"' }).problem).toBe(
      'Content-Disposition must be printable ASCII of up to 1,024 characters (for example: attachment; filename="report.pdf"). ' +
        "A file name in other letters goes percent-encoded: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf.",
    );
    expect(parseEdit({ ...form, contentLanguage: 'x'.repeat(257) }).problem).toMatch(
      /^Content-Language must be/,
    );
  });

  it('lets a header stored longer than it may be typed stay as it is, so the rest can still be edited', () => {
    const long = { ...details, contentDisposition: `attachment; filename="${'x'.repeat(1100)}.bin"` };
    const form = formFromDetails(long);
    expect(parseEdit({ ...form, tags: 'team=blue' }, long)).toMatchObject({
      problem: null,
      properties: { contentDisposition: long.contentDisposition, tags: { team: 'blue' } },
    });
    expect(
      parseEdit({ ...form, contentDisposition: `${long.contentDisposition} ` }, long).problem,
    ).toBeNull();
    expect(parseEdit({ ...form, contentDisposition: `${long.contentDisposition}x` }, long).problem).toMatch(
      /^Content-Disposition must be/,
    );
  });

  it('keeps a stored type with parameters as it is', () => {
    const form = formFromDetails({ ...details, contentType: 'text/html; charset=UTF-8' });
    expect(parseEdit(form)).toMatchObject({
      problem: null,
      properties: { contentType: 'text/html; charset=UTF-8' },
    });
  });

  it('an emptied field is left out, so the object loses it', () => {
    const form = { ...formFromDetails(details), cacheControl: ' ', metadata: '', tags: '' };
    expect(parseEdit(form)).toEqual({
      problem: null,
      properties: { contentType: 'application/octet-stream', storageClass: 'STANDARD' },
    });
  });

  it('needs a content type, and says what else is wrong as the upload settings do', () => {
    expect(parseEdit({ ...formFromDetails(details), contentType: '' }).problem).toBe(
      'A content type is needed (like text/html or image/png).',
    );
    expect(parseEdit({ ...formFromDetails(details), metadata: 'no colon here' }).problem).toBe(
      'Metadata, line 1: write it as "name: value".',
    );
    expect(parseEdit({ ...formFromDetails(details), contentType: 'video' }).problem).toMatch(
      /is not a content type/,
    );
  });

  it('refuses a metadata name with "_" on a store that turns it into "-", before Save is pressed', () => {
    const form = { ...formFromDetails(details), metadata: 'reviewed_by: qa' };
    expect(parseEdit(form, details, 'dashed').problem).toMatch(/this store turns "_" into "-".*use "-"/);
    expect(parseEdit(form, details, 'kept').properties?.metadata).toEqual({ reviewed_by: 'qa' });
  });

  it('an object with no tags readable gives an empty tags field', () => {
    const { tags: _none, ...untagged } = details;
    expect(formFromDetails(untagged).tags).toBe('');
  });
});
