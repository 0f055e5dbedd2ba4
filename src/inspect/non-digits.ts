/**
 * Examples of things that are not digits, made on the spot (no files): capital and small letters drawn as strokes, scribbles,
 * and four kinds of noise, each prepared as MNIST is (src/draw/preprocess.ts). The "not a digit" check is fitted
 * against these (src/inspect/digit-check.ts); fresh ones, with other seeds and other fonts, test it.
 */
import type { Random } from '../data/random';
import { resizeBilinear } from '../draw/ink';
import { preprocess, grayImage, type GrayImage } from '../draw/preprocess';
import { arc, drawGlyph, drawPolylines, slant, type Glyph, type StrokePoint } from '../draw/strokes';

const line = (...points: StrokePoint[]): StrokePoint[] => points;

/** Capital letters as strokes. O, I, S and Z are left out: they are drawn like the digits 0, 1, 5 and 2. */
export const LETTER_GLYPHS: Readonly<Record<string, Glyph>> = {
  A: [line([0, 1], [0.3, 0], [0.6, 1]), line([0.11, 0.64], [0.49, 0.64])],
  B: [line([0.05, 1], [0.05, 0], [0.38, 0]), arc(0.36, 0.24, 0.2, 0.24, 270, 450), line([0.05, 0.48], [0.38, 0.48]), arc(0.36, 0.74, 0.22, 0.26, 270, 450), line([0.36, 1], [0.05, 1])],
  C: [arc(0.33, 0.5, 0.3, 0.5, 45, 315, 30)],
  D: [line([0.05, 0], [0.05, 1]), line([0.05, 0], [0.25, 0]), arc(0.25, 0.5, 0.33, 0.5, 270, 450), line([0.25, 1], [0.05, 1])],
  E: [line([0.55, 0], [0.05, 0], [0.05, 1], [0.55, 1]), line([0.05, 0.5], [0.45, 0.5])],
  F: [line([0.55, 0], [0.05, 0], [0.05, 1]), line([0.05, 0.5], [0.45, 0.5])],
  G: [arc(0.33, 0.5, 0.3, 0.5, 315, 45, 30).reverse(), line([0.63, 0.85], [0.63, 0.55], [0.38, 0.55])],
  H: [line([0.05, 0], [0.05, 1]), line([0.55, 0], [0.55, 1]), line([0.05, 0.5], [0.55, 0.5])],
  J: [[[0.5, 0], ...arc(0.27, 0.77, 0.23, 0.23, 0, 170, 12)]],
  K: [line([0.05, 0], [0.05, 1]), line([0.55, 0], [0.05, 0.6]), line([0.22, 0.42], [0.58, 1])],
  L: [line([0.05, 0], [0.05, 1], [0.55, 1])],
  M: [line([0.02, 1], [0.06, 0], [0.3, 0.7], [0.54, 0], [0.58, 1])],
  N: [line([0.05, 1], [0.05, 0], [0.55, 1], [0.55, 0])],
  P: [line([0.05, 1], [0.05, 0], [0.33, 0]), arc(0.33, 0.26, 0.24, 0.26, 270, 450), line([0.33, 0.52], [0.05, 0.52])],
  Q: [arc(0.3, 0.5, 0.3, 0.5, 0, 360, 40), line([0.35, 0.72], [0.62, 1.02])],
  R: [line([0.05, 1], [0.05, 0], [0.33, 0]), arc(0.33, 0.26, 0.24, 0.26, 270, 450), line([0.33, 0.52], [0.05, 0.52]), line([0.3, 0.52], [0.58, 1])],
  T: [line([0, 0], [0.6, 0]), line([0.3, 0], [0.3, 1])],
  U: [[[0.05, 0], ...arc(0.3, 0.72, 0.25, 0.28, 180, 0, 20), [0.55, 0]]],
  V: [line([0, 0], [0.3, 1], [0.6, 0])],
  W: [line([0, 0], [0.15, 1], [0.3, 0.35], [0.45, 1], [0.6, 0])],
  X: [line([0.02, 0], [0.58, 1]), line([0.58, 0], [0.02, 1])],
  Y: [line([0, 0], [0.3, 0.5], [0.6, 0]), line([0.3, 0.5], [0.3, 1])],
};

/**
 * Small letters as strokes (an x-height bowl or hump, with ascenders and descenders). Printed text is mostly these;
 * o, l, s, z and i are left out for the same reason as their capitals.
 */
