import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// One config for the web build (root web/, output dist/web) and for Vitest's two projects.
const lowPriority = process.env.HOIST_TEST_LOW_PRIORITY === '1';
export default defineConfig({
  root: 'web',
  // React Fast Refresh under `npm run dev`: a saved component updates in place, keeping the page's state
  // (and its transfers); without it every save reloaded the page.
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // The page is one chunk, about 500 kB (160 kB gzipped): React DOM, TanStack Query, hash-wasm's CRC
    // and SHA hashers and the app. Loading hash-wasm lazily was tried: its namespace import cannot be
    // tree-shaken, so the hash worker grew from 13 to 217 kB to save 33 kB here.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      onwarn(warning, warn) {
        // TanStack Query ships "use client" directives for React Server Components; irrelevant here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run dev`: the API runs on HOIST_DEV_API (see scripts/dev.ts); Vite proxies it.
    proxy: { '/api': process.env.HOIST_DEV_API ?? 'http://127.0.0.1:8080' },
  },
  test: {
    root: '.',
    projects: [
      {
        test: {
          name: 'unit',
          root: '.',
          include: ['server/**/*.test.ts', 'web/**/*.test.ts', 'test/unit/**/*.test.ts'],
          environment: 'node',
          // Pure modules and in-memory fakes: no test needs a fresh module graph, and starting one per
          // file was two thirds of the run (74 s against 20 s here, shuffled runs green).
          pool: 'threads',
          isolate: false,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'contract',
          root: '.',
          include: ['test/contract/**/*.test.ts'],
          environment: 'node',
          // `npm test` runs this suite at the lowest CPU priority beside the timed browser tests, and CI
          // a second time against Ceph RGW beside all of `npm test` (both set HOIST_TEST_LOW_PRIORITY): a
          // test there takes what CPU is left, up to 20 times its time alone (a 20-round race: 6 s alone,
          // 71-120 s in CI). The limit is there to catch a hang, not to time the store.
          testTimeout: lowPriority ? 480_000 : 120_000,
          hookTimeout: lowPriority ? 480_000 : 120_000,
          setupFiles: ['test/contract/support/client-keep-alive.ts'],
          // Each file has its own bucket (and its own embedded store): two at a time, as the box has two
          // cores (186 s against 116 s on the embedded store here).
          maxWorkers: 2,
        },
      },
    ],
  },
});
