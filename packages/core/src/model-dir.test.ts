import { expectArgError, expectSamePredictions, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeModelArtifacts,
  encodeModelArtifacts,
  joinModelArtifacts,
  parseModelJson,
} from './model-dir';
import {
  CONV_DENSE_BYTES,
  convDenseModel,
  convDenseInput as input,
  savedArtifacts as saved,
} from './testing/conv-dense';

const models: tfl.LayersModel[] = [];
const model = (seed = 1) => {
  const m = convDenseModel(seed);
  models.push(m);
  return m;
};
afterAll(() => {
  for (const m of models) m.dispose();
});

/** Cuts bytes into `n` shards of (nearly) equal size, as tfjs's converter shards weights. */
const shard = (bytes: Uint8Array, n: number) => {
  const size = Math.ceil(bytes.byteLength / n);
  return Array.from({ length: n }, (_, i) => bytes.slice(i * size, (i + 1) * size));
};

describe(`model directory encoding [${testBackend()}]`, () => {
  it('round-trips a conv + dense model: identical predictions, identical weights', async () => {
    const original = model();
    const artifacts = await saved(original);
    const { modelJson, weights } = encodeModelArtifacts(artifacts);
    expect(typeof modelJson).toBe('string');
    expect(weights.byteLength).toBe(CONV_DENSE_BYTES);
    const decoded = decodeModelArtifacts(modelJson, weights);
    expect(decoded.weightSpecs).toEqual(artifacts.weightSpecs);
    expect(new Uint8Array(decoded.weightData)).toEqual(weights);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(decoded));
    models.push(loaded);
    const x = input();
    expectSamePredictions(original, loaded, x);
    x.dispose();
  });

  it("writes model.json as the example's and the trainers' writers did (byte-compatible)", async () => {
    const artifacts = await saved(model());
    const { weightData, weightSpecs, ...rest } = artifacts;
    // examples/pokemon-wgan's saveModel before this module existed.
    const example = JSON.stringify({
      ...rest,
      weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
    });
    const { modelJson, weights } = encodeModelArtifacts(artifacts);
    expect(modelJson).toBe(example);
    expect(weights).toEqual(
      new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData as ArrayBuffer)),
    );
    // @gan/trainers' fileCheckpoints before: its own field order, kept by following the artifacts'.
    const part = {
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightSpecs: weightSpecs ?? [],
      weightData: weightData as ArrayBuffer,
    };
    expect(encodeModelArtifacts(part).modelJson).toBe(
      JSON.stringify({
        format: part.format,
        generatedBy: part.generatedBy,
        convertedBy: part.convertedBy,
        modelTopology: part.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: part.weightSpecs }],
      }),
    );
  });

  it('joins weight data given as ArrayBuffer[] (tfjs 4.22 hands either), without copying one buffer', async () => {
    const artifacts = await saved(model());
    const whole = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
    const pieces = shard(whole, 3).map((s) => s.buffer as ArrayBuffer);
    const joined = joinModelArtifacts({ ...artifacts, weightData: pieces });
    expect(new Uint8Array(joined.weightData)).toEqual(whole);
    expect(encodeModelArtifacts({ ...artifacts, weightData: pieces }).weights).toEqual(whole);
    const one = whole.slice().buffer;
    expect(joinModelArtifacts({ ...artifacts, weightData: one }).weightData).toBe(one);
    expect(joinModelArtifacts({ modelTopology: {} })).toMatchObject({
      weightSpecs: [],
      weightData: new ArrayBuffer(0),
    });
  });

  it('reads sharded manifests: several files in a group, several groups, one buffer or one per file', async () => {
    const original = model(2);
    const artifacts = await saved(original);
    const { modelJson, weights } = encodeModelArtifacts(artifacts);
    const json = JSON.parse(modelJson);
    const specs = json.weightsManifest[0].weights;
    // tfjs's converter layout: group1-shard1of3 … (shards cut anywhere, even inside a weight).
    const sharded = {
      ...json,
      weightsManifest: [
        {
          paths: ['group1-shard1of3.bin', 'group1-shard2of3.bin', 'group1-shard3of3.bin'],
          weights: specs,
        },
      ],
    };
    const x = input();
    for (const bytes of [shard(weights, 3), shard(weights, 3).map((s) => s.buffer), weights]) {
      const loaded = await tfl.loadLayersModel(
        tf.io.fromMemory(decodeModelArtifacts(sharded, bytes)),
      );
      expectSamePredictions(original, loaded, x);
      loaded.dispose();
    }
    // Two groups, the second holding the dense layer's weights.
    const split = specs.findIndex((s: tf.io.WeightsManifestEntry) => s.name.includes('dense'));
    const offset = specs
      .slice(0, split)
      .reduce(
        (n: number, s: tf.io.WeightsManifestEntry) => n + s.shape.reduce((a, b) => a * b, 4),
        0,
      );
    const groups = {
      ...json,
      weightsManifest: [
        { paths: ['a.bin'], weights: specs.slice(0, split) },
        { paths: ['b1.bin', 'b2.bin'], weights: specs.slice(split) },
      ],
    };
    const [b1, b2] = shard(weights.slice(offset), 2);
    const loaded = await tfl.loadLayersModel(
      tf.io.fromMemory(decodeModelArtifacts(groups, [weights.slice(0, offset), b1, b2])),
    );
    expectSamePredictions(original, loaded, x);
    loaded.dispose();
    x.dispose();
    expectArgError(
      () =>
        decodeModelArtifacts(groups, [weights.slice(0, offset), b1, b2.subarray(1)], {
          file: 'https://example.org/m/model.json',
        }),
      'decodeModelArtifacts',
      'weights',
      new RegExp(
        `weights: the weight files \\(a.bin, b1.bin, b2.bin\\) hold ${weights.byteLength - 1} bytes, but the 8 weight specs of https://example.org/m/model.json need ${weights.byteLength}`,
      ),
    );
    expectArgError(
      () => decodeModelArtifacts(groups, [weights]),
      'decodeModelArtifacts',
      'weights',
      /weights: the weight files \(a.bin, b1.bin, b2.bin\) must be given one buffer each \(model.json lists 3\), got 1/,
    );
  });

  it('sizes quantised and string weights as tfjs decodes them', () => {
    const specs: tf.io.WeightsManifestEntry[] = [
      {
        name: 'q8',
        shape: [2, 2],
        dtype: 'float32',
        quantization: { dtype: 'uint8', min: -1, scale: 0.5 },
      },
      { name: 'h', shape: [3], dtype: 'float32', quantization: { dtype: 'float16' } },
      { name: 's', shape: [2], dtype: 'string' },
      { name: 'b', shape: [], dtype: 'bool' },
    ];
    const bytes = new Uint8Array(4 + 6 + (4 + 2) + (4 + 3) + 1);
    bytes.set([0, 1, 2, 4], 0); // q8: −1, −0.5, 0, 1
    bytes.set([0x00, 0x3c, 0x00, 0x40, 0x00, 0xc0], 4); // float16 1, 2, −2
    const view = new DataView(bytes.buffer);
    view.setUint32(10, 2, true);
    bytes.set([104, 105], 14); // 'hi'
    view.setUint32(16, 3, true);
    bytes.set([121, 111, 117], 20); // 'you'
    bytes[23] = 1;
    const json = {
      modelTopology: {},
      weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    };
    const decoded = decodeModelArtifacts(json, bytes);
    const map = tf.io.decodeWeights(decoded.weightData, decoded.weightSpecs);
    expect(Array.from(map.q8.dataSync())).toEqual([-1, -0.5, 0, 1]);
    expect(Array.from(map.h.dataSync())).toEqual([1, 2, -2]);
    expect(map.s.dataSync()).toEqual(['hi', 'you']);
    expect(Array.from(map.b.dataSync())).toEqual([1]);
    tf.dispose(Object.values(map));
    expectArgError(
      () => decodeModelArtifacts(json, bytes.slice(0, 12)),
      'decodeModelArtifacts',
      'weights',
      /weights: weights.bin holds 12 bytes and ends inside the string weight 's' of model.json/,
    );
    expectArgError(
      () => decodeModelArtifacts(json, bytes.slice(0, 23)),
      'decodeModelArtifacts',
      'weights',
      /weights.bin holds 23 bytes, but the 4 weight specs of model.json need 24/,
    );
  });

  it('names the argument and the file when model.json or the weights are wrong', async () => {
    const { modelJson, weights } = encodeModelArtifacts(await saved(model()));
    const json = JSON.parse(modelJson);
    const fn = 'decodeModelArtifacts';
    const cases: [unknown, unknown, string, RegExp][] = [
      [
        modelJson,
        weights.slice(0, -4),
        'weights',
        /weights: weights.bin holds 2016 bytes, but the 8 weight specs of model.json need 2020/,
      ],
      [modelJson, weights.subarray(0, 8), 'weights', /holds 8 bytes, but .* need 2020/],
      [modelJson, new Uint8Array(2024), 'weights', /holds 2024 bytes/],
      ['{"weightsManifest": [', weights, 'modelJson', /modelJson: model.json is not JSON \(/],
      [
        '[1, 2]',
        weights,
        'modelJson',
        /modelJson: model.json does not hold a JSON object: an array of 2/,
      ],
      [
        { ...json, weightsManifest: undefined },
        weights,
        'modelJson',
        /modelJson: model.json has no weightsManifest/,
      ],
      [
        { ...json, weightsManifest: {} },
        weights,
        'modelJson',
        /model.json's weightsManifest is not an array/,
      ],
      [
        { ...json, modelTopology: undefined },
        weights,
        'modelJson',
        /model.json has no modelTopology \(a weights-only manifest: read it with \{ weightsOnly: true \}\)/,
      ],
      [
        { ...json, modelTopology: 'x' },
        weights,
        'modelJson',
        /model.json's modelTopology is not a JSON object: 'x'/,
      ],
      [
        { ...json, weightsManifest: [{ weights: [] }] },
        weights,
        'modelJson',
        /model.json's weightsManifest\[0\].paths is not an array of file names: undefined/,
      ],
      [
        {
          ...json,
          weightsManifest: [
            { paths: ['w'], weights: [{ name: 'k', shape: [2], dtype: 'float64' }] },
          ],
        },
        weights,
        'modelJson',
        /weightsManifest\[0\].weights\[0\] \('k'\) has dtype 'float64' \(expected float32/,
      ],
      [
        {
          ...json,
          weightsManifest: [
            { paths: ['w'], weights: [{ name: 'k', shape: [-1], dtype: 'float32' }] },
          ],
        },
        weights,
        'modelJson',
        /\('k'\) has a shape that is not an array of non-negative integers/,
      ],
      [
        {
          ...json,
          weightsManifest: [
            {
              paths: ['w'],
              weights: [
                { name: 'k', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } },
              ],
            },
          ],
        },
        weights,
        'modelJson',
        /has quantization dtype 'int4' \(expected uint8/,
      ],
      [
        modelJson,
        'bytes',
        'weights',
        /weights must be a Uint8Array, an ArrayBuffer or an array of them \(one per weight file\), got 'bytes'/,
      ],
      [
        modelJson,
        [weights, 3],
        'weights[1]',
        /weights\[1\] must be a Uint8Array or an ArrayBuffer, got 3/,
      ],
    ];
    for (const [j, w, arg, tail] of cases)
      expectArgError(() => decodeModelArtifacts(j as string, w as Uint8Array), fn, arg, tail);
    expectArgError(
      () => decodeModelArtifacts(modelJson, weights, { weightsOnly: 1 as never }),
      fn,
      'options.weightsOnly',
      /options.weightsOnly must be true or false, got 1/,
    );
    // A weights-only manifest (tools/convert-inception.py's) is accepted when asked for.
    const weightsOnly = { weightsManifest: json.weightsManifest };
    expect(decodeModelArtifacts(weightsOnly, weights, { weightsOnly: true }).modelTopology).toBe(
      undefined,
    );
    expect(parseModelJson(JSON.stringify(weightsOnly), { weightsOnly: true })).toEqual(weightsOnly);
    expectArgError(
      () => parseModelJson(weightsOnly),
      'parseModelJson',
      'modelJson',
      /no modelTopology/,
    );
  });

  it('refuses artifacts whose weights and specs disagree, naming the field', async () => {
    const artifacts = await saved(model());
    const data = artifacts.weightData as ArrayBuffer;
    const cases: [unknown, string, RegExp][] = [
      [
        undefined,
        'artifacts',
        /artifacts must be model artifacts \(what model.save hands its handler\), got undefined/,
      ],
      [
        { ...artifacts, weightData: data.slice(4) },
        'artifacts.weightData',
        /artifacts.weightData holds 2016 bytes, but the 8 weight specs of artifacts.weightSpecs need 2020/,
      ],
      [
        { ...artifacts, weightSpecs: undefined },
        'artifacts.weightData',
        /holds 2020 bytes, but the 0 weight specs/,
      ],
      [
        { ...artifacts, weightSpecs: {} },
        'artifacts.weightSpecs',
        /artifacts.weightSpecs must be an array of weight specs/,
      ],
      [
        { ...artifacts, weightSpecs: [{ name: 'k', shape: [1] }] },
        'artifacts.weightSpecs',
        /artifacts.weightSpecs\[0\] \('k'\) has dtype undefined/,
      ],
      [
        { ...artifacts, weightData: [data, 'x'] },
        'artifacts.weightData[1]',
        /artifacts.weightData\[1\] must be an ArrayBuffer or an array of them, got 'x'/,
      ],
      [
        { ...artifacts, modelTopology: new ArrayBuffer(2) },
        'artifacts.modelTopology',
        /artifacts.modelTopology is an ArrayBuffer \(a binary GraphDef\)/,
      ],
    ];
    for (const [a, arg, tail] of cases)
      expectArgError(
        () => encodeModelArtifacts(a as tf.io.ModelArtifacts),
        'encodeModelArtifacts',
        arg,
        tail,
      );
    expectArgError(
      () => joinModelArtifacts({ ...artifacts, weightData: data.slice(4) }),
      'joinModelArtifacts',
      'artifacts.weightData',
      /holds 2016 bytes/,
    );
  });
});
