import { argError } from '@gan/core';
import type { RgbaImage } from '../grid';

/**
 * Draws an RGBA image (an `imageGrid`) into a canvas at 1:1, resizing the canvas to it: CSS
 * (`image-rendering: pixelated`) enlarges it on screen.
 */
export function drawToCanvas(canvas: HTMLCanvasElement | OffscreenCanvas, image: RgbaImage): void {
  const context = canvas?.getContext('2d') as
    | CanvasRenderingContext2D
    | OffscreenCanvasRenderingContext2D
    | null;
  if (!context) argError('drawToCanvas', 'canvas', 'a canvas with a 2d context', canvas);
  [canvas.width, canvas.height] = [image.width, image.height];
  context.putImageData(
    new ImageData(new Uint8ClampedArray(image.data), image.width, image.height),
    0,
    0,
  );
}
