import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../augment/augment';
import type { AugmentSettings } from '../augment/settings';
import type { MnistDataset } from '../data/mnist';
import { seededRandom } from '../data/random';
import { recalibrateBatchNorm } from './batchnorm';
import { TrainControl } from './control';
import type { TrainSettings } from './settings';

export type TrainOutcomeKind = 'completed' | 'stopped' | 'diverged' | 'context-lost';

export interface EpochMetrics {
  epoch: number;
  /** Mean training loss and accuracy over the epoch's batches. */
  loss: number;
  accuracy: number;
  /** Null when no validation images were held back. */
  valLoss: number | null;
  valAccuracy: number | null;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  /** 1-based batch within the epoch. */
  batch: number;
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  imagesSeen: number;
  imagesTotal: number;
  imagesPerSecond: number;
  /** Estimated seconds until the last epoch ends, or null before the speed is known. */
  secondsLeft: number | null;
}

export interface TrainOptions {
  /** A compiled model (loss categoricalCrossentropy, metric accuracy); the caller owns and disposes it. */
  model: tf.LayersModel;
  dataset: MnistDataset;
  settings: TrainSettings;
  /** Augmentation parameters, used when settings.augment is on. */
  augmentation?: AugmentSettings;
  control?: TrainControl;
  /** Registers a callback for a lost GPU context and returns its unregister function (the page wires the DOM event). */
  watchContextLoss?: (onLost: () => void) => () => void;
  /**
   * Trains one batch in place of `model.trainOnBatch` (same result: the batch's loss and accuracy), e.g. split
   * across workers (data-parallel.ts). Dropout is seeded for the step before it is called.
   */
  trainStep?: (xs: tf.Tensor, ys: tf.Tensor, step: number) => Promise<[number, number]>;
  /** Lets the page breathe between batches; tf.nextFrame by default. */
  yieldToPage?: () => Promise<void>;
  onBatch?: (progress: TrainProgress) => void;
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Validation loss and accuracy of the untrained network (the start of the per-epoch curve). */
  onInitialValidation?: (metrics: { loss: number; accuracy: number }) => void;
  now?: () => number;
}

export interface TrainResult {
  outcome: TrainOutcomeKind;
  /** What happened, in a sentence for the learner. */
  message: string;
  batchLoss: number[];
  batchAccuracy: number[];
  epochs: EpochMetrics[];
  imagesSeen: number;
  /** Training time without pauses. */
  durationMs: number;
  /** Whether batch-norm statistics were re-estimated over training images after the last batch. */
  batchNormRecalibrated: boolean;
}

const VALIDATION_BATCH = 256;
/** Cross-entropy of guessing uniformly among 10 digits: a learning network stays well below it. */
export const CHANCE_LOSS = Math.log(10);
/** A mean loss this many times the chance loss over this many batches means the run is diverging. */
const RUNAWAY_FACTOR = 3;
const RUNAWAY_WINDOW = 10;

/** Mean loss and accuracy of `model` on some training-set images, in batches; every tensor is freed. */
export async function evaluateIndices(model: tf.LayersModel, dataset: MnistDataset, indices: Int32Array, batchSize = VALIDATION_BATCH): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (const batch of dataset.batches('train', indices, batchSize)) {
    const sums = tf.tidy(() => {
      const probs = model.predict(batch.xs) as tf.Tensor2D;
      const loss = tf.metrics.categoricalCrossentropy(batch.ys, probs).sum();
      const hits = tf.equal(probs.argMax(-1), batch.ys.argMax(-1)).sum();
      return tf.stack([loss, hits.toFloat()]);
    });
    batch.xs.dispose();
    batch.ys.dispose();
    const [l, c] = await sums.data();
    sums.dispose();
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / indices.length, accuracy: correct / indices.length };
}

/**
 * Gives every dropout layer a seed for this step: a run with the same seed drops the same units at every step,
 * and each step drops different ones (a fixed seed on the layer would repeat one mask for the whole run).
 */
export function seedDropout(model: tf.LayersModel, runSeed: number, step: number): void {
  model.layers.forEach((layer, i) => {
    // tfjs keeps a dropout layer's seed in a field its typings mark private; it reads it on every call.
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = (Math.imul(runSeed ^ 0x9e3779b9, 31) + step * 131 + i) >>> 0;
  });
}

function snapshot(model: tf.LayersModel): tf.Tensor[] {
  // clone() shares the variable's buffer: the optimizer assigns new buffers, so this costs no copy.
  return model.weights.map((w) => tf.clone(w.read()));
}

