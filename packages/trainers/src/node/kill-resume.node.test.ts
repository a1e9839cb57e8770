import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackend } from '@gan/test-utils';
import { describe, expect, it } from 'vitest';

const child = new URL('./resume-child.mjs', import.meta.url).pathname;
const ITERATIONS = 240;

/**
 * Runs the training process to its end, or kills it (SIGKILL) at a random moment after its
 * `killAt`-th checkpoint — during the next iteration or the next save: whether it finished.
 */
function run(dir: string, killAt?: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, String(ITERATIONS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    let saved = 0;
    let timer: NodeJS.Timeout | undefined;
    p.stdout.on('data', (d: Buffer) => {
      saved += d.length;
      if (killAt != null && saved >= killAt && timer == null)
        timer = setTimeout(() => p.kill('SIGKILL'), Math.random() * 15);
    });
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(false);
      else if (code === 0) resolve(true);
      else reject(new Error(`training process failed (${code}): ${stderr}`));
    });
  });
}

// Child processes on the built package: once, on the cpu project.
describe.runIf(testBackend() === 'cpu')('kill -9 during fit, resumed in a new process', () => {
  it('ends with the same weights and optimizer state as an uninterrupted run', async () => {
    expect(existsSync(new URL('../../dist/node.js', import.meta.url)), 'build first').toBe(true);
    const scratch = mkdtempSync(join(tmpdir(), 'gan-kill-resume-'));
    try {
      const whole = join(scratch, 'whole');
      expect(await run(whole)).toBe(true);
      const killed = join(scratch, 'killed');
      // Six kills at random moments, then a run to the end; each restart resumes the newest
      // readable checkpoint (a kill during a save leaves the one before).
      let kills = 0;
      while (!(await run(killed, kills < 6 ? 1 + Math.floor(Math.random() * 30) : undefined)))
        kills++;
      const read = (d: string) => JSON.parse(readFileSync(join(d, 'final.json'), 'utf8'));
      const [a, b] = [read(whole), read(killed)];
      expect(b.iteration).toBe(ITERATIONS);
      for (const key of Object.keys(a)) expect(b[key], key).toEqual(a[key]);
      expect(kills).toBe(6);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
