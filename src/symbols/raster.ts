/**
 * Brush strokes painted into ink without a canvas: round-capped, anti-aliased lines, as the pad's 2D canvas paints
 * them. The starter set and the Node tests draw with it; the page draws on a real canvas.
 */
import type { PadStroke, Point } from '../draw/pad';
import { grayImage, type GrayImage } from '../draw/preprocess';

/** Distance from p to the segment a–b. */
function segmentDistance(px: number, py: number, a: Point, b: Point): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - a[0]) * dx + (py - a[1]) * dy) / length2));
  const x = a[0] + t * dx - px;
  const y = a[1] + t * dy - py;
  return Math.sqrt(x * x + y * y);
}

/**
 * Paints `strokes` (points in pixels of a width×height pad) into `image`, or into a new blank one: each pixel's ink
 * is how much of it the brush covers (1 inside, a one-pixel soft edge), the maximum over the strokes.
 */
export function paintStrokes(strokes: readonly PadStroke[], width: number, height: number, image = grayImage(width, height)): GrayImage {
  for (const stroke of strokes) {
    const radius = stroke.size / 2;
    const points = stroke.points.length === 1 ? [stroke.points[0], stroke.points[0]] : stroke.points;
    for (let s = 0; s + 1 < points.length; s++) {
      const a = points[s];
      const b = points[s + 1];
      const x0 = Math.max(0, Math.floor(Math.min(a[0], b[0]) - radius - 1));
      const x1 = Math.min(width - 1, Math.ceil(Math.max(a[0], b[0]) + radius + 1));
      const y0 = Math.max(0, Math.floor(Math.min(a[1], b[1]) - radius - 1));
      const y1 = Math.min(height - 1, Math.ceil(Math.max(a[1], b[1]) + radius + 1));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          // Pixel centres are at +0.5, as on a canvas.
          const cover = Math.max(0, Math.min(1, radius + 0.5 - segmentDistance(x + 0.5, y + 0.5, a, b)));
          const i = y * width + x;
          if (cover > image.data[i]) image.data[i] = cover;
        }
      }
    }
  }
  return image;
}
