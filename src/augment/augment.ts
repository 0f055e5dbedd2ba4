import type * as tf from '@tensorflow/tfjs';
import type { Random } from '../data/random';
import type { AugmentSettings } from './settings';

/**
 * Random affine augmentation of a batch [n, 28, 28, 1] in [0, 1] (Keras ImageDataGenerator semantics).
 * Returns a new tensor the caller disposes; the input is not disposed.
 * PLACEHOLDER until the augmentation issue lands: returns a copy of the input.
 */
export function augmentBatch(images: tf.Tensor4D, _settings: AugmentSettings, _random: Random): tf.Tensor4D {
  return images.clone();
}
