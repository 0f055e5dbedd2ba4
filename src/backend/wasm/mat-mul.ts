import * as tf from '@tensorflow/tfjs';
import type { KernelArgs } from './heap';

/**
 * BatchMatMul with a transposed operand: the WASM backend runs those through a slow generic loop but the plain
 * product through XNNPACK, so transposing explicitly first is 10-20× faster (the dense layers' gradients).
 */
export function matMulWithoutTransposes(args: KernelArgs, original: tf.KernelFunc): tf.TensorInfo | null {
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
