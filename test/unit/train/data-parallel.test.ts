import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { createTrainableModel } from '../../../src/model/compile';
import { MODEL_SPEC_VERSION, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { DataParallelTrainer, flatWeights, PeerTrainer, setFlatWeights } from '../../../src/train/data-parallel';
import { shardGradients } from '../../../src/train/step';
import { seedDropout } from '../../../src/train/loop';

// Batch norm and dropout: the two layers whose maths data-parallel training touches.
const SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'split',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const OPTIMIZER = { optimizer: 'adam' as const, learningRate: 0.01 };

let dataset: MnistDataset;
beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  dataset = await loadPreparedMnist();
});
afterAll(() => tf.setBackend('cpu'));

const batchAt = (from: number, count: number) => dataset.batch('train', Int32Array.from({ length: count }, (_, i) => from + i));

/** Trains `steps` batches of `batchSize` split with an in-process peer; returns the losses and both weight copies. */
async function splitRun(spec: ModelSpec, steps: number, batchSize: number, seed = 3) {
  const trainable = createTrainableModel(spec, { ...OPTIMIZER, seed });
  const peer = new PeerTrainer();
  const trainer = await DataParallelTrainer.open(trainable, peer, OPTIMIZER, seed);
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const batch = batchAt(step * batchSize, batchSize);
      seedDropout(trainable.model, seed, step);
      const [loss, accuracy] = await trainer.step(batch.xs, batch.ys, step);
      tf.dispose([batch.xs, batch.ys]);
      expect(accuracy).toBeGreaterThanOrEqual(0);
      expect(accuracy).toBeLessThanOrEqual(1);
      losses.push(loss);
    }
    const own = await flatWeights(trainable.model, true);
    const theirs = await peer.trainableWeights();
    return { losses, own, theirs };
  } finally {
    await trainer.close();
    trainable.dispose();
  }
}

describe('data-parallel training (this thread and a peer, each on half of every batch)', () => {
  it('averages the halves into the gradient of the whole batch (a network without batch norm or dropout)', async () => {
    const trainable = createTrainableModel(SMALL_SPEC, { ...OPTIMIZER, seed: 5 });
    const batch = batchAt(0, 24);
    try {
      const whole = shardGradients(trainable.model, batch.xs, batch.ys);
      // Unequal parts: the average is weighted by their sizes.
      const parts = [tf.slice(batch.xs, 0, 10), tf.slice(batch.ys, 0, 10), tf.slice(batch.xs, 10, 14), tf.slice(batch.ys, 10, 14)];
      const first = shardGradients(trainable.model, parts[0], parts[1]);
      const second = shardGradients(trainable.model, parts[2], parts[3]);
      const averaged = tf.tidy(() => tf.div(tf.add(tf.mul(first.grads, 10), tf.mul(second.grads, 14)), 24));
      const [w, a] = [await whole.grads.data(), await averaged.data()];
      const scale = Math.max(...w.map(Math.abs));
      expect(w.length).toBe(trainable.model.countParams());
      expect(Math.max(...w.map((x, i) => Math.abs(x - a[i])))).toBeLessThan(1e-4 * scale);
      const loss = ((await first.loss.data())[0] * 10 + (await second.loss.data())[0] * 14) / 24;
      expect(loss).toBeCloseTo((await whole.loss.data())[0], 4);
      expect((await first.hits.data())[0] + (await second.hits.data())[0]).toBe((await whole.hits.data())[0]);
      tf.dispose([whole.grads, whole.loss, whole.hits, first.grads, first.loss, first.hits, second.grads, second.loss, second.hits, averaged, ...parts]);
    } finally {
      tf.dispose([batch.xs, batch.ys]);
      trainable.dispose();
    }
  });

  it('keeps both copies of the weights identical, step after step, with batch norm and dropout', async () => {
    const { losses, own, theirs } = await splitRun(SPEC, 4, 32);
    expect(own.length).toBeGreaterThan(0);
    expect(Array.from(own)).toEqual(Array.from(theirs));
    expect(losses.every(Number.isFinite)).toBe(true);
  });

  it('learns: the loss falls over a few dozen split batches', async () => {
    const { losses } = await splitRun(SPEC, 30, 32);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-5))).toBeLessThan(0.6 * mean(losses.slice(0, 5)));
  });

  it('repeats exactly with the same seed, differs with another', async () => {
    const first = await splitRun(SPEC, 3, 32, 11);
    const second = await splitRun(SPEC, 3, 32, 11);
    const other = await splitRun(SPEC, 3, 32, 12);
    expect(second.losses).toEqual(first.losses);
    expect(Array.from(second.own)).toEqual(Array.from(first.own));
    expect(other.losses).not.toEqual(first.losses);
  });

  it('trains a batch too small to split on this thread alone, and the peer still applies the update', async () => {
    const { own, theirs } = await splitRun(SPEC, 2, 3);
    expect(Array.from(own)).toEqual(Array.from(theirs));
  });

  it('leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    await splitRun(SPEC, 2, 16);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses weights that do not fit the network, with a message', () => {
    const trainable = createTrainableModel(SPEC, { ...OPTIMIZER, seed: 1 });
    try {
      expect(() => setFlatWeights(trainable.model, new Float32Array(5))).toThrow(/5 numbers; this network has/);
    } finally {
      trainable.dispose();
    }
  });
});
