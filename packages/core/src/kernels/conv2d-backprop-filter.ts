import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/**
 * Conv2DBackpropFilter composed from kernels every backend has (PadV2, Reshape, GatherV2,
 * Transpose, BatchMatMul):
 *
 *   dW[kh, kw, :, :] = Σ_{b, oh, ow} x_pad[b, kh + s·oh, kw + s·ow, :]ᵀ · dy[b, oh, ow, :]
 *
 * One gather of the padded input's pixels in (oh, ow, kh, kw) order gives the im2col matrix
 * [B·OH·OW, KH·KW·CI]; transposed, one plain matmul with dy [B·OH·OW, CO] gives the filter
 * gradient. Measured on wasm (2 cores): the gather is 3–5× faster than KH·KW strided slices and
 * a concat, and an explicit transpose + plain matmul 4–12× faster than a matmul with
 * `transposeA` (which tfjs-wasm runs without XNNPACK). Intermediates are freed as soon as consumed.
 */
export function conv2dBackpropFilterComposite(backendName: string): KernelFunc {
  // Concat takes an array of inputs, every other kernel a named map.
  const run = (
    name: string,
    backend: KernelBackend,
    inputs: Record<string, TensorInfo> | TensorInfo[],
    attrs: object,
  ) => {
    const kernel = getKernel(name, backendName);
    if (kernel == null)
      throw new Error(`@gan/core: backend '${backendName}' has no ${name} kernel`);
    return kernel.kernelFunc({
      inputs: inputs as NamedTensorInfoMap,
      backend,
      attrs: attrs as NamedAttrMap,
    }) as TensorInfo;
  };
  // The gather's indices depend on the layer's geometry only: built once per geometry.
  const indexCache = new Map<string, Int32Array>();

  return ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    if (dataFormat !== 'NHWC') {
      throw new Error(
        `@gan/core: Conv2DBackpropFilter on ${backendName} supports NHWC only, got ${dataFormat}`,
      );
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } =
      info;
    const { inChannels, outChannels, inHeight, inWidth } = info;
    const { top, bottom, left, right } = info.padInfo;
    const paddedHeight = inHeight + top + bottom;
    const paddedWidth = inWidth + left + right;
    const rows = batchSize * outHeight * outWidth;
    const columns = filterHeight * filterWidth * inChannels;
    const free = (t: TensorInfo) => backend.disposeData(t.dataId);

    const key = [
      paddedWidth,
      outHeight,
      outWidth,
      strideHeight,
      strideWidth,
      filterHeight,
      filterWidth,
    ].join();
    let index = indexCache.get(key);
    if (index === undefined) {
      index = new Int32Array(outHeight * outWidth * filterHeight * filterWidth);
      let i = 0;
      for (let oh = 0; oh < outHeight; oh++)
        for (let ow = 0; ow < outWidth; ow++)
          for (let kh = 0; kh < filterHeight; kh++)
            for (let kw = 0; kw < filterWidth; kw++)
              index[i++] = (oh * strideHeight + kh) * paddedWidth + ow * strideWidth + kw;
      indexCache.set(key, index);
    }

    const padded = run(
      'PadV2',
      backend,
      { x },
      {
        paddings: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        constantValue: 0,
      },
    );
    const pixels = run(
      'Reshape',
      backend,
      { x: padded },
      { shape: [batchSize, paddedHeight * paddedWidth, inChannels] },
    );
    free(padded);
    const n = index.length;
    const indices: TensorInfo = {
      dataId: backend.write(index.slice(), [n], 'int32'),
      shape: [n],
      dtype: 'int32',
    };
    const gathered = run('GatherV2', backend, { x: pixels, indices }, { axis: 1, batchDims: 0 });
    free(pixels);
    free(indices);
    const im2col = run('Reshape', backend, { x: gathered }, { shape: [rows, columns] });
    free(gathered);
    const transposed = run('Transpose', backend, { x: im2col }, { perm: [1, 0] });
    free(im2col);
    const a = run('Reshape', backend, { x: transposed }, { shape: [1, columns, rows] });
    free(transposed);
    const b = run('Reshape', backend, { x: dy }, { shape: [1, rows, outChannels] });
    const product = run('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
    free(a);
    free(b);
    const result = run('Reshape', backend, { x: product }, { shape: filterShape });
    free(product);
    return result;
  };
}

/** The kernel config for {@link conv2dBackpropFilterComposite} on one backend. */
export function conv2dBackpropFilterKernel(backendName: string): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName,
    kernelFunc: conv2dBackpropFilterComposite(backendName),
  };
}
