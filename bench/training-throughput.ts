// Training throughput of the lab's presets on the active tfjs backend: shared by the in-page case
// (bench/cases/training.ts) and the Node benchmark (bench/node/training.ts).
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../src/model/build';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../src/model/spec';
import type { BenchFigure } from './types';

export interface ThroughputRun {
  spec: ModelSpec;
  batchSize: number;
  /** Keep timing batches until this many seconds have passed (at least `minBatches`). */
  minSeconds: number;
  minBatches: number;
}

export const TRAINING_RUNS: (ThroughputRun & { target: number })[] = [
  { spec: SMALL_SPEC, batchSize: 128, minSeconds: 8, minBatches: 3, target: 3000 },
  { spec: CLASSIC_SPEC, batchSize: 64, minSeconds: 8, minBatches: 2, target: 150 },
];

/** Images per second of `trainOnBatch` (Adam, cross-entropy) after one warm-up batch, on random images. */
export async function measureTraining(run: ThroughputRun): Promise<{ imagesPerSecond: number; batches: number; warmupSeconds: number }> {
  const model = buildModel(run.spec);
  const optimizer = tf.train.adam(0.001);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const xs = tf.randomUniform([run.batchSize, 28, 28, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([run.batchSize], 0, 10, 'int32'), 10));
  try {
    let start = performance.now();
    await model.trainOnBatch(xs, ys);
    const warmupSeconds = (performance.now() - start) / 1000;
    start = performance.now();
    let batches = 0;
    while (batches < run.minBatches || performance.now() - start < run.minSeconds * 1000) {
      // trainOnBatch reads the loss back, so each batch is finished when it returns.
      await model.trainOnBatch(xs, ys);
      batches++;
    }
    const seconds = (performance.now() - start) / 1000;
    return { imagesPerSecond: (batches * run.batchSize) / seconds, batches, warmupSeconds };
  } finally {
    tf.dispose([xs, ys]);
    model.dispose();
    optimizer.dispose();
  }
}

/**
 * One figure per preset, with the target. `slow` (the plain-JavaScript cpu backend, 100× slower) times
 * small batches of the classic net once, so the benchmark finishes in minutes.
 */
export async function trainingFigures(detail: Record<string, unknown>, slow = false): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  for (const preset of TRAINING_RUNS) {
    const run = slow && preset.spec === CLASSIC_SPEC ? { ...preset, batchSize: 16, minBatches: 1, minSeconds: 0 } : preset;
    const r = await measureTraining(run);
    const value = Math.round(r.imagesPerSecond * 10) / 10;
    figures.push({
      name: `training throughput, ${run.spec.name} net`,
      value,
      unit: 'images/s',
      target: `>= ${preset.target} images/s`,
      met: value >= preset.target,
      batchSize: run.batchSize,
      batches: r.batches,
      warmupSeconds: Math.round(r.warmupSeconds * 10) / 10,
      ...detail,
    });
  }
  return figures;
}
