import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from './heap';
import { at, simdKernels } from './simd/simd-module';

/**
 * The gradient of max pooling in one pass over the data in WebAssembly memory: each window's output gradient goes
 * to the first largest input (rows, then columns), as on tfjs's cpu backend. The backend's own kernel is a plain
 * C loop about ten times slower than this for the lab's 2×2 pools.
 */
export function maxPoolGrad(args: KernelArgs): tf.TensorInfo | null {
  const input = args.inputs.input as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  if (input.dtype !== 'float32' || input.shape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(input.shape, 'float32');
  const simd = simdKernels(args.backend);
  const plain2x2 = filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && top === 0 && left === 0;
  if (simd && plain2x2 && inHeight === 2 * outHeight && inWidth === 2 * outWidth && channels % 4 === 0) {
    // The lab's 2×2 pools, four channels at a time (kernels.as.ts).
    simd.kernels.maxPool2x2Grad(at(backend, input), at(backend, dy), at(backend, out), batchSize, inHeight, inWidth, channels);
    return out;
  }
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const grad = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const inBase = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      const yStart = Math.max(0, y0), yEnd = Math.min(inHeight, y0 + filterHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        const xStart = Math.max(0, x0), xEnd = Math.min(inWidth, x0 + filterWidth);
        const dyAt = ((b * outHeight + oy) * outWidth + ox) * channels;
        if (yEnd - yStart === 2 && xEnd - xStart === 2) {
          // The lab's 2×2 pools, unrolled (ties go to the first, as in the general loop).
          const a00 = inBase + (yStart * inWidth + xStart) * channels, a01 = a00 + channels;
          const a10 = a00 + inWidth * channels, a11 = a10 + channels;
          for (let c = 0; c < channels; c++) {
            let at = a00 + c, best = x[at];
            if (x[a01 + c] > best) { at = a01 + c; best = x[at]; }
            if (x[a10 + c] > best) { at = a10 + c; best = x[at]; }
            if (x[a11 + c] > best) at = a11 + c;
            dx[at] += grad[dyAt + c];
          }
          continue;
        }
        for (let c = 0; c < channels; c++) {
          let best = -Infinity, bestAt = -1;
          for (let y = yStart; y < yEnd; y++) {
            for (let at = inBase + (y * inWidth + xStart) * channels + c, end = at + (xEnd - xStart) * channels; at < end; at += channels) {
              if (x[at] > best) {
                best = x[at];
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) dx[bestAt] += grad[dyAt + c];
        }
      }
    }
  }
  return out;
}
