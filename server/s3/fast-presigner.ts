import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { S3RequestPresigner, getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface PresignInput {
  method: 'GET' | 'PUT';
  key: string;
  query?: Record<string, string>;
  /** Headers the client will send; all are signed. */
  headers?: Record<string, string>;
  /** Header names kept as signed headers instead of being hoisted into the query string. */
  unhoistable?: string[];
  expiresIn: number;
}

/**
 * Presigns S3 requests without running the SDK's whole middleware stack per URL (getSignedUrl
 * resolves the endpoint rules for every call: ~5 ms; this is ~0.2 ms). The endpoint is resolved
 * once, by the SDK itself, from a template URL, so path-style, virtual-hosted (AWS), R2 and
 * custom endpoints all come out exactly as the SDK would build them.
 */
export function createFastPresigner(
  client: S3Client,
  bucket: string,
  /** The time links are dated with (the store's clock: store-clock.ts). */
  signingDate: () => Date = () => new Date(),
) {
  const TEMPLATE_KEY = 'hoist-template-key';
  let ready: Promise<{ presigner: S3RequestPresigner; base: URL; prefix: string }> | null = null;

  const init = async () => {
    const sample = new URL(
      await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: TEMPLATE_KEY })),
    );
    if (!sample.pathname.endsWith(TEMPLATE_KEY))
      throw new Error(`Unexpected presigned URL shape: ${sample.pathname}`);
    const prefix = sample.pathname.slice(0, -TEMPLATE_KEY.length);
    const scope = sample.searchParams.get('X-Amz-Credential')?.split('/') ?? [];
    const region = scope[2] ?? (await client.config.region());
    const presigner = new S3RequestPresigner({
      ...(client.config as unknown as ConstructorParameters<typeof S3RequestPresigner>[0]),
      signingName: 's3',
      region,
    });
    return { presigner, base: sample, prefix };
  };

  return async function presign(input: PresignInput): Promise<string> {
    ready ??= init().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    const { presigner, base, prefix } = await ready;
    const port = base.port ? Number(base.port) : undefined;
    const request = {
      method: input.method,
      protocol: base.protocol,
      hostname: base.hostname,
      ...(port ? { port } : {}),
      path: prefix + encodeKey(input.key),
      query: { ...input.query },
      headers: { host: base.host, ...input.headers },
    };
    const signed = await presigner.presign(request as never, {
      signingDate: signingDate(),
      expiresIn: input.expiresIn,
      signableHeaders: new Set(Object.keys(input.headers ?? {})),
      unhoistableHeaders: new Set(input.unhoistable ?? []),
    });
    const query = Object.entries(signed.query ?? {})
      .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
      .map(([k, v]) =>
        v === null || v === undefined ? escape(String(k)) : `${escape(String(k))}=${escape(String(v))}`,
      )
      .join('&');
    return `${base.protocol}//${base.host}${signed.path}${query ? `?${query}` : ''}`;
  };
}

/** RFC 3986 escaping, as SigV4 canonicalises it. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** An S3 key in a path: every segment escaped, the slashes kept. */
export function encodeKey(key: string): string {
  return key.split('/').map(escape).join('/');
}
