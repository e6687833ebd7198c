import { describe, expect, it } from 'vitest';
import { EMPTY_SETTINGS, invalidFields, parseSettings, settingsSummary } from './upload-settings.ts';

describe('parseSettings', () => {
  it('sets nothing when the form is empty or blank', () => {
    expect(parseSettings(EMPTY_SETTINGS)).toEqual({ properties: undefined, problem: null });
    expect(parseSettings({ ...EMPTY_SETTINGS, contentType: ' ', metadata: '\n \n' })).toEqual({
      properties: undefined,
      problem: null,
    });
  });

  it('reads "name: value" metadata (names lowercased, as S3 keeps them) and "key=value" tags', () => {
    const parsed = parseSettings({
      ...EMPTY_SETTINGS,
      contentType: 'Text/Markdown',
      cacheControl: ' public, max-age=3600 ',
      metadata: 'Project: apollo\nreviewed-by:  qa team \n',
      tags: 'team=data\nretention days = 30\nflag',
    });
    expect(parsed).toEqual({
      problem: null,
      properties: {
        contentType: 'text/markdown',
        cacheControl: 'public, max-age=3600',
        metadata: { project: 'apollo', 'reviewed-by': 'qa team' },
        tags: { team: 'data', 'retention days': '30', flag: '' },
      },
    });
    expect(settingsSummary(parsed.properties)).toBe('text/markdown · Cache-Control · 2 metadata · 3 tags');
  });

  it('sends metadata in other letters as RFC 2047 words, as S3 takes and answers them; refuses a tab', () => {
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: 'author: José\nplace: 東京' })).toEqual({
      problem: null,
      properties: { metadata: { author: '=?UTF-8?B?Sm9zw6k=?=', place: '=?UTF-8?B?5p2x5Lqs?=' } },
    });
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: 'note: a\tb' }).problem).toBe(
      'Metadata "note" must be one line of text, with no tabs or control characters.',
    );
    // S3's 2 KB is counted as sent: 600 "é" are 1,200 bytes of UTF-8, about 1,950 encoded; 700 are over.
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: `n: ${'é'.repeat(600)}` }).problem).toBeNull();
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: `n: ${'é'.repeat(700)}` }).problem).toMatch(
      /^Metadata is \d+ bytes; S3 keeps at most 2048\.$/,
    );
  });

  it('sets a storage class other than STANDARD, which is the store’s default and so is sent as none', () => {
    const ia = parseSettings({ ...EMPTY_SETTINGS, storageClass: 'STANDARD_IA' });
    expect(ia).toEqual({ problem: null, properties: { storageClass: 'STANDARD_IA' } });
    expect(settingsSummary(ia.properties)).toBe('Standard-IA');
    expect(parseSettings({ ...EMPTY_SETTINGS, storageClass: 'STANDARD' })).toEqual({
      properties: undefined,
      problem: null,
    });
  });

  it('sets Content-Disposition, -Encoding and -Language as typed (trimmed), as `aws s3 cp --content-disposition` does', () => {
    const parsed = parseSettings({
      ...EMPTY_SETTINGS,
      contentDisposition: ' attachment; filename="report.pdf" ',
      contentEncoding: 'gzip',
      contentLanguage: 'en-GB',
    });
    expect(parsed).toEqual({
      problem: null,
      properties: {
        contentDisposition: 'attachment; filename="report.pdf"',
        contentEncoding: 'gzip',
        contentLanguage: 'en-GB',
      },
    });
    expect(settingsSummary(parsed.properties)).toBe(
      'Content-Disposition · Content-Encoding · Content-Language',
    );
    expect(
      parseSettings({ ...EMPTY_SETTINGS, contentDisposition: 'attachment; filename="naïve.txt"' }),
    ).toEqual({
      properties: undefined,
      problem: expect.stringMatching(
        /^Content-Disposition must be printable ASCII of up to 1,024 characters/,
      ),
    });
    expect(parseSettings({ ...EMPTY_SETTINGS, contentLanguage: 'x'.repeat(257) }).problem).toMatch(
      /^Content-Language must be printable ASCII of up to 256/,
    );
  });

  it('says what to fix: a line without a name, a name twice, or what S3 would refuse', () => {
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: 'just a value' }).problem).toBe(
      'Metadata, line 1: write it as "name: value".',
    );
    expect(parseSettings({ ...EMPTY_SETTINGS, tags: 'a=1\n=2' }).problem).toBe(
      'Tags, line 2: write it as "key=value".',
    );
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: 'a: 1\nA: 2' }).problem).toBe(
      'Metadata: "A" is given twice.',
    );
    expect(parseSettings({ ...EMPTY_SETTINGS, contentType: 'markdown' }).problem).toMatch(
      /not a content type/,
    );
    expect(parseSettings({ ...EMPTY_SETTINGS, tags: 'a=x&y' }).problem).toMatch(/Tag "a"/);
    expect(parseSettings({ ...EMPTY_SETTINGS, tags: 'a=x&y' }).properties).toBeUndefined();
  });

  it('refuses a metadata name with "_" where the store would turn it into "-" (Ceph RGW), and only there', () => {
    const form = { ...EMPTY_SETTINGS, metadata: 'Reviewed_By: qa' };
    expect(parseSettings(form, 'dashed')).toEqual({
      properties: undefined,
      problem:
        'Metadata name "reviewed_by": this store turns "_" into "-" in metadata names (it would keep "reviewed-by"); use "-".',
    });
    expect(parseSettings(form, 'kept').properties?.metadata).toEqual({ reviewed_by: 'qa' });
    expect(parseSettings(form).problem).toBeNull();
    expect(parseSettings({ ...EMPTY_SETTINGS, metadata: 'reviewed-by: qa' }, 'dashed').problem).toBeNull();
  });
});

describe('invalidFields', () => {
  it('names each field with a problem of its own, and none of the good or empty ones', () => {
    const form = {
      ...EMPTY_SETTINGS,
      contentType: 'bad type',
      cacheControl: 'max-age=60',
      metadata: 'név: x',
    };
    expect([...invalidFields(form)].sort()).toEqual(['contentType', 'metadata']);
    expect(invalidFields(EMPTY_SETTINGS).size).toBe(0);
    const tags = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join('\n');
    expect([...invalidFields({ ...EMPTY_SETTINGS, tags })]).toEqual(['tags']);
  });

  it('says what is wrong with each of two fields, not only the first', () => {
    const form = { ...EMPTY_SETTINGS, metadata: 'bad name: x', tags: 'k=v\nk=w' };
    expect([...invalidFields(form)]).toEqual(['metadata', 'tags']);
    const { problem } = parseSettings(form);
    expect(problem).toContain('Metadata name "bad name" must be ASCII letters');
    expect(problem).toContain('Tags: "k" is given twice.');
    expect(problem!.indexOf('Metadata')).toBeLessThan(problem!.indexOf('Tags'));
    // One field wrong: its problem alone, as before.
    expect(parseSettings({ ...form, metadata: '' }).problem).toBe('Tags: "k" is given twice.');
  });
});
