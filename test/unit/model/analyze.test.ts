import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSpec, convOutputLength, validateSpec } from '../../../src/model/analyze';
import { buildModel } from '../../../src/model/build';
import { seededRandom } from '../../../src/data/random';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, MODEL_SPEC_VERSION, SMALL_SPEC, type LayerSpec, type ModelSpec } from '../../../src/model/spec';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const spec = (name: string, layers: LayerSpec[]): ModelSpec => ({ version: MODEL_SPEC_VERSION, name, layers });
const head: LayerSpec[] = [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }];

/** Valid specs beyond the presets: strides, odd sizes, 'same' pooling, average pooling, no bias-free tricks. */
const EDITED: ModelSpec[] = [
  spec('strided', [
    { type: 'conv2d', filters: 12, kernelSize: 5, strides: 2, padding: 'valid', activation: 'elu' },
    { type: 'batchNorm' },
    { type: 'conv2d', filters: 7, kernelSize: 3, strides: 3, padding: 'same' },
    ...head,
  ]),
  spec('odd pooling', [
    { type: 'conv2d', filters: 5, kernelSize: 4, strides: 1, padding: 'valid' },
    { type: 'maxPool2d', poolSize: 3 },
    { type: 'avgPool2d', poolSize: 2, strides: 1, padding: 'same' },
    { type: 'activation', activation: 'tanh' },
    { type: 'maxPool2d', poolSize: 3, strides: 2, padding: 'same' },
    ...head,
  ]),
  spec('deep dense', [
    { type: 'avgPool2d', poolSize: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 300, activation: 'sigmoid' },
    { type: 'batchNorm' },
    { type: 'dropout', rate: 0 },
    { type: 'dense', units: 77 },
    { type: 'activation', activation: 'selu' },
    { type: 'dense', units: 10 },
    { type: 'activation', activation: 'softmax' },
  ]),
  // The classic net with a conv layer added after the second block (what the browser test does).
  spec('classic plus', [
    ...CLASSIC_SPEC.layers.slice(0, 16),
    { type: 'conv2d', filters: 32, kernelSize: 3, strides: 1, padding: 'same', activation: 'relu' },
    ...CLASSIC_SPEC.layers.slice(16),
  ]),
];

