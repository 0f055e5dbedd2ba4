import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

// Shared by the tests that check the lab's WASM kernels against tfjs's cpu backend.

/** Deterministic pseudo-random values in [-1, 1]. */
export function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Runs `f` on `backend` with tensors made from plain arrays; returns plain arrays, leaves no tensor behind. */
export async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = f();
  const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return data;
}

export function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThan(1e-3);
}

/** Runs `f` on cpu and on wasm and expects every output close. */
export async function expectSameOnWasm(f: () => tf.Tensor[]): Promise<void> {
  const expected = await on('cpu', f);
  const actual = await on('wasm', f);
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i]));
}
