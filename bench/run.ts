// `npm run bench`: what users feel, on this machine, in one run. Writes bench/results/*.json and the
// table in docs/benchmarks.md. Not a test: nothing here fails on a slow figure.
//   npm run bench               full run (≈10–15 min on 2 cores)
//   npm run bench -- --quick    smaller files, one run each (a smoke check of the harness)
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { runApiBench } from './api-bench.ts';
import { runDownloadBench } from './download-bench.ts';
import { startStack } from './lib/stack.ts';
import { MiB } from './lib/stats.ts';
import { renderBenchmarks } from './render-table.ts';
import { runStoreBench } from './store-bench.ts';
import { runSmallFilesBench } from './small-files-bench.ts';
import { runUploadBench } from './upload-bench.ts';

const quick = process.argv.includes('--quick');
const runs = quick ? 1 : 3;
const log = (line: string) => console.error(`[bench] ${line}`);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const started = new Date();
log(`${quick ? 'quick' : 'full'} run on ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB`);

log('store: embedded store ingest / read / complete beside raw disk (and S3_ENDPOINT when set)');
const store = await runStoreBench({ runs, totalBytes: quick ? 256 * MiB : 1024 * MiB });

const stack = await startStack();
let upload, smallFiles, download, api;
try {
  upload = await runUploadBench({
    stack,
    runs,
    sizeBytes: quick ? 256 * MiB : 1024 * MiB,
    memorySizeBytes: quick ? 512 * MiB : 2048 * MiB,
    log,
  });
  smallFiles = await runSmallFilesBench({ stack, runs, count: quick ? 100 : 500, log });
  download = await runDownloadBench({ stack, runs, bigBytes: quick ? 256 * MiB : 1024 * MiB, log });
  log('api: sign-parts calls at 10 connections');
  api = await runApiBench({ stack, seconds: quick ? 5 : 10 });
} finally {
  await stack.stop();
}

const result = {
  startedAt: started.toISOString(),
  quick,
  machine: {
    cores: cpus().length,
    model: cpus()[0]?.model ?? '',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
  },
  store,
  upload,
  smallFiles,
  download,
  api,
};
await mkdir('bench/results', { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
await writeFile(`bench/results/${stamp}.json`, `${JSON.stringify(result, null, 2)}\n`);
// A quick run is a smoke check of the harness: its figures stand for nothing, so they replace none.
if (!quick) {
  await writeFile('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
  await writeFile('docs/benchmarks.md', renderBenchmarks(result));
}
log(`wrote bench/results/${stamp}.json${quick ? '' : ', latest.json and docs/benchmarks.md'}`);
console.log(renderBenchmarks(result));
