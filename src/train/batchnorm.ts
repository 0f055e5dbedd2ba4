import * as tf from '@tensorflow/tfjs';
import type { MnistDataset } from '../data/mnist';
import { variableName } from '../model/variable-name';
import { yieldToEventLoop } from './yield';

/** Training images whose activations set the batch-norm statistics at the end of a run. */
export const RECALIBRATION_IMAGES = 512;
const CHUNK = 128;

/** One layer's per-channel statistics over some images: how many, their mean and (population) variance. */
export interface LayerMoments {
  count: number;
  mean: Float32Array;
  variance: Float32Array;
}

/** Statistics to set on batch-norm layer `layer` (an index into model.layers). */
export interface LayerStats extends LayerMoments {
  layer: number;
}

/**
 * Another thread's copy of the same network (data-parallel training) that measures a share of the images, so the
 * two measure at once. Its copy must hold the same weights; it sets each layer's merged statistics before running
 * its images through that layer, so both copies see the same activations and end with the same statistics.
 */
export interface RecalibrationPeer {
  /** Its share of the images: pixels 0-1, [count, 28, 28, 1] flat. */
  recalibrationStart(images: Float32Array, count: number): Promise<void>;
  /** Sets `previous` (the last layer's merged statistics), runs its images up to layer `layer`, returns their moments there. */
  recalibrationMoments(layer: number, previous: LayerStats | null): Promise<LayerMoments>;
  /** Sets the last layer's statistics (null after a stop) and frees its images. */
  recalibrationEnd(last: LayerStats | null): Promise<void>;
}

/** Running mean and variance per channel, merged part by part (Chan et al.), in float64. */
class ChannelMoments {
  count = 0;
  mean: Float64Array;
  m2: Float64Array;
  constructor(channels: number) {
    this.mean = new Float64Array(channels);
    this.m2 = new Float64Array(channels);
  }
  add({ count: n, mean, variance }: LayerMoments): void {
    const total = this.count + n;
    for (let c = 0; c < this.mean.length; c++) {
      const delta = mean[c] - this.mean[c];
      this.mean[c] += (delta * n) / total;
      this.m2[c] += variance[c] * n + (delta * delta * this.count * n) / total;
    }
    this.count = total;
  }
  get moments(): LayerMoments {
    return { count: this.count, mean: Float32Array.from(this.mean), variance: Float32Array.from(this.m2, (m) => m / this.count) };
  }
}

function isBatchNorm(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'BatchNormalization';
}

/** Sets a batch-norm layer's moving mean and variance. */
export function setMovingStats(layer: tf.layers.Layer, stats: LayerMoments): void {
  // getWeights() hands out the variables' own tensors: read, never disposed here.
  const values = layer.getWeights();
  // By variable name: a model rebuilt from stored data names them with a suffix ("moving_mean_1").
  const names = layer.weights.map((w) => variableName(w.name));
  if (!names.includes('moving_mean') || !names.includes('moving_variance')) throw new Error(`Layer ${layer.name} has no moving statistics to set.`);
  const replaced = values.map((value, i) => {
    if (names[i] === 'moving_mean') return tf.tensor(stats.mean, value.shape);
    if (names[i] === 'moving_variance') return tf.tensor(stats.variance, value.shape);
    return value;
  });
  layer.setWeights(replaced);
  tf.dispose(replaced.filter((t, i) => t !== values[i]));
}

/**
 * Some images' activations, walked through a Sequential model's layers in inference mode: the moments of the
 * inputs of any layer, in order. Owns its chunks.
 */
export class ActivationWalk {
  private at = 0;
  constructor(
    private readonly model: tf.LayersModel,
    private chunks: tf.Tensor[],
  ) {}

  /** Runs the images through the layers before `layer`. */
  async advanceTo(layer: number, signal?: AbortSignal): Promise<void> {
    for (; this.at < layer; this.at++) {
      for (let k = 0; k < this.chunks.length; k++) {
        signal?.throwIfAborted();
        const next = this.model.layers[this.at].apply(this.chunks[k], { training: false }) as tf.Tensor;
        this.chunks[k].dispose();
        this.chunks[k] = next;
        // Let the worker (or the page, which measures a stopped run's statistics) answer between chunks: one
        // chunk through a convolution is tens of milliseconds on one thread.
        await yieldToEventLoop();
      }
    }
  }

