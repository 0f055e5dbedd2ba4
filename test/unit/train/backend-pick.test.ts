import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT } from '../../../src/augment/settings';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { MODEL_SPEC_VERSION, SMALL_SPEC, type ModelSpec } from '../../../src/model/spec';
import { describePick, fastestMeasured, pickKey, type BackendPick } from '../../../src/train/backend-pick';
import { createInProcessEngine } from '../../../src/train/engine';
import { createLabState } from '../../../src/state/lab-state';
import { LabTrainer } from '../../../src/train/lab-trainer';
import { DEFAULT_TRAIN } from '../../../src/train/settings';

const TINY: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'tiny',
  layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
};
const QUICK = { ...DEFAULT_TRAIN, trainSize: 1000, batchSize: 50, validationSplit: 0.1, augment: false };

describe('picking the fastest backend from measurements', () => {
  const measured: BackendPick = {
    backend: 'webgpu',
    device: '16 cores',
    measuredAt: 0,
    measurements: [
      { backend: 'wasm', trainImagesPerSecond: 212.4, note: null },
      { backend: 'webgpu', trainImagesPerSecond: 1999.6, note: null },
      { backend: 'webgl', trainImagesPerSecond: 375, note: null },
      { backend: 'cpu', trainImagesPerSecond: null, note: 'not measured, WebAssembly runs the same work faster' },
    ],
  };

  it('the most training images per second wins; unmeasured backends never do', () => {
    expect(fastestMeasured(measured.measurements)).toBe('webgpu');
    expect(fastestMeasured([{ backend: 'webgl', trainImagesPerSecond: null, note: 'renders in software here, not measured' }, { backend: 'wasm', trainImagesPerSecond: 150, note: null }])).toBe('wasm');
    expect(fastestMeasured([])).toBeNull();
  });

  it('says why, with every speed and every reason a backend was not measured', () => {
    expect(describePick(measured, 64)).toBe(
      'Fastest available, measured on this device for this network at batch 64: WebGPU, 2,000 images/s ' +
        '(WebAssembly: 212 images/s; WebGL: 375 images/s; CPU (plain JavaScript): not measured, WebAssembly runs the same work faster).',
    );
  });

  it('names two workers when WebAssembly trains split', () => {
    const pick: BackendPick = {
      backend: 'wasm',
      measurements: [
        { backend: 'wasm', trainImagesPerSecond: 290, note: null, workers: 2 },
        { backend: 'webgl', trainImagesPerSecond: null, note: 'renders in software here, not measured' },
      ],
      device: '2 cores',
      measuredAt: 0,
    };
    expect(describePick(pick, 32)).toBe(
      'Fastest available, measured on this device for this network at batch 32: WebAssembly on 2 workers, 290 images/s (WebGL: renders in software here, not measured).',
    );
  });

  it('keys by device and workload, not by the network’s name', () => {
    const key = pickKey(SMALL_SPEC, QUICK, 'device A');
    expect(pickKey({ ...SMALL_SPEC, name: 'renamed' }, QUICK, 'device A')).toBe(key);
    expect(pickKey(SMALL_SPEC, QUICK, 'device B')).not.toBe(key);
    expect(pickKey(SMALL_SPEC, { ...QUICK, batchSize: 128 }, 'device A')).not.toBe(key);
    expect(pickKey(TINY, QUICK, 'device A')).not.toBe(key);
  });
});

describe('the training engine measures the backends that start here', () => {
  let dataset: MnistDataset;
  beforeAll(async () => {
    dataset = await loadPreparedMnist();
  });

  it('measures WebAssembly, says why the others were not, switches to the winner and frees every tensor', async () => {
    const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() });
    await engine.start('cpu');
    await engine.ensureDataset(dataset);
    const before = tf.memory().numTensors;
    const outcome = await engine.pickFastest(TINY, QUICK, DEFAULT_AUGMENT);
    const byBackend = Object.fromEntries(outcome.pick.measurements.map((m) => [m.backend, m]));
    // Node has no GPU: WebAssembly is measured, the plain-JavaScript backend is not (WebAssembly runs).
    expect(byBackend.wasm.trainImagesPerSecond).toBeGreaterThan(0);
    expect(byBackend.webgpu.note).toBe('not available here');
    expect(byBackend.webgl.note).toBe('not available here');
    expect(byBackend.cpu.note).toMatch(/not measured/);
    expect(outcome.pick.backend).toBe('wasm');
    expect(outcome.info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(outcome.probe?.backend).toBe('wasm');
    expect(outcome.probe!.inferImagesPerSecond).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
  });

  it('the lab trains where the pick says, measures once per network, and the cell can say why', async () => {
    const state = createLabState({ modelSpec: TINY, backend: { active: 'cpu', preference: 'auto', available: ['cpu'], status: 'ready', error: null } });
    let picks = 0;
    const trainer = new LabTrainer(state, {
      createEngine: () => {
        const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() });
        const pickFastest = engine.pickFastest.bind(engine);
        engine.pickFastest = (...args) => {
          picks++;
          return pickFastest(...args);
        };
        return engine;
      },
      dataset: async () => dataset,
    });
    try {
      await trainer.estimate(TINY, QUICK);
      await trainer.estimate(TINY, { ...QUICK, trainSize: 2000 });
      expect(picks).toBe(1);
      expect(trainer.choice?.label).toMatch(/^WebAssembly/);
      expect(trainer.choice?.reason).toMatch(/^Fastest available, measured on this device for this network at batch 50: WebAssembly, [\d,]+ images\/s/);
      const run = await trainer.train(QUICK);
      expect(run.record.backend).toBe('WebAssembly');
      expect(picks).toBe(1);
      // Another batch size is another workload: measured again.
      await trainer.estimate(TINY, { ...QUICK, batchSize: 100 });
      expect(picks).toBe(2);
    } finally {
      trainer.dispose();
      state.set('model', null);
      await tf.setBackend('cpu');
    }
  });
});
