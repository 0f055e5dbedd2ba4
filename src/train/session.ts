import type { ModelSpec } from '../model/spec';
import { createTrainableModel, type TrainableModel } from '../model/compile';
import { recalibrateBatchNorm } from './batchnorm';
import { DataParallelTrainer, type GradientPeer } from './data-parallel';
import { downsample, smooth } from './curves';
import { evaluateTest, type TestEvaluation } from './evaluate';
import { trainModel, type EpochMetrics, type TrainOptions, type TrainOutcomeKind, type TrainResult } from './loop';
import { runSplit, type TrainSettings } from './settings';

export interface TrainSessionOptions extends Omit<TrainOptions, 'model'> {
  spec: ModelSpec;
  /** Test images to evaluate at the end (all 10,000 by default). */
  testLimit?: number;
  onTestProgress?: (fraction: number) => void;
  /** Called when the run moves on from training: re-estimating batch-norm statistics, then the test. */
  onPhase?: (phase: 'calibrating' | 'testing') => void;
  /** Trains data-parallel with this peer (half of every batch each; see data-parallel.ts). */
  peer?: GradientPeer;
}

export interface TrainSessionResult {
  train: TrainResult;
  /** Null when the run was stopped or lost its context before the test. */
  test: TestEvaluation | null;
  /** The trained model and its optimizer, the caller's to keep or dispose; null when the GPU context was lost. */
  trainable: TrainableModel | null;
}

/**
 * Builds a fresh model from the spec, trains it, and measures it on the test set. Tensors are freed on every
 * path: on error nothing is left behind; otherwise only the returned model (which the caller owns) holds any.
 */
export async function trainAndEvaluate(options: TrainSessionOptions): Promise<TrainSessionResult> {
  const { spec, settings } = options;
  const trainable = createTrainableModel(spec, { optimizer: settings.optimizer, learningRate: settings.learningRate, seed: settings.seed });
  try {
    const optimizer = { optimizer: settings.optimizer, learningRate: settings.learningRate };
    const parallel = options.peer ? await DataParallelTrainer.open(trainable, options.peer, optimizer, settings.seed) : null;
    let train: TrainResult;
    try {
      train = await trainModel({
        ...options,
        model: trainable.model,
        trainStep: parallel ? (xs, ys, step) => parallel.step(xs, ys, step) : options.trainStep,
        recalibrationPeer: parallel?.recalibrationPeer,
      });
    } finally {
      await parallel?.close();
    }
    if (train.outcome === 'context-lost') {
      trainable.dispose();
      return { train, test: null, trainable: null };
    }
    let test: TestEvaluation | null = null;
    if (train.outcome === 'completed' || train.outcome === 'diverged') {
      try {
        if (!train.batchNormRecalibrated && train.imagesSeen > 0) {
          // A diverged run ends mid-epoch: its kept weights still need their statistics.
          options.onPhase?.('calibrating');
          const split = runSplit(options.dataset, settings);
          train.batchNormRecalibrated = await recalibrateBatchNorm(trainable.model, options.dataset, split.train, options.control?.signal);
        }
        options.onPhase?.('testing');
        test = await evaluateTest(trainable.model, options.dataset, {
          limit: options.testLimit,
          signal: options.control?.signal,
          onProgress: options.onTestProgress,
          yieldToPage: options.yieldToPage,
        });
      } catch (error) {
        // Stop during the test keeps the trained model; only the test result is missing.
        if (!options.control?.stopped) throw error;
        const message = `${options.control.reason} (during the test: the model is trained, its test accuracy was not measured.)`;
        return { train: { ...train, outcome: 'stopped', message }, test: null, trainable };
      }
    }
    return { train, test, trainable };
  } catch (error) {
    trainable.dispose();
    throw error;
  }
}

/** The curves a run keeps: at most this many points per batch curve (enough for a chart, small in IndexedDB). */
export const RUN_CURVE_POINTS = 400;

export interface RunCurves {
  /** Smoothed training loss and accuracy per batch, downsampled. */
  loss: number[];
  accuracy: number[];
  epochs: EpochMetrics[];
}

/** What the run history keeps about one run. */
export interface RunSummary {
  settings: TrainSettings;
  modelName: string;
  backend: string;
  outcome: TrainOutcomeKind | 'error';
  message: string;
  durationMs: number;
  imagesSeen: number;
  testAccuracy: number | null;
  curves: RunCurves;
  /**
   * Whether the kept weights' batch-norm statistics were measured over training images when the run ended (true too
   * for a network without batch norm). False for a run stopped before that: its statistics are still training's
   * running averages, and "Use this model" measures them first. Absent in runs from older versions.
   */
  batchNormMeasured?: boolean;
}

export function summariseRun(spec: ModelSpec, settings: TrainSettings, backend: string, result: TrainSessionResult): RunSummary {
  const { train, test } = result;
  return {
    settings: { ...settings },
    modelName: spec.name,
    backend,
    outcome: train.outcome,
    message: train.message,
    durationMs: train.durationMs,
    imagesSeen: train.imagesSeen,
    testAccuracy: test?.accuracy ?? null,
    batchNormMeasured: train.batchNormRecalibrated || !spec.layers.some((layer) => layer.type === 'batchNorm'),
    curves: {
      loss: downsample(smooth(train.batchLoss), RUN_CURVE_POINTS),
      accuracy: downsample(smooth(train.batchAccuracy), RUN_CURVE_POINTS),
      epochs: train.epochs,
    },
  };
}
