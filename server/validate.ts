import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiFailure } from './errors.ts';

/** zValidator that fails with the API's own error shape: `{ error: { code: 'invalid-request', message } }`. */
export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) =>
  zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(result.error);
  });

/** The API's answer to a request (or one item of a batch) its schema refuses: the first issue, and where. */
export function invalidRequest(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): ApiFailure {
  const issue = error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return new ApiFailure(400, 'invalid-request', `${where}${issue?.message ?? 'invalid request'}`);
}
