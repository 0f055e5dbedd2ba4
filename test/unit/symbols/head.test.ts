import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HeadWeights } from '../../../src/symbols/features';
import { fitHead, headLogits, headPredictions, HeadStopped, joinFeatures, pickRows, widenHead, type FeatureSet } from '../../../src/symbols/head';
import { assignFolds } from '../../../src/symbols/held-out';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Two old classes on 3 features; class 2 is new: it lives where feature 2 is high.
const base: HeadWeights = { kernel: Float32Array.from([2, 0, 0, 2, 0, 0]), bias: Float32Array.from([0, 0]), features: 3, classes: 2 };
const rows: number[][] = [
  [1, 0, 0],
  [0.9, 0.1, 0],
  [0, 1, 0],
  [0.1, 0.8, 0],
  [0.2, 0.1, 1],
  [0, 0.2, 0.9],
];
const train: FeatureSet = { values: Float32Array.from(rows.flat()), labels: Uint8Array.from([0, 0, 1, 1, 2, 2]), dim: 3 };

describe('a new head on frozen features', () => {
  it('starts from the old columns with a zero column per new class', () => {
    const wide = widenHead(base, 3);
    expect(Array.from(wide.kernel)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 0]);
    expect(Array.from(headLogits(Float32Array.from([1, 0, 0]), 1, wide))).toEqual([2, 0, 0]);
  });

  it('learns the new class, keeps the old ones, and frees every tensor', async () => {
    const before = tf.memory().numTensors;
    const head = await fitHead(train, base, 3, { steps: 150, learningRate: 0.05, anchor: 0.01 });
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(headPredictions(train.values, 6, head))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(head.classes).toBe(3);
  });

  it('stops when asked, freeing its tensors', async () => {
    const before = tf.memory().numTensors;
    let steps = 0;
    await expect(fitHead(train, base, 3, undefined, { shouldStop: () => ++steps > 3 })).rejects.toThrow(HeadStopped);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('picks and joins rows, and deals folds per class', () => {
    const picked = pickRows(train, [5, 0]);
    expect(Array.from(picked.labels)).toEqual([2, 0]);
    expect(Array.from(picked.values)).toEqual(Array.from(Float32Array.from([0, 0.2, 0.9, 1, 0, 0])));
    expect(joinFeatures([picked, train]).labels).toHaveLength(8);
    const folds = assignFolds(Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 4, 1);
    for (const label of [0, 1]) expect(new Set(Array.from(folds.subarray(label * 4, label * 4 + 4)))).toEqual(new Set([0, 1, 2, 3]));
  });
});
