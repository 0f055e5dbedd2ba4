import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceDropout } from '../../../src/train/device-dropout';

function dropoutModel(rate: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dropout({ rate, inputShape: [100, 100] }));
  return model;
}

/** One training-mode pass, as a training step makes it, with the layer's seed for this step. */
function trainingPass(model: tf.Sequential, x: tf.Tensor, stepSeed: number): Float32Array {
  (model.layers[0] as unknown as { seed?: number }).seed = stepSeed;
  return tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).dataSync() as Float32Array);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DeviceDropout', () => {
  it('keeps each unit with probability 1 - rate, scaled as tfjs does; the same seed gives the same mask, another seed another', () => {
    const baseline = tf.memory().numTensors;
    const model = dropoutModel(0.25);
    const x = tf.ones([2, 100, 100]);
    const dropout = DeviceDropout.install(model, 42);
    try {
      const first = trainingPass(model, x, 7);
      const values = new Set(Array.from(first, (v) => v.toFixed(5)));
      expect([...values].sort()).toEqual(['0.00000', (1 / 0.75).toFixed(5)]);
      const kept = first.filter((v) => v > 0).length / first.length;
      expect(kept).toBeGreaterThan(0.74);
      expect(kept).toBeLessThan(0.76);
      expect(trainingPass(model, x, 7)).toEqual(first);
      const other = trainingPass(model, x, 8);
      const same = other.filter((v, i) => (v > 0) === (first[i] > 0)).length / other.length;
      // Independent masks agree where both keep or both drop: 0.75² + 0.25² = 62.5% of units.
      expect(same).toBeGreaterThan(0.6);
      expect(same).toBeLessThan(0.65);
      // Inference passes everything through.
      expect(tf.tidy(() => (model.apply(x, { training: false }) as tf.Tensor).dataSync())).toEqual(x.dataSync());
    } finally {
      dropout.dispose();
    }
    // tfjs's own dropout is back: its masks do not follow the pool's.
    const own = trainingPass(model, x, 7);
    expect(own.filter((v) => v > 0).length / own.length).toBeCloseTo(0.75, 1);
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('grows its pool for a larger batch, and the gradient flows through the kept units only', () => {
    const baseline = tf.memory().numTensors;
    const model = dropoutModel(0.5);
    const dropout = DeviceDropout.install(model, 1);
    try {
      const small = tf.ones([1, 100, 100]);
      const large = tf.ones([300, 100, 100]); // 3 million units: more than the first pool holds
      expect(trainingPass(model, small, 3).length).toBe(10_000);
      const out = trainingPass(model, large, 3);
      expect(out.filter((v) => v > 0).length / out.length).toBeCloseTo(0.5, 2);
      (model.layers[0] as unknown as { seed?: number }).seed = 5;
      const grad = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(model.apply(x, { training: true }) as tf.Tensor))(small).dataSync());
      const mask = trainingPass(model, small, 5);
      expect(Array.from(grad)).toEqual(Array.from(mask));
      tf.dispose([small, large]);
    } finally {
      dropout.dispose();
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
