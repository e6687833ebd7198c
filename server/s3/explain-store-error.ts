/**
 * What an S3 error means for whoever runs the server, naming the setting to check. HEAD answers have
 * no body, so the SDK can only say "NotFound" / "Forbidden" / "UnknownError": the status decides then.
 * Pure: takes the error's name, HTTP status and message.
 */
export interface StoreErrorFacts {
  name: string;
  status?: number | undefined;
  message: string;
  /** A network error's code (ECONNREFUSED…), when the store gave no answer at all. */
  code?: string | undefined;
  /** The host name that did not resolve (ENOTFOUND). */
  host?: string | undefined;
}

export function explainStoreError(facts: StoreErrorFacts, bucket: string): string {
  const { name, status, message, code, host } = facts;
  const keys = 'check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY';
  switch (name) {
    case 'InvalidAccessKeyId':
      return `the store does not know this access key (InvalidAccessKeyId): check S3_ACCESS_KEY_ID.`;
    case 'SignatureDoesNotMatch':
      return `the secret key does not match the access key (SignatureDoesNotMatch): check S3_SECRET_ACCESS_KEY.`;
    case 'RequestTimeTooSkewed':
      return `this machine's clock is too far from the store's (RequestTimeTooSkewed): set the clock right.`;
    case 'NoSuchBucket':
      return `bucket "${bucket}" does not exist (NoSuchBucket): check S3_BUCKET, or create the bucket.`;
    case 'PermanentRedirect':
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
      return `bucket "${bucket}" is in another region (${name}): set S3_REGION to the bucket's region.`;
    // The SDK's default chain (S3_ACCESS_KEY_ID unset) found nothing, or a profile it was told to use.
    case 'CredentialsProviderError':
      return `no credentials for the store (${message}): set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or give the AWS SDK's default chain some (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE with ~/.aws/credentials, or an instance or container role).`;
    case 'NotS3Answer':
      return `the endpoint does not answer as an S3 API (${message}): check that S3_ENDPOINT is the store's S3 address and port (not its web console or another service).`;
    case 'ExpiredToken':
    case 'InvalidToken':
      return `the session token is no longer valid (${name}): renew the server's credentials.`;
  }
  if (status === 403)
    return `access denied (${deniedAs(facts)}): ${keys}, and that they may use bucket "${bucket}".`;
  if (status === 404)
    return `bucket "${bucket}" does not exist (HTTP 404): check S3_BUCKET, or create the bucket.`;
  if (status === 301)
    return `bucket "${bucket}" is in another region (HTTP 301): set S3_REGION to the bucket's region.`;
  if (code && tlsProblem(code) === 'not-https')
    return `the store does not speak https at this address (${code}): if it serves plain http, start S3_ENDPOINT with http://.`;
  if (code && tlsProblem(code) === 'certificate')
    return `the store's TLS certificate is not trusted here (${code}): check the host name in S3_ENDPOINT, or give Node the certificate authority (NODE_EXTRA_CA_CERTS=/path/to/ca.pem).`;
  // Path style off, the SDK puts the bucket in the host name, which a store on a plain name or a
  // DNS without a wildcard does not have.
  if (code === 'ENOTFOUND' && host?.startsWith(`${bucket}.`))
    return `the bucket's own address ${host} does not resolve (ENOTFOUND): set S3_FORCE_PATH_STYLE=true to send the bucket in the path, or give the store a wildcard DNS name (*.${host.slice(bucket.length + 1)}).`;
  if (code)
    return `the store cannot be reached (${code}${host ? ` ${host}` : ''}): check S3_ENDPOINT and that the store is running.`;
  // A request given up on by its time limit (the health check's, for one): connected, but no answer.
  if (name === 'AbortError' || name === 'TimeoutError')
    return `the store did not answer in time: check that it is running and not overloaded (or stopped), and S3_ENDPOINT.`;
  const detail = message && message !== 'UnknownError' ? `${name}: ${message}` : name;
  return status ? `${detail} (HTTP ${status})` : detail;
}

/** What a 403 is called: S3's code, or "HTTP 403" for a HEAD's bodiless answer (no code to name). */
export function deniedAs(facts: Pick<StoreErrorFacts, 'name'>): string {
  return facts.name === 'Forbidden' || facts.name === 'Unknown' ? 'HTTP 403' : facts.name;
}

/**
 * A TLS failure, which no retry mends: an https:// endpoint that speaks plain http ('not-https': Node's
 * EPROTO "wrong version number"), or a certificate this machine does not trust ('certificate'). Pure.
 */
export function tlsProblem(code: string | undefined): 'not-https' | 'certificate' | null {
  if (code === undefined) return null;
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) return 'not-https';
  if (/CERT|^UNABLE_TO_|^ERR_TLS_/.test(code)) return 'certificate';
  return null;
}

/** The facts of anything thrown by the SDK (an S3ServiceException, or a network error). */
export function storeErrorFacts(error: unknown): StoreErrorFacts {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { $metadata, code, hostname } = error as {
    $metadata?: { httpStatusCode?: number };
    code?: unknown;
    hostname?: unknown;
  };
  return {
    name: error.name,
    message: error.message,
    status: $metadata?.httpStatusCode,
    // ECONNREFUSED…, and TLS failures (ERR_SSL_…, DEPTH_ZERO_SELF_SIGNED_CERT, UNABLE_TO_VERIFY_…).
    code:
      typeof code === 'string' && (/^E[A-Z]+$/.test(code) || tlsProblem(code) !== null) ? code : undefined,
    ...(code === 'ENOTFOUND' && typeof hostname === 'string' && { host: hostname }),
  };
}
