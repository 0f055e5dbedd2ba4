// Every core without a GPU: training throughput in the training worker on WASM with one worker (every core as
// XNNPACK threads) against two workers splitting each batch (src/train/data-parallel.ts), alternated in one run so a
// drifting machine shows in both. The lab's own training loop (no validation, augmentation or test): what the
// training cell gets. Issue target: classic net >= 280 images/s and >= 1.8x one core on 2 cores.
import { DEFAULT_AUGMENT } from '../../src/augment/settings';
import { WASM_PATHS } from '../../src/backend/wasm-paths';
import { loadMnist } from '../../src/data/loader';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../../src/model/spec';
import { createWorkerEngine, type TrainingEngine } from '../../src/train/engine';
import { DEFAULT_TRAIN } from '../../src/train/settings';
import type { BenchCase, BenchFigure } from '../types';

const RUNS: { spec: ModelSpec; batchSize: number; images: number }[] = [
  { spec: CLASSIC_SPEC, batchSize: 64, images: 1280 },
  { spec: CLASSIC_SPEC, batchSize: 32, images: 1280 },
  { spec: SMALL_SPEC, batchSize: 128, images: 12800 },
];

async function imagesPerSecond(engine: TrainingEngine, run: (typeof RUNS)[number], workers: number): Promise<number> {
  const settings = { ...DEFAULT_TRAIN, trainSize: run.images, batchSize: run.batchSize, validationSplit: 0, augment: false, epochs: 1 };
  const request = { spec: run.spec, augmentation: DEFAULT_AUGMENT, testLimit: 0, workers };
  // A short warm-up run compiles the kernels (and restarts WASM with this way's threads); the measured run follows.
  await engine.run({ ...request, settings: { ...settings, trainSize: run.batchSize * 2 } }, () => {});
  const outcome = await engine.run({ ...request, settings }, () => {});
  if ((outcome.workers ?? 1) !== workers) throw new Error(`asked for ${workers} workers, trained on ${outcome.workers ?? 1}`);
  return outcome.train.imagesSeen / (outcome.train.durationMs / 1000);
}

export const cases: Record<string, BenchCase> = {
  'cores training': async ({ backend }) => {
    if (backend !== 'wasm') return [];
    const dataset = await loadMnist({ baseUrl: new URL('mnist/', document.baseURI).href });
    const engine = createWorkerEngine({ wasmPaths: WASM_PATHS });
    const figures: BenchFigure[] = [];
    try {
      await engine.start('wasm');
      await engine.ensureDataset(dataset);
      for (const run of RUNS) {
        const one = [await imagesPerSecond(engine, run, 1)];
        const two = [await imagesPerSecond(engine, run, 2)];
        one.push(await imagesPerSecond(engine, run, 1));
        two.push(await imagesPerSecond(engine, run, 2));
        const best = (xs: number[]) => Math.max(...xs);
        const round = (xs: number[]) => xs.map((r) => Math.round(r * 10) / 10);
        const classic = run.spec === CLASSIC_SPEC;
        figures.push({
          name: `two workers, ${run.spec.name} net, batch ${run.batchSize}`,
          value: Math.round(best(two) * 10) / 10,
          unit: 'images/s',
          target: classic ? '>= 280 images/s, >= 1.8x one worker' : 'faster than one worker',
          met: classic ? best(two) >= 280 && best(two) >= 1.8 * best(one) : best(two) > best(one),
          ratio: Math.round((best(two) / best(one)) * 100) / 100,
          oneWorkerImagesPerSecond: round(one),
          twoWorkersImagesPerSecond: round(two),
          cores: navigator.hardwareConcurrency,
          crossOriginIsolated: globalThis.crossOriginIsolated === true,
        });
      }
    } finally {
      engine.terminate();
    }
    return figures;
  },
};
