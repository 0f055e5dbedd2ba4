// Every core without a GPU: training throughput in the training worker on WASM with one worker (every core as
// XNNPACK threads) against two workers splitting each batch (src/train/data-parallel.ts), alternated in one run so a
// drifting machine shows in both. The lab's own training loop (no validation, augmentation or test): what the
// training cell gets. Issue target: classic net >= 280 images/s and >= 1.8x one core on 2 cores. The figure is the
// whole run's rate, as in earlier sessions; `batchesOnly` leaves out the end-of-run batch-norm measurement.
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

/** One worker on one core (1 thread), one worker on every core (threads), two workers (each its share). */
const WAYS = [
  { label: 'one core', workers: 1, threads: 1 },
  { label: 'one worker', workers: 1, threads: undefined },
  { label: 'two workers', workers: 2, threads: undefined },
];

/**
 * A run's images/s, whole (from the first batch to the end of the epoch, with the end-of-run batch-norm measurement)
 * and over its batches only (the rate the cell shows at its last batch).
 */
async function imagesPerSecond(engine: TrainingEngine, run: (typeof RUNS)[number], { workers, threads }: (typeof WAYS)[number]): Promise<{ run: number; batches: number }> {
  const settings = { ...DEFAULT_TRAIN, trainSize: run.images, batchSize: run.batchSize, validationSplit: 0, augment: false, epochs: 1 };
  const request = { spec: run.spec, augmentation: DEFAULT_AUGMENT, testLimit: 0, workers, threads };
  // A short warm-up run compiles the kernels (and restarts WASM with this way's threads); the measured run follows.
  await engine.run({ ...request, settings: { ...settings, trainSize: run.batchSize * 2 } }, () => {});
  let batches = 0;
  const outcome = await engine.run({ ...request, settings }, (event) => {
    if (event.type === 'batch') batches = event.progress.imagesPerSecond;
  });
  if ((outcome.workers ?? 1) !== workers) throw new Error(`asked for ${workers} workers, trained on ${outcome.workers ?? 1}`);
  return { run: outcome.train.imagesSeen / (outcome.train.durationMs / 1000), batches };
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
        // Every way twice, alternated: a drifting machine shows in all of them.
        const rates = WAYS.map(() => [] as number[]);
        const batchRates = WAYS.map(() => [] as number[]);
        for (let round = 0; round < 2; round++) {
          for (const [i, way] of WAYS.entries()) {
            const measured = await imagesPerSecond(engine, run, way);
            rates[i].push(measured.run);
            batchRates[i].push(measured.batches);
          }
        }
        const best = (xs: number[]) => Math.max(...xs);
        const [oneCore, oneWorker, twoWorkers] = rates.map(best);
        const classic = run.spec === CLASSIC_SPEC;
        figures.push({
          name: `two workers, ${run.spec.name} net, batch ${run.batchSize}`,
          value: Math.round(twoWorkers * 10) / 10,
          unit: 'images/s',
          target: classic ? '>= 280 images/s, >= 1.8x one core' : 'faster than one worker',
          met: classic ? twoWorkers >= 280 && twoWorkers >= 1.8 * oneCore : twoWorkers > oneWorker,
          ratioToOneCore: Math.round((twoWorkers / oneCore) * 100) / 100,
          ratioToOneWorker: Math.round((twoWorkers / oneWorker) * 100) / 100,
          imagesPerSecond: Object.fromEntries(WAYS.map((way, i) => [way.label, rates[i].map((r) => Math.round(r * 10) / 10)])),
          batchesOnly: Object.fromEntries(WAYS.map((way, i) => [way.label, batchRates[i].map((r) => Math.round(r * 10) / 10)])),
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
