import { IMAGE_PIXELS, MnistDataset } from '../../../src/data/mnist';

/**
 * The same MNIST with only its first `count` test digits (views, not copies). For checks that score the test split to
 * prove a behaviour (the same count two ways, a score kept within a bar) rather than the 10,000-digit figure itself:
 * test/unit/inspect/shipped-accuracy.test.ts scores the shipped model on all 10,000.
 */
export function withFirstTestDigits(dataset: MnistDataset, count: number): MnistDataset {
  const { test } = dataset;
  if (count > test.count) throw new RangeError(`the test split has ${test.count} digits, not ${count}`);
  return new MnistDataset(dataset.train, { images: test.images.subarray(0, count * IMAGE_PIXELS), labels: test.labels.subarray(0, count), count });
}

/** The test digits such a check scores: enough that a 0.5-point bar is 10 digits. */
export const FIRST_TEST_DIGITS = 2000;
/** How many of those the shipped model reads right (evaluateTest; of all 10,000: 9,960, report.json's 99.60%). */
export const SHIPPED_RIGHT_OF_FIRST_TEST_DIGITS = 1992;
