import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelToData, type ModelData } from '../../../src/model/artifacts';
import { buildModel } from '../../../src/model/build';
import { SMALL_SPEC } from '../../../src/model/spec';
import { modelDataProblem } from '../../../src/state/model-store';

let intact: ModelData;
beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = buildModel(SMALL_SPEC);
  intact = await modelToData(model);
  model.dispose();
});

describe('a stored model is checked before it is used', () => {
  it('passes intact model data', () => {
    expect(modelDataProblem(intact)).toBeNull();
  });

  it('names what is wrong with damaged data, without building anything', () => {
    const before = tf.memory().numTensors;
    expect(modelDataProblem('garbage')).toBe('it is not a model any more');
    expect(modelDataProblem({ ...intact, weightData: intact.weightData.slice(0, 100) })).toBe('its weights have 100 bytes where 23,976 are needed');
    expect(modelDataProblem({ ...intact, weightSpecs: intact.weightSpecs.slice(1) })).toMatch(/^The weights manifest lists 5 of the model's 6 weight tensors/);
    const huge = { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 1e6, batch_input_shape: [null, 784] } }] } };
    expect(modelDataProblem({ ...intact, modelTopology: huge })).toMatch(/^This model has 785,000,000 parameters/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
