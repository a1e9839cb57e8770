import { defineConfig } from 'vite';

export default defineConfig({
  root: __dirname,
  server: { port: 5174 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
