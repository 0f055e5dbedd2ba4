/**
 * Gradient kernels for tfjs's WASM backend, so that `fit` works there, and works fast.
 *
 * tfjs 4.22's WASM backend has every kernel the lab's layers need for training except `Conv2DBackpropFilter`
 * (the gradient of a convolution with respect to its filter), and its `Conv2DBackpropInput` is a plain C loop,
 * 8-20× slower than its XNNPACK forward convolution. Both gradients are convolutions themselves, so we compose them
 * from the fast forward `Conv2D` kernel plus cheap pads, transposes and reverses (the first layer's thin ones as
 * one matrix product). Other kernels a training step leans on are replaced where the backend's own is a slow loop
 * or a needless copy: reductions over the batch, the max-pool gradient, batch norm, Identity and Cast; the
 * gradients of batch norm, Sum and Mean are registered without their full-size temporaries. The measured effect on
 * a classic-net step (2-core machine, one WASM thread): 96 → about 150 images/s.
 */
import * as tf from '@tensorflow/tfjs';

type ConvGradAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};
type FilterGradAttrs = ConvGradAttrs & { filterShape: [number, number, number, number] };
type InputGradAttrs = ConvGradAttrs & { inputShape: [number, number, number, number] };

/** The parts of tfjs's WASM backend a kernel written in JavaScript needs: outputs and views of the heap. */
interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

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
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs, backend?: HeapBackend): tf.Tensor4D {
  checkFormat(attrs, 'Conv2DBackpropFilter');
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (backend && x.dtype === 'float32' && info.filterHeight * info.filterWidth * info.inChannels <= SMALL_PATCH) return filterGradByPatches(x, dy, info, backend);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  return tf.tidy(() => {
    // Pad so that every tap (i, j) reads rows i .. i + (oh-1)·sh; crop rows no tap reads.
    const needH = kh + (oh - 1) * sh;
    const needW = kw + (ow - 1) * sw;
    const bottom = needH - top - x.shape[1];
    const right = needW - left - x.shape[2];
    let xp: tf.Tensor4D = x;
    if (top || left || bottom > 0 || right > 0) {
      xp = tf.pad(x, [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]]);
    }
    if (xp.shape[1] > needH || xp.shape[2] > needW) xp = tf.slice(xp, [0, 0, 0, 0], [-1, needH, needW, -1]);
    const input = tf.transpose(xp, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const grad = tf.conv2d(input, filter, 1, 'valid', 'NHWC', [sh, sw]);
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
    const padded = padTop || padLeft || padBottom || padRight ? tf.pad(dy, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]) : dy;
    const rotated = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(padded, rotated, 1, 'valid');
  });
}

/**
 * The gradient of FusedBatchNorm without `tile`. tfjs's own gradient tiles 1/σ to the full input size before one
 * multiply; the WASM backend's Tile is a slow element-by-element loop (the largest cost of a classic-net step
 * after the convolutions). Here every per-channel factor is broadcast instead, and the sums over the batch are taken
 * before multiplying by per-channel factors. Used on 'wasm' only (see registerGradientForWasm).
 */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const grad = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const epsilon = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor): tf.Tensor => (axes.length ? tf.sum(t, axes) : t);
    const gamma: tf.Tensor = scale ?? tf.scalar(1);
    const invStd = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
    // Each sum over the batch is needed by two of the gradients: taken once here. They live until the backward
    // pass's tidy ends (a gradient closure runs in a tidy of its own, which would free a tensor cached there).
    const gradSum = reduce(grad);
    const centredSum = reduce(tf.mul(grad, tf.sub(x, mean)));
    return {
      x: () => tf.reshape(tf.mul(grad, tf.mul(invStd, gamma)), x.shape),
      mean: () => tf.reshape(tf.mul(tf.neg(tf.mul(invStd, gamma)), gradSum), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(tf.pow(invStd, tf.scalar(3)), tf.scalar(-0.5)), gamma), centredSum), mean.shape),
      scale: () => tf.reshape(tf.mul(invStd, centredSum), mean.shape),
      offset: () => tf.reshape(gradSum, mean.shape),
    };
  },
};

/**
 * Gradients of Sum and Mean that broadcast the output gradient onto a filled tensor. tfjs's own build a tensor of
 * ones the size of the input in JavaScript on every call (batch norm's moments: 10% of a classic-net step on
 * WASM) only to multiply by it. Used on 'wasm' only (see registerGradientForWasm).
 */
