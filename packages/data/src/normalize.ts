import {
  add,
  cast,
  clipByValue,
  div,
  mul,
  round,
  sub,
  type Tensor,
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
  return tidy(() => {
    if (!(pixels instanceof Uint8Array || pixels instanceof Uint8ClampedArray)) {
      return sub(div(cast(pixels, 'float32'), 127.5), 1);
    }
    if (shape == null) throw new Error('toImageTensor: shape is required for a typed array');
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== pixels.length) {
      throw new Error(
        `toImageTensor: shape [${shape}] holds ${size} values, the array has ${pixels.length}`,
      );
    }
    return sub(div(tensor(Float32Array.from(pixels), shape, 'float32'), 127.5), 1);
  });
}

/** float images in [−1, 1] → int32 tensor of 0…255 (rounded, clipped): the inverse of {@link toImageTensor}. */
export function toUint8(images: Tensor): Tensor {
  return tidy(() => cast(round(clipByValue(mul(add(images, 1), 127.5), 0, 255)), 'int32'));
}
