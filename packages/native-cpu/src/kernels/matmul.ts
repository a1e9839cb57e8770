import { type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { epilogueOf, type FusedAttrs, type FusedInputs, NO_BIAS } from './fused';
import { cpuBackend, floatsOut, type KernelArgs, type NativeKernel, values } from './shared';

/** BatchMatMul and _FusedMatMul: one cblas_sgemm per batch entry. */
export const batchMatMul =
  (fused: boolean): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { a, b, bias } = args.inputs as unknown as { a: TensorInfo; b: TensorInfo } & FusedInputs;
    const {
      transposeA,
      transposeB,
      activation = 'linear',
      leakyreluAlpha = 0.2,
    } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean } & FusedAttrs;
    const [ra, rb] = [a.shape.length, b.shape.length];
    const batchA = util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = util.sizeFromShape(b.shape.slice(0, -2));
    // Same batch, or one side shared by every batch; anything else (or non-float) is tfjs's.
    if (
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      ra !== rb ||
      !(batchA === batchB || batchB === 1 || batchA === 1) ||
      (fused && activation === 'prelu')
    )
      return original.kernelFunc(args);
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const batch = Math.max(batchA, batchB);
    const av = values(backend, a);
    const bv = values(backend, b);
    // An empty inner dimension leaves the product to be zeros (sgemm then writes nothing).
    const out = k === 0 ? new Float32Array(batch * m * n) : floatsOut(batch * m * n);
    for (let i = 0; i < batch; i++)
      addon.sgemm(
        transposeA,
        transposeB,
        m,
        n,
        k,
        av.subarray((batchA === 1 ? 0 : i) * m * k),
        bv.subarray((batchB === 1 ? 0 : i) * k * n),
        out.subarray(i * m * n),
      );
    if (fused) {
      const epilogue = epilogueOf(activation, bias, n);
      if (!epilogue) return original.kernelFunc(args);
      const b = bias ? values(backend, bias) : NO_BIAS;
      addon.epilogue(out, n, b, epilogue.code, leakyreluAlpha);
    }
    const shape = [...(batchA >= batchB ? a : b).shape.slice(0, -2), m, n];
    return backend.makeTensorInfo(shape, 'float32', out);
  };
