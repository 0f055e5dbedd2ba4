import * as tf from '@tensorflow/tfjs';
import type { Random } from '../data/random';
import { isIdentityAugment, type AugmentSettings } from './settings';

/**
 * One image's affine transform, written as what happens to the digit (input → output), about the image centre,
 * in this order: zoom, shear, rotation, shift.
 */
export interface AffineParams {
  /** Degrees, counter-clockwise on screen. */
  rotation: number;
  /** Fraction of the width; positive moves the digit right. */
  shiftX: number;
  /** Fraction of the height; positive moves the digit down. */
  shiftY: number;
  /** Degrees; positive slants the digit to the right, like italics. */
  shear: number;
  /**
   * Keras' zoom factors: the output samples the input at `zoom ×` the distance from the centre, so 1.1 shrinks the
   * digit by 1/1.1 and 0.9 enlarges it.
   */
  zoomX: number;
  zoomY: number;
}

export const IDENTITY_PARAMS: AffineParams = { rotation: 0, shiftX: 0, shiftY: 0, shear: 0, zoomX: 1, zoomY: 1 };

const DEG = Math.PI / 180;

/**
 * The 8 numbers tf.image.transform wants for one image: the map from an output pixel to the input point it samples
 * (the inverse of the digit's movement). Pixel centres are integer coordinates, so the centre is (size - 1) / 2.
 */
export function affineTransform(p: AffineParams, width: number, height: number): number[] {
  // Forward 2×2 part A = R · Sh · Z, acting on (x right, y down).
  const cos = Math.cos(p.rotation * DEG);
  const sin = Math.sin(p.rotation * DEG);
  const tan = Math.tan(p.shear * DEG);
  // Z: scale by 1/zoom. Sh: x' = x - tan·y (the top leans right). R: counter-clockwise on screen (y points down).
  const z00 = 1 / p.zoomX;
  const z11 = 1 / p.zoomY;
  const s00 = z00;
  const s01 = -tan * z11;
  const s10 = 0;
  const s11 = z11;
  const a00 = cos * s00 + sin * s10;
  const a01 = cos * s01 + sin * s11;
  const a10 = -sin * s00 + cos * s10;
  const a11 = -sin * s01 + cos * s11;
  // Sampling map: p_in = c + A⁻¹ (p_out - c - t).
  const det = a00 * a11 - a01 * a10;
  const i00 = a11 / det;
  const i01 = -a01 / det;
  const i10 = -a10 / det;
  const i11 = a00 / det;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const ox = cx + p.shiftX * width;
  const oy = cy + p.shiftY * height;
  return [i00, i01, cx - i00 * ox - i01 * oy, i10, i11, cy - i10 * ox - i11 * oy, 0, 0];
}

/** Draws one image's parameters, Keras-style: each uniform in [-range, range] (zoom in [1 - z, 1 + z]). */
export function sampleAffineParams(settings: AugmentSettings, random: Random): AffineParams {
  // Always six draws per image, so a seed gives the same sequence whatever the ranges.
  const u = (range: number) => (2 * random() - 1) * range;
  return {
    rotation: u(settings.rotation),
    shiftX: u(settings.widthShift),
    shiftY: u(settings.heightShift),
    shear: u(settings.shear),
    zoomX: 1 + u(settings.zoom),
    zoomY: 1 + u(settings.zoom),
  };
}

/**
 * Applies one affine transform per image in a single batched op on the backend (bilinear, zero fill), clipped to
 * [0, 1]. Returns a new tensor; `images` is not disposed.
 */
export function transformImages(images: tf.Tensor4D, params: readonly AffineParams[]): tf.Tensor4D {
  const [n, height, width] = images.shape;
  if (params.length !== n) throw new RangeError(`${params.length} transforms for a batch of ${n} images`);
  const matrices = new Float32Array(n * 8);
  params.forEach((p, i) => matrices.set(affineTransform(p, width, height), i * 8));
  return tf.tidy(() => {
    const transforms = tf.tensor2d(matrices, [n, 8]);
    let out: tf.Tensor4D;
    if (tf.getBackend() === 'cpu' && n > 1) {
      // tfjs 4.22's CPU Transform kernel returns after the first image (the others come back as fill):
      // one call per image there. WebGL, WebGPU and WASM handle the batch in one call.
      const parts = tf.split<tf.Tensor4D>(images, n, 0).map((image, i) =>
        tf.image.transform(image, transforms.slice([i, 0], [1, 8]), 'bilinear', 'constant', 0),
      );
      out = tf.concat(parts, 0);
    } else {
      out = tf.image.transform(images, transforms, 'bilinear', 'constant', 0);
    }
    return tf.clipByValue(out, 0, 1);
  });
}

/**
 * Random affine augmentation of a batch [n, 28, 28, 1] in [0, 1] (Keras ImageDataGenerator semantics), driven by
 * `random` (use seededRandom for a reproducible run). Returns a new tensor the caller disposes; the input is not
 * disposed. With augmentation off or every range zero it returns an exact copy.
 */
export function augmentBatch(images: tf.Tensor4D, settings: AugmentSettings, random: Random): tf.Tensor4D {
  if (isIdentityAugment(settings)) return images.clone();
  const params = Array.from({ length: images.shape[0] }, () => sampleAffineParams(settings, random));
  return transformImages(images, params);
}
