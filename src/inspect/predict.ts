import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';

/** One 28×28 image (784 values, 0–1, white on black) as a network input. Call inside tf.tidy. */
export function inputTensor(pixels: ArrayLike<number>): tf.Tensor4D {
  if (pixels.length !== IMAGE_PIXELS) throw new RangeError(`an input must have ${IMAGE_PIXELS} pixels, not ${pixels.length}`);
  return tf.tensor4d(Float32Array.from(pixels), [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

export interface Prediction {
  /** The ten class probabilities. */
  probabilities: number[];
  /** The most probable digit. */
  digit: number;
  confidence: number;
}

export function topClass(probabilities: ArrayLike<number>): { digit: number; confidence: number } {
  let digit = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[digit]) digit = i;
  return { digit, confidence: probabilities[digit] };
}

/** The model's probabilities for one image; no tensor outlives the call. */
export async function predictDigit(model: tf.LayersModel, pixels: ArrayLike<number>): Promise<Prediction> {
  const out = tf.tidy(() => model.predict(inputTensor(pixels)) as tf.Tensor);
  let values: Float32Array;
  try {
    values = (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
  const probabilities = Array.from(values);
  if (probabilities.some((p) => !Number.isFinite(p))) throw new Error('the model gave a non-number (NaN) for this input; it may be broken');
  return { probabilities, ...topClass(probabilities) };
}
