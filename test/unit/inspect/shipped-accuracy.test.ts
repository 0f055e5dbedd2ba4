import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { loadPreparedMnist } from '../../../src/data/node';
import { loadShippedModel } from '../../../src/model/shipped';
import { evaluateTest } from '../../../src/train/evaluate';
import { SHIPPED_BASE, shippedModelFetch } from './shipped-fixture';

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
    const lab = await loadShippedModel(SHIPPED_BASE, { fetch: shippedModelFetch });
    const dataset = await loadPreparedMnist();
    const before = tf.memory().numTensors;
    const { accuracy } = await evaluateTest(lab.model, dataset, { batchSize: 1000 });
    expect(tf.memory().numTensors).toBe(before);
    lab.dispose();
    expect(accuracy).toBeCloseTo(report.testAccuracy, 4);
    expect(accuracy).toBeGreaterThanOrEqual(0.996);
  });
});
