import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/build';
import { SMALL_SPEC } from '../../../src/model/spec';
import { modelFromFiles } from '../../../src/train/model-io';

interface Saved {
  json: string;
  weights: ArrayBuffer;
}

/** Saves a model the way tf.io.browserDownloads does: model.json plus one weights file. */
async function save(model: tf.LayersModel): Promise<Saved> {
  let saved: Saved | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        weightsManifest: [{ paths: ['./model.weights.bin'], weights: artifacts.weightSpecs! }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      saved = { json: JSON.stringify(json), weights: artifacts.weightData as ArrayBuffer };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return saved!;
}

let small: Saved;
let smallWeights: Float32Array[];
beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = buildModel(SMALL_SPEC);
  small = await save(model);
  smallWeights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  model.dispose();
});

describe('modelFromFiles', () => {
  it('loads back a saved model with the same weights, even under a renamed weights file', async () => {
    const model = await modelFromFiles(small.json, new Map([['model.weights (1).bin', small.weights]]));
    expect(model.outputs[0].shape).toEqual([null, 10]);
    expect(await Promise.all(model.getWeights().map((w) => w.data()))).toEqual(smallWeights);
    model.dispose();
  });

  it('refuses malformed JSON, a JSON file that is not a model, and a missing weights file', async () => {
    await expect(modelFromFiles('{"modelTop', new Map())).rejects.toThrow('model.json is not valid JSON');
    await expect(modelFromFiles('{"hello": 1}', new Map())).rejects.toThrow(/not a tfjs model/);
    await expect(modelFromFiles(small.json, new Map())).rejects.toThrow('model.json needs the weights file “model.weights.bin”');
  });

  it('refuses a truncated weights file and says so, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    await expect(modelFromFiles(small.json, new Map([['model.weights.bin', small.weights.slice(0, 1000)]]))).rejects.toThrow(
      'The weights file has 1,000 bytes but model.json expects 23,976: it is truncated.',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a model whose input or output does not fit MNIST, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const other = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 3 })] });
    const savedWrong = await save(other);
    other.dispose();
    await expect(modelFromFiles(savedWrong.json, new Map([['model.weights.bin', savedWrong.weights]]))).rejects.toThrow(
      'This model takes inputs of shape [784]; Digit Lab needs 28×28 images with one channel ([28, 28, 1]).',
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
