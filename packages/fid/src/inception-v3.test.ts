import { expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixture from '../fixtures/inception.json';
import { scoreLabel } from './extractor';
import { inceptionV3Parameters, loadInceptionV3 } from './inception-v3';
import { minstd } from './testing/fixture-inputs';

/** tools/fixtures/inception.py's deterministic weights, in PyTorch layout (what the converter writes). */
function fixtureWeights(): tf.NamedTensorMap {
  const weights: tf.NamedTensorMap = {};
  inceptionV3Parameters().forEach(({ name, shape }, i) => {
    const u = minstd(
      1000 + i,
      shape.reduce((a, b) => a * b, 1),
    );
    const fanIn = shape.length === 4 ? shape[1] * shape[2] * shape[3] : 0;
    const value = name.endsWith('conv.weight')
      ? u.map((x) => x * Math.sqrt(24 / fanIn))
      : name.endsWith('bn.weight')
        ? u.map((x) => 1 + 0.2 * x)
        : name.endsWith('running_var')
          ? u.map((x) => 1 + 0.5 * x)
          : u.map((x) => 0.2 * x);
    weights[name] = tf.tensor(Float32Array.from(value), shape);
  });
  return weights;
}

// 5.7 GFLOP per image: the wasm project runs it (seconds); pure-JS cpu would take minutes.
const wasmOnly = testBackend() === 'wasm' ? describe : describe.skip;

wasmOnly('loadInceptionV3 (the standard FID architecture)', () => {
  it('matches PyTorch (float64) on a deterministic random model to 1e-4', async () => {
    const params = inceptionV3Parameters();
    expect(params.length).toBe(fixture.parameters);
    expect(params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0)).toBe(
      fixture.parameterValues,
    );
    const weights = fixtureWeights();
    const extractor = await loadInceptionV3({ weights });
    tf.dispose(Object.values(weights));
    expect(scoreLabel(extractor)).toBe('FID');
    const before = tf.memory().numTensors;
    const nchw = Float32Array.from(minstd(7, 2 * 3 * 299 * 299), (u) => u + 0.5);
    const images = tf.tidy(() =>
      tf.transpose(tf.tensor4d(nchw, [2, 3, 299, 299]), [0, 2, 3, 1]),
    ) as tf.Tensor4D;
    const features = extractor.extract(images);
    const got = await features.data();
    tf.dispose([images, features]);
    expect(tf.memory().numTensors).toBe(before);
    const expected = fixture.features.flat();
    const scale = expected.reduce((s, v) => s + Math.abs(v), 0) / expected.length;
    let worst = 0;
    expected.forEach((v, i) => {
      worst = Math.max(worst, Math.abs(got[i] - v) / (Math.abs(v) + scale));
    });
    console.info(
      `InceptionV3 port vs PyTorch: worst relative difference ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThan(1e-4);
    extractor.dispose();
  });

  it("reads tools/convert-inception.py's files (model.json + float32 weights.bin, or shards) from a path, a file: URL or over HTTP", async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'inception-'));
    const weights = fixtureWeights();
    // The converter's layout: sorted names, float32 little-endian, one file.
    const specs = inceptionV3Parameters().map((p) => ({ ...p, dtype: 'float32' }));
    const parts = specs.map(
      (p) => new Uint8Array((weights[p.name].dataSync() as Float32Array).buffer),
    );
    await writeFile(join(dir, 'weights.bin'), Buffer.concat(parts));
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({
        format: 'gan-fid-inception-v3',
        weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
      }),
    );
    // The same weights cut into two shards (inside a weight), as tfjs's converter shards them,
    // read from a path, a file: URL and over HTTP (the URL branch).
    const whole = Buffer.concat(parts);
    const cut = (whole.byteLength >> 1) + 2;
    await writeFile(join(dir, 'shard1.bin'), whole.subarray(0, cut));
    await writeFile(join(dir, 'shard2.bin'), whole.subarray(cut));
    await writeFile(
      join(dir, 'sharded.json'),
      JSON.stringify({
        format: 'gan-fid-inception-v3',
        weightsManifest: [{ paths: ['shard1.bin', 'shard2.bin'], weights: specs }],
      }),
    );
    const { createServer } = await import('node:http');
    const { readFile } = await import('node:fs/promises');
    const server = createServer((request, response) => {
      readFile(join(dir, (request.url ?? '/').slice(1))).then(
        (bytes) => response.end(bytes),
        () => {
          response.statusCode = 404;
          response.end();
        },
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const fromMemory = await loadInceptionV3({ weights });
    const images = tf.randomUniform([1, 75, 75, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const expected = fromMemory.extract(images);
    try {
      const { pathToFileURL } = await import('node:url');
      const froms = [dir, join(dir, 'sharded.json'), pathToFileURL(dir).href, `${url}/`];
      // The decoded weights are folded and disposed at load: nothing is left but the extractor's.
      for (const from of [...froms, `${url}/sharded.json`])
        await expectNoLeaksAsync(async () => {
          const fromFiles = await loadInceptionV3({ from });
          const a = fromFiles.extract(images);
          expect(Array.from(await a.data()), from).toEqual(Array.from(await expected.data()));
          a.dispose();
          fromFiles.dispose();
        }, from);
      await writeFile(join(dir, 'shard2.bin'), whole.subarray(cut + 4));
      await expectNoLeaksAsync(async () => {
        await expect(loadInceptionV3({ from: `${url}/sharded.json` })).rejects.toThrow(
          new RegExp(
            `^loadInceptionV3: from: the weight files \\(shard1.bin, shard2.bin\\) hold ${whole.byteLength - 4} bytes, but the ${specs.length} weight specs of ${url}/sharded.json need ${whole.byteLength}$`,
          ),
        );
      });
    } finally {
      server.close();
    }
    tf.dispose([images, expected, ...Object.values(weights)]);
    fromMemory.dispose();
    await writeFile(join(dir, 'model.json'), JSON.stringify({ weightsManifest: [] }));
    await expect(loadInceptionV3({ from: dir })).rejects.toThrow(
      /not tools\/convert-inception.py output/,
    );
    await rm(dir, { recursive: true });
  });

  it('names missing or misshapen weights', async () => {
    await expect(loadInceptionV3({ weights: {} })).rejects.toThrow(
      /weights lack Conv2d_1a_3x3.conv.weight/,
    );
    await expect(loadInceptionV3({})).rejects.toThrow(/give `from`/);
  });
});
