import { timingSafeEqual } from 'node:crypto';
import { S3Error } from './errors.ts';
import { MAX_CLOCK_SKEW_MS, MAX_PRESIGN_EXPIRES_SECONDS } from '../shared/s3-limits.ts';
import {
  ALGORITHM,
  canonicalRequest,
  credentialScope,
  parseAmzDate,
  signature,
  signingKey,
  stringToSign,
} from './sigv4.ts';
import { canonicalizedResource, signatureV2, signedPaths, stringToSignV2 } from './sigv2.ts';
import { unknownAccessKey } from './retired-key.ts';

/**
 * Verifies SigV4 (Authorization header or presigned query) or a SigV2 presigned query for one request.
 * Pure: the clock is an input.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface AuthRequest {
  method: string;
  /** decoded path */
  path: string;
  /** the path as sent, still percent-encoded (SigV2 signs it so) */
  rawPath: string;
  /** decoded query parameters in order */
  query: readonly (readonly [string, string])[];
  headers: ReadonlyMap<string, readonly string[]>;
}

export interface AuthResult {
  presigned: boolean;
  /** the value that stood for the payload in the canonical request */
  payloadHash: string;
  signingKey: Buffer;
  scope: string;
  amzDate: string;
  signature: string;
}

interface ParsedAuth {
  presigned: boolean;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
}

function header(req: AuthRequest, name: string): string | undefined {
  return req.headers.get(name)?.join(',');
}

function parseCredential(credential: string, malformed: (m: string) => S3Error) {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request')
    throw malformed(`Error parsing the X-Amz-Credential parameter`);
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function parseHeaderAuth(req: AuthRequest, authorization: string): ParsedAuth {
  const malformed = (m = 'The authorization header is malformed') =>
    new S3Error('AuthorizationHeaderMalformed', m);
  if (!authorization.startsWith(`${ALGORITHM} `)) {
    if (authorization.startsWith('AWS '))
      throw new S3Error(
        'InvalidRequest',
        'Signature Version 2 in the Authorization header is not supported; use AWS4-HMAC-SHA256 (SigV2 presigned URLs are accepted).',
      );
    throw malformed();
  }
  const fields = new Map<string, string>();
  for (const part of authorization.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signed = fields.get('SignedHeaders');
  const sig = fields.get('Signature');
  if (!credential || !signed || !sig) throw malformed();
  const amzDate = header(req, 'x-amz-date') ?? header(req, 'date') ?? '';
  return {
    presigned: false,
    ...parseCredential(credential, malformed),
    signedHeaders: signed.split(';'),
    signature: sig,
    amzDate,
  };
}

function parseQueryAuth(query: ReadonlyMap<string, string>): ParsedAuth & { expires: number } {
  const bad = (m: string) => new S3Error('AuthorizationQueryParametersError', m);
  if (query.get('X-Amz-Algorithm') !== ALGORITHM)
    throw bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const credential = query.get('X-Amz-Credential');
  const signed = query.get('X-Amz-SignedHeaders');
  const sig = query.get('X-Amz-Signature');
  const amzDate = query.get('X-Amz-Date');
  const expiresText = query.get('X-Amz-Expires');
  if (!credential || !signed || !sig || !amzDate || expiresText === undefined)
    throw bad(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText)) throw bad('X-Amz-Expires should be a number');
  if (expires > MAX_PRESIGN_EXPIRES_SECONDS)
    throw bad('X-Amz-Expires must be less than a week (in seconds) that is 604800');
  return {
    presigned: true,
    ...parseCredential(credential, bad),
    signedHeaders: signed.split(';'),
    signature: sig,
    amzDate,
    expires,
  };
}

export function hasAuthentication(req: AuthRequest): boolean {
  return (
    req.headers.has('authorization') ||
    req.query.some(([k]) => k === 'X-Amz-Signature' || k === 'Signature' || k === 'AWSAccessKeyId')
  );
}

/**
 * SigV2 query-string authentication (`?AWSAccessKeyId=&Expires=&Signature=`, what aws-cli v1 and boto3 presign
 * with `signature_version='s3'`). Content-MD5, Content-Type and x-amz-* are taken from the request headers, or
 * from the query where the presigner put them there (botocore does).
 */
function verifyQueryV2(req: AuthRequest, credentials: Credentials, now: Date): AuthResult {
  const q = new Map(req.query);
  const accessKeyId = q.get('AWSAccessKeyId');
  const provided = q.get('Signature');
  const expires = q.get('Expires');
  if (accessKeyId === undefined || provided === undefined || expires === undefined)
    throw new S3Error(
      'AccessDenied',
      'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters',
    );
  if (accessKeyId !== credentials.accessKeyId) throw unknownAccessKey(accessKeyId);
  if (!/^\d+$/.test(expires))
    throw new S3Error('AccessDenied', 'Invalid date (should be seconds since epoch)', { Expires: expires });
  if (Number(expires) * 1000 < now.getTime())
    throw new S3Error('AccessDenied', 'Request has expired', {
      Expires: new Date(Number(expires) * 1000).toISOString(),
      ServerTime: now.toISOString(),
    });
  const fromQuery = (name: string) => req.query.find(([k]) => k.toLowerCase() === name)?.[1];
  const signedHeaders = new Map(req.headers);
  for (const [name, value] of req.query) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-') && !signedHeaders.has(lower)) signedHeaders.set(lower, [value]);
  }
  const request = {
    method: req.method,
    contentMd5: header(req, 'content-md5') ?? fromQuery('content-md5') ?? '',
    contentType: header(req, 'content-type') ?? fromQuery('content-type') ?? '',
    expires,
    headers: signedHeaders,
  };
  const signed = signedPaths(req.rawPath).map((path) => {
    const toSign = stringToSignV2({ ...request, resource: canonicalizedResource(path, req.query) });
    return { toSign, signature: signatureV2(credentials.secretAccessKey, toSign) };
  });
  const expected = signed.find((s) => safeEqual(s.signature, provided))?.signature;
  if (expected === undefined)
    throw new S3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: accessKeyId,
      StringToSign: signed[0]!.toSign,
      SignatureProvided: provided,
    });
  return {
    presigned: true,
    payloadHash: 'UNSIGNED-PAYLOAD',
    signingKey: Buffer.alloc(0),
    scope: '',
    amzDate: '',
    signature: expected,
  };
}

