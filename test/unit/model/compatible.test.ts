import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/build';
import { checkMnistModel, IncompatibleModelError } from '../../../src/model/compatible';
import { SMALL_SPEC } from '../../../src/model/spec';
import { checkCompatible, ModelFileError } from '../../../src/train/model-io';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkMnistModel: the one compatibility check', () => {
  it('accepts a lab model and leaves no tensor behind', async () => {
    const model = buildModel(SMALL_SPEC);
    const before = tf.memory().numTensors;
    await expect(checkMnistModel(model)).resolves.toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('names the input shape it got and the one the lab needs', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10 })] });
    await expect(checkMnistModel(model)).rejects.toThrow(
      new IncompatibleModelError('This model takes inputs of shape [784]; Digit Lab needs 28×28 images with one channel ([28, 28, 1]).'),
    );
    model.dispose();
  });

  it('names the output shape when it is not ten classes', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 3 })] });
    await expect(checkMnistModel(model)).rejects.toThrow('This model answers with shape [3]; Digit Lab needs 10 outputs, one per digit.');
    model.dispose();
  });

  it('refuses weights that answer NaN, leaving no tensor behind', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10 })] });
    const [kernel, bias] = model.getWeights();
    const nan = tf.fill(bias.shape, NaN);
    model.setWeights([kernel, nan]);
    nan.dispose();
    const before = tf.memory().numTensors;
    await expect(checkMnistModel(model)).rejects.toThrow('This model answers NaN or infinity: its weights are broken.');
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reaches file loading as a ModelFileError (the training cell says the current model is unchanged)', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10 })] });
    await expect(checkCompatible(model)).rejects.toBeInstanceOf(ModelFileError);
    model.dispose();
  });
});
