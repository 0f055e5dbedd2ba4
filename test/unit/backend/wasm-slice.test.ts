import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { on, values } from './wasm-compare';

beforeAll(async () => {
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Both backends give exactly the same numbers (a slice moves values, it computes nothing). */
async function sameOnBoth(f: () => tf.Tensor[]): Promise<void> {
  const [cpu, wasm] = [await on('cpu', () => tf.tidy(f)), await on('wasm', () => tf.tidy(f))];
  expect(wasm.map((a) => Array.from(a))).toEqual(cpu.map((a) => Array.from(a)));
}

describe('Slice and SplitV on wasm, read through the heap', () => {
  const cases: [number[], number[], number[]][] = [
    // shape, begin, size (-1: to the end)
    [[10], [3], [5]],
    [[6, 7], [2, 0], [3, -1]],
    [[6, 7], [1, 2], [4, 3]],
    [[3, 5, 4], [1, 1, 1], [2, 3, 2]],
    [[4, 6, 5, 3], [1, 2, 0, 1], [2, 3, 5, 2]],
    [[4, 6, 5, 3], [2, 0, 0, 0], [2, -1, -1, -1]],
    [[2, 3, 2, 2, 3], [0, 1, 1, 0, 1], [2, 2, 1, 2, 2]],
    [[5, 4], [0, 0], [0, 4]],
  ];
  it.each(cases)('slices %j from %j, size %j, as the cpu backend does', async (shape, begin, size) => {
    await sameOnBoth(() => [tf.slice(tf.tensor(values(tf.util.sizeFromShape(shape), 7), shape), begin, size)]);
  });

  it('slices int32 and bool tensors too', async () => {
    await sameOnBoth(() => [tf.slice(tf.range(0, 24, 1, 'int32').reshape([4, 6]), [1, 1], [2, 4]), tf.slice(tf.tensor([true, false, true, true]), [1], [2]).cast('float32')]);
  });

  it('splits along any axis into given sizes, as the cpu backend does', async () => {
    const x = () => tf.tensor(values(4 * 6 * 5, 3), [4, 6, 5]);
    await sameOnBoth(() => tf.split(x(), [1, 3], 0));
    await sameOnBoth(() => tf.split(x(), [2, 1, 3], 1));
    await sameOnBoth(() => tf.split(x(), 5, 2));
    await sameOnBoth(() => tf.split(tf.tensor(values(872, 5)), [320, 32, 500, 20]));
  });

  it('leaves its input as it was, and the gradients of a slice still flow', async () => {
    await sameOnBoth(() => {
      const x = tf.tensor(values(24, 9), [4, 6]);
      const part = tf.slice(x, [1, 2], [2, 3]);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.slice(t, [1, 2], [2, 3]))))(x);
      return [x, part, grad];
    });
  });
});
