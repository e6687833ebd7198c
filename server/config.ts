import { z } from 'zod';
import { trustedProxies } from './forwarded-client.ts';
import {
  AWS_STORAGE_CLASSES,
  EMBEDDED_STORAGE_CLASSES,
  STORAGE_CLASS_NAME,
} from './shared/storage-classes.ts';
import { KeyError, validateRelativeKey } from './uploads/object-key.ts';

/** A value of `re` read by `parse`; otherwise `expected`, with what was given. */
const pattern = <T>(re: RegExp, expected: string, parse: (text: string) => T) =>
  z.string().transform((text, ctx): T => {
    if (re.test(text)) return parse(text);
    ctx.addIssue({ code: 'custom', message: `${expected} (got ${JSON.stringify(text)})` });
    return z.NEVER;
  });

const bool = pattern(/^(1|0|true|false|yes|no)$/i, '1, true or yes; or 0, false or no', (v) =>
  ['1', 'true', 'yes'].includes(v.toLowerCase()),
);

const size = pattern(
  /^\d+(\.\d+)?\s*([KMGT]i?B?)?$/i,
  'a byte count such as 5368709120, 500MiB or 5GiB',
  parseSize,
);

const duration = pattern(
  /^\d+\s*(ms|s|m|h|d)?$/,
  'a duration such as 900, 900s, 15m, 24h or 7d',
  parseDuration,
);

const DAY = 86_400_000;
const TiB = 1024 ** 4;

const STORE_EXAMPLES = 'https://s3.example.com or http://127.0.0.1:9000';

/**
 * An http(s) URL with a host and nothing after it but "/" (an origin or an endpoint); `noPath` says
 * why a path is refused. `orAws`: the word "aws" (AWS S3 itself) too. Every refusal says what to write.
 */
