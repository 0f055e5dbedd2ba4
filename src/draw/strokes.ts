/**
 * Strokes drawn on plain pixel arrays, with no canvas: anti-aliased thick polylines and glyphs made of them. The
 * "not a digit" check generates its examples of non-digits (letters, scribbles) with these, in the worker or in
 * Node, and the tests draw their digit pictures with them.
 */
import { grayImage, type GrayImage } from './preprocess';

export type StrokePoint = [number, number];
/** A glyph: polylines in a box about 0.6 wide and 1 tall (y grows downwards). */
export type Glyph = StrokePoint[][];

/** Points along an ellipse arc; angles in degrees, 0 = right, 90 = down (y grows downwards). */
export function arc(cx: number, cy: number, rx: number, ry: number, from: number, to: number, steps = 24): StrokePoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const a = ((from + ((to - from) * i) / steps) * Math.PI) / 180;
    return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
  });
}

/** A glyph slanted to the right by `shear` (x moves by shear × height above the baseline). */
export function slant(glyph: Glyph, shear: number): Glyph {
  return glyph.map((poly) => poly.map(([x, y]): StrokePoint => [x + shear * (1 - y), y]));
}

/** The smallest box around a glyph's points. */
export function glyphBox(glyph: Glyph): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of glyph.flat()) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}

/**
 * Draws polylines (in pixels) onto `image` as ink `value`, `width` pixels thick, anti-aliased by each pixel's distance
 * from the stroke; where strokes overlap the stronger ink stays.
 */
export function drawPolylines(image: GrayImage, polylines: readonly StrokePoint[][], width: number, value = 1): void {
  const r = width / 2;
  for (const poly of polylines) {
    const segments = Math.max(1, poly.length - 1);
    for (let s = 0; s < segments; s++) {
      const [ax, ay] = poly[s];
      const [bx, by] = poly[Math.min(s + 1, poly.length - 1)];
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r - 1));
      const x1 = Math.min(image.width - 1, Math.ceil(Math.max(ax, bx) + r + 1));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r - 1));
      const y1 = Math.min(image.height - 1, Math.ceil(Math.max(ay, by) + r + 1));
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const px = x + 0.5 - ax;
          const py = y + 0.5 - ay;
          const t = len2 > 0 ? Math.max(0, Math.min(1, (px * dx + py * dy) / len2)) : 0;
          const d = Math.hypot(px - t * dx, py - t * dy);
          const cover = Math.max(0, Math.min(1, r + 0.5 - d)) * value;
          const i = y * image.width + x;
          if (cover > image.data[i]) image.data[i] = cover;
        }
      }
    }
  }
}

export interface GlyphBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Draws a glyph as ink into `box` of `image`, keeping its proportions (centred in the box), strokes `stroke` × the
 * box's height thick.
 */
export function drawGlyph(image: GrayImage, glyph: Glyph, box: GlyphBox, stroke = 0.1, value = 1): void {
  const b = glyphBox(glyph);
  const gw = b.x1 - b.x0;
  const gh = b.y1 - b.y0;
  const thick = stroke * box.height;
  // The strokes' half width stays inside the box too.
  const scale = Math.min((box.width - thick) / Math.max(gw, 1e-6), (box.height - thick) / Math.max(gh, 1e-6));
  const ox = box.x + (box.width - gw * scale) / 2 - b.x0 * scale;
  const oy = box.y + (box.height - gh * scale) / 2 - b.y0 * scale;
  drawPolylines(image, glyph.map((poly) => poly.map(([x, y]): StrokePoint => [ox + x * scale, oy + y * scale])), thick, value);
}

/** A glyph as white ink on black, size×size, filling most of the square (as drawn on the pad). */
export function glyphImage(glyph: Glyph, size = 280, stroke = 0.1): GrayImage {
  const image = grayImage(size, size);
  drawGlyph(image, glyph, { x: size * 0.15, y: size * 0.1, width: size * 0.7, height: size * 0.8 }, stroke);
  return image;
}
