// Training throughput of the lab's own loop (src/train/loop.ts) on the active backend, real MNIST images: on a GPU
// that is the GPU path (images kept on the GPU, losses read back every ~150 ms), at the learner's batch size and at
// the bigger ones the cell offers there. Shared by the in-page `training` case, which the GPU kit runs.
import * as tf from '@tensorflow/tfjs';
import { isGpuBackend } from '../src/backend/backend';
import type { MnistDataset } from '../src/data/mnist';
import { createTrainableModel } from '../src/model/compile';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../src/model/spec';
import { trainModel } from '../src/train/loop';
import { DEFAULT_TRAIN } from '../src/train/settings';
import type { BenchFigure } from './types';

export const LAB_LOOP_RUNS: { spec: ModelSpec; batchSize: number; target?: number }[] = [
  { spec: SMALL_SPEC, batchSize: 128 },
  { spec: SMALL_SPEC, batchSize: 1024, target: 20000 },
  { spec: CLASSIC_SPEC, batchSize: 64 },
  { spec: CLASSIC_SPEC, batchSize: 256, target: 2000 },
  { spec: CLASSIC_SPEC, batchSize: 1024, target: 2000 },
];

/** Seconds of training each figure aims at (after a warm-up run that compiles the GPU programs). */
const TARGET_SECONDS = 8;

/** One run of the lab loop: images per second as the training cell shows it at the last batch, and how often it read. */
async function run(dataset: MnistDataset, spec: ModelSpec, batchSize: number, images: number): Promise<{ imagesPerSecond: number; batches: number; reads: number }> {
  const trainable = createTrainableModel(spec, { optimizer: 'adam', learningRate: 0.003, seed: 1 });
  try {
    let imagesPerSecond = 0;
    let batches = 0;
    let reads = 0;
    const settings = { ...DEFAULT_TRAIN, trainSize: images, batchSize, validationSplit: 0, augment: false, epochs: 1 };
    const result = await trainModel({
      model: trainable.model,
      dataset,
      settings,
      onBatch: (p) => {
        batches++;
        imagesPerSecond = p.imagesPerSecond;
      },
      // The loop yields once after each read of the losses.
      yieldToPage: () => new Promise((resolve) => setTimeout(() => (reads++, resolve()), 0)),
    });
    if (result.outcome !== 'completed') throw new Error(`lab loop ended ${result.outcome}: ${result.message}`);
    return { imagesPerSecond, batches, reads };
  } finally {
    trainable.dispose();
  }
}

export async function labLoopFigures(dataset: MnistDataset, detail: Record<string, unknown>, runs = LAB_LOOP_RUNS): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const backend = tf.getBackend();
  for (const { spec, batchSize, target } of runs) {
    // Warm-up: compiles the programs for these shapes, and says roughly how many images fill TARGET_SECONDS.
    const warm = await run(dataset, spec, batchSize, batchSize * 4);
    const images = Math.min(dataset.train.count, Math.max(batchSize * 4, Math.round((warm.imagesPerSecond * TARGET_SECONDS) / batchSize) * batchSize));
    const r = await run(dataset, spec, batchSize, images);
    const value = Math.round(r.imagesPerSecond);
    figures.push({
      name: `lab training loop, ${spec.name} net, batch ${batchSize}`,
      value,
      unit: 'images/s',
      ...(target ? { target: `>= ${target} images/s on a GPU`, met: isGpuBackend(backend) ? value >= target : undefined } : {}),
      images,
      batches: r.batches,
      batchesPerRead: Math.round((r.batches / r.reads) * 10) / 10,
      ...detail,
    });
  }
  return figures;
}
