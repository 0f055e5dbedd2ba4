import { rgb } from 'd3';

/**
 * Painters for images of any size through a colour function (plain arrays in, pixels out): feature maps, filters,
 * the drawing's preparation steps, a picture's ink on the pad. 28×28 digits use the one digit painter
 * (./digit-painter).
 */

/** A value's colour as [r, g, b] (opaque) or [r, g, b, alpha], each 0–255. */
export type ColourFn = (value: number) => [number, number, number] | [number, number, number, number];

/** White on black, like MNIST itself: 0 → black, 1 → white. */
export const greyColour: ColourFn = (v) => {
  const g = Math.round(Math.max(0, Math.min(1, v)) * 255);
  return [g, g, g];
};

/** Paints a width×height array onto `canvas` (its own pixel size becomes width×height; CSS scales it up). */
export function paintImage(canvas: HTMLCanvasElement, values: ArrayLike<number>, width: number, height: number, colour: ColourFn = greyColour): void {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    const [r, g, b, a = 255] = colour(values[p]);
    image.data[p * 4] = r;
    image.data[p * 4 + 1] = g;
    image.data[p * 4 + 2] = b;
    image.data[p * 4 + 3] = a;
  }
  ctx.putImageData(image, 0, 0);
}

/** Any CSS colour d3 interpolators return ('rgb(…)' or '#rrggbb') as numbers. */
export function parseRgb(css: string): [number, number, number] {
  const c = rgb(css);
  return [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
}

/** A colour function from a CSS-colour interpolator over [0, 1], with a 256-entry lookup table for speed. */
export function lookupColour(interpolate: (t: number) => string): (t: number) => [number, number, number] {
  const table = Array.from({ length: 256 }, (_, i) => parseRgb(interpolate(i / 255)));
  return (t) => table[Math.round(Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * 255)];
}
