import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';

/** Deterministic pseudo-random values in [-1, 1]. */
function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}

/** A conv layer without activation (Keras fuses it, computing both gradients together), then dense. */
function convNet(channels: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [7, 7, channels], filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.heNormal({ seed: 5 }) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) }),
    ],
  });
}

/**
 * Whether the profile shows the first layer's input gradient computed: on cpu tfjs's own kernel runs; on wasm the
 * lab's kernel runs it as a convolution of the output gradient with the rotated filter, [3, 3, 4 filters, channels].
 */
function inputGradComputed(profile: Awaited<ReturnType<typeof tf.profile>>, backend: 'cpu' | 'wasm', channels: number): boolean {
  if (backend === 'cpu') return profile.kernels.some((k) => k.name === 'Conv2DBackpropInput');
  const rotated = JSON.stringify([3, 3, 4, channels]);
  return profile.kernels.some((k) => k.name === 'Conv2D' && JSON.stringify(k.inputShapes[1]) === rotated);
}

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('gradients nobody needs are not computed on wasm', () => {
  it.each([[1], [3]])('training: the first conv layer (%i input channels) skips the gradient of its input; weights match cpu', async (channels) => {
    const train = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const model = convNet(channels);
      const optimizer = tf.train.sgd(0.05);
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor(values(5 * 49 * channels, 7), [5, 7, 7, channels]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1], 'int32'), 3));
      const profile = await tf.profile(async () => {
        await model.trainOnBatch(x, y);
      });
      await model.trainOnBatch(x, y);
      const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
      tf.dispose([x, y]);
      model.dispose();
      optimizer.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return { weights, inputGradComputed: inputGradComputed(profile, backend, channels) };
    };
    const cpu = await train('cpu');
    const wasm = await train('wasm');
    // The cpu backend has no such shortcut: there the gradient is computed and thrown away.
    expect(cpu.inputGradComputed).toBe(true);
    if (channels > 1) expect(wasm.inputGradComputed).toBe(false); // 3×3×1 patches take a path without Reverse
    wasm.weights.forEach((actual, i) => {
      const worst = actual.reduce((w, v, j) => Math.max(w, Math.abs(v - cpu.weights[i][j])), 0);
      expect(worst).toBeLessThan(1e-5);
    });
  });

  it.each([[1], [3]])('a gradient with respect to the image (saliency, %i channels) is still computed, and matches cpu', async (channels) => {
    const saliency = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const model = convNet(channels);
      const image = tf.tensor(values(49 * channels, 9), [1, 7, 7, channels]);
      let grad: tf.Tensor | null = null;
      const profile = await tf.profile(() => {
        grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(model.apply(x) as tf.Tensor, tf.tensor1d([1, -2, 0.5]))))(image);
        return grad;
      });
      if (channels > 1) expect(inputGradComputed(profile, backend, channels)).toBe(true);
      const data = (await grad!.data()) as Float32Array;
      tf.dispose([image, grad!]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      return data;
    };
    const cpu = await saliency('cpu');
    const wasm = await saliency('wasm');
    expect(cpu.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    const worst = wasm.reduce((w, v, i) => Math.max(w, Math.abs(v - cpu[i])), 0);
    expect(worst).toBeLessThan(1e-5);
  });
});
