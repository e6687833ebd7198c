import type { Readable } from 'node:stream';
import { AwsChunkedDecoder } from './aws-chunked.ts';
import { idleLimited } from './body-idle.ts';
import {
  algorithmFromHeaderName,
  CHECKSUM_ALGORITHMS,
  checksumHeaderName,
  isWellFormedChecksum,
  parseChecksumAlgorithm,
  type Checksum,
  type ChecksumAlgorithm,
} from './checksum.ts';
import { S3Error } from './errors.ts';
import type { ReceivedBody } from './receive-body.ts';
import { header, type S3Request } from './s3-request.ts';

/**
 * How to read and check a request body: plain or aws-chunked (signed or not, with trailers), which digests to
 * compute, and what the client promised (x-amz-content-sha256, Content-MD5, x-amz-checksum-* in headers,
 * presigned query or trailer).
 */
export interface BodyPlan {
  stream: Readable;
  decoder?: AwsChunkedDecoder;
  declaredSize: number | undefined;
  sha256Hex?: string;
  contentMd5?: string;
  /** checksum given up front (header or presigned query) */
  given?: Checksum;
  /** algorithm whose value arrives in the trailer */
  trailer?: ChecksumAlgorithm;
  algorithms: ChecksumAlgorithm[];
}

export interface PlanOptions {
  /**
   * The request's x-amz-checksum-* headers (and presigned query) describe something else than the body, so they
   * are no promise about it: CompleteMultipartUpload's are the completed object's checksum.
   */
  checksumHeadersDescribeObject?: boolean;
}

export function planBody(
  request: S3Request,
  extraAlgorithm?: ChecksumAlgorithm,
  options: PlanOptions = {},
): BodyPlan {
  const auth = request.auth!;
  const payload = auth.payloadHash;
  const algorithms = new Set<ChecksumAlgorithm>();
  if (extraAlgorithm) algorithms.add(extraAlgorithm);

  let stream: Readable = request.req;
  let decoder: AwsChunkedDecoder | undefined;
  let declaredSize: number | undefined;
  const contentLength = header(request, 'content-length');
  if (payload.startsWith('STREAMING-')) {
    if (
      payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ||
      payload === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
    ) {
      decoder = new AwsChunkedDecoder({
        key: auth.signingKey,
        amzDate: auth.amzDate,
        scope: auth.scope,
        seedSignature: auth.signature,
      });
    } else if (payload === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
      decoder = new AwsChunkedDecoder();
    } else {
      throw new S3Error('NotImplemented', `x-amz-content-sha256 ${payload} is not supported`);
    }
    const decoded = header(request, 'x-amz-decoded-content-length');
    if (decoded === undefined)
      throw new S3Error('MissingContentLength', 'You must provide the x-amz-decoded-content-length header.');
    declaredSize = parseLength(decoded);
    stream = request.req.pipe(decoder);
    request.req.on('error', (e) => decoder?.destroy(e));
  } else if (contentLength !== undefined) {
    declaredSize = parseLength(contentLength);
  } else if (header(request, 'transfer-encoding') === undefined) {
    declaredSize = 0;
  } else {
    // A body of unknown length (`curl -T -`, a stream): S3 and Ceph RGW refuse it, so a script that
    // works against this store works against them.
    throw new S3Error('MissingContentLength');
  }

  const sha256Hex = /^[0-9a-f]{64}$/.test(payload) ? payload : undefined;

  const contentMd5 = header(request, 'content-md5');
  if (contentMd5 !== undefined && Buffer.from(contentMd5, 'base64').length !== 16)
    throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');

  let given: Checksum | undefined;
  const presignedChecksums = new Map(
    request.query.filter(([k]) => /^x-amz-checksum-/i.test(k)).map(([k, v]) => [k.toLowerCase(), v] as const),
  );
  for (const algorithm of options.checksumHeadersDescribeObject ? [] : CHECKSUM_ALGORITHMS) {
    const name = checksumHeaderName(algorithm);
    const value = header(request, name) ?? presignedChecksums.get(name);
    if (value === undefined) continue;
    if (given)
      throw new S3Error(
        'InvalidRequest',
        'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.',
      );
    if (!isWellFormedChecksum(algorithm, value))
      throw new S3Error('InvalidRequest', `Value for ${name} header is invalid.`);
    given = { algorithm, value };
    algorithms.add(algorithm);
  }

  const trailerHeader = header(request, 'x-amz-trailer');
  let trailer: ChecksumAlgorithm | undefined;
  if (trailerHeader !== undefined) {
    trailer = algorithmFromHeaderName(trailerHeader.trim());
    if (!trailer)
      throw new S3Error('InvalidRequest', `The value specified in the x-amz-trailer header is not supported`);
    if (!decoder) throw new S3Error('InvalidRequest', 'x-amz-trailer requires an aws-chunked body');
    algorithms.add(trailer);
  }
  if (!options.checksumHeadersDescribeObject) checkSdkAlgorithm(request, given?.algorithm ?? trailer);

  return {
    stream,
    ...(decoder ? { decoder } : {}),
    declaredSize,
    ...(sha256Hex ? { sha256Hex } : {}),
    ...(contentMd5 !== undefined ? { contentMd5 } : {}),
    ...(given ? { given } : {}),
    ...(trailer ? { trailer } : {}),
    algorithms: [...algorithms],
  };
}

