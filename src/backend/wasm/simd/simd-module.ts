/**
 * The lab's WebAssembly SIMD kernels (kernels.as.ts, compiled by scripts/build-kernels.mjs) bound to tfjs's WASM
 * backend: one instance per heap, importing the backend's own memory, so tensors are passed as byte offsets.
 */
import type * as tf from '@tensorflow/tfjs';
import type { HeapBackend } from '../heap';
import { SIMD_KERNELS } from './kernels.generated';

interface KernelExports {
  conv(x: number, w: number, bias: number, y: number, zero: number, n: number, h: number, width: number, ci: number, oh: number, ow: number, co: number, kh: number, kw: number, top: number, left: number, relu: number): void;
  filterGrad(x: number, dy: number, dw: number, n: number, h: number, width: number, ci: number, oh: number, ow: number, co: number, kh: number, kw: number, top: number, left: number, rows: number): void;
  batchNormGradSums(x: number, dy: number, sums: number, rows: number, channels: number): void;
  batchNormGradApply(x: number, dy: number, dx: number, coefficients: number, rows: number, channels: number): void;
  maxPool2x2Grad(x: number, dy: number, dx: number, n: number, h: number, w: number, channels: number): void;
  scaleShift(x: number, coefficients: number, y: number, rows: number, channels: number): void;
  adam(w: number, g: number, m: number, v: number, wOut: number, mOut: number, vOut: number, size: number, negLr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number, oneMinusBeta1: number, oneMinusBeta2: number): void;
}

/** The parts of tfjs's emscripten module we reach: its heap's Memory (where the build keeps it) and its threads. */
interface EmscriptenParts {
  wasm?: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory }; tfjs?: { getThreadsCount(): number } };
}

export interface SimdKernels {
  kernels: KernelExports;
  /** Threads the backend's XNNPACK runs on; our kernels run on one. */
  threads: number;
}

let enabled = true;

/** Switches the SIMD kernels off (tfjs's own kernels and Adam then run everywhere), for comparisons in tests and benchmarks. */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

let relaxedSupported: boolean | undefined;
const modules = new Map<keyof typeof SIMD_KERNELS, WebAssembly.Module>();
// One instance per heap: restarting the backend (another thread count) makes a new Memory.
const instances = new WeakMap<WebAssembly.Memory, SimdKernels | null>();

/** The kernels bound to this backend's heap, or null when they are off or cannot load here (then tfjs's run). */
export function simdKernels(backend: unknown): SimdKernels | null {
  if (!enabled) return null;
  const wasm = (backend as EmscriptenParts).wasm;
  const memory = wasm?.wasmMemory ?? wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const known = instances.get(memory);
  if (known !== undefined) return known;
  let loaded: SimdKernels | null = null;
  try {
    relaxedSupported ??= WebAssembly.validate(decode(SIMD_KERNELS.relaxed));
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const name = relaxedSupported ? (shared ? 'relaxedShared' : 'relaxed') : shared ? 'plainShared' : 'plain';
    let module = modules.get(name);
    if (!module) {
      module = new WebAssembly.Module(decode(SIMD_KERNELS[name]));
      modules.set(name, module);
    }
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    loaded = { kernels: instance.exports as unknown as KernelExports, threads: wasm?.tfjs?.getThreadsCount() ?? 1 };
  } catch {
    // No SIMD in this engine, or a heap the kernels cannot import: tfjs's kernels it is.
    loaded = null;
  }
  instances.set(memory, loaded);
  return loaded;
}

/** A tensor's byte offset in the heap. */
export function at(backend: HeapBackend, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

/** Float32 scratch tensors of these lengths in the heap while `use` runs, freed after it (also on a throw). */
export function withScratch<T>(backend: HeapBackend, lengths: number[], use: (scratch: tf.TensorInfo[]) => T): T {
  const scratch = lengths.map((length) => backend.makeOutput([length], 'float32'));
  try {
    return use(scratch);
  } finally {
    for (const info of scratch) backend.disposeData(info.dataId);
  }
}
