// Backend agreement: the same weights must score the same on every backend (the issue: within 0.1 point on 2,000
// test digits).
//  - 'agree-small' (test/e2e/backend-agreement.spec.ts, in CI): trains the small net for one seeded epoch on
//    WebAssembly, then scores those weights on WebAssembly, WebGL and CPU in the same page. Seconds, even on
//    software WebGL.
//  - 'agree-shipped': the shipped classic model on the requested backend (`npm run bench -- --only agree-shipped`
//    prints one line per backend: compare `value` and `predictions`). Software WebGL needs about 6 minutes here
//    for the 2,000 digits, the CPU backend longer: a benchmark, not a CI test.
import * as tf from '@tensorflow/tfjs';
import { useBackend, type BackendName } from '../../src/backend/backend';
import { WASM_PATHS } from '../../src/backend/wasm-paths';
import { loadMnist } from '../../src/data/loader';
import type { MnistDataset } from '../../src/data/mnist';
import { modelFromData, modelToData } from '../../src/model/artifacts';
import { createTrainableModel } from '../../src/model/compile';
import { SMALL_SPEC } from '../../src/model/spec';
import { evaluateTest } from '../../src/train/evaluate';
import { trainModel } from '../../src/train/loop';
import { DEFAULT_TRAIN } from '../../src/train/settings';
import type { BenchCase, BenchFigure } from '../types';

/** Test digits scored: the first 2,000 of the 10,000. */
const DIGITS = 2000;
/** The tolerance between backends, in points. */
const TOLERANCE = 0.1;

const siteUrl = (path: string) => new URL(path, document.baseURI).href;

/** FNV-1a over the predicted classes: the same answers give the same checksum. */
function checksum(predicted: ArrayLike<number>): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < predicted.length; i++) h = Math.imul(h ^ predicted[i], 0x01000193);
  return (h >>> 0).toString(16);
}

/** Accuracy on the first 2,000 test digits, the checksum of every answer, and the digits it got wrong. */
async function score(model: tf.LayersModel, dataset: MnistDataset, name: string, backend: string): Promise<BenchFigure> {
  const start = performance.now();
  const result = await evaluateTest(model, dataset, { limit: DIGITS, batchSize: 250 });
  const seconds = (performance.now() - start) / 1000;
  // Every answer: the true label, except where evaluateTest recorded a mistake.
  const predicted = Int32Array.from({ length: result.count }, (_, i) => dataset.label('test', i));
  for (const m of result.misclassified) predicted[m.index] = m.predicted;
  return {
    name: `${name}, accuracy on the first ${DIGITS.toLocaleString('en-US')} test digits`,
    value: Number((result.accuracy * 100).toFixed(2)),
    unit: '%',
    backend,
    predictions: checksum(predicted),
    mistakes: result.misclassified.map((m) => m.index),
    seconds: Number(seconds.toFixed(1)),
  };
}

export const cases: Record<string, BenchCase> = {
  'agree-small': async () => {
    const dataset = await loadMnist({ baseUrl: siteUrl('mnist/') });
    // One seeded epoch on 5,000 images, on WebAssembly: about 95%, enough for disagreements to show.
    if (!(await useBackend('wasm', { wasmPaths: WASM_PATHS }))) throw new Error('WebAssembly did not start');
    const settings = { ...DEFAULT_TRAIN, trainSize: 5000, validationSplit: 0, batchSize: 64, augment: false, seed: 11 };
    const trainable = createTrainableModel(SMALL_SPEC, { optimizer: settings.optimizer, learningRate: settings.learningRate, seed: settings.seed });
    let weights;
    try {
      await trainModel({ model: trainable.model, dataset, settings });
      weights = await modelToData(trainable.model);
    } finally {
      trainable.dispose();
    }
    const figures: BenchFigure[] = [];
    for (const backend of ['wasm', 'webgl', 'cpu'] as BackendName[]) {
      if (!(await useBackend(backend, { wasmPaths: WASM_PATHS }))) {
        figures.push({ name: `small net on ${backend}`, value: NaN, unit: '%', backend, error: 'did not start' });
        continue;
      }
      const model = await modelFromData(weights);
      try {
        figures.push(await score(model, dataset, 'small net, one seeded epoch', backend));
      } finally {
        model.dispose();
      }
    }
    const values = figures.map((f) => f.value).filter(Number.isFinite);
    const spread = Math.max(...values) - Math.min(...values);
    figures.push({
      name: 'small net: largest difference between backends',
      value: Number(spread.toFixed(2)),
      unit: 'points',
      target: `<= ${TOLERANCE}`,
      met: values.length === 3 && spread <= TOLERANCE,
    });
    return figures;
  },

  'agree-shipped': async ({ backend }) => {
    const [dataset, model] = await Promise.all([loadMnist({ baseUrl: siteUrl('mnist/') }), tf.loadLayersModel(siteUrl('model/model.json'))]);
    try {
      return [await score(model, dataset, 'shipped classic model', backend)];
    } finally {
      model.dispose();
    }
  },
};
