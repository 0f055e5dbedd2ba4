/**
 * Checks the Keras export end to end against a real Keras 3 (not part of CI: it needs Python with Keras):
 *
 *   python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras jax h5py matplotlib
 *   npx tsx scripts/check-keras-export.ts --python /tmp/kvenv/bin/python [--out DIR] [--backend wasm|cpu]
 *     [--model small|classic|denseOnly] [--images 2000]
 *
 * 1. Trains the small net (or --model) in Node with the lab's own code (1 epoch, 2,000 images, the default augmentation),
 *    measures it on the 10,000 test digits, and exports the run's script and its weights (.weights.h5).
 * 2. Runs the exported script in that Python (scripts/check-keras-export.py swaps keras.datasets.mnist's download
 *    for the lab's copy of the same files; nothing else in the script changes). The script trains its own model
 *    and loads the lab's weights.
 * 3. Compares: the Keras model with the lab's weights must give the lab's probabilities on 100 test digits to 1e-4
 *    and the lab's test accuracy to 0.1 point; the script's NumPy augmentation must move pixels like the lab's.
 * Exits non-zero when a check fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { sampleAffineParams, transformImages } from '../src/augment/augment';
import { DEFAULT_AUGMENT } from '../src/augment/settings';
import { initBackend, type BackendName } from '../src/backend/backend';
import { nodeWasmPaths } from '../src/backend/node-wasm';
import { loadPreparedMnist } from '../src/data/node';
import { seededRandom } from '../src/data/random';
import { kerasWeightsFromModelData } from '../src/export/model-data';
import { exportRunScript, runExportFileNames, type RunExportInput } from '../src/export/keras-run';
import { encodeKerasWeightsH5 } from '../src/export/weights-h5';
import { modelToData } from '../src/model/artifacts';
import { PRESETS, type PresetId } from '../src/model/spec';
import { trainAndEvaluate } from '../src/train/session';
import { DEFAULT_TRAIN } from '../src/train/settings';

const PREDICTED_DIGITS = 100;
const AUGMENT_SAMPLES = 16;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = process.argv[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return value;
}

async function main(): Promise<void> {
  const python = option('python', 'python3');
  const out = resolve(option('out', 'test-results/keras-export'));
  const backend = option('backend', 'wasm') as BackendName;
  await mkdir(out, { recursive: true });
  const choice = await initBackend(backend, { wasmPaths: nodeWasmPaths() });
  console.log(`tfjs backend: ${choice.active}`);
  const dataset = await loadPreparedMnist();

  const preset = option('model', 'small') as PresetId;
  if (!Object.hasOwn(PRESETS, preset)) throw new Error(`--model must be one of ${Object.keys(PRESETS).join(', ')}`);
  const spec = PRESETS[preset].spec;
  const settings = { ...DEFAULT_TRAIN, trainSize: Number(option('images', '2000')), epochs: 1 };
  const started = performance.now();
  const result = await trainAndEvaluate({ spec, settings, augmentation: DEFAULT_AUGMENT, dataset, yieldToPage: () => Promise.resolve() });
  if (!result.trainable || !result.test) throw new Error(`training did not complete: ${result.train.message}`);
  const { model } = result.trainable;
  console.log(`Lab (tfjs, ${spec.name} net, ${settings.trainSize} images): trained in ${((performance.now() - started) / 1000).toFixed(1)} s, test accuracy ${(result.test.accuracy * 100).toFixed(2)}% on ${result.test.count} digits`);

  const run: RunExportInput = { spec, settings, augmentation: DEFAULT_AUGMENT, testAccuracy: result.test.accuracy, testCount: result.test.count, backend: choice.active };
  const files = runExportFileNames(run);
  await writeFile(join(out, files.script), exportRunScript(run));
  // The weights as the run history keeps them (tfjs model data), converted the way <run-export> does for a run.
  await writeFile(join(out, files.weights), await encodeKerasWeightsH5(spec, kerasWeightsFromModelData(await modelToData(model))));

  const first = dataset.batch('test', Int32Array.from({ length: PREDICTED_DIGITS }, (_, i) => i));
  const probabilities = tf.tidy(() => (model.predict(first.xs) as tf.Tensor2D).arraySync());

  // The lab's augmentation of a few test digits, with the parameters it drew, for the script's NumPy version.
  const params = Array.from({ length: AUGMENT_SAMPLES }, (_, i) => sampleAffineParams({ ...DEFAULT_AUGMENT, rotation: 30, shear: 20, zoom: 0.3, widthShift: 0.2 }, seededRandom(i + 1)));
  const originals = first.xs.slice(0, AUGMENT_SAMPLES);
  const moved = transformImages(originals as tf.Tensor4D, params);
  const augmentation = { params, images: originals.arraySync(), lab: moved.arraySync() };
  tf.dispose([first.xs, first.ys, originals, moved]);
  result.trainable.dispose();

  const expected = { script: files.script, weights: files.weights, labTestAccuracy: result.test.accuracy, probabilities, augmentation };
  await writeFile(join(out, 'expected.json'), JSON.stringify(expected));

  const checker = resolve('scripts/check-keras-export.py');
  const status = spawnSync(python, [checker, '--dir', out, '--data', resolve('data/mnist')], { stdio: 'inherit', env: { ...process.env, KERAS_BACKEND: process.env.KERAS_BACKEND ?? 'jax' } });
  if (status.error) throw status.error;
  process.exitCode = status.status ?? 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
