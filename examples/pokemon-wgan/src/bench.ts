// npm run bench -w pokemon-wgan: where the quick run's time goes. Milliseconds per iteration of
// the quick recipe on the real sprites, of the same recipe with each extra switched on or off,
// and through fit() on the data pipeline (interleaved rounds, best of each), then the one-off
// costs of the per-epoch outputs. Table + one JSON line.
import { setupBackend } from '@gan/core';
import { pokemonSprites } from '@gan/data/node';
import { fidEvaluator, nsfwjsInceptionV3, pixelExtractor } from '@gan/fid';
import { nativeCpuBackend } from '@gan/native-cpu';
import { createTrainer, type TrainerOptions } from '@gan/trainers';
import { CONFIGS, DEFAULTS, disposeRecipe, pokemonWganGp, type RecipeOptions } from './recipe';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const base = { ...DEFAULTS, ...CONFIGS.quick };
/** The quick recipe, then each extra switched on (or off) alone. */
const VARIANTS: Record<string, Partial<RecipeOptions>> = {
  'quick recipe': {},
  '+ DiffAugment': { augment: 'diffaugment' },
  '+ ADA (r_v on 32 held-out images)': { augment: 'ada' },
  '+ minibatch discrimination': { minibatchDiscrimination: true },
  'without EMA': { emaDecay: 0 },
  'penalty on every critic step (not lazy)': { penaltyEvery: 1 },
  "n_critic 5 (the paper's)": { nCritic: 5 },
};

const backend = await setupBackend({ candidates: [nativeCpuBackend()] });
const images = await pokemonSprites({ resolution: base.resolution });
const FIT = 'quick recipe through fit() (data pipeline)';
const batches = images.batches(base.batchSize, { shuffle: 1, flip: true });
const [real] = await batches.take(1).toArray(0);

/**
 * ms per iteration of a variant: steps on one fixed batch, or (`fit`) through `trainer.fit` on the
 * shuffled, flipped batches — what the data pipeline and the loop add.
 */
async function msPerIteration(options: Partial<RecipeOptions>, fit = false): Promise<number> {
  const recipe: TrainerOptions = pokemonWganGp({ ...base, ...options, validation: real });
  const trainer = createTrainer({ ...recipe, logEvery: 10, warnings: null });
  const run = (steps: number) =>
    fit
      ? trainer.fit(batches, { steps })
      : (async () => {
          for (let i = 0; i < steps; i++) await trainer.step(real);
        })();
  await run(10); // warm-up: kernels, optimizer slots
  const start = performance.now();
  await run(ITERATIONS);
  const ms = (performance.now() - start) / ITERATIONS;
  trainer.dispose();
  disposeRecipe(recipe);
  return ms;
}

const times: Record<string, number[]> = Object.fromEntries(
  [...Object.keys(VARIANTS), FIT].map((name) => [name, []]),
);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, options] of Object.entries(VARIANTS))
    times[name].push(await msPerIteration(options));
  times[FIT].push(await msPerIteration({}, true));
}
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
    note: `ms per iteration (n_critic ${base.nCritic}: one critic step each, a generator step after every ${base.nCritic} critic steps), best of ${ROUNDS} interleaved rounds of ${ITERATIONS} after 10 warm-up, batch ${base.batchSize} at ${base.resolution}×${base.resolution}`,
    iterations,
    outputs,
  }),
);
