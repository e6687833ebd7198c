import { hc } from 'hono/client';
import type { AppType } from '../../../server/app.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';

/** The typed API client: request and response types come from the server's routes. */
export const client = hc<AppType>('/api');

/** Turns an API answer into its body, or throws ApiError with the server's stable code. */
export async function unwrap<T>(call: Promise<Response> | (() => Promise<Response>)): Promise<T> {
  let res: Response;
  try {
    res = await (typeof call === 'function' ? call() : call);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, 'The Hoist server cannot be reached. Check your connection.', {
      cause: error,
    });
  }
  const body = (await res.json().catch(() => null)) as
    (T & { error?: { code: string; message: string } }) | null;
  if (!res.ok) {
    const code = body?.error?.code ?? `http-${res.status}`;
    const message = body?.error?.message ?? `The server answered ${res.status}.`;
    throw new ApiError(code, res.status, message, { cause: body });
  }
  return body as T;
}
