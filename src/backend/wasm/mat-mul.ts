import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from './heap';
import { matMulBySimd } from './simd/simd-conv';

/**
 * BatchMatMul and _FusedMatMul: plain products of the shapes the SIMD kernel covers go to it (simd/simd-conv.ts).
 * With a transposed operand: the WASM backend runs those through a slow generic loop but the plain
 * product through XNNPACK, so transposing explicitly first is 10-20× faster (the dense layers' gradients).
 */
export function matMulAsPlainProduct(args: KernelArgs, original: tf.KernelFunc): tf.TensorInfo | null {
  const { transposeA, transposeB, activation } = args.attrs as { transposeA: boolean; transposeB: boolean; activation?: string };
  const bias = args.inputs.bias as tf.TensorInfo | undefined;
  const backend = args.backend as unknown as HeapBackend;
  const plain = (a: tf.TensorInfo, b: tf.TensorInfo) =>
    matMulBySimd(a, b, bias, activation, backend) ??
    (original({ inputs: { ...args.inputs, a, b }, backend: args.backend, attrs: { ...(args.attrs as object), transposeA: false, transposeB: false } }) as tf.TensorInfo);
  if (!transposeA && !transposeB) return plain(args.inputs.a as tf.TensorInfo, args.inputs.b as tf.TensorInfo);
  const flip = (t: tf.Tensor) => tf.transpose(t, [...t.shape.keys()].map((i, _, all) => (i < all.length - 2 ? i : i === all.length - 2 ? all.length - 1 : all.length - 2)));
  const a = args.inputs.a as tf.Tensor;
  const b = args.inputs.b as tf.Tensor;
  const a2 = transposeA ? flip(a) : a;
  const b2 = transposeB ? flip(b) : b;
  try {
    return plain(a2, b2);
  } finally {
    if (a2 !== a) a2.dispose();
    if (b2 !== b) b2.dispose();
  }
}
