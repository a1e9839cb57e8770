import { ArgumentError, argError, nonNegativeInteger, tensorArg } from '@gan/core';
import {
  add,
  cast,
  clipByValue,
  div,
  mul,
  round,
  sub,
  Tensor,
  tensor,
  tidy,
} from '@tensorflow/tfjs-core';

/**
 * uint8 pixels (a tensor of any dtype holding 0…255, or a Uint8/Uint8Clamped array with its
 * shape) → float32 in [−1, 1], the range of a tanh generator: x / 127.5 − 1.
 */
export function toImageTensor(
  pixels: Tensor | Uint8Array | Uint8ClampedArray,
  shape?: number[],
): Tensor {
  const fn = 'toImageTensor';
  if (pixels instanceof Tensor) {
    tensorArg(fn, 'pixels', pixels);
    if (
      shape != null &&
      (!Array.isArray(shape) ||
        shape.length !== pixels.rank ||
        shape.some((d, i) => d !== pixels.shape[i]))
    )
      throw new ArgumentError(
        fn,
        'shape',
        `shape is only for typed arrays; pixels is a tf.Tensor of shape [${pixels.shape}], got shape ${Array.isArray(shape) ? `[${shape}]` : String(shape)}`,
      );
    return tidy(() => sub(div(cast(pixels, 'float32'), 127.5), 1));
  }
  if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray))
    argError(fn, 'pixels', 'a tf.Tensor, Uint8Array or Uint8ClampedArray', pixels);
  if (shape == null) throw new ArgumentError(fn, 'shape', 'shape is required for a typed array');
  if (!Array.isArray(shape)) argError(fn, 'shape', 'an array of integers ≥ 0', shape);
  for (const [i, d] of shape.entries()) nonNegativeInteger(fn, `shape[${i}]`, d);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== pixels.length)
    throw new ArgumentError(
      fn,
      'shape',
      `shape [${shape}] holds ${size} values, the array has ${pixels.length}`,
    );
  return tidy(() => sub(div(tensor(Float32Array.from(pixels), shape, 'float32'), 127.5), 1));
}

/** float images in [−1, 1] → int32 tensor of 0…255 (rounded, clipped): the inverse of {@link toImageTensor}. */
export function toUint8(images: Tensor): Tensor {
  tensorArg('toUint8', 'images', images);
  return tidy(() => cast(round(clipByValue(mul(add(images, 1), 127.5), 0, 255)), 'int32'));
}
