import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageDataset } from '@gan/data';
import { FASHION_MNIST_DIR, fashionMnist, imageFolder } from '@gan/data/node';
import { RESOLUTION } from './recipe';

/**
 * Labelled 28×28 gray images: Fashion-MNIST from Debian's `dataset-fashion-mnist` ('fashion'),
 * a directory of the four IDX files, or an image folder with one subfolder per class.
 */
export async function loadLabelled(
  source: string,
  split: 'train' | 'test',
  limit?: number,
): Promise<ImageDataset> {
  const dir = source === 'fashion' ? FASHION_MNIST_DIR : source;
  const idx = ['images-idx3-ubyte', 'images-idx3-ubyte.gz'].some((name) =>
    existsSync(join(dir, `${split === 'train' ? 'train' : 't10k'}-${name}`)),
  );
  if (source === 'fashion' || idx) return fashionMnist({ dir, split, limit });
  if (split === 'test')
    throw new Error(
      `${source} is an image folder: it has no test split (the classifier needs Fashion-MNIST's IDX files)`,
    );
  return imageFolder(source, { resolution: RESOLUTION, channels: 1, labels: 'folders' });
}
