import type { S3Client } from '@aws-sdk/client-s3';

/** The S3 operation (and key) a failed store call was, as the SDK's middleware saw it. */
export interface StoreOperation {
  /** "HeadObject", "ListObjectsV2"… */
  operation: string;
  key?: string;
}

const TAG = Symbol.for('hoist.storeOperation');

/**
 * Tags every error the client throws with the operation and key it was for: the server's log then says
 * "HeadObject "a.txt" → AccessDenied (HTTP 403)", not "Unknown: UnknownError" with nothing to go on.
 */
export function tagOperations(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (error !== null && typeof error === 'object' && !(TAG in error)) {
          const key = (args.input as { Key?: unknown }).Key;
          const tag: StoreOperation = {
            operation: (context.commandName ?? 'request').replace(/Command$/, ''),
            ...(typeof key === 'string' && { key }),
          };
          Object.defineProperty(error, TAG, { value: tag });
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'hoistOperationTag' },
  );
}

export function operationOf(error: unknown): StoreOperation | undefined {
  return error !== null && typeof error === 'object'
    ? ((error as Record<symbol, StoreOperation | undefined>)[TAG] ?? undefined)
    : undefined;
}

/** The server's log line for a store call that failed under `where` (the API route). Pure. */
export function storeErrorLine(
  where: string,
  error: { name: string; message: string; $metadata?: { httpStatusCode?: number; requestId?: string } },
  op: StoreOperation | undefined,
): string {
  const what = op ? `${op.operation}${op.key !== undefined ? ` ${JSON.stringify(op.key)}` : ''} → ` : '';
  const detail = error.message && error.message !== 'UnknownError' ? `: ${error.message}` : '';
  const status = error.$metadata?.httpStatusCode;
  const requestId = error.$metadata?.requestId ? `request id ${error.$metadata.requestId}` : '';
  // An answer with no body (a HEAD's) names no error: the SDK says "Unknown", which says nothing.
  const named = error.name !== 'Unknown' || detail !== '' || status === undefined;
  if (!named) return `store error on ${where}: ${what}HTTP ${status}${requestId ? ` (${requestId})` : ''}`;
  const facts = [status !== undefined ? `HTTP ${status}` : '', requestId].filter((f) => f !== '');
  return `store error on ${where}: ${what}${error.name}${detail}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
}