const httpUrl = (what: string, o: { noPath: string; orAws?: boolean; examples?: string }) =>
  z.string().transform((text, ctx) => {
    if (o.orAws && text === 'aws') return text;
    const problem = httpUrlProblem(text, what, o);
    if (problem === null) return text.replace(/\/+$/, '');
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

function httpUrlProblem(
  text: string,
  what: string,
  o: { noPath: string; orAws?: boolean; examples?: string },
): string | null {
  if (o.orAws && text.trim().toLowerCase() === 'aws') return '"aws" in lower case (AWS S3 itself)';
  const expected = `${what}: an http:// or https:// URL such as ${o.examples ?? STORE_EXAMPLES}${o.orAws ? ', or "aws" for AWS S3 itself' : ''}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${expected} (got ${JSON.stringify(text)})`;
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.hostname === '' ||
    text.trim() !== text
  ) {
    return `${expected} (got ${JSON.stringify(text)})`;
  }
  if (url.search || url.hash) return `${what}: no ?query or #fragment (got ${JSON.stringify(text)})`;
  if (url.pathname.replace(/\/+$/, '') !== '') {
    return `no path after the host (${JSON.stringify(url.pathname)}): ${o.noPath}`;
  }
  return null;
}

/** A port in decimal digits, nothing else: " " is no port 0 (a random one), nor 1e3 1000, nor 0x4775 18293. */
const port = (least: 0 | 1, meaning: string) => {
  const expected = `a port number from ${least} to 65535${meaning}`;
  return z
    .string()
    .regex(/^\d{1,5}$/, expected)
    .transform(Number)
    .refine((n) => n >= least && n <= 65535, expected);
};

const MAX_TIMER_MS = 2 ** 31 - 1;

const schema = z.object({
  // Not 0 (any free port): the app's origin, checked in the bucket CORS, is http://HOST:PORT.
  PORT: port(1, '').default(8080),
  // "[::1]" as in a URL is the address "::1" to listen on.
  HOST: z
    .string()
    .min(1)
    .default('127.0.0.1')
    .transform((host) => host.replace(/^\[(.+)\]$/, '$1')),
  S3_ENDPOINT: httpUrl('the S3 endpoint', { noPath: 'the bucket goes in S3_BUCKET', orAws: true }).optional(),
  S3_PUBLIC_ENDPOINT: httpUrl('the S3 endpoint browsers use', {
    noPath: "presigned URLs are signed for the endpoint's root (the bucket goes in S3_BUCKET)",
  }).optional(),
  HOIST_PUBLIC_URL: httpUrl('the address people open Hoist at', {
    examples: 'https://files.example.com or http://192.168.1.20:8080',
    noPath: 'an origin such as https://hoist.example.com (Hoist is served at the root of its address)',
  }).optional(),
  // Signed into every request and part of AWS's host names: letters, digits and dashes (the SDK stops
  // at the first signing with a stack trace otherwise).
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a region name such as us-east-1 (auto for R2)')
    .default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'a valid S3 bucket name (3–63 of a-z 0-9 . -)')
    .default('hoist'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  S3_CONFIGURE_BUCKET: bool.default(false),
  STORE_PORT: port(0, ' (0: any free port)').default(9000),
  HOIST_DATA_DIR: z.string().min(1).default('./data'),
  HOIST_KEY_PREFIX: z
    .string()
    .default('')
    .refine(
      (p) => p === '' || (p.endsWith('/') && !p.startsWith('/')),
      'empty, or a prefix ending in "/" such as "uploads/"',
    )
    .superRefine((p, ctx) => {
      // The folders of every key Hoist writes, so as the key rules judge a path (no "." or ".." folder,
      // which browsers drop from every address: parts would go to another bucket or key).
      if (p === '' || !p.endsWith('/') || p.startsWith('/')) return;
      try {
        validateRelativeKey(p.slice(0, -1));
      } catch (error) {
        if (!(error instanceof KeyError)) throw error;
        ctx.addIssue({ code: 'custom', message: `a prefix keys can be written under: ${error.message}` });
      }
    }),
  HOIST_MAX_OBJECT_SIZE: size
    .refine((n) => n >= 1 && n <= 5 * TiB, 'from 1 byte up to 5TiB (the largest object S3 stores)')
    .default(5 * TiB),
  HOIST_PRESIGN_TTL: duration
    .refine((ms) => ms >= 1000 && ms <= 7 * DAY, 'from 1s up to 7d (the longest a SigV4 URL is valid)')
    .default(15 * 60 * 1000),
  HOIST_ACCESS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  HOIST_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  HOIST_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((entries, ctx) => {
      try {
        trustedProxies(entries);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `${(error as Error).message} (a comma-separated list of them)`,
        });
      }
    }),
  HOIST_STALE_UPLOAD_TTL: duration
    .refine((ms) => ms >= 1000, 'at least 1s')
    // Upload tokens expire with it: a date past any calendar ("99999999999999999999d") is no setting.
    .refine((ms) => ms <= 365 * DAY, 'at most 365d')
    .default(DAY),
  // The storage classes the page offers (the first is no default: an upload leaves the bucket's unless one is
  // picked). Unset: the store's own list (storageClassesFor).
  HOIST_STORAGE_CLASSES: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ''),
    )
    .superRefine((list, ctx) => {
      const bad = list.find((c) => !STORAGE_CLASS_NAME.test(c));
      if (list.length === 0 || bad !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: `${bad === undefined ? 'no class given' : `"${bad}" is no storage class`}: a comma-separated list of storage classes as S3 writes them (upper case), such as STANDARD,STANDARD_IA,GLACIER_IR`,
        });
    })
    .optional(),
  HOIST_JANITOR_INTERVAL: duration
    .refine((ms) => ms >= 1000, 'at least 1s')
    // A timer longer than 2^31 - 1 ms fires at once in Node (every millisecond, for an interval).
    .refine((ms) => ms <= MAX_TIMER_MS, 'at most 24d')
    .default(60 * 60 * 1000),
  // On SIGTERM, how long to go on serving while GET /api/ready answers 503, so a load balancer stops
  // sending here before the server closes its connections (Kubernetes' preStop sleep, an ALB's
  // deregistration delay). 0: stop at once, as `npm start` under Ctrl+C always does.
  HOIST_SHUTDOWN_DELAY: duration.refine((ms) => ms <= 10 * 60_000, 'at most 10m').default(0),
});

export type Env = z.input<typeof schema>;

