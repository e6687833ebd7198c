export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function figure(runs: number[]): Figure {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs };
}

export async function repeat(times: number, fn: (run: number) => Promise<number>): Promise<Figure> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await fn(i));
  return figure(runs);
}

export const MiB = 1024 * 1024;
export const mibPerSecond = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);
