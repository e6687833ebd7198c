import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Requests the way an attacker sends them: the path goes on the wire exactly as given (fetch and the
 * SDK would normalise `..` away), optionally signed with real SigV4 credentials over that raw path.
 */

export interface RawAnswer {
  /** 0 when the store closed the connection without answering */
  status: number;
  body: Buffer;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One HTTP request over node:http, the path untouched. Resolves with status 0 if the connection was closed. */
export function rawRequest(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Uint8Array,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port, method, path, headers, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms: ${method} ${path}`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE')
        resolve({ status: 0, body: Buffer.alloc(0) });
      else reject(error);
    });
    req.end(body);
  });
}

/** SigV4 header-signs a request over the raw path (S3 style: the path is not normalised or re-encoded). */
export async function signedHeaders(
  endpoint: string,
  credentials: Credentials,
  method: string,
  path: string,
  body: Uint8Array = new Uint8Array(0),
  region = 'us-east-1',
): Promise<Record<string, string>> {
  const { host } = new URL(endpoint);
  const qmark = path.indexOf('?');
  const query: Record<string, string> = {};
  if (qmark !== -1) {
    for (const pair of path.slice(qmark + 1).split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const k = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
      query[k] = eq === -1 ? '' : safeDecode(pair.slice(eq + 1));
    }
  }
  const signer = new SignatureV4({
    credentials,
    region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method,
    protocol: 'http:',
    hostname: host.split(':')[0]!,
    port: Number(host.split(':')[1]),
    path: safeDecode(qmark === -1 ? path : path.slice(0, qmark)),
    query,
    headers: {
      host,
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      ...(body.length > 0 ? { 'content-length': String(body.length) } : {}),
    },
  });
  return signed.headers;
}

/** The hash the SigV4 signer wants: SHA-256, or HMAC-SHA-256 when given a key (node:crypto underneath). */
class Sha256 {
  #make: () => Hash | Hmac;
  #hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#make = () => (secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret)));
    this.#hash = this.#make();
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytesOf(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }
  reset(): void {
    this.#hash = this.#make();
  }
}

function bytesOf(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Writes raw bytes to a socket and collects whatever comes back until the peer closes (or the timeout). */
export function rawExchange(
  endpoint: string,
  bytes: Uint8Array,
  timeoutMs = 5_000,
): Promise<{ answered: boolean; closed: boolean; head: string }> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).subarray(0, 200).toString('latin1');
      resolve({ answered: /^HTTP\/1\.[01] \d{3}/.test(text), closed, head: text.split('\r\n')[0] ?? '' });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      // An answer is enough; no need to wait for keep-alive to time out.
      if (/^HTTP\/1\.[01] \d{3}[^]*\r\n\r\n/.test(Buffer.concat(chunks).toString('latin1'))) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}
