// Store throughput: a multipart upload (default 1 GiB in 8 MiB parts, 6 at a time) over presigned URLs, ranged
// reads of it back, CompleteMultipartUpload time, beside a raw disk write + fsync of the same bytes on the same
// filesystem. The embedded store runs as its own process (`node --import tsx server/local-s3/main.ts`), so the
// client's CPU is not charged to it; its CPU comes from /proc/<pid>/stat. With S3_ENDPOINT set, the same
// workload also runs against that endpoint (e.g. Ceph RGW). `tsx bench/store-bench.ts` prints JSON.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { cpuSeconds } from './lib/processes.ts';
import { figure as baseFigure, MiB } from './lib/stats.ts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface StoreBenchOptions {
  totalBytes?: number;
  partBytes?: number;
  concurrency?: number;
  /** repetitions per target; medians are reported (default 3) */
  runs?: number;
  /** also run against S3_ENDPOINT when set (default true) */
  remote?: boolean;
  /**
   * HTTP client for the data transfers: 'http' (node:http, keep-alive; default, cheap enough that the store is
   * what is measured) or 'fetch' (undici, as the store bench used to).
   */
  client?: 'http' | 'fetch';
  /** extra Node flags for the store process, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] */
  storeNodeArgs?: string[];
  signal?: AbortSignal;
}

export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export interface TargetFigures {
  target: string;
  ingestMiBps: Figure;
  readMiBps: Figure;
  completeMs: Figure;
  rawDiskWriteFsyncMiBps: Figure;
  /** ingest / raw disk write of the same run */
  ingestVsRawDisk: Figure;
  readVsRawDisk: Figure;
  /** CPU seconds of the store process per GiB moved (embedded only) */
  storeCpuSecondsPerGiB?: { ingest: Figure; read: Figure };
  /** CPU seconds of the bench (client) process per GiB moved */
  clientCpuSecondsPerGiB: { ingest: Figure; read: Figure };
}

export interface StoreBenchResult {
  target: string;
  client: 'http' | 'fetch';
  totalBytes: number;
  partBytes: number;
  concurrency: number;
  runs: number;
  /** medians of the embedded store, as before */
  ingestMiBps: number;
  readMiBps: number;
  completeMs: number;
  rawDiskWriteFsyncMiBps: number;
  ingestVsRawDisk: number;
  storeCpuSecondsPerGiBIngest: number;
  storeCpuSecondsPerGiBRead: number;
  embedded: TargetFigures;
  /** the same workload against S3_ENDPOINT, when set */
  remote?: TargetFigures;
}

const GiB = 1024 * MiB;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function figure(runs: number[], digits = 2): Figure {
  const round = (n: number) => Number(n.toFixed(digits));
  return baseFigure(runs.map(round));
}

