import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/mnist';
import { chainLayers, readActivations, readProbabilities, runChain, type Activations } from './activations';
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

/** One input followed through the network once: every layer's output, and the saliency of the top class. */
export interface Inspection {
  activations: Activations;
  saliency: Saliency;
}

/**
 * One forward pass (and its backward pass) for one image: |∂ top-class score / ∂ pixel|, with the layers' outputs
 * from that same pass (every layer's when `keepAll`, else only the last, the probabilities). The top class is
 * picked inside the pass (argmax of the logits, a constant for the gradient), so no earlier prediction is needed.
 */
function topClassGradient(layers: tf.layers.Layer[], pixels: ArrayLike<number>, keepAll: boolean): { gradient: tf.Tensor; outputs: tf.Tensor[] } {
  let outputs: tf.Tensor[] = [];
  const gradient = tf.tidy(() => {
    const x = inputTensor(pixels);
    const grad = tf.grad((input: tf.Tensor) => {
      const pass = runChain(layers, input, true);
      // Kept: they outlive the pass; the caller reads and disposes them.
      outputs = (keepAll ? pass.outputs : pass.outputs.slice(-1)).map((t) => tf.keep(t));
      const logits = pass.logits as tf.Tensor2D;
      const top = tf.oneHot(tf.argMax(logits, 1), logits.shape[1]);
      return tf.sum(tf.mul(logits, top));
    });
    return tf.abs(grad(x));
  });
  return { gradient, outputs };
}

async function readSaliency(gradient: tf.Tensor, digit: number, confidence: number): Promise<Saliency> {
  const values = Float32Array.from(await gradient.data());
  let maxGradient = 0;
  for (const v of values) maxGradient = Math.max(maxGradient, v);
  if (!Number.isFinite(maxGradient)) throw new Error('the gradient is not a number for this input; the model may be broken');
  const map = new Float32Array(IMAGE_PIXELS);
  if (maxGradient > 0) for (let i = 0; i < map.length; i++) map[i] = values[i] / maxGradient;
  return { digit, confidence, map, maxGradient };
}

/** Which pixels drove the top prediction: the gradient of its class score with respect to the input pixels. */
export async function saliencyMap(model: tf.LayersModel, pixels: ArrayLike<number>): Promise<Saliency> {
  const { gradient, outputs } = topClassGradient(chainLayers(model), pixels, false);
  try {
    const { digit, confidence } = topClass(readProbabilities(await outputs[0].data()));
    return await readSaliency(gradient, digit, confidence);
  } finally {
    tf.dispose([gradient, ...outputs]);
  }
}

/**
 * Every layer's output and the saliency of the top class for one image, from ONE forward pass (the activation
 * viewer used to run three: the layers, a prediction, and the gradient's own pass). `signal` drops a superseded
 * request: it rejects with the signal's reason, and nothing leaks.
 */
export async function inspectInput(model: tf.LayersModel, pixels: ArrayLike<number>, signal?: AbortSignal): Promise<Inspection> {
  signal?.throwIfAborted();
  const layers = chainLayers(model);
  const { gradient, outputs } = topClassGradient(layers, pixels, true);
  try {
    const activations = await readActivations(layers, outputs);
    const saliency = await readSaliency(gradient, activations.digit, activations.confidence);
    signal?.throwIfAborted();
    return { activations, saliency };
  } finally {
    tf.dispose([gradient, ...outputs]);
  }
}

/** Below this share of the largest gradient a pixel stays uncoloured, so the strongest pixels stand out. */
const SALIENCY_FLOOR = 0.1;
/** From floor + this span on, a pixel is fully red. */
const SALIENCY_SPAN = 0.6;
const SALIENCY_RED: readonly [number, number, number] = [255, 40, 40];

/**
 * Lays a saliency map over an RGBA picture of the digit (in place): the stronger the gradient, the redder the pixel.
 * `rgba` holds 4 bytes per pixel of `map`.
 */
export function blendSaliency(rgba: Uint8ClampedArray, map: ArrayLike<number>): void {
  if (rgba.length !== map.length * 4) throw new RangeError(`${rgba.length / 4} pixels to colour, but the map has ${map.length}`);
  for (let p = 0; p < map.length; p++) {
    const a = Math.min(1, Math.max(0, (map[p] - SALIENCY_FLOOR) / SALIENCY_SPAN));
    for (let k = 0; k < 3; k++) rgba[p * 4 + k] = Math.round(rgba[p * 4 + k] * (1 - a) + SALIENCY_RED[k] * a);
  }
}
