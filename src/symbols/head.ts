/**
 * A new output head on frozen features: softmax regression over the ten digits and the learner's classes, started
 * from the lab model's own digit weights (so digits read as before from the first step) with new columns for the
 * new classes, and held near the old digit weights while it learns. Trains on the active backend; plain numbers in
 * and out, every tensor freed.
 */
import * as tf from '@tensorflow/tfjs';
import type { HeadWeights } from './features';
import { createOptimizer } from '../model/compile';

/** Feature rows with their class (0–9 digits, 10… the new classes). */
export interface FeatureSet {
  /** count × dim floats. */
  values: Float32Array;
  labels: Uint8Array;
  dim: number;
}

export interface HeadSettings {
  /** Full-batch Adam steps. */
  steps: number;
  learningRate: number;
  /** Weight of the pull towards the old digit weights (sum of squared differences). */
  anchor: number;
}

export const DEFAULT_HEAD: HeadSettings = { steps: 120, learningRate: 0.02, anchor: 0.02 };

export interface FitOptions {
  yieldNow?: () => Promise<void>;
  /** Checked between steps; true stops with an error (the caller keeps what it had). */
  shouldStop?: () => boolean;
}

/** Stopped before the end (a newer request, or the learner's Stop). */
export class HeadStopped extends Error {
  override name = 'HeadStopped';
  constructor(message = 'Teaching was stopped.') {
    super(message);
  }
}

/** Concatenates feature sets of the same width. */
export function joinFeatures(sets: readonly FeatureSet[]): FeatureSet {
  const dim = sets[0]?.dim ?? 0;
  if (sets.some((s) => s.dim !== dim)) throw new RangeError('feature sets of different widths cannot be joined');
  const count = sets.reduce((n, s) => n + s.labels.length, 0);
  const values = new Float32Array(count * dim);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const s of sets) {
    values.set(s.values.subarray(0, s.labels.length * dim), at * dim);
    labels.set(s.labels, at);
    at += s.labels.length;
  }
  return { values, labels, dim };
}

/** The rows of `set` at `rows`. */
export function pickRows(set: FeatureSet, rows: ArrayLike<number>): FeatureSet {
  const values = new Float32Array(rows.length * set.dim);
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    values.set(set.values.subarray(r * set.dim, (r + 1) * set.dim), i * set.dim);
    labels[i] = set.labels[r];
  }
  return { values, labels, dim: set.dim };
}

/** The starting head: the old columns as they were, a zero column (and bias) for each new class. */
export function widenHead(base: HeadWeights, classes: number): HeadWeights {
  if (classes < base.classes) throw new RangeError(`a head of ${classes} classes cannot start from one of ${base.classes}`);
  const kernel = new Float32Array(base.features * classes);
  for (let r = 0; r < base.features; r++) kernel.set(base.kernel.subarray(r * base.classes, (r + 1) * base.classes), r * classes);
  const bias = new Float32Array(classes);
  bias.set(base.bias);
  return { kernel, bias, features: base.features, classes };
}

/**
 * Trains a head of `classes` outputs on `train`, starting from `base` widened. Each class weighs the same in the loss
 * whatever its number of rows (a few drawings count as much as many digits).
 */
export async function fitHead(train: FeatureSet, base: HeadWeights, classes: number, settings: HeadSettings = DEFAULT_HEAD, options: FitOptions = {}): Promise<HeadWeights> {
  if (train.dim !== base.features) throw new RangeError(`features of width ${train.dim} for a head over ${base.features}`);
  const n = train.labels.length;
  const counts = new Array<number>(classes).fill(0);
  for (const label of train.labels) counts[label]++;
  const present = counts.filter((c) => c > 0).length;
  const rowWeights = Float32Array.from(train.labels, (label) => n / (present * counts[label]));
  const start = widenHead(base, classes);
  // 1 on the old (digit) columns: the anchor pulls only those back.
  const oldColumns = new Float32Array(classes).fill(0).fill(1, 0, base.classes);
  const x = tf.tensor2d(train.values.subarray(0, n * train.dim), [n, train.dim]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes).toFloat());
  const w = tf.tensor1d(rowWeights);
  const kernel0 = tf.tensor2d(start.kernel, [base.features, classes]);
  const bias0 = tf.tensor1d(start.bias);
  const mask = tf.tensor1d(oldColumns);
  // A variable made from a tensor shares its data; it takes new data on each update, so kernel0 stays as it was.
  const kernel = tf.variable(kernel0);
  const bias = tf.variable(bias0);
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: settings.learningRate });
  try {
    for (let step = 0; step < settings.steps; step++) {
      if (options.shouldStop?.()) throw new HeadStopped();
      const cost = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const logits = x.matMul(kernel).add(bias);
            const loss = tf.losses.softmaxCrossEntropy(y, logits, w);
            const drift = kernel.sub(kernel0).square().mul(mask).sum().add(bias.sub(bias0).square().mul(mask).sum());
            return loss.add(drift.mul(settings.anchor)) as tf.Scalar;
          }),
        false,
        [kernel, bias],
      );
      cost?.dispose();
      if (step % 20 === 19) await options.yieldNow?.();
    }
    return { kernel: (await kernel.data()) as Float32Array, bias: (await bias.data()) as Float32Array, features: base.features, classes };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, w, kernel0, bias0, mask, kernel, bias]);
  }
}

/** The head's class scores before the softmax for each row (plain arithmetic: no backend needed). */
export function headLogits(values: Float32Array, count: number, head: HeadWeights): Float32Array {
  const { features, classes, kernel, bias } = head;
  const out = new Float32Array(count * classes);
  for (let i = 0; i < count; i++) {
    const row = i * features;
    const o = i * classes;
    out.set(bias, o);
    for (let f = 0; f < features; f++) {
      const v = values[row + f];
      if (v === 0) continue;
      const k = f * classes;
      for (let c = 0; c < classes; c++) out[o + c] += v * kernel[k + c];
    }
  }
  return out;
}

/** The top class of each row. */
export function headPredictions(values: Float32Array, count: number, head: HeadWeights): Uint8Array {
  const logits = headLogits(values, count, head);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let c = 1; c < head.classes; c++) if (logits[i * head.classes + c] > logits[i * head.classes + best]) best = c;
    out[i] = best;
  }
  return out;
}
