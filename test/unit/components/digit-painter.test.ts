import { describe, expect, it } from 'vitest';
import { paintDigit } from '../../../components/digit-painter';

/** A 2D context stand-in that keeps the last image put and the rectangles stroked (Node has no canvas). */
function fakeContext() {
  const painted: { data: Uint8ClampedArray; width: number; height: number }[] = [];
  const strokes: number[][] = [];
  const ctx = {
    canvas: {},
    strokeStyle: '',
    lineWidth: 1,
    createImageData: (width: number, height: number) => ({ data: new Uint8ClampedArray(width * height * 4), width, height }),
    putImageData: (image: { data: Uint8ClampedArray; width: number; height: number }) => painted.push(image),
    strokeRect: (...args: number[]) => strokes.push(args),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, painted, strokes };
}

const grey = (image: { data: Uint8ClampedArray; width: number }, x: number, y: number) => image.data[(y * image.width + x) * 4];

describe('paintDigit', () => {
  it('paints bytes white on black at 28×28, opaque', () => {
    const { ctx, painted } = fakeContext();
    const pixels = new Uint8Array(784);
    pixels[0] = 255;
    pixels[29] = 128;
    paintDigit(ctx, pixels, { scale: 1 });
    const [image] = painted;
    expect(image.width).toBe(28);
    expect(grey(image, 0, 0)).toBe(255);
    expect(grey(image, 1, 1)).toBe(128);
    expect(grey(image, 2, 2)).toBe(0);
    expect(image.data[3]).toBe(255);
  });

  it('reads floats as 0–1 unless told the range, and clamps what lies outside', () => {
    const { ctx, painted } = fakeContext();
    const floats = new Float32Array(784);
    floats[0] = 0.5;
    floats[1] = 1.7;
    floats[2] = -3;
    floats[3] = NaN;
    paintDigit(ctx, floats, { scale: 1 });
    expect([0, 1, 2, 3].map((x) => grey(painted[0], x, 0))).toEqual([128, 255, 0, 0]);
    paintDigit(ctx, [510, ...new Array(783).fill(0)], { scale: 1, range: 510 });
    expect(grey(painted[1], 0, 0)).toBe(255);
  });

  it('scales with crisp squares, inverts, and paints one digit of a batch from its offset', () => {
    const { ctx, painted } = fakeContext();
    const batch = new Float32Array(2 * 784);
    batch[784 + 28 + 1] = 1; // second digit, pixel (1, 1)
    paintDigit(ctx, batch, { scale: 3, invert: true, offset: 784 });
    const [image] = painted;
    expect(image.width).toBe(84);
    for (const [x, y] of [[3, 3], [5, 5], [3, 5]]) expect(grey(image, x, y)).toBe(0);
    for (const [x, y] of [[2, 3], [6, 3], [0, 0]]) expect(grey(image, x, y)).toBe(255);
  });

  it('outlines the highlighted pixel', () => {
    const { ctx, strokes } = fakeContext();
    paintDigit(ctx, new Uint8Array(784), { scale: 10, highlight: { x: 2, y: 3 } });
    expect(strokes).toEqual([[21, 31, 8, 8]]);
    expect(ctx.strokeStyle).toBe('#ff8c00');
  });
});
