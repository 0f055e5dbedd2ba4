import { formatInteger } from '../format';
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, type Split } from '../data/mnist';
import { seededRandom } from '../data/random';
import { IDENTITY_PARAMS, sampleAffineParams, transformImages, type AffineParams } from './augment';
import { isIdentityAugment, type AugmentSettings } from './settings';

export interface AugmentPreviewResult {
  /** `count` images, 784 values each in [0, 1], one after another. */
  pixels: Float32Array;
  /** What was done to each image, for captions. */
  params: AffineParams[];
}

/**
 * `count` random augmentations of one digit (784 bytes, 0–255), for the preview: the same seed gives the same
 * images. Plain arrays out; every tensor made here is disposed. `signal` drops a superseded request (it rejects with
 * the signal's reason).
 */
export async function augmentDigit(
  digit: ArrayLike<number>,
  settings: AugmentSettings,
  count: number,
  seed: number,
  signal?: AbortSignal,
): Promise<AugmentPreviewResult> {
  signal?.throwIfAborted();
  if (digit.length !== IMAGE_PIXELS) throw new RangeError(`a digit has ${IMAGE_PIXELS} pixels, not ${digit.length}`);
  if (!(Number.isInteger(count) && count > 0)) throw new RangeError(`count ${count} must be a positive integer`);
  const random = seededRandom(seed);
  const params = isIdentityAugment(settings)
    ? Array.from({ length: count }, () => ({ ...IDENTITY_PARAMS }))
    : Array.from({ length: count }, () => sampleAffineParams(settings, random));
  const one = new Float32Array(IMAGE_PIXELS);
  for (let i = 0; i < IMAGE_PIXELS; i++) one[i] = digit[i] / 255;
  const out = tf.tidy(() => {
    const batch = tf.tile(tf.tensor4d(one, [1, IMAGE_SIZE, IMAGE_SIZE, 1]), [count, 1, 1, 1]);
    return transformImages(batch, params);
  });
  try {
    const pixels = (await out.data()) as Float32Array;
    signal?.throwIfAborted();
    return { pixels, params };
  } finally {
    out.dispose();
  }
}

const SPLIT_NAMES = { train: 'training', test: 'test' } as const;

/** "training image 0, label 5": which digit the preview shows. */
export function digitCaption(split: Split, index: number, label: number): string {
  return `${SPLIT_NAMES[split]} image ${formatInteger(index)}, label ${label}`;
}

/** A signed number with a true minus sign: +2.5, −1.0. */
function signed(n: number, digits: number): string {
  const text = n.toFixed(digits);
  return n >= 0 ? `+${text}` : text.replace('-', '−');
}

/** What was done to one augmented image, in words (its tooltip). */
export function describeParams(p: AffineParams): string {
  return (
    `rotated ${signed(p.rotation, 1)}°, shifted ${signed(p.shiftX * IMAGE_SIZE, 1)} px across and ${signed(p.shiftY * IMAGE_SIZE, 1)} px down, ` +
    `sheared ${signed(p.shear, 1)}°, zoom ${p.zoomX.toFixed(2)} × ${p.zoomY.toFixed(2)}`
  );
}
