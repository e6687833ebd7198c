import { z } from 'zod';

/**
 * ObjectProperties as a request carries them; their content is judged by `propertiesProblem`. The
 * headers are as long as a header may be: one stored longer than Hoist lets a user type is sent back
 * as it is by "Edit properties".
 */
export const propertiesSchema = z
  .object({
    contentType: z.string().max(255).optional(),
    cacheControl: z.string().max(256).optional(),
    contentDisposition: z.string().max(8192).optional(),
    contentEncoding: z.string().max(8192).optional(),
    contentLanguage: z.string().max(8192).optional(),
    metadata: z.record(z.string().max(128), z.string().max(2048)).optional(),
    tags: z.record(z.string().max(128), z.string().max(256)).optional(),
    storageClass: z.string().max(64).optional(),
  })
  .strict();
