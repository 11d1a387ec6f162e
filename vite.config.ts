import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is a static single page; workers are ES modules so they can import the engine. The
// manifest (dist/.vite/manifest.json) lets `npm run bench -- bundle` tell the initial load from
// lazy chunks.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, manifest: true },
  server: { host: '127.0.0.1' },
});
