import { backend_util, type KernelFunc, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { epilogueOf, type FusedAttrs, type FusedInputs, NO_BIAS } from './fused';
import {
  cpuBackend,
  floats,
  floatsOut,
  type KernelArgs,
  type NativeKernel,
  values,
} from './shared';

type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
interface ConvAttrs {
  strides: [number, number] | number;
  pad: ConvPad;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The addon's 15 geometry numbers (see Geometry in addon.cc). */
function geometry(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  ]);
}

function convInfo(
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

/**
 * Conv2D and FusedConv2D (NHWC float32): im2col + one sgemm per chunk of images, then the fused
 * epilogue (bias per output channel and the activation) in the same native call.
 */
export const conv2d =
  (fused: boolean): NativeKernel =>
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { x, filter, bias } = args.inputs as unknown as {
      x: TensorInfo;
      filter: TensorInfo;
    } & FusedInputs;
    const attrs = args.attrs as unknown as ConvAttrs & FusedAttrs;
    if (!floats(x, filter) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(x.shape, filter.shape, attrs);
    const epilogue = fused ? epilogueOf(attrs.activation, bias, info.outChannels) : { code: -1 };
    if (!epilogue) return original.kernelFunc(args);
    const y = floatsOut(info.batchSize * info.outHeight * info.outWidth * info.outChannels);
    addon.conv2d(
      values(backend, x),
      values(backend, filter),
      y,
      geometry(info),
      bias ? values(backend, bias) : NO_BIAS,
      epilogue.code,
      attrs.leakyreluAlpha ?? 0.2,
    );
    return backend.makeTensorInfo(info.outShape, 'float32', y);
  };

/** Conv2DBackpropInput: the transposed convolution (the generator's upsampling layers). */
export const conv2dBackpropInput: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
    if (!floats(dy, filter) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(attrs.inputShape, filter.shape, attrs);
    const dx = floatsOut(info.batchSize * info.inHeight * info.inWidth * info.inChannels);
    addon.conv2dBackpropInput(values(backend, dy), values(backend, filter), dx, geometry(info));
    return backend.makeTensorInfo(info.inShape, 'float32', dx);
  };

/** Conv2DBackpropFilter: the filter gradient, accumulated over the batch inside sgemm. */
export const conv2dBackpropFilter: NativeKernel =
  (addon, original): KernelFunc =>
  (args: KernelArgs) => {
    const backend = cpuBackend(args);
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
    if (!floats(x, dy) || attrs.dataFormat === 'NCHW') return original.kernelFunc(args);
    const info = convInfo(x.shape, attrs.filterShape, attrs);
    const dw = floatsOut(util.sizeFromShape(attrs.filterShape));
    addon.conv2dBackpropFilter(values(backend, x), values(backend, dy), dw, geometry(info));
    return backend.makeTensorInfo(attrs.filterShape, 'float32', dw);
  };
