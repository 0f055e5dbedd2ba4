import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { LabModel } from '../../../src/model/lab-model';
import { buildModel } from '../../../src/model/build';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { createLabState, type LabState } from '../../../src/state/lab-state';
import { createInProcessEngine } from '../../../src/train/engine';
import { loadRunKerasWeights } from '../../../src/export/model-data';
import type { ModelData } from '../../../src/model/artifacts';
import { variableName } from '../../../src/model/variable-name';
import { loadModelData, runModelKey } from '../../../src/state/model-store';
import { measureRunIfStopped, useRunModel } from '../../../src/train/lab-models';
import { LabTrainer } from '../../../src/train/lab-trainer';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';

const TINY: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'tiny',
  layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
};
const QUICK: TrainSettings = { ...DEFAULT_TRAIN, trainSize: 1000, batchSize: 50, learningRate: 0.01, validationSplit: 0.1, augment: false };

/** A network with batch norm, small enough for Node. */
const WITH_BATCH_NORM: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'tiny-bn',
  layers: [
    { type: 'conv2d', filters: 4, kernelSize: 3, strides: 2, padding: 'same' },
    { type: 'batchNorm' },
    { type: 'activation', activation: 'relu' },
    { type: 'flatten' },
    { type: 'dense', units: 10, activation: 'softmax' },
  ],
};

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

/** The moving variance of a stored model's one batch-norm layer (float32 weights only). */
function movingVariance(data: ModelData): number[] {
  let offset = 0;
  for (const spec of data.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.name.endsWith('moving_variance')) return Array.from(new Float32Array(data.weightData.slice(offset * 4, (offset + size) * 4)));
    offset += size;
  }
  throw new Error('The stored model has no moving variance.');
}

/** The first convolution's kernel in a stored model. */
function firstKernel(data: ModelData): number[] {
  const size = data.weightSpecs[0].shape.reduce((a, b) => a * b, 1);
  return Array.from(new Float32Array(data.weightData.slice(0, size * 4)));
}

/** A run of WITH_BATCH_NORM stopped after 5 steps. */
async function stoppedBatchNormRun(state: LabState, trainer: LabTrainer) {
  state.set('modelSpec', WITH_BATCH_NORM);
  const running = trainer.train({ ...QUICK, trainSize: 5000, seed: 3 });
  await until(() => (trainer.live?.loss.length ?? 0) >= 5);
  await trainer.stop();
  return running;
}

let dataset: MnistDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
});

function labWithTrainer() {
  const state = createLabState({ modelSpec: TINY, backend: { active: 'cpu', preference: 'cpu', available: ['cpu'], status: 'ready', error: null } });
  const trainer = new LabTrainer(state, { createEngine: () => createInProcessEngine(), dataset: async () => dataset });
  return { state, trainer };
}