export const SMALL_LETTER_GLYPHS: Readonly<Record<string, Glyph>> = {
  a: [[...arc(0.28, 0.42, 0.22, 0.16, 200, 360, 10), [0.5, 1]], arc(0.3, 0.78, 0.2, 0.2, 0, 360, 24)],
  b: [line([0.05, 0], [0.05, 1]), arc(0.3, 0.72, 0.25, 0.28, 0, 360, 24)],
  d: [line([0.55, 0], [0.55, 1]), arc(0.3, 0.72, 0.25, 0.28, 0, 360, 24)],
  e: [line([0.06, 0.62], [0.54, 0.62]), arc(0.3, 0.68, 0.24, 0.3, 0, -315, 28)],
  f: [[...arc(0.45, 0.15, 0.15, 0.15, -10, -180, 10), [0.3, 1]], line([0.1, 0.4], [0.5, 0.4])],
  g: [arc(0.3, 0.3, 0.22, 0.28, 0, 360, 24), [[0.52, 0.05], [0.52, 0.85], ...arc(0.3, 0.85, 0.22, 0.15, 0, 160, 10)]],
  h: [line([0.05, 0], [0.05, 1]), [[0.05, 0.55], ...arc(0.3, 0.6, 0.24, 0.2, 180, 360, 12), [0.54, 1]]],
  k: [line([0.05, 0], [0.05, 1]), line([0.5, 0.4], [0.05, 0.75]), line([0.2, 0.65], [0.55, 1])],
  m: [line([0.02, 1], [0.02, 0.4]), [[0.02, 0.55], ...arc(0.16, 0.55, 0.14, 0.15, 180, 360, 8), [0.3, 1]], [[0.3, 0.55], ...arc(0.44, 0.55, 0.14, 0.15, 180, 360, 8), [0.58, 1]]],
  n: [line([0.05, 1], [0.05, 0.4]), [[0.05, 0.6], ...arc(0.3, 0.6, 0.24, 0.2, 180, 360, 12), [0.54, 1]]],
  p: [line([0.05, 0.3], [0.05, 1.3]), arc(0.3, 0.6, 0.25, 0.3, 0, 360, 24)],
  q: [line([0.55, 0.3], [0.55, 1.3]), arc(0.3, 0.6, 0.25, 0.3, 0, 360, 24)],
  r: [line([0.05, 1], [0.05, 0.4]), [[0.05, 0.6], ...arc(0.3, 0.62, 0.25, 0.2, 180, 300, 8)]],
  t: [line([0.25, 0.05], [0.25, 0.9], [0.45, 1]), line([0.05, 0.35], [0.5, 0.35])],
  u: [[[0.05, 0.4], ...arc(0.3, 0.75, 0.25, 0.25, 180, 0, 12), [0.55, 0.4]], line([0.55, 0.4], [0.55, 1])],
  w: [line([0, 0.4], [0.15, 1], [0.3, 0.5], [0.45, 1], [0.6, 0.4])],
  y: [line([0, 0.4], [0.3, 1]), line([0.6, 0.4], [0.15, 1.4])],
};

/** Kinds of noise picture: fine noise, coarse blocks, sparse dots, soft blobs. */
export const NOISE_KINDS = ['fine', 'blocks', 'dots', 'blobs'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

/** The glyph with short crossbars at the ends of its strokes, as a book face has. */
export function withSerifs(glyph: Glyph, length = 0.12): Glyph {
  const serifs: StrokePoint[][] = [];
  for (const poly of glyph) {
    if (poly.length < 2) continue;
    for (const [end, next] of [[poly[0], poly[1]], [poly[poly.length - 1], poly[poly.length - 2]]]) {
      const dx = next[0] - end[0];
      const dy = next[1] - end[1];
      const len = Math.hypot(dx, dy) || 1;
      // Across the stroke, centred on its end.
      const [nx, ny] = [(-dy / len) * length * 0.5, (dx / len) * length * 0.5];
      serifs.push([[end[0] - nx, end[1] - ny], [end[0] + nx, end[1] + ny]]);
    }
  }
  return [...glyph, ...serifs];
}

/** A letter as drawn or printed on a size×size pad: random width, slant, stroke weight, and serifs half the time. */
export function letterPicture(glyph: Glyph, random: Random, size = 280): GrayImage {
  const image = grayImage(size, size);
  const width = 0.5 + 0.5 * random();
  const shaped = random() < 0.5 ? withSerifs(glyph) : glyph;
  drawGlyph(image, slant(shaped, (random() - 0.5) * 0.4), { x: size * (0.5 - 0.36 * width), y: size * 0.1, width: size * 0.72 * width, height: size * 0.8 }, 0.06 + 0.16 * random());
  return image;
}

/** A scribble: 1–3 smooth random strokes, as a learner might draw on the pad. */
export function scribblePicture(random: Random, size = 280): GrayImage {
  const image = grayImage(size, size);
  const strokes = 1 + Math.floor(random() * 3);
  const polylines: StrokePoint[][] = [];
  for (let s = 0; s < strokes; s++) {
    let x = size * (0.2 + 0.6 * random());
    let y = size * (0.2 + 0.6 * random());
    let angle = random() * Math.PI * 2;
    const turn = (random() - 0.5) * 0.5;
    const poly: StrokePoint[] = [[x, y]];
    const steps = 20 + Math.floor(random() * 40);
    for (let k = 0; k < steps; k++) {
      angle += turn + (random() - 0.5) * 0.9;
      x = Math.max(10, Math.min(size - 10, x + Math.cos(angle) * size * 0.04));
      y = Math.max(10, Math.min(size - 10, y + Math.sin(angle) * size * 0.04));
      poly.push([x, y]);
    }
    polylines.push(poly);
  }
  drawPolylines(image, polylines, size * (0.05 + 0.05 * random()));
  return image;
}

/** A noise picture, size×size, ink in [0, 1]. */
export function noisePicture(kind: NoiseKind, random: Random, size = 280): GrayImage {
  const image = grayImage(size, size);
  const d = image.data;
  if (kind === 'fine') {
    for (let i = 0; i < d.length; i++) d[i] = random();
  } else if (kind === 'blocks') {
    const cells = 6 + Math.floor(random() * 20);
    const values = Array.from({ length: cells * cells }, () => random());
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) d[y * size + x] = values[Math.floor((y * cells) / size) * cells + Math.floor((x * cells) / size)];
  } else if (kind === 'dots') {
    const share = 0.02 + 0.2 * random();
    for (let i = 0; i < d.length; i++) d[i] = random() < share ? 1 : 0;
  } else {
    const blobs = 3 + Math.floor(random() * 8);
    for (let b = 0; b < blobs; b++) {
      const cx = random() * size;
      const cy = random() * size;
      const r = size * (0.04 + 0.15 * random());
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) d[y * size + x] = Math.min(1, d[y * size + x] + Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r)));
      }
    }
  }
  return image;
}

