/**
 * Gradient kernels for tfjs's WASM backend, so that `fit` works there, and works fast.
 *
 * tfjs 4.22's WASM backend has every kernel the lab's layers need for training except `Conv2DBackpropFilter`
 * (the gradient of a convolution with respect to its filter), and its `Conv2DBackpropInput` is a plain C loop,
 * 8-20× slower than its XNNPACK forward convolution. Both gradients are convolutions themselves, so we compose them
 * from the fast forward `Conv2D` kernel plus cheap pads, transposes and reverses (the first layer's thin ones as
 * one matrix product). Other kernels a training step leans on are replaced where the backend's own is a slow loop
 * or a needless copy: reductions over the batch, the max-pool gradient, batch norm, Identity, Cast and Slice; the
 * gradients of batch norm, Sum and Mean are registered without their full-size temporaries, and batch norm in
 * training gets one fused gradient kernel (wasm/batch-norm-grad.ts). The first conv layer's gradient with respect to
 * the input image, which tfjs computes and discards, is skipped (wasm/unneeded-grads.ts). The measured effect on
 * a classic-net step (2-core machine, one WASM thread): 96 → about 150 images/s before the last two.
 * Convolutions, filter gradients and dense products whose shapes fit then run on the lab's own SIMD kernels
 * (wasm/simd/): a classic-net step on one thread in Node, 648 → 405 ms at batch 64.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormAsScaleShift, batchNormGradConfig } from './wasm/batch-norm';
import { BATCH_NORM_TRAINING_GRAD, batchNormTrainingGrad } from './wasm/batch-norm-grad';
import { conv2dBackpropFilter, conv2dBackpropInput, type FilterGradAttrs, type InputGradAttrs } from './wasm/conv-grads';
import { shareIdentity, type HeapBackend, type KernelArgs } from './wasm/heap';
import { matMulAsPlainProduct } from './wasm/mat-mul';
import { maxPoolGrad } from './wasm/max-pool-grad';
import { sliceFromHeap, splitFromHeap } from './wasm/slice';
import { convBySimd } from './wasm/simd/simd-conv';
import { FUSED_ADAM, fusedAdam } from './wasm/simd/simd-adam';
import { meanGradConfig, reduceLeadingAxes, sumGradConfig } from './wasm/reductions';
import { inputGradUnneeded, trackGradientTargets } from './wasm/unneeded-grads';
import { addKnownZero, zeroAwareGradient } from './wasm/zero-gradients';

function zerosOutput(shape: number[], backend: HeapBackend): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}

/** Replaces a wasm kernel by a faster path where `fast` gives one, keeping the original for the other cases. */
function override(kernelName: string, fast: (args: KernelArgs, original: tf.KernelFunc) => tf.TensorInfo | tf.TensorInfo[] | null): void {
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
  trackGradientTargets();
  override('Conv2DBackpropInput', ({ inputs, attrs, backend }) => {
    const gradAttrs = attrs as unknown as InputGradAttrs;
    const heap = backend as unknown as HeapBackend;
    const filter = inputs.filter as tf.Tensor4D;
    // The first layer's gradient with respect to the image, which nobody reads: zeros, not computed.
    if (inputGradUnneeded(filter, gradAttrs.inputShape)) return zerosOutput(gradAttrs.inputShape, heap);
    return conv2dBackpropInput(inputs.dy as tf.Tensor4D, filter, gradAttrs, heap);
  });
  override('Conv2D', convBySimd);
  override('FusedConv2D', convBySimd);
  override('BatchMatMul', matMulAsPlainProduct);
  override('_FusedMatMul', matMulAsPlainProduct);
  override('Sum', (args) => reduceLeadingAxes(args, false));
  override('Mean', (args) => reduceLeadingAxes(args, true));
  override('MaxPoolGrad', maxPoolGrad);
  override('Identity', shareIdentity);
  override('Slice', sliceFromHeap);
  override('SplitV', splitFromHeap);
  override('FusedBatchNorm', batchNormAsScaleShift);
  // A cast to the dtype a tensor already has (the layers cast every input) is an identity too.
  override('Cast', (args) => ((args.attrs as unknown as { dtype: tf.DataType }).dtype === (args.inputs.x as tf.TensorInfo).dtype ? shareIdentity(args) : null));
  tf.registerKernel({ kernelName: BATCH_NORM_TRAINING_GRAD, backendName: 'wasm', kernelFunc: batchNormTrainingGrad });
  tf.registerKernel({ kernelName: FUSED_ADAM, backendName: 'wasm', kernelFunc: fusedAdam });
  override('Add', addKnownZero);
  const zeroAware = [zeroAwareGradient('Square', ['x']), zeroAwareGradient('Sub', ['a', 'b'])];
  for (const config of [batchNormGradConfig, sumGradConfig, meanGradConfig, ...zeroAware]) if (config) registerGradientForWasm(config);
  registered = true;
}