describe('shape and parameter inference', () => {
  for (const s of [CLASSIC_SPEC, SMALL_SPEC, DENSE_ONLY_SPEC, ...EDITED]) {
    it(`matches the tfjs model built from "${s.name}", layer by layer`, () => {
      const start = tf.memory().numTensors;
      const analysis = analyzeSpec(s);
      expect(analysis.problems).toEqual([]);
      const model = buildModel(s);
      try {
        expect(model.layers.length).toBe(s.layers.length);
        model.layers.forEach((layer, i) => {
          expect(analysis.layers[i].outputShape, `layer ${i + 1} shape`).toEqual((layer.outputShape as number[]).slice(1));
          expect(analysis.layers[i].params, `layer ${i + 1} params`).toBe(layer.countParams());
          const trainable = layer.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
          expect(analysis.layers[i].trainableParams, `layer ${i + 1} trainable`).toBe(trainable);
        });
        expect(analysis.totalParams).toBe(model.countParams());
      } finally {
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(start);
    });
  }

  it('knows the classic net: 872,426 parameters and about 19.1 million multiply-adds per image', () => {
    const a = analyzeSpec(CLASSIC_SPEC);
    expect(a.totalParams).toBe(872_426);
    // conv 28·28·32·9 + 28·28·32·288 + 14·14·64·288 + 14·14·64·576, dense 3136·256 + 256·10, batch norms one per value.
    const conv = 28 * 28 * 32 * 9 + 28 * 28 * 32 * 288 + 14 * 14 * 64 * 288 + 14 * 14 * 64 * 576;
    const dense = 3136 * 256 + 256 * 10;
    const bn = 2 * 28 * 28 * 32 + 2 * 14 * 14 * 64 + 256;
    expect(a.multiplyAdds).toBe(conv + dense + bn);
    expect(a.layers[6].outputShape).toEqual([14, 14, 32]);
    expect(a.layers[16].outputShape).toEqual([3136]);
  });

  it('matches tfjs on 40 random valid stacks (strides, padding, odd windows), shape by shape', () => {
    const random = seededRandom(7);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const start = tf.memory().numTensors;
    let checked = 0;
    for (let attempt = 0; checked < 40 && attempt < 2000; attempt++) {
      const spatial: LayerSpec[] = Array.from({ length: 1 + Math.floor(random() * 4) }, (): LayerSpec => {
        const padding = pick(['valid', 'same'] as const);
        switch (pick(['conv', 'conv', 'pool', 'bn'] as const)) {
          case 'conv':
            return { type: 'conv2d', filters: 1 + Math.floor(random() * 9), kernelSize: 1 + Math.floor(random() * 6), strides: 1 + Math.floor(random() * 3), padding };
          case 'pool':
            return { type: pick(['maxPool2d', 'avgPool2d'] as const), poolSize: 1 + Math.floor(random() * 4), strides: 1 + Math.floor(random() * 3), padding };
          default:
            return { type: 'batchNorm' };
        }
      });
      const s = spec('random', [...spatial, { type: 'flatten' }, { type: 'dense', units: 1 + Math.floor(random() * 20) }, ...head.slice(1)]);
      const analysis = analyzeSpec(s);
      if (!analysis.valid) continue;
      const model = buildModel(s);
      try {
        model.layers.forEach((layer, i) => expect(analysis.layers[i].outputShape).toEqual((layer.outputShape as number[]).slice(1)));
        expect(analysis.totalParams).toBe(model.countParams());
      } finally {
        model.dispose();
      }
      checked++;
    }
    expect(checked).toBe(40);
    expect(tf.memory().numTensors).toBe(start);
  });

  it("uses tfjs's output-length rule for valid and same padding", () => {
    expect(convOutputLength(28, 5, 'valid', 1)).toBe(24);
    expect(convOutputLength(28, 5, 'valid', 2)).toBe(12);
    expect(convOutputLength(7, 2, 'same', 2)).toBe(4);
    expect(convOutputLength(3, 5, 'valid', 1)).toBe(-1);
  });
});

describe('validation names the offending layer', () => {
  const firstProblem = (layers: LayerSpec[]) => validateSpec(spec('x', layers))[0];

  it('spatial size down to zero', () => {
    const layers: LayerSpec[] = [
      ...Array.from({ length: 5 }, () => ({ type: 'maxPool2d', poolSize: 2 }) as LayerSpec),
      ...head,
    ];
    const p = firstProblem(layers);
    expect(p.layer).toBe(4);
    expect(p.message).toMatch(/^Layer 5 \(Max pool\): .*1×1 input to 0×0/);
  });

  it('a kernel larger than its input', () => {
    const p = firstProblem([{ type: 'maxPool2d', poolSize: 7 }, { type: 'conv2d', filters: 4, kernelSize: 5, strides: 1, padding: 'valid' }, ...head]);
    expect(p).toEqual({ layer: 1, message: expect.stringMatching(/^Layer 2 \(Conv 2D\): A 5×5 kernel does not fit in the 4×4 input/) });
  });

  it('dense without flatten', () => {
    const p = firstProblem([{ type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, { type: 'dense', units: 10, activation: 'softmax' }]);
    expect(p.layer).toBe(1);
    expect(p.message).toMatch(/^Layer 2 \(Dense\): .*28×28×4.*Add a Flatten layer before it/);
  });

  it('a convolution after flatten', () => {
    const p = firstProblem([{ type: 'flatten' }, { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, ...head]);
    expect(p.message).toMatch(/^Layer 2 \(Conv 2D\): .*flat list of 784 numbers/);
  });

  it('output not 10 classes, and output not probabilities', () => {
    const p = firstProblem([{ type: 'flatten' }, { type: 'dense', units: 12, activation: 'softmax' }]);
    expect(p).toEqual({ layer: 1, message: expect.stringMatching(/^Layer 2 \(Dense\): the model must end with 10 outputs.*outputs 12 numbers/) });
    const q = firstProblem([{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'relu' }]);
    expect(q.message).toMatch(/^Layer 2 \(Dense\): .*softmax/);
    const r = firstProblem([{ type: 'conv2d', filters: 10, kernelSize: 3, strides: 1, padding: 'same' }]);
    expect(r.message).toMatch(/outputs a 28×28×10 tensor/);
  });

  it('zero filters and zero units', () => {
    expect(firstProblem([{ type: 'conv2d', filters: 0, kernelSize: 3, strides: 1, padding: 'same' }, ...head]).message).toMatch(
      /^Layer 1 \(Conv 2D\): zero filters/,
    );
    expect(firstProblem([{ type: 'flatten' }, { type: 'dense', units: 0 }, ...head.slice(1)]).message).toMatch(/^Layer 2 \(Dense\): zero units/);
    expect(firstProblem([{ type: 'conv2d', filters: 2.5, kernelSize: 3, strides: 1, padding: 'same' }, ...head]).message).toMatch(/whole number/);
    expect(firstProblem([{ type: 'conv2d', filters: Number.NaN, kernelSize: 3, strides: 1, padding: 'same' }, ...head]).message).toMatch(/whole number/);
  });

  it('dropout rate outside [0, 1), without losing the shapes after it', () => {
    for (const rate of [1, 1.5, -0.1, Number.NaN]) {
      const a = analyzeSpec(spec('x', [{ type: 'flatten' }, { type: 'dropout', rate }, { type: 'dense', units: 10, activation: 'softmax' }]));
      expect(a.problems).toHaveLength(1);
      expect(a.problems[0].message).toMatch(/^Layer 2 \(Dropout\): The dropout rate must be at least 0 and below 1/);
      expect(a.layers[2].outputShape).toEqual([10]);
    }
    expect(validateSpec(spec('x', [{ type: 'flatten' }, { type: 'dropout', rate: 0.99 }, ...head.slice(1)]))).toEqual([]);
  });

  it('flatten twice, no layers, and too many parameters', () => {
    expect(firstProblem([{ type: 'flatten' }, ...head]).message).toMatch(/^Layer 2 \(Flatten\): The input is already flat/);
    expect(firstProblem([]).layer).toBeNull();
    const huge = firstProblem([{ type: 'flatten' }, { type: 'dense', units: 4096 }, { type: 'dense', units: 4096 }, { type: 'dense', units: 4096 }, ...head.slice(1)]);
    expect(huge.layer).toBeNull();
    expect(huge.message).toMatch(/at most 20,000,000/);
  });

  it('buildModel refuses an impossible spec with the same message', () => {
    const start = tf.memory().numTensors;
    const bad = spec('bad', [{ type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'same' }, { type: 'dense', units: 10, activation: 'softmax' }]);
    expect(() => buildModel(bad)).toThrow(/^Layer 2 \(Dense\)/);
    expect(tf.memory().numTensors).toBe(start);
  });
});
