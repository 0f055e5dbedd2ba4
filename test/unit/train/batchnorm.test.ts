import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { buildModel } from '../../../src/model/build';
import { MODEL_SPEC_VERSION, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { createTrainableModel } from '../../../src/model/compile';
import { recalibrateBatchNorm, RECALIBRATION_IMAGES } from '../../../src/train/batchnorm';
import { flatWeights, PeerTrainer, setFlatWeights } from '../../../src/train/data-parallel';

const WITH_BN: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'bn',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'batchNorm' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 8, activation: 'relu' },
    { type: 'batchNorm' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

let dataset: MnistDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
});

describe('batch-norm statistics re-estimated after a run', () => {
  it('sets each layer’s moving mean and variance to its inputs’ statistics over the training images', async () => {
    const model = buildModel(WITH_BN, { seed: 3 });
    const indices = Int32Array.from({ length: 700 }, (_, i) => i * 3);
    const baseline = tf.memory().numTensors;
    expect(await recalibrateBatchNorm(model, dataset, indices)).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);

    // The first batch norm sees the first convolution's outputs on the first 512 images.
    const sample = dataset.batch('train', indices.subarray(0, RECALIBRATION_IMAGES));
    const conv = model.layers[0];
    const [expectedMean, expectedVariance] = tf.tidy(() => {
      const moments = tf.moments(conv.apply(sample.xs) as tf.Tensor, [0, 1, 2]);
      return [moments.mean, moments.variance];
    });
    const bn = model.layers[1];
    const byName = (suffix: string) => bn.weights.find((w) => w.name.endsWith(suffix))!.read();
    const close = async (a: tf.Tensor, b: tf.Tensor) => {
      const [x, y] = await Promise.all([a.data(), b.data()]);
      for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i], 4);
    };
    await close(byName('moving_mean'), expectedMean);
    await close(byName('moving_variance'), expectedVariance);
    tf.dispose([expectedMean, expectedVariance, sample.xs, sample.ys]);
    model.dispose();
  });

  it('measures the same statistics when a data-parallel peer takes half the images, and leaves the peer with them too', async () => {
    const optimizer = { optimizer: 'adam' as const, learningRate: 0.01 };
    const alone = createTrainableModel(WITH_BN, { ...optimizer, seed: 5 });
    const shared = createTrainableModel(WITH_BN, { ...optimizer, seed: 6 });
    const peer = new PeerTrainer();
    try {
      const start = await flatWeights(alone.model);
      setFlatWeights(shared.model, start);
      await peer.init({ spec: WITH_BN, optimizer, seed: 5, weights: start });
      const indices = Int32Array.from({ length: 600 }, (_, i) => i * 7);
      expect(await recalibrateBatchNorm(alone.model, dataset, indices)).toBe(true);
      const baseline = tf.memory().numTensors;
      expect(await recalibrateBatchNorm(shared.model, dataset, indices, undefined, peer)).toBe(true);
      expect(tf.memory().numTensors).toBe(baseline);
      const [expected, own, theirs] = await Promise.all([flatWeights(alone.model), flatWeights(shared.model), peer.allWeights()]);
      expect(Array.from(own)).not.toEqual(Array.from(start));
      for (let i = 0; i < expected.length; i++) expect(own[i]).toBeCloseTo(expected[i], 4);
      expect(Array.from(theirs)).toEqual(Array.from(own));
    } finally {
      await peer.release();
      alone.dispose();
      shared.dispose();
    }
  });

  it('leaves a model without batch norm alone', async () => {
    const model = buildModel(SMALL_SPEC);
    expect(await recalibrateBatchNorm(model, dataset, Int32Array.from([1, 2, 3]))).toBe(false);
    model.dispose();
  });
});
