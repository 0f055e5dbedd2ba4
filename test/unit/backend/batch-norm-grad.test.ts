import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { batchNormGradOptions } from '../../../src/backend/wasm/batch-norm';
import { BATCH_NORM_TRAINING_GRAD } from '../../../src/backend/wasm/batch-norm-grad';
import { isKnownZero, knownZeros } from '../../../src/backend/wasm/zero-gradients';

/** Deterministic pseudo-random values in [-1, 1]. */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** Runs `f` on `backend`; returns plain arrays and the kernels it ran, and checks that no tensor is left behind. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<{ data: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  let outs: tf.Tensor[] = [];
  const profile = await tf.profile(() => {
    outs = f();
    return outs;
  });
  const data = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(outs);
  expect(tf.memory().numTensors).toBe(before);
  return { data, kernels: profile.kernels.map((k) => k.name) };
}

/** Largest error relative to max(1, |expected|): 1e-4 allows float32 sums over a few thousand values. */
function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  expect(worst).toBeLessThan(tolerance);
}

/**
 * Gradients (x, γ, β) of Σ w·BN(x) with Keras's training-mode batch norm (tf.moments, then tf.batchNorm), plus
 * optional extra uses of the moments in the loss (then their gradients must flow through them as well).
 */
function trainingBatchNormGrads(shape: number[], seed: number, options: { movingStatistics?: boolean; momentsInLoss?: boolean } = {}) {
  return (): tf.Tensor[] => {
    const size = shape.reduce((a, b) => a * b, 1);
    const channels = shape[shape.length - 1];
    const x = tf.tensor(values(size, seed), shape);
    const weights = tf.tensor(values(size, seed + 1), shape);
    const gamma = tf.tensor1d(values(channels, seed + 2).map((v) => v + 1.5));
    const beta = tf.tensor1d(values(channels, seed + 3));
    const movingMean = tf.tensor1d(values(channels, seed + 4));
    const movingVariance = tf.tensor1d(values(channels, seed + 5).map((v) => v + 1.5));
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const axes = shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = options.movingStatistics ? { mean: movingMean, variance: movingVariance } : tf.moments(a, axes);
      const y = tf.batchNorm(a, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3);
      const loss = tf.sum(tf.mul(y, weights));
      return options.momentsInLoss ? tf.add(loss, tf.add(tf.sum(tf.mul(mean, 3)), tf.sum(tf.mul(variance, -2)))) : loss;
    };
    const grads = tf.grads(f)([x, gamma, beta]);
    tf.dispose([x, weights, gamma, beta, movingMean, movingVariance]);
    return grads;
  };
}

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  batchNormGradOptions.fuseTraining = true;
  await tf.setBackend('cpu');
});

describe('the fused training batch-norm gradient on wasm', () => {
  it.each([
    [[1, 3, 3, 5]], // batch 1, 5 channels (not a multiple of the 4 summed together)
    [[3, 5, 7, 3]], // odd sizes
    [[2, 4, 4, 8]],
    [[7, 6]], // a dense layer's batch norm
    [[16, 14, 14, 32]],
  ])('input %j: dx, dγ and dβ match the cpu backend, through one kernel of our own', async (shape) => {
    const run = trainingBatchNormGrads(shape, 31);
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    expect(wasm.kernels).toContain(BATCH_NORM_TRAINING_GRAD);
    wasm.data.forEach((actual, i) => expectClose(actual, cpu.data[i]));
  });

  it('matches the general path it replaces (same backend, fused on and off)', async () => {
    const run = trainingBatchNormGrads([4, 6, 6, 12], 41);
    batchNormGradOptions.fuseTraining = false;
    const general = await on('wasm', run);
    batchNormGradOptions.fuseTraining = true;
    const fused = await on('wasm', run);
    expect(general.kernels).not.toContain(BATCH_NORM_TRAINING_GRAD);
    fused.data.forEach((actual, i) => expectClose(actual, general.data[i]));
  });

  it('is not used with moving statistics (inference mode): gradients still match cpu', async () => {
    const run = trainingBatchNormGrads([3, 4, 4, 6], 51, { movingStatistics: true });
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    expect(wasm.kernels).not.toContain(BATCH_NORM_TRAINING_GRAD);
    wasm.data.forEach((actual, i) => expectClose(actual, cpu.data[i]));
  });

  it('keeps the gradients of other uses of the batch mean and variance', async () => {
    const run = trainingBatchNormGrads([2, 5, 5, 7], 61, { momentsInLoss: true });
    const cpu = await on('cpu', run);
    const wasm = await on('wasm', run);
    expect(wasm.kernels).toContain(BATCH_NORM_TRAINING_GRAD);
    wasm.data.forEach((actual, i) => expectClose(actual, cpu.data[i]));
  });

  it('a batch-normalised model trains to the same weights on wasm as on cpu, leaving no tensor behind', async () => {
    const train = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 5, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 3 }) }),
          tf.layers.batchNormalization(),
          tf.layers.activation({ activation: 'relu' }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
          tf.layers.batchNormalization(),
          tf.layers.activation({ activation: 'softmax' }),
        ],
      });
      const optimizer = tf.train.sgd(0.1);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor(values(9 * 36, 71), [9, 6, 6, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3));
      await model.trainOnBatch(x, y);
      const profile = await tf.profile(async () => {
        await model.trainOnBatch(x, y);
      });
      await model.trainOnBatch(x, y);
      const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { weights, kernels: profile.kernels.map((k) => k.name) };
    };
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    expect(wasm.kernels).toContain(BATCH_NORM_TRAINING_GRAD);
    wasm.weights.forEach((actual, i) => expectClose(actual, cpu.weights[i], 1e-3));
  });
});

describe('known-zero gradients', () => {
  it('adding a known zero shares the other side; zeros of one shape are reused while alive', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const zero = knownZeros([2, 3]);
    const again = knownZeros([2, 3]);
    expect(isKnownZero(zero) && isKnownZero(again)).toBe(true);
    expect(again.dataId).toBe(zero.dataId);
    const sum = tf.add(a, zero);
    expect(sum.dataId).toBe(a.dataId);
    expect(Array.from(await sum.data())).toEqual([1, 2, 3, 4, 5, 6]);
    // A zero that broadcasts onto the other side shares it too; the other way round is computed.
    const small = knownZeros([3]);
    const shared = tf.add(small, a);
    expect(shared.dataId).toBe(a.dataId);
    const wide = tf.tidy(() => tf.add(tf.tensor1d([1, 2, 3]), knownZeros([2, 3])));
    expect(Array.from(await wide.data())).toEqual([1, 2, 3, 1, 2, 3]);
    expect(Array.from(await zero.data())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose([a, zero, again, sum, small, shared, wide]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
