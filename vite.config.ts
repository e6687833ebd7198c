import { defineConfig } from 'vitest/config';

// One config for the web build (root web/, output dist/web) and for Vitest's two projects.
export default defineConfig({
  root: 'web',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
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
        },
      },
      {
        test: {
          name: 'contract',
          root: '.',
          include: ['test/contract/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