export interface Config {
  port: number;
  host: string;
  /** The origin people open Hoist at, when it is not http://HOST:PORT (a proxy, TLS, a name). */
  publicUrl: string | undefined;
  s3: {
    /** Absent: AWS S3 itself (S3_ENDPOINT=aws), or the embedded store (`embedded`). */
    endpoint: string | undefined;
    /** No S3_ENDPOINT: Hoist starts its own store. */
    embedded: boolean;
    publicEndpoint: string | undefined;
    region: string;
    bucket: string;
    credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
    forcePathStyle: boolean;
    configureBucket: boolean;
  };
  storePort: number;
  dataDir: string;
  keyPrefix: string;
  maxObjectSize: number;
  presignTtlMs: number;
  accessToken: string | undefined;
  secret: string | undefined;
  /**
   * Proxies (addresses, CIDR ranges) whose X-Forwarded-For is believed when counting wrong access
   * tokens per client; none by default, so every client behind a proxy counts as the proxy.
   */
  trustedProxies: readonly string[];
  staleUploadTtlMs: number;
  janitorIntervalMs: number;
  /** SIGTERM: serve this long with /api/ready answering 503 before stopping (HOIST_SHUTDOWN_DELAY). */
  shutdownDelayMs: number;
  /** The storage classes uploads and "Edit properties" may give an object (HOIST_STORAGE_CLASSES). */
  storageClasses: readonly string[];
}

/**
 * The storage classes a store offers when HOIST_STORAGE_CLASSES does not say: the embedded store's, AWS S3's,
 * and for any other endpoint only its default (MinIO, R2 and Ceph RGW each offer their own few, which
 * HOIST_STORAGE_CLASSES names).
 */
export function storageClassesFor(endpoint: string | undefined): readonly string[] {
  if (endpoint === undefined) return EMBEDDED_STORAGE_CLASSES;
  return endpoint === 'aws' ? AWS_STORAGE_CLASSES : ['STANDARD'];
}

/** Every setting Hoist reads from the environment. */
export const SETTING_NAMES: readonly string[] = Object.keys(schema.shape);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The settings `npm run store` reads (server/local-s3/store-env.ts), checked as `npm start` checks them. */
export const storeSettings = schema.pick({
  HOST: true,
  STORE_PORT: true,
  S3_REGION: true,
  S3_BUCKET: true,
  HOIST_DATA_DIR: true,
  S3_ACCESS_KEY_ID: true,
  S3_SECRET_ACCESS_KEY: true,
  HOIST_SECRET: true,
});

