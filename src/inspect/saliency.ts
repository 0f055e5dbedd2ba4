import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/mnist';
import { chainLayers } from './activations';
import { inputTensor, topClass } from './predict';

export interface Saliency {
  /** The class whose score was differentiated (the top prediction). */
  digit: number;
  confidence: number;
  /** |∂score/∂pixel| for all 784 pixels, scaled so the largest is 1. */
  map: Float32Array;
  /** The largest absolute gradient before scaling (0 means the prediction does not depend on any pixel). */
  maxGradient: number;
}

/**
 * The class score before the softmax (the logit). Its gradient stays informative when the network is sure; the
 * gradient of a probability near 1 is nearly zero everywhere.
 */
function classScore(layers: tf.layers.Layer[], x: tf.Tensor, digit: number): tf.Scalar {
  let h = x;
  const last = layers[layers.length - 1];
  const lastActivation = last.getConfig().activation;
  const bodyLength = lastActivation === 'softmax' ? layers.length - 1 : layers.length;
  for (let i = 0; i < bodyLength; i++) h = layers[i].apply(h, { training: false }) as tf.Tensor;
  if (lastActivation === 'softmax') {
    if (last.getClassName() === 'Dense') {
      const [kernel, bias] = last.getWeights();
      h = tf.matMul(h as tf.Tensor2D, kernel as tf.Tensor2D);
      if (bias) h = tf.add(h, bias);
    }
    // An Activation('softmax') layer: the body's output already is the logits.
  }
  return tf.squeeze(tf.slice(h, [0, digit], [1, 1])) as tf.Scalar;
}

/** Which pixels drove the top prediction: the gradient of its class score with respect to the input pixels. */
export async function saliencyMap(model: tf.LayersModel, pixels: ArrayLike<number>): Promise<Saliency> {
  const layers = chainLayers(model);
  const probs = tf.tidy(() => model.predict(inputTensor(pixels)) as tf.Tensor);
  let probabilities: Float32Array;
  try {
    probabilities = (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
  const { digit, confidence } = topClass(probabilities);
  const gradient = tf.tidy(() => tf.abs(tf.grad((x: tf.Tensor) => classScore(layers, x, digit))(inputTensor(pixels))));
  let values: Float32Array;
  try {
    values = Float32Array.from(await gradient.data());
  } finally {
    gradient.dispose();
  }
  let maxGradient = 0;
  for (const v of values) maxGradient = Math.max(maxGradient, v);
  if (!Number.isFinite(maxGradient)) throw new Error('the gradient is not a number for this input; the model may be broken');
  const map = new Float32Array(IMAGE_PIXELS);
  if (maxGradient > 0) for (let i = 0; i < map.length; i++) map[i] = values[i] / maxGradient;
  return { digit, confidence, map, maxGradient };
}
