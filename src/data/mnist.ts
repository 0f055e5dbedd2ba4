import * as tf from '@tensorflow/tfjs';
import { DataFormatError } from './idx';
import { seededRandom, shuffleInPlace } from './random';

export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;

export type Split = 'train' | 'test';

export interface SplitData {
  /** count × 28 × 28 pixels, 0 = background, 255 = ink. Kept as bytes: 55 MB for all of MNIST, not 220 MB. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface TrainValidationSplit {
  train: Int32Array;
  validation: Int32Array;
}

export interface Batch {
  /** [n, 28, 28, 1] float32 in [0, 1]. The caller disposes both tensors. */
  xs: tf.Tensor4D;
  /** [n, 10] one-hot float32. */
  ys: tf.Tensor2D;
  indices: Int32Array;
}

/** All of MNIST in memory as bytes; tensors are made one batch at a time. */
export class MnistDataset {
  readonly train: SplitData;
  readonly test: SplitData;

  constructor(train: SplitData, test: SplitData) {
    for (const [name, split] of [['train', train], ['test', test]] as const) {
      if (split.images.length !== split.count * IMAGE_PIXELS || split.labels.length !== split.count) {
        throw new DataFormatError(`${name} split: ${split.count} labels do not match ${split.images.length} pixel bytes`);
      }
    }
    this.train = train;
    this.test = test;
  }

  split(name: Split): SplitData {
    return name === 'train' ? this.train : this.test;
  }

  /** One image's 784 bytes (a view, not a copy). */
  image(split: Split, index: number): Uint8Array {
    const data = this.split(split);
    if (!Number.isInteger(index) || index < 0 || index >= data.count) {
      throw new RangeError(`${split} image index ${index} is outside 0–${data.count - 1}`);
    }
    return data.images.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
  }

  label(split: Split, index: number): number {
    return this.split(split).labels[index];
  }

  /** Images per class, 0–9. */
  classCounts(split: Split): number[] {
    const counts = new Array<number>(NUM_CLASSES).fill(0);
    for (const label of this.split(split).labels) counts[label]++;
    return counts;
  }

  /** Indices of one class in a split, in data-set order. */
  indicesOfClass(split: Split, digit: number): Int32Array {
    const labels = this.split(split).labels;
    const out: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === digit) out.push(i);
    return Int32Array.from(out);
  }

  /**
   * A reproducible train/validation split of the first `size` training images (after a seeded shuffle):
   * the same seed always gives the same indices.
   */
  trainValidationSplit(validationFraction: number, seed: number, size = this.train.count): TrainValidationSplit {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new RangeError(`validation fraction ${validationFraction} is outside [0, 1)`);
    }
    const total = Math.min(Math.max(1, Math.floor(size)), this.train.count);
    const all = shuffleInPlace(Int32Array.from({ length: this.train.count }, (_, i) => i), seededRandom(seed));
    const chosen = all.subarray(0, total);
    const validationCount = Math.round(total * validationFraction);
    return { validation: chosen.slice(0, validationCount), train: chosen.slice(validationCount) };
  }

  /** Makes float32 tensors for the given indices. */
  batch(split: Split, indices: ArrayLike<number>): Batch {
    const data = this.split(split);
    const n = indices.length;
    const pixels = new Float32Array(n * IMAGE_PIXELS);
    const oneHot = new Float32Array(n * NUM_CLASSES);
    for (let b = 0; b < n; b++) {
      const index = indices[b];
      const offset = index * IMAGE_PIXELS;
      for (let p = 0; p < IMAGE_PIXELS; p++) pixels[b * IMAGE_PIXELS + p] = data.images[offset + p] / 255;
      oneHot[b * NUM_CLASSES + data.labels[index]] = 1;
    }
    return {
      xs: tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1]),
      ys: tf.tensor2d(oneHot, [n, NUM_CLASSES]),
      indices: Int32Array.from(indices),
    };
  }

  /**
   * Iterates over `indices` in batches of `batchSize`, shuffled by `seed` when given (a new order per seed).
   * Each yielded batch is the caller's to dispose.
   */
  *batches(split: Split, indices: Int32Array, batchSize: number, seed?: number): Generator<Batch> {
    for (const chunk of batchOrder(indices, batchSize, seed)) yield this.batch(split, chunk);
  }
}

/**
 * The indices of each batch of `batches()`, in its order: shuffled by `seed` when given (a new order per seed).
 * A trainer that keeps the images elsewhere (on the GPU) gathers the same batches in the same order.
 */
export function* batchOrder(indices: Int32Array, batchSize: number, seed?: number): Generator<Int32Array> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size ${batchSize} must be a positive integer`);
  const order = seed === undefined ? indices : shuffleInPlace(indices.slice(), seededRandom(seed));
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, Math.min(start + batchSize, order.length));
}
