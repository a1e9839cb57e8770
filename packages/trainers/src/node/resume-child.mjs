// The training process of kill-resume.node.test.ts (plain JavaScript on the built package, run by
// `node`, killed with SIGKILL at random moments): a seeded WGAN-GP on two MLPs with Adam
// β₂ = 0.999 (whose accumulated powers tfjs alone restores inexactly at most steps) and an EMA,
// checkpointing every iteration into DIR (keep 2). On start it resumes from DIR's newest
// readable checkpoint, if any; when the run is complete it writes DIR/final.json, the weights
// of G, D and the EMA generator and both optimizers' state.
//   node resume-child.mjs DIR ITERATIONS
import '@tensorflow/tfjs-backend-cpu';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { createTrainer, wganGp } from '../../dist/index.js';
import { fileCheckpoints } from '../../dist/node.js';

const [dir, iterations] = [process.argv[2], Number(process.argv[3])];
await tf.setBackend('cpu');
tf.findBackend('cpu').firstUse = false; // tfjs's Node banner

let seed = 1;
const dense = (units, extra = {}) =>
  tfl.layers.dense({
    units,
    kernelInitializer: tfl.initializers.glorotUniform({ seed: seed++ }),
    ...extra,
  });
const generator = tfl.sequential({
  layers: [dense(16, { inputShape: [4], activation: 'relu' }), dense(2)],
});
const discriminator = tfl.sequential({
  layers: [dense(16, { inputShape: [2] }), tfl.layers.leakyReLU({ alpha: 0.2 }), dense(1)],
});
const store = fileCheckpoints(join(dir, 'checkpoints'), { keep: 2 });
const preset = wganGp({ nCritic: 2 });
preset.optimizers.generator.dispose();
preset.optimizers.discriminator.dispose();
const trainer = createTrainer({
  ...preset,
  optimizers: {
    generator: tf.train.adam(2e-4, 0.5, 0.999),
    discriminator: tf.train.adam(2e-4, 0.5, 0.999),
  },
  generator,
  discriminator,
  seed: 5,
  ema: { decay: 0.9 },
  warnings: null,
  checkpoints: { store, every: 1 },
  // One dot per checkpoint written: the test kills at a random one of them.
  callbacks: { onCheckpoint: () => process.stdout.write('.') },
});
if ((await store.list()).length > 0) await trainer.load(store, { fallback: true });
const data = tf.randomNormal([24, 2], 0, 1, 'float32', 9);
const left = iterations - trainer.state.iteration;
if (left > 0) await trainer.fit(data, { batchSize: 8, steps: left });

const state = {};
for (const [name, model] of [
  ['generator', generator],
  ['discriminator', discriminator],
  ['ema', trainer.sampler],
])
  state[name] = model.getWeights().map((w) => Array.from(w.dataSync()));
// The optimizers' whole state (slots, accumulated powers) as the last checkpoint holds it.
const latest = await store.load();
for (const net of ['generator', 'discriminator'])
  state[`${net}Optimizer`] = Array.from(new Uint8Array(latest.parts[`${net}Optimizer`].weightData));
state.iteration = trainer.state.iteration;
writeFileSync(join(dir, 'final.json'), JSON.stringify(state));
