import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaksAsync, testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';
import { train } from './train';

describe(`pokemon-wgan train() [${testBackend()}]`, () => {
  const options = (outDir: string) => ({
    steps: 6,
    batchSize: 4,
    resolution: 8,
    latentDim: 4,
    filters: 2,
    nCritic: 3,
    seed: 1,
    outDir,
    logEvery: 3,
  });

  it('trains a few WGAN-GP steps and writes samples, real images and metrics without leaking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pokemon-wgan-'));
    const progress: number[] = [];
    const result = await expectNoLeaksAsync(() =>
      train({ ...options(dir), onProgress: (p) => progress.push(p.step) }),
    );
    expect(result).toMatchObject({ steps: 6, stopped: false });
    expect(progress).toEqual([3, 6]);
    const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(metrics).toHaveLength(2);
    expect(
      metrics.every((m) => Number.isFinite(m.criticLoss) && Number.isFinite(m.generatorLoss)),
    ).toBe(true);
    for (const name of ['samples.png', 'real.png']) {
      const png = readFileSync(join(dir, name));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(64); // 8 columns × 8 px
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reproducible from its seed and stops cleanly on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pokemon-wgan-'));
    const a = await train(options(dir));
    const b = await train(options(dir));
    expect(b.last).toMatchObject({
      criticLoss: a.last?.criticLoss,
      wasserstein: a.last?.wasserstein,
    });
    const controller = new AbortController();
    const stopped = await train({
      ...options(dir),
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(stopped).toMatchObject({ steps: 3, stopped: true });
    expect(readFileSync(join(dir, 'samples.png')).length).toBeGreaterThan(100);
    rmSync(dir, { recursive: true, force: true });
  });
});
