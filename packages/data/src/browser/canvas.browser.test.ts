import { expectArgError, testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { drawToCanvas } from './canvas';

describe(`drawToCanvas [${testBackend()}]`, () => {
  it('draws the pixels 1:1 and sizes the canvas to the image', () => {
    const canvas = document.createElement('canvas');
    const data = new Uint8Array([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 10, 20, 30, 255, 1, 2, 3, 255, 9, 8, 7, 255,
    ]);
    drawToCanvas(canvas, { width: 3, height: 2, data });
    expect([canvas.width, canvas.height]).toEqual([3, 2]);
    const read = canvas.getContext('2d')?.getImageData(0, 0, 3, 2).data;
    expect(Array.from(read ?? [])).toEqual(Array.from(data));
    expectArgError(
      () =>
        drawToCanvas({ getContext: () => null } as never, {
          width: 1,
          height: 1,
          data: new Uint8Array(4),
        }),
      'drawToCanvas',
      'canvas',
    );
  });
});
