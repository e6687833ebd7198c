import autocannon from 'autocannon';
import type { UploadPlan } from '../server/shared/api-types.ts';
import type { Stack } from './lib/stack.ts';
import { cpuSeconds } from './lib/processes.ts';

export interface ApiBenchOptions {
  stack: Stack;
  connections?: number;
  seconds?: number;
  partsPerCall?: number;
}

/** Sign-parts calls per second and latency at a fixed concurrency, loopback only, bounded in time. */
export async function runApiBench(options: ApiBenchOptions) {
  const { stack } = options;
  const connections = options.connections ?? 10;
  const seconds = options.seconds ?? 10;
  const partsPerCall = options.partsPerCall ?? 1;
  const res = await fetch(`${stack.baseURL}/api/uploads`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'api-bench.bin',
      size: 80 * 1024 ** 3,
      type: 'application/octet-stream',
      lastModified: 0,
    }),
  });
  const plan = (await res.json()) as UploadPlan;
  const body = JSON.stringify({
    token: plan.token,
    parts: Array.from({ length: partsPerCall }, (_, i) => ({ partNumber: i + 1 })),
  });
  const cpuBefore = await cpuSeconds(stack.serverPid);
  const result = await autocannon({
    url: `${stack.baseURL}/api/uploads/sign`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
  });
  const serverCpu = (await cpuSeconds(stack.serverPid)) - cpuBefore;
  await fetch(`${stack.baseURL}/api/uploads/abort`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: plan.token }),
  });
  return {
    connections,
    seconds,
    partsPerCall,
    requestsPerSecond: result.requests.average,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.non2xx + result.timeouts,
    serverCpuCores: Number((serverCpu / seconds).toFixed(2)),
  };
}
