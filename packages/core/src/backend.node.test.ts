import { spawnSync } from 'node:child_process';
import { expectArgErrorAsync, testBackend } from '@gan/test-utils';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type BackendCandidate,
  type BackendCandidateResult,
  defaultBackendOrder,
  setupBackend,
} from './backend';

describe(`setupBackend in Node [${testBackend()}]`, () => {
  afterEach(async () => {
    if (tf.findBackend('tensorflow')) tf.removeBackend('tensorflow');
    await tf.setBackend(testBackend());
  });

  it('tries tfjs-node-gpu, tfjs-node, WebGPU, wasm, cpu in that order; candidates go before wasm', () => {
    expect(defaultBackendOrder()).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'webgpu',
      'wasm',
      'cpu',
    ]);
    expect(defaultBackendOrder([{ name: 'a' }, { name: 'b' }])).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'webgpu',
      'a',
      'b',
      'wasm',
      'cpu',
    ]);
  });

  /** A candidate that activates the cpu backend (or declines), recording when it is asked. */
  const fake = (
    name: string,
    events: string[],
    outcome: BackendCandidateResult | Error = { ok: true, description: `${name} on tfjs cpu` },
    isGpu?: boolean,
  ): BackendCandidate => ({
    name,
    isGpu,
    async setup() {
      events.push(`setup ${name}`);
      if (outcome instanceof Error) throw outcome;
      if (outcome.ok) await tf.setBackend('cpu');
      return outcome;
    },
  });
  /** Refuses the Node and WebGPU packages (as on a machine without them), loads the rest. */
  const withoutGpuPackages =
    (events: string[]) =>
    async (specifier: string): Promise<unknown> => {
      events.push(`import ${specifier}`);
      if (/tfjs-node|webgpu/.test(specifier)) throw new Error(`Cannot find package '${specifier}'`);
      return import(/* @vite-ignore */ specifier);
    };

  it('tries candidates after the GPU backends and before wasm, in the order given', async () => {
    const events: string[] = [];
    const messages: string[] = [];
    const info = await setupBackend({
      candidates: [
        fake('declines', events, { ok: false, reason: 'not today' }),
        fake('fake-gpu', events, undefined, true),
        fake('never-asked', events),
      ],
      importer: withoutGpuPackages(events),
      logger: (m) => messages.push(m),
    });
    expect(info).toMatchObject({
      name: 'fake-gpu',
      backend: 'cpu',
      isGpu: true,
      description: 'fake-gpu on tfjs cpu',
    });
    expect(tf.getBackend()).toBe('cpu');
    // Node's packages first, WebGPU (its own reason, whatever this machine has), then ours.
    expect(events.slice(0, 2)).toEqual([
      'import @tensorflow/tfjs-node-gpu',
      'import @tensorflow/tfjs-node',
    ]);
    expect(events.slice(-2)).toEqual(['setup declines', 'setup fake-gpu']);
    expect(info.skipped.map((s) => s.name)).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'webgpu',
      'declines',
    ]);
    expect(info.summary).toMatch(
      /^backend fake-gpu \(fake-gpu on tfjs cpu\); skipped tensorflow-gpu \(.*\); webgpu \(.*\); declines \(not today\)$/,
    );
    expect(messages).toEqual([`[@gan/core] ${info.summary}`]);
  });

  it('passes over a candidate that declines or throws, with its reason in the line, and goes on to wasm', async () => {
    const events: string[] = [];
    const messages: string[] = [];
    const info = await setupBackend({
      candidates: [
        fake('declines', events, { ok: false, reason: 'its addon did not load' }),
        fake('throws', events, new Error('kaput\nstack details')),
      ],
      importer: withoutGpuPackages(events),
      logger: (m) => messages.push(m),
    });
    expect(info).toMatchObject({ name: 'wasm', backend: 'wasm', isGpu: false });
    expect(info.skipped.slice(-2)).toEqual([
      { name: 'declines', reason: 'its addon did not load' },
      { name: 'throws', reason: 'kaput' },
    ]);
    expect(info.summary).toMatch(/; declines \(its addon did not load\); throws \(kaput\)$/);
    expect(messages).toEqual([`[@gan/core] ${info.summary}`]);
  });

  it('prefer names candidates: their order, and only those named are asked', async () => {
    const events: string[] = [];
    const candidates = [fake('first', events), fake('second', events)];
    const info = await setupBackend({ prefer: ['second', 'cpu'], candidates, logger: null });
    expect(info).toMatchObject({ name: 'second', backend: 'cpu', isGpu: false, skipped: [] });
    expect(info.summary).toBe('backend second (second on tfjs cpu)');
    const cpu = await setupBackend({ prefer: ['cpu', 'first'], candidates, logger: null });
    expect(cpu.name).toBe('cpu');
    expect(events).toEqual(['setup second']);
    // The fixes are installed for a candidate's backend too.
    tf.unregisterGradient('Greater');
    await setupBackend({ prefer: ['first'], candidates, logger: null });
    expect(tf.getGradient('Greater')).toBeDefined();
  });

  it('logger: null is silent, and so is the deprecated false', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await setupBackend({ prefer: ['cpu'], logger: null });
      await setupBackend({ prefer: ['cpu'], logger: false });
      expect(info).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      await setupBackend({ prefer: ['cpu'] });
      expect(info.mock.calls).toEqual([[expect.stringMatching(/^\[@gan\/core\] backend cpu /)]]);
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });

  it('skips optional packages that are not installed, says why, and picks wasm', async () => {
    const messages: string[] = [];
    // WebGPU left out: whether it starts depends on this machine's Vulkan driver.
    const info = await setupBackend({
      prefer: ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'],
      logger: (m) => messages.push(m),
    });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.isGpu).toBe(false);
    expect(info.description).toMatch(/WebAssembly \(SIMD (on|off)/);
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    expect(info.skipped[0].reason).toBe('@tensorflow/tfjs-node-gpu: not installed');
    // One line: the choice and why the better candidates were passed over.
    expect(messages).toEqual([`[@gan/core] ${info.summary}`]);
    expect(info.summary).toMatch(
      /^backend wasm \(WebAssembly.*\); skipped tensorflow-gpu \(@tensorflow\/tfjs-node-gpu: not installed\); tensorflow \(@tensorflow\/tfjs-node: not installed\)$/,
    );
  });

  it('honours prefer and installs the gradient fixes', async () => {
    tf.unregisterGradient('Greater');
    const info = await setupBackend({ prefer: ['cpu'], logger: null });
    expect(info).toMatchObject({ name: 'cpu', backend: 'cpu', isGpu: false, skipped: [] });
    expect(tf.getGradient('Greater')).toBeDefined();
  });

  it('uses a backend an importer registers (how tfjs-node is found)', async () => {
    const imported: string[] = [];
    const info = await setupBackend({
      prefer: ['tensorflow', 'cpu'],
      logger: null,
      importer: async (specifier) => {
        imported.push(specifier);
        tf.registerBackend('tensorflow', () => new MathBackendCPU());
      },
    });
    expect(imported).toEqual(['@tensorflow/tfjs-node']);
    expect(info).toMatchObject({ name: 'tensorflow', backend: 'tensorflow', isGpu: false });
    expect(info.description).toMatch(/libtensorflow \(CPU\)/);
  });

  it('fails with every reason when nothing can start', async () => {
    await expect(
      setupBackend({ prefer: ['tensorflow-gpu', 'tensorflow'], logger: null }),
    ).rejects.toThrow(
      /no backend could be started:\n {2}tensorflow-gpu: @tensorflow\/tfjs-node-gpu: not installed\n {2}tensorflow: @tensorflow\/tfjs-node: not installed/,
    );
  });

  it('rejects unknown backend names and bad options before trying any backend', async () => {
    await expectArgErrorAsync(
      () => setupBackend({ prefer: ['gpu' as never] }),
      'setupBackend',
      'prefer[]',
      /prefer\[\] must be 'tensorflow-gpu' \| .* \| 'cpu', got 'gpu'$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: [] }),
      'setupBackend',
      'prefer',
      /non-empty array/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: 'wasm' as never }),
      'setupBackend',
      'prefer',
      /got 'wasm'$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ logger: true as never }),
      'setupBackend',
      'logger',
      /logger must be a function or null, got true$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ importer: 'x' as never }),
      'setupBackend',
      'importer',
      /got 'x'/,
    );
  });

  it('checks candidates, and names a candidate named in prefer but not given', async () => {
    const ok = { name: 'ok', setup: async () => ({ ok: true as const, description: 'ok' }) };
    const cases: [unknown, string, RegExp][] = [
      [
        'native',
        'candidates',
        /candidates must be an array of backend candidates .*, got 'native'$/,
      ],
      [[ok, null], 'candidates[1]', /candidates\[1\] must be a backend candidate .*, got null$/],
      [[{ setup: ok.setup }], 'candidates[0].name', /must be a non-empty string, got undefined$/],
      [
        [{ ...ok, name: 'wasm' }],
        'candidates[0].name',
        /a name no built-in backend has, got 'wasm'/,
      ],
      [
        [ok, { ...ok }],
        'candidates[1].name',
        /a name of its own \(candidates\[0\] has it\), got 'ok'$/,
      ],
      [
        [ok, { name: 'b', setup: 'later' }],
        'candidates[1].setup',
        /must be a function, got 'later'$/,
      ],
      [[{ ...ok, isGpu: 'yes' }], 'candidates[0].isGpu', /must be true or false, got 'yes'$/],
    ];
    for (const [candidates, arg, tail] of cases)
      await expectArgErrorAsync(
        () => setupBackend({ candidates: candidates as never, prefer: ['cpu'], logger: null }),
        'setupBackend',
        arg,
        tail,
      );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: ['native-cpu', 'wasm'] }),
      'setupBackend',
      'prefer[]',
      /got 'native-cpu'; pass its candidate: candidates: \[nativeCpuBackend\(\)\] from @gan\/native-cpu$/,
    );
    await expectArgErrorAsync(
      () => setupBackend({ prefer: ['okay'], candidates: [ok] }),
      'setupBackend',
      'prefer[]',
      /prefer\[\] must be 'tensorflow-gpu' \| .* \| 'cpu' \| 'ok', got 'okay'$/,
    );
  });

  it("refuses what a candidate's setup resolves to when it is neither a start nor a reason", async () => {
    const cases: [unknown, string][] = [
      [undefined, 'undefined'],
      [{ ok: false }, 'an object {ok}'],
      [{ ok: true, name: 'x' }, 'an object {ok, name}'],
      ['ready', "'ready'"],
    ];
    for (const [result, got] of cases)
      await expectArgErrorAsync(
        () =>
          setupBackend({
            prefer: ['bad', 'cpu'],
            candidates: [{ name: 'bad', setup: async () => result as never }],
            logger: null,
          }),
        'setupBackend',
        'candidates[0].setup',
        new RegExp(
          `candidates\\[0\\]\\.setup\\(\\) must resolve to \\{ ok: true, description: string \\} or \\{ ok: false, reason: string \\}, got ${got.replace(/[{}]/g, '\\$&')}$`,
        ),
      );
  });
});

