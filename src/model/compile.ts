import * as tf from '@tensorflow/tfjs';
import { buildModel } from './build';
import { LabAdam } from './fused-adam';
import type { ModelSpec, OptimizerName } from './spec';

export interface OptimizerSettings {
  optimizer: OptimizerName;
  learningRate: number;
  /** SGD's momentum (0.9 unless given); ignored by the others. */
  momentum?: number;
}

export const DEFAULT_MOMENTUM = 0.9;

/**
 * tfjs 4.22's MomentumOptimizer.dispose() forgets the learning-rate scalar its parent SGDOptimizer keeps, so each
 * disposed SGD optimizer leaks one tensor. This instance's dispose() frees that too.
 */
function withFullDispose(optimizer: tf.MomentumOptimizer): tf.MomentumOptimizer {
  const own = optimizer.dispose.bind(optimizer);
  optimizer.dispose = () => {
    own();
    tf.SGDOptimizer.prototype.dispose.call(optimizer);
  };
  return optimizer;
}

/** A fresh optimizer object. The caller disposes it: it holds tensors (Adam's moments, for one). */
export function createOptimizer(settings: OptimizerSettings): tf.Optimizer {
  const lr = settings.learningRate;
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`The learning rate must be a positive number, not ${lr}.`);
  switch (settings.optimizer) {
    case 'adam':
      // tfjs's Adam (β 0.9 and 0.999, its backend's ε), one fused kernel per weight on WASM.
      return new LabAdam(lr, 0.9, 0.999);
    case 'sgd':
      return withFullDispose(tf.train.momentum(lr, settings.momentum ?? DEFAULT_MOMENTUM));
    case 'rmsprop':
      return tf.train.rmsprop(lr);
    default:
      throw new Error(`Unknown optimizer "${String(settings.optimizer)}".`);
  }
}

/** A compiled model with the optimizer it owns; `dispose()` frees both. */
export interface TrainableModel {
  readonly model: tf.Sequential;
  readonly optimizer: tf.Optimizer;
  readonly spec: ModelSpec;
  dispose(): void;
}

/**
 * Builds the spec and compiles it with categorical cross-entropy and accuracy. tfjs does not free an optimizer
 * object with its model, so the result owns both. To hand it to the lab state:
 * `new LabModel(t.model, 'trained', description, t.spec, [t.optimizer])`.
 */
export function createTrainableModel(spec: ModelSpec, settings: OptimizerSettings & { seed?: number }): TrainableModel {
  const optimizer = createOptimizer(settings);
  let model: tf.Sequential;
  try {
    model = buildModel(spec, { seed: settings.seed });
  } catch (error) {
    optimizer.dispose();
    throw error;
  }
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let disposed = false;
  return {
    model,
    optimizer,
    spec,
    dispose() {
      if (disposed) return;
      disposed = true;
      model.dispose();
      optimizer.dispose();
    },
  };
}
