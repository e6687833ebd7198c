import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { withRecordingS3 } from './testing/recording-s3.ts';
import { utf8HeaderBytes, withUtf8Headers } from './utf8-headers.ts';

describe('utf8HeaderBytes', () => {
  it('gives text outside ASCII as its UTF-8 bytes, one Latin-1 character each; ASCII as it is', () => {
    expect(utf8HeaderBytes('max-age=60')).toBe('max-age=60');
    expect(Buffer.from(utf8HeaderBytes('résumé'), 'latin1')).toEqual(Buffer.from('résumé', 'utf8'));
    expect(Buffer.from(utf8HeaderBytes('東京 😀'), 'latin1')).toEqual(Buffer.from('東京 😀', 'utf8'));
  });
});

it('sends a header value outside ASCII as its UTF-8 bytes, still signed', async () => {
  const disposition = 'attachment; filename="東京 résumé.pdf"';
  await withRecordingS3(
    '<?xml version="1.0"?><CopyObjectResult><ETag>"e"</ETag></CopyObjectResult>',
    async (client, seen) => {
      await client.send(
        withUtf8Headers(
          new CopyObjectCommand({
            Bucket: 'b',
            Key: 'k',
            CopySource: 'b/k',
            MetadataDirective: 'REPLACE',
            ContentDisposition: disposition,
          }),
        ),
      );
      const [{ rawHeaders, headers }] = seen as [(typeof seen)[0]];
      const at = rawHeaders.findIndex((name) => name.toLowerCase() === 'content-disposition');
      expect(Buffer.from(rawHeaders[at + 1] ?? '', 'latin1')).toEqual(Buffer.from(disposition, 'utf8'));
      expect(headers.authorization).toMatch(/SignedHeaders=[^,]*content-disposition/);
    },
  );
});
