/**
 * Splits a line of handwriting into characters: the ink's connected components (8-connected), grouped when they
 * share columns (the two bars of "=", the dots of "÷", a "+" drawn in two strokes), ordered left to right. Each
 * character keeps only its own ink, ready to be prepared like MNIST (src/draw/preprocess).
 */
import { grayImage, preprocess, type Box, type GrayImage } from '../draw/preprocess';

export interface Segment {
  /** Where the character is on the line, in the line's pixels. */
  box: Box;
  /** The character's own ink, cropped to its box (a neighbour reaching into the box is left out). */
  image: GrayImage;
}

export interface SegmentOptions {
  /** Ink above this counts (the soft edge of a stroke included). */
  threshold?: number;
  /** Components smaller than this many pixels are specks, not characters. */
  minArea?: number;
  /** Two groups are one character when their columns overlap by this share of the narrower one. */
  overlap?: number;
}

interface Component {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  area: number;
}

/** Labels each inked pixel with its component (1, 2, …; 0 = no ink). */
function labelComponents(ink: GrayImage, threshold: number): { labels: Int32Array; components: Component[] } {
  const { width, height, data } = ink;
  const labels = new Int32Array(width * height);
  const components: Component[] = [];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < data.length; start++) {
    if (labels[start] !== 0 || data[start] <= threshold) continue;
    const id = components.length + 1;
    const c: Component = { x0: width, x1: -1, y0: height, y1: -1, area: 0 };
    let top = 0;
    stack[top++] = start;
    labels[start] = id;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (labels[q] === 0 && data[q] > threshold) {
            labels[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    components.push(c);
  }
  return { labels, components };
}

/** The characters on a line, left to right. An empty line gives none. */
export function segmentLine(ink: GrayImage, options: SegmentOptions = {}): Segment[] {
  const threshold = options.threshold ?? 0.05;
  const minArea = options.minArea ?? 12;
  const overlap = options.overlap ?? 0.3;
  const { labels, components } = labelComponents(ink, threshold);
  // Groups of component ids, merged while any two share enough columns.
  let groups = components
    .map((c, i) => ({ ids: [i + 1], ...c }))
    .filter((g) => g.area >= minArea)
    .sort((a, b) => a.x0 - b.x0);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < groups.length && !merged; i++) {
      for (let j = i + 1; j < groups.length && !merged; j++) {
        const a = groups[i];
        const b = groups[j];
        const shared = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1;
        const narrower = Math.min(a.x1 - a.x0, b.x1 - b.x0) + 1;
        if (shared >= overlap * narrower) {
          groups[i] = { ids: [...a.ids, ...b.ids], x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1), y0: Math.min(a.y0, b.y0), y1: Math.max(a.y1, b.y1), area: a.area + b.area };
          groups = groups.filter((_, k) => k !== j);
          merged = true;
        }
      }
    }
  }
  return groups
    .sort((a, b) => a.x0 - b.x0)
    .map((g) => {
      const box: Box = { x: g.x0, y: g.y0, width: g.x1 - g.x0 + 1, height: g.y1 - g.y0 + 1 };
      const ids = new Set(g.ids);
      const image = grayImage(box.width, box.height);
      for (let y = 0; y < box.height; y++) {
        for (let x = 0; x < box.width; x++) {
          const p = (box.y + y) * ink.width + box.x + x;
          if (ids.has(labels[p])) image.data[y * box.width + x] = ink.data[p];
        }
      }
      return { box, image };
    });
}

/** Each character prepared as MNIST was (cropped, scaled to 20 px, centred by mass in 28×28). */
export function prepareSegments(segments: readonly Segment[]): Float32Array[] {
  return segments.map((s) => preprocess(s.image).centred.data);
}

/** The rows `top` to `top + height` of an image (the visible band of the line pad). */
export function cropRows(image: GrayImage, top: number, height: number): GrayImage {
  const out = grayImage(image.width, height);
  out.data.set(image.data.subarray(top * image.width, (top + height) * image.width));
  return out;
}
