import { readFile, readdir } from 'node:fs/promises';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU seconds (user + system) a process and its threads have used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** PIDs whose command line contains `needle` (e.g. the browser's user-data-dir). */
export async function pidsMatching(needle: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * PIDs whose command line contains `needle` and all their descendants: a browser's renderer, GPU and
 * network processes do not carry its user-data-dir on their command line, but they are its children.
 */
export async function processTree(needle: string): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(entry), ppid);
  }
  const tree = new Set(await pidsMatching(needle));
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

export async function sum(pids: number[], f: (pid: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (const pid of pids) total += await f(pid);
  return total;
}

/** CPU used by groups of processes while `fn` runs. */
export async function measureCpu<T>(groups: Record<string, () => Promise<number[]>>, fn: () => Promise<T>) {
  const before: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) before[name] = await sum(await pids(), cpuSeconds);
  const t0 = performance.now();
  const result = await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    cpu[name] = Number(((await sum(await pids(), cpuSeconds)) - before[name]!).toFixed(2));
  }
  return { result, wallSeconds: Number(wall.toFixed(2)), cpuSeconds: cpu };
}
