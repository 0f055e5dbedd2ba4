import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { SMALL_SPEC } from '../../../src/model/spec';
import { trainAndEvaluate } from '../../../src/train/session';
import { DEFAULT_TRAIN } from '../../../src/train/settings';

let dataset: MnistDataset;
beforeAll(async () => {
  // WebAssembly with the lab's training kernels, as in the browser (the pure-JS cpu backend took ~3 minutes here).
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  dataset = await loadPreparedMnist();
});

describe('the small net on real MNIST in Node', () => {
  // One epoch of 2,000 images: batch 32 and Adam at 0.003 (63 steps) to learn enough in that one pass.
  it('trained on 2,000 images reaches a falling loss and over 80% accuracy on 1,000 test images', async () => {
    const baseline = tf.memory().numTensors;
    const result = await trainAndEvaluate({
      spec: SMALL_SPEC,
      dataset,
      settings: { ...DEFAULT_TRAIN, epochs: 1, trainSize: 2000, validationSplit: 0, batchSize: 32, learningRate: 0.003, optimizer: 'adam', augment: false },
      testLimit: 1000,
      yieldToPage: () => Promise.resolve(),
    });
    expect(result.train.outcome).toBe('completed');
    expect(result.train.imagesSeen).toBe(2000);
    const losses = result.train.batchLoss;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(0.5 * mean(losses.slice(0, 10)));
    expect(result.test!.count).toBe(1000);
    expect(result.test!.accuracy).toBeGreaterThan(0.8);
    result.trainable!.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  }, 120_000);
});