/** Reads `env` by `settings` (an empty value is an unset one); a bad value throws a ConfigError naming it. */
export function readSettings<T extends z.ZodType>(
  settings: T,
  env: Record<string, string | undefined>,
): z.output<T> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = settings.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Parses the environment once at boot; a bad value throws a ConfigError that names the variable. */
export function parseConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const e = readSettings(schema, env);
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError(
      'Invalid configuration:\n  S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together',
    );
  }
  if (!isLoopback(e.HOST) && !e.HOIST_ACCESS_TOKEN) {
    throw new ConfigError(
      `Invalid configuration:\n  HOST: listening on ${e.HOST} exposes the API beyond this machine; set HOIST_ACCESS_TOKEN (16+ characters) first`,
    );
  }
  // A public address at another name is one people reach through a proxy (or a name this machine is
  // known by): the proxy's connections come from loopback, so the HOST check above never fires.
  const publicHost = e.HOIST_PUBLIC_URL && new URL(e.HOIST_PUBLIC_URL).hostname.toLowerCase();
  if (publicHost && !isThisMachine(publicHost) && !e.HOIST_ACCESS_TOKEN) {
    throw new ConfigError(
      `Invalid configuration:\n  HOIST_PUBLIC_URL: ${e.HOIST_PUBLIC_URL} is reached from beyond this machine (a proxy passes everyone on); set HOIST_ACCESS_TOKEN (16+ characters) first`,
    );
  }
  const notKept = e.S3_ENDPOINT
    ? undefined
    : e.HOIST_STORAGE_CLASSES?.find((c) => !EMBEDDED_STORAGE_CLASSES.includes(c));
  if (notKept !== undefined) {
    throw new ConfigError(
      `Invalid configuration:\n  HOIST_STORAGE_CLASSES: the embedded store does not keep ${notKept} (it has no archive tier); it keeps ${EMBEDDED_STORAGE_CLASSES.join(', ')}`,
    );
  }
  if (!e.S3_ENDPOINT && e.S3_FORCE_PATH_STYLE === false) {
    throw new ConfigError(
      `Invalid configuration:\n  S3_FORCE_PATH_STYLE: the embedded store takes path-style URLs only (/bucket/key); leave it unset, or set S3_ENDPOINT to a store that serves buckets by host name`,
    );
  }
  // Checked here, not only where the store's links are made: `npm run dev` then stops before it starts.
  if (!e.S3_ENDPOINT && !e.S3_PUBLIC_ENDPOINT) embeddedStorePublicEndpoint(e.HOIST_PUBLIC_URL, 0);
  if (!e.S3_ENDPOINT && !e.S3_PUBLIC_ENDPOINT && isWildcard(e.HOST) && !e.HOIST_PUBLIC_URL) {
    throw new ConfigError(
      `Invalid configuration:\n  HOIST_PUBLIC_URL: with HOST=${e.HOST} the embedded store's links need an address browsers can reach; set HOIST_PUBLIC_URL (e.g. http://files.example.lan:${e.PORT ?? 8080}) or S3_PUBLIC_ENDPOINT`,
    );
  }
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.HOIST_PUBLIC_URL,
    s3: {
      endpoint: e.S3_ENDPOINT === 'aws' ? undefined : e.S3_ENDPOINT,
      embedded: e.S3_ENDPOINT === undefined,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      credentials:
        e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: e.S3_ACCESS_KEY_ID, secretAccessKey: e.S3_SECRET_ACCESS_KEY }
          : undefined,
      // Custom endpoints (MinIO, RGW) want path style, and the embedded store takes nothing else (a
      // HOIST_PUBLIC_URL at a name would otherwise put the bucket in the links' host name); AWS and R2
      // work either way.
      forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== 'aws',
      configureBucket: e.S3_CONFIGURE_BUCKET,
    },
    storePort: e.STORE_PORT,
    dataDir: e.HOIST_DATA_DIR,
    keyPrefix: e.HOIST_KEY_PREFIX,
    maxObjectSize: e.HOIST_MAX_OBJECT_SIZE,
    presignTtlMs: e.HOIST_PRESIGN_TTL,
    accessToken: e.HOIST_ACCESS_TOKEN,
    secret: e.HOIST_SECRET,
    trustedProxies: e.HOIST_TRUSTED_PROXIES,
    staleUploadTtlMs: e.HOIST_STALE_UPLOAD_TTL,
    janitorIntervalMs: e.HOIST_JANITOR_INTERVAL,
    shutdownDelayMs: e.HOIST_SHUTDOWN_DELAY,
    storageClasses: e.HOIST_STORAGE_CLASSES ?? storageClassesFor(e.S3_ENDPOINT),
  };
  return deepFreeze(config);
}

/**
 * Where browsers reach the embedded store when it is not where the server reaches it: the host people
 * open Hoist at, on STORE_PORT. Null: the store's own address will do (Hoist is used on this machine).
 */
export function embeddedStorePublicEndpoint(publicUrl: string | undefined, storePort: number): string | null {
  if (!publicUrl) return null;
  const url = new URL(publicUrl);
  // A *.localhost name is this machine for browsers, but not always for this server's resolver.
  if (isThisMachine(url.hostname)) return null;
  if (url.protocol === 'https:') {
    throw new ConfigError(
      `Invalid configuration:\n  S3_PUBLIC_ENDPOINT: Hoist is served over https (${publicUrl}) but the embedded store speaks plain http on STORE_PORT, which browsers refuse on an https page; serve the store through your TLS proxy too and set S3_PUBLIC_ENDPOINT to that address`,
    );
  }
  return `http://${url.host.replace(/:\d+$/, '')}:${storePort}`;
}

/** Every address of the machine: the name is no address anyone can open. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** A loopback address, or a name browsers take for this machine (`localhost`, `*.localhost`). */
export function isThisMachine(host: string): boolean {
  return isLoopback(host) || host.toLowerCase().endsWith('.localhost');
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * "5GiB", "5GB", "5G" and "5368709120" are the same size: K, M, G, T are binary multiples with or
 * without the "i", as the page shows sizes ("5.0 GB" for 5 GiB, as the S3 console and file managers
 * do) and as AWS states S3's limits ("5 TB" objects, "5 GB" parts, both binary).
 */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT])?i?B?$/i.exec(text.trim());
  if (!m) return Number.NaN;
  const units = { K: 1, M: 2, G: 3, T: 4 } as const;
  const unit = m[2]?.toUpperCase() as keyof typeof units | undefined;
  return Math.round(Number(m[1]) * (unit ? 1024 ** units[unit] : 1));
}

function parseDuration(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's'] ?? 1000;
  return Number(m[1]) * factor;
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
