/**
 * Gradient kernels for tfjs's WASM backend, so that `fit` works there, and works fast.
 *
 * tfjs 4.22's WASM backend has every kernel the lab's layers need for training except `Conv2DBackpropFilter`
 * (the gradient of a convolution with respect to its filter), and its `Conv2DBackpropInput` is a plain C loop,
 * 8-20× slower than its XNNPACK forward convolution. Both gradients are convolutions themselves, so we compose them
 * from the fast forward `Conv2D` kernel plus cheap pads, transposes and reverses.
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
export function conv2dBackpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: FilterGradAttrs): tf.Tensor4D {
  checkFormat(attrs, 'Conv2DBackpropFilter');
  const info = tf.backend_util.computeConv2DInfo(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
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
export function conv2dBackpropInput(dy: tf.Tensor4D, filter: tf.Tensor4D, attrs: InputGradAttrs): tf.Tensor4D | null {
  checkFormat(attrs, 'Conv2DBackpropInput');
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
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
 * before multiplying by per-channel factors. Same mathematics, so it is registered for every backend.
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
    const centred = (): tf.Tensor => tf.mul(grad, tf.sub(x, mean));
    return {
      x: () => tf.reshape(tf.mul(grad, tf.mul(invStd, gamma)), x.shape),
      mean: () => tf.reshape(tf.mul(tf.neg(tf.mul(invStd, gamma)), reduce(grad)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(tf.pow(invStd, tf.scalar(3)), tf.scalar(-0.5)), gamma), reduce(centred())), mean.shape),
      scale: () => tf.reshape(tf.mul(invStd, reduce(centred())), mean.shape),
      offset: () => tf.reshape(reduce(grad), mean.shape),
    };
  },
};

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
 * Sum or mean over the leading axes (batch norm's moments and gradients, bias gradients) as a product with a row
 * of ones: XNNPACK's matrix product beats the backend's transpose-then-reduce about 3×.
 */
function reduceLeadingAxes(x: tf.Tensor, attrs: { axis: number | number[]; keepDims: boolean }, mean: boolean): tf.Tensor | null {
  if (x.dtype !== 'float32' || x.rank < 2) return null;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
  if (axes.length === 0 || axes.length === x.rank || axes.some((a, i) => a !== i)) return null;
  const rows = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
  const rest = x.shape.slice(axes.length);
  const outShape = attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest;
  return tf.tidy(() => {
    const ones = tf.fill([1, rows], mean ? 1 / rows : 1);
    return tf.reshape(tf.matMul(ones, tf.reshape(x, [rows, x.size / rows])), outShape);
  });
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
      kernelFunc: ({ inputs, attrs }) => conv2dBackpropFilter(inputs.x as tf.Tensor4D, inputs.dy as tf.Tensor4D, attrs as unknown as FilterGradAttrs),
    });
  }
  override('Conv2DBackpropInput', ({ inputs, attrs }) =>
    conv2dBackpropInput(inputs.dy as tf.Tensor4D, inputs.filter as tf.Tensor4D, attrs as unknown as InputGradAttrs),
  );
  override('BatchMatMul', matMulWithoutTransposes);
  override('Sum', ({ inputs, attrs }) => reduceLeadingAxes(inputs.x as tf.Tensor, attrs as never, false));
  override('Mean', ({ inputs, attrs }) => reduceLeadingAxes(inputs.x as tf.Tensor, attrs as never, true));
  tf.registerGradient(batchNormGradConfig);
  registered = true;
}
