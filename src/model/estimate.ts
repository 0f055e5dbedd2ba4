/**
 * A rough time per training epoch from the model's multiply-adds and an assumed throughput per backend.
 *
 * Training one image costs about three forward passes (the forward pass, then the gradients with respect to the
 * inputs and to the weights), and a multiply-add is two floating-point operations: 6 FLOP per multiply-add.
 * The throughputs are *effective* training rates in tfjs, not the hardware's peak. The software ones were measured
 * on the lab's reference machine (2 cores, no GPU; see DESIGN.md): small net on software WebGL 227 images/s
 * (1.9 MFLOP each, 0.44 GFLOP/s), classic net 2.9 images/s (115 MFLOP, 0.33 GFLOP/s), Chromium CPU 62–81 images/s
 * (about 0.14 GFLOP/s). The GPU ones are conservative guesses for an ordinary laptop GPU. Each batch also pays a
 * fixed cost (kernel launches, data upload), which dominates for tiny models.
 */
import type { BackendName } from '../backend/backend';

export type ThroughputKey = BackendName | 'webgl-software' | 'webgpu-software';

export interface ThroughputAssumption {
  /** Effective training throughput, in GFLOP/s. */
  gflops: number;
  /** Fixed cost per batch, in milliseconds. */
  batchOverheadMs: number;
  /** Where the number comes from, shown beside the estimate. */
  source: string;
}

export const FLOP_PER_MULTIPLY_ADD = 2;
/** Forward + backward (two gradients) ≈ 3 forward passes. */
export const TRAINING_PASSES = 3;

export const THROUGHPUT: Record<ThroughputKey, ThroughputAssumption> = {
  webgpu: { gflops: 40, batchOverheadMs: 8, source: 'assumed for a laptop GPU through WebGPU' },
  webgl: { gflops: 20, batchOverheadMs: 10, source: 'assumed for a laptop GPU through WebGL' },
  'webgpu-software': { gflops: 0.07, batchOverheadMs: 20, source: 'measured: software WebGPU, 2 CPU cores' },
  'webgl-software': { gflops: 0.4, batchOverheadMs: 20, source: 'measured: software WebGL (SwiftShader), 2 CPU cores' },
  wasm: { gflops: 5, batchOverheadMs: 2, source: "measured: WebAssembly SIMD with the lab's training kernels, 2 CPU cores" },
  cpu: { gflops: 0.14, batchOverheadMs: 2, source: 'measured: plain-JavaScript CPU backend in Chromium, 2 cores' },
};

export interface EpochEstimate {
  seconds: number;
  images: number;
  trainingFlopPerImage: number;
  assumption: ThroughputAssumption;
}

/** How long one epoch of `images` images in batches of `batchSize` should take on `backend`. */
export function estimateEpoch(
  multiplyAdds: number,
  backend: ThroughputKey,
  images: number,
  batchSize: number,
): EpochEstimate {
  const assumption = THROUGHPUT[backend];
  const trainingFlopPerImage = multiplyAdds * FLOP_PER_MULTIPLY_ADD * TRAINING_PASSES;
  const batches = Math.ceil(images / Math.max(1, batchSize));
  const seconds = (images * trainingFlopPerImage) / (assumption.gflops * 1e9) + (batches * assumption.batchOverheadMs) / 1000;
  return { seconds, images, trainingFlopPerImage, assumption };
}

// Kept here for older imports; the lab's formatters live in src/format.ts.
export { formatDuration } from '../format';
