import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './wasm-kernels';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
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
}

/** Registers the optional backends on demand: only what is tried is downloaded. */
async function register(name: BackendName, options: BackendOptions): Promise<boolean> {
  if (tf.findBackendFactory(name)) return true;
  if (name === 'webgpu') {
    const gpu = (globalThis.navigator as (Navigator & { gpu?: unknown }) | undefined)?.gpu;
    if (!gpu) return false;
    await import('@tensorflow/tfjs-backend-webgpu');
    return true;
  }
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (options.wasmPaths) wasm.setWasmPaths(options.wasmPaths);
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
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

export interface BackendChoice {
  active: BackendName;
  /** Set when the preferred backend could not start and another was used instead. */
  fallbackReason: string | null;
}

/**
 * Starts the preferred backend, or on 'auto' the first that works in the order WebGPU, WebGL, WASM, CPU.
 * A preferred backend that fails falls back to that order, and says so.
 */
export async function initBackend(preference: BackendPreference, options: BackendOptions = {}): Promise<BackendChoice> {
  if (preference !== 'auto') {
    if (await trySet(preference, options)) return { active: preference, fallbackReason: null };
  }
  for (const name of BACKENDS) {
    if (name === preference) continue;
    if (await trySet(name, options)) {
      return {
        active: name,
        fallbackReason: preference === 'auto' ? null : `${BACKEND_LABELS[preference]} is not available here; using ${BACKEND_LABELS[name]}.`,
      };
    }
  }
  throw new Error('No tfjs backend could start on this device.');
}
