import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelDir } from '@gan/core/node';
import { expectSamePredictions, mlpGan, testBackend } from '@gan/test-utils';
import { scratchDirs } from '@gan/test-utils/node';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { type Checkpoint, CheckpointError, type CheckpointStore } from '../checkpoint/types';
import { createTrainer, type Trainer } from '../index';
import type { TrainingWarning } from '../monitor';
import { wganGp } from '../presets/presets';
import { fileCheckpoints } from './file-checkpoints';

const here = dirname(fileURLToPath(import.meta.url));
const scratch = scratchDirs('gan-ckpt-');

function trainer(seed = 3, warnings: TrainingWarning[] = []): Trainer {
  const { generator, discriminator } = mlpGan({ seed });
  return createTrainer({
    ...wganGp({ nCritic: 2 }),
    generator,
    discriminator,
    seed: 5,
    ema: true,
    warnings: null,
    callbacks: { onWarning: (w) => warnings.push(w) },
  });
}
const dispose = (t: Trainer) => {
  const { generator, discriminator } = t.context;
  t.dispose();
  generator.dispose();
  discriminator.dispose();
};
const data = () => tf.randomNormal([32, 2], 0, 1, 'float32', 9);

describe(`fileCheckpoints [${testBackend()}]`, () => {
  it('writes tfjs-format directories with a checksummed manifest, and resumes bit-identically', async () => {
    const dir = await scratch();
    const store = fileCheckpoints(dir);
    const x = data();
    const whole = trainer();
    await whole.fit(x, { batchSize: 8, steps: 14 });
    const first = trainer();
    await first.fit(x, { batchSize: 8, steps: 6 });
    const id = await first.save(store);
    expect(id).toBe('ckpt-000000006');
    const files = (await readdir(join(dir, id), { recursive: true })).sort();
    expect(files).toEqual(
      [
        'discriminator',
        'discriminator/model.json',
        'discriminator/weights.bin',
        'discriminatorOptimizer',
        'discriminatorOptimizer/model.json',
        'discriminatorOptimizer/weights.bin',
        'ema',
        'ema/model.json',
        'ema/weights.bin',
        'generator',
        'generator/model.json',
        'generator/weights.bin',
        'generatorOptimizer',
        'generatorOptimizer/model.json',
        'generatorOptimizer/weights.bin',
        'manifest.json',
        'state.json',
      ].sort(),
    );
    // The generator directory is a plain tfjs model: load it with tfjs-layers, by hand (as
    // earlier releases read it) and through @gan/core/node.
    const modelJson = JSON.parse(await readFile(join(dir, id, 'generator/model.json'), 'utf8'));
    const weights = await readFile(join(dir, id, 'generator/weights.bin'));
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: weights.buffer.slice(
          weights.byteOffset,
          weights.byteOffset + weights.byteLength,
        ),
      }),
    );
    const viaCore = await tfl.loadLayersModel(modelDir(join(dir, id, 'generator')));
    const z = tf.randomNormal([3, 4], 0, 1, 'float32', 1);
    const [a, b] = [loaded.predict(z), first.context.generator.predict(z)] as tf.Tensor[];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expectSamePredictions(viaCore, loaded, z);
    viaCore.dispose();

    const second = trainer(77);
    expect(await second.load(store)).toBe(id);
    await second.fit(x, { batchSize: 8, steps: 8 });
    const w = (t: Trainer) =>
      [...t.context.generator.getWeights(), ...t.sampler.getWeights()].map((v) =>
        Array.from(v.dataSync()),
      );
    expect(w(second)).toEqual(w(whole));
    tf.dispose([x, z, a, b]);
    loaded.dispose();
    for (const t of [whole, first, second]) dispose(t);
  });

  it('writes model.json and weights.bin byte for byte as before @gan/core decoded them, and names undecodable parts', async () => {
    const dir = await scratch();
    const inner = fileCheckpoints(dir);
    const saved: Checkpoint[] = [];
    const store: CheckpointStore = {
      ...inner,
      save: (checkpoint) => {
        saved.push(checkpoint);
        return inner.save(checkpoint);
      },
    };
    const x = data();
    const t = trainer();
    await t.fit(x, { batchSize: 8, steps: 2 });
    const id = await t.save(store);
    const root = join(dir, id);
    for (const [name, part] of Object.entries(saved[0].parts)) {
      // The writer of earlier releases, verbatim.
      const before = JSON.stringify({
        format: part.format ?? 'layers-model',
        generatedBy: part.generatedBy,
        convertedBy: part.convertedBy ?? null,
        modelTopology: part.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: part.weightSpecs }],
      });
      expect(await readFile(join(root, name, 'model.json'), 'utf8'), name).toBe(before);
      expect(new Uint8Array(await readFile(join(root, name, 'weights.bin'))), name).toEqual(
        new Uint8Array(part.weightData),
      );
    }
    // Files that pass their checksums but do not decode (a hand-edited checkpoint, say).
    const manifestPath = join(root, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const rewrite = async (file: string, text: string) => {
      await writeFile(join(root, file), text);
      const entry = manifest.files.find((f: { path: string }) => f.path === file);
      entry.bytes = Buffer.byteLength(text);
      entry.sha256 = createHash('sha256').update(text).digest('hex');
      await writeFile(manifestPath, JSON.stringify(manifest));
    };
    const generatorJson = await readFile(join(root, 'generator', 'model.json'), 'utf8');
    await rewrite(join('generator', 'model.json'), '{"modelTopology": {}}');
    await expect(store.load()).rejects.toThrow(
      new RegExp(
        `checkpoint ${root} is damaged: ${root}/generator/model.json cannot be decoded \\(parseModelJson: modelJson: model.json has no weightsManifest`,
      ),
    );
    const spec = JSON.parse(generatorJson);
    spec.weightsManifest[0].weights[0].shape[0] += 1;
    await rewrite(join('generator', 'model.json'), JSON.stringify(spec));
    await expect(store.load()).rejects.toThrow(
      /generator\/weights.bin cannot be decoded \(decodeModelArtifacts: weights: weights.bin holds \d+ bytes, but the \d+ weight specs of model.json need \d+\)/,
    );
    await rewrite(join('generator', 'model.json'), generatorJson);
    expect((await store.load()).state.iteration).toBe(2);
    x.dispose();
    dispose(t);
  });

  it('keeps the last K, names a damaged file and the previous checkpoint, and falls back to it', async () => {
    const dir = await scratch();
    const store = fileCheckpoints(dir, { keep: 2 });
    const x = data();
    const t = trainer();
    for (let i = 0; i < 3; i++) {
      await t.fit(x, { batchSize: 8, steps: 2 });
      await t.save(store);
    }
    expect(await store.list()).toEqual(['ckpt-000000004', 'ckpt-000000006']);
    const weightsPath = join(dir, 'ckpt-000000006', 'discriminator', 'weights.bin');
    const bytes = await readFile(weightsPath);
    bytes[5] ^= 0xff;
    await writeFile(weightsPath, bytes);
    const error = await store.load().catch((e) => e);
    expect(error).toBeInstanceOf(CheckpointError);
    expect(error.message).toContain(weightsPath);
    expect(error.message).toMatch(
      /fails its SHA-256 check; the previous checkpoint is .*ckpt-000000004/,
    );
    expect(error.previous).toBe('ckpt-000000004');
    await rm(join(dir, 'ckpt-000000004', 'state.json'));
    await expect(store.load('ckpt-000000004')).rejects.toThrow(/state.json is missing/);

    const warnings: TrainingWarning[] = [];
    await t.save(fileCheckpoints(dir, { keep: 5 })); // ckpt 6 again, intact
    await rm(join(dir, 'ckpt-000000006', 'manifest.json'));
    await t.fit(x, { batchSize: 8, steps: 1 });
    await t.save(store); // 7, keep 2: 6 (damaged) and 7
    await writeFile(join(dir, 'ckpt-000000007', 'state.json'), '{');
    const fresh = trainer(11, warnings);
    await expect(fresh.load(store)).rejects.toThrow(CheckpointError);
    await expect(fresh.load(store, { fallback: true })).rejects.toThrow(/manifest.json is missing/);
    expect(warnings).toHaveLength(2);
    x.dispose();
    dispose(t);
    dispose(fresh);
  });

  it('never leaves the latest checkpoint unreadable when the writer is killed (kill -9)', async () => {
    const dist = resolve(here, '../../dist/node.js');
    expect(existsSync(dist), 'build @gan/trainers first (npm test does)').toBe(true);
    const dir = await scratch();
    const script = join(dir, 'writer.mjs');
    // A writer saving 4 MB checkpoints as fast as it can, forever.
    await writeFile(
      script,
      `import { fileCheckpoints } from ${JSON.stringify(dist)};
const store = fileCheckpoints(${JSON.stringify(join(dir, 'ckpt'))}, { keep: 2 });
const weightData = new Uint8Array(4 << 20).map((_, i) => i & 255).buffer;
const part = { modelTopology: {}, weightSpecs: [{ name: 'w', shape: [1 << 20], dtype: 'float32' }], weightData };
for (let iteration = 1; ; iteration++) {
  await store.save({ state: { format: 'gan-trainer-checkpoint', version: 1, iteration }, parts: { a: part, b: part } });
  process.stdout.write('.');
}
`,
    );
    const store = fileCheckpoints(join(dir, 'ckpt'));
    let checked = 0;
    for (let run = 0; run < 12; run++) {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Wait for at least one finished save, then kill at a random moment of a later one.
      await new Promise<void>((done) => child.stdout.once('data', () => done()));
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const ids = await store.list();
      const latest = await store.load();
      expect(latest.state.iteration).toBe(Number(ids.at(-1)?.slice(5)));
      expect(latest.parts.a.weightData.byteLength).toBe(4 << 20);
      checked++;
    }
    expect(checked).toBe(12);
  });
});