function reductionGradConfig(kernelName: 'Sum' | 'Mean'): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
      const expanded = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
      const count = kernelName === 'Mean' ? axes.reduce((n, axis) => n * x.shape[axis], 1) : 1;
      return {
        x: () => {
          const grad = tf.reshape(dy as tf.Tensor, expanded);
          return tf.add(tf.fill(x.shape, 0, 'float32'), count === 1 ? grad : tf.div(grad, count));
        },
      };
    },
  };
}

export const sumGradConfig = reductionGradConfig('Sum');
export const meanGradConfig = reductionGradConfig('Mean');

/**
 * BatchMatMul with a transposed operand: the WASM backend runs those through a slow generic loop but the plain
 * product through XNNPACK, so transposing explicitly first is 10-20× faster (the dense layers' gradients).
 */
function matMulWithoutTransposes(args: Parameters<tf.KernelFunc>[0], original: tf.KernelFunc): tf.TensorInfo | null {
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return null;
  const flip = (t: tf.Tensor) => tf.transpose(t, [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : i === all.length - 2 ? all.length - 1 : all.length - 2)));
  const a = args.inputs.a as tf.Tensor;
  const b = args.inputs.b as tf.Tensor;
  const a2 = transposeA ? flip(a) : a;
  const b2 = transposeB ? flip(b) : b;
  try {
    return original({ inputs: { a: a2, b: b2 }, backend: args.backend, attrs: { ...(args.attrs as object), transposeA: false, transposeB: false } }) as tf.TensorInfo;
  } finally {
    if (a2 !== a) a2.dispose();
    if (b2 !== b) b2.dispose();
  }
}

/**
 * Sum or mean over the leading axes (batch norm's moments and gradients, bias gradients) as one pass over the
 * data in WebAssembly memory. The backend's own kernel transposes the whole tensor first, and a product with a row
 * of ones makes XNNPACK repack the tensor on every call: both 3-5× slower than this loop.
 */
function reduceLeadingAxes(args: Parameters<tf.KernelFunc>[0], mean: boolean): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  const attrs = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  if (x.dtype !== 'float32' || x.shape.length < 1) return null;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
  if (axes.length === 0 || axes.some((a, i) => a !== i)) return null;
  const rows = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const columns = rest.reduce((p, q) => p * q, 1);
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  // Views are taken after makeOutput: growing the heap detaches older ones.
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  const totals = columnTotals(source, rows, columns);
  const scale = mean ? 1 / rows : 1;
  for (let c = 0; c < columns; c++) target[c] = totals[c] * scale;
  return out;
}

/**
 * Column sums of a row-major [rows, columns] array. Eight columns at a time in local variables over a block of
 * rows that stays in cache: about 4× faster in V8 than adding each value into an array of totals.
 */
export function columnTotals(source: Float32Array, rows: number, columns: number): Float64Array {
  const totals = new Float64Array(columns);
  const block = 64;
  for (let r0 = 0; r0 < rows; r0 += block) {
    const r1 = Math.min(rows, r0 + block);
    let c = 0;
    for (; c + 8 <= columns; c += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let o = r0 * columns + c, end = r1 * columns; o < end; o += columns) {
        s0 += source[o]; s1 += source[o + 1]; s2 += source[o + 2]; s3 += source[o + 3];
        s4 += source[o + 4]; s5 += source[o + 5]; s6 += source[o + 6]; s7 += source[o + 7];
      }
      totals[c] += s0; totals[c + 1] += s1; totals[c + 2] += s2; totals[c + 3] += s3;
      totals[c + 4] += s4; totals[c + 5] += s5; totals[c + 6] += s6; totals[c + 7] += s7;
    }
    for (; c < columns; c++) {
      let sum = 0;
      for (let o = r0 * columns + c, end = r1 * columns; o < end; o += columns) sum += source[o];
      totals[c] += sum;
    }
  }
  return totals;
}

/**
 * The gradient of max pooling in one pass over the data in WebAssembly memory: each window's output gradient goes
 * to the first largest input (rows, then columns), as on tfjs's cpu backend. The backend's own kernel is a plain
 * C loop about ten times slower than this for the lab's 2×2 pools.
 */
