import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { explainStoreError, storeErrorFacts } from './s3/explain-store-error.ts';
import { isStoreFull } from './shared/store-full.ts';

/** The API's one failure type: a status, a stable machine-readable code, and a message a user can act on. */
export class ApiFailure extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(status, { message });
  }
}

export const fail = (
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): never => {
  throw new ApiFailure(status, code, message, details);
};

/** app.onError: every error becomes `{ error: { code, message } }` with the right status; no stack traces. */
export function renderError(
  error: Error,
  c: Context,
  log: (line: string) => void = console.error,
  bucket = 'the bucket',
) {
  if (error instanceof ApiFailure) {
    return c.json({ error: { code: error.code, message: error.message }, ...error.details }, error.status);
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'body-too-large' : status === 401 ? 'unauthorized' : 'invalid-request';
    const message =
      status === 413
        ? 'The request body is too large.'
        : error.message || 'The request could not be processed.';
    return c.json({ error: { code, message } }, status);
  }
  if (error.name === 'AbortError' && c.req.raw.signal.aborted) {
    // The browser went away (a cancelled query); nobody reads this answer.
    return c.json({ error: { code: 'cancelled', message: 'The request was cancelled.' } }, 400);
  }
  if (error instanceof S3ServiceException) {
    log(`store error on ${c.req.method} ${c.req.path}: ${error.name}: ${error.message}`);
    const status = error.$metadata.httpStatusCode;
    if (isStoreFull(error.name, status)) {
      return c.json(
        {
          error: {
            code: 'store-full',
            message: `The object store has no space left (${error.name}): free some space on it, then retry.`,
          },
        },
        507,
      );
    }
    // Fixed by whoever runs the server, not by trying again: the message names the setting.
    if (status === 403 || error.name === 'NoSuchBucket') {
      return c.json(
        {
          error: {
            code: status === 403 ? 'store-denied' : 'no-such-bucket',
            message: `The object store refused the request: ${explainStoreError(storeErrorFacts(error), bucket)}`,
          },
        },
        502,
      );
    }
    return c.json(
      {
        error: { code: 'store-error', message: `The object store answered ${error.name}: ${error.message}` },
      },
      502,
    );
  }
  if (isNetworkError(error)) {
    log(`store unreachable on ${c.req.method} ${c.req.path}: ${error.message}`);
    return c.json(
      {
        error: {
          code: 'store-unreachable',
          message: 'The object store cannot be reached right now; try again shortly.',
        },
      },
      503,
    );
  }
  log(`internal error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
  return c.json(
    { error: { code: 'internal', message: 'Something went wrong on the server; it has been logged.' } },
    500,
  );
}

function isNetworkError(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENOTFOUND' ||
    error.name === 'TimeoutError'
  );
}
