import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { registerGradientForWasm } from '../../../src/backend/wasm-kernels';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { buildModel } from '../../../src/model/build';
import { CLASSIC_SPEC, MODEL_SPEC_VERSION, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { expectClose, expectSameOnWasm, on, values } from './wasm-compare';

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

type Pad = 'valid' | 'same' | number;
const convCases: [number, number, number, number, number, number, Pad][] = [
  // batch, size, inChannels, outChannels, kernel, stride, padding
  [2, 7, 1, 4, 3, 1, 'same'],
  [3, 9, 2, 3, 3, 1, 'valid'],
  [2, 8, 3, 2, 5, 1, 'same'],
  [2, 10, 2, 3, 5, 1, 'valid'],
  [1, 6, 4, 5, 1, 1, 'valid'],
  [2, 9, 2, 3, 3, 2, 'same'],
  [2, 10, 3, 2, 3, 2, 'valid'],
  [2, 11, 2, 2, 5, 3, 'same'],
  [2, 8, 2, 3, 2, 2, 'valid'],
  [2, 7, 2, 2, 3, 1, 1],
  [2, 9, 2, 2, 3, 2, 2],
  [1, 12, 3, 4, 4, 3, 'same'],
  // Patches of at most 9 values take the matrix-product path (the first layer's 3×3×1).
  [2, 9, 1, 3, 3, 2, 'same'],
  [2, 8, 1, 2, 3, 2, 'valid'],
  [3, 6, 1, 4, 1, 1, 'valid'],
  [2, 7, 9, 3, 1, 2, 'same'],
  [2, 6, 1, 5, 3, 1, 1],
];

describe('wasm training kernels', () => {
  it.each(convCases)('conv2d gradients match cpu: batch %i, %i×%i input…', async (n, size, ci, co, k, stride, pad) => {
    const xv = values(n * size * size * ci, 1 + size * k);
    const wv = values(k * k * ci * co, 7 + stride);
    const run = () => {
      const x = tf.tensor4d(xv, [n, size, size, ci]);
      const w = tf.tensor4d(wv, [k, k, ci, co]);
      // A weighted sum so that every output position gets a different gradient.
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(values(y.size, 3), y.shape)));
      };
      const grads = tf.grads(f)([x, w]);
      tf.dispose([x, w]);
      return grads;
    };
    const [dxCpu, dwCpu] = await on('cpu', run);
    const [dxWasm, dwWasm] = await on('wasm', run);
    expectClose(dwWasm, dwCpu);
    expectClose(dxWasm, dxCpu);
  });

  it.each([
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 6, 4], [2, 6, 3], true, false],
  ])('matMul %j × %j (transposeA %s, transposeB %s) matches cpu', async (aShape, bShape, ta, tb) => {
    const run = () => {
      const a = tf.tensor(values(aShape.reduce((p, q) => p * q, 1), 21), aShape);
      const b = tf.tensor(values(bShape.reduce((p, q) => p * q, 1), 22), bShape);
      const out = tf.matMul(a, b, ta, tb);
      tf.dispose([a, b]);
      return [out];
    };
    await expectSameOnWasm(run);
  });

  it.each([
    [[4, 3, 3, 5], [0, 1, 2], false],
    [[4, 3, 3, 5], [0, 1, 2], true],
    [[6, 4], [0], false],
    [[4, 3, 5], [1, 0], true],
    [[4, 3, 5], [2], false],
    [[4, 3, 5], [0, 2], false],
  ])('sum and mean of %j over axes %j (keepDims %s) match cpu', async (shape, axes, keepDims) => {
    const run = () => {
      const x = tf.tensor(values(shape.reduce((p, q) => p * q, 1), 31), shape);
      const out = [tf.sum(x, axes, keepDims), tf.mean(x, axes, keepDims)];
      x.dispose();
      return out;
    };
    await expectSameOnWasm(run);
  });

  it.each([
    // input size, channels, pool, stride, padding, integer values (ties)
    [8, 3, 2, 2, 'valid', false],
    [7, 2, 2, 2, 'valid', false],
    [7, 2, 2, 2, 'same', true],
    [9, 2, 3, 2, 'same', false],
    [6, 4, 2, 1, 'same', true],
    [8, 1, 3, 3, 'valid', false],
    // 2×2 pools over even sizes, channels a multiple of 4: the SIMD kernel (ties go to the first, as on cpu).
    [8, 8, 2, 2, 'valid', false],
    [8, 4, 2, 2, 'valid', true],
    [6, 12, 2, 2, 'same', true],
  ] as const)('max-pool gradient matches cpu: %i×same input, %i channels, pool %i, stride %i, padding %s', async (size, channels, pool, stride, pad, ties) => {
    const raw = values(2 * size * size * channels, 40 + size);
    const xv = ties ? raw.map((v) => Math.round(v * 2)) : raw;
    const run = () => {
      const x = tf.tensor4d(xv, [2, size, size, channels]);
      const f = (a: tf.Tensor) => {
        const y = tf.maxPool(a as tf.Tensor4D, pool, stride, pad);
        return tf.sum(tf.mul(y, tf.tensor(values(y.size, 41), y.shape)));
      };
      const [dx] = tf.grads(f)([x]);
      x.dispose();
      return [dx];
    };
    await expectSameOnWasm(run);
  });

  it('identity and same-dtype casts share memory safely: a clone outlives its source and keeps its values', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const source = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(source);
    const same = tf.cast(source, 'float32');
    const ints = tf.cast(source, 'int32');
    source.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3]);
    expect(Array.from(await same.data())).toEqual([1, 2, 3]);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([1, 2, 3]);
    tf.dispose([copy, same, ints]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each([
    [[4, 3, 5], [0, 1], false],
    [[4, 3, 5], [-1], true],
    [[2, 3, 4, 2], [0, 2], false],
    [[6], [0], false],
  ])('sum and mean gradients of %j over axes %j (keepDims %s) broadcast the output gradient', async (shape, axes, keepDims) => {
    const size = shape.reduce((p, q) => p * q, 1);
    const reduced = tf.util.parseAxisParam(axes, shape);
    const count = reduced.reduce((n, axis) => n * shape[axis], 1);
    const outShape = shape.filter((_, i) => !reduced.includes(i));
    const weights = values(Math.max(1, outShape.reduce((p, q) => p * q, 1)), 51);
    // Each input element's gradient is the weight of the output it was reduced into (divided by the count for mean).
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, q) => p * q, 1));
    const outIndex = (flat: number) => {
      let index = 0;
      shape.forEach((dim, i) => {
        if (reduced.includes(i)) return;
        index = index * dim + (Math.floor(flat / strides[i]) % dim);
      });
      return index;
    };
    const expectedSum = Float32Array.from({ length: size }, (_, i) => weights[outIndex(i)]);
    for (const backend of ['cpu', 'wasm'] as const) {
      const [dSum, dMean] = await on(backend, () => {
        const x = tf.tensor(values(size, 50), shape);
        const weighted = (reduce: typeof tf.sum) => (a: tf.Tensor) => {
          const y = reduce(a, axes, keepDims);
          return tf.sum(tf.mul(y, tf.tensor(weights.slice(0, y.size), y.shape)));
        };
        const grads = [tf.grad(weighted(tf.sum))(x), tf.grad(weighted(tf.mean))(x)];
        x.dispose();
        return grads;
      });
      expectClose(dSum, expectedSum);
      expectClose(dMean, expectedSum.map((v) => v / count));
    }
  });

  it.each([
    [[4, 5, 5, 3], [3], true],
    [[4, 5, 5, 3], [3], false],
    [[6, 8], [8], true],
    [[2, 3, 3, 4], [1, 1, 1, 4], true],
  ])('batch norm of %j with parameters %j (scale and offset: %s) matches cpu', async (shape, paramShape, withAffine) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const paramSize = paramShape.reduce((a, b) => a * b, 1);
    const run = () => {
      const x = tf.tensor(values(size, 61), shape);
      const [mean, variance, offset, scale] = [62, 63, 64, 65].map((seed, i) => tf.tensor(values(paramSize, seed).map((v) => (i === 1 ? v + 1.5 : v)), paramShape));
      const y = tf.batchNorm(x, mean, variance, withAffine ? offset : undefined, withAffine ? scale : undefined, 1e-3);
      tf.dispose([x, mean, variance, offset, scale]);
      return [y];
    };
    await expectSameOnWasm(run);
  });

  it('a gradient registered for wasm runs on wasm only: other backends keep the gradient tfjs had', async () => {
    const kernelName = 'DigitLabTestOp';
    const marker = (value: number) => () => tf.scalar(value);
    tf.registerGradient({ kernelName, inputsToSave: ['x'], gradFunc: () => ({ x: marker(1) }) });
    registerGradientForWasm({ kernelName, inputsToSave: ['x'], gradFunc: () => ({ x: marker(2) }) });
    const which = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const grads = tf.getGradient(kernelName)!.gradFunc(tf.scalar(0), [], {});
      const out = (grads as Record<string, () => tf.Tensor>).x();
      const value = (await out.data())[0];
      out.dispose();
      return value;
    };
    expect(await which('cpu')).toBe(1);
    expect(await which('wasm')).toBe(2);
    // The lab's own: FusedBatchNorm, Sum and Mean keep tfjs's saved inputs, so the wrapper was installed.
    for (const name of ['FusedBatchNorm', 'Sum', 'Mean']) expect(tf.getGradient(name)!.gradFunc.toString()).toMatch(/getBackend\(\) === ["']wasm["']/);
  });

  it('the Conv2DBackpropFilter kernel exists on wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each([
    [[4, 5, 5, 3], [3]],
    [[6, 8], [8]],
  ])('batch norm gradients match the plain-op formula, input %j', async (shape, channels) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const c = channels[0];
    const xv = values(size, 11);
    const gv = values(size, 12);
    const gammaV = values(c, 13).map((v) => v + 1.5);
    const betaV = values(c, 14);
    // The reference differentiates the same normalisation written with plain ops (sub, mul, rsqrt), on cpu.
    const reference = () => {
      const x = tf.tensor(xv, shape);
      const f = (a: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const axes = shape.slice(0, -1).map((_, i) => i);
        const { mean, variance } = tf.moments(a, axes);
        const y = tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, 1e-3))), gamma), beta);
        return tf.sum(tf.mul(y, tf.tensor(gv, shape)));
      };
      const params = [tf.tensor1d(gammaV), tf.tensor1d(betaV)];
      const grads = tf.grads(f)([x, ...params]);
      tf.dispose([x, ...params]);
      return grads;
    };
    const fused = () => {
      const x = tf.tensor(xv, shape);
      const f = (a: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const axes = shape.slice(0, -1).map((_, i) => i);
        const { mean, variance } = tf.moments(a, axes);
        const y = tf.batchNorm(a, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-3);
        return tf.sum(tf.mul(y, tf.tensor(gv, shape)));
      };
      const params = [tf.tensor1d(gammaV), tf.tensor1d(betaV)];
      const grads = tf.grads(f)([x, ...params]);
      tf.dispose([x, ...params]);
      return grads;
    };
    const expected = await on('cpu', reference);
    for (const backend of ['cpu', 'wasm'] as const) {
      const actual = await on(backend, fused);
      actual.forEach((a, i) => expectClose(a, expected[i]));
    }
  });

  const POOLS_AND_STRIDES: ModelSpec = {
    version: MODEL_SPEC_VERSION,
    name: 'pools and strides',
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'elu' },
      { type: 'avgPool2d', poolSize: 2, strides: 1, padding: 'same' },
      { type: 'conv2d', filters: 6, kernelSize: 5, strides: 1, padding: 'valid', activation: 'tanh' },
      { type: 'maxPool2d', poolSize: 3, strides: 2, padding: 'same' },
      { type: 'batchNorm' },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
  };

  it.each([
    [SMALL_SPEC, 'adam'],
    [CLASSIC_SPEC, 'sgd'],
    [POOLS_AND_STRIDES, 'rmsprop'],
  ] as const)('fit trains a net on wasm (case %#) and leaves no tensor behind', async (spec, optimizerName) => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const model = buildModel(spec);
    const optimizer = optimizerName === 'adam' ? tf.train.adam(0.01) : optimizerName === 'sgd' ? tf.train.sgd(0.1) : tf.train.rmsprop(0.005);
    model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    // Ten fixed images of ten classes: a net that trains learns them.
    const x = tf.tensor4d(values(10 * 28 * 28, 5).map((v) => Math.abs(v)), [10, 28, 28, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.range(0, 10, 1, 'int32'), 10));
    const history = await model.fit(x, y, { epochs: 12, batchSize: 10, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
