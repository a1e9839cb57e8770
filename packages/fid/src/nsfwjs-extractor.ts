import { decodeModelArtifacts } from '@gan/core';
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import { io, tidy } from '@tensorflow/tfjs-core';
import { checkExtractorImages, type FeatureExtractor } from './extractor';

/** ESM `import()` of nsfwjs's UMD model files gives `{ default: value }`. */
const unwrap = <T>(module: T | { default: T }): T =>
  typeof module === 'object' && module !== null && 'default' in module
    ? (module as { default: T }).default
    : (module as T);

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * The InceptionV3 that the npm package `nsfwjs` ships (optional peer: `npm i nsfwjs`), as a
 * 2048-d extractor from its `flatten_1` layer (after the 8 × 8 average pool over `mixed10`,
 * where FID's pool3 sits). Works offline, in Node and browsers; needs `@tensorflow/tfjs-layers`.
 *
 * It is NOT the standard FID network: the weights are uint8-quantised and fine-tuned to classify
 * NSFW content. Scores from it are "FID-like" — useful to compare runs with each other, never
 * comparable to published FID — and `scoreLabel` says so. About 1.5 s per image on wasm.
 */
export async function nsfwjsInceptionV3(): Promise<FeatureExtractor> {
  let layers: typeof import('@tensorflow/tfjs-layers');
  let nsfw: typeof import('nsfwjs/models/inception_v3');
  try {
    layers = await import('@tensorflow/tfjs-layers');
    nsfw = await import('nsfwjs/models/inception_v3');
  } catch (error) {
    throw new Error(
      `nsfwjsInceptionV3: install the optional peers: npm i nsfwjs @tensorflow/tfjs-layers (${(error as Error).message})`,
    );
  }
  const { modelJson, weightBundles } = nsfw.InceptionV3Model;
  const json = unwrap(await modelJson()) as unknown as io.ModelJSON;
  const shards = await Promise.all(
    weightBundles.map(async (load) => decodeBase64(unwrap(await load()) as unknown as string)),
  );
  // One shard per file of its manifest (group1-shard1of6 …), uint8-quantised.
  const full = await layers.loadLayersModel(io.fromMemory(decodeModelArtifacts(json, shards)));
  const features = layers.model({
    inputs: full.inputs,
    outputs: full.getLayer('flatten_1').output,
  });
  // The model's input shape ([null, 299, 299, 3]): other sizes fail deep inside tfjs-layers.
  const [, h, w] = full.inputs[0].shape;
  return {
    name: 'nsfwjs InceptionV3 flatten_1 (uint8-quantised, NSFW fine-tuned)',
    dim: 2048,
    inputSize: [299, 299],
    standard: false,
    extract(images: Tensor4D): Tensor2D {
      checkExtractorImages('nsfwjsInceptionV3.extract', images, { size: [h, w] });
      // nsfwjs feeds RGB / 255, i.e. the [0, 1] images extractors receive.
      return tidy(() => features.predict(images) as Tensor2D);
    },
    dispose() {
      full.dispose();
    },
  };
}
