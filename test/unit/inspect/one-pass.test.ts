import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { chainLayers, layerActivations } from '../../../src/inspect/activations';
import { digitInput, drawingInput, parseDigitIndex } from '../../../src/inspect/input';
import { formatActivation, layerTitle, layerView, mapSize, normalise, overallRange } from '../../../src/inspect/layer-view';
import { blendSaliency, inspectInput, saliencyMap } from '../../../src/inspect/saliency';
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

describe('inspectInput: activations and saliency from one forward pass', () => {
  // saliencyMap itself is checked against finite differences of the logit in inspect.test.ts.
  it('applies every layer once (the viewer used to run three passes) and gives the numbers of the separate calls', async () => {
    const layers = chainLayers(model);
    const spies = layers.map((layer) => vi.spyOn(layer, 'apply'));
    const before = tf.memory().numTensors;
    const { activations, saliency } = await inspectInput(model, digit);
    expect(tf.memory().numTensors).toBe(before);
    spies.forEach((spy, i) => expect(spy, layers[i].name).toHaveBeenCalledTimes(1));
    spies.forEach((spy) => spy.mockRestore());

    const separate = await layerActivations(model, digit);
    const alone = await saliencyMap(model, digit);
    expect(activations.digit).toBe(separate.digit);
    expect(saliency.digit).toBe(activations.digit);
    expect(saliency.confidence).toBeCloseTo(activations.confidence, 6);
    activations.probabilities.forEach((p, i) => expect(p).toBeCloseTo(separate.probabilities[i], 6));
    activations.layers.forEach((layer, i) => {
      expect(layer.shape).toEqual(separate.layers[i].shape);
      expect(layer.ranges[0].max).toBeCloseTo(separate.layers[i].ranges[0].max, 5);
    });
    expect(saliency.maxGradient).toBeCloseTo(alone.maxGradient, 5);
    saliency.map.forEach((v, i) => expect(v).toBeCloseTo(alone.map[i], 5));
  });

  it('drops a superseded request (AbortSignal) without leaking, and refuses a wrong-sized input', async () => {
    const before = tf.memory().numTensors;
    const early = new AbortController();
    early.abort(new DOMException('superseded', 'AbortError'));
    await expect(inspectInput(model, digit, early.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const late = new AbortController();
    const run = inspectInput(model, digit, late.signal);
    late.abort(new DOMException('superseded', 'AbortError'));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    await expect(inspectInput(model, new Float32Array(100))).rejects.toThrow(/784 pixels/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('blendSaliency', () => {
  it('leaves weak gradients alone, turns the strongest red, and blends in between', () => {
    const rgba = new Uint8ClampedArray([100, 100, 100, 255, 100, 100, 100, 255, 0, 0, 0, 255]);
    blendSaliency(rgba, [0.05, 1, 0.4]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([100, 100, 100, 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([255, 40, 40, 255]);
    expect(Array.from(rgba.subarray(8, 12))).toEqual([128, 20, 20, 255]);
    expect(() => blendSaliency(new Uint8ClampedArray(8), [1])).toThrow(RangeError);
  });
});

describe('how a layer is shown', () => {
  it('names layers in words with their activation', () => {
    expect(layerTitle({ className: 'Conv2D', activation: 'relu' })).toBe('Convolution (relu)');
    expect(layerTitle({ className: 'Dense', activation: 'linear' })).toBe('Dense');
    expect(layerTitle({ className: 'MaxPooling2D', activation: null })).toBe('Max pooling');
    expect(layerTitle({ className: 'Custom', activation: null })).toBe('Custom');
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
