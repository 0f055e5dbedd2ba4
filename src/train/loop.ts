import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../augment/augment';
import { isGpuBackend } from '../backend/backend';
import type { AugmentSettings } from '../augment/settings';
import { batchOrder, type MnistDataset } from '../data/mnist';
import { seededRandom } from '../data/random';
import { recalibrateBatchNorm, type RecalibrationPeer } from './batchnorm';
import { TrainControl } from './control';
import { evaluateIndices } from './evaluate';
import { ReadbackPacer, readScalars } from './readback';
import { DeviceDropout } from './device-dropout';
import { ResidentImages } from './resident-data';
import { runSplit, type TrainSettings } from './settings';
import { trainStepOnDevice } from './step';

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
  /** A compiled model (its optimizer takes the steps; loss categorical cross-entropy); the caller owns and disposes it. */
  model: tf.LayersModel;
  dataset: MnistDataset;
  settings: TrainSettings;
  /** Augmentation parameters, used when settings.augment is on. */
  augmentation?: AugmentSettings;
  control?: TrainControl;
  /** Registers a callback for a lost GPU context and returns its unregister function (the page wires the DOM event). */
  watchContextLoss?: (onLost: () => void) => () => void;
  /**
   * Trains one batch in place of the optimizer step (same result: the batch's loss and accuracy), e.g. split
   * across workers (data-parallel.ts). Dropout is seeded for the step before it is called.
   */
  trainStep?: (xs: tf.Tensor, ys: tf.Tensor, step: number) => Promise<[number, number]>;
  /** Shares the end-of-epoch batch-norm measurement with the trainStep's peer (batchnorm.ts). */
  recalibrationPeer?: RecalibrationPeer;
  /**
   * Batches trained between reads of their losses: 'auto' (the default) reads every batch on a CPU backend and
   * about every 150 ms on a GPU (readback.ts). Progress, NaN checks and Pause act at each read.
   */
  readbackEvery?: number | 'auto';
  /** Keeps the run's images on the device and gathers each batch there (resident-data.ts); by default on a GPU. */
  residentData?: boolean;
  /** Dropout masks from random numbers kept on the device (device-dropout.ts); by default on a GPU. */
  deviceDropout?: boolean;
  /** Lets the page breathe between reads of the losses; tf.nextFrame by default. */
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

/** Cross-entropy of guessing uniformly among 10 digits: a learning network stays well below it. */
export const CHANCE_LOSS = Math.log(10);
/** A mean loss this many times the chance loss over this many batches means the run is diverging. */
const RUNAWAY_FACTOR = 3;
const RUNAWAY_WINDOW = 10;

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

/** A trained batch whose loss and accuracy may still be on the device. */
interface UnreadBatch {
  loss: tf.Scalar | number;
  /** Images the network got right (a count, not a fraction). */
  hits: tf.Scalar | number;
  images: number;
  epoch: number;
  /** 1-based, within the epoch. */
  batch: number;
}

/** The loss and hit count of each batch, reading the device once for all of them; frees their tensors. */
async function readBatches(unread: UnreadBatch[]): Promise<(UnreadBatch & { loss: number; hits: number })[]> {
  const batches = unread.splice(0);
  const values = await readScalars(batches.flatMap((u) => [u.loss, u.hits].filter((v): v is tf.Scalar => typeof v !== 'number')));
  let at = 0;
  const value = (v: tf.Scalar | number) => (typeof v === 'number' ? v : values[at++]);
  return batches.map((u) => ({ ...u, loss: value(u.loss), hits: value(u.hits) }));
}

function disposeUnread(unread: UnreadBatch[]): void {
  for (const u of unread) tf.dispose([u.loss, u.hits].filter((v): v is tf.Scalar => typeof v !== 'number'));
  unread.length = 0;
}

