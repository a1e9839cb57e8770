import { dispose, type Scalar } from '@tensorflow/tfjs-core';

/**
 * The scalars a step produced, kept as tensors: reading them is a GPU→CPU sync, so a loop reads
 * them only when it logs (`await result.read()`), and must `dispose()` them either way.
 */
export class StepResult {
  constructor(readonly tensors: Readonly<Record<string, Scalar>>) {}

  /** The values as numbers (one await for all of them). */
  async read(): Promise<Record<string, number>> {
    const names = Object.keys(this.tensors);
    const values = await Promise.all(names.map(async (n) => (await this.tensors[n].data())[0]));
    return Object.fromEntries(names.map((n, i) => [n, values[i]]));
  }

  /** The values now, blocking (for the CPU backends or when the caller asks for it). */
  readSync(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.tensors).map(([n, t]) => [n, t.dataSync()[0]]));
  }

  /** Merges two results (e.g. a discriminator and a generator step) into one. */
  merge(other: StepResult | undefined): StepResult {
    return other ? new StepResult({ ...this.tensors, ...other.tensors }) : this;
  }

  dispose(): void {
    dispose(Object.values(this.tensors));
  }
}
