import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { chainLayers, layerActivations, runChain } from '../../../src/inspect/activations';
import { digitInput, drawingInput, parseDigitIndex } from '../../../src/inspect/input';
import { layerBlocks } from '../../../src/inspect/blocks';
import { formatActivation, layerView, mapSize, normalise, overallRange } from '../../../src/inspect/layer-view';
import { blendSaliency, inspectInput, saliencyMap, type SaliencyMethod } from '../../../src/inspect/saliency';
import { buildModel } from '../../../src/model/build';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';

/** Every kind of layer the lab uses, and a last Activation('softmax') layer (logits are its input). */
const SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'one-pass',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'dropout', rate: 0.5 },
    { type: 'flatten' },
    { type: 'dense', units: 12, activation: 'relu' },
    { type: 'dense', units: 10 },
    { type: 'activation', activation: 'softmax' },
  ],
};

let dataset: MnistDataset;
let model: tf.Sequential;
let digit: Float32Array;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
  model = buildModel(SPEC);
  digit = digitInput(dataset, { split: 'test', index: 0 }).pixels;
});

afterAll(() => model.dispose());

describe('inspectInput: activations, saliency, contrast, embedding and check features from one batched pass', () => {
  // The gradient itself is checked against finite differences of the logit in inspect.test.ts.
  it('applies every layer once for every method (the viewer used to run three passes) and matches the separate calls', async () => {
    for (const method of ['integrated', 'smoothgrad', 'gradient', 'occlusion'] as SaliencyMethod[]) {
      const layers = chainLayers(model);
      const spies = layers.map((layer) => vi.spyOn(layer, 'apply'));
      const before = tf.memory().numTensors;
      const { activations, saliency, contrast, embedding, features } = await inspectInput(model, digit, { method });
      expect(tf.memory().numTensors, method).toBe(before);
      spies.forEach((spy, i) => expect(spy, `${method}: ${layers[i].name}`).toHaveBeenCalledTimes(1));
      spies.forEach((spy) => spy.mockRestore());

      const separate = await layerActivations(model, digit);
      expect(activations.digit).toBe(separate.digit);
      expect(saliency.digit).toBe(activations.digit);
      expect(saliency.method).toBe(method);
      expect(saliency.confidence).toBeCloseTo(activations.confidence, 6);
      activations.probabilities.forEach((p, i) => expect(p).toBeCloseTo(separate.probabilities[i], 5));
      activations.layers.forEach((layer, i) => {
        expect(layer.shape).toEqual(separate.layers[i].shape);
        expect(layer.ranges[0].max).toBeCloseTo(separate.layers[i].ranges[0].max, 4);
      });
      // The runner-up is the second most probable class, and the embedding is the last hidden layer (12 units).
      const order = activations.probabilities.map((p, d) => ({ p, d })).sort((a, b) => b.p - a.p);
      expect([contrast.digit, contrast.rival]).toEqual([order[0].d, order[1].d]);
      expect(Array.from(embedding)).toEqual(Array.from(activations.layers[6].channels[0]));
      expect(features.length).toBe(4 * 2 + 12 + 198);
      const size = Math.max(...saliency.map.map(Math.abs));
      expect(size, method).toBeCloseTo(1, 6);
      expect(Math.max(...contrast.map.map(Math.abs)), method).toBeCloseTo(1, 6);
    }
  });

  it('the plain gradient is the old single-image gradient, and SmoothGrad averages it over noisy copies', async () => {
    const plain = await saliencyMap(model, digit, { method: 'gradient' });
    expect(plain.map.every((v) => v >= 0)).toBe(true);
    const one = await saliencyMap(model, digit, { method: 'smoothgrad', samples: 1, noise: 0 });
    // With one noise-free copy SmoothGrad is the plain gradient.
    one.map.forEach((v, i) => expect(v).toBeCloseTo(plain.map[i], 5));
    const smooth = await saliencyMap(model, digit, { method: 'smoothgrad' });
    expect(Array.from(smooth.map)).not.toEqual(Array.from(plain.map));
  });

  it('integrated gradients add up to the score\'s change from a black picture, and sit only on the ink', async () => {
    const { saliency } = await inspectInput(model, digit, { method: 'integrated', samples: 64 });
    const logits = (pixels: Float32Array) => tf.tidy(() => runChain(chainLayers(model), tf.tensor4d(pixels, [1, 28, 28, 1]), true).logits!.dataSync());
    const change = logits(digit)[saliency.digit] - logits(new Float32Array(IMAGE_PIXELS))[saliency.digit];
    expect(saliency.total).toBeCloseTo(change, 1);
    saliency.map.forEach((v, i) => {
      if (digit[i] === 0) expect(Math.abs(v)).toBe(0);
    });
  });

  it('drops a superseded request (AbortSignal) without leaking, and refuses a wrong-sized input', async () => {
    const before = tf.memory().numTensors;
    const early = new AbortController();
    early.abort(new DOMException('superseded', 'AbortError'));
    await expect(inspectInput(model, digit, { signal: early.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const late = new AbortController();
    const run = inspectInput(model, digit, { signal: late.signal });
    late.abort(new DOMException('superseded', 'AbortError'));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(inspectInput(model, new Float32Array(100))).rejects.toThrow(/784 pixels/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('blendSaliency', () => {
  it('leaves weak values alone, turns the strongest red (negative ones blue), and blends in between', () => {
    const rgba = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
    blendSaliency(rgba, [0.05, 1, 0.4, -1]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([100, 100, 100, 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([255, 40, 40, 255]);
    expect(Array.from(rgba.subarray(8, 12))).toEqual([128, 20, 20, 255]);
    expect(Array.from(rgba.subarray(12, 16))).toEqual([40, 120, 255, 255]);
    expect(() => blendSaliency(new Uint8ClampedArray(8), [1])).toThrow(RangeError);
  });
});

describe('how a layer is shown', () => {
  it('names the blocks in words, folding batch norm, activation and dropout into the layer before', async () => {
    const { activations } = await inspectInput(model, digit, { method: 'gradient' });
    const blocks = layerBlocks(activations.layers.map((l) => l.info));
    expect(blocks.map((b) => b.title)).toEqual([
      'Convolution 1 · 4 filters 3×3',
      'Max pooling 1 · 2×2',
      'Flatten · 784 numbers in a row',
      'Dense 1 · 12 units',
      'Output · 10 scores, softmax: probabilities',
    ]);
    expect(blocks[0].steps).toEqual(['batch normalisation', 'ReLU']);
    expect(blocks[0].layers).toEqual([0, 1, 2]);
    expect(blocks[0].output).toBe(2);
    // Dropout does nothing when predicting: the pooling block shows the pooling's own output.
    expect(blocks[1].steps).toEqual(['dropout 50% (training only)']);
    expect(blocks[1].output).toBe(3);
    expect(blocks[3].steps).toEqual(['ReLU']);
    expect(blocks[4].steps).toEqual(['softmax']);
  });

  it('picks maps, probabilities, bars, a summary or a dropout note from the numbers', async () => {
    const { activations } = await inspectInput(model, digit);
    expect(activations.layers.map((l) => layerView(l).kind)).toEqual([
      'maps', 'maps', 'maps', 'maps', 'dropout', 'long-vector', 'vector', 'vector', 'probabilities',
    ]);
    const conv = layerView(activations.layers[0]);
    expect(conv).toMatchObject({ kind: 'maps', size: 84 });
    const pooled = layerView(activations.layers[3]);
    expect(pooled).toMatchObject({ kind: 'maps', size: 42 });
    const bars = layerView(activations.layers[6]);
    if (bars.kind !== 'vector') throw new Error('expected bars');
    expect(bars.scale).toBe(Math.max(Math.abs(bars.range.min), Math.abs(bars.range.max)));
  });

  it('writes values with two decimals, whole numbers from 100 on, a plain minus and no "-0.00"', () => {
    expect([0.123, -2.5, 99.996, 231.4, -1234.5, -0.001].map(formatActivation)).toEqual(['0.12', '-2.50', '100.00', '231', '-1,235', '0.00']);
  });

  it('sizes maps within 28–84 px and puts one layer on one colour scale', () => {
    expect([1, 7, 14, 28, 100].map(mapSize)).toEqual([28, 28, 42, 84, 84]);
    expect(overallRange([{ min: -1, max: 2 }, { min: 0, max: 5 }])).toEqual({ min: -1, max: 5 });
    expect(overallRange([])).toEqual({ min: 0, max: 0 });
    expect(Array.from(normalise([-1, 2, 5], { min: -1, max: 5 }))).toEqual([0, 0.5, 1]);
    expect(Array.from(normalise([3, 3], { min: 3, max: 3 }))).toEqual([0, 0]);
  });
});

describe('the viewer input', () => {
  it('scales a data-set digit to [0, 1] and names it; a drawing is used as it is', () => {
    const input = digitInput(dataset, { split: 'train', index: 7 });
    expect(input.caption).toBe('Training digit #7');
    expect(input.label).toBe(dataset.label('train', 7));
    expect(input.pixels).toHaveLength(IMAGE_PIXELS);
    expect(Math.max(...input.pixels)).toBeLessThanOrEqual(1);
    expect(digitInput(dataset, { split: 'test', index: 1234 }).caption).toBe('Test digit #1,234');
    const drawing = new Float32Array(IMAGE_PIXELS);
    expect(drawingInput(drawing)).toEqual({ pixels: drawing, caption: 'Your drawing (prepared as MNIST)', label: null });
  });

  it('accepts a whole digit number inside the split and refuses anything else with the range', () => {
    expect(parseDigitIndex(' 7 ', 60000)).toEqual({ ok: true, index: 7 });
    expect(parseDigitIndex('59999', 60000)).toEqual({ ok: true, index: 59999 });
    for (const text of ['', 'abc', '-1', '1.5', '60000', '99999']) {
      expect(parseDigitIndex(text, 60000)).toEqual({ ok: false, message: 'Pick a digit number from 0 to 59,999.' });
    }
  });
});
