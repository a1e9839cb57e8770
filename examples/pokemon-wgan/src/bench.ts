// npm run bench -w pokemon-wgan: where the quick run's time goes. Milliseconds per iteration of
// the quick recipe on the real sprites, and of the same recipe without each extra (interleaved
// rounds, best of each), then the one-off costs of the per-epoch outputs. Table + one JSON line.
import { setupBackend } from '@gan/core';
import { pokemonSprites } from '@gan/data/node';
import { fidEvaluator, nsfwjsInceptionV3, pixelExtractor } from '@gan/fid';
import { nativeCpuBackend } from '@gan/native-cpu';
import { createTrainer, type TrainerOptions } from '@gan/trainers';
import { CONFIGS, DEFAULTS, disposeRecipe, pokemonWganGp, type RecipeOptions } from './recipe';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const base = { ...DEFAULTS, ...CONFIGS.quick };
const VARIANTS: Record<string, Partial<RecipeOptions>> = {
  'quick recipe': {},
  'no DiffAugment': { augment: false },
  'no minibatch discrimination': { minibatchDiscrimination: false },
  'no EMA': { emaDecay: 0 },
  'lazy penalty (every 4th)': { penaltyEvery: 4 },
  bare: { augment: false, minibatchDiscrimination: false, emaDecay: 0 },
};

const backend = await setupBackend({ candidates: [nativeCpuBackend()] });
const images = await pokemonSprites({ resolution: base.resolution });
const batches = images.batches(base.batchSize, { shuffle: 1, flip: true });
const [real] = await batches.take(1).toArray(0);

async function msPerIteration(options: Partial<RecipeOptions>): Promise<number> {
  const recipe: TrainerOptions = pokemonWganGp({ ...base, ...options });
  const trainer = createTrainer({ ...recipe, logEvery: 10, warnings: null });
  for (let i = 0; i < 10; i++) await trainer.step(real); // warm-up: kernels, optimizer slots
  const start = performance.now();
  for (let i = 0; i < ITERATIONS; i++) await trainer.step(real);
  const ms = (performance.now() - start) / ITERATIONS;
  trainer.dispose();
  disposeRecipe(recipe);
  return ms;
}

const times: Record<string, number[]> = Object.fromEntries(
  Object.keys(VARIANTS).map((name) => [name, []]),
);
for (let r = 0; r < ROUNDS; r++)
  for (const [name, options] of Object.entries(VARIANTS))
    times[name].push(await msPerIteration(options));
const full = Math.min(...times['quick recipe']);
const iterations = Object.entries(times).map(([variant, ms]) => ({
  variant,
  ms_per_iteration: Number(Math.min(...ms).toFixed(2)),
  vs_quick_recipe: Number((Math.min(...ms) / full).toFixed(2)),
}));

// One-off costs: what each output costs when it runs (per epoch, or at the start and end).
const recipe = pokemonWganGp(base);
const trainer = createTrainer({ ...recipe, warnings: null });
const once = async (name: string, run: () => Promise<unknown>) => {
  const start = performance.now();
  await run();
  return { output: name, ms: Number((performance.now() - start).toFixed(0)) };
};
const inOrder = () => images.batches(16, { dropRemainder: false });
const pixelKid = fidEvaluator({
  real: inOrder(),
  samples: 256,
  extractor: pixelExtractor({ size: base.resolution }),
  fid: false,
  kid: { subsets: 20, subsetSize: 200, seed: 1 },
});
const inception = fidEvaluator({
  real: inOrder(),
  samples: 64,
  extractor: nsfwjsInceptionV3,
  kid: { subsets: 50, subsetSize: 32, seed: 1 },
});
const outputs = [
  await once('pixel KID (256 vs 256, first: real features too)', () => pixelKid.score(trainer)),
  await once('pixel KID (256 vs 256, again)', () => pixelKid.score(trainer)),
  await once('FID-like + KID (64 vs 64, nsfwjs; first: loads the network)', () =>
    inception.score(trainer),
  ),
  await once('FID-like + KID (64 vs 64, again)', () => inception.score(trainer)),
];
pixelKid.dispose();
inception.dispose();
trainer.dispose();
disposeRecipe(recipe);
real.dispose();
await images.close();

console.table(iterations);
console.table(outputs);
console.log(
  JSON.stringify({
    benchmark: 'pokemon-wgan quick run: where the time goes',
    backend: backend.name,
    note: `ms per iteration (n_critic ${base.nCritic}: one critic step each, a generator step every ${base.nCritic}th), best of ${ROUNDS} interleaved rounds of ${ITERATIONS} after 10 warm-up, batch ${base.batchSize} at ${base.resolution}×${base.resolution}`,
    iterations,
    outputs,
  }),
);
