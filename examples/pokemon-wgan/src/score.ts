// npm run score -w pokemon-wgan -- --model runs/quick/generator: how good a run is, by one yardstick.
// 256 EMA samples and two disjoint sets of 256 random real sprites at the run's resolution, as
// PNG folders, scored by `gan-fid` (nsfwjs InceptionV3: FID-LIKE, not comparable to published
// FID): real vs real (the floor at this resolution and sample count) and samples vs real.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { epochPermutation, SeedStream, sampleLatents, setupBackend } from '@gan/core';
import { modelDir } from '@gan/core/node';
import { encodePng, imageGrid, imagesToTensor } from '@gan/data';
import { pokemonSprites } from '@gan/data/node';
import { nativeCpuBackend } from '@gan/native-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    n: { type: 'string', default: '256' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.model) throw new Error('score: --model DIR (a generator folder) is required');
const [n, seed] = [Number(values.n), Number(values.seed)];
const out = values.out ?? join(values.model, '..', 'score');
await setupBackend({ candidates: [nativeCpuBackend()], logger: null });
const model = await tfl.loadLayersModel(modelDir(values.model));
const resolution = model.outputs[0].shape[1] as number;
const latentDim = model.inputs[0].shape[1] as number;

/** Images [k, h, w, 3] in [−1, 1] as PNG files in `dir`. */
async function writeFolder(dir: string, images: tf.Tensor4D): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < images.shape[0]; i++) {
    const one = tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]);
    const png = encodePng(await imageGrid(one, { cols: 1, padding: 0 }));
    writeFileSync(join(dir, `${String(i).padStart(4, '0')}.png`), png);
    one.dispose();
  }
}

// The real sets depend only on resolution, n and seed: shared by every run's score.
const realDir = join(out, '..', '..', `.real-${resolution}px-${n}-seed${seed}`);
if (!existsSync(join(realDir, 'b'))) {
  const sprites = await pokemonSprites({ resolution });
  const order = epochPermutation(sprites.length, seed, 0);
  for (const [k, name] of ['a', 'b'].entries()) {
    const picked = await Promise.all(order.slice(k * n, (k + 1) * n).map((i) => sprites.get(i)));
    const images = imagesToTensor(picked);
    await writeFolder(join(realDir, name), images);
    images.dispose();
  }
  await sprites.close();
}
const fake = tf.tidy(
  () => model.predict(sampleLatents(n, latentDim, new SeedStream(seed + 100))) as tf.Tensor4D,
);
await writeFolder(join(out, 'samples'), fake);
fake.dispose();
model.dispose();

const ganFid = createRequire(import.meta.url)
  .resolve('@gan/fid/package.json')
  .replace(/package\.json$/, 'dist/cli.js');
const score = (a: string, b: string) => {
  const args = [ganFid, a, b, '--kid', '--precision-recall', '--json'];
  const lines = execFileSync(process.execPath, args, { encoding: 'utf8' }).trim().split('\n');
  return JSON.parse(lines.at(-1) as string);
};
// Real vs real depends only on the real sets: scored once, kept beside them.
const floorFile = join(realDir, 'floor.json');
if (!existsSync(floorFile))
  writeFileSync(floorFile, JSON.stringify(score(join(realDir, 'a'), join(realDir, 'b'))));
const floor = JSON.parse(readFileSync(floorFile, 'utf8'));
const run = score(join(realDir, 'a'), join(out, 'samples'));
const result = {
  resolution,
  n,
  realVsReal: floor.fid,
  samplesVsReal: run.fid,
  ratio: run.fid / floor.fid,
  kid: run.kid?.mean,
  precision: run.precisionRecall?.precision,
  recall: run.precisionRecall?.recall,
  label: run.label,
};
writeFileSync(join(out, 'score.json'), `${JSON.stringify(result)}\n`);
console.log(
  `${run.label ?? 'FID-like'} at ${resolution} px, ${n} vs ${n}: real vs real ${floor.fid.toFixed(3)}, samples vs real ${run.fid.toFixed(3)} (${result.ratio.toFixed(1)}× the floor); precision ${result.precision?.toFixed(3)}, recall ${result.recall?.toFixed(3)}`,
);