export function verifyRequest(
  req: AuthRequest,
  credentials: Credentials,
  region: string,
  now: Date,
): AuthResult {
  const authorization = header(req, 'authorization');
  const queryMap = new Map(req.query);
  let parsed: ParsedAuth;
  let expires: number | undefined;
  if (authorization !== undefined) {
    parsed = parseHeaderAuth(req, authorization);
  } else if (queryMap.has('AWSAccessKeyId') || queryMap.has('Signature')) {
    return verifyQueryV2(req, credentials, now);
  } else if (queryMap.has('X-Amz-Signature') || queryMap.has('X-Amz-Algorithm')) {
    const q = parseQueryAuth(queryMap);
    parsed = q;
    expires = q.expires;
  } else {
    throw new S3Error('AccessDenied');
  }

  if (parsed.accessKeyId !== credentials.accessKeyId) throw unknownAccessKey(parsed.accessKeyId);
  const malformedCode = parsed.presigned
    ? 'AuthorizationQueryParametersError'
    : 'AuthorizationHeaderMalformed';
  if (parsed.region !== region)
    throw new S3Error(
      malformedCode,
      `The authorization header is malformed; the region '${parsed.region}' is wrong; expecting '${region}'`,
      { Region: region },
    );
  if (parsed.service !== 's3')
    throw new S3Error(
      malformedCode,
      `The credential scope service '${parsed.service}' is wrong; expecting 's3'`,
    );

  const requestTime =
    parseAmzDate(parsed.amzDate) ?? (parsed.presigned ? undefined : parseHttpDate(parsed.amzDate));
  if (!requestTime)
    throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (parsed.presigned) {
    if (requestTime.getTime() + (expires ?? 0) * 1000 < now.getTime())
      throw new S3Error('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(expires),
        Expires: new Date(requestTime.getTime() + (expires ?? 0) * 1000).toISOString(),
        ServerTime: now.toISOString(),
      });
    if (requestTime.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS)
      throw new S3Error('AccessDenied', 'Request is not valid yet');
  } else if (Math.abs(requestTime.getTime() - now.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', undefined, {
      RequestTime: parsed.amzDate,
      ServerTime: now.toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
    });
  }
  if (!parsed.signedHeaders.includes('host'))
    throw new S3Error(malformedCode, 'Host must be one of the signed headers');

  if (parsed.presigned) {
    const unsigned = [...req.headers.keys()].filter(
      (name) => name.startsWith('x-amz-') && !parsed.signedHeaders.includes(name),
    );
    if (unsigned.length > 0)
      throw new S3Error('AccessDenied', 'There were headers present in the request which were not signed', {
        HeadersNotSigned: unsigned.join(', '),
      });
  }

  const contentSha = header(req, 'x-amz-content-sha256');
  let payloadHash: string;
  if (parsed.presigned) {
    payloadHash =
      contentSha !== undefined && parsed.signedHeaders.includes('x-amz-content-sha256')
        ? contentSha
        : 'UNSIGNED-PAYLOAD';
  } else {
    if (contentSha === undefined)
      throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
    if (
      !/^[0-9a-f]{64}$/.test(contentSha) &&
      !contentSha.startsWith('STREAMING-') &&
      contentSha !== 'UNSIGNED-PAYLOAD'
    )
      throw new S3Error(
        'InvalidArgument',
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-…, or a valid sha256 value.',
        {
          ArgumentName: 'x-amz-content-sha256',
          ArgumentValue: contentSha,
        },
      );
    payloadHash = contentSha;
  }

  const creq = canonicalRequest({
    method: req.method,
    path: req.path,
    query: parsed.presigned ? req.query.filter(([k]) => k !== 'X-Amz-Signature') : req.query,
    headers: req.headers,
    signedHeaders: parsed.signedHeaders,
    payloadHash,
  });
  const scope = credentialScope(parsed.date, parsed.region, parsed.service);
  const key = signingKey(credentials.secretAccessKey, parsed.date, parsed.region, parsed.service);
  const toSign = stringToSign(parsed.amzDate, scope, creq);
  const expected = signature(key, toSign);
  if (!safeEqual(expected, parsed.signature))
    throw new S3Error('SignatureDoesNotMatch', undefined, {
      AWSAccessKeyId: parsed.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: parsed.signature,
      CanonicalRequest: creq,
    });
  return {
    presigned: parsed.presigned,
    payloadHash,
    signingKey: key,
    scope,
    amzDate: parsed.amzDate,
    signature: expected,
  };
}

function parseHttpDate(value: string): Date | undefined {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
