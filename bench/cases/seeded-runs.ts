// Seeded runs of the classic net as the training cell makes them (in the training worker, 5,000 images, one epoch,
// batch-norm statistics measured, all 10,000 test digits scored):
//  - 'seeded-run-classic': one run (seed 42, no augmentation) on the requested backend: compare the lines of
//    `npm run bench -- --only seeded-run --backends webgl,wasm` (the issue: within 1 point). Software WebGL needs
//    about 20 minutes for it here; on a GPU machine the kit's training cell makes the same run
//    (DRIVER_ARGS="--train-backend webgpu,webgl,wasm", see ../shared/gpu-browser).
//  - 'seed-spread-classic': ten runs, seeds 1-10, the lab's defaults (augmentation on), WebAssembly only: their test
//    accuracies lie within 2 points (the issue). About 10 minutes on 2 quiet cores.
//  - 'small-net-all-images': the small net, one epoch on all 60,000 images (54,000 after validation), the lab's
//    defaults otherwise, on the requested backend: the issue wants >= 97.5% on every backend.
import type { BackendName } from '../../src/backend/backend';
import { WASM_PATHS } from '../../src/backend/wasm-paths';
import { DEFAULT_AUGMENT } from '../../src/augment/settings';
import { loadMnist } from '../../src/data/loader';
import { CLASSIC_SPEC, SMALL_SPEC, type ModelSpec } from '../../src/model/spec';
import { createWorkerEngine, type TrainingEngine } from '../../src/train/engine';
import { DEFAULT_TRAIN, type TrainSettings } from '../../src/train/settings';
import type { BenchCase, BenchFigure } from '../types';

async function startEngine(backend: string): Promise<TrainingEngine> {
  const engine = createWorkerEngine({ wasmPaths: WASM_PATHS });
  await engine.start(backend as BackendName);
  await engine.ensureDataset(await loadMnist({ baseUrl: new URL('mnist/', document.baseURI).href }));
  return engine;
}

/** One run: test accuracy in percent, training images per second, the backend it trained on. */
async function run(engine: TrainingEngine, settings: TrainSettings, spec: ModelSpec = CLASSIC_SPEC): Promise<{ accuracy: number; imagesPerSecond: number; backend: string; seconds: number }> {
  const start = performance.now();
  const outcome = await engine.run({ spec, settings, augmentation: DEFAULT_AUGMENT }, () => {});
  if (outcome.train.outcome !== 'completed' || !outcome.test) throw new Error(`run ended ${outcome.train.outcome}: ${outcome.train.message}`);
  return {
    accuracy: Number((outcome.test.accuracy * 100).toFixed(2)),
    imagesPerSecond: Math.round(outcome.train.imagesSeen / (outcome.train.durationMs / 1000)),
    backend: outcome.backend,
    seconds: Math.round((performance.now() - start) / 100) / 10,
  };
}

export const cases: Record<string, BenchCase> = {
  'small-net-all-images': async ({ backend }) => {
    const engine = await startEngine(backend);
    try {
      const r = await run(engine, { ...DEFAULT_TRAIN, trainSize: 60000 }, SMALL_SPEC);
      return [{ name: 'small net, 1 epoch on all 60,000 images (lab defaults otherwise): test accuracy', value: r.accuracy, unit: '%', target: '>= 97.5', met: r.accuracy >= 97.5, trainedOn: r.backend, imagesPerSecond: r.imagesPerSecond, seconds: r.seconds }];
    } finally {
      engine.terminate();
    }
  },

  'seeded-run-classic': async ({ backend }) => {
    const engine = await startEngine(backend);
    try {
      const r = await run(engine, { ...DEFAULT_TRAIN, augment: false, seed: 42 });
      return [{ name: 'classic net, seeded run (seed 42, 5,000 images, 1 epoch, no augmentation): test accuracy', value: r.accuracy, unit: '%', trainedOn: r.backend, imagesPerSecond: r.imagesPerSecond, seconds: r.seconds }];
    } finally {
      engine.terminate();
    }
  },

  'seed-spread-classic': async ({ backend }) => {
    if (backend !== 'wasm') return [];
    const engine = await startEngine('wasm');
    const accuracies: number[] = [];
    const figures: BenchFigure[] = [];
    try {
      for (let seed = 1; seed <= 10; seed++) {
        const r = await run(engine, { ...DEFAULT_TRAIN, seed });
        accuracies.push(r.accuracy);
        figures.push({ name: `classic net, defaults, seed ${seed}: test accuracy`, value: r.accuracy, unit: '%', imagesPerSecond: r.imagesPerSecond, seconds: r.seconds });
      }
    } finally {
      engine.terminate();
    }
    const spread = Math.max(...accuracies) - Math.min(...accuracies);
    figures.push({
      name: 'classic net, ten seeded 1-epoch runs on 5,000 images: highest minus lowest test accuracy',
      value: Number(spread.toFixed(2)),
      unit: 'points',
      target: '<= 2',
      met: spread <= 2,
      accuracies,
      mean: Number((accuracies.reduce((a, b) => a + b, 0) / accuracies.length).toFixed(2)),
    });
    return figures;
  },
};
