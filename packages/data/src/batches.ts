import { ArgumentError, argError } from '@gan/core';
import type { Tensor4D } from '@tensorflow/tfjs-core';
import { toImageTensor } from './normalize';
import { type RawImage, rawImageArg } from './raw-image';

/** Same-size images → one float32 [n, h, w, c] tensor in [−1, 1]. */
export function imagesToTensor(images: readonly RawImage[]): Tensor4D {
  const fn = 'imagesToTensor';
  if (!Array.isArray(images)) argError(fn, 'images', 'an array of RawImage', images);
  if (images.length === 0) throw new ArgumentError(fn, 'images', 'images is empty');
  const { width, height, channels } = rawImageArg(fn, 'images[0]', images[0]);
  const size = width * height * channels;
  const pixels = new Uint8Array(images.length * size);
  images.forEach((image, i) => {
    rawImageArg(fn, `images[${i}]`, image);
    if (image.width !== width || image.height !== height || image.channels !== channels)
      throw new ArgumentError(
        fn,
        'images',
        `image ${i} is ${image.width}×${image.height}×${image.channels}, the first ${width}×${height}×${channels}`,
      );
    pixels.set(image.data, i * size);
  });
  return toImageTensor(pixels, [images.length, height, width, channels]) as Tensor4D;
}
