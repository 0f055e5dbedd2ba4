/**
 * Pictures on the drawing pad: a loaded photo, a sample digit from the data set, or the pad's own pixels, each turned
 * into ink (a GrayImage in [0, 1]) the pad can hold. Plain arrays in and out; the canvas work stays in the cell.
 */
import { findInk, resizeBilinear, type InkSteps } from './ink';
import { crop, grayImage, luminance, resizeArea, type GrayImage } from './preprocess';

/** The size of a width×height picture scaled to fit a size×size square, keeping its proportions (≥ 1 px a side). */
export function fitInSquare(width: number, height: number, size: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new RangeError(`a picture must have a positive size, not ${width}×${height}`);
  const scale = size / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Places `image` in the middle of a size×size square with no ink around it. */
export function centreInSquare(image: GrayImage, size: number): GrayImage {
  if (image.width > size || image.height > size) {
    throw new RangeError(`a ${image.width}×${image.height} image does not fit in ${size}×${size}`);
  }
  const out = grayImage(size, size);
  const left = Math.floor((size - image.width) / 2);
  const top = Math.floor((size - image.height) / 2);
  for (let y = 0; y < image.height; y++) {
    out.data.set(image.data.subarray(y * image.width, (y + 1) * image.width), (top + y) * size + left);
  }
  return out;
}

/** A picture turned into ink on the square pad. */
export interface PadPicture {
  ink: GrayImage;
  /** The picture was dark ink on a light background and was turned into white on black. */
  inverted: boolean;
  /** No ink was found: the picture looks blank. */
  blank: boolean;
  /** How the ink was found (for "what the network sees"). */
  steps: InkSteps;
}

/** Share of the pad the found digit's longer side takes (the rest is margin, as when drawing). */
export const PICTURE_FILL = 0.8;

/**
 * A picture's RGBA pixels (`width`×`height`, read at any size) as ink on the size×size pad: the ink is found (paper,
 * lighting, specks and edges removed; inverted when dark on light), cropped to the digit wherever it lies in the
 * picture, and enlarged or reduced to fill the pad as a drawing would.
 */
export function pictureOnPad(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, size: number): PadPicture {
  const steps = findInk(luminance(rgba, width, height));
  const box = steps.box;
  if (!box) return { ink: grayImage(size, size), inverted: steps.inverted, blank: true, steps };
  const digit = crop(steps.ink, box);
  const fitted = fitInSquare(box.width, box.height, Math.round(size * PICTURE_FILL));
  const scaled = fitted.width >= box.width ? resizeBilinear(digit, fitted.width, fitted.height) : resizeArea(digit, fitted.width, fitted.height);
  return { ink: centreInSquare(scaled, size), inverted: steps.inverted, blank: false, steps };
}

/** The pad's ink from its RGBA pixels: the pad is transparent and ink opaque, so the alpha channel is the ink. */
export function alphaToInk(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): GrayImage {
  const ink = grayImage(width, height);
  for (let p = 0; p < width * height; p++) ink.data[p] = rgba[p * 4 + 3] / 255;
  return ink;
}

/** A data set image (bytes 0–255, white on black) as ink. */
export function bytesToInk(bytes: ArrayLike<number>, width: number, height: number): GrayImage {
  return grayImage(width, height, Float32Array.from(bytes, (v) => v / 255));
}
