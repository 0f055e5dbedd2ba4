/**
 * Turns a drawing (or a photo) into an MNIST digit, the way MNIST itself was made: crop to the ink, scale the longer
 * side to 20 px keeping the aspect ratio with anti-aliasing (area averaging), centre by centre of mass in 28×28,
 * white ink on black. Works on plain pixel arrays so it runs (and is tested) anywhere.
 */
import { IMAGE_SIZE } from '../data/mnist';

/** A grey image, row-major, one value per pixel in [0, 1]; 1 is ink. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every step of the preprocessing, to show the learner what the network sees. */
export interface PreprocessSteps {
  raw: GrayImage;
  /** Cropped to the ink's bounding box. */
  cropped: GrayImage;
  box: Box;
  /** Longer side scaled to 20 px (the other side ≤ 20). */
  scaled: GrayImage;
  /** The 28×28 network input. */
  centred: GrayImage;
}

/** The size of the digit's box inside the 28×28 frame (MNIST's 20×20). */
export const DIGIT_BOX = 20;

/** Raised when there is nothing to recognise. */
export class EmptyDrawingError extends Error {
  constructor(message = 'There is no ink to recognise: draw a digit first.') {
    super(message);
    this.name = 'EmptyDrawingError';
  }
}

export function grayImage(width: number, height: number, data?: Float32Array): GrayImage {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`an image must have a positive whole size, not ${width}×${height}`);
  }
  const pixels = data ?? new Float32Array(width * height);
  if (pixels.length !== width * height) throw new RangeError(`${pixels.length} pixels do not make a ${width}×${height} image`);
  return { width, height, data: pixels };
}

/** The smallest box holding every pixel above `threshold`, or null when there is none. */
export function inkBoundingBox(image: GrayImage, threshold = 0): Box | null {
  const { width, height, data } = image;
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[y * width + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

export function crop(image: GrayImage, box: Box): GrayImage {
  const out = grayImage(box.width, box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * image.width + box.x;
    out.data.set(image.data.subarray(from, from + box.width), y * box.width);
  }
  return out;
}

/**
 * Resizes by area averaging: each output pixel is the mean of the input area it covers, fractional pixels weighted
 * by their overlap. That is the anti-aliasing MNIST's digits have; nearest-neighbour would leave jagged strokes.
 */
export function resizeArea(image: GrayImage, width: number, height: number): GrayImage {
  const out = grayImage(width, height);
  const sx = image.width / width;
  const sy = image.height / height;
  // Per output column, the input columns it covers and their weights (reused for every row).
  const colSpans: { start: number; weights: number[] }[] = [];
  for (let x = 0; x < width; x++) colSpans.push(span(x * sx, (x + 1) * sx, image.width));
  for (let y = 0; y < height; y++) {
    const rows = span(y * sy, (y + 1) * sy, image.height);
    for (let x = 0; x < width; x++) {
      const cols = colSpans[x];
      let sum = 0;
      let area = 0;
      for (let j = 0; j < rows.weights.length; j++) {
        const rowOffset = (rows.start + j) * image.width;
        for (let i = 0; i < cols.weights.length; i++) {
          const w = rows.weights[j] * cols.weights[i];
          sum += image.data[rowOffset + cols.start + i] * w;
          area += w;
        }
      }
      out.data[y * width + x] = area > 0 ? sum / area : 0;
    }
  }
  return out;
}

/** The input pixels overlapping [from, to) and how much of each. */
function span(from: number, to: number, limit: number): { start: number; weights: number[] } {
  const start = Math.floor(from);
  const end = Math.min(limit, Math.ceil(to));
  const weights: number[] = [];
  for (let p = start; p < end; p++) weights.push(Math.min(p + 1, to) - Math.max(p, from));
  return { start, weights };
}

/** Centre of mass (x, y) of the ink, in pixel-centre coordinates. */
export function centreOfMass(image: GrayImage): { x: number; y: number } {
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const v = image.data[y * image.width + x];
      total += v;
      sx += v * x;
      sy += v * y;
    }
  }
  if (total <= 0) throw new EmptyDrawingError();
  return { x: sx / total, y: sy / total };
}

/**
 * Places the scaled digit in a size×size frame so that its centre of mass falls on pixel (size/2, size/2) (whole-pixel
 * shift, as MNIST did), keeping the whole digit inside the frame.
 */
export function centreByMass(image: GrayImage, size = IMAGE_SIZE): GrayImage {
  const com = centreOfMass(image);
  // MNIST puts the centre of mass on pixel (14, 14) (measured over its test set: mean 14.00, 13.99).
  const centre = size / 2;
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  const left = clamp(Math.round(centre - com.x), size - image.width);
  const top = clamp(Math.round(centre - com.y), size - image.height);
  const out = grayImage(size, size);
  for (let y = 0; y < image.height; y++) {
    out.data.set(image.data.subarray(y * image.width, (y + 1) * image.width), (top + y) * size + left);
  }
  return out;
}

/**
 * The whole MNIST preprocessing with every intermediate step. `threshold` ignores faint specks when finding the
 * ink's box. Throws EmptyDrawingError when there is no ink.
 */
export function preprocess(raw: GrayImage, threshold = 0.02): PreprocessSteps {
  const box = inkBoundingBox(raw, threshold);
  if (!box) throw new EmptyDrawingError();
  const cropped = crop(raw, box);
  const scale = DIGIT_BOX / Math.max(box.width, box.height);
  const width = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.width * scale)));
  const height = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.height * scale)));
  const scaled = resizeArea(cropped, width, height);
  const centred = centreByMass(scaled);
  return { raw, cropped, box, scaled, centred };
}

/** Luminance in [0, 1] of RGBA bytes (canvas ImageData layout); transparent pixels count as the background. */
export function luminance(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, background: 0 | 1 = 1): GrayImage {
  const out = grayImage(width, height);
  for (let p = 0; p < width * height; p++) {
    const a = rgba[p * 4 + 3] / 255;
    const lum = (0.299 * rgba[p * 4] + 0.587 * rgba[p * 4 + 1] + 0.114 * rgba[p * 4 + 2]) / 255;
    out.data[p] = lum * a + background * (1 - a);
  }
  return out;
}

/** Mean absolute difference of two equally sized images. */
export function meanAbsoluteError(a: GrayImage, b: GrayImage): number {
  if (a.width !== b.width || a.height !== b.height) throw new RangeError('the images differ in size');
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i] - b.data[i]);
  return sum / a.data.length;
}
