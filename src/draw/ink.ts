/**
 * Finding the ink in a real picture: a photo of a digit on paper, with uneven light, a dark table around the sheet,
 * dust, grey pencil on grey paper, the digit small in a corner or filling the frame. The steps:
 *
 * 1. smooth a little (sensor noise);
 * 2. decide dark-on-light or light-on-dark from how the picture departs from its local background (not from the
 *    border, which a dark table or a vignette fools);
 * 3. estimate the paper with its lighting: a morphological closing (for dark ink) wide enough to wipe out strokes
 *    but keep gradients, vignettes and the edges of a dark table;
 * 4. ink strength = how much darker than its own paper each pixel is, relative to that paper (light falls on ink
 *    and paper alike);
 * 5. threshold against the measured noise with hysteresis, and keep the connected pieces that form the digit:
 *    specks, and pieces that run along the picture's edge (a table, a shadow), are dropped.
 *
 * Plain arrays in and out; every step is returned so the page can show it.
 */
import { grayImage, type Box, type GrayImage } from './preprocess';

export interface InkSteps {
  /** The picture in grey (0 black – 1 white), at the size it was read. */
  gray: GrayImage;
  /** The estimated paper, lighting included (in grey). */
  background: GrayImage;
  /** How strongly each pixel stands out from its paper, 0–1 (1: the strongest ink). */
  strength: GrayImage;
  /** The ink kept: the digit's pieces only, 0–1. */
  ink: GrayImage;
  /** The kept ink's box in the picture, or null when there is none. */
  box: Box | null;
  /** The picture was dark ink on light paper (it is turned into white on black, as MNIST is). */
  inverted: boolean;
  /** Pieces dropped: specks, and marks along the picture's edge. */
  dropped: number;
}

/** Mean over a (2r+1)² window (edges use the pixels that exist), in O(pixels) with running sums. */
export function boxBlur(image: GrayImage, r: number): GrayImage {
  const { width, height, data } = image;
  const tmp = new Float32Array(data.length);
  const out = grayImage(width, height);
  for (let y = 0; y < height; y++) {
    let sum = 0;
    const row = y * width;
    for (let x = 0; x < Math.min(r, width); x++) sum += data[row + x];
    for (let x = 0; x < width; x++) {
      if (x + r < width) sum += data[row + x + r];
      if (x - r - 1 >= 0) sum -= data[row + x - r - 1];
      tmp[row + x] = sum / (Math.min(width - 1, x + r) - Math.max(0, x - r) + 1);
    }
  }
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = 0; y < Math.min(r, height); y++) sum += tmp[y * width + x];
    for (let y = 0; y < height; y++) {
      if (y + r < height) sum += tmp[(y + r) * width + x];
      if (y - r - 1 >= 0) sum -= tmp[(y - r - 1) * width + x];
      out.data[y * width + x] = sum / (Math.min(height - 1, y + r) - Math.max(0, y - r) + 1);
    }
  }
  return out;
}

/**
 * Running maximum (or minimum) over a window of `k` samples centred on each, along one line of `n` samples
 * `stride` apart (van Herk / Gil-Werman: three comparisons per sample whatever the window).
 */
function runningExtreme(src: Float32Array, dst: Float32Array, start: number, n: number, stride: number, k: number, max: boolean, scratch: ExtremeScratch): void {
  const half = k >> 1;
  const len = n + k;
  // The line, padded with a value that never wins, once; then forward and backward runs within blocks of k.
  const { line, g, h } = scratch;
  line.fill(max ? -Infinity : Infinity, 0, len);
  for (let j = 0; j < n; j++) line[j + half] = src[start + j * stride];
  if (max) {
    for (let i = 0; i < len; i++) g[i] = i % k === 0 ? line[i] : Math.max(g[i - 1], line[i]);
    for (let i = len - 1; i >= 0; i--) h[i] = i % k === k - 1 || i === len - 1 ? line[i] : Math.max(h[i + 1], line[i]);
    for (let j = 0; j < n; j++) dst[start + j * stride] = Math.max(h[j], g[j + k - 1]);
  } else {
    for (let i = 0; i < len; i++) g[i] = i % k === 0 ? line[i] : Math.min(g[i - 1], line[i]);
    for (let i = len - 1; i >= 0; i--) h[i] = i % k === k - 1 || i === len - 1 ? line[i] : Math.min(h[i + 1], line[i]);
    for (let j = 0; j < n; j++) dst[start + j * stride] = Math.min(h[j], g[j + k - 1]);
  }
}

/** Buffers for runningExtreme, made once per filter pass instead of once per line. */
interface ExtremeScratch {
  line: Float32Array;
  g: Float32Array;
  h: Float32Array;
}

function extremeScratch(longest: number): ExtremeScratch {
  return { line: new Float32Array(longest), g: new Float32Array(longest), h: new Float32Array(longest) };
}

