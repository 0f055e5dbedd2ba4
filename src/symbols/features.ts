/**
 * The frozen body of a lab model: every layer up to its output layer. Its output — the input of the last dense
 * layer, the network's last hidden features — is what a new head learns from. Runs on the active backend (in the
 * training worker when teaching); every tensor it makes is freed before it returns.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';
import { chainLayers } from '../inspect/activations';

/** The lab model's head as plain numbers: the last dense layer, kernel row-major [features × classes]. */
export interface HeadWeights {
  kernel: Float32Array;
  bias: Float32Array;
  /** Input features (rows of the kernel). */
  features: number;
  /** Output classes (columns). */
  classes: number;
}

/** A model that cannot be extended; the message says why in the learner's words. */
export class ExtendError extends Error {
  override name = 'ExtendError';
}

/** The layers before the head, and the head's weights. Refuses a model whose last layer is not a softmax dense layer. */
export async function splitHead(model: tf.LayersModel): Promise<{ body: tf.layers.Layer[]; head: HeadWeights }> {
  let layers: tf.layers.Layer[];
  try {
    layers = chainLayers(model);
  } catch {
    throw new ExtendError('The lab’s model is not a plain stack of layers, so no new head can be put on it.');
  }
  const last = layers.at(-1);
  if (!last || last.getClassName() !== 'Dense' || last.getConfig().activation !== 'softmax') {
    throw new ExtendError('The lab’s model does not end with a dense softmax layer, so its last hidden features cannot be reused.');
  }
  const [kernel, bias] = last.getWeights();
  if (!kernel || !bias || kernel.shape.length !== 2) throw new ExtendError('The lab’s model has a last layer without a kernel and a bias.');
  const [features, classes] = kernel.shape;
  return {
    body: layers.slice(0, -1),
    head: { kernel: (await kernel.data()) as Float32Array, bias: (await bias.data()) as Float32Array, features, classes },
  };
}

/** Images as bytes (0–255, n × 784) or floats (0–1). */
export type ImageBatch = Uint8Array | Float32Array;

/** How many images a batch holds. */
export const imageCount = (images: ImageBatch): number => images.length / IMAGE_PIXELS;

/** A batch of images as a [n, 28, 28, 1] tensor in [0, 1]. Call inside tf.tidy. */
export function imagesTensor(images: ImageBatch): tf.Tensor4D {
  const n = imageCount(images);
  const floats = images instanceof Float32Array ? images : Float32Array.from(images, (v) => v / 255);
  return tf.tensor4d(floats, [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
}

/** The body's features for one tensor of images (inference: dropout off, batch norm on its averages). Call inside tf.tidy. */
export function bodyFeatures(body: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor2D {
  let h = x;
  for (const layer of body) h = layer.apply(h, { training: false }) as tf.Tensor;
  return h.reshape([h.shape[0], -1]) as tf.Tensor2D;
}

export interface ExtractOptions {
  batchSize?: number;
  /** Between batches: lets the worker take messages (Stop), or the page paint. */
  yieldNow?: () => Promise<void>;
  /** Checked between batches; true ends the extraction early with what is done. */
  shouldStop?: () => boolean;
  onProgress?: (done: number) => void;
  /** Applied to each batch before the body (augmentation); returns a new tensor. Runs inside tf.tidy. */
  transform?: (x: tf.Tensor4D) => tf.Tensor4D;
}

/**
 * The features of `images` (n × 784), row after row: n × features floats. Works in batches; with `shouldStop` it may
 * end early, and then the returned count says how many rows are filled.
 */
export async function extractFeatures(body: readonly tf.layers.Layer[], images: ImageBatch, features: number, options: ExtractOptions = {}): Promise<{ values: Float32Array; count: number }> {
  const n = imageCount(images);
  const batchSize = options.batchSize ?? 250;
  const values = new Float32Array(n * features);
  let count = 0;
  while (count < n) {
    if (options.shouldStop?.()) break;
    const end = Math.min(n, count + batchSize);
    const out = tf.tidy(() => {
      const x = imagesTensor(images.subarray(count * IMAGE_PIXELS, end * IMAGE_PIXELS));
      return bodyFeatures(body, options.transform ? options.transform(x) : x);
    });
    try {
      values.set((await out.data()) as Float32Array, count * features);
    } finally {
      out.dispose();
    }
    count = end;
    options.onProgress?.(count);
    await options.yieldNow?.();
  }
  return { values, count };
}
