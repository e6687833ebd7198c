import { createHash } from 'node:crypto';
import { DeleteObjectsCommand } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';
import { withContentMd5 } from './content-md5.ts';
import { withRecordingS3 } from './testing/recording-s3.ts';

it('sends DeleteObjects with the Content-MD5 of its body and no CRC32, signed (MinIO before 2025 needs it)', async () => {
  await withRecordingS3(
    '<?xml version="1.0"?><DeleteResult><Deleted><Key>a.txt</Key></Deleted></DeleteResult>',
    async (client, seen) => {
      const command = new DeleteObjectsCommand({ Bucket: 'b', Delete: { Objects: [{ Key: 'a.txt' }] } });
      const answer = await client.send(withContentMd5(command));
      expect(answer.Deleted).toEqual([{ Key: 'a.txt' }]);
      const [{ headers, body }] = seen as [(typeof seen)[0]];
      expect(body).toContain('<Key>a.txt</Key>');
      expect(headers['content-md5']).toBe(createHash('md5').update(body).digest('base64'));
      expect(Object.keys(headers).filter((h) => h.includes('checksum'))).toEqual([]);
      expect(headers.authorization).toMatch(/SignedHeaders=[^,]*content-md5/);
    },
  );
});
