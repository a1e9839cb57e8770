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
 * Conv2DBackpropFilter composed from kernels every backend has (PadV2, StridedSlice, Reshape,
 * Concat, BatchMatMul):
 *
 *   dW[kh, kw, :, :] = Σ_{b, oh, ow} x_pad[b, kh + s·oh, kw + s·ow, :]ᵀ · dy[b, oh, ow, :]
 *
 * Each (kh, kw) patch is a strided slice of the padded input; concatenating the patches along
 * channels gives the im2col matrix [B·OH·OW, KH·KW·CI], and one matmul with dy [B·OH·OW, CO]
 * gives the filter gradient. Intermediates are freed as soon as they are consumed.
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
    const { inChannels, outChannels } = info;
    const { top, bottom, left, right } = info.padInfo;
    const rows = batchSize * outHeight * outWidth;
    const free = (t: TensorInfo) => backend.disposeData(t.dataId);

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
    const patches: TensorInfo[] = [];
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        const slice = run(
          'StridedSlice',
          backend,
          { x: padded },
          {
            begin: [0, kh, kw, 0],
            end: [
              batchSize,
              kh + strideHeight * (outHeight - 1) + 1,
              kw + strideWidth * (outWidth - 1) + 1,
              inChannels,
            ],
            strides: [1, strideHeight, strideWidth, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        patches.push(run('Reshape', backend, { x: slice }, { shape: [1, rows, inChannels] }));
        free(slice);
      }
    }
    free(padded);
    const columns =
      patches.length === 1 ? patches[0] : run('Concat', backend, patches, { axis: 2 });
    if (patches.length > 1) patches.forEach(free);
    const dy3 = run('Reshape', backend, { x: dy }, { shape: [1, rows, outChannels] });
    const product = run(
      'BatchMatMul',
      backend,
      { a: columns, b: dy3 },
      { transposeA: true, transposeB: false },
    );
    free(columns);
    free(dy3);
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