/**
 * Trains `model` batch by batch (trainOnBatch), yielding to the page between batches, with pause/resume/stop.
 * A NaN or infinite loss stops the run and puts back the last weights that gave a finite loss. A lost GPU
 * context stops it too. Never throws for those: the result says what happened. Every tensor it makes is freed.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { model, dataset, settings } = options;
  const control = options.control ?? new TrainControl();
  const now = options.now ?? (() => performance.now());
  const yieldToPage = options.yieldToPage ?? (() => tf.nextFrame());
  const split = dataset.trainValidationSplit(settings.validationSplit, settings.seed, settings.trainSize);
  if (split.train.length === 0) throw new RangeError('No training images left after the validation split.');
  const batchesPerEpoch = Math.ceil(split.train.length / settings.batchSize);
  const imagesTotal = split.train.length * settings.epochs;
  const random = seededRandom(settings.seed ^ 0x5eed);

  let contextLost = false;
  const unwatch = options.watchContextLoss?.(() => {
    contextLost = true;
    control.stop('The GPU context was lost (the browser reset the graphics card), so training stopped. Your run history is kept; train again to continue.');
  });

  const batchLoss: number[] = [];
  const batchAccuracy: number[] = [];
  const epochs: EpochMetrics[] = [];
  let imagesSeen = 0;
  let outcome: TrainOutcomeKind = 'completed';
  let message = '';
  let start = now();
  const activeMs = () => now() - start - control.pausedMs;
  // Weights that gave a finite loss: put back if the run diverges.
  let good: tf.Tensor[] | null = null;
  let step = 0;
  let batchNormRecalibrated = false;

  try {
    if (split.validation.length > 0 && options.onInitialValidation) {
      options.onInitialValidation(await evaluateIndices(model, dataset, split.validation));
      start = now(); // speed and duration count training only
    }
    epochLoop: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      let epochLoss = 0;
      let epochHits = 0;
      let epochCount = 0;
      let batchIndex = 0;
      for (const batch of dataset.batches('train', split.train, settings.batchSize, settings.seed + epoch)) {
        let xs = batch.xs;
        let pending: tf.Tensor[] | null = null;
        try {
          await control.waitWhilePaused();
          if (control.stopped) break epochLoop;
          if (settings.augment && options.augmentation) {
            const augmented = augmentBatch(xs, options.augmentation, random);
            xs.dispose();
            xs = augmented;
          }
          pending = snapshot(model);
          seedDropout(model, settings.seed, step);
          const logs = options.trainStep ? await options.trainStep(xs, batch.ys, step) : ((await model.trainOnBatch(xs, batch.ys)) as number[]);
          step++;
          const [loss, accuracy] = logs;
          if (contextLost) break epochLoop;
          if (!Number.isFinite(loss)) {
            if (good) model.setWeights(good);
            outcome = 'diverged';
            message =
              `The loss became ${Number.isNaN(loss) ? 'NaN (not a number)' : 'infinite'} at epoch ${epoch}, batch ${batchIndex + 1}: ` +
              `the learning rate (${settings.learningRate}) is probably too high. Training stopped and the last good weights were kept.`;
            break epochLoop;
          }
          const recent = batchLoss.slice(-(RUNAWAY_WINDOW - 1));
          const recentMean = (recent.reduce((a, b) => a + b, 0) + loss) / (recent.length + 1);
          if (recent.length === RUNAWAY_WINDOW - 1 && recentMean > RUNAWAY_FACTOR * CHANCE_LOSS) {
            // tfjs clips probabilities, so a blown-up softmax net often shows a huge finite loss instead of NaN.
            if (good) model.setWeights(good);
            outcome = 'diverged';
            message =
              `The loss climbed to ${recentMean.toFixed(1)}, far above the ${CHANCE_LOSS.toFixed(1)} of random guessing, at epoch ${epoch}, batch ${batchIndex + 1}: ` +
              `the learning rate (${settings.learningRate}) is too high and training is diverging. Training stopped, the last good weights were kept; try a smaller learning rate.`;
            break epochLoop;
          }
          // Weights before a batch whose loss was sane are a safe point to go back to.
          if (loss <= RUNAWAY_FACTOR * CHANCE_LOSS) {
            if (good) tf.dispose(good);
            good = pending;
            pending = null;
          }
          batchIndex++;
          imagesSeen += batch.indices.length;
          epochLoss += loss * batch.indices.length;
          epochHits += accuracy * batch.indices.length;
          epochCount += batch.indices.length;
          batchLoss.push(loss);
          batchAccuracy.push(accuracy);
          const elapsed = activeMs() / 1000;
          const imagesPerSecond = elapsed > 0 ? imagesSeen / elapsed : 0;
          options.onBatch?.({
            epoch,
            epochs: settings.epochs,
            batch: batchIndex,
            batchesPerEpoch,
            loss,
            accuracy,
            imagesSeen,
            imagesTotal,
            imagesPerSecond,
            secondsLeft: imagesPerSecond > 0 ? (imagesTotal - imagesSeen) / imagesPerSecond : null,
          });
          await yieldToPage();
        } finally {
          if (pending) tf.dispose(pending);
          xs.dispose();
          batch.ys.dispose();
        }
      }
      let val: { loss: number; accuracy: number } | null = null;
      if (control.stopped) break;
      // Validation scores the network as it would answer now: batch-norm statistics measured first (see batchnorm.ts).
      batchNormRecalibrated = await recalibrateBatchNorm(model, dataset, split.train, control.signal);
      if (contextLost) break;
      if (split.validation.length > 0) {
        val = await evaluateIndices(model, dataset, split.validation);
        if (contextLost) break;
      }
      const metrics: EpochMetrics = {
        epoch,
        loss: epochLoss / epochCount,
        accuracy: epochHits / epochCount,
        valLoss: val?.loss ?? null,
        valAccuracy: val?.accuracy ?? null,
      };
      epochs.push(metrics);
      options.onEpoch?.(metrics);
    }
  } finally {
    if (good) tf.dispose(good);
    unwatch?.();
  }
  if (contextLost) {
    outcome = 'context-lost';
    message = control.reason;
  } else if (outcome === 'completed' && control.stopped) {
    outcome = 'stopped';
    message = `${control.reason} The model keeps what it learned from ${imagesSeen.toLocaleString('en-US')} images.`;
  } else if (outcome === 'completed') {
    message = `Trained on ${imagesSeen.toLocaleString('en-US')} images in ${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'}.`;
  }
  // Only a run that ended at an epoch's end has statistics for its final weights.
  if (outcome !== 'completed' || control.stopped) batchNormRecalibrated = false;
  return { outcome, message, batchLoss, batchAccuracy, epochs, imagesSeen, durationMs: activeMs(), batchNormRecalibrated };
}
