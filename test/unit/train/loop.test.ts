import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import { MODEL_SPEC_VERSION, type ModelSpec } from '../../../src/model/spec';
import { TrainControl } from '../../../src/train/control';
import { createTrainableModel } from '../../../src/model/compile';
import { evaluateIndices } from '../../../src/train/evaluate';
import { CHANCE_LOSS, trainModel } from '../../../src/train/loop';
import { trainAndEvaluate } from '../../../src/train/session';
import { DEFAULT_TRAIN, type TrainSettings } from '../../../src/train/settings';

// A one-layer net: fast enough in Node to run many times; the loop does not care how big the model is.
const TINY: ModelSpec = {
  version: MODEL_SPEC_VERSION,
  name: 'tiny',
  layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'softmax' }],
};
const QUICK: TrainSettings = { ...DEFAULT_TRAIN, trainSize: 1000, batchSize: 50, learningRate: 0.01, validationSplit: 0.1, augment: false };
const noWait = () => Promise.resolve();

let dataset: MnistDataset;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadPreparedMnist();
});

describe('trainAndEvaluate', () => {
  it('trains, validates each epoch, measures the test set, and leaves only the returned model in memory', async () => {
    const baseline = tf.memory().numTensors;
    const epochsSeen: number[] = [];
    let initial: { loss: number; accuracy: number } | null = null;
    const result = await trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: { ...QUICK, epochs: 2 },
      testLimit: 500,
      yieldToPage: noWait,
      onEpoch: (m) => epochsSeen.push(m.epoch),
      onInitialValidation: (v) => (initial = v),
    });
    // Before training the network guesses: about chance on the 100 validation images, far below after training.
    expect(initial!.accuracy).toBeLessThan(0.4);
    expect(initial!.loss).toBeGreaterThan(result.train.epochs[1].valLoss!);
    expect(result.train.outcome).toBe('completed');
    expect(epochsSeen).toEqual([1, 2]);
    expect(result.train.imagesSeen).toBe(2 * 900);
    expect(result.train.batchLoss).toHaveLength(2 * 18);
    expect(result.train.epochs[1].valAccuracy).toBeGreaterThan(0.6);
    expect(result.test?.count).toBe(500);
    const confusionTotal = result.test!.confusion.flat().reduce((a, b) => a + b, 0);
    expect(confusionTotal).toBe(500);
    expect(result.test!.misclassified).toHaveLength(500 - result.test!.correct);
    for (const m of result.test!.misclassified) expect(m.predicted).not.toBe(m.label);
    result.trainable!.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('stops in mid-epoch on Stop, keeps the history so far, and frees every tensor', async () => {
    const baseline = tf.memory().numTensors;
    const control = new TrainControl();
    const result = await trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: QUICK,
      control,
      yieldToPage: noWait,
      onBatch: (p) => {
        if (p.batch === 3) control.stop();
      },
    });
    expect(result.train.outcome).toBe('stopped');
    expect(result.train.message).toMatch(/Stopped by you/);
    expect(result.train.batchLoss).toHaveLength(3);
    expect(result.test).toBeNull();
    result.trainable!.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('Stop during the test keeps the trained model and says the test was not measured', async () => {
    const baseline = tf.memory().numTensors;
    const control = new TrainControl();
    const result = await trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: QUICK,
      control,
      testLimit: 1000,
      yieldToPage: noWait,
      onTestProgress: () => control.stop(),
    });
    expect(result.train.outcome).toBe('stopped');
    expect(result.train.message).toMatch(/during the test/);
    expect(result.train.imagesSeen).toBe(900);
    expect(result.test).toBeNull();
    expect(result.trainable).not.toBeNull();
    result.trainable!.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('returns to the tensor baseline after five runs in a row', async () => {
    const baseline = tf.memory().numTensors;
    for (let run = 0; run < 5; run++) {
      const result = await trainAndEvaluate({ spec: TINY, dataset, settings: { ...QUICK, seed: run, optimizer: (['adam', 'sgd', 'rmsprop'] as const)[run % 3] }, testLimit: 100, yieldToPage: noWait });
      expect(result.train.outcome).toBe('completed');
      result.trainable!.dispose();
    }
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('pauses between batches and carries on after Resume', async () => {
    const control = new TrainControl();
    let batches = 0;
    const run = trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: QUICK,
      control,
      testLimit: 100,
      yieldToPage: () => new Promise((r) => setTimeout(r, 1)),
      onBatch: (p) => {
        batches = p.batch;
        if (p.batch === 2) control.pause();
      },
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(batches).toBe(2);
    expect(control.paused).toBe(true);
    control.resume();
    const result = await run;
    expect(result.train.outcome).toBe('completed');
    expect(batches).toBe(18);
    result.trainable!.dispose();
  });

  it('acknowledges a Pause asked during a step only once that batch is reported (a step that awaits, as with two workers)', async () => {
    const trainable = createTrainableModel(TINY, { optimizer: 'adam', learningRate: 0.01 });
    const control = new TrainControl();
    let reported = 0;
    let reportedWhenSettled: number | null = null;
    const run = trainModel({
      model: trainable.model,
      dataset,
      settings: QUICK,
      control,
      yieldToPage: noWait,
      onBatch: (p) => (reported = p.batch),
      trainStep: async (xs, ys, step) => {
        const [loss, accuracy] = (await trainable.model.trainOnBatch(xs, ys)) as number[];
        // Pause asked while the third batch is in hand: its figures are not sent yet.
        if (step === 2) {
          control.pause();
          void control.batchSettled().then(() => (reportedWhenSettled = reported));
        }
        await new Promise((r) => setTimeout(r, 5));
        return [loss, accuracy];
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(reportedWhenSettled).toBe(3);
    expect(reported).toBe(3);
    control.resume();
    const result = await run;
    expect(result.outcome).toBe('completed');
    expect(reported).toBe(18);
    trainable.dispose();
  });

  it('stops by itself on a NaN loss, says why, and puts back the last weights that gave a finite loss', async () => {
    const baseline = tf.memory().numTensors;
    const trainable = createTrainableModel(TINY, { optimizer: 'adam', learningRate: 0.01 });
    let lastGood: Float32Array[] = [];
    const result = await trainModel({
      model: trainable.model,
      dataset,
      settings: QUICK,
      yieldToPage: noWait,
      onBatch: (p) => {
        if (p.batch === 2) lastGood = trainable.model.getWeights().map((w) => w.dataSync() as Float32Array);
        // Simulate a blow-up: the update of batch 3 leaves NaN weights, so batch 4's loss is NaN.
        if (p.batch === 3) {
          const nan = trainable.model.getWeights().map((w) => tf.fill(w.shape, Number.NaN));
          trainable.model.setWeights(nan);
          tf.dispose(nan);
        }
      },
    });
    expect(result.outcome).toBe('diverged');
    expect(result.message).toMatch(/loss became NaN .* batch 4.*learning rate \(0\.01\).*last good weights/);
    expect(result.batchLoss).toHaveLength(3);
    const restored = trainable.model.getWeights().map((w) => w.dataSync());
    expect(restored).toEqual(lastGood);
    trainable.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('stops a run whose loss runs away (learning rate 10) and says to lower the learning rate', async () => {
    const baseline = tf.memory().numTensors;
    const result = await trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: { ...QUICK, optimizer: 'sgd', learningRate: 10 },
      testLimit: 100,
      yieldToPage: noWait,
    });
    expect(result.train.outcome).toBe('diverged');
    expect(result.train.message).toMatch(/far above .* random guessing.*learning rate \(10\) is too high/);
    expect(result.train.batchLoss.length).toBeLessThan(18);
    expect(result.train.message).toMatch(/last good weights were kept/);
    // The weights put back give a sane loss again, not the runaway one.
    const split = dataset.trainValidationSplit(QUICK.validationSplit, QUICK.seed, QUICK.trainSize);
    const { loss } = await evaluateIndices(result.trainable!.model, dataset, split.validation);
    expect(loss).toBeLessThan(3 * CHANCE_LOSS);
    result.trainable!.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('stops with a message when the GPU context is lost, and frees the model', async () => {
    const baseline = tf.memory().numTensors;
    let lose: (() => void) | null = null;
    let unwatched = false;
    const result = await trainAndEvaluate({
      spec: TINY,
      dataset,
      settings: QUICK,
      yieldToPage: noWait,
      watchContextLoss: (onLost) => {
        lose = onLost;
        return () => (unwatched = true);
      },
      onBatch: (p) => {
        if (p.batch === 2) lose?.();
      },
    });
    expect(result.train.outcome).toBe('context-lost');
    expect(result.train.message).toMatch(/GPU context was lost/);
    expect(result.train.batchLoss).toHaveLength(2);
    expect(result.trainable).toBeNull();
    expect(unwatched).toBe(true);
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
