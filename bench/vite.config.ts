// Builds the bare React Flow page `npm run bench:ui` compares the playground with.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/bare/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../node_modules/.podpath-bench/bare', import.meta.url)), emptyOutDir: true, rollupOptions: { input: fileURLToPath(new URL('./bare.html', import.meta.url)) } },
  logLevel: 'warn',
});
