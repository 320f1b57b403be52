import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    // The first view's budget is 200 KB gzipped, measured by `npm run bench:ui`
    // (see README, Speed); the entry is ~670 KB before gzip, which Vite's default warns about.
    chunkSizeWarningLimit: 720,
    // The first view is one chunk (below): index.html preloads nothing, so the polyfill
    // for <link rel=modulepreload> has nothing to do there; the on-demand parts import
    // fine in a browser without modulepreload (only their preloading is skipped).
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // Everything the first view imports statically in one file: rolldown otherwise
        // cuts the modules the entry shares with on-demand parts into a dozen small
        // chunks, all preloaded anyway, each compressed alone (5 KB more gzipped).
        codeSplitting: {
          groups: [{ name: 'first-view', tags: ['$initial'] }],
        },
      },
    },
  },
  test: {
    // Components with logic have *.test.tsx files that ask for a DOM themselves
    // (`// @vitest-environment jsdom`); everything else runs in plain Node.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['src/testSetup.ts'],
  },
});
