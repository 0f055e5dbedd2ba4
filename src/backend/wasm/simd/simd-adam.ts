/**
 * Adam's update as one kernel on WASM (kernels.as.ts): tfjs's AdamOptimizer runs about ten tensor operations per
 * weight tensor, each a pass over memory (about 20 ms a step for the classic net's 872k weights on one core here);
 * fused, one pass. src/model/fused-adam.ts calls it; bit for bit what tfjs computes.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeapBackend, KernelArgs } from '../heap';
import { at, simdKernels } from './simd-module';

export const FUSED_ADAM = 'LabFusedAdam';

/** The step's constants, as tfjs computes them (each a float32 where tfjs has a float32 tensor). */
export interface FusedAdamAttrs {
  negLr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - β1^t and 1 - β2^t. */
  c1: number;
  c2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
}

/** Inputs value, gradient, m, v (float32, one shape); outputs the new value, m and v. */
export function fusedAdam(args: KernelArgs): tf.TensorInfo[] {
  const { value, gradient, m, v } = args.inputs as Record<string, tf.TensorInfo>;
  const attrs = args.attrs as unknown as FusedAdamAttrs;
  const simd = simdKernels(args.backend);
  if (!simd) throw new Error('The fused Adam kernel needs the SIMD kernels: check fusedAdamAvailable() first.');
  const backend = args.backend as unknown as HeapBackend;
  const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
  const size = tf.util.sizeFromShape(value.shape);
  simd.kernels.adam(at(backend, value), at(backend, gradient), at(backend, m), at(backend, v), at(backend, outs[0]), at(backend, outs[1]), at(backend, outs[2]), size,
    attrs.negLr, attrs.beta1, attrs.beta2, attrs.epsilon, attrs.c1, attrs.c2, attrs.oneMinusBeta1, attrs.oneMinusBeta2);
  return outs;
}

/** Whether the active backend can run the fused step now (WASM with the SIMD kernels, and the kernel registered). */
export function fusedAdamAvailable(): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(FUSED_ADAM, 'wasm') !== undefined && simdKernels(tf.backend()) !== null;
}