function maxPoolGrad(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | null {
  const input = args.inputs.input as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  if (input.dtype !== 'float32' || input.shape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(input.shape, 'float32');
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

/**
 * Batch normalisation as x·s + t, with s = γ/√(variance + ε) and t = β − mean·s worked out on the small per-channel
 * tensors first: two XNNPACK broadcast passes over the data, about 1.8× faster than the backend's own kernel.
 */
function batchNormByBroadcast(args: Parameters<tf.KernelFunc>[0]): tf.Tensor | null {
  const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.Tensor | undefined>;
  if (!x || !mean || !variance || x.dtype !== 'float32') return null;
  const epsilon = (args.attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
  return tf.tidy(() => {
    const invStd = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
    const factor = scale ? tf.mul(scale, invStd) : invStd;
    const shift = offset ? tf.sub(offset, tf.mul(mean, factor)) : tf.neg(tf.mul(mean, factor));
    return tf.add(tf.mul(x, factor), shift);
  });
}

/**
 * Identity without a copy: the output shares the input's memory, as on the cpu and WebGL backends (tensors are
 * never written in place). The backend's own kernel copies the whole tensor, and training calls it hundreds of
 * times a step (casts, clones in the layers and in gradients).
 */
function shareIdentity(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | null {
  const x = args.inputs.x as tf.TensorInfo;
  if (x.dtype === 'string') return null;
  (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces a wasm kernel by a faster path where `fast` gives one, keeping the original for the other cases. */
function override(kernelName: string, fast: (args: Parameters<tf.KernelFunc>[0], original: tf.KernelFunc) => tf.TensorInfo | null): void {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) return;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => fast(args, original.kernelFunc) ?? original.kernelFunc(args),
  });
}

let registered = false;

/**
 * Gradients are registered per kernel, not per backend: our faster ones must not change what another backend
 * computes (WebGL training would then depend on whether WASM was probed first). On any backend but 'wasm' the
 * gradient tfjs had before runs, unchanged.
 */
export function registerGradientForWasm(config: tf.GradConfig): void {
  const original = tf.getGradient(config.kernelName);
  if (!original) {
    tf.registerGradient(config);
    return;
  }
  const same = (a?: unknown[], b?: unknown[]) => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (!same(original.inputsToSave, config.inputsToSave) || !same(original.outputsToSave, config.outputsToSave)) {
    // Saved tensors differ: the two gradients cannot share one registration. Keep tfjs's own everywhere.
    return;
  }
  tf.registerGradient({
    ...config,
    gradFunc: (dy, saved, attrs) => (tf.getBackend() === 'wasm' ? config.gradFunc(dy, saved, attrs) : original.gradFunc(dy, saved, attrs)),
  });
}

/**
 * Registers the training kernels for the 'wasm' backend. Call after the wasm backend module is imported (its
 * own kernels must be registered first, since we replace one of them); safe to call again.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  // The engine hands a kernel the Tensors the op was called with. Ops composed inside a kernel are not recorded
  // on the gradient tape (the engine's kernelDepth is > 0), and tf.tidy frees every intermediate.
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: ({ inputs, attrs, backend }) =>
        conv2dBackpropFilter(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, attrs as unknown as FilterGradAttrs, backend as unknown as HeapBackend),
    });
  }
  override('Conv2DBackpropInput', ({ inputs, attrs, backend }) =>
    conv2dBackpropInput(inputs.dy as tf.Tensor4D, inputs.filter as tf.Tensor4D, attrs as unknown as InputGradAttrs, backend as unknown as HeapBackend),
  );
  override('BatchMatMul', matMulWithoutTransposes);
  override('Sum', (args) => reduceLeadingAxes(args, false));
  override('Mean', (args) => reduceLeadingAxes(args, true));
  override('MaxPoolGrad', maxPoolGrad);
  override('Identity', shareIdentity);
  override('FusedBatchNorm', batchNormByBroadcast);
  // A cast to the dtype a tensor already has (the layers cast every input) is an identity too.
  override('Cast', (args) => ((args.attrs as unknown as { dtype: tf.DataType }).dtype === (args.inputs.x as tf.TensorInfo).dtype ? shareIdentity(args) : null));
  for (const config of [batchNormGradConfig, sumGradConfig, meanGradConfig]) registerGradientForWasm(config);
  registered = true;
}
