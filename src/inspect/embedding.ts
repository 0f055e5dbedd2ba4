/**
 * The network's last hidden layer as a place where digits live: each image becomes one vector (its "embedding"),
 * and images the network finds alike lie close together. The mistake microscope finds a digit's nearest training
 * digits there, and the "not a digit" check measures how far an input lies from every digit the network learned.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';

/**
 * Which layer's output is the last hidden representation: the input of the model's last weighted layer (the dense
 * layer that turns it into ten scores). A dropout just before it changes nothing when predicting, so its output is
 * the same vector. Throws for a model with nothing before its last weighted layer.
 */
export function embeddingLayerIndex(layers: readonly tf.layers.Layer[]): number {
  let last = -1;
  layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dense' || layer.getClassName() === 'Conv2D') last = i;
  });
  if (last < 1) throw new Error('this model has no hidden layer before its output, so there is no embedding to compare');
  return last - 1;
}

/** How many numbers the embedding has (the hidden layer's size). */
export function embeddingSize(layers: readonly tf.layers.Layer[]): number {
  const shape = layers[embeddingLayerIndex(layers)].outputShape as (number | null)[];
  return shape.slice(1).reduce<number>((a, b) => a * (b ?? 1), 1);
}

/** Applies the layers up to and including the embedding layer (inference mode). Call inside tf.tidy. */
export function embedTensor(layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor2D {
  const upTo = embeddingLayerIndex(layers);
  let h = x;
  for (let i = 0; i <= upTo; i++) h = layers[i].apply(h, { training: false }) as tf.Tensor;
  return h.reshape([h.shape[0], -1]);
}

export interface EmbedOptions {
  /** Images per forward pass. */
  batchSize?: number;
  /** Called after each batch with how many images are done. */
  onProgress?: (done: number) => void | Promise<void>;
  signal?: AbortSignal;
}

/**
 * The embeddings of `count` images (bytes 0–255, 784 per image, white on black), one row of `embeddingSize` numbers
 * per image. No tensor outlives the call.
 */
export async function embedImages(layers: readonly tf.layers.Layer[], images: Uint8Array, count: number, options: EmbedOptions = {}): Promise<Float32Array> {
  if (images.length < count * IMAGE_PIXELS) throw new RangeError(`${images.length} bytes hold fewer than ${count} images`);
  const size = embeddingSize(layers);
  const batchSize = options.batchSize ?? 100;
  const out = new Float32Array(count * size);
  for (let start = 0; start < count; start += batchSize) {
    options.signal?.throwIfAborted();
    const n = Math.min(batchSize, count - start);
    const pixels = new Float32Array(n * IMAGE_PIXELS);
    const from = images.subarray(start * IMAGE_PIXELS, (start + n) * IMAGE_PIXELS);
    for (let p = 0; p < pixels.length; p++) pixels[p] = from[p] / 255;
    const embedded = tf.tidy(() => embedTensor(layers, tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1])));
    try {
      out.set((await embedded.data()) as Float32Array, start * size);
    } finally {
      embedded.dispose();
    }
    await options.onProgress?.(start + n);
  }
  return out;
}

/** One neighbour: a training digit's index and its distance from the query in the embedding. */
export interface Neighbour {
  index: number;
  distance: number;
}

/**
 * The `k` rows of `embeddings` (count × size) nearest to `query` (Euclidean distance), nearest first. Only the first
 * `count` rows are searched (the ones computed so far).
 */
export function nearestNeighbours(embeddings: Float32Array, size: number, count: number, query: ArrayLike<number>, k: number): Neighbour[] {
  if (query.length !== size) throw new RangeError(`the query has ${query.length} numbers, the embeddings ${size}`);
  const best: Neighbour[] = [];
  let worst = Infinity;
  for (let row = 0; row < count; row++) {
    const offset = row * size;
    let d = 0;
    for (let j = 0; j < size && d < worst; j++) {
      const diff = embeddings[offset + j] - query[j];
      d += diff * diff;
    }
    if (best.length < k || d < worst) {
      best.push({ index: row, distance: d });
      best.sort((a, b) => a.distance - b.distance);
      if (best.length > k) best.pop();
      worst = best.length === k ? best[k - 1].distance : Infinity;
    }
  }
  return best.map((n) => ({ index: n.index, distance: Math.sqrt(n.distance) }));
}
