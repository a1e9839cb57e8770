// The browser dashboard: the same @gan/* training as the Node CLI, on WebGL, in this tab.
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setupBackend } from '@gan/core';
import { diffAugment, imageGrid } from '@gan/data';
import { imageUrls } from '@gan/data/browser';
import { dcganDiscriminator, dcganGenerator } from '@gan/models';
import { createTrainer, type StepMetrics, wganGp } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { lossChart } from '../src/chart';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const spriteLimit = Number(params.get('sprites')) || undefined; // ?sprites=64 loads fewer (tests)
const RESOLUTION = 16;
const LATENT = 32;
const BATCH = Number(params.get('batch')) || 32;

const status = (text: string) => {
  $('stats').textContent = text;
};

async function drawGrid(images: tf.Tensor): Promise<void> {
  const grid = await imageGrid(images, { cols: 8, padding: 1 });
  const canvas = $<HTMLCanvasElement>('grid');
  [canvas.width, canvas.height] = [grid.width, grid.height];
  canvas
    .getContext('2d')
    ?.putImageData(new ImageData(new Uint8ClampedArray(grid.data), grid.width, grid.height), 0, 0);
  document.body.dataset.grids = String(Number(document.body.dataset.grids ?? 0) + 1);
}

const backend = await setupBackend({ prefer: ['webgl', 'cpu'], allowSoftwareWebgl: true });
$('backend').textContent = `${backend.name} — ${backend.description}`;

status('loading sprites…');
const files: string[] = await (await fetch('/sprites/index.json')).json();
const sprites = await imageUrls(
  files.slice(0, spriteLimit).map((f) => `/sprites/${f}`),
  {
    resolution: RESOLUTION,
    fit: 'contain',
    dedupe: true,
    onProgress: (done, total) => status(`loading sprites ${done}/${total}`),
  },
);
const batches = sprites.batches(BATCH, { shuffle: 1, flip: true });
const generator = dcganGenerator({
  resolution: RESOLUTION,
  latentDim: LATENT,
  baseFilters: 16,
  seed: 1,
});
const critic = dcganDiscriminator({
  resolution: RESOLUTION,
  baseFilters: 16,
  norm: 'none',
  minibatchDiscrimination: { numKernels: 16, kernelDim: 4 },
  output: 'score',
  seed: 2,
});
const rows: StepMetrics[] = [];
const trainer = createTrainer({
  ...wganGp({ allowBatchCoupling: true }),
  generator,
  discriminator: critic,
  seed: 1,
  ema: { decay: 0.99 },
  augment: (x, s) => diffAugment(x, s),
  logEvery: 1,
  samples: { every: 10, count: 64 },
  callbacks: { onSamples: (images) => drawGrid(images) },
});
status(`${sprites.length} sprites loaded (${sprites.skipped.length} skipped); press Start`);
document.body.dataset.ready = 'true';

let controller: AbortController | undefined;
async function run(): Promise<void> {
  controller = new AbortController();
  $<HTMLButtonElement>('start').disabled = true;
  $<HTMLButtonElement>('pause').disabled = false;
  await trainer.fit(batches, {
    epochs: 1_000_000,
    signal: controller.signal,
    onStep: async (m) => {
      rows.push(m);
      document.body.dataset.iteration = String(m.iteration);
      status(
        `epoch ${m.epoch + 1}  iteration ${m.iteration}  critic ${m.discriminatorLoss?.toFixed(3)}  ` +
          `G ${m.generatorLoss?.toFixed(3)}  W≈${m.wasserstein?.toFixed(3)}  ${m.imagesPerSecond.toFixed(1)} img/s`,
      );
      if (m.iteration % 5 === 0) {
        $('chart').innerHTML = lossChart(rows as never, [
          'wasserstein',
          'discriminatorLoss',
          'generatorLoss',
        ]);
        document.body.dataset.charts = String(Number(document.body.dataset.charts ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve)); // keep the page responsive
    },
  });
  $<HTMLButtonElement>('start').disabled = false;
  $<HTMLButtonElement>('start').textContent = 'Resume';
  $<HTMLButtonElement>('pause').disabled = true;
  for (const id of ['save', 'download']) $<HTMLButtonElement>(id).disabled = false;
}

$('start').addEventListener('click', () => void run());
$('pause').addEventListener('click', () => controller?.abort());
$('save').addEventListener('click', async () => {
  await trainer.sampler.save('indexeddb://pokemon-wgan-generator');
  status('EMA generator saved to indexeddb://pokemon-wgan-generator');
});
$('download').addEventListener(
  'click',
  () => void trainer.sampler.save('downloads://pokemon-wgan-generator'),
);
// A generator the Node CLI wrote (runs/<name>/generator: model.json + weights.bin), same format.
$('load').addEventListener('change', async (event) => {
  const picked = Array.from((event.target as HTMLInputElement).files ?? []);
  const json = picked.find((f) => f.name.endsWith('.json'));
  const weights = picked.filter((f) => f.name.endsWith('.bin'));
  if (!json || weights.length === 0) return status('pick model.json and weights.bin together');
  const model = await tfl.loadLayersModel(tf.io.browserFiles([json, ...weights]));
  const latent = model.inputs[0].shape[1] as number;
  const images = tf.tidy(
    () => model.predict(tf.randomNormal([64, latent], 0, 1, 'float32', 7)) as tf.Tensor,
  );
  await drawGrid(images);
  images.dispose();
  model.dispose();
  status(`sampled 64 images from ${json.name}`);
});
