import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  expectArgError,
  expectArgErrorAsync,
  expectNoLeaksAsync,
  expectSamePredictions,
  testBackend,
} from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  convDenseModel,
  convDenseInput as input,
  savedArtifacts as saved,
} from '../testing/conv-dense';
import { modelDir, readModelDir, writeModel, writeModelDir } from './model-dir';

const dirs: string[] = [];
const scratch = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gan-model-dir-'));
  dirs.push(dir);
  return dir;
};
const models: tfl.LayersModel[] = [];
const model = (seed = 1) => {
  const m = convDenseModel(seed);
  models.push(m);
  return m;
};
afterAll(async () => {
  for (const m of models) m.dispose();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** What examples/pokemon-wgan's saveModel wrote before @gan/core/node existed. */
async function oldSaveModel(m: tfl.LayersModel, dir: string): Promise<void> {
  const artifacts = await saved(m);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'weights.bin'),
    new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0))),
  );
  const { weightData: _, weightSpecs, ...rest } = artifacts;
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      ...rest,
      weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
    }),
  );
}

const predictionsMatch = (a: tfl.LayersModel, b: tfl.LayersModel) => {
  const x = input();
  expectSamePredictions(a, b, x);
  x.dispose();
};

describe(`@gan/core/node model directories [${testBackend()}]`, () => {
  it('model.save(modelDir(dir)) and loadLayersModel(modelDir(dir)) round-trip a conv + dense model', async () => {
    const dir = join(await scratch(), 'out', 'generator');
    const original = model();
    const result = await original.save(modelDir(dir));
    expect(result.modelArtifactsInfo).toMatchObject({
      modelTopologyType: 'JSON',
      weightDataBytes: 2020,
    });
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    // Nothing staged is left beside it.
    expect(await readdir(join(dir, '..'))).toEqual(['generator']);
    const loaded = await tfl.loadLayersModel(modelDir(dir));
    models.push(loaded);
    predictionsMatch(original, loaded);
  });

  it('writeModelDir / readModelDir round-trip, and write what the old example wrote, byte for byte', async () => {
    const root = await scratch();
    const original = model(2);
    // Files only: writing and reading hold no tensors.
    await expectNoLeaksAsync(async () => {
      await writeModelDir(join(root, 'new'), await saved(original));
      await readModelDir(join(root, 'new'));
    });
    await oldSaveModel(original, join(root, 'old'));
    for (const file of ['model.json', 'weights.bin'])
      expect(await readFile(join(root, 'new', file))).toEqual(
        await readFile(join(root, 'old', file)),
      );
    for (const dir of ['new', 'old', join('old', 'model.json')]) {
      const artifacts = await readModelDir(join(root, dir));
      expect(artifacts.weightData.byteLength).toBe(2020);
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      predictionsMatch(original, loaded);
      loaded.dispose();
    }
  });

  it('reads a sharded directory (group1-shard1of3.bin …) and replaces it whole', async () => {
    const dir = await scratch();
    const original = model(3);
    const artifacts = await saved(original);
    const bytes = new Uint8Array(artifacts.weightData as ArrayBuffer);
    const paths = [1, 2, 3].map((i) => `group1-shard${i}of3.bin`);
    for (const [i, path] of paths.entries())
      await writeFile(join(dir, path), bytes.subarray(i * 700, (i + 1) * 700));
    const { weightData: _, weightSpecs, ...rest } = artifacts;
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({ ...rest, weightsManifest: [{ paths, weights: weightSpecs }] }),
    );
    const loaded = await tfl.loadLayersModel(modelDir(dir));
    predictionsMatch(original, loaded);
    loaded.dispose();
    await writeFile(join(dir, paths[2]), bytes.subarray(1400, 2010));
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      new RegExp(
        `dir: the weight files \\('${dir}/group1-shard1of3.bin', '${dir}/group1-shard2of3.bin', '${dir}/group1-shard3of3.bin'\\) hold 2010 bytes, but the 8 weight specs of '${dir}/model.json' need 2020`,
      ),
    );
    // A sharded model directory counts as a model's: saving over it replaces every shard.
    await original.save(modelDir(dir));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('names the file when weights.bin is truncated, model.json is missing or bad, or the directory is missing', async () => {
    const root = await scratch();
    const dir = join(root, 'g');
    await writeModelDir(dir, await saved(model()));
    const weights = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), weights.subarray(0, 1000));
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      new RegExp(
        `dir: '${dir}/weights.bin' holds 1000 bytes, but the 8 weight specs of '${dir}/model.json' need 2020`,
      ),
    );
    await expectArgErrorAsync(
      () => tfl.loadLayersModel(modelDir(dir)),
      'modelDir',
      'dir',
      /weights.bin' holds 1000 bytes/,
    );
    await rm(join(dir, 'weights.bin'));
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /dir: cannot read '.*\/g\/weights.bin' \(ENOENT: no such file or directory/,
    );
    await writeFile(join(dir, 'model.json'), '{ "modelTopology": {');
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /dir: '.*\/g\/model.json' is not JSON \(/,
    );
    await writeFile(join(dir, 'model.json'), '{ "modelTopology": {} }');
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /'.*model.json' has no weightsManifest/,
    );
    await writeFile(join(dir, 'model.json'), '{ "weightsManifest": [] }');
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /'.*model.json' has no modelTopology/,
    );
    expect((await readModelDir(dir, { weightsOnly: true })).weightData.byteLength).toBe(0);
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        modelTopology: {},
        weightsManifest: [{ paths: ['../secret'], weights: [] }],
      }),
    );
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /lists the weight file '..\/secret', which is outside its directory/,
    );
    await rm(join(dir, 'model.json'));
    await expectArgErrorAsync(
      () => readModelDir(dir),
      'readModelDir',
      'dir',
      /cannot read '.*\/g\/model.json' \(ENOENT/,
    );
    await expectArgErrorAsync(
      () => readModelDir(join(root, 'missing')),
      'readModelDir',
      'dir',
      /dir: cannot read '.*\/missing' \(ENOENT: no such file or directory/,
    );
    await expectArgErrorAsync(
      () => tfl.loadLayersModel(modelDir(join(root, 'missing'))),
      'modelDir',
      'dir',
      /cannot read '.*\/missing' \(ENOENT/,
    );
  });

  it('is atomic: a failure while writing or renaming leaves the previous model intact and nothing staged', async () => {
    const root = await scratch();
    const dir = join(root, 'generator');
    const previous = model(4);
    await writeModelDir(dir, await saved(previous));
    const before = await Promise.all(
      ['model.json', 'weights.bin'].map((f) => readFile(join(dir, f))),
    );
    const next = await saved(model(5));
    const failing = (at: 'write' | 'rename', call: number) => {
      let calls = 0;
      const fail = () => {
        calls += 1;
        if (calls === call) throw new Error(`simulated ${at} failure`);
      };
      return {
        async write(path: string, data: string | Uint8Array) {
          // The first file is half-written when the failure strikes.
          if (at === 'write' && calls + 1 === call) await writeFile(path, data.slice(0, 10));
          if (at === 'write') fail();
          await writeFile(path, data);
        },
        async rename(from: string, to: string) {
          if (at === 'rename') fail();
          await rename(from, to);
        },
      };
    };
    for (const [at, call] of [
      ['write', 1],
      ['write', 2],
      ['rename', 1],
      ['rename', 2],
    ] as const) {
      await expect(writeModel('writeModelDir', dir, next, failing(at, call))).rejects.toThrow(
        new RegExp(`^writeModelDir: cannot write '${dir}' \\(simulated ${at} failure\\)`),
      );
      const after = await Promise.all(
        ['model.json', 'weights.bin'].map((f) => readFile(join(dir, f))),
      );
      expect(after, `${at} #${call}`).toEqual(before);
      expect(await readdir(root), `${at} #${call}`).toEqual(['generator']);
      const loaded = await tfl.loadLayersModel(modelDir(dir));
      predictionsMatch(previous, loaded);
      loaded.dispose();
    }
  });

  it('reads the previous version when a crash struck between the two renames, and cleans up on the next write', async () => {
    const root = await scratch();
    const dir = join(root, 'generator');
    const previous = model(6);
    await writeModelDir(dir, await saved(previous));
    // The state a kill -9 leaves after `dir` stepped aside and before the staged copy took its place.
    await rename(dir, join(root, '.generator.old-123-abcd'));
    await writeModelDir(join(root, '.generator.tmp-123-abcd'), await saved(model(7)));
    const loaded = await tfl.loadLayersModel(modelDir(dir));
    predictionsMatch(previous, loaded);
    loaded.dispose();
    const next = model(8);
    await writeModelDir(dir, await saved(next));
    expect(await readdir(root)).toEqual(['generator']);
    const reloaded = await tfl.loadLayersModel(modelDir(dir));
    predictionsMatch(next, reloaded);
    reloaded.dispose();
  });

  // Child processes on the built package: once, on the cpu project.
  it.runIf(testBackend() === 'cpu')(
    'survives kill -9 at random moments: the directory always holds one whole version',
    async () => {
      const child = new URL('./write-child.mjs', import.meta.url).pathname;
      expect(existsSync(new URL('../../dist/node.js', import.meta.url)), 'build first').toBe(true);
      const dir = join(await scratch(), 'model');
      let last = 0;
      for (let kill = 0; kill < 8; kill++) {
        // Killed while writing its (2 + a random few)-th version since the start.
        const written = await new Promise<number>((resolve, reject) => {
          const p = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
          let out = '';
          let err = '';
          let timer: NodeJS.Timeout | undefined;
          const after = 2 + Math.floor(Math.random() * 4);
          p.stderr.on('data', (d) => {
            err += d;
          });
          p.stdout.on('data', (d) => {
            out += d;
            if (timer == null && out.split('\n').length > after)
              timer = setTimeout(() => p.kill('SIGKILL'), Math.random() * 20);
          });
          p.on('exit', (code, signal) => {
            clearTimeout(timer);
            if (signal === 'SIGKILL') resolve(Number(out.trim().split('\n').at(-1)));
            else reject(new Error(`the writer failed (${code}): ${err}`));
          });
        });
        expect(written).toBeGreaterThan(0);
        const artifacts = await readModelDir(dir);
        const { version } = artifacts.modelTopology as { version: number };
        // The last version it reported, or the one it was writing when killed.
        expect([written, written + 1], `kill ${kill}`).toContain(version);
        const bytes = new Uint8Array(artifacts.weightData);
        expect(bytes.byteLength).toBe(1 << 21);
        expect(
          bytes.every((b) => b === version % 256),
          `kill ${kill}: a mix of versions`,
        ).toBe(true);
        last = version;
      }
      expect(last).toBeGreaterThan(0);
    },
  );

  it('refuses to replace a directory that holds more than a model, a file, or a link', async () => {
    const root = await scratch();
    const artifacts = await saved(model());
    await mkdir(join(root, 'mixed'));
    await writeFile(join(root, 'mixed', 'notes.txt'), 'mine');
    await expectArgErrorAsync(
      () => writeModelDir(join(root, 'mixed'), artifacts),
      'writeModelDir',
      'dir',
      /dir: '.*\/mixed' holds files that are not the model's \(notes.txt\): the whole directory is replaced/,
    );
    expect(await readFile(join(root, 'mixed', 'notes.txt'), 'utf8')).toBe('mine');
    await writeFile(join(root, 'file'), 'x');
    await expectArgErrorAsync(
      () => writeModelDir(join(root, 'file'), artifacts),
      'writeModelDir',
      'dir',
      /'.*\/file' exists and is not a directory/,
    );
    await mkdir(join(root, 'empty'));
    await writeModelDir(join(root, 'empty'), artifacts);
    expect((await readdir(join(root, 'empty'))).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('names the argument when misused', async () => {
    const artifacts = await saved(model());
    for (const fn of ['readModelDir', 'writeModelDir', 'modelDir'] as const) {
      const call = (dir: unknown) =>
        fn === 'readModelDir'
          ? readModelDir(dir as string)
          : fn === 'writeModelDir'
            ? writeModelDir(dir as string, artifacts)
            : modelDir(dir as string);
      const expectError = fn === 'modelDir' ? expectArgError : expectArgErrorAsync;
      await expectError(
        () => call(''),
        fn,
        'dir',
        /dir must be a directory path \(a non-empty string\), got ''/,
      );
      await expectError(() => call(3), fn, 'dir', /got 3/);
      await expectError(
        () => call('file://out/generator'),
        fn,
        'dir',
        /dir must be a directory path, not a URL, got 'file:\/\/out\/generator'; drop the 'file:\/\/'/,
      );
    }
    const dir = await scratch();
    await expectArgErrorAsync(
      () => writeModelDir(join(dir, 'g'), undefined as never),
      'writeModelDir',
      'artifacts',
      /artifacts must be model artifacts/,
    );
    await expectArgErrorAsync(
      () => writeModelDir(join(dir, 'g'), { ...artifacts, weightData: new ArrayBuffer(8) }),
      'writeModelDir',
      'artifacts.weightData',
      /artifacts.weightData holds 8 bytes, but the 8 weight specs of artifacts.weightSpecs need 2020/,
    );
    expect(await readdir(dir)).toEqual([]);
    await expectArgErrorAsync(
      () => readModelDir(dir, { weightsOnly: 'yes' as never }),
      'readModelDir',
      'options.weightsOnly',
      /options.weightsOnly must be true or false, got 'yes'/,
    );
    await expectArgErrorAsync(
      () => readModelDir(dir, [] as never),
      'readModelDir',
      'options',
      /options must be an object/,
    );
  });
});
