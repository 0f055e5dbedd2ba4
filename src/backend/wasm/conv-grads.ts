import * as tf from '@tensorflow/tfjs';
import type { HeapBackend } from './heap';
import { filterGradBySimd } from './simd/simd-conv';

type ConvGradAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};
export type FilterGradAttrs = ConvGradAttrs & { filterShape: [number, number, number, number] };
export type InputGradAttrs = ConvGradAttrs & { inputShape: [number, number, number, number] };

/**
 * Convolutions whose patches hold at most this many values (kernel height × width × input channels: the classic
 * net's first layer, 3×3×1) have their gradients computed as one matrix product with the patches laid out by
 * JavaScript: XNNPACK's convolution is slow for such thin shapes (9 outputs per filter, one input channel), about
 * 1.6× slower here. Larger patches (the small net's 5×5 first layer) are faster through XNNPACK.
 */
const SMALL_PATCH = 9;

/**
 * For each output position and kernel tap (i, j), the offset of the input pixel it reads, or -1 where it falls in
 * the padding: [positions × taps]. Kept for the last few shapes, since training asks for the same ones every step.
 */
const tapCache = new Map<string, Int32Array>();
function tapOffsets(info: tf.backend_util.Conv2DInfo): Int32Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const key = [batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth, top, left].join();
  const cached = tapCache.get(key);
  if (cached) return cached;
  const taps = filterHeight * filterWidth;
  const offsets = new Int32Array(batchSize * outHeight * outWidth * taps).fill(-1);
  for (let b = 0, at = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        for (let i = 0; i < filterHeight; i++) {
          const iy = oy * strideHeight - top + i;
          for (let j = 0; j < filterWidth; j++, at++) {
            const ix = ox * strideWidth - left + j;
            if (iy >= 0 && iy < inHeight && ix >= 0 && ix < inWidth) offsets[at] = ((b * inHeight + iy) * inWidth + ix) * inChannels;
          }
        }
      }
    }
  }
  if (tapCache.size >= 8) tapCache.clear();
  tapCache.set(key, offsets);
  return offsets;
}

/** dW as patchesᵀ · dy: the patches matrix is [kh·kw·cin, positions], dy is [positions, cout]. */
function filterGradByPatches(x: tf.Tensor4D, dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, backend: HeapBackend): tf.Tensor4D {
  const { inChannels, outChannels, filterHeight, filterWidth } = info;
  const taps = filterHeight * filterWidth;
  const offsets = tapOffsets(info);
  const positions = offsets.length / taps;
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const patches = new Float32Array(taps * inChannels * positions);
  for (let n = 0, at = 0; n < positions; n++) {
    for (let t = 0; t < taps; t++, at++) {
      const from = offsets[at];
      if (from < 0) continue;
      for (let c = 0; c < inChannels; c++) patches[(t * inChannels + c) * positions + n] = source[from + c];
    }
  }
  return tf.tidy(() => tf.reshape(tf.matMul(tf.tensor2d(patches, [taps * inChannels, positions]), tf.reshape(dy, [positions, outChannels])), [filterHeight, filterWidth, inChannels, outChannels]));
}

/** dx by scattering dy · Wᵀ ([positions, kh·kw·cin]) back onto the input positions each patch came from. */
function inputGradByPatches(dy: tf.Tensor4D, filter: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, backend: HeapBackend): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth } = info;
  const taps = filterHeight * filterWidth;
  const offsets = tapOffsets(info);
  const positions = offsets.length / taps;
  const columns = tf.tidy(() => tf.matMul(tf.reshape(dy, [positions, outChannels]), tf.reshape(filter, [taps * inChannels, outChannels]), false, true));
  try {
    const out = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
    const values = backend.typedArrayFromHeap(columns) as Float32Array;
    const dx = backend.typedArrayFromHeap(out) as Float32Array;
    dx.fill(0);
    for (let at = 0, from = 0; at < offsets.length; at++, from += inChannels) {
      const to = offsets[at];
      if (to < 0) continue;
      for (let c = 0; c < inChannels; c++) dx[to + c] += values[from + c];
    }
    return out;
  } finally {
    columns.dispose();
  }
}

