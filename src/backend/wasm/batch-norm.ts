import * as tf from '@tensorflow/tfjs';
import { areBatchMoments, BATCH_NORM_TRAINING_GRAD } from './batch-norm-grad';
import type { HeapBackend, KernelArgs } from './heap';
import { at, simdKernels, withScratch } from './simd/simd-module';
import { knownZeros } from './zero-gradients';

/** Whether training's batch norm takes the fused gradient; off only to measure or test the general path. */
export const batchNormGradOptions = { fuseTraining: true };

/**
 * The gradient of FusedBatchNorm without `tile`. tfjs's own gradient tiles 1/σ to the full input size before one
 * multiply; the WASM backend's Tile is a slow element-by-element loop (the largest cost of a classic-net step
 * after the convolutions). Here every per-channel factor is broadcast instead, and the sums over the batch are taken
 * before multiplying by per-channel factors. In training (mean and variance are x's batch moments) one kernel of
 * our own gives the whole dx, paths through the moments included, with dγ and dβ; the moments get known zeros, which
 * their ops pass on without computing (zero-gradients.ts). Used on 'wasm' only (see registerGradientForWasm).
 */
export const batchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const grad = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const epsilon = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    if (batchNormGradOptions.fuseTraining && grad.dtype === 'float32' && x.dtype === 'float32' && areBatchMoments(x, mean, variance)) {
      const inputs: tf.NamedTensorMap = scale ? { x, dy: grad, mean, variance, scale } : { x, dy: grad, mean, variance };
      const [dx, dScale, dOffset] = tf.engine().runKernel(BATCH_NORM_TRAINING_GRAD, inputs, { varianceEpsilon: epsilon }) as tf.Tensor[];
      return {
        x: () => dx,
        mean: () => knownZeros(mean.shape),
        variance: () => knownZeros(variance.shape),
        scale: () => tf.reshape(dScale, mean.shape),
        offset: () => tf.reshape(dOffset, mean.shape),
      };
    }
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
 * Batch normalisation as x·s + t, with s = γ/√(variance + ε) and t = β − mean·s worked out on the small per-channel
 * tensors first: one SIMD pass over the data where the channels are a multiple of 4 (kernels.as.ts), else two
 * XNNPACK broadcast passes; either is faster than the backend's own kernel (1.8× for the broadcasts).
 */
export function batchNormAsScaleShift(args: KernelArgs): tf.TensorInfo | null {
  const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.Tensor | undefined>;
  if (!x || !mean || !variance || x.dtype !== 'float32') return null;
  const epsilon = (args.attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
  const channels = x.shape[x.rank - 1];
  const perChannel = [mean, variance, offset, scale].every((t) => !t || (t.dtype === 'float32' && t.size === channels));
  const simd = perChannel && channels % 4 === 0 && x.size > 0 ? simdKernels(args.backend) : null;
  if (simd) return scaleShiftBySimd(simd.kernels.scaleShift, args.backend as unknown as HeapBackend, { x, mean, variance, offset, scale }, epsilon);
  return tf.tidy(() => {
    const invStd = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)));
    const factor = scale ? tf.mul(scale, invStd) : invStd;
    const shift = offset ? tf.sub(offset, tf.mul(mean, factor)) : tf.neg(tf.mul(mean, factor));
    return tf.add(tf.mul(x, factor), shift);
  });
}

type ScaleShiftKernel = (x: number, coefficients: number, y: number, rows: number, channels: number) => void;

/** s and t per channel in float32, as the broadcasts compute them, then the one pass. */
function scaleShiftBySimd(kernel: ScaleShiftKernel, backend: HeapBackend, inputs: { x: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor; offset?: tf.Tensor; scale?: tf.Tensor }, epsilon: number): tf.TensorInfo {
  const { x } = inputs;
  const channels = x.shape[x.rank - 1];
  const out = backend.makeOutput(x.shape, 'float32');
  withScratch(backend, [2 * channels], ([coefficients]) => {
    // Views are taken after makeOutput: growing the heap detaches older ones.
    const view = (t?: tf.Tensor) => (t ? (backend.typedArrayFromHeap(t) as Float32Array) : null);
    const [mu, sigma2, beta, gamma] = [inputs.mean, inputs.variance, inputs.offset, inputs.scale].map(view);
    const st = backend.typedArrayFromHeap(coefficients) as Float32Array;
    const f = Math.fround;
    for (let c = 0; c < channels; c++) {
      const invStd = f(1 / f(Math.sqrt(f(sigma2![c] + epsilon))));
      const s = gamma ? f(gamma[c] * invStd) : invStd;
      st[c] = s;
      st[channels + c] = beta ? f(beta[c] - f(mu![c] * s)) : -f(mu![c] * s);
    }
    kernel(at(backend, x), at(backend, coefficients), at(backend, out), x.size / channels, channels);
  });
  return out;
}