function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function pool<T>(count: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

interface Transfer {
  /** PUT `body` to `url`; resolves to the ETag */
  put(url: string, body: Uint8Array, signal?: AbortSignal): Promise<string>;
  /** GET `url` with a Range header; resolves to the number of body bytes */
  getRange(url: string, range: string, signal?: AbortSignal): Promise<number>;
  close(): void;
}

function fetchTransfer(): Transfer {
  return {
    async put(url, body, signal) {
      const res = await fetch(url, { method: 'PUT', body: body as BodyInit, ...(signal ? { signal } : {}) });
      if (!res.ok) throw new Error(`PUT: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return res.headers.get('etag')!;
    },
    async getRange(url, range, signal) {
      const res = await fetch(url, { headers: { Range: range }, ...(signal ? { signal } : {}) });
      if (res.status !== 206) throw new Error(`GET ${range}: ${res.status}`);
      return (await res.arrayBuffer()).byteLength;
    },
    close() {},
  };
}

function httpTransfer(): Transfer {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (
    url: string,
    method: string,
    headers: Record<string, string | number>,
    body: Uint8Array | undefined,
    signal: AbortSignal | undefined,
  ) =>
    new Promise<{ res: IncomingMessage; bytes: number; text: string }>((resolve, reject) => {
      const req = httpRequest(url, { method, headers, agent, ...(signal ? { signal } : {}) }, (res) => {
        let bytes = 0;
        let text = '';
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if ((res.statusCode ?? 0) >= 300 && text.length < 4096) text += chunk.toString('utf8');
        });
        res.on('end', () => resolve({ res, bytes, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    async put(url, body, signal) {
      const { res, text } = await send(url, 'PUT', { 'Content-Length': body.length }, body, signal);
      if (res.statusCode !== 200) throw new Error(`PUT: ${res.statusCode} ${text}`);
      return res.headers['etag']!;
    },
    async getRange(url, range, signal) {
      const { res, bytes } = await send(url, 'GET', { Range: range }, undefined, signal);
      if (res.statusCode !== 206) throw new Error(`GET ${range}: ${res.statusCode}`);
      return bytes;
    },
    close() {
      agent.destroy();
    },
  };
}

interface Endpoint {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  /** the store's process, for CPU figures */
  pid?: number;
  /** where to write the raw-disk comparison (the store's filesystem when known) */
  scratchDir: string;
}

interface RunFigures {
  ingestMiBps: number;
  readMiBps: number;
  completeMs: number;
  rawMiBps: number;
  storeCpuIngest?: number;
  storeCpuRead?: number;
  clientCpuIngest: number;
  clientCpuRead: number;
}

async function runOnce(
  target: Endpoint,
  part: Buffer,
  parts: number,
  concurrency: number,
  transfer: Transfer,
  signal: AbortSignal | undefined,
): Promise<RunFigures> {
  const partBytes = part.length;
  const totalBytes = parts * partBytes;
  const gib = totalBytes / GiB;
  const client = new S3Client({
    endpoint: target.endpoint,
    region: target.region,
    credentials: target.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const storeCpu = async () => (target.pid === undefined ? 0 : cpuSeconds(target.pid));
  const key = `bench/${Date.now()}-${randomBytes(4).toString('hex')}.bin`;
  try {
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: key }),
    );
    const urls = await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        getSignedUrl(
          client,
          new UploadPartCommand({ Bucket: target.bucket, Key: key, UploadId, PartNumber: i + 1 }),
          { expiresIn: 3600 },
        ),
      ),
    );
    const body = new Uint8Array(part);
    let s0 = await storeCpu();
    let c0 = selfCpuSeconds();
    const t0 = performance.now();
    const etags = await pool(parts, concurrency, async (i) => {
      signal?.throwIfAborted();
      return transfer.put(urls[i]!, body, signal);
    });
    const ingestMs = performance.now() - t0;
    const storeCpuIngest = (await storeCpu()) - s0;
    const clientCpuIngest = selfCpuSeconds() - c0;

    const t1 = performance.now();
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: key,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const completeMs = performance.now() - t1;

    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: target.bucket, Key: key }), {
      expiresIn: 3600,
    });
    s0 = await storeCpu();
    c0 = selfCpuSeconds();
    const t2 = performance.now();
    await pool(parts, concurrency, async (i) => {
      signal?.throwIfAborted();
      const end = Math.min(totalBytes, (i + 1) * partBytes) - 1;
      const got = await transfer.getRange(url, `bytes=${i * partBytes}-${end}`, signal);
      if (got !== end - i * partBytes + 1) throw new Error(`range ${i}: ${got} bytes`);
    });
    const readMs = performance.now() - t2;
    const storeCpuRead = (await storeCpu()) - s0;
    const clientCpuRead = selfCpuSeconds() - c0;
    await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));

    const rawMs = await rawDiskWrite(target.scratchDir, part, parts);
    const mibps = (ms: number) => totalBytes / MiB / (ms / 1000);
    return {
      ingestMiBps: mibps(ingestMs),
      readMiBps: mibps(readMs),
      completeMs,
      rawMiBps: mibps(rawMs),
      ...(target.pid !== undefined
        ? { storeCpuIngest: storeCpuIngest / gib, storeCpuRead: storeCpuRead / gib }
        : {}),
      clientCpuIngest: clientCpuIngest / gib,
      clientCpuRead: clientCpuRead / gib,
    };
  } finally {
    client.destroy();
  }
}

/** Milliseconds to write `parts` copies of `part` to a fresh file and fsync it. */
async function rawDiskWrite(dir: string, part: Buffer, parts: number): Promise<number> {
  const path = join(dir, `raw-${randomBytes(4).toString('hex')}.bin`);
  const t = performance.now();
  const handle = await open(path, 'w');
  try {
    for (let i = 0; i < parts; i++) await handle.write(part);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const ms = performance.now() - t;
  await rm(path, { force: true });
  return ms;
}

function summarise(target: string, runs: RunFigures[], withStoreCpu: boolean): TargetFigures {
  const f = (pick: (r: RunFigures) => number, digits?: number) => figure(runs.map(pick), digits);
  return {
    target,
    ingestMiBps: f((r) => r.ingestMiBps, 0),
    readMiBps: f((r) => r.readMiBps, 0),
    completeMs: f((r) => r.completeMs, 0),
    rawDiskWriteFsyncMiBps: f((r) => r.rawMiBps, 0),
    ingestVsRawDisk: f((r) => r.ingestMiBps / r.rawMiBps),
    readVsRawDisk: f((r) => r.readMiBps / r.rawMiBps),
    ...(withStoreCpu
      ? {
          storeCpuSecondsPerGiB: {
            ingest: f((r) => r.storeCpuIngest ?? 0),
            read: f((r) => r.storeCpuRead ?? 0),
          },
        }
      : {}),
    clientCpuSecondsPerGiB: { ingest: f((r) => r.clientCpuIngest), read: f((r) => r.clientCpuRead) },
  };
}

interface SpawnedStore extends Endpoint {
  stop(): Promise<void>;
}

/** Starts `server/local-s3/main.ts` in its own Node process on a random port and a fresh data dir. */
async function spawnStore(signal: AbortSignal | undefined, nodeArgs: string[]): Promise<SpawnedStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hoist-store-bench-'));
  const credentials = {
    accessKeyId: 'BENCH' + randomBytes(6).toString('hex').toUpperCase(),
    secretAccessKey: randomBytes(20).toString('hex'),
  };
  const bucket = 'hoist-bench';
  const region = 'us-east-1';
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(repoRoot, 'server/local-s3/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        STORE_PORT: '0',
        HOST: '127.0.0.1',
        HOIST_DATA_DIR: dataDir,
        S3_REGION: region,
        S3_BUCKET: bucket,
        S3_ACCESS_KEY_ID: credentials.accessKeyId,
        S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString('utf8');
      const m = /endpoint\s+(http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (data: Buffer) => (output += data.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`store exited (${code}) before listening:\n${output}`)));
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  return { endpoint, region, credentials, bucket, pid: child.pid!, scratchDir: dataDir, stop };
}

async function remoteEndpoint(): Promise<(Endpoint & { stop(): Promise<void> }) | undefined> {
  if (!process.env['S3_ENDPOINT']) return undefined;
  const { getTarget } = await import('../test/contract/support/target.ts');
  const target = await getTarget();
  const scratchDir = await mkdtemp(join(tmpdir(), 'hoist-rawdisk-'));
  return {
    endpoint: target.endpoint,
    region: target.region,
    credentials: target.credentials,
    bucket: target.bucket,
    scratchDir,
    async stop() {
      await target.close();
      await rm(scratchDir, { recursive: true, force: true });
    },
  };
}

export async function runStoreBench(opts: StoreBenchOptions = {}): Promise<StoreBenchResult> {
  const totalBytes = opts.totalBytes ?? 1024 * MiB;
  const partBytes = opts.partBytes ?? 8 * MiB;
  const concurrency = opts.concurrency ?? 6;
  const runs = Math.max(1, opts.runs ?? 3);
  const signal = opts.signal;
  const parts = Math.ceil(totalBytes / partBytes);
  const part = randomBytes(partBytes);

  const runAll = async (target: Endpoint) => {
    const out: RunFigures[] = [];
    const transfer = opts.client === 'fetch' ? fetchTransfer() : httpTransfer();
    try {
      for (let i = 0; i < runs; i++) {
        signal?.throwIfAborted();
        out.push(await runOnce(target, part, parts, concurrency, transfer, signal));
      }
    } finally {
      transfer.close();
    }
    return out;
  };

  const store = await spawnStore(signal, opts.storeNodeArgs ?? []);
  let embedded: TargetFigures;
  try {
    embedded = summarise('embedded', await runAll(store), true);
  } finally {
    await store.stop();
  }

  let remote: TargetFigures | undefined;
  if (opts.remote !== false) {
    const target = await remoteEndpoint();
    if (target) {
      try {
        const { targetKind } = await import('../test/contract/support/target.ts');
        remote = summarise(targetKind(), await runAll(target), false);
      } finally {
        await target.stop();
      }
    }
  }

  return {
    target: 'embedded',
    client: opts.client ?? 'http',
    totalBytes: parts * partBytes,
    partBytes,
    concurrency,
    runs,
    ingestMiBps: embedded.ingestMiBps.median,
    readMiBps: embedded.readMiBps.median,
    completeMs: embedded.completeMs.median,
    rawDiskWriteFsyncMiBps: embedded.rawDiskWriteFsyncMiBps.median,
    ingestVsRawDisk: embedded.ingestVsRawDisk.median,
    storeCpuSecondsPerGiBIngest: embedded.storeCpuSecondsPerGiB!.ingest.median,
    storeCpuSecondsPerGiBRead: embedded.storeCpuSecondsPerGiB!.read.median,
    embedded,
    ...(remote ? { remote } : {}),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runStoreBench(), null, 2));
}
