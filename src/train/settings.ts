import type { OptimizerName } from '../model/spec';

/** Hyperparameters of a training run. */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  validationSplit: number;
  /** How many of the 60,000 training images to use (1,000 up to all). */
  trainSize: number;
  augment: boolean;
  seed: number;
}

export const DEFAULT_TRAIN: TrainSettings = {
  epochs: 1,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam',
  validationSplit: 0.1,
  trainSize: 60000,
  augment: true,
  seed: 42,
};
