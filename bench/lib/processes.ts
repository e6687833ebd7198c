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

/**
 * CPU used by groups of processes while `fn` runs, per process: a process started meanwhile (a new tab's
 * renderer) counts all it used; one that ended meanwhile (the last tab's renderer) is left out. A sum
 * over the group went NaN when a process ended between listing and reading it, and took an ended tab's
 * whole CPU time off the run's.
 */
export async function measureCpu<T>(groups: Record<string, () => Promise<number[]>>, fn: () => Promise<T>) {
  const read = async (pids: number[]) => {
    const out = new Map<number, number>();
    for (const pid of pids) {
      const seconds = await cpuSeconds(pid);
      if (Number.isFinite(seconds)) out.set(pid, seconds);
    }
    return out;
  };
  const before: Record<string, Map<number, number>> = {};
  for (const [name, pids] of Object.entries(groups)) before[name] = await read(await pids());
  const t0 = performance.now();
  const result = await fn();
  const wall = (performance.now() - t0) / 1000;
  const cpu: Record<string, number> = {};
  for (const [name, pids] of Object.entries(groups)) {
    const after = await read(await pids());
    let used = 0;
    for (const [pid, seconds] of after) used += seconds - (before[name]!.get(pid) ?? 0);
    cpu[name] = Number(used.toFixed(2));
  }
  return { result, wallSeconds: Number(wall.toFixed(2)), cpuSeconds: cpu };
}
