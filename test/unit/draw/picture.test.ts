import { describe, expect, it } from 'vitest';
import { alphaToInk, bytesToInk, centreInSquare, fitInSquare, pictureOnPad } from '../../../src/draw/picture';
import { grayImage, inkBoundingBox } from '../../../src/draw/preprocess';

/** RGBA bytes of a width×height picture: light paper with a dark block at (x, y, w, h). */
function paperWithBlock(width: number, height: number, block: { x: number; y: number; w: number; h: number }): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x >= block.x && x < block.x + block.w && y >= block.y && y < block.y + block.h;
      rgba.set(inside ? [20, 20, 30, 255] : [235, 230, 220, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

describe('pictures on the pad', () => {
  it('fits a picture in the square keeping its proportions', () => {
    expect(fitInSquare(4000, 3000, 280)).toEqual({ width: 280, height: 210 });
    expect(fitInSquare(300, 260, 280)).toEqual({ width: 280, height: 243 });
    expect(fitInSquare(10, 10, 280)).toEqual({ width: 280, height: 280 });
    expect(fitInSquare(5000, 1, 280)).toEqual({ width: 280, height: 1 });
    expect(() => fitInSquare(0, 10, 280)).toThrow(RangeError);
  });

  it('centres an image in the square, leaving the rest empty', () => {
    const image = grayImage(3, 2, Float32Array.from([1, 1, 1, 1, 1, 1]));
    const out = centreInSquare(image, 8);
    expect(out.width).toBe(8);
    expect(inkBoundingBox(out)).toEqual({ x: 2, y: 3, width: 3, height: 2 });
    expect(out.data.reduce((a, b) => a + b, 0)).toBe(6);
    expect(() => centreInSquare(grayImage(9, 1), 8)).toThrow(RangeError);
  });

  it('turns dark ink on light paper into white ink on black, cropped to it and filling the pad as a drawing would', () => {
    // A 280×210 picture with a dark 40×100 block right of centre: on the pad its longer side takes 80% (224 px).
    const rgba = paperWithBlock(280, 210, { x: 150, y: 50, w: 40, h: 100 });
    const { ink, inverted, blank, steps } = pictureOnPad(rgba, 280, 210, 280);
    expect(inverted).toBe(true);
    expect(blank).toBe(false);
    expect(steps.box).toEqual({ x: 150, y: 50, width: 40, height: 100 });
    expect(ink.width).toBe(280);
    expect(ink.height).toBe(280);
    const box = inkBoundingBox(ink, 0.5)!;
    expect(box.height).toBeGreaterThanOrEqual(222);
    expect(box.height).toBeLessThanOrEqual(226);
    expect(box.width).toBeGreaterThanOrEqual(88);
    expect(box.width).toBeLessThanOrEqual(92);
    expect(Math.abs(box.x + box.width / 2 - 140)).toBeLessThanOrEqual(2);
    expect(ink.data[140 * 280 + 140]).toBeCloseTo(1, 1);
    expect(ink.data[10 * 280 + 10]).toBe(0);
  });

  it('calls a picture with no ink blank', () => {
    const rgba = paperWithBlock(100, 100, { x: 0, y: 0, w: 0, h: 0 });
    expect(pictureOnPad(rgba, 100, 100, 280).blank).toBe(true);
  });

  it('reads the pad’s ink from its alpha channel, and data set bytes as ink', () => {
    const rgba = new Uint8ClampedArray(2 * 1 * 4);
    rgba.set([17, 17, 17, 255, 0, 0, 0, 51]);
    expect(Array.from(alphaToInk(rgba, 2, 1).data)).toEqual([1, 0.2].map((v) => Math.fround(v)));
    const ink = bytesToInk([0, 255, 51, 102], 2, 2);
    expect(Array.from(ink.data)).toEqual([0, 1, 0.2, 0.4].map((v) => Math.fround(v)));
  });
});
