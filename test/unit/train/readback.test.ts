import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { createTrainableModel } from '../../../src/model/compile';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { trainModel, type TrainOptions } from '../../../src/train/loop';
import { MAX_UNREAD_BATCHES, ReadbackPacer } from '../../../src/train/readback';
import { ResidentImages } from '../../../src/train/resident-data';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';

// The GPU path of the training loop (losses read every few batches, images kept on the device), run on the cpu
// backend: it must give exactly what the read-every-batch path gives.
const TINY: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'tiny',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu' },
    { type: 'batchNorm' },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const QUICK: TrainSettings = { ...DEFAULT_TRAIN, trainSize: 600, batchSize: 50, learningRate: 0.01, validationSplit: 0.1 };
const noWait = () => Promise.resolve();

let dataset: MnistDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
});

async function run(options: Partial<TrainOptions>): Promise<{ losses: number[]; batches: number[]; weights: Float32Array[]; outcome: string; imagesSeen: number }> {
  const trainable = createTrainableModel(TINY, { optimizer: 'adam', learningRate: QUICK.learningRate, seed: 7 });
  try {
    const batches: number[] = [];
    const result = await trainModel({ model: trainable.model, dataset, settings: QUICK, yieldToPage: noWait, ...options, onBatch: (p) => (batches.push(p.batch), options.onBatch?.(p)) });
    return { losses: result.batchLoss, batches, weights: trainable.model.getWeights().map((w) => w.dataSync() as Float32Array), outcome: result.outcome, imagesSeen: result.imagesSeen };
  } finally {
    trainable.dispose();
  }
}

describe('ReadbackPacer', () => {
  it('reads every batch on a CPU backend, and on a GPU lets batches run unread for about 150 ms', () => {
    const cpu = new ReadbackPacer('auto', false);
    cpu.measured(1, 5);
    expect(cpu.due(1)).toBe(true);
    const gpu = new ReadbackPacer('auto', true);
    expect(gpu.due(1)).toBe(true);
    gpu.measured(4, 40); // 10 ms a batch: 15 batches make 150 ms
    expect(gpu.due(14)).toBe(false);
    expect(gpu.due(15)).toBe(true);
    gpu.measured(1, 0.01); // tiny batches: capped
    expect(gpu.due(MAX_UNREAD_BATCHES - 1)).toBe(false);
    expect(gpu.due(MAX_UNREAD_BATCHES)).toBe(true);
    gpu.measured(2, 2000); // slow batches: every one is read
    expect(gpu.due(1)).toBe(true);
    const fixed = new ReadbackPacer(4, true);
    fixed.measured(4, 4000);
    expect(fixed.due(3)).toBe(false);
    expect(fixed.due(4)).toBe(true);
    expect(() => new ReadbackPacer(0, true)).toThrow(RangeError);
  });
});

describe('trainModel on the GPU path (run on cpu)', () => {
  it('gives the same losses and weights reading every 4 batches from device-resident images as reading every batch', async () => {
    const baseline = tf.memory().numTensors;
    const everyBatch = await run({ readbackEvery: 1, residentData: false, deviceDropout: true });
    const gpuPath = await run({ readbackEvery: 4, residentData: true, deviceDropout: true });
    expect(gpuPath.outcome).toBe('completed');
    expect(gpuPath.losses).toHaveLength(11);
    expect(gpuPath.losses).toEqual(everyBatch.losses);
    expect(gpuPath.weights).toEqual(everyBatch.weights);
    // Progress still comes for every batch, in order (in bursts of up to four).
    expect(gpuPath.batches).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(gpuPath.imagesSeen).toBe(540);
    // It learns (dropout masks from the device's pool).
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(gpuPath.losses.slice(-3))).toBeLessThan(0.7 * mean(gpuPath.losses.slice(0, 3)));
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('on a NaN loss puts back the weights before the last unread batches whose first loss was finite', async () => {
    const baseline = tf.memory().numTensors;
    const trainable = createTrainableModel(TINY, { optimizer: 'adam', learningRate: QUICK.learningRate, seed: 7 });
    const initial = trainable.model.getWeights().map((w) => w.dataSync() as Float32Array);
    const result = await trainModel({
      model: trainable.model,
      dataset,
      settings: QUICK,
      yieldToPage: noWait,
      readbackEvery: 4,
      onBatch: (p) => {
        // Batches 1-4 were read together: NaN weights now make batch 5's loss NaN.
        if (p.batch === 4) {
          const nan = trainable.model.getWeights().map((w) => tf.fill(w.shape, Number.NaN));
          trainable.model.setWeights(nan);
          tf.dispose(nan);
        }
      },
    });
    expect(result.outcome).toBe('diverged');
    expect(result.message).toMatch(/loss became NaN .* batch 5/);
    expect(result.batchLoss).toHaveLength(4);
    // Batch 1's loss was measured on the initial weights: the last weights known to be sane.
    expect(trainable.model.getWeights().map((w) => w.dataSync())).toEqual(initial);
    trainable.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});

describe('ResidentImages', () => {
  it('gathers exactly the batches the data set makes, from images uploaded in pieces', () => {
    const baseline = tf.memory().numTensors;
    const indices = Int32Array.from({ length: 6000 }, (_, i) => (i * 7) % dataset.train.count);
    const resident = ResidentImages.upload(dataset, indices);
    try {
      const wanted = Int32Array.from([indices[5999], indices[0], indices[5000], indices[4999]]);
      const gathered = resident.batch(wanted);
      const made = dataset.batch('train', wanted);
      expect(gathered.xs.shape).toEqual([4, 28, 28, 1]);
      expect(gathered.xs.dataSync()).toEqual(made.xs.dataSync());
      expect(gathered.ys.dataSync()).toEqual(made.ys.dataSync());
      tf.dispose([gathered.xs, gathered.ys, made.xs, made.ys]);
      const missing = Int32Array.from([1]); // 1 is not a multiple of 7 below 42,000
      expect(() => resident.batch(missing)).toThrow(/training image 1 was not uploaded/);
    } finally {
      resident.dispose();
    }
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
