import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is a static single page; workers are ES modules so they can import the engine.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  server: { host: '127.0.0.1' },
});
