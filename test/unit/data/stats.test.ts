import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { loadMnistFromIdx } from '../../../src/data/node';
import { backgroundFraction, computeSplitStats, histogramBins, splitStats, type SplitStats } from '../../../src/data/stats';

let dataset: MnistDataset;
let test: SplitStats;
beforeAll(async () => {
  dataset = await loadMnistFromIdx();
  test = await computeSplitStats(dataset, 'test', { chunk: 777 });
});

describe('split statistics', () => {
  it('counts the classes like the data set does', () => {
    expect(test.count).toBe(10000);
    expect(test.classCounts).toEqual(dataset.classCounts('test'));
  });

  it('computes each class mean image, equal to a direct average', () => {
    const sevens = dataset.indicesOfClass('test', 7);
    for (const pixel of [0, 14 * 28 + 14, 20 * 28 + 10]) {
      let sum = 0;
      for (const i of sevens) sum += dataset.image('test', i)[pixel];
      expect(test.meanImages[7][pixel]).toBeCloseTo(sum / sevens.length / 255, 6);
    }
    expect(test.meanImages).toHaveLength(10);
    expect(test.meanImages.every((m) => m.length === IMAGE_PIXELS && m.every((v) => v >= 0 && v <= 1))).toBe(true);
    // A mean one is a vertical stroke: the centre is inked, the far left is not.
    expect(test.meanImages[1][14 * 28 + 14]).toBeGreaterThan(0.5);
    expect(test.meanImages[1][14 * 28 + 3]).toBeLessThan(0.01);
  });

  it('counts every pixel value once; most pixels are background', () => {
    const total = test.pixelCounts.reduce((a, b) => a + b, 0);
    expect(total).toBe(10000 * IMAGE_PIXELS);
    let zeros = 0;
    for (const v of dataset.test.images) if (v === 0) zeros++;
    expect(test.pixelCounts[0]).toBe(zeros);
    expect(backgroundFraction(test.pixelCounts)).toBeGreaterThan(0.7);
    expect(backgroundFraction(test.pixelCounts)).toBeLessThan(0.9);
  });

  it('bins the ink pixels 1–255 into equal bins that add up', () => {
    const bins = histogramBins(test.pixelCounts, 15, 1);
    expect(bins).toHaveLength(15);
    expect(bins[0]).toMatchObject({ from: 1, to: 17 });
    expect(bins[14]).toMatchObject({ from: 239, to: 255 });
    const ink = bins.reduce((a, b) => a + b.count, 0);
    expect(ink).toBe(10000 * IMAGE_PIXELS - test.pixelCounts[0]);
    // Strokes are mostly saturated: the top bin is the largest.
    expect(Math.max(...bins.map((b) => b.count))).toBe(bins[14].count);
    expect(() => histogramBins(test.pixelCounts, 0)).toThrow(RangeError);
    expect(() => histogramBins([1, 2, 3], 4)).toThrow(RangeError);
  });

  it('caches per data set and split', async () => {
    const a = splitStats(dataset, 'test');
    expect(splitStats(dataset, 'test')).toBe(a);
    expect((await a).classCounts).toEqual(test.classCounts);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(computeSplitStats(dataset, 'train', { signal: controller.signal })).rejects.toThrow();
  });
});
