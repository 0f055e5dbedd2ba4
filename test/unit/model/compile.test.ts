import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTrainableModel, type OptimizerSettings } from '../../../src/model/compile';
import { LabModel } from '../../../src/model/lab-model';
import { CLASSIC_SPEC, SMALL_SPEC } from '../../../src/model/spec';
import { createLabState } from '../../../src/state/lab-state';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One training step on four random images, so the optimizer creates its slot variables. */
async function trainOneBatch(model: tf.LayersModel): Promise<void> {
  const x = tf.randomUniform([4, 28, 28, 1]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 10));
  try {
    await model.trainOnBatch(x, y);
  } finally {
    x.dispose();
    y.dispose();
  }
}

describe('createTrainableModel', () => {
  it('ten rebuilds of the classic net with an Adam optimizer object leave no tensor behind', () => {
    const start = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const t = createTrainableModel(CLASSIC_SPEC, { optimizer: 'adam', learningRate: 0.001 });
      expect(t.model.optimizer).toBe(t.optimizer);
      t.dispose();
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('the optimizer does hold tensors: disposing only the model would leak (so the test above can fail)', () => {
    const start = tf.memory().numTensors;
    const t = createTrainableModel(SMALL_SPEC, { optimizer: 'adam', learningRate: 0.001 });
    t.model.dispose();
    expect(tf.memory().numTensors).toBeGreaterThan(start);
    t.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  for (const settings of [
    { optimizer: 'adam', learningRate: 0.001 },
    { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9 },
    { optimizer: 'rmsprop', learningRate: 0.001 },
  ] satisfies OptimizerSettings[]) {
    // Three rebuilds, not ten: one leaked slot variable per rebuild already shows; each step costs seconds on cpu.
    it(`three rebuilds after a training step with ${settings.optimizer} leave no tensor behind`, async () => {
      const start = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const t = createTrainableModel(SMALL_SPEC, settings);
        await trainOneBatch(t.model);
        t.dispose();
        t.dispose(); // twice is harmless
      }
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('SGD uses momentum', () => {
    const t = createTrainableModel(SMALL_SPEC, { optimizer: 'sgd', learningRate: 0.05, momentum: 0.8 });
    expect(t.optimizer.getConfig()).toMatchObject({ learningRate: 0.05, momentum: 0.8 });
    t.dispose();
  });

  it('a model handed to the lab state frees its optimizer when replaced', async () => {
    const state = createLabState();
    const start = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const t = createTrainableModel(SMALL_SPEC, { optimizer: 'adam', learningRate: 0.001 });
      await trainOneBatch(t.model);
      state.set('model', new LabModel(t.model, 'trained', `run ${i}`, t.spec, [t.optimizer]));
    }
    state.set('model', null);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('refuses a bad learning rate or an impossible spec, and leaks nothing doing so', () => {
    const start = tf.memory().numTensors;
    expect(() => createTrainableModel(SMALL_SPEC, { optimizer: 'adam', learningRate: 0 })).toThrow(/learning rate/);
    const bad = { ...SMALL_SPEC, layers: SMALL_SPEC.layers.slice(0, 4) };
    expect(() => createTrainableModel(bad, { optimizer: 'adam', learningRate: 0.001 })).toThrow(/^Layer 4 \(Max pool\)/);
    expect(tf.memory().numTensors).toBe(start);
  });
});