/**
 * Trains `model` batch by batch, yielding to the page between reads of the losses, with pause/resume/stop.
 * On a GPU the batches' losses stay on the device for a few batches (readback.ts), the images stay there for the
 * whole run (resident-data.ts), and so do dropout's random numbers (device-dropout.ts): the GPU is not kept
 * waiting by the page.
 * A NaN or infinite loss stops the run and puts back the last weights that gave a finite loss. A lost GPU
 * context stops it too. Never throws for those: the result says what happened. Every tensor it makes is freed.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { model, dataset, settings } = options;
  const control = options.control ?? new TrainControl();
  const now = options.now ?? (() => performance.now());
  const yieldToPage = options.yieldToPage ?? (() => tf.nextFrame());
  const split = runSplit(dataset, settings);
  if (split.train.length === 0) throw new RangeError('No training images left after the validation split.');
  const batchesPerEpoch = Math.ceil(split.train.length / settings.batchSize);
  const imagesTotal = split.train.length * settings.epochs;
  const random = seededRandom(settings.seed ^ 0x5eed);
  const onGpu = isGpuBackend(tf.getBackend());
  const pacer = new ReadbackPacer(options.trainStep ? 1 : (options.readbackEvery ?? 'auto'), onGpu);
  // The optimizer the model was compiled with (createTrainableModel) takes each step.
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  if (!options.trainStep && !optimizer) throw new Error('trainModel needs a compiled model (one with an optimizer) or a trainStep.');

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
  // Weights before the unread batches (`unreadStart`), and the last weights known to give a sane loss (`good`):
  // the loss of a batch is measured on the weights before it, so these are what a diverging run puts back.
  let good: tf.Tensor[] | null = null;
  let unreadStart: tf.Tensor[] | null = null;
  const unread: UnreadBatch[] = [];
  let unreadSince = 0;
  let step = 0;
  let batchNormRecalibrated = false;
  let resident: ResidentImages | null = null;
  let dropout: DeviceDropout | null = null;
  let epochLoss = 0;
  let epochHits = 0;
  let epochCount = 0;

  /** Reads the unread batches, checks each loss in order, reports progress. False when the run diverged. */
  const readUnread = async (): Promise<boolean> => {
    if (unread.length === 0) return true;
    const read = await readBatches(unread);
    pacer.measured(read.length, now() - unreadSince);
    // The weights before these batches gave the first one's loss: a safe point to go back to if that loss was sane.
    const saneStart = read[0].loss <= RUNAWAY_FACTOR * CHANCE_LOSS;
    for (const [i, { loss, hits, epoch, batch, images }] of read.entries()) {
      const recent = batchLoss.slice(-(RUNAWAY_WINDOW - 1));
      const recentMean = (recent.reduce((a, b) => a + b, 0) + loss) / (recent.length + 1);
      const runaway = recent.length === RUNAWAY_WINDOW - 1 && recentMean > RUNAWAY_FACTOR * CHANCE_LOSS;
      if (!Number.isFinite(loss) || runaway) {
        const keep = i > 0 && saneStart ? unreadStart : good;
        if (keep) model.setWeights(keep);
        outcome = 'diverged';
        message = Number.isFinite(loss)
          ? // tfjs clips probabilities, so a blown-up softmax net often shows a huge finite loss instead of NaN.
            `The loss climbed to ${recentMean.toFixed(1)}, far above the ${CHANCE_LOSS.toFixed(1)} of random guessing, at epoch ${epoch}, batch ${batch}: ` +
            `the learning rate (${settings.learningRate}) is too high and training is diverging. Training stopped, the last good weights were kept; try a smaller learning rate.`
          : `The loss became ${Number.isNaN(loss) ? 'NaN (not a number)' : 'infinite'} at epoch ${epoch}, batch ${batch}: ` +
            `the learning rate (${settings.learningRate}) is probably too high. Training stopped and the last good weights were kept.`;
        return false;
      }
      const accuracy = hits / images;
      imagesSeen += images;
      epochLoss += loss * images;
      epochHits += hits;
      epochCount += images;
      batchLoss.push(loss);
      batchAccuracy.push(accuracy);
      const elapsed = activeMs() / 1000;
      const imagesPerSecond = elapsed > 0 ? imagesSeen / elapsed : 0;
      options.onBatch?.({
        epoch,
        epochs: settings.epochs,
        batch,
        batchesPerEpoch,
        loss,
        accuracy,
        imagesSeen,
        imagesTotal,
        imagesPerSecond,
        secondsLeft: imagesPerSecond > 0 ? (imagesTotal - imagesSeen) / imagesPerSecond : null,
      });
    }
    if (saneStart) {
      if (good) tf.dispose(good);
      good = unreadStart;
    } else if (unreadStart) {
      tf.dispose(unreadStart);
    }
    unreadStart = null;
    return true;
  };

  try {
    if (split.validation.length > 0 && options.onInitialValidation) {
      options.onInitialValidation(await evaluateIndices(model, dataset, split.validation));
      start = now(); // speed and duration count training only
    }
    if ((options.residentData ?? onGpu) && !options.trainStep) {
      try {
        resident = ResidentImages.upload(dataset, split.train);
      } catch {
        // A GPU short of memory for the images (188 MB for 60,000): each batch is sent as it comes instead.
        resident = null;
      }
    }
    if ((options.deviceDropout ?? onGpu) && !options.trainStep) dropout = DeviceDropout.install(model, settings.seed);
    epochLoop: for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      epochLoss = 0;
      epochHits = 0;
      epochCount = 0;
      let batchIndex = 0;
      for (const indices of batchOrder(split.train, settings.batchSize, settings.seed + epoch)) {
        batchIndex++;
        // Pause shows the latest figures: read what is pending first.
        if ((control.paused || control.stopped) && !(await readUnread())) break epochLoop;
        control.setBatchInHand(false);
        await control.waitWhilePaused();
        if (control.stopped) break epochLoop;
        control.setBatchInHand(true);
        const batch = resident ? resident.batch(indices) : dataset.batch('train', indices);
        const ys = batch.ys;
        let xs = batch.xs;
        try {
          if (settings.augment && options.augmentation) {
            const augmented = augmentBatch(xs, options.augmentation, random);
            xs.dispose();
            xs = augmented;
          }
          if (unread.length === 0) {
            unreadStart = snapshot(model);
            unreadSince = now();
          }
          seedDropout(model, settings.seed, step);
          if (options.trainStep) {
            const [loss, accuracy] = await options.trainStep(xs, ys, step);
            unread.push({ loss, hits: accuracy * indices.length, images: indices.length, epoch, batch: batchIndex });
          } else {
            const { loss, hits } = trainStepOnDevice(model, optimizer!, xs, ys);
            unread.push({ loss, hits, images: indices.length, epoch, batch: batchIndex });
          }
          step++;
        } finally {
          xs.dispose();
          ys.dispose();
        }
        if (contextLost) break epochLoop;
        if (batchIndex === batchesPerEpoch || pacer.due(unread.length)) {
          if (!(await readUnread())) break epochLoop;
          if (contextLost) break epochLoop;
          await yieldToPage();
        }
      }
      if (!(await readUnread()) || control.stopped) break;
      control.setBatchInHand(false);
      let val: { loss: number; accuracy: number } | null = null;
      // Validation scores the network as it would answer now: batch-norm statistics measured first (see batchnorm.ts).
      batchNormRecalibrated = await recalibrateBatchNorm(model, dataset, split.train, control.signal, options.recalibrationPeer);
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
    // A stop or lost context leaves batches trained but unread: they count (a diverged run's are already discarded).
    if (outcome === 'completed' && !contextLost) await readUnread();
  } finally {
    control.setBatchInHand(false);
    disposeUnread(unread);
    tf.dispose([...(good ?? []), ...(unreadStart ?? [])]);
    resident?.dispose();
    dropout?.dispose();
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
