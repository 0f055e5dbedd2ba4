import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './heap';

/**
 * Gradients known to be zero, by the memory they live in (reshapes, clones and same-dtype casts share it on wasm).
 * The fused batch-norm gradient (batch-norm-grad.ts) hands zeros to the moments' mean and variance, since it has
 * already counted their path into dx; the ops of the moments then pass zeros on without computing, and adding a
 * zero gradient returns the other one.
 */
const zeroData = new WeakSet<tf.DataId>();
/** The last zero tensor made per shape, reused (shared, not copied) while it is alive. */
const recentZeros = new Map<string, tf.Tensor>();

export function isKnownZero(t: tf.TensorInfo | null | undefined): boolean {
  return !!t && zeroData.has(t.dataId);
}

/** A zero tensor of this shape that the kernels below recognise. */
export function knownZeros(shape: readonly number[]): tf.Tensor {
  const key = shape.join('x');
  const recent = recentZeros.get(key);
  if (recent && !recent.isDisposed) return tf.clone(recent);
  const zeros = tf.fill([...shape], 0, 'float32');
  zeroData.add(zeros.dataId);
  recentZeros.set(key, zeros);
  return zeros;
}

/**
 * Wraps the gradient tfjs has for `kernelName` so that a known-zero output gradient gives known-zero input
 * gradients without computing them. `inputs` names the kernel's inputs in the order it saves them (it must save
 * every input). Registered for wasm only (see registerGradientForWasm).
 */
export function zeroAwareGradient(kernelName: string, inputs: string[]): tf.GradConfig | null {
  const original = tf.getGradient(kernelName);
  if (!original || JSON.stringify(original.inputsToSave) !== JSON.stringify(inputs)) return null;
  return {
    ...original,
    gradFunc: (dy, saved, attrs) => {
      if (Array.isArray(dy) || !isKnownZero(dy)) return original.gradFunc(dy, saved, attrs);
      return Object.fromEntries(inputs.map((name, i) => [name, () => knownZeros(saved[i].shape)]));
    },
  };
}

/** Add where one side is a known zero that broadcasts onto the other: the other side, shared. */
export function addKnownZero(args: KernelArgs): tf.TensorInfo | null {
  const a = args.inputs.a as tf.TensorInfo;
  const b = args.inputs.b as tf.TensorInfo;
  if (a.dtype !== b.dtype || !(isKnownZero(a) || isKnownZero(b))) return null;
  const out = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const same = (t: tf.TensorInfo) => t.shape.length === out.length && t.shape.every((n, i) => n === out[i]);
  const keep = isKnownZero(b) && same(a) ? a : isKnownZero(a) && same(b) ? b : null;
  if (!keep) return null;
  (args.backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(keep.dataId);
  return { dataId: keep.dataId, shape: keep.shape, dtype: keep.dtype };
}
