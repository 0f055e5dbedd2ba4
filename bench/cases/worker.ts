// Training in the training worker against the same engine on the page thread, same backend, same run: the worker
// must cost no throughput (issue: within 5%). Classic net at batch 32 and 64, small net at batch 128; no validation,
// no augmentation, no test, so the figure is the training loop alone.
import { DEFAULT_AUGMENT } from '../../src/augment/settings';
import type { BackendName } from '../../src/backend/backend';
import { WASM_PATHS } from '../../src/backend/wasm-paths';
import { loadMnist } from '../../src/data/loader';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../../src/model/spec';
import { createInProcessEngine, createWorkerEngine, type TrainingEngine } from '../../src/train/engine';
import { DEFAULT_TRAIN } from '../../src/train/settings';
import type { BenchCase, BenchFigure } from '../types';

const RUNS: { spec: ModelSpec; batchSize: number; images: number }[] = [
  { spec: CLASSIC_SPEC, batchSize: 32, images: 1280 },
  { spec: CLASSIC_SPEC, batchSize: 64, images: 1280 },
  { spec: SMALL_SPEC, batchSize: 128, images: 12800 },
];

async function imagesPerSecond(engine: TrainingEngine, run: (typeof RUNS)[number]): Promise<number> {
  const settings = { ...DEFAULT_TRAIN, trainSize: run.images, batchSize: run.batchSize, validationSplit: 0, augment: false, epochs: 1 };
  // One short warm-up run compiles the kernels; the measured run follows.
  await engine.run({ spec: run.spec, settings: { ...settings, trainSize: run.batchSize * 2 }, augmentation: DEFAULT_AUGMENT, testLimit: 0 }, () => {});
  const outcome = await engine.run({ spec: run.spec, settings, augmentation: DEFAULT_AUGMENT, testLimit: 0 }, () => {});
  return outcome.train.imagesSeen / (outcome.train.durationMs / 1000);
}

export const cases: Record<string, BenchCase> = {
  'worker throughput': async ({ backend }) => {
    const dataset = await loadMnist({ baseUrl: new URL('mnist/', document.baseURI).href });
    const page = createInProcessEngine({ wasmPaths: WASM_PATHS });
    const worker = createWorkerEngine({ wasmPaths: WASM_PATHS });
    const figures: BenchFigure[] = [];
    try {
      const started = await worker.start(backend as BackendName);
      await page.start(backend as BackendName);
      await Promise.all([page.ensureDataset(dataset), worker.ensureDataset(dataset)]);
      for (const run of RUNS) {
        // Alternate page, worker, page, worker: a drifting machine shows in both.
        const pageRates = [await imagesPerSecond(page, run)];
        const workerRates = [await imagesPerSecond(worker, run)];
        pageRates.push(await imagesPerSecond(page, run));
        workerRates.push(await imagesPerSecond(worker, run));
        const best = (xs: number[]) => Math.max(...xs);
        const ratio = best(workerRates) / best(pageRates);
        figures.push({
          name: `worker ÷ page training throughput, ${run.spec.name} net, batch ${run.batchSize}`,
          value: Math.round(ratio * 1000) / 1000,
          unit: 'ratio',
          target: '>= 0.95',
          met: ratio >= 0.95,
          workerImagesPerSecond: workerRates.map((r) => Math.round(r * 10) / 10),
          pageImagesPerSecond: pageRates.map((r) => Math.round(r * 10) / 10),
          workerBackend: started.backend,
        });
      }
    } finally {
      worker.terminate();
    }
    return figures;
  },
};
