// The browser dashboard: the same @gan/* training as the Node CLI, on WebGL, in this tab.
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setupBackend } from '@gan/core';
import { imageGrid } from '@gan/data';
import { drawToCanvas, imageUrls } from '@gan/data/browser';
import { type MountedChart, mountChart, trainingCharts } from '@gan/report';
import { createTrainer, type StepMetrics, type TrainerCallback } from '@gan/trainers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { CONFIGS, DEFAULTS, pokemonWganGp } from '../src/recipe';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
const spriteLimit = Number(params.get('sprites')) || undefined; // ?sprites=64 loads fewer (tests)
// The CLI's quick configuration, from the same recipe.
const config = { ...DEFAULTS, ...CONFIGS.quick, batchSize: Number(params.get('batch')) || 32 };

const status = (text: string) => {
  $('stats').textContent = text;
};

async function drawGrid(images: tf.Tensor): Promise<void> {
  drawToCanvas($<HTMLCanvasElement>('grid'), await imageGrid(images, { cols: 8, padding: 1 }));
  document.body.dataset.grids = String(Number(document.body.dataset.grids ?? 0) + 1);
}

const backend = await setupBackend({ prefer: ['webgl', 'cpu'], allowSoftwareWebgl: true });
$('backend').textContent = `${backend.name} — ${backend.description}`;

status('loading sprites…');
const files: string[] = await (await fetch('/sprites/index.json')).json();
const sprites = await imageUrls(
  files.slice(0, spriteLimit).map((f) => `/sprites/${f}`),
  {
    resolution: config.resolution,
    fit: 'contain',
    dedupe: true,
    onProgress: (done, total) => status(`loading sprites ${done}/${total}`),
  },
);
const batches = sprites.batches(config.batchSize, { shuffle: config.seed, flip: true });
const recipe = pokemonWganGp(config);
const grid = tf.randomNormal([64, config.latentDim], 0, 1, 'float32', config.seed);
const rows: StepMetrics[] = [];
// The charts the CLI's run report draws (@gan/report's specs, rendered live by ECharts here).
const charts = new Map<string, MountedChart>();
function drawCharts(): void {
  for (const spec of trainingCharts(rows)) {
    const chart = charts.get(spec.title);
    if (chart) chart.update(spec);
    else {
      const element = document.createElement('div');
      element.className = 'chart';
      $('charts').append(element);
      charts.set(spec.title, mountChart(element, spec));
    }
  }
  document.body.dataset.charts = String(Number(document.body.dataset.charts ?? 0) + 1);
}
// The page is callbacks: the stats line and the charts at every read of the losses, the sample
// grid (fixed latents, EMA generator) every 10 iterations.
const dashboard: TrainerCallback = {
  name: 'dashboard',
  every: { iterations: 1 },
  async onStep(_, m) {
    rows.push(m);
    document.body.dataset.iteration = String(m.iteration);
    status(
      `epoch ${m.epoch + 1}  iteration ${m.iteration}  critic ${m.discriminatorLoss?.toFixed(3)}  ` +
        `G ${m.generatorLoss?.toFixed(3)}  W≈${m.wasserstein?.toFixed(3)}  ${m.imagesPerSecond.toFixed(1)} img/s`,
    );
    if (m.iteration % 5 === 0) drawCharts();
    await new Promise((resolve) => setTimeout(resolve)); // keep the page responsive
  },
};
const samples: TrainerCallback = {
  name: 'samples',
  every: { iterations: 10 },
  async onStep(trainer) {
    const images = trainer.generate(grid);
    await drawGrid(images);
    images.dispose();
  },
};
const trainer = createTrainer({ ...recipe, logEvery: 1, callbacks: [dashboard, samples] });
status(`${sprites.length} sprites loaded (${sprites.skipped.length} skipped); press Start`);
document.body.dataset.ready = 'true';

let controller: AbortController | undefined;
async function run(): Promise<void> {
  controller = new AbortController();
  $<HTMLButtonElement>('start').disabled = true;
  $<HTMLButtonElement>('pause').disabled = false;
  await trainer.fit(batches, { epochs: 1_000_000, signal: controller.signal });
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
