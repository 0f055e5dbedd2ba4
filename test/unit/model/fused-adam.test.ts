import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { FUSED_ADAM, fusedAdamAvailable } from '../../../src/backend/wasm/simd/simd-adam';
import { LabAdam } from '../../../src/model/fused-adam';

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});
afterAll(() => tf.setBackend('cpu'));

/** A few Adam steps on two weight tensors (one of a size not a multiple of 4) from fixed gradients. */
async function steps(optimizer: tf.Optimizer, count: number): Promise<{ weights: number[][]; state: number[][]; kernels: string[] }> {
  const a = tf.variable(tf.linspace(-1, 1, 4 * 37).reshape([4, 37]), true, 'fused-adam-a');
  const b = tf.variable(tf.linspace(2, -3, 7), true, 'fused-adam-b');
  const kernels: string[] = [];
  try {
    for (let step = 0; step < count; step++) {
      const profile = await tf.profile(() => {
        const grads = tf.tidy(() => [
          { name: a.name, tensor: tf.sin(tf.mul(a, step + 1)) },
          { name: b.name, tensor: tf.cos(tf.mul(b, step + 2)) },
        ]);
        optimizer.applyGradients(grads);
        tf.dispose(grads.map((g) => g.tensor));
      });
      kernels.push(...profile.kernelNames);
    }
    const state = await Promise.all((await optimizer.getWeights()).map(async (w) => Array.from(await w.tensor.data())));
    return { weights: [Array.from(await a.data()), Array.from(await b.data())], state, kernels };
  } finally {
    a.dispose();
    b.dispose();
  }
}

describe('Adam fused into one kernel on wasm', () => {
  it('gives tfjs’s Adam to the bit (weights and optimizer state), through the fused kernel', async () => {
    expect(fusedAdamAvailable()).toBe(true);
    const fusedOptimizer = new LabAdam(0.01, 0.9, 0.999);
    const tfjsOptimizer = tf.train.adam(0.01);
    try {
      const fused = await steps(fusedOptimizer, 5);
      const reference = await steps(tfjsOptimizer, 5);
      expect(fused.kernels).toContain(FUSED_ADAM);
      expect(reference.kernels).not.toContain(FUSED_ADAM);
      expect(fused.weights).toEqual(reference.weights);
      expect(fused.state).toEqual(reference.state);
      expect(fused.weights[0][0]).not.toBe(-1);
    } finally {
      fusedOptimizer.dispose();
      tfjsOptimizer.dispose();
    }
  });

  it('keeps no more tensors than tfjs’s Adam (its moments), and is still an AdamOptimizer (saved and described as Adam)', async () => {
    const kept = async (optimizer: tf.Optimizer) => {
      const before = tf.memory().numTensors;
      await steps(optimizer, 3);
      const after = tf.memory().numTensors;
      optimizer.dispose();
      return after - before;
    };
    const tfjsKept = await kept(tf.train.adam(0.001));
    const optimizer = new LabAdam(0.001, 0.9, 0.999);
    expect(optimizer).toBeInstanceOf(tf.AdamOptimizer);
    expect(optimizer.getClassName()).toBe('Adam');
    expect(await kept(optimizer)).toBe(tfjsKept);
  });
});
