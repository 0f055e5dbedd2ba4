import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../model/build';
import type { ModelSpec, OptimizerName } from '../model/spec';

/** SGD without momentum crawls on MNIST; 0.9 is the usual choice the lesson talks about. */
export const SGD_MOMENTUM = 0.9;

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.momentum(learningRate, SGD_MOMENTUM);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}

/** Frees an optimizer's state. tfjs' MomentumOptimizer.dispose() forgets its learning-rate scalar: freed here too. */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const c = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}

/** A compiled model and its optimizer: an optimizer object keeps tensors alive after model.dispose(), so both go. */
export interface TrainableModel {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  dispose(): void;
}

export function compileForTraining(model: tf.LayersModel, optimizerName: OptimizerName, learningRate: number): TrainableModel {
  const optimizer = makeOptimizer(optimizerName, learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return {
    model,
    optimizer,
    dispose() {
      disposeOptimizer(optimizer);
      model.dispose();
    },
  };
}

/** Builds a fresh model from a spec and compiles it for training. */
export function buildTrainable(spec: ModelSpec, optimizerName: OptimizerName, learningRate: number): TrainableModel {
  const model = buildModel(spec);
  try {
    return compileForTraining(model, optimizerName, learningRate);
  } catch (error) {
    model.dispose();
    throw error;
  }
}