/** Maximum (or minimum) filter over a k×k square (k odd), separable. */
export function extremeFilter(image: GrayImage, k: number, max: boolean): GrayImage {
  const { width, height, data } = image;
  const tmp = new Float32Array(data.length);
  const out = grayImage(width, height);
  const scratch = extremeScratch(Math.max(width, height) + k);
  for (let y = 0; y < height; y++) runningExtreme(data, tmp, y * width, width, 1, k, max, scratch);
  for (let x = 0; x < width; x++) runningExtreme(tmp, out.data, x, height, width, k, max, scratch);
  return out;
}

/** The paper under dark ink: closing (max then min) removes dark marks narrower than k, keeps broad shading. */
export function paperUnderDarkInk(image: GrayImage, k: number): GrayImage {
  return extremeFilter(extremeFilter(image, k, true), k, false);
}

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * True when the ink is darker than the paper: most of a picture is paper, so its median is the paper's level, and
 * the ink is the side that departs from it most (a dark table around a white sheet departs on the dark side too;
 * an even gradient departs on both sides alike, and is read as paper).
 */
export function inkIsDark(image: GrayImage): boolean {
  const level = median(image.data);
  let dark = 0;
  let light = 0;
  // Only clear departures count (and the more, the further): strokes depart far, shading only a little.
  for (const v of image.data) {
    const r = v - level;
    if (r < -0.15) dark += -r - 0.15;
    else if (r > 0.15) light += r - 0.15;
  }
  // Paper photos are the common case: light ink must clearly dominate (a blank, evenly shaded page is a tie).
  return light < 1.5 * dark || light === 0;
}

interface Piece {
  pixels: number[];
  mass: number;
  peak: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Pixels on the picture's outer edge. */
  edge: number;
  /** Pixels on each side of the picture: top, right, bottom, left. */
  sides: [number, number, number, number];
}

/** 8-connected pieces of `mask`. */
function pieces(mask: Uint8Array, strength: Float32Array, width: number, height: number): Piece[] {
  const label = new Int32Array(mask.length).fill(-1);
  const found: Piece[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start] >= 0) continue;
    const piece: Piece = { pixels: [], mass: 0, peak: 0, x0: width, y0: height, x1: -1, y1: -1, edge: 0, sides: [0, 0, 0, 0] };
    label[start] = found.length;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % width;
      const y = (p - x) / width;
      piece.pixels.push(p);
      piece.mass += strength[p];
      piece.peak = Math.max(piece.peak, strength[p]);
      piece.x0 = Math.min(piece.x0, x);
      piece.x1 = Math.max(piece.x1, x);
      piece.y0 = Math.min(piece.y0, y);
      piece.y1 = Math.max(piece.y1, y);
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) piece.edge++;
      if (y === 0) piece.sides[0]++;
      if (x === width - 1) piece.sides[1]++;
      if (y === height - 1) piece.sides[2]++;
      if (x === 0) piece.sides[3]++;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
          const q = yy * width + xx;
          if (mask[q] && label[q] < 0) {
            label[q] = found.length;
            stack.push(q);
          }
        }
      }
    }
    found.push(piece);
  }
  return found;
}

/** The gap between two boxes (0 when they touch or overlap), in pixels. */
function gap(a: Piece, b: Piece): number {
  const dx = Math.max(0, a.x0 - b.x1, b.x0 - a.x1);
  const dy = Math.max(0, a.y0 - b.y1, b.y0 - a.y1);
  return Math.hypot(dx, dy);
}

