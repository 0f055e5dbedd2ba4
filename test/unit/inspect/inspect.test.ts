import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { layerActivations } from '../../../src/inspect/activations';
import { convFilters, kernelImage } from '../../../src/inspect/filters';
import { predictDigit } from '../../../src/inspect/predict';
import { saliencyMap } from '../../../src/inspect/saliency';
import { buildModel } from '../../../src/model/build';
import { DENSE_ONLY_SPEC, MODEL_SPEC_VERSION, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';

/** A small net with every kind of layer the lab uses, batch norm and dropout included. */
const MIXED_SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'mixed',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'dropout', rate: 0.5 },
    { type: 'conv2d', filters: 6, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'avgPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 12, activation: 'relu' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

let dataset: MnistDataset;
let small: tf.Sequential;
let mixed: tf.Sequential;
let digit: Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
  small = buildModel(SMALL_SPEC);
  mixed = buildModel(MIXED_SPEC);
  digit = Float32Array.from(dataset.image('test', 0), (v) => v / 255);
});

afterAll(() => {
  small.dispose();
  mixed.dispose();
});

async function expectNoLeak(work: () => Promise<unknown>): Promise<void> {
  const before = tf.memory().numTensors;
  await work();
  expect(tf.memory().numTensors).toBe(before);
}

describe('convolution filters', () => {
  it('reads every conv layer kernel with its shape and range, and leaks nothing', async () => {
    await expectNoLeak(async () => {
      const filters = await convFilters(small);
      expect(filters.map((f) => [f.kernelHeight, f.kernelWidth, f.inChannels, f.outChannels])).toEqual([
        [5, 5, 1, 8],
        [5, 5, 8, 16],
      ]);
      expect(filters.map((f) => f.layerIndex)).toEqual([0, 2]);
      for (const f of filters) {
        expect(f.values.length).toBe(f.kernelHeight * f.kernelWidth * f.inChannels * f.outChannels);
        expect(f.maxAbs).toBe(Math.max(...Array.from(f.values, Math.abs)));
      }
    });
  });

  it('cuts out the right kernel for an output and input channel', async () => {
    const filters = (await convFilters(mixed))[1]; // 3×3, 4 in, 6 out
    const kernel = mixed.layers[5].getWeights()[0];
    const [h, w, cin, cout] = kernel.shape;
    const nested = (await kernel.array()) as number[][][][];
    const image = kernelImage(filters, 5, 3);
    expect(image.length).toBe(h * w);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(image[y * w + x]).toBeCloseTo(nested[y][x][3][5], 6);
    expect([cin, cout]).toEqual([4, 6]);
  });

  it('finds no filters in a model without convolutions', async () => {
    const dense = buildModel(DENSE_ONLY_SPEC);
    expect(await convFilters(dense)).toEqual([]);
    dense.dispose();
  });
});

describe('layer activations', () => {
  it('gives every layer in order, maps as channels and the last layer as the model prediction', async () => {
    await expectNoLeak(async () => {
      const acts = await layerActivations(mixed, digit);
      expect(acts.layers.map((l) => l.className)).toEqual([
        'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Dropout', 'Conv2D', 'AveragePooling2D', 'Flatten', 'Dense', 'Dense',
      ]);
      const conv = acts.layers[0];
      expect(conv.kind).toBe('maps');
      expect(conv.shape).toEqual([28, 28, 4]);
      expect(conv.channels).toHaveLength(4);
      expect(conv.channels[0]).toHaveLength(784);
      expect(conv.ranges[2].min).toBeLessThanOrEqual(conv.ranges[2].max);
      // ReLU output is never negative.
      expect(Math.min(...acts.layers[2].ranges.map((r) => r.min))).toBeGreaterThanOrEqual(0);
      expect(acts.layers[3].shape).toEqual([14, 14, 4]);
      // Dropout passes the maps through unchanged when predicting.
      expect(Array.from(acts.layers[4].channels[1])).toEqual(Array.from(acts.layers[3].channels[1]));
      const last = acts.layers[acts.layers.length - 1];
      expect(last.kind).toBe('vector');
      expect(last.activation).toBe('softmax');
      const predicted = await predictDigit(mixed, digit);
      predicted.probabilities.forEach((p, i) => expect(acts.probabilities[i]).toBeCloseTo(p, 5));
      expect(acts.digit).toBe(predicted.digit);
    });
  });

  it('gives different feature maps for different digits', async () => {
    const a = await layerActivations(small, digit);
    const b = await layerActivations(small, Float32Array.from(dataset.image('test', 1), (v) => v / 255));
    expect(Array.from(a.layers[0].channels[0])).not.toEqual(Array.from(b.layers[0].channels[0]));
  });

  it('refuses an input of the wrong size', async () => {
    const before = tf.memory().numTensors;
    await expect(layerActivations(small, new Float32Array(100))).rejects.toThrow(/784 pixels/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('prediction', () => {
  it('gives ten probabilities summing to one and leaks nothing', async () => {
    await expectNoLeak(async () => {
      const p = await predictDigit(small, digit);
      expect(p.probabilities).toHaveLength(10);
      expect(p.probabilities.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      expect(p.confidence).toBe(Math.max(...p.probabilities));
      expect(p.probabilities[p.digit]).toBe(p.confidence);
    });
  });
});

describe('saliency', () => {
  it('is the gradient of the top class score: zero where the input is not connected, and matches finite differences', async () => {
    const model = buildModel(DENSE_ONLY_SPEC);
    // Disconnect pixel 0 and pixel 400 from the network.
    const [w1, b1] = model.layers[1].getWeights();
    const kernel = (await w1.data()).slice();
    for (const p of [0, 400]) kernel.fill(0, p * 128, (p + 1) * 128);
    const newKernel = tf.tensor2d(kernel, [IMAGE_PIXELS, 128]);
    model.layers[1].setWeights([newKernel, b1]);
    newKernel.dispose();

    await expectNoLeak(async () => {
      const s = await saliencyMap(model, digit, { method: 'gradient' });
      expect(s.map).toHaveLength(784);
      expect(s.map[0]).toBe(0);
      expect(s.map[400]).toBe(0);
      expect(Math.max(...s.map)).toBe(1);
      expect(s.maxGradient).toBeGreaterThan(0);

      // Finite difference of the logit of the top class at the most salient pixel.
      const top = s.map.indexOf(1);
      const [w2, b2] = model.layers[2].getWeights();
      const W2 = await w2.data();
      const B2 = await b2.data();
      const logit = async (pixels: Float32Array) => {
        const hidden = (await layerActivations(model, pixels)).layers[1].channels[0];
        let z = B2[s.digit];
        for (let j = 0; j < hidden.length; j++) z += hidden[j] * W2[j * 10 + s.digit];
        return z;
      };
      const eps = 1e-3;
      const moved = Float32Array.from(digit);
      moved[top] += eps;
      const slope = Math.abs((await logit(moved)) - (await logit(digit))) / eps;
      expect(slope).toBeCloseTo(s.maxGradient, 1);
    });
    model.dispose();
  });

  it('works through convolutions and batch norm without leaking', async () => {
    await expectNoLeak(async () => {
      const s = await saliencyMap(mixed, digit, { method: 'gradient' });
      expect(s.map.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(s.maxGradient).toBeGreaterThan(0);
    });
  });
});
