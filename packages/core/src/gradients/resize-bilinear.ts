import {
  type GradConfig,
  matMul,
  type NamedAttrMap,
  type ResizeBilinearAttrs,
  reshape,
  type Tensor,
  tensor2d,
  transpose,
} from '@tensorflow/tfjs-core';

/**
 * The [outSize, inSize] matrix of 1-D linear interpolation, sampled exactly as the tfjs kernels
 * sample (source = ratio·(o + ½) − ½ with half-pixel centres, ratio·o otherwise).
 */
export function interpolationMatrix(
  inSize: number,
  outSize: number,
  alignCorners: boolean,
  halfPixelCenters: boolean,
): Float32Array {
  const aligned = alignCorners && outSize > 1;
  const ratio = (aligned ? inSize - 1 : inSize) / (aligned ? outSize - 1 : outSize);
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    const source = halfPixelCenters ? ratio * (o + 0.5) - 0.5 : ratio * o;
    const low = Math.max(0, Math.floor(source));
    const high = Math.min(inSize - 1, Math.ceil(source));
    const frac = source - low;
    m[o * inSize + low] += 1 - frac;
    m[o * inSize + high] += frac;
  }
  return m;
}

/**
 * resizeBilinear is separable and linear: y[b,·,·,c] = A_h · x[b,·,·,c] · A_wᵀ, so
 * dx = A_hᵀ · dy · A_w. tfjs's ResizeBilinearGrad kernel ignores halfPixelCenters (its first-order
 * gradient is wrong then) and has no gradient of its own; this one is exact for every mode and,
 * being made of matMul/transpose/reshape, differentiable again.
 */
export const resizeBilinearGradient: GradConfig = {
  kernelName: 'ResizeBilinear',
  inputsToSave: ['images'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [images] = saved;
    const { alignCorners, halfPixelCenters } = attrs as unknown as ResizeBilinearAttrs;
    const [batch, height, width, channels] = images.shape;
    const grad = dy as Tensor;
    const [, outHeight, outWidth] = grad.shape;
    return {
      images: () => {
        const rows = tensor2d(
          interpolationMatrix(height, outHeight, alignCorners, halfPixelCenters),
          [outHeight, height],
        );
        const cols = tensor2d(
          interpolationMatrix(width, outWidth, alignCorners, halfPixelCenters),
          [outWidth, width],
        );
        // [B, OH, OW, C] → [OW, B·OH·C] ·(A_wᵀ)→ [W, B·OH·C]
        const byCol = reshape(transpose(grad, [2, 0, 1, 3]), [
          outWidth,
          batch * outHeight * channels,
        ]);
        const alongW = matMul(cols, byCol, true, false);
        // [W, B, OH, C] → [OH, B·W·C] ·(A_hᵀ)→ [H, B·W·C]
        const byRow = reshape(
          transpose(reshape(alongW, [width, batch, outHeight, channels]), [2, 1, 0, 3]),
          [outHeight, batch * width * channels],
        );
        const alongH = matMul(rows, byRow, true, false);
        // [H, B, W, C] → [B, H, W, C]
        return transpose(reshape(alongH, [height, batch, width, channels]), [1, 0, 2, 3]);
      },
    };
  },
};
