import * as tf from '@tensorflow/tfjs';
import { gpuIsSoftware, webgpuAdapter } from './gpu-info';
import { registerWasmTrainingKernels } from './wasm-kernels';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** Backends whose kernels run on a GPU, queued: reading a value back makes the caller wait for the queue. */
export const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];
export const isGpuBackend = (name: string): boolean => (GPU_BACKENDS as readonly string[]).includes(name);
export type BackendPreference = 'auto' | BackendName;

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'CPU (plain JavaScript)',
};

export function isBackendPreference(value: unknown): value is BackendPreference {
  return value === 'auto' || (BACKENDS as readonly unknown[]).includes(value);
}

export interface BackendOptions {
  /** URLs of the tfjs WASM binaries, keyed by file name (the bundler decides where they live). */
  wasmPaths?: Record<string, string>;
  /** Threads for WASM (cross-origin isolated pages only); every core up to 8 by default. */
  wasmThreads?: number;
}

function defaultWasmThreads(): number {
  const cores = (globalThis.navigator as Navigator | undefined)?.hardwareConcurrency ?? 1;
  return Math.min(cores, 8);
}

/** Registers the optional backends on demand: only what is tried is downloaded. */
async function register(name: BackendName, options: BackendOptions): Promise<boolean> {
  if (tf.findBackendFactory(name)) return true;
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as (Navigator & { gpu?: unknown }) | undefined)?.gpu;
    // No adapter: tfjs's own start-up would only log warnings and fail.
    if (!gpu || !(await webgpuAdapter())) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
    return true;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
    // tfjs uses half the cores by default (one thread on a 2-core machine); XNNPACK's convolutions scale to all.
    // The build lets tfjs count every core (vite.config.ts, tfjs-wasm-threads), or this would be capped at half.
    if (globalThis.crossOriginIsolated) wasm.setThreadsCount(options.wasmThreads ?? defaultWasmThreads());
    // tfjs's wasm backend cannot train on its own: add the gradient kernels it lacks.
    registerWasmTrainingKernels();
    return true;
  }
  return false;
}

async function trySet(name: BackendName, options: BackendOptions): Promise<boolean> {
  try {
    if (!(await register(name, options))) return false;
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    if (ok && name === 'wasm') await describeWasm();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Starts exactly this backend (no fallback): true when it is now the active one. The training worker uses it to
 * measure every backend in turn and to switch to the one it picked.
 */
export function useBackend(name: BackendName, options: BackendOptions = {}): Promise<boolean> {
  return trySet(name, options);
}

/**
 * Restarts the WASM backend with this many threads (tfjs reads the count only when the backend starts), leaving it
 * the active backend; nothing happens when it already runs with that many. Every tensor on it must be freed first.
 * Data-parallel training (src/train/data-parallel.ts) gives each of its workers a share of the cores this way.
 */
export async function restartWasm(threads: number): Promise<boolean> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const factory = tf.findBackendFactory('wasm');
  if (!factory || !globalThis.crossOriginIsolated) return false;
  let running = 0;
  try {
    running = wasm.getThreadsCount();
  } catch {
    // Not started yet.
  }
  if (running === threads) return tf.setBackend('wasm');
  tf.removeBackend('wasm');
  wasm.setThreadsCount(threads);
  tf.registerBackend('wasm', factory, 2);
  if (!(await tf.setBackend('wasm'))) return false;
  await describeWasm();
  return true;
}

/** Threads the active WASM backend runs (1 where it is not WASM or not started). */
export async function wasmThreadCount(): Promise<number> {
  if (tf.getBackend() !== 'wasm') return 1;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  try {
    return wasm.getThreadsCount();
  } catch {
    return 1;
  }
}

let wasmDetail = '';

async function describeWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  wasmDetail = [simd ? 'SIMD' : 'no SIMD', threads > 1 ? `${threads} threads` : '1 thread'].join(', ');
}

/** What the active backend runs with, for the header: e.g. "SIMD, 2 threads" for WASM; empty when nothing to add. */
export function activeBackendDetail(): string {
  return tf.getBackend() === 'wasm' ? wasmDetail : '';
}

export interface BackendChoice {
  active: BackendName;
  /** Set when the preferred backend could not start and another was used instead. */
  fallbackReason: string | null;
}

/**
 * Starts the preferred backend, or on 'auto' the fastest that can train here: a hardware GPU (WebGPU, then WebGL)
 * where there is one, else WASM (SIMD, and threads where the page is cross-origin isolated), else CPU.
 * A preferred backend that fails falls back to that order, and says so.
 */
export async function initBackend(preference: BackendPreference, options: BackendOptions = {}): Promise<BackendChoice> {
  if (preference !== 'auto') {
    if (await trySet(preference, options)) return { active: preference, fallbackReason: null };
  }
  let softwareGpu: BackendName | null = null;
  // Where WebGL renders in software there is no hardware GPU for WebGPU either: not asking for an adapter spares a
  // normal page load the browser's "No available adapters" warning.
  const noHardwareGpu = preference === 'auto' && (await gpuIsSoftware('webgl'));
  for (const name of BACKENDS) {
    if (name === preference || (noHardwareGpu && name === 'webgpu')) continue;
    if (await trySet(name, options)) {
      // A GPU rendered in software trains slower than WASM: keep looking, WASM comes next in the order.
      if (preference === 'auto' && (name === 'webgpu' || name === 'webgl') && (await gpuIsSoftware(name))) {
        softwareGpu ??= name;
        continue;
      }
      // …but faster than plain JavaScript.
      const active = name === 'cpu' && softwareGpu && (await trySet(softwareGpu, options)) ? softwareGpu : name;
      return {
        active,
        fallbackReason: preference === 'auto' ? null : `${BACKEND_LABELS[preference]} is not available here; using ${BACKEND_LABELS[active]}.`,
      };
    }
  }
  throw new Error('No tfjs backend could start on this device.');
}

/** Tensors alive on this thread's backend (the page's), for the memory checks in tests. */
export function pageTensorCount(): number {
  return tf.memory().numTensors;
}