function checkFormat(attrs: ConvGradAttrs, kernel: string): void {
  if (attrs.dataFormat === 'NCHW') throw new Error(`${kernel} on wasm supports only the NHWC data format.`);
}

/**
 * dW[i, j, c, o] = Σ_{b, y, x} xPadded[b, y·sh + i, x·sw + j, c] · dy[b, y, x, o]
 *
 * which is a convolution whose "batch" is the input channel c, whose "channels" are the images b, and whose filter
 * is the output gradient (spatial size = output size) dilated by the stride:
 *   conv2d(xPadded transposed to [c, H, W, b], dy transposed to [y, x, b, o], dilation = stride) → [c, i, j, o].
 * Works for any stride, padding ('valid', 'same', explicit) and kernel size; tfjs asks for this gradient only
 * with dilation 1.
 */
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs, backend?: HeapBackend): tf.TensorInfo {
  checkFormat(attrs, 'Conv2DBackpropFilter');
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const bySimd = backend ? filterGradBySimd(x, dy, info, backend) : null;
  if (bySimd) return bySimd;
  if (backend && x.dtype === 'float32' && info.filterHeight * info.filterWidth * info.inChannels <= SMALL_PATCH) return filterGradByPatches(x, dy, info, backend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    // Every tap (i, j) reads the padded rows i .. i + (oh-1)·sh.
    const needH = kh + (oh - 1) * sh;
    const needW = kw + (ow - 1) * sw;
    const bottom = needH - top - x.shape[1];
    const right = needW - left - x.shape[2];
    // Rows and columns no tap reads are cropped; the zero padding is left to the convolution (XNNPACK reads a
    // shared zero row instead of a padded copy of x).
    const xc = bottom < 0 || right < 0 ? tf.slice(x, [0, 0, 0, 0], [-1, Math.min(x.shape[1], needH - top), Math.min(x.shape[2], needW - left), -1]) : x;
    const input = tf.transpose(xc, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const grad = tf.conv2d(input, filter, 1, padding, 'NHWC', [sh, sw]);
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
}

/**
 * dx for stride 1: a "full" convolution of the output gradient with the filter rotated by 180° and its channel
 * axes swapped. Returns null where that identity does not apply (strides > 1, padding wider than the kernel), so
 * the caller keeps the backend's own kernel for those.
 */
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: InputGradAttrs, backend?: HeapBackend): tf.TensorInfo | null {
  checkFormat(attrs, 'Conv2DBackpropInput');
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (backend && dy.dtype === 'float32' && info.filterHeight * info.filterWidth * info.inChannels <= SMALL_PATCH) return inputGradByPatches(dy, filter, info, backend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight, inWidth } = info;
  if (sh !== 1 || sw !== 1) return null;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const padBottom = inHeight + kh - 1 - dy.shape[1] - padTop;
  const padRight = inWidth + kw - 1 - dy.shape[2] - padLeft;
  if (Math.min(padTop, padLeft, padBottom, padRight) < 0) return null;
  return tf.tidy(() => {
    const rotated = backend && filter.dtype === 'float32' ? rotateFilter(filter, backend) : (tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D);
    // The "full" padding is the convolution's own (no padded copy of dy).
    return tf.conv2d(dy, rotated, 1, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
  });
}

/**
 * The filter rotated by 180° with its channel axes swapped ([kh, kw, cin, cout] → [kh, kw, cout, cin]), in one
 * JavaScript loop: tfjs's WASM Reverse and Transpose are generic loops that took 2-5 ms a step for the classic net's
 * small filters.
 */
function rotateFilter(filter: tf.Tensor4D, backend: HeapBackend): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const source = backend.typedArrayFromHeap(filter) as Float32Array;
  const rotated = new Float32Array(source.length);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
      const to = (i * kw + j) * cout * cin;
      for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) rotated[to + o * cin + c] = source[from + c * cout + o];
    }
  }
  return tf.tensor4d(rotated, [kh, kw, cout, cin]);
}
