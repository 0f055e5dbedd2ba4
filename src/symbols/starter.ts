/**
 * The starter set: + − × ÷ = with 12 drawings each, so a learner can teach at once and see what teaching does. The
 * drawings are made by this program, not by people — straight strokes with random tilt, length, position, sag and
 * brush width, painted like the pad's brush and prepared like MNIST — and the lab says so wherever it offers them:
 * real handwriting varies more. (The tests draw their own symbols with other recipes: test/unit/symbols/strokes.ts.)
 */
import { seededRandom, type Random } from '../data/random';
import type { PadStroke, Point } from '../draw/pad';
import { preprocess } from '../draw/preprocess';
import { addClass, addExample, EMPTY_CLASS_SET, type ClassSet } from './class-set';
import { paintStrokes } from './raster';

export const STARTER_SYMBOLS = ['+', '−', '×', '÷', '='] as const;
export const STARTER_PER_CLASS = 12;
/** Where the starter set comes from, in the learner's words. */
export const STARTER_ORIGIN = 'drawn by a program (straight strokes with random tilt, length, sag and brush width), not by people: real handwriting varies more';

const PAD = 280;

/** A slightly sagging stroke from a to b (points in fractions of the pad). */
function bar(a: Point, b: Point, sag: number): Point[] {
  return Array.from({ length: 9 }, (_, k): Point => {
    const t = k / 8;
    const bend = sag * 4 * t * (1 - t);
    return [a[0] + (b[0] - a[0]) * t - (b[1] - a[1]) * bend, a[1] + (b[1] - a[1]) * t + (b[0] - a[0]) * bend];
  });
}

/** One drawing of `symbol` as paths in fractions of the pad, centred on (0.5, 0.5) before the overall tilt. */
function symbolPaths(symbol: (typeof STARTER_SYMBOLS)[number], r: Random): Point[][] {
  const j = (amount: number) => (2 * r() - 1) * amount;
  const half = 0.2 + r() * 0.1;
  const sag = () => j(0.06);
  switch (symbol) {
    case '+':
      return [bar([0.5 - half, 0.5 + j(0.04)], [0.5 + half, 0.5 + j(0.04)], sag()), bar([0.5 + j(0.04), 0.5 - half], [0.5 + j(0.04), 0.5 + half], sag())];
    case '−':
      return [bar([0.5 - half, 0.5], [0.5 + half, 0.5 + j(0.05)], sag())];
    case '×':
      return [bar([0.5 - half, 0.5 - half], [0.5 + half, 0.5 + half], sag()), bar([0.5 + half, 0.5 - half + j(0.03)], [0.5 - half, 0.5 + half + j(0.03)], sag())];
    case '÷': {
      const gap = 0.14 + r() * 0.06;
      const dot = (y: number): Point[] => [[0.5 + j(0.03), y]];
      return [bar([0.5 - half, 0.5], [0.5 + half, 0.5 + j(0.03)], sag()), dot(0.5 - gap), dot(0.5 + gap)];
    }
    case '=': {
      const gap = 0.07 + r() * 0.05;
      return [bar([0.5 - half, 0.5 - gap], [0.5 + half, 0.5 - gap + j(0.03)], sag()), bar([0.5 - half + j(0.04), 0.5 + gap], [0.5 + half + j(0.04), 0.5 + gap + j(0.03)], sag())];
    }
  }
}

/** One drawing painted on the pad and prepared like MNIST (784 values in [0, 1]). */
function starterDrawing(symbol: (typeof STARTER_SYMBOLS)[number], r: Random): Float32Array {
  const tilt = (((2 * r() - 1) * 10) * Math.PI) / 180;
  const [dx, dy] = [(2 * r() - 1) * 0.08, (2 * r() - 1) * 0.08];
  const brush = 16 + Math.round(r() * 12);
  const strokes: PadStroke[] = symbolPaths(symbol, r).map((path) => ({
    kind: 'stroke',
    size: brush,
    points: path.map(([x, y]): Point => {
      const [u, v] = [x - 0.5, y - 0.5];
      return [(0.5 + dx + u * Math.cos(tilt) - v * Math.sin(tilt)) * PAD, (0.5 + dy + u * Math.sin(tilt) + v * Math.cos(tilt)) * PAD];
    }),
  }));
  return preprocess(paintStrokes(strokes, PAD, PAD)).centred.data;
}

/** The starter set (the same every time). */
export function starterSet(seed = 7): ClassSet {
  const r = seededRandom(seed);
  let set: ClassSet = EMPTY_CLASS_SET;
  for (const symbol of STARTER_SYMBOLS) {
    set = addClass(set, symbol);
    for (let i = 0; i < STARTER_PER_CLASS; i++) set = addExample(set, symbol, starterDrawing(symbol, r));
  }
  return set;
}
