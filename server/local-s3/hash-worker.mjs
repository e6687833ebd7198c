// Hash worker of the embedded store (started by hash-pool.ts). Plain JavaScript so that it runs the same
// under tsx, Vitest and plain node, with no loader. Digests come from node:crypto (OpenSSL): MD5 at about
// 700 MiB/s on one core, off the thread that reads the sockets.
//
// Messages: { op: 'open', job, algorithms } · { op: 'update', id, job, sab, length } (answered once the
// worker no longer needs the slot) · { op: 'digest', id, job } → { id, digests } (hex, in the order of
// `algorithms`) · { op: 'drop', job } · { op: 'count', id } → { id, count }. Errors: { id, error }.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

function serve(port) {
  /** job id -> Hash[] | Error (an algorithm node:crypto does not know, said on the job's next request) */
  const jobs = new Map();
  const fail = (id, error) =>
    port.postMessage({ id, error: error instanceof Error ? error.message : 'unknown hash job' });

  port.on('message', (m) => {
    switch (m.op) {
      case 'open':
        try {
          jobs.set(
            m.job,
            m.algorithms.map((a) => createHash(a)),
          );
        } catch (error) {
          jobs.set(m.job, error);
        }
        return;
      case 'update': {
        const hashes = jobs.get(m.job);
        if (!hashes || hashes instanceof Error) return fail(m.id, hashes);
        const view = new Uint8Array(m.sab, 0, m.length);
        for (const h of hashes) h.update(view);
        return port.postMessage({ id: m.id });
      }
      case 'digest': {
        const hashes = jobs.get(m.job);
        jobs.delete(m.job);
        if (!hashes || hashes instanceof Error) return fail(m.id, hashes);
        return port.postMessage({ id: m.id, digests: hashes.map((h) => h.digest('hex')) });
      }
      case 'drop':
        jobs.delete(m.job);
        return;
      case 'count':
        return port.postMessage({ id: m.id, count: jobs.size });
    }
  });
}

if (parentPort) serve(parentPort);
