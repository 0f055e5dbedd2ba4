import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES, type MnistDataset } from '../data/mnist';

export interface Misclassified {
  /** Index in the test split. */
  index: number;
  label: number;
  predicted: number;
  /** The model's probability for its (wrong) answer. */
  confidence: number;
}

export interface TestEvaluation {
  count: number;
  correct: number;
  accuracy: number;
  /** confusion[true][predicted] = count. */
  confusion: number[][];
  /** Accuracy per true class, 0–9 (NaN for a class with no images). */
  perClass: number[];
  misclassified: Misclassified[];
}

export interface EvaluateOptions {
  /** How many test images, from the first (all 10,000 by default). */
  limit?: number;
  batchSize?: number;
  signal?: AbortSignal;
  /** Called after each batch with the fraction done. */
  onProgress?: (fraction: number) => void;
  yieldToPage?: () => Promise<void>;
}

/** Batched inference over the test set: accuracy, confusion matrix, per-class accuracy and every mistake. */
export async function evaluateTest(model: tf.LayersModel, dataset: MnistDataset, options: EvaluateOptions = {}): Promise<TestEvaluation> {
  const count = Math.min(options.limit ?? dataset.test.count, dataset.test.count);
  const batchSize = options.batchSize ?? 500;
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  const misclassified: Misclassified[] = [];
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    options.signal?.throwIfAborted();
    const indices = Int32Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
    const batch = dataset.batch('test', indices);
    const [predicted, confidence] = tf.tidy(() => {
      const probs = model.predict(batch.xs) as tf.Tensor2D;
      return [probs.argMax(-1), probs.max(-1)];
    });
    batch.xs.dispose();
    batch.ys.dispose();
    const [p, c] = await Promise.all([predicted.data(), confidence.data()]);
    predicted.dispose();
    confidence.dispose();
    for (let i = 0; i < indices.length; i++) {
      const label = dataset.label('test', indices[i]);
      confusion[label][p[i]]++;
      if (label === p[i]) correct++;
      else misclassified.push({ index: indices[i], label, predicted: p[i], confidence: c[i] });
    }
    options.onProgress?.(Math.min(1, (start + indices.length) / count));
    await options.yieldToPage?.();
  }
  const perClass = confusion.map((row, label) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? Number.NaN : row[label] / total;
  });
  return { count, correct, accuracy: count === 0 ? 0 : correct / count, confusion, perClass, misclassified };
}

const VALIDATION_BATCH = 256;

/** Mean loss and accuracy of `model` on some training-set images, in batches; every tensor is freed. */
export async function evaluateIndices(model: tf.LayersModel, dataset: MnistDataset, indices: Int32Array, batchSize = VALIDATION_BATCH): Promise<{ loss: number; accuracy: number }> {
  let lossSum = 0;
  let correct = 0;
  for (const batch of dataset.batches('train', indices, batchSize)) {
    const sums = tf.tidy(() => {
      const probs = model.predict(batch.xs) as tf.Tensor2D;
      const loss = tf.metrics.categoricalCrossentropy(batch.ys, probs).sum();
      const hits = tf.equal(probs.argMax(-1), batch.ys.argMax(-1)).sum();
      return tf.stack([loss, hits.toFloat()]);
    });
    batch.xs.dispose();
    batch.ys.dispose();
    const [l, c] = await sums.data();
    sums.dispose();
    lossSum += l;
    correct += c;
  }
  return { loss: lossSum / indices.length, accuracy: correct / indices.length };
}
