import * as tf from '@tensorflow/tfjs';
import h5wasm, { type Dataset, type Group } from 'h5wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractKerasWeights } from '../../../src/export/extract';
import { kerasWeightsFromModelData, loadRunKerasWeights } from '../../../src/export/model-data';
import { ExportError } from '../../../src/export/python';
import { kerasWeightSlots, matchWeightsToSpec, type KerasWeight } from '../../../src/export/weights';
import { encodeKerasWeightsH5 } from '../../../src/export/weights-h5';
import { modelToData, type ModelData } from '../../../src/model/artifacts';
import { buildModel } from '../../../src/model/build';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { runModelKey, saveModelData } from '../../../src/state/model-store';

const EDITED: ModelSpec = {
  version: 1,
  name: 'edited',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
    { type: 'batchNorm' },
    { type: 'avgPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 12, activation: 'tanh' },
    { type: 'batchNorm' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function weightsOf(spec: ModelSpec, prepare?: (model: tf.LayersModel) => void): Promise<KerasWeight[]> {
  const model = buildModel(spec);
  try {
    prepare?.(model);
    return await extractKerasWeights(model);
  } finally {
    model.dispose();
  }
}

describe('kerasWeightSlots', () => {
  it("lists the classic net's arrays in Keras 3's order and names", () => {
    const names = kerasWeightSlots(CLASSIC_SPEC).map((s) => `${s.name} ${s.shape.join('×')}`);
    expect(names.slice(0, 8)).toEqual([
      'conv2d/kernel 3×3×1×32',
      'conv2d/bias 32',
      'batch_normalization/gamma 32',
      'batch_normalization/beta 32',
      'batch_normalization/moving_mean 32',
      'batch_normalization/moving_variance 32',
      'conv2d_1/kernel 3×3×32×32',
      'conv2d_1/bias 32',
    ]);
    expect(names.slice(-8)).toEqual([
      'dense/kernel 3136×256',
      'dense/bias 256',
      'batch_normalization_4/gamma 256',
      'batch_normalization_4/beta 256',
      'batch_normalization_4/moving_mean 256',
      'batch_normalization_4/moving_variance 256',
      'dense_1/kernel 256×10',
      'dense_1/bias 10',
    ]);
  });

  it('refuses a spec that cannot be built', () => {
    expect(() => kerasWeightSlots({ ...SMALL_SPEC, layers: SMALL_SPEC.layers.slice(0, 2) })).toThrow(ExportError);
  });
});

describe('extractKerasWeights', () => {
  it.each([CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC, EDITED])('gives exactly the arrays the spec expects: $name', async (spec) => {
    const before = tf.memory().numTensors;
    const weights = await weightsOf(spec);
    expect(tf.memory().numTensors).toBe(before);
    const slots = kerasWeightSlots(spec);
    expect(weights.map((w) => [w.name, [...w.shape]])).toEqual(slots.map((s) => [s.name, s.shape]));
    expect(matchWeightsToSpec(spec, weights)).toHaveLength(slots.length);
  });

  it("keeps each batch norm's four arrays together, in Keras' order (tfjs' getWeights() does not)", async () => {
    const weights = await weightsOf(EDITED, (model) => {
      // tfjs lists every trainable array first, so its order would put moving_mean after the last dense layer.
      const tfjsOrder = model.weights.map((w) => w.originalName.replace(/^.*\//, ''));
      expect(tfjsOrder.slice(-4)).toEqual(['moving_mean', 'moving_variance', 'moving_mean', 'moving_variance']);
      const bn = model.layers[1];
      const values = [1, 2, 3, 4].map((v) => tf.fill([4], v));
      bn.setWeights(values);
      tf.dispose(values);
    });
    const bn = weights.filter((w) => w.name.startsWith('batch_normalization/'));
    expect(bn.map((w) => [w.name, w.values[0]])).toEqual([
      ['batch_normalization/gamma', 1],
      ['batch_normalization/beta', 2],
      ['batch_normalization/moving_mean', 3],
      ['batch_normalization/moving_variance', 4],
    ]);
  });

  it('copies the values, so later training does not change an export', async () => {
    const model = buildModel(SMALL_SPEC);
    try {
      const weights = await extractKerasWeights(model);
      const kernel = model.layers[0].getWeights()[0];
      expect(Array.from(weights[0].values)).toEqual(Array.from(kernel.dataSync()));
      const zeros = model.layers[0].getWeights().map((w) => tf.zerosLike(w));
      model.layers[0].setWeights(zeros);
      tf.dispose(zeros);
      expect(weights[0].values.some((v) => v !== 0)).toBe(true);
    } finally {
      model.dispose();
    }
  });
});

describe('kerasWeightsFromModelData (a run kept in storage)', () => {
  async function saved(spec: ModelSpec): Promise<{ data: ModelData; direct: KerasWeight[] }> {
    const model = buildModel(spec);
    try {
      return { data: await modelToData(model), direct: await extractKerasWeights(model) };
    } finally {
      model.dispose();
    }
  }

  it.each([CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC, EDITED])('gives the same arrays as the live model, without building it: $name', async (spec) => {
    const { data, direct } = await saved(spec);
    const before = tf.memory().numTensors;
    const fromData = kerasWeightsFromModelData(data);
    expect(tf.memory().numTensors).toBe(before);
    expect(fromData.map((w) => [w.name, w.shape])).toEqual(direct.map((w) => [w.name, w.shape]));
    fromData.forEach((w, i) => expect(w.values).toEqual(direct[i].values));
  });

  it('says when the stored model is damaged', async () => {
    const { data } = await saved(SMALL_SPEC);
    expect(() => kerasWeightsFromModelData({ ...data, weightData: data.weightData.slice(0, 100) })).toThrow(/shorter than their manifest/);
    expect(() => kerasWeightsFromModelData({ ...data, weightSpecs: data.weightSpecs.slice(1) })).toThrow(/no kernel for its layer/);
    expect(() => kerasWeightsFromModelData({ ...data, modelTopology: { class_name: 'Sequential', config: {} } })).toThrow(/no list of layers/);
    const int8 = data.weightSpecs.map((w, i) => (i === 0 ? { ...w, dtype: 'int32' as const } : w));
    expect(() => kerasWeightsFromModelData({ ...data, weightSpecs: int8 })).toThrow(/not plain float32/);
  });

  it("loads a run's weights from the store, and says so when they are gone", async () => {
    const { data, direct } = await saved(SMALL_SPEC);
    // Node has no IndexedDB: the store refuses but keeps the copy in memory, as in a browser that refuses storage.
    await saveModelData(runModelKey('export-test'), data).catch(() => undefined);
    expect((await loadRunKerasWeights('export-test')).map((w) => w.name)).toEqual(direct.map((w) => w.name));
    await expect(loadRunKerasWeights('never-trained')).rejects.toThrow(/not kept in this browser/);
  });
});

describe('matchWeightsToSpec', () => {
  it('says what does not fit', async () => {
    const small = await weightsOf(SMALL_SPEC);
    expect(() => matchWeightsToSpec(CLASSIC_SPEC, small)).toThrow(/has 32 weight arrays, the weights have 6/);
    const reshaped = small.map((w, i) => (i === 0 ? { ...w, shape: [5, 5, 1, 7] } : w));
    expect(() => matchWeightsToSpec(SMALL_SPEC, reshaped)).toThrow(/array 1 is conv2d\/kernel \[5×5×1×7\], the model expects conv2d\/kernel \[5×5×1×8\]/);
    const short = small.map((w, i) => (i === 1 ? { ...w, values: new Float32Array(3) } : w));
    expect(() => matchWeightsToSpec(SMALL_SPEC, short)).toThrow(/conv2d\/bias hold 3 numbers instead of 8/);
    const diverged = small.map((w, i) => (i === 5 ? { ...w, values: w.values.map((v, j) => (j === 2 ? Number.NaN : v)) } : w));
    expect(() => matchWeightsToSpec(SMALL_SPEC, diverged)).toThrow(/dense\/bias contain NaN/);
  });
});

describe('encodeKerasWeightsH5', () => {
  it("writes an HDF5 file with Keras 3's layout that reads back to the same numbers", async () => {
    const weights = await weightsOf(EDITED);
    const bytes = await encodeKerasWeightsH5(EDITED, weights);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]); // "\x89HDF\r\n\x1a\n"
    const { FS } = await h5wasm.ready;
    FS.writeFile('/read-back.weights.h5', bytes);
    const file = new h5wasm.File('/read-back.weights.h5', 'r');
    try {
      expect((file.get('layers') as Group).keys().sort()).toEqual(['batch_normalization', 'batch_normalization_1', 'conv2d', 'dense', 'dense_1']);
      for (const slot of kerasWeightSlots(EDITED)) {
        const dataset = file.get(`layers/${slot.kerasLayer}/vars/${slot.index}`) as Dataset;
        expect(dataset.shape).toEqual(slot.shape);
        expect(dataset.dtype).toBe('<f');
        const weight = weights.find((w) => w.name === slot.name)!;
        expect(Array.from(dataset.value as Float32Array)).toEqual(Array.from(weight.values));
      }
      expect((file.get('layers/conv2d/vars') as Group).attrs.name.value).toBe('conv2d');
    } finally {
      file.close();
      FS.unlink('/read-back.weights.h5');
    }
  });

  it('refuses weights of another model before writing anything', async () => {
    await expect(encodeKerasWeightsH5(CLASSIC_SPEC, await weightsOf(SMALL_SPEC))).rejects.toThrow(ExportError);
  });
});