  /** The per-channel moments of the current activations (the inputs of the layer reached). */
  async moments(): Promise<LayerMoments> {
    const channels = this.chunks[0].shape[this.chunks[0].rank - 1] as number;
    const merged = new ChannelMoments(channels);
    for (const x of this.chunks) {
      const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
      const [m, v] = await Promise.all([mean.data(), variance.data()]);
      tf.dispose([mean, variance]);
      merged.add({ count: x.shape[0], mean: m as Float32Array, variance: v as Float32Array });
    }
    return merged.moments;
  }

  dispose(): void {
    tf.dispose(this.chunks);
    this.chunks = [];
  }
}

/** Images [from, to) in chunks of CHUNK, as the walk takes them (new tensors: the caller keeps `images`). */
export function imageChunks(images: tf.Tensor, from = 0, to = images.shape[0]): tf.Tensor[] {
  const chunks: tf.Tensor[] = [];
  for (let start = from; start < to; start += CHUNK) chunks.push(tf.slice(images, start, Math.min(CHUNK, to - start)));
  return chunks;
}

/**
 * Sets every batch-norm layer's moving mean and variance to the statistics of its inputs over some training images,
 * in inference mode, layer by layer (each layer sees the outputs of the layers before it, already recalibrated).
 * With a peer, the images are shared between the two threads and each layer's moments merged.
 *
 * Why: during training, batch norm keeps moving averages with momentum 0.99, so after a short run (a few hundred
 * steps) they still hold a large share of their starting values (mean 0, variance 1), and the network is then
 * scored with statistics it never trained with: a short run can score 20 points below what it learned. One forward
 * pass over a few hundred images gives the right statistics. Works on Sequential models; returns false (and does
 * nothing) for a model without batch norm. Every tensor is freed.
 */
export async function recalibrateBatchNorm(model: tf.LayersModel, dataset: MnistDataset, indices: Int32Array, signal?: AbortSignal, peer?: RecalibrationPeer): Promise<boolean> {
  const layers = model.layers.flatMap((layer, i) => (isBatchNorm(layer) ? [i] : []));
  if (layers.length === 0 || indices.length === 0) return false;
  const sample = indices.subarray(0, Math.min(RECALIBRATION_IMAGES, indices.length));
  // The peer takes the second half (when there are at least two images to share).
  const sharer = peer && sample.length >= 2 ? peer : null;
  const own = sharer ? Math.ceil(sample.length / 2) : sample.length;
  const batch = dataset.batch('train', sample);
  batch.ys.dispose();
  let walk: ActivationWalk;
  let theirs: Float32Array | null = null;
  try {
    if (sharer) {
      const part = tf.slice(batch.xs, own);
      // A copy of its own, moved to the peer.
      theirs = Float32Array.from(await part.data().finally(() => part.dispose()));
    }
    walk = new ActivationWalk(model, imageChunks(batch.xs, 0, own));
  } finally {
    batch.xs.dispose();
  }
  let last: LayerStats | null = null;
  try {
    if (sharer && theirs) await sharer.recalibrationStart(theirs, sample.length - own);
    for (const layer of layers) {
      const peerMoments = sharer ? sharer.recalibrationMoments(layer, last) : null;
      // Awaited below or dropped on an error (the peer is told to end either way).
      peerMoments?.catch(() => undefined);
      await walk.advanceTo(layer, signal);
      const mine = await walk.moments();
      const merged = new ChannelMoments(mine.mean.length);
      merged.add(mine);
      if (peerMoments) merged.add(await peerMoments);
      last = { layer, ...merged.moments };
      setMovingStats(model.layers[layer], last);
    }
  } finally {
    walk.dispose();
    if (sharer) await sharer.recalibrationEnd(signal?.aborted ? null : last);
  }
  return true;
}
