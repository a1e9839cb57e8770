import { testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { extractFeatures } from './extract';
import { scoreLabel } from './extractor';
import { nsfwjsInceptionV3 } from './nsfwjs-extractor';

// A full InceptionV3 forward pass: ~1.5 s per image on wasm, ~40 s on the pure-JS cpu backend,
// so this suite runs on the wasm project only.
const wasmOnly = testBackend() === 'wasm' ? describe : describe.skip;

wasmOnly('nsfwjsInceptionV3 (the nsfwjs package, offline; not the standard FID network)', () => {
  it('gives deterministic 2048-d pool features that tell images apart, labelled FID-like', async () => {
    const extractor = await nsfwjsInceptionV3();
    expect(extractor).toMatchObject({ dim: 2048, inputSize: [299, 299], standard: false });
    expect(scoreLabel(extractor)).toMatch(/^FID-like \(nsfwjs InceptionV3.*not comparable/);
    const before = tf.memory().numTensors;
    // Two 64² images (resized to 299² by extractFeatures): a gradient and a flat grey.
    const ramp = tf.tidy(() =>
      tf.tile(tf.reshape(tf.linspace(-1, 1, 64), [1, 1, 64, 1]), [1, 64, 1, 3]),
    ) as tf.Tensor4D;
    const grey = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
    const images = tf.concat([ramp, grey, ramp]) as tf.Tensor4D;
    const { features } = await extractFeatures(images, extractor, { keepFeatures: true });
    const rows = [0, 1, 2].map((r) => features!.values.subarray(r * 2048, (r + 1) * 2048));
    // Pooled ReLU outputs: non-negative, not all zero; the same image gives the same row.
    expect(rows[0].every((v) => v >= 0)).toBe(true);
    expect(rows[0].some((v) => v > 0)).toBe(true);
    const distance = (a: Float32Array, b: Float32Array) =>
      Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
    const norm = distance(rows[0], new Float32Array(2048));
    expect(distance(rows[0], rows[2])).toBeLessThan(1e-5 * norm);
    expect(distance(rows[0], rows[1])).toBeGreaterThan(0.05 * norm);
    tf.dispose([ramp, grey, images]);
    expect(tf.memory().numTensors).toBe(before);
    extractor.dispose();
  });
});
