import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { affineTransform, augmentBatch, IDENTITY_PARAMS, transformImages } from '../../../src/augment/augment';
import { augmentDigit } from '../../../src/augment/preview';
import { DEFAULT_AUGMENT, type AugmentSettings } from '../../../src/augment/settings';
import { IMAGE_PIXELS, type MnistDataset } from '../../../src/data/mnist';
import { loadMnistFromIdx } from '../../../src/data/node';
import { seededRandom } from '../../../src/data/random';

const SIZE = 28;
const ZERO: AugmentSettings = { enabled: true, rotation: 0, widthShift: 0, heightShift: 0, shear: 0, zoom: 0 };
const STRONG: AugmentSettings = { enabled: true, rotation: 45, widthShift: 0.3, heightShift: 0.3, shear: 30, zoom: 0.4 };

let dataset: MnistDataset;
let startTensors = 0;

beforeAll(async () => {
  await tf.setBackend('cpu');
  dataset = await loadMnistFromIdx();
});
beforeEach(() => {
  startTensors = tf.memory().numTensors;
});
afterEach(() => {
  // Every test leaves the tensor count where it found it.
  expect(tf.memory().numTensors).toBe(startTensors);
});

/** Centre of mass (x, y) of each 28×28 image in `pixels`. */
function centresOfMass(pixels: Float32Array | Uint8Array, n: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    let mass = 0;
    let sx = 0;
    let sy = 0;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const v = pixels[i * IMAGE_PIXELS + y * SIZE + x];
        mass += v;
        sx += v * x;
        sy += v * y;
      }
    }
    out.push([sx / mass, sy / mass]);
  }
  return out;
}

describe('augmentBatch', () => {
  it('returns the input unchanged when every range is zero or augmentation is off, and never disposes its input', () => {
    const { xs, ys } = dataset.batch('train', [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const settings of [ZERO, { ...STRONG, enabled: false }]) {
      const out = augmentBatch(xs, settings, seededRandom(1));
      expect(out).not.toBe(xs);
      expect(Array.from(out.dataSync())).toEqual(Array.from(xs.dataSync()));
      out.dispose();
    }
    // Identity parameters through the real transform also give the input back.
    const same = transformImages(xs, Array.from({ length: 8 }, () => IDENTITY_PARAMS));
    const diff = tf.tidy(() => tf.abs(tf.sub(same, xs)).max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-6);
    same.dispose();
    expect(xs.isDisposed).toBe(false);
    xs.dispose();
    ys.dispose();
  });

  it('rotates a known asymmetric pattern by 90° exactly as rotating it by hand', () => {
    const random = seededRandom(5);
    // Random values everywhere, edges included, plus an "L" so a mirror image could not pass.
    const pattern = Float32Array.from({ length: IMAGE_PIXELS }, () => random());
    for (let y = 4; y < 24; y++) pattern[y * SIZE + 6] = 1;
    for (let x = 6; x < 18; x++) pattern[23 * SIZE + x] = 1;
    // Counter-clockwise on screen: input pixel (x, y) lands at (y, 27 - x).
    const byHand = new Float32Array(IMAGE_PIXELS);
    for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) byHand[(SIZE - 1 - x) * SIZE + y] = pattern[y * SIZE + x];
    const input = tf.tensor4d(pattern, [1, SIZE, SIZE, 1]);
    const rotated = transformImages(input, [{ ...IDENTITY_PARAMS, rotation: 90 }]);
    const got = rotated.dataSync();
    for (let i = 0; i < IMAGE_PIXELS; i++) expect(got[i]).toBeCloseTo(byHand[i], 5);
    // And not just any symmetric result: the -90° rotation differs.
    const other = transformImages(input, [{ ...IDENTITY_PARAMS, rotation: -90 }]);
    expect(Array.from(other.dataSync()).some((v, i) => Math.abs(v - byHand[i]) > 0.1)).toBe(true);
    tf.dispose([input, rotated, other]);
  });

  it('a 0.1 width shift moves the centre of mass by about 2.8 px, and nothing vertically', () => {
    // Digits whose ink ends at least 3.8 px from the right edge, so that none of it leaves the frame.
    const inFrame = (i: number) => {
      const image = dataset.image('train', i);
      for (let p = 0; p < IMAGE_PIXELS; p++) if (image[p] > 0 && p % SIZE > 23) return false;
      return true;
    };
    const indices = Array.from({ length: 40 }, (_, i) => i).filter(inFrame).slice(0, 16);
    expect(indices).toHaveLength(16);
    const { xs, ys } = dataset.batch('train', indices);
    const shifted = transformImages(xs, indices.map(() => ({ ...IDENTITY_PARAMS, shiftX: 0.1 })));
    const before = centresOfMass(xs.dataSync() as Float32Array, 16);
    const after = centresOfMass(shifted.dataSync() as Float32Array, 16);
    for (let i = 0; i < 16; i++) {
      expect(after[i][0] - before[i][0]).toBeCloseTo(2.8, 1);
      expect(after[i][1] - before[i][1]).toBeCloseTo(0, 1);
    }
    // Random width shifts of range 0.1 stay within ±2.8 px.
    const random = augmentBatch(xs, { ...ZERO, widthShift: 0.1 }, seededRandom(9));
    const moved = centresOfMass(random.dataSync() as Float32Array, 16).map((c, i) => c[0] - before[i][0]);
    expect(Math.max(...moved.map(Math.abs))).toBeLessThanOrEqual(2.8 + 0.05);
    expect(new Set(moved.map((m) => m.toFixed(2))).size).toBeGreaterThan(8);
    tf.dispose([xs, ys, shifted, random]);
  });

  it('keeps outputs in [0, 1] with no NaN, even with strong settings', () => {
    const { xs, ys } = dataset.batch('train', Array.from({ length: 64 }, (_, i) => 100 + i));
    const out = augmentBatch(xs, STRONG, seededRandom(3));
    const values = out.dataSync();
    expect(out.shape).toEqual([64, 28, 28, 1]);
    expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Every image still has ink: the CPU backend's batched transform is not left with empty images.
    const inks = tf.tidy(() => out.sum([1, 2, 3]).dataSync());
    expect(Array.from(inks).every((ink) => ink > 5)).toBe(true);
    tf.dispose([xs, ys, out]);
  });

  it('gives the same batch for the same seed and another for another seed', () => {
    const { xs, ys } = dataset.batch('test', [0, 1, 2, 3, 4, 5]);
    const a = augmentBatch(xs, DEFAULT_AUGMENT, seededRandom(42));
    const b = augmentBatch(xs, DEFAULT_AUGMENT, seededRandom(42));
    const c = augmentBatch(xs, DEFAULT_AUGMENT, seededRandom(43));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
    // The default settings do change the images.
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(xs.dataSync()));
    tf.dispose([xs, ys, a, b, c]);
  });

  it('transforms each image of a batch as it would alone', () => {
    const { xs, ys } = dataset.batch('train', [10, 11, 12]);
    const params = [
      { ...IDENTITY_PARAMS, rotation: 20 },
      { ...IDENTITY_PARAMS, shear: 15, zoomX: 0.9 },
      { ...IDENTITY_PARAMS, shiftY: -0.1, zoomY: 1.2 },
    ];
    const batch = transformImages(xs, params);
    params.forEach((p, i) => {
      const alone = tf.tidy(() => transformImages(xs.slice([i], [1]), [p]));
      const part = tf.tidy(() => batch.slice([i], [1]));
      expect(Array.from(part.dataSync())).toEqual(Array.from(alone.dataSync()));
      tf.dispose([alone, part]);
    });
    tf.dispose([xs, ys, batch]);
  });
});

