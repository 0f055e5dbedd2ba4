// Augmentation throughput for a batch of 128 on the backend in use, and its cost as a fraction of one training
// step of the classic net on the same backend (target: at most 15% of a step).
import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../../src/augment/augment';
import { DEFAULT_AUGMENT } from '../../src/augment/settings';
import { seededRandom } from '../../src/data/random';
import { buildModel } from '../../src/model/build';
import { CLASSIC_SPEC } from '../../src/model/spec';
import type { BenchCase, BenchFigure } from '../types';

const BATCH = 128;
const TARGET = 0.15;

/** Milliseconds per augmented batch, each read back (so the time includes the backend finishing the work). */
async function timeAugment(images: tf.Tensor4D): Promise<{ msPerBatch: number; runs: number }> {
  const random = seededRandom(1);
  // Warm-up: WebGL compiles its shader on the first call.
  for (let i = 0; i < 3; i++) {
    const out = augmentBatch(images, DEFAULT_AUGMENT, random);
    await out.data();
    out.dispose();
  }
  let runs = 0;
  const start = performance.now();
  // At least 10 batches, and at least 2 s of them.
  while (runs < 10 || performance.now() - start < 2000) {
    const out = augmentBatch(images, DEFAULT_AUGMENT, random);
    await out.data();
    out.dispose();
    runs++;
  }
  return { msPerBatch: (performance.now() - start) / runs, runs };
}

/** Milliseconds of one classic-net training step (forward, backward, Adam update) on a batch of 128. */
async function timeClassicStep(images: tf.Tensor4D, backend: string): Promise<number> {
  const model = buildModel(CLASSIC_SPEC);
  const optimizer = tf.train.adam(0.001);
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32') as tf.Tensor1D, 10));
  try {
    model.compile({ optimizer, loss: 'categoricalCrossentropy' });
    // GPU-style backends compile shaders on the first step (close to a minute on software WebGL): not a step's cost.
    if (backend === 'webgl' || backend === 'webgpu') await model.trainOnBatch(images, labels);
    const start = performance.now();
    await model.trainOnBatch(images, labels);
    return performance.now() - start;
  } finally {
    model.dispose();
    optimizer.dispose();
    labels.dispose();
  }
}

export const cases: Record<string, BenchCase> = {
  augment: async ({ backend }) => {
    const images = tf.tidy(() => tf.randomUniform([BATCH, 28, 28, 1], 0, 1) as tf.Tensor4D);
    const figures: BenchFigure[] = [];
    try {
      const { msPerBatch, runs } = await timeAugment(images);
      figures.push({
        name: `augmentation throughput, batch ${BATCH}`,
        value: Math.round((BATCH * 1000) / msPerBatch),
        unit: 'images/s',
        msPerBatch: Number(msPerBatch.toFixed(2)),
        runs,
      });
      let stepMs: number;
      try {
        stepMs = await timeClassicStep(images, backend);
      } catch (error) {
        figures.push({ name: 'augmentation cost per classic-net training step', value: NaN, unit: '%', error: String(error).split('\n')[0] });
        return figures;
      }
      const fraction = msPerBatch / stepMs;
      figures.push({
        name: 'augmentation cost per classic-net training step',
        value: Number((fraction * 100).toFixed(3)),
        unit: '%',
        target: `<= ${TARGET * 100}%`,
        met: fraction <= TARGET,
        augmentMs: Number(msPerBatch.toFixed(2)),
        stepMs: Math.round(stepMs),
      });
      return figures;
    } finally {
      images.dispose();
    }
  },
};