describe(`setupBackend's first screen [${testBackend()}]`, () => {
  // Once (a child process, not the project's backend): on the cpu project.
  it.skipIf(testBackend() !== 'cpu')(
    'prints one line: no tfjs banner, no Dawn or tfjs-webgpu warnings while probing',
    () => {
      // A fresh process, as a user's program starts: the built package, WebGPU probed first.
      const core = new URL('../dist/index.js', import.meta.url).href;
      const program = `
      import * as tf from '@tensorflow/tfjs-core';
      import '@tensorflow/tfjs-backend-cpu';
      const { setupBackend } = await import(${JSON.stringify(core)});
      await setupBackend({ prefer: ['webgpu', 'cpu'] });
      tf.square(tf.tensor([1, 2])).dataSync();`;
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
        encoding: 'utf8',
        cwd: new URL('..', import.meta.url).pathname,
      });
      // Dawn itself (native code, not reachable from JS) logs two adapter-limit lines when it
      // enumerates Mesa >= 25's lavapipe, as CI installs for the WebGPU suite; a user's machine
      // without a software Vulkan driver never loads Dawn that far. Anything else is a failure.
      const dawnLimits =
        /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;
      expect(run.stderr.split('\n').filter((l) => l !== '' && !dawnLimits.test(l))).toEqual([]);
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^\[@gan\/core\] backend cpu \(plain JavaScript.*\); skipped webgpu \((no Vulkan loader|no WebGPU adapter|software adapter|webgpu: not installed)/,
        ),
      ]);
    },
  );
});
