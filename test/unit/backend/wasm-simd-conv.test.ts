import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { HeapBackend, KernelArgs } from '../../../src/backend/wasm/heap';
import { convBySimd, matMulBySimd } from '../../../src/backend/wasm/simd/simd-conv';
import { setSimdKernelsEnabled, simdKernels } from '../../../src/backend/wasm/simd/simd-module';
import { expectClose, expectSameOnWasm, on, values } from './wasm-compare';

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  setSimdKernelsEnabled(true);
  await tf.setBackend('cpu');
});

type Pad = 'valid' | 'same' | number;
// batch, height, width, inChannels, outChannels, kernel, padding: shapes the SIMD kernels take (stride 1, output
// channels a multiple of 8, at least 4 output columns), with widths that are and are not a multiple of 4.
const cases: [number, number, number, number, number, number, Pad][] = [
  [2, 6, 8, 4, 8, 3, 'same'],
  [2, 7, 5, 8, 16, 3, 'same'],
  [1, 9, 14, 12, 8, 3, 'valid'],
  [2, 8, 6, 4, 16, 5, 'same'],
  [1, 10, 9, 8, 8, 5, 'valid'],
  [2, 5, 4, 16, 8, 1, 'valid'],
  [2, 6, 7, 4, 8, 3, 2],
  [1, 5, 5, 8, 24, 3, 1],
];

describe('SIMD convolution kernels on wasm', () => {
  it('load into the backend heap', () => {
    const simd = simdKernels(tf.backend());
    expect(simd).not.toBeNull();
    expect(simd?.threads).toBe(1);
  });

  it.each(cases)('conv2d and both gradients match cpu: batch %i, %i×%i, %i→%i channels, kernel %i, padding %s', async (n, h, w, ci, co, k, pad) => {
    const xv = values(n * h * w * ci, 3 + h * k);
    const wv = values(k * k * ci * co, 11 + co);
    const run = () => {
      const x = tf.tensor4d(xv, [n, h, w, ci]);
      const filter = tf.tensor4d(wv, [k, k, ci, co]);
      const f = (a: tf.Tensor, b: tf.Tensor) => {
        const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad);
        return tf.sum(tf.mul(y, tf.tensor(values(y.size, 5), y.shape)));
      };
      const y = tf.conv2d(x, filter, 1, pad);
      const grads = tf.grads(f)([x, filter]);
      tf.dispose([x, filter]);
      return [y, ...grads];
    };
    await expectSameOnWasm(run);
  });

  it.each(['linear', 'relu'] as const)('fused conv2d with a bias and %s matches cpu', async (activation) => {
    const [n, h, w, ci, co] = [2, 9, 11, 8, 16];
    const run = () => {
      const x = tf.tensor4d(values(n * h * w * ci, 21), [n, h, w, ci]);
      const filter = tf.tensor4d(values(9 * ci * co, 22), [3, 3, ci, co]);
      const bias = tf.tensor1d(values(co, 23));
      const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation });
      tf.dispose([x, filter, bias]);
      return [y];
    };
    const [cpu] = await on('cpu', run);
    const [wasm] = await on('wasm', run);
    expectClose(wasm, cpu);
    if (activation === 'relu') expect(Math.min(...wasm)).toBe(0);
  });

  it.each([
    [6, 37, 16],
    [32, 300, 24],
    [4, 8, 8],
  ])('dense products (%i × %i by %i units), fused with a bias and relu, and their gradients match cpu', async (m, k, n) => {
    const run = () => {
      const x = tf.tensor2d(values(m * k, 41), [m, k]);
      const w = tf.tensor2d(values(k * n, 42), [k, n]);
      const bias = tf.tensor1d(values(n, 43));
      const y = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
      const weights = tf.tensor(values(m * n, 44), [m, n]);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), weights)))([x, w]);
      tf.dispose([x, w, bias, weights]);
      return [y, ...grads];
    };
    await expectSameOnWasm(run);
  });

  it('takes the shapes it covers and leaves the others to tfjs', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor4d(values(2 * 6 * 6 * 8, 1), [2, 6, 6, 8]);
    const filter8 = tf.tensor4d(values(9 * 8 * 8, 2), [3, 3, 8, 8]);
    const filter4 = tf.tensor4d(values(9 * 8 * 4, 3), [3, 3, 8, 4]);
    const args = (filter: tf.Tensor, attrs: Record<string, unknown>): KernelArgs =>
      ({ inputs: { x, filter }, backend, attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, ...attrs } }) as unknown as KernelArgs;
    const taken = convBySimd(args(filter8, {}));
    expect(taken?.shape).toEqual([2, 6, 6, 8]);
    if (taken) backend.disposeData(taken.dataId);
    expect(convBySimd(args(filter8, { strides: 2 }))).toBeNull();
    expect(convBySimd(args(filter8, { dilations: 2 }))).toBeNull();
    expect(convBySimd(args(filter4, {}))).toBeNull();
    expect(convBySimd(args(filter8, { activation: 'elu' }))).toBeNull();
    const a = tf.tensor2d(values(6 * 5, 4), [6, 5]);
    const product = matMulBySimd(a, tf.reshape(filter8, [72, 8]) as tf.Tensor, undefined, undefined, backend as unknown as HeapBackend);
    expect(product).toBeNull(); // 5 ≠ 72: shapes that do not chain
    const b = tf.tensor2d(values(5 * 16, 5), [5, 16]);
    const taken2 = matMulBySimd(a, b, undefined, 'relu', backend as unknown as HeapBackend);
    expect(taken2?.shape).toEqual([6, 16]);
    if (taken2) backend.disposeData(taken2.dataId);
    expect(matMulBySimd(a, tf.tensor2d(values(50, 6), [5, 10]), undefined, undefined, backend as unknown as HeapBackend)).toBeNull(); // 10 units
    tf.dispose([x, filter8, filter4, a, b]);
  });

  it('keep working after the heap grows, and agree with tfjs own kernels', async () => {
    const run = () => {
      const x = tf.tensor4d(values(4 * 12 * 12 * 16, 31), [4, 12, 12, 16]);
      const filter = tf.tensor4d(values(9 * 16 * 32, 32), [3, 3, 16, 32]);
      const y = tf.conv2d(x, filter, 1, 'same');
      const dw = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 1, 'same')))(filter);
      tf.dispose([x, filter]);
      return [y, dw];
    };
    const [yBefore, dwBefore] = await on('wasm', run);
    // 256 MB more heap: tfjs grows its memory, which the kernels import; their views must follow.
    const big = tf.zeros([64, 1024, 1024]);
    big.dispose();
    const [yAfter, dwAfter] = await on('wasm', run);
    expect(yAfter).toEqual(yBefore);
    expect(dwAfter).toEqual(dwBefore);
    setSimdKernelsEnabled(false);
    try {
      const [yTfjs, dwTfjs] = await on('wasm', run);
      expectClose(yAfter, yTfjs);
      expectClose(dwAfter, dwTfjs);
    } finally {
      setSimdKernelsEnabled(true);
    }
  });
});
