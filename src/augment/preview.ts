import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';
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
 * images. Plain arrays out; every tensor made here is disposed.
 */
export async function augmentDigit(
  digit: ArrayLike<number>,
  settings: AugmentSettings,
  count: number,
  seed: number,
): Promise<AugmentPreviewResult> {
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
    return { pixels: (await out.data()) as Float32Array, params };
  } finally {
    out.dispose();
  }
}
