// For tests only (not exported): run folders written by hand, as the callbacks would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '@gan/data';

/** A run folder as the callbacks leave it: config, metrics, KID lines, a 4×4 grid. */
export async function testRun(
  scratch: () => Promise<string>,
  name: string,
  lr: number,
  kid: number,
): Promise<string> {
  const dir = join(await scratch(), name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ epochs: 2, lr, seed: 1 }));
  const metrics = [2, 4, 6].map((iteration) => ({
    iteration,
    epoch: 0,
    discriminatorLoss: -lr * iteration,
    generatorLoss: 1,
    imagesPerSecond: 50,
  }));
  writeFileSync(
    join(dir, 'metrics.jsonl'),
    `${metrics.map((m) => JSON.stringify(m)).join('\n')}\n{"iterat`,
  );
  writeFileSync(
    join(dir, 'kid.jsonl'),
    [0, 6]
      .map((iteration, i) =>
        JSON.stringify({
          iteration,
          epoch: 0,
          kid: i ? kid : 1,
          kidStd: 0.01,
          extractor: 'pixels',
          label: 'KID-like',
        }),
      )
      .join('\n'),
  );
  const grid = { width: 4, height: 4, data: new Uint8Array(64).fill(lr > 1e-3 ? 200 : 20) };
  writeFileSync(join(dir, 'samples-final.raw.png'), encodePng(grid));
  writeFileSync(join(dir, 'samples-final.png'), encodePng(grid));
  return dir;
}