/** The ink in a grey picture (values 0 black – 1 white), with every step. */
export function findInk(gray: GrayImage): InkSteps {
  const { width, height } = gray;
  const n = width * height;
  const smooth = boxBlur(gray, 1);
  const inverted = inkIsDark(smooth);
  // Work on "dark ink on light paper" in both cases.
  const work = inverted ? smooth : grayImage(width, height, smooth.data.map((v) => 1 - v));
  const k = Math.round(Math.max(width, height) / 6) | 1;
  const paper = paperUnderDarkInk(work, k);
  const strength = grayImage(width, height);
  for (let p = 0; p < n; p++) strength.data[p] = Math.max(0, (paper.data[p] - work.data[p]) / Math.max(paper.data[p], 0.08));
  // The paper's own level of "strength" (a small bias of the closing): a low percentile, since ink, a table or a big
  // digit can cover much of the picture. The noise: from differences between neighbouring pixels, which large
  // uniform areas (paper or table) do not inflate.
  const sorted = Float32Array.from(strength.data).sort();
  const mid = sorted[Math.floor(n * 0.2)];
  const steps = new Float32Array(height * (width - 1));
  for (let y = 0, i = 0; y < height; y++) for (let x = 0; x < width - 1; x++, i++) steps[i] = Math.abs(strength.data[y * width + x + 1] - strength.data[y * width + x]);
  const sigma = median(steps) / (0.6745 * Math.SQRT2);
  const low = mid + Math.max(0.12, 4 * sigma);
  const high = mid + Math.max(0.25, 8 * sigma);
  const mask = new Uint8Array(n);
  // Ink must also differ from its paper by a visible amount, not only relatively (a dim corner is not ink).
  for (let p = 0; p < n; p++) mask[p] = strength.data[p] > low && paper.data[p] - work.data[p] > 0.05 ? 1 : 0;
  const all = pieces(mask, strength.data, width, height);
  const perimeter = 2 * (width + height);
  // A mark that frames the picture (a table around the sheet, a shadow along three sides) is not the digit; a digit
  // that fills the frame touches one or two sides, or several at a few points.
  const frames = (piece: Piece) => {
    const lengths = [width, height, width, height];
    return piece.sides.filter((count, side) => count > 0.1 * lengths[side]).length >= 3 || piece.edge > 0.4 * perimeter;
  };
  const candidates = all.filter((piece) => piece.peak > high && !frames(piece) && piece.pixels.length < 0.5 * n);
  const background = inverted ? paper : grayImage(width, height, paper.data.map((v) => 1 - v));
  const ink = grayImage(width, height);
  if (!candidates.length) return { gray, background, strength: normalised(strength), ink, box: null, inverted, dropped: all.length };
  const main = candidates.reduce((a, b) => (b.mass > a.mass ? b : a));
  const reach = 0.35 * Math.max(main.x1 - main.x0 + 1, main.y1 - main.y0 + 1);
  const kept = candidates.filter((piece) => piece === main || (piece.mass >= 0.03 * main.mass && piece.peak >= 0.5 * main.peak && gap(piece, main) <= reach));
  // Full strength where the strokes are solid: the 90th percentile of the kept ink.
  const keptValues = Float32Array.from(kept.flatMap((piece) => piece.pixels.map((p) => strength.data[p]))).sort();
  const strong = Math.max(low + 0.05, keptValues[Math.floor(keptValues.length * 0.9)]);
  const keep = new Uint8Array(n);
  for (const piece of kept) for (const p of piece.pixels) keep[p] = 1;
  let box: Box | null = null;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  // Only pixels within one of a kept piece can be ink: scan the kept pieces' box and its one-pixel rim, not the picture.
  const [fromX, toX] = [Math.max(0, Math.min(...kept.map((piece) => piece.x0)) - 1), Math.min(width - 1, Math.max(...kept.map((piece) => piece.x1)) + 1)];
  const [fromY, toY] = [Math.max(0, Math.min(...kept.map((piece) => piece.y0)) - 1), Math.min(height - 1, Math.max(...kept.map((piece) => piece.y1)) + 1)];
  for (let y = fromY; y <= toY; y++) {
    for (let x = fromX; x <= toX; x++) {
      // The kept pieces and a one-pixel rim: the rim keeps the strokes' soft edges.
      let near = false;
      for (let dy = -1; dy <= 1 && !near; dy++) for (let dx = -1; dx <= 1 && !near; dx++) near = keep[(Math.min(height - 1, Math.max(0, y + dy)) * width) + Math.min(width - 1, Math.max(0, x + dx))] === 1;
      if (!near) continue;
      const p = y * width + x;
      // The value from the unsmoothed picture: crisp strokes (the smoothed one only decides where ink is).
      const raw = Math.max(0, (paper.data[p] - (inverted ? gray.data[p] : 1 - gray.data[p])) / Math.max(paper.data[p], 0.08));
      const v = Math.max(0, Math.min(1, (raw - mid) / (strong - mid)));
      const value = keep[p] ? v : Math.min(v, 0.5);
      if (value <= 0) continue;
      ink.data[p] = value;
      if (keep[p]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 >= 0) box = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  return { gray, background, strength: normalised(strength), ink, box, inverted, dropped: all.length - kept.length };
}

/** The image scaled so its largest value is 1 (for showing). */
function normalised(image: GrayImage): GrayImage {
  let max = 0;
  for (const v of image.data) max = Math.max(max, v);
  return max > 0 ? grayImage(image.width, image.height, image.data.map((v) => v / max)) : image;
}

/** Bilinear resampling to width×height (for enlarging a small digit smoothly). */
export function resizeBilinear(image: GrayImage, width: number, height: number): GrayImage {
  const out = grayImage(width, height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(image.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(image.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(image.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(image.width - 1, x0 + 1);
      const tx = fx - x0;
      const top = image.data[y0 * image.width + x0] * (1 - tx) + image.data[y0 * image.width + x1] * tx;
      const bottom = image.data[y1 * image.width + x0] * (1 - tx) + image.data[y1 * image.width + x1] * tx;
      out.data[y * width + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}
