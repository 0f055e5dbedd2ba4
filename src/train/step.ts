import * as tf from '@tensorflow/tfjs';

/** The tf.Variables the optimizer updates, in `model.trainableWeights` order. */
export const trainableVariables = (model: tf.LayersModel): tf.Variable[] =>
  // LayerVariable.read() returns the tf.Variable the optimizer updates.
  model.trainableWeights.map((w) => w.read() as tf.Variable);

/**
 * The training objective on one batch, as `trainOnBatch` computes it: the layers in training mode (dropout on,
 * batch norm on the batch's statistics, moving statistics updated), the mean categorical cross-entropy returned,
 * and the number of correct answers kept (tf.keep) for the caller to read or dispose.
 */
function batchObjective(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): { loss: () => tf.Scalar; hits: () => tf.Scalar } {
  let hits: tf.Scalar | null = null;
  return {
    loss: () => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor;
      hits = tf.keep(tf.sum<tf.Tensor>(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1)), 'float32')) as tf.Scalar);
      return tf.mean(tf.metrics.categoricalCrossentropy(ys, probs)) as tf.Scalar;
    },
    hits: () => {
      if (!hits) throw new Error('the batch objective was not evaluated');
      return hits;
    },
  };
}

/** The loss and the number of hits of one step, still on the device: reading them back is the caller's choice. */
export interface StepOnDevice {
  loss: tf.Scalar;
  hits: tf.Scalar;
}

/**
 * One optimizer step on one batch, without reading anything back: on a GPU the next batch can be queued while
 * this one runs (a `trainOnBatch` waits for its loss every batch, and the GPU idles while the page reads it).
 */
export function trainStepOnDevice(model: tf.LayersModel, optimizer: tf.Optimizer, xs: tf.Tensor, ys: tf.Tensor): StepOnDevice {
  const objective = batchObjective(model, xs, ys);
  const loss = optimizer.minimize(objective.loss, true, trainableVariables(model));
  if (!loss) throw new Error('the optimizer returned no loss');
  return { loss, hits: objective.hits() };
}

/**
 * Gradients of the mean cross-entropy over (xs, ys) for the model's trainable weights, flattened into one tensor in
 * the order of `model.trainableWeights`, with the loss and the number of hits (data-parallel training's half-step).
 */
export function shardGradients(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): { grads: tf.Tensor1D; loss: tf.Scalar; hits: tf.Scalar } {
  const variables = trainableVariables(model);
  const objective = batchObjective(model, xs, ys);
  const { value, grads } = tf.variableGrads(objective.loss, variables);
  const flat = tf.tidy(() => tf.concat(variables.map((v) => tf.reshape(grads[v.name], [-1]))) as tf.Tensor1D);
  tf.dispose(Object.values(grads));
  return { grads: flat, loss: value, hits: objective.hits() };
}

/** Applies flat gradients (in `model.trainableWeights` order) with the optimizer. */
export function applyFlatGradients(model: tf.LayersModel, optimizer: tf.Optimizer, flat: tf.Tensor1D): void {
  const variables = trainableVariables(model);
  const named = tf.tidy(() => {
    const parts = tf.split(flat, variables.map((v) => v.size));
    return variables.map((v, i) => ({ name: v.name, tensor: tf.reshape(parts[i], v.shape) }));
  });
  try {
    optimizer.applyGradients(named);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
}
