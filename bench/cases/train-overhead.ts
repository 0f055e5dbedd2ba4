// Training throughput of the small and classic nets, and the lab's loop (src/train/loop.ts: per-batch tensors,
// NaN guard, weight snapshot, a yield per batch, progress callbacks) against a bare model.fit on the same backend,
// the same images and the same batch size, measured side by side in one page. Target: overhead at most 5%.
import { loadMnist } from '../../src/data/loader';
import type { MnistDataset } from '../../src/data/mnist';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../../src/model/spec';
import { createTrainableModel } from '../../src/model/compile';
import { trainModel } from '../../src/train/loop';
import { DEFAULT_TRAIN, type TrainSettings } from '../../src/train/settings';
import type { BenchCase, BenchFigure } from '../types';

const BATCH = 64;

async function dataset(): Promise<MnistDataset> {
  return loadMnist({ baseUrl: new URL('mnist/', document.baseURI).href });
}

async function bareFit(spec: ModelSpec, data: MnistDataset, settings: TrainSettings): Promise<number> {
  const split = data.trainValidationSplit(0, settings.seed, settings.trainSize);
  const { xs, ys } = data.batch('train', split.train);
  const trainable = createTrainableModel(spec, { optimizer: settings.optimizer, learningRate: settings.learningRate });
  try {
    const start = performance.now();
    await trainable.model.fit(xs, ys, { batchSize: settings.batchSize, epochs: 1, shuffle: true });
    return split.train.length / ((performance.now() - start) / 1000);
  } finally {
    xs.dispose();
    ys.dispose();
    trainable.dispose();
  }
}

async function labLoop(spec: ModelSpec, data: MnistDataset, settings: TrainSettings): Promise<number> {
  const trainable = createTrainableModel(spec, { optimizer: settings.optimizer, learningRate: settings.learningRate });
  try {
    const start = performance.now();
    // A progress callback like the cell's, so its cost is counted.
    let seen = 0;
    const result = await trainModel({ model: trainable.model, dataset: data, settings, onBatch: (p) => (seen = p.imagesSeen) });
    if (seen !== result.imagesSeen) throw new Error('progress lost a batch');
    if (result.outcome !== 'completed') throw new Error(`lab loop ended ${result.outcome}: ${result.message}`);
    return result.imagesSeen / ((performance.now() - start) / 1000);
  } finally {
    trainable.dispose();
  }
}

/** Alternates bare and lab runs so drift (thermal, other load) hits both. */
async function compare(label: string, spec: ModelSpec, images: number, rounds: number): Promise<BenchFigure[]> {
  const data = await dataset();
  const settings: TrainSettings = { ...DEFAULT_TRAIN, trainSize: images, validationSplit: 0, batchSize: BATCH, augment: false, epochs: 1 };
  // Warm-up: the first batches compile the backend's programs (seconds on WebGL); time none of it.
  await bareFit(spec, data, { ...settings, trainSize: Math.min(images, 2 * BATCH) });
  await labLoop(spec, data, { ...settings, trainSize: Math.min(images, 2 * BATCH) });
  const bare: number[] = [];
  const lab: number[] = [];
  for (let r = 0; r < rounds; r++) {
    bare.push(await bareFit(spec, data, { ...settings, seed: r }));
    lab.push(await labLoop(spec, data, { ...settings, seed: r }));
  }
  // On a shared machine other load only ever slows a run down: the best run of each is the least disturbed.
  const best = (xs: number[]) => Math.max(...xs);
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bareIps = best(bare);
  const labIps = best(lab);
  const overhead = ((bareIps - labIps) / bareIps) * 100;
  const round = (x: number) => Number(x.toFixed(2));
  const medianOverhead = round(((median(bare) - median(lab)) / median(bare)) * 100);
  const detail = { images, batchSize: BATCH, rounds, statistic: 'best of rounds', medianOverhead, bareRuns: bare.map(round), labRuns: lab.map(round) };
  return [
    { name: `train ${label}: bare model.fit`, value: round(bareIps), unit: 'images/s', ...detail },
    { name: `train ${label}: lab loop`, value: round(labIps), unit: 'images/s', ...detail },
    { name: `train ${label}: lab overhead vs bare fit`, value: round(overhead), unit: '%', target: '<= 5%', met: overhead <= 5, ...detail },
  ];
}

export const cases: Record<string, BenchCase> = {
  // 2,048 images: several seconds per run on software WebGL, so per-batch costs show; four rounds each.
  'train-overhead-small': () => compare('small net', SMALL_SPEC, 2048, 4),
  // The classic net trains at ~3 images/s without a GPU: a few batches give its throughput; one round.
  'train-overhead-classic': () => compare('classic net', CLASSIC_SPEC, 2 * BATCH, 1),
};
