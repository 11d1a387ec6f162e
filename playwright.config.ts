// End-to-end tests against the production build (scripts/test.sh runs `vite build` first),
// in Debian's Chromium with WebGPU on SwiftShader. Playwright never downloads a browser here.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const PORT = 4173;
/** The storage state globalSetup saves: the training gate's kept GPU check (test-results/ is cleaned before it runs). */
const GPU_CHECK_STATE = fileURLToPath(new URL('./test-results/gpu-check-state.json', import.meta.url));

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1, // CI has two cores; the preview server and Chromium need them both
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['html', { open: 'never' }]],
  // The gate's GPU check runs once here; every spec starts from its kept result.
  globalSetup: './e2e/globalSetup.ts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    storageState: GPU_CHECK_STATE,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--enable-unsafe-webgpu',
            '--enable-features=Vulkan',
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