/**
 * x-amz-sdk-checksum-algorithm (a header, or hoisted into a presigned URL's query) names the checksum the
 * client sends: S3 refuses it alone ("specified, but no corresponding …") and one naming another
 * algorithm than the x-amz-checksum-* header or trailer, or none S3 knows ("… header is invalid."), so a
 * client that works here works there.
 */
function checkSdkAlgorithm(request: S3Request, sent: ChecksumAlgorithm | undefined): void {
  const value =
    header(request, 'x-amz-sdk-checksum-algorithm') ??
    request.query.find(([k]) => k.toLowerCase() === 'x-amz-sdk-checksum-algorithm')?.[1];
  if (value === undefined) return;
  const named = parseChecksumAlgorithm(value.trim());
  if (named !== undefined && sent === undefined)
    throw new S3Error(
      'InvalidRequest',
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  if (named === undefined || named !== sent)
    throw new S3Error('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
}

function parseLength(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new S3Error('InvalidArgument', 'Invalid content length');
  return Number(text);
}

/** Checks what arrived against what was promised; returns the checksum to store, if any. */
export function verifyBody(
  plan: BodyPlan,
  body: Omit<ReceivedBody, 'synced'>,
  preferred?: ChecksumAlgorithm,
): Checksum | undefined {
  if (plan.declaredSize !== undefined && body.size !== plan.declaredSize)
    throw new S3Error(
      'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  if (plan.sha256Hex !== undefined && body.sha256Hex !== plan.sha256Hex)
    throw new S3Error('XAmzContentSHA256Mismatch', undefined, {
      ClientComputedContentSHA256: plan.sha256Hex,
      S3ComputedContentSHA256: body.sha256Hex ?? '',
    });
  if (plan.contentMd5 !== undefined && Buffer.from(plan.contentMd5, 'base64').toString('hex') !== body.md5Hex)
    throw new S3Error('BadDigest', undefined, {
      ExpectedDigest: Buffer.from(plan.contentMd5, 'base64').toString('hex'),
      CalculatedDigest: body.md5Hex,
    });
  let claimed = plan.given;
  if (plan.trailer) {
    const name = checksumHeaderName(plan.trailer);
    const value = plan.decoder?.trailers.get(name);
    if (value === undefined) throw new S3Error('InvalidRequest', `The trailing header ${name} is missing.`);
    if (!isWellFormedChecksum(plan.trailer, value))
      throw new S3Error('InvalidRequest', `Value for ${name} trailing header is invalid.`);
    claimed = { algorithm: plan.trailer, value };
  }
  if (claimed && body.checksums.get(claimed.algorithm) !== claimed.value)
    throw new S3Error(
      'BadDigest',
      `The ${claimed.algorithm} you specified did not match the calculated checksum.`,
    );
  if (claimed) return claimed;
  const algorithm = preferred ?? plan.algorithms[0];
  const value = algorithm ? body.checksums.get(algorithm) : undefined;
  return algorithm && value ? { algorithm, value } : undefined;
}

/** Reads a small body (XML documents) into memory, with the same checks. */
export async function readSmallBody(
  request: S3Request,
  limit: number,
  options: PlanOptions = {},
): Promise<Buffer> {
  const { createHash } = await import('node:crypto');
  const { createHasher } = await import('./checksum.ts');
  const plan = planBody(request, undefined, options);
  if (plan.declaredSize !== undefined && plan.declaredSize > limit)
    throw new S3Error('MalformedXML', 'The XML you provided was too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of idleLimited(plan.stream)) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new S3Error('MalformedXML', 'The XML you provided was too large');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  const checksums = new Map<ChecksumAlgorithm, string>();
  if (plan.algorithms.includes('CRC64NVME')) await (await import('./crc64nvme.ts')).loadCrc64Nvme();
  for (const a of plan.algorithms) {
    const h = createHasher(a);
    h.update(body);
    checksums.set(a, h.digest());
  }
  verifyBody(plan, {
    size,
    md5Hex: createHash('md5').update(body).digest('hex'),
    sha256Hex: createHash('sha256').update(body).digest('hex'),
    checksums,
  });
  return body;
}
