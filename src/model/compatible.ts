import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from '../data/mnist';

/** A model the lab cannot use (wrong input or output shape, broken weights); its message says why. */
export class IncompatibleModelError extends Error {
  override name = 'IncompatibleModelError';
}

/**
 * The lab's one compatibility check for a loaded model (shipped, saved, uploaded): it reads one 28×28×1 image and
 * answers ten classes with finite numbers. The probe prediction also compiles the backend's kernels (WebGL
 * shaders), so a model that passes answers the learner's first drawing at full speed.
 */
export async function checkMnistModel(model: tf.LayersModel): Promise<void> {
  const input = model.inputs[0]?.shape ?? [];
  const output = model.outputs[0]?.shape ?? [];
  const want = [IMAGE_SIZE, IMAGE_SIZE, 1];
  if (model.inputs.length !== 1 || input.length !== 4 || input.slice(1).some((d, i) => d !== want[i])) {
    throw new IncompatibleModelError(`This model takes inputs of shape [${input.slice(1).join(', ')}]; Digit Lab needs 28×28 images with one channel ([28, 28, 1]).`);
  }
  if (model.outputs.length !== 1 || output.length !== 2 || output[1] !== NUM_CLASSES) {
    throw new IncompatibleModelError(`This model answers with shape [${output.slice(1).join(', ')}]; Digit Lab needs 10 outputs, one per digit.`);
  }
  const probe = tf.tidy(() => (model.predict(tf.zeros([1, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor).sum());
  try {
    const value = (await probe.data())[0];
    if (!Number.isFinite(value)) throw new IncompatibleModelError('This model answers NaN or infinity: its weights are broken.');
  } finally {
    probe.dispose();
  }
}
