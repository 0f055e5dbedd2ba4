/**
 * Convolutions, their filter gradients and plain matrix products by the lab's SIMD kernels (kernels.as.ts), for the
 * shapes they cover, where they measure faster than what tfjs has. Everything else keeps tfjs's kernels: a caller
 * gets null and falls back.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from '../heap';
import { at, simdKernels, withScratch } from './simd-module';

type ConvAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
};

/**
 * Conv2D and FusedConv2D (bias, then linear or relu) by the SIMD kernel: stride 1, no dilation, NHWC, float32, a
 * multiple of 8 output channels, at least 4 output columns, at least 4 input channels (thinner ones run faster in
 * XNNPACK), kernels up to 7×7, and only where XNNPACK runs on one thread (it scales with threads, ours does not).
 */
export function convBySimd(args: KernelArgs): tf.TensorInfo | null {
  const simd = simdKernels(args.backend);
  if (!simd || simd.threads > 1) return null;
  const { x, filter, bias } = args.inputs as Record<string, tf.TensorInfo | undefined>;
  const attrs = args.attrs as unknown as ConvAttrs;
  if (!x || !filter || x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || attrs.dataFormat === 'NCHW') return null;
  // A fused 'prelu' or 'leakyrelu' (their weights come with that activation) stays with tfjs.
  if (attrs.activation && attrs.activation !== 'linear' && attrs.activation !== 'relu') return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (outChannels % 8 !== 0 || outWidth < 4 || inChannels < 4 || filterHeight * filterWidth > 49 || batchSize * outHeight === 0) return null;
  if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== outChannels)) return null;
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput([batchSize, outHeight, outWidth, outChannels], 'float32');
  withScratch(backend, [inChannels], ([zero]) => {
    backend.typedArrayFromHeap(zero).fill(0);
    simd.kernels.conv(at(backend, x), at(backend, filter), bias ? at(backend, bias) : 0, at(backend, out), at(backend, zero),
      batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, info.padInfo.top, info.padInfo.left, attrs.activation === 'relu' ? 1 : 0);
  });
  return out;
}

/**
 * A plain matrix product a [M, K] · b [K, N] (+ bias [N], then linear or relu; leading batch dimensions of 1 allowed)
 * by the convolution kernel as a 1×1 convolution over a row of M pixels: N a multiple of 8, M at least 4, one
 * thread. XNNPACK packs b on every call, which for the classic net's 3136 × 256 dense layer costs more than the
 * product (6 GFLOP/s here). Null for anything else, transposes included (mat-mul.ts makes those plain first).
 */
export function matMulBySimd(a: tf.TensorInfo, b: tf.TensorInfo, bias: tf.TensorInfo | undefined, activation: string | undefined, backend: HeapBackend): tf.TensorInfo | null {
  const simd = simdKernels(backend);
  if (!simd || simd.threads > 1 || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || a.shape.length !== b.shape.length) return null;
  if (activation && activation !== 'linear' && activation !== 'relu') return null;
  const rank = a.shape.length;
  const batch = (shape: number[]) => shape.slice(0, -2).reduce((p, d) => p * d, 1);
  if (batch(a.shape) !== 1 || batch(b.shape) !== 1) return null;
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2 || n % 8 !== 0 || m < 4 || k === 0) return null;
  if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== n)) return null;
  const out = backend.makeOutput([...a.shape.slice(0, rank - 2), m, n], 'float32');
  // A 1×1 convolution without padding never reads the zero row: none is passed.
  simd.kernels.conv(at(backend, a), at(backend, b), bias ? at(backend, bias) : 0, at(backend, out), 0, 1, 1, m, k, 1, m, n, 1, 1, 0, 0, activation === 'relu' ? 1 : 0);
  return out;
}

/** Output rows a filter-gradient block sums before the next block (measured: 4 keeps x's and dy's rows cached). */
const FILTER_GRAD_ROWS = 4;

/**
 * The filter gradient by the SIMD kernel, on any thread count: stride 1, float32, input channels a multiple of 4,
 * output channels of 8. Null otherwise.
 */
export function filterGradBySimd(x: tf.TensorInfo, dy: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, backend: HeapBackend): tf.TensorInfo | null {
  const simd = simdKernels(backend);
  if (!simd || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  if (info.strideHeight !== 1 || info.strideWidth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (inChannels % 4 !== 0 || outChannels % 8 !== 0 || batchSize * outHeight * outWidth === 0) return null;
  const out = backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  simd.kernels.filterGrad(at(backend, x), at(backend, dy), at(backend, out), batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels,
    filterHeight, filterWidth, info.padInfo.top, info.padInfo.left, FILTER_GRAD_ROWS);
  return out;
}
