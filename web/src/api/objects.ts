import type { DownloadLink, ObjectPage } from '../../../server/shared/api-types.ts';
import { client, unwrap } from './client.ts';

export const objectsKey = (prefix: string, cursor: string | null, limit: number) =>
  ['objects', prefix, cursor, limit] as const;

export function listObjects(prefix: string, cursor: string | null, limit: number, signal?: AbortSignal) {
  return unwrap<ObjectPage>(
    client.objects.$get(
      { query: { prefix, limit: String(limit), ...(cursor ? { cursor } : {}) } },
      { init: { signal } },
    ),
  );
}

export function downloadLink(key: string, signal?: AbortSignal) {
  return unwrap<DownloadLink>(client.objects.download.$post({ json: { key } }, { init: { signal } }));
}

export function deleteObjects(keys: string[], signal?: AbortSignal) {
  return unwrap<{ deleted: string[]; errors: { key: string; message: string }[] }>(
    client.objects.delete.$post({ json: { keys } }, { init: { signal } }),
  );
}
