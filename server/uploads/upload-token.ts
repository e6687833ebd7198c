import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChecksumAlgorithm, ObjectProperties } from '../shared/api-types.ts';

/** What a token binds: the client can present it but not change any of it. */
export interface UploadClaims {
  key: string;
  /** null for a single-PUT upload. */
  uploadId: string | null;
  size: number;
  partSize: number;
  checksumAlgorithm: ChecksumAlgorithm;
  contentType: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Set on the object besides its type (a single PUT signs them again with each URL). */
  properties?: Omit<ObjectProperties, 'contentType'>;
}

export type TokenProblem = 'malformed' | 'bad-signature' | 'expired';

export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    readonly problem: TokenProblem,
    message: string,
    /** For 'expired' only: the claims of the genuine (signature checked) but expired token. */
    readonly expiredClaims?: UploadClaims,
  ) {
    super(message);
  }
}

const VERSION = 1;

/**
 * The longest token the routes take. A token carries the key (1,024 bytes), the upload id and the
 * properties asked for (2 KB of metadata, 10 tags of 128 + 256 characters, up to 3 bytes each in
 * UTF-8), base64url'd: about 22 KB at most. A limit below that failed uploads with big tags after their
 * create, with parts left in the store that Cancel could not remove.
 */
export const MAX_TOKEN_CHARS = 64 * 1024;

/** `base64url(json).base64url(hmac-sha256)`: stateless, so any server instance can verify it. */
export function signUploadToken(claims: UploadClaims, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify([
      VERSION,
      claims.key,
      claims.uploadId,
      claims.size,
      claims.partSize,
      claims.checksumAlgorithm,
      claims.contentType,
      claims.expiresAt,
      // Only when set: tokens without are as short as before (and tokens from before still parse).
      ...(claims.properties ? [claims.properties] : []),
    ]),
  ).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyUploadToken(token: string, secret: string, now = Date.now()): UploadClaims {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.'))
    throw new TokenError('malformed', 'The upload token is malformed.');
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(mac(payload, secret), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TokenError(
      'bad-signature',
      'The upload token was not issued by this server or was altered. (Several Hoist servers behind one address must share HOIST_SECRET.)',
    );
  }
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('malformed', 'The upload token is malformed.');
  }
  if (!Array.isArray(parts) || parts[0] !== VERSION || (parts.length !== 8 && parts.length !== 9)) {
    throw new TokenError('malformed', 'The upload token is malformed.');
  }
  const [, key, uploadId, size, partSize, checksumAlgorithm, contentType, expiresAt, properties] = parts as [
    number,
    string,
    string | null,
    number,
    number,
    ChecksumAlgorithm,
    string,
    number,
    UploadClaims['properties'],
  ];
  const claims: UploadClaims = {
    key,
    uploadId,
    size,
    partSize,
    checksumAlgorithm,
    contentType,
    expiresAt,
    ...(properties && { properties }),
  };
  if (expiresAt <= now) {
    throw new TokenError('expired', 'This upload has expired; start it again.', claims);
  }
  return claims;
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(`hoist-upload-token\n${payload}`).digest('base64url');
}
