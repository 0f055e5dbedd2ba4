import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../src/backend/backend';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import { loadPreparedMnist } from '../../../src/data/node';
import { LabModel } from '../../../src/model/lab-model';
import { loadShippedModel } from '../../../src/model/shipped';
import { buildModel } from '../../../src/model/build';
import { SMALL_SPEC } from '../../../src/model/spec';
import { ensureModel } from '../../../src/state/actions';
import { createLabState, type LabState } from '../../../src/state/lab-state';
import { SHIPPED_BASE, shippedModelFetch } from './shipped-fixture';

const BASE = SHIPPED_BASE;
const modelFetch = shippedModelFetch;

function readyState(): LabState {
  const state = createLabState();
  state.update('backend', { status: 'ready', active: 'wasm' });
  return state;
}

beforeAll(async () => {
  // WebAssembly, as in the browser (the pure-JS cpu backend took 43 s to read 500 digits here).
  await initBackend('wasm', { wasmPaths: nodeWasmPaths() });
  globalThis.fetch = modelFetch;
});

describe('the shipped model', () => {
  it('loads as a LabModel that says where it came from and how good it is, and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const lab = await loadShippedModel(BASE, { fetch: modelFetch });
    expect(lab.source).toBe('shipped');
    expect(lab.description).toMatch(/^The pre-trained model shipped with the lab \(\w[\w ]* network, \d+\.\d% on the 10,000 test digits\)$/);
    expect(lab.model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(lab.model.outputs[0].shape).toEqual([null, 10]);
    lab.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reads MNIST test digits correctly (at least 95% of the first 500)', async () => {
    const lab = await loadShippedModel(BASE, { fetch: modelFetch });
    const dataset = await loadPreparedMnist();
    const batch = dataset.batch('test', Int32Array.from({ length: 500 }, (_, i) => i));
    const predicted = tf.tidy(() => (lab.model.predict(batch.xs) as tf.Tensor).argMax(-1));
    const labels = tf.tidy(() => batch.ys.argMax(-1));
    const [p, l] = await Promise.all([predicted.data(), labels.data()]);
    tf.dispose([predicted, labels, batch.xs, batch.ys]);
    lab.dispose();
    const correct = p.filter((v, i) => v === l[i]).length;
    expect(correct / 500).toBeGreaterThanOrEqual(0.95);
  });

  it('has a report with its test accuracy on all 10,000 test images, epochs, time and backend', async () => {
    const report = JSON.parse(await readFile(resolve('data/model/report.json'), 'utf8')) as Record<string, unknown>;
    expect(report.testImages).toBe(10000);
    expect(report.testAccuracy).toBeGreaterThan(0.97);
    expect(report.epochs).toBeGreaterThan(0);
    expect(report.trainSeconds).toBeGreaterThan(0);
    expect(typeof report.backend).toBe('string');
  });

  it('says clearly when the model is missing', async () => {
    await expect(loadShippedModel('http://lab.test/nowhere/', { fetch: modelFetch })).rejects.toThrow(/pre-trained model could not be loaded/);
  });
});

describe('ensureModel', () => {
  it('loads the shipped model once into the lab state, shared by every caller', async () => {
    const state = readyState();
    const [a, b] = await Promise.all([ensureModel(state, BASE), ensureModel(state, BASE)]);
    expect(a).toBe(b);
    expect(state.get('model')).toBe(a);
    expect(await ensureModel(state, BASE)).toBe(a);
    state.set('model', null);
  });

  it('waits for the backend before loading, and keeps a trained model that arrived meanwhile', async () => {
    const before = tf.memory().numTensors;
    const state = createLabState();
    state.update('backend', { status: 'loading' });
    const pending = ensureModel(state, BASE);
    const trained = new LabModel(buildModel(SMALL_SPEC), 'trained', 'The model you trained');
    state.set('model', trained);
    state.update('backend', { status: 'ready', active: 'wasm' });
    expect(await pending).toBe(trained);
    expect(state.get('model')?.source).toBe('trained');
    state.set('model', null);
    expect(tf.memory().numTensors).toBe(before);
  });
});
