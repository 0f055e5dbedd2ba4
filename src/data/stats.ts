import { IMAGE_PIXELS, NUM_CLASSES, type MnistDataset, type Split } from './mnist';

/** What the dataset explorer shows about one split, as plain numbers. */
export interface SplitStats {
  split: Split;
  count: number;
  classCounts: number[];
  /** The mean image of each class: 10 × 784 values in [0, 1]. */
  meanImages: Float32Array[];
  /** How many pixels (over all images of the split) have each value 0–255. */
  pixelCounts: Float64Array;
}

export interface HistogramBin {
  /** Inclusive pixel values. */
  from: number;
  to: number;
  count: number;
}

/** Gives the page a chance to paint between chunks of a long loop. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Class counts, mean image per class and the pixel-value counts of a split, in one pass over its bytes
 * (47 MB for the training set), yielding every `chunk` images so the page stays responsive.
 */
export async function computeSplitStats(
  dataset: MnistDataset,
  split: Split,
  options: { chunk?: number; signal?: AbortSignal } = {},
): Promise<SplitStats> {
  const { images, labels, count } = dataset.split(split);
  const chunk = options.chunk ?? 4000;
  const sums = new Float64Array(NUM_CLASSES * IMAGE_PIXELS);
  // Uint32 is plenty per value (47 M pixels at most) and much faster to increment than Float64.
  const pixelCounts = new Uint32Array(256);
  const classCounts = new Array<number>(NUM_CLASSES).fill(0);
  for (let start = 0; start < count; start += chunk) {
    if (options.signal?.aborted) throw options.signal.reason ?? new DOMException('Aborted', 'AbortError');
    const end = Math.min(count, start + chunk);
    for (let i = start; i < end; i++) {
      const label = labels[i];
      classCounts[label]++;
      const base = label * IMAGE_PIXELS;
      const offset = i * IMAGE_PIXELS;
      for (let p = 0; p < IMAGE_PIXELS; p++) {
        const v = images[offset + p];
        sums[base + p] += v;
        pixelCounts[v]++;
      }
    }
    if (end < count) await yieldToEventLoop();
  }
  const meanImages = classCounts.map((n, digit) => {
    const mean = new Float32Array(IMAGE_PIXELS);
    if (n > 0) for (let p = 0; p < IMAGE_PIXELS; p++) mean[p] = sums[digit * IMAGE_PIXELS + p] / (255 * n);
    return mean;
  });
  return { split, count, classCounts, meanImages, pixelCounts: Float64Array.from(pixelCounts) };
}

/**
 * Groups the 256 pixel-value counts into `bins` equal bins over the values `from`–255 (from = 1 leaves out the
 * background, which is most of every image and would flatten every other bar).
 */
export function histogramBins(pixelCounts: ArrayLike<number>, bins: number, from = 0): HistogramBin[] {
  if (pixelCounts.length !== 256) throw new RangeError(`expected 256 pixel-value counts, got ${pixelCounts.length}`);
  const span = 256 - from;
  if (!(Number.isInteger(bins) && bins > 0 && bins <= span)) throw new RangeError(`bins ${bins} must be 1–${span}`);
  const out: HistogramBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = from + Math.round((b * span) / bins);
    const hi = from + Math.round(((b + 1) * span) / bins) - 1;
    let total = 0;
    for (let v = lo; v <= hi; v++) total += pixelCounts[v];
    out.push({ from: lo, to: hi, count: total });
  }
  return out;
}

/** Share of all pixels that are pure background (value 0). */
export function backgroundFraction(pixelCounts: ArrayLike<number>): number {
  let total = 0;
  for (let v = 0; v < pixelCounts.length; v++) total += pixelCounts[v];
  return total ? pixelCounts[0] / total : 0;
}

/** Cached per data set and split: the explorer asks again whenever the learner switches split. */
const cache = new WeakMap<MnistDataset, Map<Split, Promise<SplitStats>>>();

export function splitStats(dataset: MnistDataset, split: Split): Promise<SplitStats> {
  let byDataset = cache.get(dataset);
  if (!byDataset) cache.set(dataset, (byDataset = new Map()));
  let stats = byDataset.get(split);
  if (!stats) {
    stats = computeSplitStats(dataset, split);
    byDataset.set(split, stats);
    // A failure should not stay cached.
    stats.catch(() => byDataset.delete(split));
  }
  return stats;
}
