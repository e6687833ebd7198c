import { hc } from 'hono/client';
import type { AppType } from '../../../server/app.ts';
import { ApiError } from '../transfer/upload/upload-api.ts';
import { retryAfterMs } from '../transfer/shared/retry-after.ts';
import { linkSignal } from '../transfer/shared/signals.ts';

/** The typed API client: request and response types come from the server's routes. */
export const client = hc<AppType>('/api');

/**
 * The caller's signal with a deadline: a call on a half-open connection (a laptop that changed
 * networks, a proxy that dropped it) gets no answer and no error, and would hold its upload for ever.
 * Past the deadline the call fails as 'network' (see `unwrap`), which the engines wait out and retry.
 */
export function withDeadline(ms: number, signal?: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') {
    const timeout = AbortSignal.timeout(ms);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }
  // Browsers without `AbortSignal.any` (before 2023): the same by hand. The caller's signal (often one
  // that lives as long as the page) is listened to until the deadline at most (`linkSignal`).
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The Hoist server did not answer in time.', 'TimeoutError')),
    ms,
  );
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  linkSignal(signal, controller);
  return controller.signal;
}

/** A call's `init` for the typed client: the caller's signal with a deadline (see `withDeadline`). */
export function deadlineInit(ms: number, signal?: AbortSignal): { init: { signal: AbortSignal } } {
  return { init: { signal: withDeadline(ms, signal) } };
}

/** Turns an API answer into its body, or throws ApiError with the server's stable code. */
export async function unwrap<T>(call: Promise<Response> | (() => Promise<Response>)): Promise<T> {
  let res: Response;
  try {
    res = await (typeof call === 'function' ? call() : call);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    const message =
      error instanceof DOMException && error.name === 'TimeoutError'
        ? 'The Hoist server did not answer in time. Check your connection.'
        : 'The Hoist server cannot be reached. Check your connection.';
    throw new ApiError('network', 0, message, { cause: error });
  }
  // A body cut off (the deadline, a dropped connection) is no answer; one that is not JSON is no body.
  let text: string;
  try {
    text = await res.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError('network', 0, 'The answer from the Hoist server broke off. Check your connection.', {
      cause: error,
    });
  }
  let body: (T & { error?: { code: string; message: string } }) | null = null;
  try {
    body = JSON.parse(text) as T & { error?: { code: string; message: string } };
  } catch {
    // not JSON (a proxy's error page): the status says what there is to say
  }
  if (!res.ok) {
    const code = body?.error?.code ?? `http-${res.status}`;
    const message = body?.error?.message ?? `The server answered ${res.status}.`;
    throw new ApiError(code, res.status, message, {
      cause: body,
      retryAfterMs: retryAfterMs(res.headers.get('retry-after')),
    });
  }
  return body as T;
}
