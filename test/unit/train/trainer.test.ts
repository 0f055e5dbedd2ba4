import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUGMENT } from '../../../src/augment/settings';
import { nodeWasmPaths } from '../../../src/backend/node-wasm';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { modelFromData } from '../../../src/model/artifacts';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { createInProcessEngine } from '../../../src/train/engine';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';
import type { RunEvent } from '../../../src/train/trainer';

// Small but with every source of randomness a run has: initial weights, dropout, augmentation, shuffling, the split.
const SPEC: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'seeded',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 1, padding: 'valid', activation: 'relu' },
    { type: 'maxPool2d', poolSize: 2 },
    { type: 'batchNorm' },
    { type: 'dropout', rate: 0.25 },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};
const SETTINGS: TrainSettings = { ...DEFAULT_TRAIN, trainSize: 1000, batchSize: 50, learningRate: 0.01, validationSplit: 0.1, augment: true, seed: 7 };

let dataset: MnistDataset;
beforeAll(async () => {
  dataset = await loadPreparedMnist();
});

/**
 * A short run (225 training images, 5 batches): the engine takes sizes below the form's minimum. Every batch costs
 * about half a second on the cpu backend, and what these tests check does not grow with the number of batches.
 */
const SHORT: TrainSettings = { ...SETTINGS, trainSize: 250 };

async function runLosses(backend: 'cpu' | 'wasm', settings: TrainSettings): Promise<number[]> {
  const engine = createInProcessEngine({ wasmPaths: nodeWasmPaths() });
  await engine.start(backend);
  await engine.ensureDataset(dataset);
  const outcome = await engine.run({ spec: SPEC, settings, augmentation: DEFAULT_AUGMENT, testLimit: 100 }, () => {});
  expect(outcome.train.outcome).toBe('completed');
  return outcome.train.batchLoss;
}

const maxDifference = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i])));

describe.each(['cpu', 'wasm'] as const)('runs repeat exactly on %s', (backend) => {
  it('the same settings and seed log the same loss at every batch; another seed differs', async () => {
    const first = await runLosses(backend, SHORT);
    const second = await runLosses(backend, SHORT);
    expect(first).toHaveLength(5);
    expect(second).toHaveLength(5);
    expect(maxDifference(first, second)).toBeLessThanOrEqual(1e-5);
    const other = await runLosses(backend, { ...SHORT, seed: 8 });
    expect(maxDifference(first, other)).toBeGreaterThan(1e-3);
  });
});

describe('the training engine (in-process, as in the worker)', () => {
  it('streams progress, returns the weights as plain data, and leaves no tensor behind after runs and a stop', async () => {
    const engine = createInProcessEngine();
    await engine.start('cpu');
    await engine.ensureDataset(dataset);
    const baseline = (await engine.memory()).numTensors;
    const events: RunEvent['type'][] = [];
    const outcome = await engine.run({ spec: SPEC, settings: { ...SHORT, epochs: 2 }, augmentation: DEFAULT_AUGMENT, testLimit: 200 }, (e) => events.push(e.type));
    // How the backend runs this run first (threads, workers), then the curve's start.
    expect(events.slice(0, 2)).toEqual(['engine', 'initial-validation']);
    expect(outcome.workers).toBe(1);
    expect(events.filter((e) => e === 'batch')).toHaveLength(10);
    expect(events.filter((e) => e === 'epoch')).toHaveLength(2);
    expect(events).toContain('test-progress');
    expect(outcome.train.batchNormRecalibrated).toBe(true);
    expect(outcome.test?.count).toBe(200);
    expect(outcome.model?.weightData.byteLength).toBeGreaterThan(0);
    expect((await engine.memory()).numTensors).toBe(baseline);

    // The weights rebuild into the same model: the same test predictions.
    const rebuilt = await modelFromData(outcome.model!);
    const batch = dataset.batch('test', Int32Array.from({ length: 200 }, (_, i) => i));
    const predicted = tf.tidy(() => (rebuilt.predict(batch.xs) as tf.Tensor).argMax(-1));
    const labels = Array.from(await predicted.data());
    const correct = labels.reduce((n, p, i) => n + (p === dataset.label('test', i) ? 1 : 0), 0);
    expect(correct).toBe(outcome.test!.correct);
    tf.dispose([predicted, batch.xs, batch.ys]);
    rebuilt.dispose();

    // Stop in mid-epoch: the run ends at the next batch, keeps what it learned, and frees everything.
    let batches = 0;
    const stopped = await engine.run({ spec: SPEC, settings: { ...SETTINGS, trainSize: 5000, validationSplit: 0 }, augmentation: DEFAULT_AUGMENT }, (e) => {
      if (e.type === 'batch' && ++batches === 3) void engine.stop();
    });
    expect(stopped.train.outcome).toBe('stopped');
    expect(stopped.train.batchLoss).toHaveLength(3);
    expect(stopped.test).toBeNull();
    expect(stopped.model).not.toBeNull();
    expect((await engine.memory()).numTensors).toBe(baseline);
  }, 300_000);

  it('measures this device: training and inference images per second', async () => {
    const engine = createInProcessEngine();
    await engine.start('cpu');
    await engine.ensureDataset(dataset);
    const baseline = (await engine.memory()).numTensors;
    const probe = await engine.probe(SPEC, SETTINGS, DEFAULT_AUGMENT);
    expect(probe.backend).toBe('cpu');
    expect(probe.trainImagesPerSecond).toBeGreaterThan(0);
    expect(probe.inferImagesPerSecond).toBeGreaterThan(probe.trainImagesPerSecond);
    expect(probe.setupSeconds).toBeGreaterThanOrEqual(0);
    expect((await engine.memory()).numTensors).toBe(baseline);
  });
});