describe('LabTrainer: every run keeps its model; only a completed run replaces the lab’s model', () => {
  it('a diverging run is recorded with its model but never installed; a completed one is, and says what it replaced', async () => {
    const { state, trainer } = labWithTrainer();
    const previous = new LabModel(buildModel(TINY), 'uploaded', 'a model the learner uploaded');
    state.set('model', previous);

    const diverged = await trainer.train({ ...QUICK, optimizer: 'sgd', learningRate: 10 });
    expect(diverged.record.outcome).toBe('diverged');
    expect(diverged.installed).toBe(false);
    expect(state.get('model')).toBe(previous);
    expect(state.get('runs')).toHaveLength(1);
    // Node has no IndexedDB: the weights are kept in memory, and the run says so.
    expect(diverged.record.modelKept).toBe('memory');
    expect(diverged.storageNote).toMatch(/could not be stored/);

    const completed = await trainer.train(QUICK);
    expect(completed.record.outcome).toBe('completed');
    expect(completed.installed).toBe(true);
    expect(completed.previous?.description).toBe('a model the learner uploaded');
    const model = state.get('model')!;
    expect(model.runId).toBe(completed.record.id);
    expect(model.testAccuracy).toBe(completed.record.testAccuracy);
    expect(model.description).toMatch(/^run 2: tiny net trained on 900 images/);
    expect(state.get('training').phase).toBe('idle');

    // The diverged run's model can still be chosen by the learner.
    await useRunModel(state, diverged.record.id);
    expect(state.get('model')!.runId).toBe(diverged.record.id);
    trainer.dispose();
    state.set('model', null);
  });

  it('five runs, then “Use this model” on run 2: its model and accuracy; tensors back to the baseline', async () => {
    const { state, trainer } = labWithTrainer();
    const baseline = tf.memory().numTensors;
    for (let seed = 1; seed <= 5; seed++) await trainer.train({ ...QUICK, seed });
    const runs = state.get('runs');
    expect(runs).toHaveLength(5);
    const { model: labModel, note } = await useRunModel(state, runs[1].id);
    expect(note).toBeNull();
    expect(labModel.runId).toBe(runs[1].id);
    expect(labModel.testAccuracy).toBe(runs[1].testAccuracy);
    // Only the lab's model (dense kernel + bias) is left.
    expect(tf.memory().numTensors).toBe(baseline + 2);
    state.set('model', null);
    expect(tf.memory().numTensors).toBe(baseline);
    trainer.dispose();
  });

  it('“Use this model” on a run stopped mid-epoch measures its batch-norm statistics first, keeps them, and says so', async () => {
    const { state, trainer } = labWithTrainer();
    const baseline = tf.memory().numTensors;
    const stopped = await stoppedBatchNormRun(state, trainer);
    expect(stopped.record.outcome).toBe('stopped');
    expect(stopped.record.batchNormMeasured).toBe(false);
    expect(stopped.installed).toBe(false);
    const kept = (await loadModelData(runModelKey(stopped.record.id)))!;
    // After a few steps at momentum 0.99 the running variance is still close to its start, 1.
    expect(movingVariance(kept).every((v) => Math.abs(v - 1) < 0.1)).toBe(true);

    const { model: labModel, note } = await useRunModel(state, stopped.record.id, { dataset: async () => dataset });
    expect(note).toBe(
      'Run 1 was stopped before it measured its batch-norm statistics, so the lab measured them now over 512 training images: its model now scores what it learned.',
    );
    expect(labModel.runId).toBe(stopped.record.id);
    // The statistics the lab now holds are those of the images, measured: stored in place of the kept ones.
    const stored = (await loadModelData(runModelKey(stopped.record.id)))!;
    const measured = movingVariance(stored);
    expect(measured.some((v) => Math.abs(v - 1) > 0.1)).toBe(true);
    const layer = labModel.model.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const variance = layer.weights.find((w) => variableName(w.name) === 'moving_variance')!.read();
    expect(Array.from(await variance.data())).toEqual(measured);
    expect(state.get('runs')[0].batchNormMeasured).toBe(true);
    // The trained weights are the kept ones.
    expect(firstKernel(stored)).toEqual(firstKernel(kept));

    // Used again: nothing left to measure.
    expect((await useRunModel(state, stopped.record.id, { dataset: async () => dataset })).note).toBeNull();
    state.set('model', null);
    expect(tf.memory().numTensors).toBe(baseline);
    trainer.dispose();
  });

  it('the Keras export of a stopped run measures its batch-norm statistics first and exports those', async () => {
    const { state, trainer } = labWithTrainer();
    const baseline = tf.memory().numTensors;
    const stopped = await stoppedBatchNormRun(state, trainer);
    const note = await measureRunIfStopped(state, stopped.record.id, { dataset: async () => dataset });
    expect(note).toMatch(/^Run 1 was stopped before it measured its batch-norm statistics/);
    const exported = await loadRunKerasWeights(stopped.record.id);
    const variance = exported.find((w) => w.name.endsWith('/moving_variance'))!;
    expect(Array.from(variance.values)).toEqual(movingVariance((await loadModelData(runModelKey(stopped.record.id)))!));
    expect(Array.from(variance.values).some((v) => Math.abs(v - 1) > 0.1)).toBe(true);
    expect(state.get('runs')[0].batchNormMeasured).toBe(true);
    // The lab's model is not changed by an export, and a second export measures nothing.
    expect(state.get('model')).toBeNull();
    expect(await measureRunIfStopped(state, stopped.record.id, { dataset: async () => dataset })).toBeNull();
    expect(tf.memory().numTensors).toBe(baseline);
    trainer.dispose();
  });

  it('refuses settings out of range with the form’s message and starts nothing', async () => {
    const { state, trainer } = labWithTrainer();
    await expect(trainer.train({ ...QUICK, batchSize: 0 })).rejects.toThrow(/Nothing was started: Batch size must be from 1/);
    expect(state.get('runs')).toHaveLength(0);
    expect(trainer.busy).toBe(false);
  });
});
