import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_SIZE, type MnistDataset } from '../../../src/data/mnist';
import { loadPreparedMnist } from '../../../src/data/node';
import {
  centreOfMass,
  EmptyDrawingError,
  grayImage,
  inkBoundingBox,
  meanAbsoluteError,
  preprocess,
  resizeArea,
  type GrayImage,
} from '../../../src/draw/preprocess';

let dataset: MnistDataset;
beforeAll(async () => {
  dataset = await loadPreparedMnist();
});

function testDigit(index: number): GrayImage {
  return grayImage(IMAGE_SIZE, IMAGE_SIZE, Float32Array.from(dataset.image('test', index), (v) => v / 255));
}

/** Draws `digit` `scale` times larger (nearest neighbour) at (left, top) on a larger empty canvas. */
function rerender(digit: GrayImage, scale: number, width: number, height: number, left: number, top: number): GrayImage {
  const out = grayImage(width, height);
  for (let y = 0; y < digit.height * scale; y++) {
    for (let x = 0; x < digit.width * scale; x++) {
      out.data[(top + y) * width + left + x] = digit.data[Math.floor(y / scale) * digit.width + Math.floor(x / scale)];
    }
  }
  return out;
}

/** Bilinear re-rendering at a non-integer scale: what a real, differently sized drawing looks like. */
function rerenderSmooth(digit: GrayImage, scale: number, width: number, height: number, left: number, top: number): GrayImage {
  const out = grayImage(width, height);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= digit.width || y >= digit.height ? 0 : digit.data[y * digit.width + x]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = (x - left + 0.5) / scale - 0.5;
      const v = (y - top + 0.5) / scale - 0.5;
      const x0 = Math.floor(u);
      const y0 = Math.floor(v);
      const fx = u - x0;
      const fy = v - y0;
      out.data[y * width + x] =
        at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy) + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy;
    }
  }
  return out;
}

describe('MNIST preprocessing of a drawing', () => {
  it('gives back a known test digit drawn 5× larger and off-centre, almost exactly', () => {
    // Test digits 0–9 of the test set whose ink box has a 20 px longer side, as MNIST made nearly all of them.
    const indices = Array.from({ length: 40 }, (_, i) => i).filter((i) => {
      const box = inkBoundingBox(testDigit(i))!;
      return Math.max(box.width, box.height) === 20;
    });
    expect(indices.length).toBeGreaterThan(20);
    for (const index of indices) {
      const original = testDigit(index);
      const big = rerender(original, 5, 300, 220, 150, 70);
      const { centred, scaled } = preprocess(big, 0);
      expect(Math.max(scaled.width, scaled.height)).toBe(20);
      expect(centred.width * centred.height).toBe(784);
      // Whole-pixel centring may land one pixel away from MNIST's own; the shape itself must be identical.
      const error = meanAbsoluteError(centred, original);
      expect(error, `test digit ${index}`).toBeLessThan(0.02);
    }
  });

  it('gives back a test digit re-rendered smoothly at 3.7× off-centre within a small error', () => {
    for (const index of [0, 1, 2, 3, 4]) {
      const original = testDigit(index);
      const big = rerenderSmooth(original, 3.7, 260, 200, 120, 30);
      const { centred } = preprocess(big, 0.05);
      const error = meanAbsoluteError(centred, original);
      expect(error, `test digit ${index}`).toBeLessThan(0.08);
      // And it is nowhere near an unrelated digit: the error measure can tell digits apart.
      expect(meanAbsoluteError(centred, testDigit(index + 10))).toBeGreaterThan(error);
    }
  });

  it('centres the ink by its centre of mass and keeps the aspect ratio of a tall stroke', () => {
    const stroke = grayImage(100, 100);
    for (let y = 10; y < 90; y++) for (let x = 70; x < 78; x++) stroke.data[y * 100 + x] = 1;
    const { scaled, centred, box } = preprocess(stroke);
    expect(box).toEqual({ x: 70, y: 10, width: 8, height: 80 });
    expect(scaled.height).toBe(20);
    expect(scaled.width).toBe(2);
    const com = centreOfMass(centred);
    expect(Math.abs(com.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - 14)).toBeLessThanOrEqual(0.5);
  });

  it('refuses an empty drawing, and one with only faint specks', () => {
    expect(() => preprocess(grayImage(50, 50))).toThrow(EmptyDrawingError);
    const specks = grayImage(50, 50);
    specks.data[10] = 0.01;
    expect(() => preprocess(specks)).toThrow(/no ink/);
  });

  it('area-averages when shrinking: a checkerboard halves to flat grey', () => {
    const board = grayImage(4, 4, Float32Array.from({ length: 16 }, (_, i) => ((i % 4) + Math.floor(i / 4)) % 2));
    const half = resizeArea(board, 2, 2);
    expect(Array.from(half.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const third = resizeArea(grayImage(3, 1, Float32Array.from([1, 0, 0])), 2, 1);
    expect(third.data[0]).toBeCloseTo(2 / 3);
    expect(third.data[1]).toBeCloseTo(0);
  });
});
