import { testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { preprocess } from '../fit';
import { encodePng } from '../png';
import { rawImage } from '../raw-image';
import { imageFiles, imageUrls } from './loaders';

/** An opaque test picture: a horizontal gradient with a blue square. */
function picture(width: number, height: number) {
  const rgba = rawImage(width, height, 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const square = x >= 2 && x < 5 && y >= 1 && y < 4;
      rgba.data.set(
        square ? [0, 0, 255, 255] : [Math.round((255 * x) / (width - 1)), 80, 40, 255],
        (y * width + x) * 4,
      );
    }
  return rgba;
}

describe(`browser loaders [${testBackend()}]`, () => {
  it('imageUrls decodes through createImageBitmap/OffscreenCanvas with the same preprocessing as Node', async () => {
    const images = [picture(9, 6), picture(5, 7)];
    const urls = images.map((img) =>
      URL.createObjectURL(
        new Blob([encodePng({ width: img.width, height: img.height, data: img.data })], {
          type: 'image/png',
        }),
      ),
    );
    const broken = URL.createObjectURL(new Blob(['not an image'], { type: 'image/png' }));
    const progress: number[] = [];
    const ds = await imageUrls([...urls, broken], {
      resolution: 4,
      onProgress: (d) => progress.push(d),
    });
    expect(ds.length).toBe(2);
    expect(ds.skipped).toHaveLength(1);
    expect(ds.skipped[0].path).toBe(broken);
    expect(progress).toEqual([1, 2, 3]);
    for (const [i, img] of images.entries())
      expect((await ds.get(i)).data).toEqual(preprocess(img, { resolution: 4 }).data);
    for (const url of [...urls, broken]) URL.revokeObjectURL(url);
  });

  it('imageFiles reads picked files, de-duplicating identical images', async () => {
    const png = encodePng({ width: 9, height: 6, data: picture(9, 6).data });
    const files = [
      new File([png], 'a.png'),
      new File([png], 'b.png'),
      new File([new Uint8Array(0)], 'empty.png'),
    ];
    const ds = await imageFiles(files, { resolution: 3, channels: 1, dedupe: true });
    expect(ds.length).toBe(1);
    expect(ds.report.duplicates).toBe(1);
    expect(ds.skipped).toEqual([{ path: 'empty.png', reason: 'empty file' }]);
    expect((await ds.get(0)).channels).toBe(1);
    await expect(imageFiles([files[2]], { resolution: 3 })).rejects.toThrow(
      /no usable image among 1 \(empty.png: empty file\)/,
    );
  });
});
