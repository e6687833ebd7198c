import { figure, type Figure } from './lib/stats.ts';

interface Result {
  startedAt: string;
  machine: { cores: number; model: string; memoryGiB: number };
  store: {
    embedded: {
      ingestMiBps: Figure;
      readMiBps: Figure;
      completeMs: Figure;
      rawDiskWriteFsyncMiBps: Figure;
      ingestVsRawDisk: Figure;
    };
    remote?: { target: string; ingestMiBps: Figure; readMiBps: Figure; completeMs: Figure };
  };
  upload: {
    sizeMiB: number;
    pageMiBps: Figure;
    ceilingMiBps: Figure;
    singlePutMiBps: Figure;
    ratioToCeiling: Figure;
    bareBrowserMiBps?: Figure;
    ratioToBareBrowser?: Figure;
    browserFileReadMiBps?: Figure;
    ratioToHalfFileRead?: Figure;
    signCallsPerUpload: Figure;
    signCallsTarget: number;
    cpuSecondsPerUpload: Record<string, number>[];
    firstProgressMs: Figure;
    firstProgressFromAutomationMs?: Figure;
    /** Per run, ms from the pick: the create call's start and answer, part 1's PUT's, the bar. */
    firstProgressStepsMs?: Record<string, number | null>[];
    cancelRequestsEndedMs: Figure;
    cancelConfirmedMs: Figure;
    memory: {
      uploadMiB: number;
      jsHeapGrowthMiB: number;
      browserRssBeforeMiB: number;
      browserRssPeakMiB: number;
    };
  };
  smallFiles?: {
    count: number;
    fileKiB: number;
    pageFilesPerSecond: Figure;
    cliFilesPerSecond: Figure;
    ratioToCli: Figure;
    cpuMsPerFile: Record<string, number>[];
  };
  download: {
    smallObjects: DownloadFigures;
    bigObject: DownloadFigures & { sizeMiB: number; savedMiBps?: Figure; savedRatio?: Figure };
  };
  api: {
    connections: number;
    requestsPerSecond: number;
    latencyMs: { p99: number };
    errors: number;
    serverCpuCores: number;
  };
}

const f = (x: Figure, digits = 0, scale = 1) =>
  `${(x.median * scale).toFixed(digits)} (${(x.min * scale).toFixed(digits)}–${(x.max * scale).toFixed(digits)})`;
const mark = (ok: boolean) => (ok ? '✅ met' : '❌ missed');

/** The median of each step of the first progress across runs, in the order the steps happen. */
function firstProgressSteps(runs: Record<string, number | null>[]): string {
  const steps: [string, string][] = [
    ['createStart', 'create sent'],
    ['createEnd', 'answered'],
    ['putStart', "part 1's PUT sent"],
    ['putEnd', 'answered'],
    ['bar', 'bar'],
  ];
  return steps
    .map(([key, label]) => {
      const values = runs.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
      return values.length ? `${label} ${figure(values).median.toFixed(0)}` : `${label} ?`;
    })
    .join(', ');
}

/** The Markdown table for docs/benchmarks.md: figure (median, min–max of the runs), target, verdict. */
interface DownloadFigures {
  pageMiBps: Figure;
  /** the same page driven by Playwright, whose DevTools Network domain copies every response body */
  playwrightPageMiBps?: Figure;
  ceilingMiBps: Figure;
  ratio: Figure;
  /** the same transfers by a bare loop in the page (no engine, checksum or UI): what Chromium can do */
  bareBrowserMiBps?: Figure;
  ratioToBareBrowser?: Figure;
}

/** Many small files: no target in the issue; the CLI beside it is what users compare with. */
function smallFilesRows(x: Result['smallFiles']): [string, string, string, string][] {
  if (!x) return [];
  const cpu = (k: string) =>
    (x.cpuMsPerFile.reduce((s, c) => s + (c[k] ?? 0), 0) / x.cpuMsPerFile.length).toFixed(1);
  return [
    [
      `Upload ${x.count} files of ${x.fileKiB} KiB picked at once (pick to all Done, in the page)`,
      `${f(x.pageFilesPerSecond)} files/s`,
      '',
      '',
    ],
    [
      '… `aws s3 cp --recursive` (CLI v1, 10 threads), same files and store',
      `${f(x.cliFilesPerSecond)} files/s`,
      '',
      '',
    ],
    ['… page / CLI', `${f(x.ratioToCli, 0, 100)} %`, '', ''],
    [
      '… CPU per file in the page runs (browser / server / store)',
      `${cpu('browser')} / ${cpu('server')} / ${cpu('store')} ms`,
      '',
      '',
    ],
  ];
}