describe('affineTransform', () => {
  it('is the identity for identity parameters and zooms about the centre', () => {
    expect(affineTransform(IDENTITY_PARAMS, 28, 28).map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([1, 0, 0, 0, 1, 0, 0, 0]);
    // Keras zoom 2: output pixel x samples the input at 13.5 + 2 (x - 13.5); the centre stays put.
    const [a0, a1, a2, b0, b1, b2] = affineTransform({ ...IDENTITY_PARAMS, zoomX: 2, zoomY: 2 }, 28, 28);
    expect(a0 * 13.5 + a1 * 13.5 + a2).toBeCloseTo(13.5, 9);
    expect(b0 * 13.5 + b1 * 13.5 + b2).toBeCloseTo(13.5, 9);
    expect(a0 * 20 + a2).toBeCloseTo(13.5 + 2 * 6.5, 9);
  });
});

describe('augmentDigit (the preview)', () => {
  it('returns plain arrays of augmentations, reproducible by seed', async () => {
    const digit = dataset.image('train', 0);
    const a = await augmentDigit(digit, DEFAULT_AUGMENT, 16, 7);
    const b = await augmentDigit(digit, DEFAULT_AUGMENT, 16, 7);
    expect(a.pixels.length).toBe(16 * IMAGE_PIXELS);
    expect(a.params).toHaveLength(16);
    expect(Array.from(a.pixels)).toEqual(Array.from(b.pixels));
    expect(a.params.every((p) => Math.abs(p.rotation) <= 10 && Math.abs(p.zoomX - 1) <= 0.1)).toBe(true);
    // Switched off, every copy is the original.
    const off = await augmentDigit(digit, { ...DEFAULT_AUGMENT, enabled: false }, 4, 7);
    for (let i = 0; i < 4 * IMAGE_PIXELS; i++) expect(off.pixels[i]).toBeCloseTo(digit[i % IMAGE_PIXELS] / 255, 6);
    await expect(augmentDigit(digit.subarray(0, 10), DEFAULT_AUGMENT, 4, 1)).rejects.toThrow(RangeError);
  });
});
