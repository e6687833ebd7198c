import type { CopyObjectCommand, CreateMultipartUploadCommand } from '@aws-sdk/client-s3';

/**
 * A header value as it goes on the wire: text outside ASCII as its UTF-8 bytes, one Latin-1 character
 * a byte (Node writes header strings as Latin-1). ASCII comes back as it is. Pure.
 */
export function utf8HeaderBytes(value: string): string {
  return /[\u0080-\uffff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}

/**
 * Sends the command's header values that are not ASCII ("attachment; filename=\"résumé.pdf\"", as
 * another tool wrote it) as their UTF-8 bytes, signed over those same bytes: what botocore and the AWS
 * CLI do, and what S3 and Ceph RGW keep. The SDK signs a value's UTF-8, but Node would send it as
 * Latin-1 (and refuse a character over U+00FF), so every such request failed on its signature. This
 * runs after signing, on the request about to go out (each attempt of a retry is signed again).
 */
export function withUtf8Headers<C extends CopyObjectCommand | CreateMultipartUploadCommand>(command: C): C {
  (command.middlewareStack as CopyObjectCommand['middlewareStack']).add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (!request.headers) return next(args);
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name, utf8HeaderBytes(value)]),
      );
      return next({
        ...args,
        request: Object.assign(Object.create(Object.getPrototypeOf(request)), request, { headers }),
      });
    },
    { step: 'deserialize', priority: 'low', name: 'hoistUtf8HeaderBytes' },
  );
  return command;
}