export type NonDigitKind = 'letter' | 'scribble' | 'noise';

export interface NonDigits {
  /** count × 784 bytes, white on black, prepared as MNIST. */
  images: Uint8Array;
  kinds: NonDigitKind[];
  count: number;
}

/** A picture prepared as MNIST, as bytes. */
export function asInputBytes(picture: GrayImage): Uint8Array {
  return Uint8Array.from(preprocess(picture).centred.data, (v) => Math.round(Math.max(0, Math.min(1, v)) * 255));
}

/**
 * Non-digits prepared as MNIST: `perLetter` drawings of each capital (and of each small letter with `smallLetters`), `noise` pictures of each noise kind and
 * `scribbles` scribbles, made with `random` (28×28 pictures drawn at pad size, then prepared).
 */
export function makeNonDigits(random: Random, counts: { perLetter: number; noise: number; scribbles: number; smallLetters?: boolean }): NonDigits {
  const pictures: { kind: NonDigitKind; bytes: Uint8Array }[] = [];
  const size = 112; // pad-like proportions at a quarter of the pad: the same 28×28 after preparation, 16× less work
  for (let v = 0; v < counts.perLetter; v++) {
    for (const glyph of Object.values(LETTER_GLYPHS)) pictures.push({ kind: 'letter', bytes: asInputBytes(letterPicture(glyph, random, size)) });
    if (counts.smallLetters) for (const glyph of Object.values(SMALL_LETTER_GLYPHS)) pictures.push({ kind: 'letter', bytes: asInputBytes(letterPicture(glyph, random, size)) });
  }
  for (const kind of NOISE_KINDS) for (let i = 0; i < counts.noise; i++) pictures.push({ kind: 'noise', bytes: asInputBytes(noisePicture(kind, random, size)) });
  for (let i = 0; i < counts.scribbles; i++) pictures.push({ kind: 'scribble', bytes: asInputBytes(scribblePicture(random, size)) });
  const images = new Uint8Array(pictures.length * 784);
  pictures.forEach((p, i) => images.set(p.bytes, i * 784));
  return { images, kinds: pictures.map((p) => p.kind), count: pictures.length };
}

/**
 * MNIST digits as the draw pad shows them: a sample digit (or a photo of one) is enlarged onto the pad, smoothed, and
 * prepared again, which blurs and re-centres it. Fitted and calibrated on raw MNIST alone, the check turned away one
 * in nine sample digits on the pad; so it also learns these. `size`: the pad's side (112 is 16× less work than 280
 * and gives the same 28×28 after preparation).
 */
export function asOnPad(images: Uint8Array, count: number, size = 112): Uint8Array {
  const out = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    const digit = grayImage(28, 28, Float32Array.from(images.subarray(i * 784, (i + 1) * 784), (v) => v / 255));
    out.set(asInputBytes(resizeBilinear(digit, size, size)), i * 784);
  }
  return out;
}
