import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/data/random';
import { boxBlur, extremeFilter, findInk, inkIsDark, paperUnderDarkInk, resizeBilinear } from '../../../src/draw/ink';
import { grayImage, inkBoundingBox, luminance, type GrayImage } from '../../../src/draw/preprocess';
import { digitGlyph } from './stroke-font';
import { CONDITIONS, testPicture } from './test-pictures';

function randomImage(width: number, height: number, seed: number): GrayImage {
  const random = seededRandom(seed);
  return grayImage(width, height, Float32Array.from({ length: width * height }, () => random()));
}

describe('the filters under the ink finder', () => {
  it('max and min filters match the brute-force window extreme, at every size and at the edges', () => {
    const image = randomImage(23, 17, 3);
    for (const k of [1, 3, 5, 9, 31]) {
      for (const max of [true, false]) {
        const fast = extremeFilter(image, k, max);
        for (let y = 0; y < 17; y++) {
          for (let x = 0; x < 23; x++) {
            let want = max ? -Infinity : Infinity;
            for (let dy = -(k >> 1); dy <= k >> 1; dy++) {
              for (let dx = -(k >> 1); dx <= k >> 1; dx++) {
                const yy = y + dy;
                const xx = x + dx;
                if (yy >= 0 && yy < 17 && xx >= 0 && xx < 23) want = (max ? Math.max : Math.min)(want, image.data[yy * 23 + xx]);
              }
            }
            expect(fast.data[y * 23 + x]).toBe(want);
          }
        }
      }
    }
  });

  it('the box blur averages the window that exists; the paper estimate wipes thin dark strokes but keeps a gradient', () => {
    const blurred = boxBlur(grayImage(3, 1, Float32Array.from([0, 3, 6])), 1);
    expect(Array.from(blurred.data)).toEqual([1.5, 3, 4.5]);
    // A left-to-right gradient with a 3 px dark stroke: the paper under it is the gradient itself.
    const image = grayImage(40, 10, Float32Array.from({ length: 400 }, (_, p) => ((p % 40) >= 20 && (p % 40) < 23 ? 0.1 : 0.5 + (p % 40) / 100)));
    const paper = paperUnderDarkInk(image, 9);
    for (let x = 5; x < 35; x++) expect(Math.abs(paper.data[5 * 40 + x] - (0.5 + x / 100))).toBeLessThanOrEqual(0.035);
  });

  it('enlarges smoothly (bilinear), keeping the corners', () => {
    const out = resizeBilinear(grayImage(2, 1, Float32Array.from([0, 1])), 4, 1);
    expect(Array.from(out.data)).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('finding the ink in a picture', () => {
  it('reads luminance from RGBA (transparent counts as paper)', () => {
    const gray = luminance(new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 0, 0]), 2, 1);
    expect(gray.data[0]).toBeCloseTo(0.299, 3);
    expect(gray.data[1]).toBe(1);
  });

  it('decides dark-on-light from the paper, even with a dark table around the sheet; chalk on a blackboard is light ink', () => {
    expect(inkIsDark(testPicture(digitGlyph('sans', 3), 'border').gray)).toBe(true);
    expect(inkIsDark(testPicture(digitGlyph('sans', 3), 'vignette').gray)).toBe(true);
    const board = testPicture(digitGlyph('sans', 3), 'gradient').gray;
    const chalk = grayImage(board.width, board.height, board.data.map((v) => 1 - v));
    expect(inkIsDark(chalk)).toBe(false);
    const found = findInk(chalk);
    expect(found.inverted).toBe(false);
    expect(found.box).not.toBeNull();
  });

  it('keeps the digit and leaves out the speck and the table: the box is the digit\'s', () => {
    for (const condition of ['speck', 'border'] as const) {
      const picture = testPicture(digitGlyph('sans', 7), condition);
      const found = findInk(picture.gray);
      // The 7 is drawn in the box (160, 70, 160, 220) with its strokes inside; its glyph is narrower than the box.
      expect(found.box, condition).not.toBeNull();
      const box = found.box!;
      expect(box.y, condition).toBeGreaterThanOrEqual(68);
      expect(box.y + box.height, condition).toBeLessThanOrEqual(292);
      expect(box.x, condition).toBeGreaterThanOrEqual(158);
      expect(box.x + box.width, condition).toBeLessThanOrEqual(322);
      if (condition === 'speck') expect(found.dropped).toBeGreaterThanOrEqual(1);
      expect(found.inverted).toBe(true);
    }
  });

  it('finds a digit of 0.3% of a large page where it is, and a digit that fills the frame edge to edge', () => {
    const small = findInk(testPicture(digitGlyph('serif', 4), 'small').gray);
    expect(small.box).not.toBeNull();
    expect(small.box!.x).toBeGreaterThanOrEqual(418);
    expect(small.box!.y + small.box!.height).toBeLessThanOrEqual(128);
    const edge = findInk(testPicture(digitGlyph('sans', 7), 'edge').gray);
    expect(edge.box!.height).toBeGreaterThan(340);
  });

  it('finds ink under every test condition, and none on blank paper (even with uneven light and noise)', () => {
    for (const condition of CONDITIONS) expect(findInk(testPicture(digitGlyph('hand', 5), condition).gray).box, condition).not.toBeNull();
    const random = seededRandom(9);
    const blank = grayImage(300, 200, Float32Array.from({ length: 60000 }, (_, p) => 0.9 - 0.3 * ((p % 300) / 300) + 0.02 * (random() - 0.5)));
    const found = findInk(blank);
    expect(found.box).toBeNull();
    expect(inkBoundingBox(found.ink)).toBeNull();
  });
});
