import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../src/model/build';
import { SMALL_SPEC } from '../../../src/model/spec';
import { CLASSIC_SPEC } from '../../../src/model/spec';
import { summariseTopology } from '../../../src/model/topology';
import { checkUploadSizes, modelFromFiles } from '../../../src/train/model-io';

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

  // The issue's 208-byte file: one Dense layer of a million units, an empty manifest and an empty weights file.
  const millionUnits = JSON.stringify({
    modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 1_000_000, batch_input_shape: [null, 784] } }] } },
    weightsManifest: [{ paths: ['w.bin'], weights: [] }],
  });

  it('refuses a tiny model.json that asks for a million-unit layer before tfjs allocates anything, with the numbers', async () => {
    const before = tf.memory();
    await expect(modelFromFiles(millionUnits, new Map([['w.bin', new ArrayBuffer(0)]]))).rejects.toThrow(
      'This model has 785,000,000 parameters (3.1 GB of weights; “Dense_1/kernel” alone has 784,000,000): Digit Lab loads models of up to 20,000,000 parameters in a browser tab. The weight files given have 0 bytes. Nothing was loaded.',
    );
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('refuses unknown layers, and a manifest that lacks the model’s weights, before building', async () => {
    const before = tf.memory().numTensors;
    const unknown = JSON.stringify({ modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Nope', config: { batch_input_shape: [null, 28, 28, 1] } }] } }, weightsManifest: [] });
    await expect(modelFromFiles(unknown, new Map())).rejects.toThrow('Digit Lab cannot read the layer type “Nope”');
    const json = JSON.parse(small.json) as { weightsManifest: { weights: unknown[] }[] };
    json.weightsManifest[0].weights = [];
    await expect(modelFromFiles(JSON.stringify(json), new Map([['model.weights.bin', new ArrayBuffer(0)]]))).rejects.toThrow(
      /The weights manifest lists 0 of the model's 6 weight tensors: 6 are missing \(“conv2d_\w+\/kernel”/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves no tensor behind when tfjs itself fails half-way through a build', async () => {
    const json = JSON.parse(small.json) as { modelTopology: { config: { layers: { config: Record<string, unknown> }[] } } };
    // The last layer's activation does not exist: tfjs has built (and allocated) the layers before it by then.
    json.modelTopology.config.layers.at(-1)!.config.activation = 'no-such-activation';
    const before = tf.memory().numTensors;
    await expect(modelFromFiles(JSON.stringify(json), new Map([['model.weights.bin', small.weights]]))).rejects.toThrow('tfjs could not build a model');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses files too large to read before reading them', () => {
    expect(() => checkUploadSizes(5_000_000, [])).toThrow('model.json has 5.0 MB; a model.json Digit Lab reads has at most 4.0 MB');
    expect(() => checkUploadSizes(1000, [60_000_000, 30_000_000])).toThrow('The weight files have 90 MB; Digit Lab loads models of up to 20,000,000 parameters (80 MB).');
    expect(() => checkUploadSizes(1000, [3_500_000])).not.toThrow();
  });
});

describe('summariseTopology', () => {
  it('counts the parameters of the lab’s own saved models exactly as tfjs does', async () => {
    for (const spec of [SMALL_SPEC, CLASSIC_SPEC]) {
      const model = buildModel(spec);
      const saved = await save(model);
      const summary = summariseTopology((JSON.parse(saved.json) as { modelTopology: unknown }).modelTopology);
      expect(summary.params).toBe(model.countParams());
      expect(summary.outputShape).toEqual([10]);
      model.dispose();
    }
  });
});
