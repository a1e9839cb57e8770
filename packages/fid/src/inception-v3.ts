import {
  ArgumentError,
  argError,
  decodeModelArtifacts,
  type ModelArtifactsData,
  optionsArg,
  parseModelJson,
  tensorArg,
} from '@gan/core';
import {
  add,
  avgPool,
  concat,
  conv2d,
  dispose,
  io,
  maxPool,
  mean,
  mul,
  type NamedTensorMap,
  relu,
  sub,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
  tensor1d,
  tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import { checkExtractorImages, type FeatureExtractor } from './extractor';

const FN = 'loadInceptionV3';

/** One BasicConv2d (conv without bias, BatchNorm eps 0.001, ReLU) of the FID InceptionV3. */
interface ConvSpec {
  name: string;
  cin: number;
  cout: number;
  kernel: [number, number];
  /** Stride-2 convolutions are unpadded ('valid'); stride-1 ones keep the size ('same'). */
  stride: 1 | 2;
  valid?: boolean;
}

const blocks: ConvSpec[] = [];
const conv = (
  name: string,
  cin: number,
  cout: number,
  kernel: number | [number, number],
  stride: 1 | 2 = 1,
  valid = stride === 2,
): string => {
  blocks.push({
    name,
    cin,
    cout,
    kernel: typeof kernel === 'number' ? [kernel, kernel] : kernel,
    stride,
    valid,
  });
  return name;
};

// The architecture, as torchvision's Inception3 with pytorch-fid's FID blocks (names = state_dict).
conv('Conv2d_1a_3x3', 3, 32, 3, 2);
conv('Conv2d_2a_3x3', 32, 32, 3, 1, true);
conv('Conv2d_2b_3x3', 32, 64, 3);
conv('Conv2d_3b_1x1', 64, 80, 1);
conv('Conv2d_4a_3x3', 80, 192, 3, 1, true);
const inceptionA = (m: string, cin: number, pool: number) => {
  conv(`${m}.branch1x1`, cin, 64, 1);
  conv(`${m}.branch5x5_1`, cin, 48, 1);
  conv(`${m}.branch5x5_2`, 48, 64, 5);
  conv(`${m}.branch3x3dbl_1`, cin, 64, 1);
  conv(`${m}.branch3x3dbl_2`, 64, 96, 3);
  conv(`${m}.branch3x3dbl_3`, 96, 96, 3);
  conv(`${m}.branch_pool`, cin, pool, 1);
};
inceptionA('Mixed_5b', 192, 32);
inceptionA('Mixed_5c', 256, 64);
inceptionA('Mixed_5d', 288, 64);
conv('Mixed_6a.branch3x3', 288, 384, 3, 2);
conv('Mixed_6a.branch3x3dbl_1', 288, 64, 1);
conv('Mixed_6a.branch3x3dbl_2', 64, 96, 3);
conv('Mixed_6a.branch3x3dbl_3', 96, 96, 3, 2);
const inceptionC = (m: string, c7: number) => {
  conv(`${m}.branch1x1`, 768, 192, 1);
  conv(`${m}.branch7x7_1`, 768, c7, 1);
  conv(`${m}.branch7x7_2`, c7, c7, [1, 7]);
  conv(`${m}.branch7x7_3`, c7, 192, [7, 1]);
  conv(`${m}.branch7x7dbl_1`, 768, c7, 1);
  conv(`${m}.branch7x7dbl_2`, c7, c7, [7, 1]);
  conv(`${m}.branch7x7dbl_3`, c7, c7, [1, 7]);
  conv(`${m}.branch7x7dbl_4`, c7, c7, [7, 1]);
  conv(`${m}.branch7x7dbl_5`, c7, 192, [1, 7]);
  conv(`${m}.branch_pool`, 768, 192, 1);
};
inceptionC('Mixed_6b', 128);
inceptionC('Mixed_6c', 160);
inceptionC('Mixed_6d', 160);
inceptionC('Mixed_6e', 192);
conv('Mixed_7a.branch3x3_1', 768, 192, 1);
conv('Mixed_7a.branch3x3_2', 192, 320, 3, 2);
conv('Mixed_7a.branch7x7x3_1', 768, 192, 1);
conv('Mixed_7a.branch7x7x3_2', 192, 192, [1, 7]);
conv('Mixed_7a.branch7x7x3_3', 192, 192, [7, 1]);
conv('Mixed_7a.branch7x7x3_4', 192, 192, 3, 2);
const inceptionE = (m: string, cin: number) => {
  conv(`${m}.branch1x1`, cin, 320, 1);
  conv(`${m}.branch3x3_1`, cin, 384, 1);
  conv(`${m}.branch3x3_2a`, 384, 384, [1, 3]);
  conv(`${m}.branch3x3_2b`, 384, 384, [3, 1]);
  conv(`${m}.branch3x3dbl_1`, cin, 448, 1);
  conv(`${m}.branch3x3dbl_2`, 448, 384, 3);
  conv(`${m}.branch3x3dbl_3a`, 384, 384, [1, 3]);
  conv(`${m}.branch3x3dbl_3b`, 384, 384, [3, 1]);
  conv(`${m}.branch_pool`, cin, 192, 1);
};
inceptionE('Mixed_7b', 1280);
inceptionE('Mixed_7c', 2048);

/**
 * The parameters the FID InceptionV3 needs, with PyTorch names and shapes (convolutions OIHW):
 * what tools/convert-inception.py writes, in sorted order.
 */
export function inceptionV3Parameters(): { name: string; shape: number[] }[] {
  return blocks
    .flatMap(({ name, cin, cout, kernel }) => [
      { name: `${name}.conv.weight`, shape: [cout, cin, kernel[0], kernel[1]] },
      ...['weight', 'bias', 'running_mean', 'running_var'].map((p) => ({
        name: `${name}.bn.${p}`,
        shape: [cout],
      })),
    ])
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

interface Folded {
  filter: Tensor4D;
  bias: Tensor1D;
  spec: ConvSpec;
}

/** BatchNorm folded into the convolution: w·γ/√(σ²+ε) (HWIO), β − μ·γ/√(σ²+ε). */
function fold(weights: NamedTensorMap, folded: Map<string, Folded>): void {
  for (const spec of blocks) {
    const get = (suffix: string, expected: number[]) => {
      const key = `${spec.name}.${suffix}`;
      const t = weights[key];
      if (!t) throw new ArgumentError(FN, 'weights', `weights lack ${key}`);
      tensorArg(FN, `weights['${key}']`, t);
      if (t.shape.join() !== expected.join())
        throw new ArgumentError(
          FN,
          'weights',
          `weights ${key} has shape [${t.shape}], expected [${expected}]`,
        );
      return t;
    };
    const w = get('conv.weight', [spec.cout, spec.cin, ...spec.kernel]);
    // Every BatchNorm tensor is checked before any is used: no folding of mismatched shapes.
    const bn = Object.fromEntries(
      ['weight', 'bias', 'running_mean', 'running_var'].map((p) => [
        p,
        get(`bn.${p}`, [spec.cout]),
      ]),
    );
    const { filter, bias } = tidy(() => {
      const scale = mul(
        bn.weight,
        tensor1d(Array.from(bn.running_var.dataSync(), (v) => 1 / Math.sqrt(v + 0.001))),
      );
      return {
        filter: mul(transpose(w, [2, 3, 1, 0]), scale) as Tensor4D,
        bias: sub(bn.bias, mul(bn.running_mean, scale)) as Tensor1D,
      };
    });
    folded.set(spec.name, { filter, bias, spec });
  }
}

function forward(f: Map<string, Folded>, images: Tensor4D): Tensor2D {
  const c = (name: string, x: Tensor4D): Tensor4D => {
    const { filter, bias, spec } = f.get(name) as Folded;
    return relu(
      add(conv2d(x, filter, spec.stride, spec.valid ? 'valid' : 'same'), bias),
    ) as Tensor4D;
  };
  const chain = (x: Tensor4D, ...names: string[]) => names.reduce((y, n) => c(n, y), x);
  // TensorFlow's SAME average pooling leaves padding out of the count, as FID's blocks require.
  const avg3 = (x: Tensor4D) => avgPool(x, 3, 1, 'same');
  const cat = (xs: Tensor[]) => concat(xs, 3) as Tensor4D;
  const a = (m: string, x: Tensor4D) =>
    cat([
      c(`${m}.branch1x1`, x),
      chain(x, `${m}.branch5x5_1`, `${m}.branch5x5_2`),
      chain(x, `${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`, `${m}.branch3x3dbl_3`),
      c(`${m}.branch_pool`, avg3(x)),
    ]);
  const cBlock = (m: string, x: Tensor4D) =>
    cat([
      c(`${m}.branch1x1`, x),
      chain(x, `${m}.branch7x7_1`, `${m}.branch7x7_2`, `${m}.branch7x7_3`),
      chain(x, ...[1, 2, 3, 4, 5].map((i) => `${m}.branch7x7dbl_${i}`)),
      c(`${m}.branch_pool`, avg3(x)),
    ]);
  const e = (m: string, x: Tensor4D, maxPooled: boolean) => {
    const b3 = c(`${m}.branch3x3_1`, x);
    const d = chain(x, `${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`);
    const pool = maxPooled ? maxPool(x, 3, 1, 'same') : avg3(x);
    return cat([
      c(`${m}.branch1x1`, x),
      c(`${m}.branch3x3_2a`, b3),
      c(`${m}.branch3x3_2b`, b3),
      c(`${m}.branch3x3dbl_3a`, d),
      c(`${m}.branch3x3dbl_3b`, d),
      c(`${m}.branch_pool`, pool),
    ]);
  };
  let x = sub(mul(images, 2), 1) as Tensor4D;
  x = chain(x, 'Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3');
  x = maxPool(x, 3, 2, 'valid');
  x = chain(x, 'Conv2d_3b_1x1', 'Conv2d_4a_3x3');
  x = maxPool(x, 3, 2, 'valid');
  x = a('Mixed_5b', x);
  x = a('Mixed_5c', x);
  x = a('Mixed_5d', x);
  x = cat([
    c('Mixed_6a.branch3x3', x),
    chain(x, 'Mixed_6a.branch3x3dbl_1', 'Mixed_6a.branch3x3dbl_2', 'Mixed_6a.branch3x3dbl_3'),
    maxPool(x, 3, 2, 'valid'),
  ]);
  for (const m of ['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e']) x = cBlock(m, x);
  x = cat([
    chain(x, 'Mixed_7a.branch3x3_1', 'Mixed_7a.branch3x3_2'),
    chain(x, ...[1, 2, 3, 4].map((i) => `Mixed_7a.branch7x7x3_${i}`)),
    maxPool(x, 3, 2, 'valid'),
  ]);
  x = e('Mixed_7b', x, false);
  x = e('Mixed_7c', x, true);
  return mean(x, [1, 2]) as Tensor2D;
}

export interface InceptionV3Options {
  /**
   * Where tools/convert-inception.py's output is: an http(s) URL or (Node) a path or `file:`
   * URL of its model.json, or of the directory holding model.json and its weight files.
   */
  from?: string;
  /** The weights themselves, PyTorch names and layouts (tests; custom loading). Not disposed. */
  weights?: NamedTensorMap;
}

/**
 * Rethrows @gan/core's finding about tools/convert-inception.py's files as `from`'s: `fn: arg:
 * <detail>` or `fn: arg must be …` becomes `loadInceptionV3: from: <detail>` / `from must be …`.
 */
function asFrom(error: unknown): never {
  if (!(error instanceof ArgumentError) || error.arg == null) throw error;
  let detail = error.message.slice(`${error.fn}: `.length);
  if (detail.startsWith(error.arg)) detail = `from${detail.slice(error.arg.length)}`;
  throw new ArgumentError(FN, 'from', detail);
}

function checkFormat(format: unknown, where: string): void {
  if (format !== 'gan-fid-inception-v3')
    throw new ArgumentError(
      FN,
      'from',
      `from: ${where} is not tools/convert-inception.py output (format ${format})`,
    );
}

/** A response's bytes, or an ArgumentError naming `from` and the URL (HTTP status, network). */
async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const cannot = (why: string): never => {
    throw new ArgumentError(FN, 'from', `from: cannot fetch '${url}' (${why})`);
  };
  const response = await fetch(url).catch((error: Error) =>
    cannot(
      error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message,
    ),
  );
  if (!response.ok)
    cannot(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return response.arrayBuffer().catch((error: Error) => cannot(error.message));
}

/**
 * tools/convert-inception.py's files (a weights-only tfjs manifest, possibly sharded) from a URL
 * (`<url>/model.json` unless it names a .json), or (Node) a path or `file:` URL of the directory
 * or its model.json — checked and joined by @gan/core, their findings reported as `from`'s.
 */
async function readWeights(from: string): Promise<NamedTensorMap> {
  const options = { weightsOnly: true } as const;
  let artifacts: ModelArtifactsData;
  if (/^(https?|blob|data):/i.test(from)) {
    const manifestUrl =
      /^https?:/i.test(from) && !from.endsWith('.json')
        ? `${from.replace(/\/$/, '')}/model.json`
        : from;
    const json = new TextDecoder().decode(await fetchBytes(manifestUrl));
    try {
      const manifest = parseModelJson(json, { ...options, file: manifestUrl });
      // Before the (90 MB) weights: a wrong URL fails fast.
      checkFormat(manifest.format, manifestUrl);
      const base = manifestUrl.slice(0, manifestUrl.lastIndexOf('/') + 1);
      const paths = manifest.weightsManifest.flatMap((group) => group.paths);
      const shards = await Promise.all(paths.map((p) => fetchBytes(base + p)));
      artifacts = decodeModelArtifacts(manifest, shards, { ...options, file: manifestUrl });
    } catch (error) {
      asFrom(error);
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(from) && !/^file:/i.test(from)) {
    return argError(FN, 'from', 'a path, or an http(s) or file URL of model.json', from);
  } else {
    // Node's fetch has no file: URLs: they are paths here.
    let path = from;
    if (/^file:/i.test(from)) {
      const { fileURLToPath } = await import('node:url');
      try {
        path = fileURLToPath(from);
      } catch (error) {
        throw new ArgumentError(
          FN,
          'from',
          `from: '${from}' is not a file URL of this machine (${(error as Error).message})`,
        );
      }
    }
    const { readModelDir } = await import('@gan/core/node');
    artifacts = await readModelDir(path, options).catch(asFrom);
    checkFormat(artifacts.format, `'${path}'`);
  }
  return io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
}

/**
 * The standard FID network — TF InceptionV3 (2015-12-05) pool3, 2048-d, 299 × 299 input, the
 * network pytorch-fid and TTUR use — from weights converted by tools/convert-inception.py (the
 * weights are not bundled: get pytorch-fid's `pt_inception-2015-12-05-6726825d.pth`). The port is
 * checked against PyTorch on a deterministic random model to 1e-4. BatchNorm is folded into the
 * convolutions at load. Scores are labelled plain "FID".
 */
export async function loadInceptionV3(options: InceptionV3Options): Promise<FeatureExtractor> {
  const { from, weights: given } = optionsArg(FN, options, { required: true });
  if (from !== undefined && !(typeof from === 'string' && from !== ''))
    argError(FN, 'from', 'a path or URL of model.json (a non-empty string)', from);
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    argError(FN, 'weights', 'a map of tensors { name: tf.Tensor }', given);
  if (from === undefined && given === undefined)
    throw new ArgumentError(
      FN,
      'from',
      'from or weights is required: give `from` (path or URL of model.json) or `weights`',
    );
  const weights = given ?? (await readWeights(from as string));
  const folded = new Map<string, Folded>();
  try {
    fold(weights, folded);
  } catch (error) {
    for (const { filter, bias } of folded.values()) dispose([filter, bias]);
    throw error;
  } finally {
    if (!given) for (const t of Object.values(weights)) t.dispose();
  }
  return {
    name: 'InceptionV3 pool3 (FID, 2015-12-05 weights)',
    dim: 2048,
    inputSize: [299, 299],
    standard: true,
    extract(images: Tensor4D): Tensor2D {
      // 75 × 75 is the smallest input whose valid convolutions and poolings leave a pixel.
      checkExtractorImages('loadInceptionV3.extract', images, { minSize: 75 });
      return tidy(() => forward(folded, images));
    },
    dispose() {
      for (const { filter, bias } of folded.values()) {
        filter.dispose();
        bias.dispose();
      }
    },
  };
}
