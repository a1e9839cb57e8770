// Pick a class, see it: a class-conditional generator the Node CLI saved, sampled on WebGL.
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setupBackend } from '@gan/core';
import { imageGrid } from '@gan/data';
import { drawToCanvas } from '@gan/data/browser';
// Registers the custom layers (conditional batch norm, the projection) a saved model names.
import '@gan/layers';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = (text: string) => {
  $('stats').textContent = text;
};
const backend = await setupBackend({ prefer: ['webgl', 'cpu'], allowSoftwareWebgl: true });
$('backend').textContent = `${backend.name} — ${backend.description}`;

let model: tfl.LayersModel | undefined;
let classes: string[] = [];
let seed = 1;

/** 64 images of the selected class (one-hot labels, fresh latents) into the canvas. */
async function sample(): Promise<void> {
  if (!model) return;
  const k = Number($<HTMLSelectElement>('class').value);
  const latent = model.inputs[0].shape[1] as number;
  const loaded = model;
  const images = tf.tidy(() => {
    const labels = tf.cast(
      tf.oneHot(tf.fill([64], k, 'int32') as tf.Tensor1D, classes.length),
      'float32',
    );
    return loaded.predict([
      tf.randomNormal([64, latent], 0, 1, 'float32', seed),
      labels,
    ]) as tf.Tensor;
  });
  const grid = await imageGrid(images, { cols: 8, padding: 1 });
  images.dispose();
  drawToCanvas($<HTMLCanvasElement>('grid'), grid);
  document.body.dataset.grids = String(Number(document.body.dataset.grids ?? 0) + 1);
  status(`64 samples of class ${k}, ${classes[k]} (latent seed ${seed})`);
}

/** Shows an error in the status line (and marks the page, for the test) instead of losing it. */
const reported =
  <A extends unknown[]>(f: (...args: A) => Promise<void>) =>
  (...args: A) =>
    f(...args).catch((error: Error) => {
      status(`error: ${error.message}`);
      document.body.dataset.error = error.message;
    });

$('load').addEventListener(
  'change',
  reported(async (event: Event) => {
    const picked = Array.from((event.target as HTMLInputElement).files ?? []);
    const json = picked.find((f) => f.name === 'model.json');
    const weights = picked.filter((f) => f.name.endsWith('.bin'));
    if (!json || weights.length === 0) return status('pick model.json and weights.bin together');
    model?.dispose();
    model = await tfl.loadLayersModel(tf.io.browserFiles([json, ...weights]));
    if (model.inputs.length !== 2) {
      model.dispose();
      model = undefined;
      return status('this generator takes no labels: pick one a class-conditional run saved');
    }
    const count = model.inputs[1].shape[1] as number;
    // The class names a run saves in model.json (its user-defined metadata), else their indices.
    const saved = (model.getUserDefinedMetadata() as { classes?: string[] } | undefined)?.classes;
    classes = saved ?? Array.from({ length: count }, (_, i) => `class ${i}`);
    const select = $<HTMLSelectElement>('class');
    select.replaceChildren(...classes.map((c, i) => new Option(c, String(i))));
    select.disabled = false;
    $<HTMLButtonElement>('again').disabled = false;
    await sample();
  }),
);
$('class').addEventListener('change', reported(sample));
$('again').addEventListener(
  'click',
  reported(async () => {
    seed++;
    await sample();
  }),
);
document.body.dataset.ready = 'true';
