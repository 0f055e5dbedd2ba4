import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { fileFetch, loadPreparedMnist } from '../../../src/data/node';
import { loadShippedModel } from '../../../src/model/shipped';

const BASE = 'http://lab.test/model/';
const modelFetch = (() => {
  const files = fileFetch(resolve('data/model'));
  return ((input: RequestInfo | URL) => files(String(input).replace(BASE, ''))) as typeof fetch;
})();

beforeAll(async () => {
  // WASM: the 10,000 test digits take seconds there, minutes on the plain-JavaScript cpu backend.
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  expect(tf.getBackend()).toBe('wasm');
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('the shipped model on all 10,000 MNIST test digits', () => {
  it('scores what its report says, at least 99.6%, and leaves no tensor behind', async () => {
    const report = JSON.parse(await readFile(resolve('data/model/report.json'), 'utf8')) as { testAccuracy: number };
    const lab = await loadShippedModel(BASE, { fetch: modelFetch });
    const dataset = await loadPreparedMnist();
    const before = tf.memory().numTensors;
    let correct = 0;
    for (let start = 0; start < dataset.test.count; start += 1000) {
      const indices = Int32Array.from({ length: Math.min(1000, dataset.test.count - start) }, (_, i) => start + i);
      const { xs, ys } = dataset.batch('test', indices);
      const hits = tf.tidy(() => tf.equal((lab.model.predict(xs) as tf.Tensor).argMax(-1), ys.argMax(-1)).sum());
      correct += (await hits.data())[0];
      tf.dispose([xs, ys, hits]);
    }
    expect(tf.memory().numTensors).toBe(before);
    lab.dispose();
    const accuracy = correct / dataset.test.count;
    expect(accuracy).toBeCloseTo(report.testAccuracy, 4);
    expect(accuracy).toBeGreaterThanOrEqual(0.996);
  });
});
