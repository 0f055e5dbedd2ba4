import * as tf from '@tensorflow/tfjs';
import type { MnistDataset } from '../data/mnist';
import { yieldToEventLoop } from './yield';

/** Training images whose activations set the batch-norm statistics at the end of a run. */
export const RECALIBRATION_IMAGES = 512;
const CHUNK = 128;

/** Running mean and variance per channel, merged chunk by chunk (Chan et al.), in float64. */
class ChannelMoments {
  count = 0;
  mean: Float64Array;
  m2: Float64Array;
  constructor(channels: number) {
    this.mean = new Float64Array(channels);
    this.m2 = new Float64Array(channels);
  }
  add(n: number, mean: ArrayLike<number>, variance: ArrayLike<number>): void {
    const total = this.count + n;
    for (let c = 0; c < this.mean.length; c++) {
      const delta = mean[c] - this.mean[c];
      this.mean[c] += (delta * n) / total;
      this.m2[c] += variance[c] * n + (delta * delta * this.count * n) / total;
    }
    this.count = total;
  }
  get variance(): Float32Array {
    return Float32Array.from(this.m2, (m) => m / this.count);
  }
}

function hasBatchNorm(model: tf.LayersModel): boolean {
  return model.layers.some((l) => l.getClassName() === 'BatchNormalization');
}

/**
 * Sets every batch-norm layer's moving mean and variance to the statistics of its inputs over some training images,
 * in inference mode, layer by layer (each layer sees the outputs of the layers before it, already recalibrated).
 *
 * Why: during training, batch norm keeps moving averages with momentum 0.99, so after a short run (a few hundred
 * steps) they still hold a large share of their starting values (mean 0, variance 1), and the network is then
 * scored with statistics it never trained with: a short run can score 20 points below what it learned. One forward
 * pass over a few hundred images gives the right statistics. Works on Sequential models; returns false (and does
 * nothing) for a model without batch norm. Every tensor is freed.
 */
export async function recalibrateBatchNorm(model: tf.LayersModel, dataset: MnistDataset, indices: Int32Array, signal?: AbortSignal): Promise<boolean> {
  if (!hasBatchNorm(model) || indices.length === 0) return false;
  const sample = indices.subarray(0, Math.min(RECALIBRATION_IMAGES, indices.length));
  let chunks: tf.Tensor[] = [];
  for (let start = 0; start < sample.length; start += CHUNK) {
    const batch = dataset.batch('train', sample.subarray(start, Math.min(start + CHUNK, sample.length)));
    batch.ys.dispose();
    chunks.push(batch.xs);
  }
  try {
    for (const layer of model.layers) {
      signal?.throwIfAborted();
      if (layer.getClassName() === 'BatchNormalization') {
        const channels = chunks[0].shape[chunks[0].rank - 1] as number;
        const moments = new ChannelMoments(channels);
        for (const x of chunks) {
          const axes = [...Array(x.rank - 1).keys()];
          const { mean, variance } = tf.moments(x, axes);
          const [m, v] = await Promise.all([mean.data(), variance.data()]);
          tf.dispose([mean, variance]);
          moments.add(x.shape[0], m, v);
        }
        const weights = layer.weights;
        // getWeights() hands out the variables' own tensors: read, never disposed here.
        const values = layer.getWeights();
        const replaced = weights.map((w, i) => {
          if (w.name.endsWith('moving_mean')) return tf.tensor(Float32Array.from(moments.mean), values[i].shape);
          if (w.name.endsWith('moving_variance')) return tf.tensor(moments.variance, values[i].shape);
          return values[i];
        });
        layer.setWeights(replaced);
        tf.dispose(replaced.filter((t, i) => t !== values[i]));
      }
      const next = chunks.map((x) => layer.apply(x, { training: false }) as tf.Tensor);
      tf.dispose(chunks);
      chunks = next;
      // Let the worker (or page) answer messages between layers.
      await yieldToEventLoop();
    }
  } finally {
    tf.dispose(chunks);
  }
  return true;
}
