import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_PARAMS } from '../../../src/augment/augment';
import { augmentDigit, describeParams, digitCaption } from '../../../src/augment/preview';
import { DEFAULT_AUGMENT } from '../../../src/augment/settings';
import { IMAGE_PIXELS } from '../../../src/data/mnist';

const digit = Uint8Array.from({ length: IMAGE_PIXELS }, (_, i) => (i % 28 > 10 && i % 28 < 18 ? 255 : 0));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('preview captions', () => {
  it('names the digit with its split, a grouped index and its label', () => {
    expect(digitCaption('train', 0, 5)).toBe('training image 0, label 5');
    expect(digitCaption('test', 12345, 9)).toBe('test image 12,345, label 9');
  });

  it('says what was done to an image, with true minus signs and pixels of a 28 px image', () => {
    expect(describeParams({ rotation: -7.26, shiftX: 0.05, shiftY: -0.1, shear: 3, zoomX: 0.95, zoomY: 1.076 })).toBe(
      'rotated −7.3°, shifted +1.4 px across and −2.8 px down, sheared +3.0°, zoom 0.95 × 1.08',
    );
    expect(describeParams(IDENTITY_PARAMS)).toBe('rotated +0.0°, shifted +0.0 px across and +0.0 px down, sheared +0.0°, zoom 1.00 × 1.00');
  });
});

describe('augmentDigit with an AbortSignal', () => {
  it('refuses a request already superseded, before any work, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort(new DOMException('superseded', 'AbortError'));
    await expect(augmentDigit(digit, DEFAULT_AUGMENT, 4, 1, controller.signal)).rejects.toThrow('superseded');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('drops a result whose request was superseded while it ran, and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = augmentDigit(digit, DEFAULT_AUGMENT, 4, 1, controller.signal);
    controller.abort(new DOMException('superseded', 'AbortError'));
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same images with or without a signal that never aborts', async () => {
    const plain = await augmentDigit(digit, DEFAULT_AUGMENT, 4, 3);
    const withSignal = await augmentDigit(digit, DEFAULT_AUGMENT, 4, 3, new AbortController().signal);
    expect(Array.from(withSignal.pixels)).toEqual(Array.from(plain.pixels));
  });
});
