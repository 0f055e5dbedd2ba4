/**
 * The score of a taught head on all 10,000 MNIST test digits next to the base model's, both read from the same
 * features of the frozen body (kept: the next teaching reuses them).
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES, type SplitData } from '../data/mnist';
import { extractFeatures, type ExtractOptions, type HeadWeights } from './features';
import { headPredictions } from './head';

export interface DigitCheck {
  count: number;
  /** Test digits the base model reads right. */
  base: number;
  /** Test digits the extended model reads right (a digit read as a new class is wrong). */
  extended: number;
  /** Test digits the extended model reads as one of the new classes. */
  readAsNew: number;
}

/** As much of the test set's features as has been computed: `count` rows of the body's features. */
export interface TestFeatures {
  values: Float32Array;
  count: number;
}

/** The test digits to score, their features so far, and the body and heads that read them. */
export interface DigitCheckRequest {
  test: SplitData;
  /** Filled in place, 500 digits at a time, up to the whole test set. */
  scored: TestFeatures;
  body: readonly tf.layers.Layer[];
  dim: number;
  base: HeadWeights;
  extended: HeadWeights;
}

/** Scores the test digits with both heads; null when stopped (`extract.shouldStop`) before every digit had its features. */
export async function checkTestDigits(request: DigitCheckRequest, extract: ExtractOptions, onProgress: (fraction: number) => void): Promise<DigitCheck | null> {
  const { test, scored, body, dim } = request;
  while (scored.count < test.count && !extract.shouldStop?.()) {
    const end = Math.min(test.count, scored.count + 500);
    const part = await extractFeatures(body, test.images.subarray(scored.count * IMAGE_PIXELS, end * IMAGE_PIXELS), dim, extract);
    if (part.count < end - scored.count) break;
    scored.values.set(part.values, scored.count * dim);
    scored.count = end;
    onProgress(scored.count / test.count);
  }
  if (scored.count !== test.count) return null;
  const readBase = headPredictions(scored.values, test.count, request.base);
  const readExtended = headPredictions(scored.values, test.count, request.extended);
  const check: DigitCheck = { count: test.count, base: 0, extended: 0, readAsNew: 0 };
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i];
    if (readBase[i] === label) check.base++;
    if (readExtended[i] === label) check.extended++;
    if (readExtended[i] >= NUM_CLASSES) check.readAsNew++;
  }
  return check;
}