export function renderBenchmarks(r: Result): string {
  const e = r.store.embedded;
  const u = r.upload;
  const d = r.download;
  const cpu = u.cpuSecondsPerUpload;
  const mean = (k: string) => cpu.reduce((s, c) => s + (c[k] ?? 0), 0) / Math.max(1, cpu.length);
  const avg = (k: string) => mean(k).toFixed(1);
  const wall = u.sizeMiB / u.pageMiBps.median;
  const cores = (mean('browser') + mean('server') + mean('store')) / wall;
  const bareRows = (
    x: { bareBrowserMiBps?: Figure; ratioToBareBrowser?: Figure },
    what: string,
  ): [string, string, string, string][] =>
    x.bareBrowserMiBps && x.ratioToBareBrowser
      ? [
          [`… bare loop in the same browser (${what})`, `${f(x.bareBrowserMiBps)} MiB/s`, '', ''],
          ['… page / bare browser loop', `${f(x.ratioToBareBrowser, 0, 100)} %`, '', ''],
        ]
      : [];
  const playwrightRow = (x: DownloadFigures): [string, string, string, string][] =>
    x.playwrightPageMiBps
      ? [
          [
            '… the same page driven by Playwright (DevTools attached)',
            `${f(x.playwrightPageMiBps)} MiB/s`,
            '',
            '',
          ],
        ]
      : [];
  const rows: [string, string, string, string][] = [
    [
      `Upload ${u.sizeMiB} MiB through the page (pick to Done, timed in the page, no debugger attached)`,
      `${f(u.pageMiBps)} MiB/s`,
      '',
      '',
    ],
    ['… Node ceiling (same parts, same concurrency)', `${f(u.ceilingMiBps)} MiB/s`, '', ''],
    ['… single presigned PUT from Node', `${f(u.singlePutMiBps)} MiB/s`, '', ''],
    ['… page / ceiling', `${f(u.ratioToCeiling, 0, 100)} %`, '≥ 95 %', mark(u.ratioToCeiling.median >= 0.95)],
    ...bareRows(u, 'same PUTs, no hashing, engine, UI'),
    ...(u.browserFileReadMiBps && u.ratioToHalfFileRead
      ? ([
          [
            '… Chromium reading the picked file (2 workers, part-sized slices, no hashing)',
            `${f(u.browserFileReadMiBps)} MiB/s`,
            '',
            '',
          ],
          [
            '… page / half of that (every byte is read twice: hashed for its checksum, then sent)',
            `${f(u.ratioToHalfFileRead, 0, 100)} %`,
            '',
            '',
          ],
        ] as [string, string, string, string][])
      : []),
    [
      'Signing calls per upload',
      f(u.signCallsPerUpload),
      `≤ parts/8 + 2 = ${u.signCallsTarget}`,
      mark(u.signCallsPerUpload.median <= u.signCallsTarget),
    ],
    [
      'First progress at 2 MB/s up, 40 ms (from the pick, timed in the page)',
      `${f(u.firstProgressMs)} ms`,
      '≤ 3000 ms',
      mark(u.firstProgressMs.median <= 3000),
    ],
    ...(u.firstProgressStepsMs?.length
      ? [
          [
            '… where it went (ms from the pick; 5 MiB take 2,621 ms at 2 MB/s)',
            firstProgressSteps(u.firstProgressStepsMs),
            '',
            '',
          ] as [string, string, string, string],
        ]
      : []),
    ...(u.firstProgressFromAutomationMs
      ? [
          [
            "… from before Playwright's setInputFiles",
            `${f(u.firstProgressFromAutomationMs)} ms`,
            '',
            '',
          ] as [string, string, string, string],
        ]
      : []),
    [
      'Cancel: last request ended',
      `${f(u.cancelRequestsEndedMs)} ms`,
      '≤ 100 ms',
      mark(u.cancelRequestsEndedMs.median <= 100),
    ],
    [
      'Cancel: server confirmed gone',
      `${f(u.cancelConfirmedMs)} ms`,
      '≤ 1000 ms',
      mark(u.cancelConfirmedMs.median <= 1000),
    ],
    [
      `Page JS heap growth, ${u.memory.uploadMiB} MiB upload`,
      `${u.memory.jsHeapGrowthMiB.toFixed(1)} MiB`,
      '≤ 64 MiB',
      mark(u.memory.jsHeapGrowthMiB <= 64),
    ],
    [
      'Browser RSS (all processes) before → peak',
      `${u.memory.browserRssBeforeMiB.toFixed(0)} → ${u.memory.browserRssPeakMiB.toFixed(0)} MiB`,
      '',
      '',
    ],
    ...smallFilesRows(r.smallFiles),
    [
      'Download 200 × 1 MiB into a folder (click to Done, timed in the page, no debugger attached)',
      `${f(d.smallObjects.pageMiBps)} MiB/s`,
      '',
      '',
    ],
    ...playwrightRow(d.smallObjects),
    ['… Node ceiling', `${f(d.smallObjects.ceilingMiBps)} MiB/s`, '', ''],
    [
      '… page / ceiling',
      `${f(d.smallObjects.ratio, 0, 100)} %`,
      '≥ 90 %',
      mark(d.smallObjects.ratio.median >= 0.9),
    ],
    ...bareRows(d.smallObjects, 'no engine, checksum, UI'),
    [`Download ${d.bigObject.sizeMiB} MiB, ranged GETs (same)`, `${f(d.bigObject.pageMiBps)} MiB/s`, '', ''],
    ...playwrightRow(d.bigObject),
    ['… Node ceiling', `${f(d.bigObject.ceilingMiBps)} MiB/s`, '', ''],
    [
      '… page / ceiling',
      `${f(d.bigObject.ratio, 0, 100)} %`,
      '≥ 90 %',
      mark(d.bigObject.ratio.median >= 0.9),
    ],
    ...bareRows(d.bigObject, 'no engine, checksum, UI'),
    ...(d.bigObject.savedMiBps && d.bigObject.savedRatio
      ? ([
          [
            `Download ${d.bigObject.sizeMiB} MiB with its row's Download button (the browser's download manager, as from the S3 console; click to saved file)`,
            `${f(d.bigObject.savedMiBps)} MiB/s`,
            '',
            '',
          ],
          ['… / Node ceiling', `${f(d.bigObject.savedRatio, 0, 100)} %`, '', ''],
        ] as [string, string, string, string][])
      : []),
    ['Embedded store ingest (8 MiB parts × 6)', `${f(e.ingestMiBps)} MiB/s`, '', ''],
    ['… raw disk write + fsync', `${f(e.rawDiskWriteFsyncMiBps)} MiB/s`, '', ''],
    [
      '… ingest / raw disk',
      `${f(e.ingestVsRawDisk, 0, 100)} %`,
      '≥ 60 %',
      mark(e.ingestVsRawDisk.median >= 0.6),
    ],
    ['Embedded store read', `${f(e.readMiBps)} MiB/s`, '', ''],
    ['CompleteMultipartUpload, 1 GiB', `${f(e.completeMs)} ms`, '≤ 500 ms', mark(e.completeMs.median <= 500)],
    [
      'API sign-parts calls',
      `${r.api.requestsPerSecond.toFixed(0)}/s, p99 ${r.api.latencyMs.p99} ms, ${r.api.errors} errors (${r.api.connections} connections, ${r.api.serverCpuCores} cores)`,
      '≥ 2000/s, p99 ≤ 20 ms, 0 errors',
      mark(r.api.requestsPerSecond >= 2000 && r.api.latencyMs.p99 <= 20 && r.api.errors === 0),
    ],
  ];
  if (r.store.remote) {
    const rm = r.store.remote;
    rows.push(
      [
        `${rm.target} ingest (same workload)`,
        `${f(rm.ingestMiBps)} MiB/s`,
        'embedded ≥ this',
        mark(e.ingestMiBps.median >= rm.ingestMiBps.median),
      ],
      [`${rm.target} read`, `${f(rm.readMiBps)} MiB/s`, '', ''],
      [`${rm.target} Complete`, `${f(rm.completeMs)} ms`, '', ''],
    );
  }
  const table = [
    '| Measure | Median (min–max) | Target | |',
    '| --- | --- | --- | --- |',
    ...rows.map((c) => `| ${c.join(' | ')} |`),
  ];
  return `# Benchmarks

Measured by \`npm run bench\` on ${r.startedAt.slice(0, 10)}: ${r.machine.cores} cores (${r.machine.model}), ${r.machine.memoryGiB} GiB,
loopback only, the embedded store and the Hoist server as separate processes, headless Chromium
driving the real page with the file picked from disk. Throughput runs drive Chromium over a bare
DevTools pipe (\`bench/lib/raw-chromium.ts\`): Playwright attaches DevTools' Network domain, which
copies every response body and slows downloads by about a third, and users have no debugger attached.
First progress, cancel and memory are driven by Playwright. Each figure is the median of the runs
with min–max; every ratio is taken within one run. Raw data: \`bench/results/latest.json\`.

${table.join('\n')}

CPU seconds per ${u.sizeMiB} MiB page upload (browser / server / store, averaged over the runs):
${avg('browser')} / ${avg('server')} / ${avg('store')}, over ${wall.toFixed(1)} s of wall time: ${cores.toFixed(2)} of the
machine's ${r.machine.cores} cores. ${
    cores < r.machine.cores * 0.8
      ? "Neither the browser nor the store is CPU-bound during a page upload; the gap to the ceiling is in the page's request path."
      : `The machine is CPU-bound during a page upload: the browser (all its processes: renderer with the hash worker, browser process reading the file twice, network service) and the store compete for the same ${r.machine.cores} cores. The Node ceiling hashes nothing and its client costs a fraction of a core.`
  }${
    u.browserFileReadMiBps && u.ratioToHalfFileRead
      ? `

Chromium itself reads a picked file at ${u.browserFileReadMiBps.median.toFixed(0)} MiB/s (two workers, no hashing, nothing sent). A
checksummed upload reads every byte twice: once to hash the part (its checksum is signed into the URL
before the PUT), once more when the PUT sends the Blob. So no checksummed upload from this browser passes
about half that, ${(u.browserFileReadMiBps.median / 2).toFixed(0)} MiB/s, whatever the engine does; the page reached ${(u.ratioToHalfFileRead.median * 100).toFixed(0)} % of it. Sending bytes already
read (an ArrayBuffer or a Blob made of it) instead of the file's Blob measured ~48 MiB/s: Chromium copies
memory bodies again on their way to the network process.`
      : ''
  }
`;
}
