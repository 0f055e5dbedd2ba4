// Drawings made in the tests, as stroke paths (no shipped data): the symbols + × = − and a few digits, in the style
// they are taught in and in other styles (thinner and thicker brushes, slanted, smaller, off-centre, wobbly), and whole
// lines such as "12+7=". Points are fractions of the pad (0–1); the unit tests paint them with src/symbols/raster,
// the browser tests draw them with the mouse.
import { seededRandom, type Random } from '../../../src/data/random';
import type { PadStroke } from '../../../src/draw/pad';
import type { GrayImage } from '../../../src/draw/preprocess';
import { paintStrokes } from '../../../src/symbols/raster';

export type Path = [number, number][];

export interface Drawing {
  paths: Path[];
  /** Brush width in pad pixels on the 280-pixel pad (the pad's default is 22). */
  brush: number;
}

export type Shape = '+' | '×' | '=' | '−' | '÷' | '0' | '1' | '2' | '3' | '4' | '5' | '7';

const line = (x0: number, y0: number, x1: number, y1: number, n = 10): Path =>
  Array.from({ length: n }, (_, k) => [x0 + ((x1 - x0) * k) / (n - 1), y0 + ((y1 - y0) * k) / (n - 1)]);

/** An arc of the ellipse centred at (cx, cy), angles in degrees (0 = up, clockwise on screen). */
const arc = (cx: number, cy: number, rx: number, ry: number, from: number, to: number, n = 16): Path =>
  Array.from({ length: n }, (_, k) => {
    const a = ((from + ((to - from) * k) / (n - 1)) * Math.PI) / 180;
    return [cx + rx * Math.sin(a), cy - ry * Math.cos(a)];
  });

/** The bare shapes, centred in the unit square, about 0.6 tall. */
function shapePaths(shape: Shape, r: Random): Path[] {
  const j = (amount: number) => (2 * r() - 1) * amount;
  const a = 0.26 + j(0.04);
  switch (shape) {
    case '+':
      return [line(0.5 - a, 0.5 + j(0.03), 0.5 + a, 0.5 + j(0.03)), line(0.5 + j(0.03), 0.5 - a, 0.5 + j(0.03), 0.5 + a)];
    case '×':
      return [line(0.5 - a * 0.85, 0.5 - a, 0.5 + a * 0.85, 0.5 + a), line(0.5 + a * 0.85, 0.5 - a, 0.5 - a * 0.85, 0.5 + a)];
    case '=':
      return [line(0.5 - a, 0.4 + j(0.02), 0.5 + a, 0.4 + j(0.02)), line(0.5 - a, 0.6 + j(0.02), 0.5 + a, 0.6 + j(0.02))];
    case '−':
      return [line(0.5 - a, 0.5 + j(0.03), 0.5 + a, 0.5 + j(0.03))];
    case '÷':
      return [line(0.5 - a, 0.5, 0.5 + a, 0.5), [[0.5, 0.3]], [[0.5, 0.7]]];
    case '0':
      return [arc(0.5, 0.5, 0.19 + j(0.02), 0.3, 0, 360, 33)];
    case '1':
      return [line(0.5 + j(0.02), 0.2, 0.5 + j(0.02), 0.8)];
    case '2':
      return [[...arc(0.5, 0.36, 0.18, 0.15, -70, 120, 12), ...line(0.62, 0.48, 0.3, 0.8, 8).slice(1), ...line(0.3, 0.8, 0.72, 0.8, 6).slice(1)]];
    case '3':
      return [[...arc(0.48, 0.34, 0.17, 0.14, -60, 170, 12), ...arc(0.48, 0.64, 0.19, 0.16, 10, 220, 12)]];
    case '4':
      return [[...line(0.55, 0.2, 0.3, 0.62, 8), ...line(0.3, 0.62, 0.72, 0.62, 6).slice(1)], line(0.6, 0.4, 0.6, 0.82, 8)];
    case '5':
      return [[...line(0.68, 0.2, 0.38, 0.2, 5), ...line(0.38, 0.2, 0.35, 0.46, 5).slice(1), ...arc(0.48, 0.6, 0.2, 0.18, -70, 200, 14).slice(1)]];
    case '7':
      return [[...line(0.3, 0.22, 0.7, 0.22, 6), ...line(0.7, 0.22, 0.45, 0.8, 10).slice(1)]];
  }
}

/** The style symbols are taught in: the default brush, upright, centred, steady lines with a little jitter. */
export function taughtDrawing(shape: Shape, seed: number): Drawing {
  return { paths: shapePaths(shape, seededRandom(seed)), brush: 22 };
}

/**
 * The same shape in another style: one of thin, thick, slanted, small and off-centre, wide, wobbly — each with its
 * own jitter.
 */
export function otherStyleDrawing(shape: Shape, seed: number): Drawing {
  const r = seededRandom(1000 + seed);
  const paths = shapePaths(shape, r);
  const style = seed % 6;
  const brush = style === 0 ? 14 : style === 1 ? 32 : 20 + Math.round(r() * 6);
  const angle = ((style === 2 ? 9 : 4) * (r() < 0.5 ? -1 : 1) * Math.PI) / 180;
  const scale = style === 3 ? 0.6 : 0.9 + r() * 0.25;
  const [dx, dy] = style === 3 ? [0.15 * (r() < 0.5 ? -1 : 1), -0.12] : [0, 0];
  const [sx, sy] = style === 4 ? [1.25, 0.85] : [1, 1];
  const wobble = style === 5 ? 0.012 : 0.004;
  const moved = paths.map((path) =>
    path.map(([x, y], k): [number, number] => {
      const u = (x - 0.5) * sx * scale;
      const v = (y - 0.5) * sy * scale;
      const w = wobble * Math.sin(k * 1.7 + seed);
      return [0.5 + dx + u * Math.cos(angle) - v * Math.sin(angle) + w, 0.5 + dy + u * Math.sin(angle) + v * Math.cos(angle) - w];
    }),
  );
  return { paths: moved, brush };
}

/** The drawing as pad strokes in pixels of a size×size pad. */
export function toStrokes(drawing: Drawing, size = 280): PadStroke[] {
  return drawing.paths.map((path) => ({ kind: 'stroke', size: drawing.brush * (size / 280), points: path.map(([x, y]) => [x * size, y * size]) }));
}

/** The drawing painted on a size×size pad, as the pad's ink. */
export function paintDrawing(drawing: Drawing, size = 280): GrayImage {
  return paintStrokes(toStrokes(drawing, size), size, size);
}

/**
 * A line of characters ("12+7=") as paths in fractions of a wide pad (width:height = `aspect`), written as a person
 * would on a line: each character 70% of the line's height, the next one three quarters of a character further on.
 */
export function linePaths(text: string, aspect: number, seed = 1): Path[] {
  const chars = [...text] as Shape[];
  const height = 0.7;
  const width = height / aspect;
  const step = width * 0.75;
  const start = (1 - (step * (chars.length - 1) + width)) / 2;
  return chars.flatMap((c, i) => {
    const x0 = start + i * step;
    return taughtDrawing(c, seed + i).paths.map((path) => path.map(([x, y]): [number, number] => [x0 + x * width, 0.15 + y * height]));
  });
}
