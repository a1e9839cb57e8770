import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

// Every suite runs unchanged on three backends; the project name (|cpu|, |wasm|, |webgl|) is
// printed before every test. `*.node.test.ts` files need Node APIs and skip the browser;
// `*.browser.test.ts` files need a page and skip Node; `*.webgpu.test.ts` files are the opt-in
// WebGPU project's own asynchronous suite.
const include = ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts'];
const setupFiles = ['./packages/test-utils/src/setup.ts'];
const nodeExclude = ['**/*.browser.test.ts', '**/*.webgpu.test.ts', '**/node_modules/**'];

// Debian's Chromium on SwiftShader (no GPU here); never a browser a tool downloads.
const chromium = process.env.GAN_CHROMIUM ?? '/usr/bin/chromium';
// WebGPU in Node (Dawn from the npm package `webgpu`) needs a Vulkan driver; on a CPU-only Debian 12
// box that is lavapipe from bookworm-backports' mesa-vulkan-drivers. Opt in: GAN_WEBGPU=1.
const webgpu = process.env.GAN_WEBGPU === '1';
const chromiumArgs = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// No wall-clock limits: every test's work is bounded, and a loaded machine must not fail it
// (0 = no timeout). Set in each project, since projects do not inherit the root's options.
const timeouts = { testTimeout: 0, hookTimeout: 0 };

export default defineConfig({
  test: {
    ...timeouts,
    projects: [
      {
        test: {
          ...timeouts,
          name: 'cpu',
          include,
          exclude: nodeExclude,
          setupFiles,
          provide: { backend: 'cpu' },
        },
      },
      {
        test: {
          ...timeouts,
          name: 'wasm',
          include,
          exclude: nodeExclude,
          setupFiles,
          provide: { backend: 'wasm' },
        },
      },
      {
        test: {
          ...timeouts,
          name: 'webgl',
          include,
          exclude: ['**/*.node.test.ts', '**/*.webgpu.test.ts', '**/node_modules/**'],
          setupFiles,
          provide: { backend: 'webgl' },
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            // Playwright launches with a fresh temporary profile (user-data-dir) every run.
            provider: playwright({
              launchOptions: { executablePath: chromium, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      ...(webgpu
        ? [
            {
              test: {
                ...timeouts,
                name: 'webgpu',
                include: ['packages/*/src/**/*.webgpu.test.ts'],
                setupFiles,
                provide: { backend: 'webgpu' as const },
              },
            },
          ]
        : []),
    ],
  },
});
