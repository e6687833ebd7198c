import type {
  AbortResult,
  CompletedUpload,
  KeyExists,
  ListedParts,
  SignedParts,
  UploadPlan,
} from '../../../server/shared/api-types.ts';
import { ApiError, type UploadApi } from '../transfer/upload/upload-api.ts';
import { client, unwrap } from './client.ts';
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

export const httpUploadApi: UploadApi = {
  create(req, o) {
    return orKeyExists(
      unwrap<UploadPlan>(client.uploads.$post({ json: req }, { init: { signal: o?.signal } })),
    );
  },
  signParts(token, parts, o) {
    const json = { token, parts, ...(o?.replace && { replace: true }) };
    return unwrap<SignedParts>(client.uploads.sign.$post({ json }, { init: { signal: o?.signal } }));
  },
  listParts(token, o) {
    return unwrap<ListedParts>(
      client.uploads.parts.$post({ json: { token } }, { init: { signal: o?.signal } }),
    );
  },
  complete(token, parts, o) {
    const json = { token, parts, ...(o?.replace && { replace: true }) };
    return orKeyExists(
      unwrap<CompletedUpload>(client.uploads.complete.$post({ json }, { init: { signal: o?.signal } })),
    );
  },
  abort(token, o) {
    return unwrap<AbortResult>(
      client.uploads.abort.$post({ json: { token } }, { init: { signal: o?.signal } }),
    );
  },
  storeReachable: (o) => storeReachable(o?.signal),
};
