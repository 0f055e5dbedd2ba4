import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT } from '../../../src/augment/settings';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { PeerTrainer } from '../../../src/train/data-parallel';
import { createInProcessEngine, type TrainingEngine } from '../../../src/train/engine';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';
import { TrainerService, type RunEvent } from '../../../src/train/trainer';

// The training engine's data-parallel mode, with the gradient peer on this thread (Node starts no Web Workers):
// the same code path as the browser's, where the peer is gradient.worker.ts.
const SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'split',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'batchNorm' },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const SETTINGS: TrainSettings = { ...DEFAULT_TRAIN, trainSize: 500, batchSize: 50, learningRate: 0.01, validationSplit: 0.1, augment: true, seed: 7 };

let dataset: MnistDataset;
let peersStarted = 0;
beforeAll(async () => {
  dataset = await loadPreparedMnist();
});

async function engineWithPeer(): Promise<TrainingEngine> {
  const service = new TrainerService(undefined, {
    cores: 2,
    startPeer: async () => {
      peersStarted++;
      return Object.assign(new PeerTrainer(), { terminate: () => {} });
    },
  });
  const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() }, service);
  await engine.start('wasm');
  await engine.ensureDataset(dataset);
  return engine;
}

describe('the training engine with two workers (data-parallel, on WASM)', () => {
  it('trains split when asked, says so, repeats exactly with the same seed, and frees every tensor', async () => {
    const engine = await engineWithPeer();
    const baseline = (await engine.memory()).numTensors;
    const details: string[] = [];
    const run = () => engine.run({ spec: SPEC, settings: SETTINGS, augmentation: DEFAULT_AUGMENT, testLimit: 200, workers: 2 }, (e: RunEvent) => e.type === 'engine' && details.push(e.detail));
    const first = await run();
    const second = await run();
    expect(first.workers).toBe(2);
    expect(details[0]).toContain('2 workers');
    expect(first.train.outcome).toBe('completed');
    expect(first.train.batchLoss).toHaveLength(9);
    expect(second.train.batchLoss).toEqual(first.train.batchLoss);
    expect(second.test?.accuracy).toBe(first.test?.accuracy);
    expect(first.test!.accuracy).toBeGreaterThan(0.5);
    expect((await engine.memory()).numTensors).toBe(baseline);
    // One peer for the engine's life, not one per run.
    expect(peersStarted).toBe(1);
  });

  it('learns as well split as on one worker (same settings and seed)', async () => {
    const engine = await engineWithPeer();
    const settings = { ...SETTINGS, trainSize: 2000 };
    const one = await engine.run({ spec: SPEC, settings, augmentation: DEFAULT_AUGMENT, testLimit: 1000, workers: 1 }, () => {});
    const two = await engine.run({ spec: SPEC, settings, augmentation: DEFAULT_AUGMENT, testLimit: 1000, workers: 2 }, () => {});
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    // Not the same numbers (batch norm sees halves, dropout other masks), the same skill.
    expect(two.train.batchLoss).not.toEqual(one.train.batchLoss);
    expect(Math.abs(two.test!.accuracy - one.test!.accuracy)).toBeLessThan(0.04);
  });

  it('by default measures both ways once per workload and trains the faster', async () => {
    const engine = await engineWithPeer();
    const probe = await engine.probe(SPEC, SETTINGS, DEFAULT_AUGMENT);
    expect([1, 2]).toContain(probe.workers);
    const outcome = await engine.run({ spec: SPEC, settings: SETTINGS, augmentation: DEFAULT_AUGMENT, testLimit: 100 }, () => {});
    expect(outcome.workers).toBe(probe.workers);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('trains on one worker where there is one core', async () => {
    const service = new TrainerService(undefined, { cores: 1, startPeer: async () => Object.assign(new PeerTrainer(), { terminate: () => {} }) });
    const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() }, service);
    await engine.start('wasm');
    await engine.ensureDataset(dataset);
    const outcome = await engine.run({ spec: SPEC, settings: SETTINGS, augmentation: DEFAULT_AUGMENT, testLimit: 100, workers: 2 }, () => {});
    expect(outcome.workers).toBe(1);
  });
});
