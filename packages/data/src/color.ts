import { type Color, colorArg, type RawImage, rawImage, rawImageArg } from './raw-image';

/**
 * Composites an image onto a solid background (sprites are transparent): out = α·c + (1 − α)·bg
 * per channel, rounded. RGB and gray images are returned as they are (3 or 1 channels).
 */
export function composite(image: RawImage, background: Color = 'white'): RawImage {
  rawImageArg('composite', 'image', image);
  const [r, g, b] = colorArg('composite', 'background', background);
  if (image.channels !== 4) return image;
  const out = rawImage(image.width, image.height, 3);
  const src = image.data;
  for (let i = 0, j = 0; i < src.length; i += 4, j += 3) {
    const a = src[i + 3];
    out.data[j] = Math.round((src[i] * a + r * (255 - a)) / 255);
    out.data[j + 1] = Math.round((src[i + 1] * a + g * (255 - a)) / 255);
    out.data[j + 2] = Math.round((src[i + 2] * a + b * (255 - a)) / 255);
  }
  return out;
}

/** RGB(A) → gray with ITU-R 601 weights (0.299, 0.587, 0.114), as Pillow's 'L'; composite first. */
export function grayscale(image: RawImage, background: Color = 'white'): RawImage {
  rawImageArg('grayscale', 'image', image);
  colorArg('grayscale', 'background', background);
  if (image.channels === 1) return image;
  const rgb = composite(image, background);
  const out = rawImage(image.width, image.height, 1);
  for (let i = 0, j = 0; j < out.data.length; i += 3, j++)
    out.data[j] = Math.round(
      0.299 * rgb.data[i] + 0.587 * rgb.data[i + 1] + 0.114 * rgb.data[i + 2],
    );
  return out;
}

/** Gray → RGB by repeating the channel. */
export function toRgb(image: RawImage, background: Color = 'white'): RawImage {
  rawImageArg('toRgb', 'image', image);
  colorArg('toRgb', 'background', background);
  if (image.channels === 3) return image;
  if (image.channels === 4) return composite(image, background);
  const out = rawImage(image.width, image.height, 3);
  for (let i = 0; i < image.data.length; i++) out.data.fill(image.data[i], 3 * i, 3 * i + 3);
  return out;
}
