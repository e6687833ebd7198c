import { open } from 'node:fs/promises';
import type { SignedPart, UploadPlan } from '../../server/shared/api-types.ts';

async function api<T>(baseURL: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseURL}/api${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * The ceiling a browser uploader could reach: the same HTTP API and the same presigned part PUTs,
 * from Node, with no hashing, no UI and a fixed number of parts in flight.
 */
export async function nodeUpload(
  baseURL: string,
  path: string,
  name: string,
  concurrency = 6,
): Promise<void> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const plan = await api<UploadPlan>(baseURL, '/uploads', {
      name,
      size,
      type: 'application/octet-stream',
      lastModified: 0,
      onConflict: 'replace',
    });
    const numbers = Array.from({ length: plan.partCount }, (_, i) => i + 1);
    // Sign everything up front, 100 at a time, so only the PUTs are measured.
    const signed: SignedPart[] = [];
    for (let i = 0; i < numbers.length; i += 100) {
      const batch = numbers.slice(i, i + 100).map((partNumber) => ({ partNumber }));
      signed.push(
        ...(await api<{ parts: SignedPart[] }>(baseURL, '/uploads/sign', { token: plan.token, parts: batch }))
          .parts,
      );
    }
    const etags = new Map<number, string>();
    let next = 0;
    const worker = async () => {
      while (next < signed.length) {
        const part = signed[next++]!;
        const buffer = Buffer.allocUnsafe(part.size);
        await file.read(buffer, 0, part.size, (part.partNumber - 1) * plan.partSize);
        const res = await fetch(part.url, { method: 'PUT', headers: part.headers, body: buffer });
        if (!res.ok) throw new Error(`PUT part ${part.partNumber}: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        etags.set(part.partNumber, res.headers.get('etag') ?? '');
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    await api(baseURL, '/uploads/complete', {
      token: plan.token,
      parts: numbers.map((n) => ({ partNumber: n, etag: etags.get(n)! })),
    });
  } finally {
    await file.close();
  }
}

/** One presigned PUT of the whole file (what a naive uploader does). */
export async function nodeSinglePut(storeUrl: string, path: string, size: number): Promise<void> {
  const { createReadStream } = await import('node:fs');
  const { Readable } = await import('node:stream');
  const res = await fetch(storeUrl, {
    method: 'PUT',
    headers: { 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  if (!res.ok) throw new Error(`single PUT: ${res.status} ${await res.text()}`);
}
