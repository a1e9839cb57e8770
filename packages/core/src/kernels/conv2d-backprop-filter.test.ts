import { expectClose, expectNoLeaks, runOnBackend, testBackend } from '@gan/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SeedStream } from '../seed';
import { conv2dBackpropFilterComposite } from './conv2d-backprop-filter';

type Shape = {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  pad: 'same' | 'valid' | number;
};

const SHAPES: Shape[] = [
  {
    batch: 1,
    size: [5, 5],
    inChannels: 1,
    outChannels: 1,
    kernel: [1, 1],
    stride: 1,
    pad: 'valid',
  },
  { batch: 2, size: [8, 8], inChannels: 3, outChannels: 4, kernel: [4, 4], stride: 2, pad: 'same' },
  {
    batch: 3,
    size: [7, 9],
    inChannels: 2,
    outChannels: 5,
    kernel: [3, 2],
    stride: 2,
    pad: 'valid',
  },
  { batch: 2, size: [6, 5], inChannels: 4, outChannels: 3, kernel: [5, 5], stride: 1, pad: 'same' },
  { batch: 1, size: [9, 7], inChannels: 3, outChannels: 2, kernel: [3, 3], stride: 2, pad: 1 },
  {
    batch: 4,
    size: [16, 16],
    inChannels: 8,
    outChannels: 16,
    kernel: [4, 4],
    stride: 2,
    pad: 'same',
  },
];

const describeShape = (s: Shape) =>
  `b${s.batch} ${s.size.join('×')}×${s.inChannels}→${s.outChannels} k${s.kernel.join('×')} s${s.stride} pad ${s.pad}`;

/** Deterministic inputs: the same values on every backend. */
function inputs(s: Shape) {
  const stream = new SeedStream(s.batch * 100 + s.kernel[0]);
  const x = tf.randomNormal(
    [s.batch, ...s.size, s.inChannels],
    0,
    1,
    'float32',
    stream.nextSeed(),
  ) as tf.Tensor4D;
  const filterShape: [number, number, number, number] = [...s.kernel, s.inChannels, s.outChannels];
  const { outShape } = tf.backend_util.computeConv2DInfo(x.shape, filterShape, s.stride, 1, s.pad);
  const dy = tf.randomNormal(outShape, 0, 1, 'float32', stream.nextSeed()) as tf.Tensor4D;
  return { x, dy, filterShape };
}

function attrs(s: Shape, filterShape: number[]) {
  return {
    strides: s.stride,
    pad: s.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    filterShape,
  };
}

/** The backend's own filter gradient of conv2d, through the engine (tf.grad). */
function engineFilterGradient(s: Shape): number[] {
  return tf.tidy(() => {
    const { x, dy, filterShape } = inputs(s);
    const w = tf.zeros(filterShape) as tf.Tensor4D;
    const dw = tf.grad((f: tf.Tensor) =>
      tf.sum(tf.mul(dy, tf.conv2d(x, f as tf.Tensor4D, s.stride, s.pad))),
    )(w);
    return Array.from(dw.dataSync());
  });
}

/** The composite kernel, called directly on the active backend. */
function compositeFilterGradient(s: Shape): tf.Tensor {
  return tf.tidy(() => {
    const { x, dy, filterShape } = inputs(s);
    const kernel = conv2dBackpropFilterComposite(tf.getBackend());
    const info = kernel({
      inputs: { x, dy },
      backend: tf.backend(),
      attrs: attrs(s, filterShape) as never,
    });
    return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
  });
}

describe(`Conv2DBackpropFilter composite kernel [${testBackend()}]`, () => {
  for (const s of SHAPES) {
    it(`matches the cpu kernel to 1e-4: ${describeShape(s)}`, async () => {
      const reference = await runOnBackend('cpu', () => engineFilterGradient(s));
      const result = compositeFilterGradient(s);
      expect(result.shape).toEqual([...s.kernel, s.inChannels, s.outChannels]);
      expectClose(result, reference, { rtol: 1e-4, label: describeShape(s) });
      result.dispose();
    });
  }

  it('frees every intermediate (tensors and backend data)', () => {
    const s = SHAPES[1];
    compositeFilterGradient(s).dispose(); // warm-up: lazily created backend state
    const dataIds = tf.engine().backend.numDataIds();
    expectNoLeaks(() => {
      for (let i = 0; i < 3; i++) compositeFilterGradient(s).dispose();
    });
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });

  it("makes the backend's conv2d trainable: filter gradient through tf.grad matches cpu", async () => {
    const s = SHAPES[2];
    const reference = await runOnBackend('cpu', () => engineFilterGradient(s));
    expectClose(engineFilterGradient(s), reference, { rtol: 1e-4 });
  });

  it('rejects NCHW with a clear error', () => {
    const s = SHAPES[0];
    const { x, dy, filterShape } = inputs(s);
    const kernel = conv2dBackpropFilterComposite(tf.getBackend());
    expect(() =>
      kernel({
        inputs: { x, dy },
        backend: tf.backend(),
        attrs: { ...attrs(s, filterShape), dataFormat: 'NCHW' } as never,
      }),
    ).toThrow(/NHWC only/);
    tf.dispose([x, dy]);
  });
});
