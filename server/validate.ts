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
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new ApiFailure(400, 'invalid-request', `${where}${issue?.message ?? 'invalid request'}`);
    }
  });
