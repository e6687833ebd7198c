import {
  MAX_CREATES_PER_CALL,
  type AbortResult,
  type CompletedUpload,
  type CreateManyResult,
  type CreateUploadRequest,
  type KeyExists,
  type ListedParts,
  type SignedParts,
  type UploadPlan,
} from '../../../server/shared/api-types.ts';
import { ApiError, type UploadApi } from '../transfer/upload/upload-api.ts';
import { client, deadlineInit, unwrap } from './client.ts';
import { coalesceCalls } from './coalesce-calls.ts';
import { storeReachable } from './store-reachable.ts';

/** The upload engine's UploadApi over the typed Hono client. */
/** 409 key-exists is an answer, not a failure: the user chooses replace / keep both / skip. */
async function orKeyExists<T>(call: Promise<T>): Promise<T | KeyExists> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'key-exists') return error.cause as KeyExists;
    throw error;
  }
}

/**
 * Creates go through POST /api/uploads/many: with many small files (one create and one PUT each) the
 * creates of the files waiting meanwhile share a request, so the browser makes fewer requests per file.
 */
const CREATE_CALL_TIMEOUT_MS = 60_000;
/** Signing, ListParts, Abort: a store call or none; a minute without an answer is a lost connection. */
const CALL_TIMEOUT_MS = 60_000;
/**
 * CompleteMultipartUpload of a big object can take minutes on AWS (it answers 200 at once and keeps
 * the connection alive with spaces until done); a Complete retried after a lost answer is answered
 * 'done' by the server (the object is there with this upload's ETag).
 */
const COMPLETE_CALL_TIMEOUT_MS = 15 * 60_000;
/**
 * Set once a server answered that it has no POST /api/uploads/many: an older Hoist behind the same load
 * balancer mid-deploy. The page then creates one file a call, as before that route, until reloaded.
 */
let noCreateMany = false;
/** The calls of a batch /many turned down for want of the route, and those batched after: ask alone. */
class NoCreateMany extends Error {}

const createMany = coalesceCalls<CreateUploadRequest, CreateManyResult>({
  maxBatch: MAX_CREATES_PER_CALL,
  maxInFlight: 1,
  // One call holds up the creates behind it, so a call that hangs (a half-open connection) is given
  // up after a minute as a network failure: each of its files waits for the server and asks again.
  send: async (files) => {
    if (noCreateMany) throw new NoCreateMany();
    try {
      const many = client.uploads.many.$post({ json: { files } }, deadlineInit(CREATE_CALL_TIMEOUT_MS));
      return (await unwrap<{ results: CreateManyResult[] }>(many)).results;
    } catch (error) {
      // The call as a whole is never 404 (a file's 404 is in its answer): the route is not there.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      noCreateMany = true;
      throw new NoCreateMany();
    }
  },
});

/** One file's create alone, POST /api/uploads (as every create went before /many). */
function createOne(
  req: CreateUploadRequest,
  signal: AbortSignal | undefined,
): Promise<UploadPlan | KeyExists> {
  const timed = deadlineInit(CREATE_CALL_TIMEOUT_MS, signal);
  return orKeyExists(unwrap<UploadPlan>(client.uploads.$post({ json: req }, timed)));
}

export const httpUploadApi: UploadApi = {
  async create(req, o) {
    let answer: CreateManyResult;
    try {
      answer = await createMany(req, o);
    } catch (error) {
      if (error instanceof NoCreateMany) return createOne(req, o?.signal);
      throw error;
    }
    if ('plan' in answer) return answer.plan;
    if ('keyExists' in answer) return answer.keyExists;
    // As `unwrap` throws for the same answer to POST /api/uploads alone.
    const { error, status, details } = answer;
    throw new ApiError(error.code, status, error.message, { cause: { error, ...details } });
  },
  signParts(token, parts, o) {
    const json = { token, parts, ...(o?.replace && { replace: true, replaceIf: o.replaceIf }) };
    return unwrap<SignedParts>(client.uploads.sign.$post({ json }, deadlineInit(CALL_TIMEOUT_MS, o?.signal)));
  },
  listParts(token, o) {
    return unwrap<ListedParts>(
      client.uploads.parts.$post({ json: { token } }, deadlineInit(CALL_TIMEOUT_MS, o?.signal)),
    );
  },
  complete(token, parts, o) {
    const json = {
      token,
      parts,
      ...(o?.replace && { replace: true, replaceIf: o.replaceIf }),
      ...(o?.check && { check: true }),
    };
    return orKeyExists(
      unwrap<CompletedUpload>(
        client.uploads.complete.$post({ json }, deadlineInit(COMPLETE_CALL_TIMEOUT_MS, o?.signal)),
      ),
    );
  },
  abort(token, o) {
    const json = { token, ...(o?.sent && { sent: true }) };
    return unwrap<AbortResult>(
      client.uploads.abort.$post({ json }, deadlineInit(CALL_TIMEOUT_MS, o?.signal)),
    );
  },
  storeReachable: (o) => storeReachable(o?.signal),
};
