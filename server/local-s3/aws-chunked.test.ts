import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, type ChunkSigning } from './aws-chunked.ts';
import { credentialScope, signingKey } from './sigv4.ts';

async function decode(parts: (string | Buffer)[], signing?: ChunkSigning) {
  const decoder = new AwsChunkedDecoder(signing);
  const chunks: Buffer[] = [];
  decoder.on('data', (c: Buffer) => chunks.push(c));
  await pipeline(Readable.from(parts.map((p) => Buffer.from(p))), decoder);
  return { body: Buffer.concat(chunks), trailers: Object.fromEntries(decoder.trailers) };
}

describe('AwsChunkedDecoder', () => {
  it('decodes unsigned chunks with a checksum trailer, split at awkward boundaries', async () => {
    const wire = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
    for (const step of [1, 2, 3, 7, wire.length]) {
      const parts: string[] = [];
      for (let i = 0; i < wire.length; i += step) parts.push(wire.slice(i, i + step));
      const { body, trailers } = await decode(parts);
      expect(body.toString()).toBe('hello world');
      expect(trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
    }
  });

  it('accepts a trailer without the final empty line', async () => {
    const { trailers } = await decode(['3\r\nabc\r\n0\r\nx-amz-checksum-crc32:NSRBwg==\r\n']);
    expect(trailers['x-amz-checksum-crc32']).toBe('NSRBwg==');
  });

  it('verifies the chunk signatures of the S3 reference example', async () => {
    const signing: ChunkSigning = {
      key: signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1'),
      amzDate: '20130524T000000Z',
      scope: credentialScope('20130524', 'us-east-1'),
      seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
    };
    const wire = [
      '10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n',
      Buffer.alloc(65536, 'a'),
      '\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n',
      Buffer.alloc(1024, 'a'),
      '\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n',
    ];
    const { body } = await decode(wire, signing);
    expect(body.length).toBe(66560);
    const tampered = [...wire];
    tampered[1] = Buffer.alloc(65536, 'b');
    await expect(decode(tampered, signing)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('rejects a truncated or malformed body', async () => {
    await expect(decode(['5\r\nhel'])).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(['zz\r\n'])).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(['3\r\nabcX'])).rejects.toMatchObject({ code: 'IncompleteBody' });
  });

  it('streams without holding the body', async () => {
    const decoder = new AwsChunkedDecoder();
    const out = buffer(decoder);
    decoder.end(Buffer.from('0\r\n\r\n'));
    expect((await out).length).toBe(0);
  });
});
