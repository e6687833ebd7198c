import { randomBytes, randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ListMultipartUploadsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedPart, UploadPlan } from '../../server/shared/api-types.ts';
import { apiOver } from './api/harness.ts';
import { getTarget, targetKind, type S3Target } from './support/target.ts';

// Cancel (POST /api/uploads/abort) racing with part PUTs that finish at the same moment, 20 times over,
// through the same HTTP API and presigned URLs the browser uses.

const MiB = 1024 ** 2;
const ROUNDS = 20;
let target: S3Target;
let h: Awaited<ReturnType<typeof apiOver>>;

beforeAll(async () => {
  target = await getTarget();
  h = await apiOver(target, { HOIST_KEY_PREFIX: `race-${randomUUID().slice(0, 8)}/` });
});
afterAll(async () => {
  await target?.close();
});

const list = (p: string) => readdir(p).catch(() => [] as string[]);
async function storeFiles() {
  const bucketDir = join(target.dataDir!, 'buckets', target.bucket);
  return {
    uploads: await list(join(bucketDir, 'uploads')),
    data: (await list(join(bucketDir, 'data'))).sort(),
    tmp: await list(join(target.dataDir!, 'tmp')),
  };
}

describe('cancel racing with parts that finish at the same moment', () => {
  it(`leaves no upload behind in any of ${ROUNDS} rounds`, async () => {
    const before = target.kind === 'embedded' ? await storeFiles() : null;
    const part = randomBytes(5 * MiB);
    const tail = randomBytes(2 * MiB);
    for (let round = 0; round < ROUNDS; round++) {
      const res = await h.api.uploads.$post({
        json: {
          name: `race-${round}.bin`,
          size: 12 * MiB,
          type: 'application/octet-stream',
          lastModified: 0,
        },
      });
      const plan = (await res.json()) as UploadPlan;
      const signed = await h.api.uploads.sign.$post({
        json: { token: plan.token, parts: [1, 2, 3].map((partNumber) => ({ partNumber })) },
      });
      const { parts } = (await signed.json()) as { parts: SignedPart[] };
      // Round 0 lets a part land first; later rounds move the abort across the parts' lifetimes.
      const puts = parts.map((p) =>
        fetch(p.url, { method: 'PUT', headers: p.headers, body: p.partNumber === 3 ? tail : part }).then(
          async (r) => (await r.text(), r.status),
          () => -1,
        ),
      );
      if (round % 4 === 0) await puts[2];
      else await new Promise((r) => setTimeout(r, round % 4 === 1 ? 0 : round * 2));
      const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
      const statuses = await Promise.all(puts);
      expect(abort.status, `round ${round}`).toBe(200);
      expect(await abort.json()).toMatchObject({ key: plan.key, confirmed: true });
      // A part either landed before the abort (200) or found the upload gone (404) or was cut off.
      for (const s of statuses) expect([200, 404, -1], `round ${round}`).toContain(s);

      const uploads = await target.client.send(
        new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: plan.key }),
      );
      expect(uploads.Uploads ?? [], `round ${round}`).toEqual([]);
      expect(await h.store.head(plan.key), `round ${round}`).toBeNull();
      expect((await h.api.uploads.parts.$post({ json: { token: plan.token } })).status).toBe(404);
    }
    if (targetKind() === 'embedded') {
      // No upload records, no part files and no half-received bodies: the store holds what it held before.
      await expect.poll(storeFiles, { timeout: 5_000 }).toEqual(before);
    }
  });
});

describe('cancel racing with Complete', () => {
  /** A 10 MiB upload planned through the API, its two 5 MiB parts PUT: ready for Complete. */
  async function twoPartsUp(name: string, part: Uint8Array<ArrayBuffer>) {
    const res = await h.api.uploads.$post({
      json: { name, size: 10 * MiB, type: 'application/octet-stream', lastModified: 0 },
    });
    const plan = (await res.json()) as UploadPlan;
    const signed = await h.api.uploads.sign.$post({
      json: { token: plan.token, parts: [1, 2].map((partNumber) => ({ partNumber })) },
    });
    const { parts } = (await signed.json()) as { parts: SignedPart[] };
    const etags = await Promise.all(
      parts.map(async (p) => {
        const r = await fetch(p.url, { method: 'PUT', headers: p.headers, body: part });
        expect(r.status).toBe(200);
        return { partNumber: p.partNumber, etag: r.headers.get('etag')! };
      }),
    );
    return { plan, etags };
  }

  it(`says "already completed" whenever Complete won, and "cancelled" only when nothing was stored (${ROUNDS} rounds)`, async () => {
    const part = randomBytes(5 * MiB);
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const { plan, etags } = await twoPartsUp(`complete-race-${round}.bin`, part);
      // The Cancel is sent while Complete runs (as when the row is cancelled during "Completing"), at
      // a different moment each round.
      const complete = h.api.uploads.complete.$post({ json: { token: plan.token, parts: etags } });
      await new Promise((r) => setTimeout(r, round * 1.5));
      const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
      const completed = (await complete).status === 200;
      const stored = (await h.store.head(plan.key)) !== null;
      // 409 is thrown as an ApiFailure, outside the route's typed answers.
      const status: number = abort.status;
      const said =
        status === 409
          ? ((await abort.json()) as unknown as { error: { code: string } }).error.code
          : String(status);
      outcomes.add(`${completed ? 'completed' : 'not completed'}, abort ${said}`);
      expect(stored, `round ${round}`).toBe(completed);
      // Whatever won, the answer to Cancel says so.
      expect(said, `round ${round}`).toBe(completed ? 'already-completed' : '200');
    }
    console.info('cancel against Complete:', [...outcomes].join('; '));
  });

  it('an upload whose name another writer took meanwhile (same size, just now) is aborted as cancelled, not "already completed"', async () => {
    const size = 10 * MiB;
    const { plan, etags } = await twoPartsUp('taken-meanwhile.bin', randomBytes(5 * MiB));
    // Someone else's object of the same size lands at the key: Complete is refused, and the page's
    // "Skip" or "Keep both" aborts the upload.
    await target.client.send(
      new PutObjectCommand({ Bucket: target.bucket, Key: plan.key, Body: randomBytes(size) }),
    );
    const complete = await h.api.uploads.complete.$post({ json: { token: plan.token, parts: etags } });
    expect(complete.status as number).toBe(409);
    const abort = await h.api.uploads.abort.$post({ json: { token: plan.token } });
    expect(abort.status).toBe(200);
    expect(await abort.json()).toMatchObject({ key: plan.key, confirmed: true });
  });
});
