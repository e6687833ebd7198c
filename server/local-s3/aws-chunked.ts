import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { safeEqual } from './auth.ts';
import { S3Error } from './errors.ts';
import { chunkStringToSign, signature, trailerStringToSign } from './sigv4.ts';

/**
 * Decoder for `Content-Encoding: aws-chunked` bodies:
 *   hex-size[;chunk-signature=sig]\r\n <data> \r\n … 0[;chunk-signature=sig]\r\n [trailer-name:value\r\n …] \r\n
 * Verifies chunk signatures when given the signing context; collects trailing headers.
 */

export interface ChunkSigning {
  key: Uint8Array;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

const MAX_LINE = 4096;

type State = 'header' | 'data' | 'data-crlf' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  readonly trailers = new Map<string, string>();
  #state: State = 'header';
  #line = '';
  #remaining = 0;
  #crlfSeen = 0;
  #chunkSignature: string | undefined;
  #chunkHash: Hash | undefined;
  #previousSignature: string;
  readonly #signing: ChunkSigning | undefined;
  #trailerText = '';

  constructor(signing?: ChunkSigning) {
    super();
    this.#signing = signing;
    this.#previousSignature = signing?.seedSignature ?? '';
  }

  get complete(): boolean {
    return this.#state === 'done';
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#state === 'trailer' && this.#line !== '') this.#trailerLine(this.#line);
    if (this.#state === 'trailer') this.#finishTrailer();
    if (this.#state !== 'done') {
      callback(new S3Error('IncompleteBody', 'The request body terminated unexpectedly'));
      return;
    }
    callback();
  }

  #consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.#state) {
        case 'header':
        case 'trailer': {
          const nl = buf.indexOf(0x0a, i);
          const end = nl === -1 ? buf.length : nl + 1;
          this.#line += buf.toString('latin1', i, end);
          i = end;
          if (this.#line.length > MAX_LINE) throw malformed('chunk header too long');
          if (nl === -1) break;
          const line = this.#line.replace(/\r?\n$/, '');
          this.#line = '';
          if (this.#state === 'header') this.#headerLine(line);
          else this.#trailerLine(line);
          break;
        }
        case 'data': {
          const take = Math.min(this.#remaining, buf.length - i);
          const piece = buf.subarray(i, i + take);
          this.#chunkHash?.update(piece);
          this.push(piece);
          this.#remaining -= take;
          i += take;
          if (this.#remaining === 0) {
            this.#endChunk();
            this.#state = 'data-crlf';
            this.#crlfSeen = 0;
          }
          break;
        }
        case 'data-crlf': {
          const expected = this.#crlfSeen === 0 ? 0x0d : 0x0a;
          if (buf[i] !== expected) throw malformed('chunk data not followed by CRLF');
          i++;
          if (++this.#crlfSeen === 2) this.#state = 'header';
          break;
        }
        case 'done':
          // Anything after the final CRLF is ignored, as S3 does.
          return;
      }
    }
  }

  #headerLine(line: string): void {
    if (line === '') return;
    const [sizeText = '', ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`bad chunk size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    this.#chunkSignature = extensions
      .map((e) => /^chunk-signature=([0-9a-f]{64})$/.exec(e.trim())?.[1])
      .find((s) => s !== undefined);
    if (this.#signing && this.#chunkSignature === undefined) throw signatureMismatch();
    this.#chunkHash = this.#signing ? createHash('sha256') : undefined;
    if (size === 0) {
      this.#endChunk();
      this.#state = 'trailer';
    } else {
      this.#remaining = size;
      this.#state = 'data';
    }
  }

  #endChunk(): void {
    if (!this.#signing || !this.#chunkHash) return;
    const { key, amzDate, scope } = this.#signing;
    const expected = signature(
      key,
      chunkStringToSign(amzDate, scope, this.#previousSignature, this.#chunkHash.digest('hex')),
    );
    if (!safeEqual(expected, this.#chunkSignature ?? '')) throw signatureMismatch();
    this.#previousSignature = expected;
  }

  #trailerLine(line: string): void {
    if (line === '') {
      this.#finishTrailer();
      return;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed('bad trailer line');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name !== 'x-amz-trailer-signature') this.#trailerText += `${name}:${value}\n`;
    this.trailers.set(name, value);
  }

  #finishTrailer(): void {
    const trailerSignature = this.trailers.get('x-amz-trailer-signature');
    if (this.#signing && trailerSignature !== undefined) {
      const { key, amzDate, scope } = this.#signing;
      const expected = signature(
        key,
        trailerStringToSign(amzDate, scope, this.#previousSignature, this.#trailerText),
      );
      if (!safeEqual(expected, trailerSignature)) throw signatureMismatch();
    }
    this.#state = 'done';
  }
}

function malformed(detail: string): S3Error {
  return new S3Error('IncompleteBody', `Malformed aws-chunked body: ${detail}`);
}

function signatureMismatch(): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    'The chunk signature we calculated does not match the signature you provided.',
  );
}
