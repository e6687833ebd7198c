import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { multipartEtag } from './multipart-etag.ts';
import { compositeCrc32, isObjectOfParts } from './same-upload.ts';

const b64crc = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out.toString('base64');
};
const datas = [randomBytes(1000), randomBytes(2000), randomBytes(10)];
const parts = datas.map((d, i) => ({
  partNumber: i + 1,
  etag: `"${createHash('md5').update(d).digest('hex')}"`,
  checksum: b64crc(d),
}));
const composite = compositeCrc32(parts)!;

describe('compositeCrc32', () => {
  it("is the CRC32 of the parts' CRC32s, as S3 computes it", () => {
    expect(composite).toBe(b64crc(Buffer.concat(parts.map((p) => Buffer.from(p.checksum, 'base64')))));
  });
  it('is null when a part has no CRC32', () => {
    expect(compositeCrc32([parts[0]!, { partNumber: 2, etag: parts[1]!.etag }])).toBeNull();
    expect(compositeCrc32([])).toBeNull();
  });
});

describe('isObjectOfParts', () => {
  const shuffled = [parts[2]!, parts[0]!, parts[1]!];

  it('recognises the object by its composite CRC32, whatever its ETag (SSE-KMS ETags are no MD5s)', () => {
    const kmsEtag = '"a1b2c3d4e5f60718293a4b5c6d7e8f90-3"';
    expect(
      isObjectOfParts(
        { etag: kmsEtag, checksum: { algorithm: 'CRC32', value: `${composite}-3`, composite: true } },
        shuffled,
      ),
    ).toBe(true);
  });

  it("refuses another writer's object: another composite, or another part count", () => {
    const etag = multipartEtag(parts.map((p) => p.etag));
    const other = { algorithm: 'CRC32' as const, value: `${b64crc(Buffer.from('x'))}-3`, composite: true };
    expect(isObjectOfParts({ etag, checksum: other }, parts)).toBe(false);
    const fewer = { algorithm: 'CRC32' as const, value: `${composite}-2`, composite: true };
    expect(isObjectOfParts({ etag, checksum: fewer }, parts)).toBe(false);
  });

  it('falls back to the multipart ETag without checksums (stores that only check Content-MD5)', () => {
    const bare = parts.map(({ partNumber, etag }) => ({ partNumber, etag }));
    expect(isObjectOfParts({ etag: multipartEtag(bare.map((p) => p.etag)) }, bare)).toBe(true);
    expect(isObjectOfParts({ etag: multipartEtag([bare[0]!.etag]) }, bare)).toBe(false);
    expect(isObjectOfParts({ etag: `"${'0'.repeat(32)}"` }, bare)).toBe(false); // a single PUT's ETag
  });

  it('cannot tell from opaque part ETags without checksums, and then trusts the size check', () => {
    const opaque = [{ partNumber: 1, etag: '"not-an-md5"' }];
    expect(isObjectOfParts({ etag: '"whatever-1"' }, opaque)).toBe(true);
    // Asked before writing over what is there (the upload is still listed): only a sure yes counts.
    expect(isObjectOfParts({ etag: '"whatever-1"' }, opaque, { surely: true })).toBe(false);
    const md5 = [{ partNumber: 1, etag: '"0cc175b9c0f1b6a831c399e269772661"' }];
    expect(isObjectOfParts({ etag: multipartEtag(md5.map((p) => p.etag)) }, md5, { surely: true })).toBe(
      true,
    );
  });
});
