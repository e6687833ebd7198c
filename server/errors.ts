import type { Context } from 'hono';
import { operationOf, storeErrorLine } from './s3/operation-tag.ts';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { explainStoreError, storeErrorFacts, tlsProblem } from './s3/explain-store-error.ts';
import { isStoreFull, storeFullMessage } from './shared/store-full.ts';
import { failurePage } from './failure-page.ts';

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

/** What went wrong, as the API says it: a status, a stable code, a message a user can act on. */
export interface FailureAnswer {
  status: ContentfulStatusCode;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Whether a failure of the request `where` ("POST /api/uploads/complete") shows on an upload's row,
 * beside its Retry button; a rename, a copy or new properties fail in a dialog that has none.
 */
function onUploadRow(where: string): boolean {
  return /^[A-Z]+ \/api\/uploads(\/|$)/.test(where);
}

/**
 * app.onError: every error becomes `{ error: { code, message } }` with the right status (a page saying it,
 * for an address opened in a tab); no stack traces.
 */
export function renderError(
  error: Error,
  c: Context,
  log: (line: string) => void = console.error,
  bucket = 'the bucket',
) {
  const answer: FailureAnswer =
    error.name === 'AbortError' && c.req.raw.signal.aborted
      ? // The browser went away (a cancelled query); nobody reads this answer.
        { status: 400, code: 'cancelled', message: 'The request was cancelled.' }
      : describeFailure(error, `${c.req.method} ${c.req.path}`, log, bucket);
  // An address opened in a tab (a file's "Open" link, copied or bookmarked), not asked by the page: a
  // page that says it, not JSON.
  if (c.req.header('sec-fetch-mode') === 'navigate')
    return c.html(failurePage(answer.message, answer.code), answer.status);
  return c.json({ error: { code: answer.code, message: answer.message }, ...answer.details }, answer.status);
}

/**
 * The answer for any error (`where` names the request in the log): the API's own failures as they
 * are, store errors explained, anything else logged and answered 500. Also used for one item of a
 * batch that failed while the others went on.
 */
export function describeFailure(
  error: unknown,
  where: string,
  log: (line: string) => void = console.error,
  bucket = 'the bucket',
): FailureAnswer {
  if (error instanceof ApiFailure) {
    return {
      status: error.status,
      code: error.code,
      message: error.message,
      ...(error.details && { details: error.details }),
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'body-too-large' : status === 401 ? 'unauthorized' : 'invalid-request';
    const message =
      status === 413
        ? 'The request body is too large.'
        : error.message || 'The request could not be processed.';
    return { status, code, message };
  }
  if (error instanceof S3ServiceException) {
    log(storeErrorLine(where, error, operationOf(error)));
    const status = error.$metadata.httpStatusCode;
    if (isStoreFull(error.name, status)) {
      return {
        status: 507,
        code: 'store-full',
        message: storeFullMessage(error.name, onUploadRow(where) ? 'Retry' : 'try again'),
      };
    }
    // A class the store does not keep (named in HOIST_STORAGE_CLASSES, or an older page's): no retry helps.
    if (error.name === 'InvalidStorageClass') {
      return {
        status: 400,
        code: 'invalid-properties',
        message: `The storage does not keep this storage class (${error.message}); pick another in the upload settings.`,
      };
    }
    // An archived object (Glacier, Deep Archive) is answered 403 too, but no setting is wrong.
    if (error.name === 'InvalidObjectState') {
      return {
        status: 409,
        code: 'object-archived',
        message:
          'The object is archived (a Glacier or Deep Archive storage class): restore it first (S3 console: Initiate restore, or aws s3api restore-object), then try again.',
      };
    }
    // Gone between the page's listing and this request (deleted meanwhile): nothing to retry.
    if (error.name === 'NoSuchKey' || (status === 404 && error.name === 'NotFound')) {
      return { status: 404, code: 'not-found', message: 'The object does not exist (any more).' };
    }
    // Fixed by whoever runs the server, not by trying again: the message names the setting.
    if (status === 403 || error.name === 'NoSuchBucket') {
      return {
        status: 502,
        code: status === 403 ? 'store-denied' : 'no-such-bucket',
        message: `The object store refused the request: ${explainStoreError(storeErrorFacts(error), bucket)}`,
      };
    }
    return {
      status: 502,
      code: 'store-error',
      message: `The object store answered ${error.name}: ${error.message}`,
    };
  }
  // The endpoint's TLS (https:// for a plain-http store, an untrusted certificate): a setting to fix,
  // not a store that is down for a moment.
  if (error instanceof Error && tlsProblem(storeErrorFacts(error).code) !== null) {
    log(`store TLS failure on ${where}: ${error.message}`);
    return {
      status: 502,
      code: 'store-error',
      message: `The object store cannot be used: ${explainStoreError(storeErrorFacts(error), bucket)}`,
    };
  }
  if (error instanceof Error && isNetworkError(error)) {
    log(`store unreachable on ${where}: ${error.message}`);
    return {
      status: 503,
      code: 'store-unreachable',
      message: 'The object store cannot be reached right now; try again shortly.',
    };
  }
  // A store call given up on by its time limit (every gateway call has one: STORE_*_TIMEOUT_MS): the store
  // took the connection and did not answer. The browser's own aborts never get here (renderError).
  if (error instanceof Error && error.name === 'AbortError') {
    log(`store did not answer in time on ${where}`);
    return {
      status: 503,
      code: 'store-unreachable',
      message:
        'The object store did not answer in time (it may be stopped or overloaded); try again shortly.',
    };
  }
  log(
    `internal error on ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return {
    status: 500,
    code: 'internal',
    message: 'Something went wrong on the server; it has been logged.',
  };
}

function isNetworkError(error: Error): boolean {
  const code = (error as { code?: string }).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENOTFOUND' ||
    // A name server that did not answer in time, a route that went away, a connection cut mid-request.
    code === 'EAI_AGAIN' ||
    code === 'ENETUNREACH' ||
    code === 'EPIPE' ||
    code === 'ECONNABORTED' ||
    error.name === 'TimeoutError'
  );
}
