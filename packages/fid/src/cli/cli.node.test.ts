import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SeedStream } from '@gan/core';
import { encodePng } from '@gan/data';
import { registerNativeKernels, unregisterNativeKernels } from '@gan/native-cpu';
import { testBackend } from '@gan/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureStats } from '../feature-stats';
import { readNpzStats } from '../npz';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** n 24×24 PNGs: noise around a colour. */
async function folder(dir: string, n: number, red: number, seed: number): Promise<void> {
  const s = new SeedStream(seed);
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(24 * 24 * 4);
    for (let p = 0; p < 24 * 24; p++) {
      const noise = () => Math.max(0, Math.min(255, 128 + 40 * s.normal()));
      data.set([Math.max(0, Math.min(255, red + 40 * s.normal())), noise(), noise(), 255], p * 4);
    }
    await writeFile(join(dir, `${i}.png`), encodePng({ width: 24, height: 24, data }));
  }
}

// Spawns the built command (on its own default backend): once, from the cpu project.
const once = testBackend() === 'cpu' ? describe : describe.skip;

once('gan-fid (the built command)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'gan-fid-'));
    for (const [name, red, seed] of [
      ['a', 60, 1],
      ['b', 60, 2],
      ['c', 220, 3],
    ] as const) {
      await (await import('node:fs/promises')).mkdir(join(root, name));
      await folder(join(root, name), 24, red, seed);
    }
  });
  afterAll(() => rm(root, { recursive: true }));

  const gan = (...args: string[]) =>
    run(process.execPath, [cli, ...args, '--backend', 'cpu', '--extractor', 'random'], {
      env: { ...process.env, CI: 'true' },
    });

  it('scores two folders (FID-like, KID and precision/recall, labelled), saves statistics, plain progress lines', async () => {
    const npz = join(root, 'a.npz');
    const stats = join(root, 'a.ganstats');
    const near = await gan(
      join(root, 'a'),
      join(root, 'b'),
      '--kid',
      '--precision-recall',
      '--save-stats',
      stats,
    );
    const far = await gan(
      join(root, 'a'),
      join(root, 'c'),
      '--json',
      '--precision-recall',
      '--save-stats',
      npz,
    );
    expect(near.stdout).toMatch(
      /^FID-like \(random-conv .*not comparable to published FID\): \d+\.\d{4}$/m,
    );
    expect(near.stdout).toMatch(/^KID-like .*: -?\d+\.\d+ ± \d+\.\d+$/m);
    const pr =
      /^precision\/recall-like \(k = 3, random-conv .*not comparable to published precision\/recall\): precision (\d\.\d{4}), recall (\d\.\d{4})$/m.exec(
        near.stdout,
      );
    expect(pr).not.toBeNull();
    expect(near.stdout).toMatch(/^resize: 8-bit images, .*Pillow-equivalent bicubic/m);
    expect(near.stderr).toMatch(/a: 24\/24 images/);
    expect(near.stderr).not.toMatch(/\r/);
    const nearFid = Number(/: (\d+\.\d+)$/m.exec(near.stdout)?.[1]);
    const result = JSON.parse(far.stdout);
    expect(result.counts).toEqual([24, 24]);
    expect(result.fid).toBeGreaterThan(5 * nearFid);
    // Another colour: few generated samples fall inside the real manifold, and the other way round.
    expect(result.precisionRecall).toMatchObject({
      k: 3,
      label: expect.stringMatching(/^precision/),
    });
    expect(result.precisionRecall.precision).toBeLessThan(Number(pr?.[1]));
    expect(result.precisionRecall.recall).toBeLessThan(Number(pr?.[2]));
    // Saved statistics stand in for the folder and give the same score.
    const again = await gan(stats, join(root, 'b'), '--json');
    expect(JSON.parse(again.stdout).fid).toBeCloseTo(nearFid, 3);
    expect(FeatureStats.load(new Uint8Array(await readFile(stats))).count).toBe(24);
    expect(readNpzStats(new Uint8Array(await readFile(npz))).mean.length).toBe(64);
  });

  it('refuses pytorch-fid statistics with a non-standard extractor, and names a missing input', async () => {
    const npz = join(root, 'a.npz');
    await expect(gan(npz, join(root, 'b'))).rejects.toMatchObject({
      stderr: expect.stringMatching(/pytorch-fid statistics .*--extractor inception=/),
    });
    await expect(
      gan(join(root, 'a.ganstats'), join(root, 'b'), '--precision-recall'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/--precision-recall needs two image folders/),
    });
    await expect(gan(join(root, 'missing'), join(root, 'b'))).rejects.toMatchObject({
      stderr: expect.stringMatching(/missing does not exist/),
    });
  });

  it("passes @gan/native-cpu's candidate to setupBackend: --backend native-cpu uses its kernels", async () => {
    // Whether this checkout has the addon (CI builds one; a machine without a compiler may not).
    const probe = registerNativeKernels();
    unregisterNativeKernels();
    const args = [cli, join(root, 'a'), join(root, 'b'), '--json', '--extractor', 'random'];
    const picked = run(process.execPath, [...args, '--backend', 'native-cpu']);
    if (probe.ok) {
      const { stdout, stderr } = await picked;
      expect(stderr).toMatch(
        /^\[@gan\/core\] backend native-cpu \(tfjs cpu \+ \d+ native kernels, OpenBLAS \S+, \d+ threads\)$/m,
      );
      expect(Number.isFinite(JSON.parse(stdout).fid)).toBe(true);
    } else {
      if (process.env.GAN_REQUIRE_NATIVE === '1') throw new Error(probe.reason);
      await expect(picked).rejects.toMatchObject({
        stderr: expect.stringMatching(
          /no backend could be started:\n {2}native-cpu: @gan\/native-cpu: /,
        ),
      });
    }
  });

  it('names a misused flag before loading anything, as a usage error (exit code 2)', async () => {
    await expect(gan(join(root, 'a'), join(root, 'b'), '--samples', 'abc')).rejects.toMatchObject({
      code: 2,
      stderr: "gan-fid: --samples must be a positive integer, got 'abc'\n",
    });
  });
});
