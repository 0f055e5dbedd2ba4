/**
 * Offline training: a model preset on MNIST in Node, on tfjs's WASM backend (with the lab's gradient kernels),
 * writing data/model/model.json + weights.bin + report.json.
 *
 *   npm run train -- --model classic --epochs 12 --train-size 60000 --batch 128
 *   npm run train -- --help
 *
 * It trains with the engine's own loop (src/train/loop.ts) and augmentation (src/augment, the Keras
 * ImageDataGenerator ranges the lab uses by default): what the training lesson does, without a page.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/backend/backend';
import { nodeWasmPaths } from '../src/backend/node-wasm';
import { loadPreparedMnist } from '../src/data/node';
import { DEFAULT_AUGMENT } from '../src/augment/settings';
import { formatNumber, formatPercent } from '../src/format';
import { buildModel } from '../src/model/build';
import { createOptimizer } from '../src/model/compile';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, SMALL_SPEC, type ModelSpec } from '../src/model/spec';
import { TrainControl } from '../src/train/control';
import { evaluateTest } from '../src/train/evaluate';
import { trainModel, type TrainProgress } from '../src/train/loop';

const PRESETS: Record<string, ModelSpec> = { classic: CLASSIC_SPEC, small: SMALL_SPEC, dense: DENSE_ONLY_SPEC };

interface Options {
  model: string;
  epochs: number;
  trainSize: number;
  batch: number;
  lr: number;
  decay: number;
  augment: boolean;
  backend: BackendName;
  seed: number;
  out: string;
  /** Stop after this many minutes of training (0 = no limit); the learning rate then anneals with the time used. */
  minutes: number;
  /** A folder with model.json + weights.bin (+ report.json) to go on training from, instead of fresh weights. */
  resume: string | null;
}

const HELP = `Usage: npm run train -- [options]
  --model NAME        preset: ${Object.keys(PRESETS).join(', ')} (default classic)
  --epochs N          passes over the training images (default 10)
  --train-size N      training images used, up to 60000 (default 60000)
  --batch N           batch size (default 128)
  --lr X              Adam learning rate at the start (default 0.002)
  --decay X           learning rate multiplier per epoch (default 0.8)
  --no-augment        train on the plain images
  --backend NAME      wasm (default, fastest here) or cpu
  --seed N            shuffling and augmentation seed (default 1)
  --minutes M         stop after M minutes of training, then test and save (default: no limit); the learning
                      rate then falls linearly to a tenth over the time, for a fixed time budget
  --resume DIR        go on training the model saved in DIR (model.json, weights.bin, report.json) instead of
                      starting from random weights; the optimizer starts afresh
  --out DIR           output folder (default data/model)`;

function parseOptions(argv: string[]): Options {
  const o: Options = { model: 'classic', epochs: 10, trainSize: 60000, batch: 128, lr: 0.002, decay: 0.8, augment: true, backend: 'wasm', seed: 1, out: 'data/model', minutes: 0, resume: null };
  const num = (name: string, value: string | undefined, min: number, max: number, int = true): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
      throw new Error(`--${name} must be ${int ? 'an integer' : 'a number'} from ${min} to ${max}, not ${value ?? 'nothing'}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/) : [arg, undefined];
    // The next argument is this option's value unless it is itself an option (`--resume --epochs 3`).
    const value = (): string | undefined => inline ?? (argv[i + 1]?.startsWith('--') ? undefined : argv[++i]);
    switch (flag) {
      case '--help': case '-h': console.log(HELP); process.exit(0); break;
      case '--model': o.model = value() ?? ''; if (!PRESETS[o.model]) throw new Error(`--model must be one of ${Object.keys(PRESETS).join(', ')}`); break;
      case '--epochs': o.epochs = num('epochs', value(), 1, 1000); break;
      case '--train-size': o.trainSize = num('train-size', value(), 1, 60000); break;
      case '--batch': o.batch = num('batch', value(), 1, 4096); break;
      case '--lr': o.lr = num('lr', value(), 1e-6, 1, false); break;
      case '--decay': o.decay = num('decay', value(), 0.01, 1, false); break;
      case '--no-augment': o.augment = false; break;
      case '--backend': { const b = value(); if (b !== 'wasm' && b !== 'cpu') throw new Error('--backend must be wasm or cpu'); o.backend = b; break; }
      case '--seed': o.seed = num('seed', value(), 0, 2 ** 31); break;
      case '--out': o.out = value() ?? o.out; break;
      case '--resume': o.resume = value() ?? null; if (!o.resume) throw new Error('--resume needs a folder'); break;
      case '--minutes': o.minutes = num('minutes', value(), 0, 100000, false); break;
      default: throw new Error(`unknown option ${arg}\n${HELP}`);
    }
  }
  return o;
}

const time = (s: number): string => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(0)}s`);

let lastLogged = -1;

function progress(epoch: number, epochs: number, done: number, total: number, started: number, loss: number, acc: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const elapsed = (performance.now() - started) / 1000;
  const rate = done / Math.max(elapsed, 1e-3);
  const eta = (total - done) / Math.max(rate, 1e-3);
  const line = `epoch ${epoch}/${epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)}% ${done}/${total} ${rate.toFixed(0)} img/s loss ${loss.toFixed(4)} acc ${(acc * 100).toFixed(2)}% ETA ${time(eta)}`;
  if (process.stderr.isTTY) {
    process.stderr.write(`\r${line}\x1b[K`);
  } else if (Math.floor((done / total) * 10) !== lastLogged) {
    // Logs (not a terminal) get one line per tenth of an epoch.
    lastLogged = Math.floor((done / total) * 10);
    process.stderr.write(`${line}\n`);
  }
}

async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(json));
      await writeFile(join(dir, 'weights.bin'), weights);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    }),
  );
}

interface SavedRun {
  model: tf.LayersModel;
  /** The report saved beside the model, if any: its epochs and history carry over into the new report. */
  report: { epochs?: number; imagesSeen?: number; trainSeconds?: number; history?: unknown[]; command?: string } | null;
}

/** Loads a model saved by this script (or the shipped one) from a folder, with its report when there is one. */
async function loadSavedRun(dir: string): Promise<SavedRun> {
  const text = await readFile(join(dir, 'model.json'), 'utf8').catch(() => {
    throw new Error(`--resume: no model.json in ${dir}`);
  });
  const json = JSON.parse(text) as {
    modelTopology: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((group) => group.paths).map((path) => readFile(join(dir, path))));
  const weightData = new Uint8Array(Buffer.concat(buffers)).buffer;
  const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
  const report = await readFile(join(dir, 'report.json'), 'utf8').then((text) => JSON.parse(text) as SavedRun['report'], () => null);
  return { model, report };
}

interface EpochRecord {
  epoch: number;
  images: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
  learningRate: number;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const choice = await initBackend(o.backend, { wasmPaths: nodeWasmPaths() });
  if (choice.fallbackReason) console.warn(choice.fallbackReason);
  const data = await loadPreparedMnist();
  const spec = PRESETS[o.model];
  const resumed = o.resume ? await loadSavedRun(resolve(o.resume)) : null;
  const model = resumed?.model ?? buildModel(spec);
  const earlier = resumed?.report ?? null;
  if (resumed) {
    const fresh = buildModel(spec);
    const same = fresh.countParams() === model.countParams() && fresh.layers.length === model.layers.length;
    fresh.dispose();
    if (!same) throw new Error(`the model in ${o.resume} is not the ${spec.name} net (pass its --model)`);
    console.log(`Going on from ${o.resume} (${earlier?.epochs ?? '?'} epochs so far)`);
  }
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: o.lr });
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`Training the ${spec.name} net on ${o.trainSize} images, ${o.epochs} epochs, batch ${o.batch}, on ${tf.getBackend()}${o.augment ? ', with augmentation' : ''}`);
  const history: EpochRecord[] = [];
  const started = performance.now();
  const control = new TrainControl();
  let trainSeconds = 0;
  let imagesSeen = 0;
  const budgetMs = o.minutes * 60_000;
  const setLearningRate = (epoch: number): number => {
    const timeLeft = budgetMs ? Math.max(0, 1 - (performance.now() - started) / budgetMs) : 1;
    const lr = o.lr * o.decay ** (epoch - 1) * (0.1 + 0.9 * timeLeft);
    // Adam reads its learning rate at every step; it is not exposed as settable in the typings.
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    return lr;
  };

  // The epoch in progress, from the loop's batch reports.
  let epochStart = performance.now();
  let epochLearningRate = setLearningRate(1);
  let epochImages = 0;
  let lossSum = 0;
  let accSum = 0;
  const onBatch = (p: TrainProgress): void => {
    const n = p.imagesSeen - imagesSeen - epochImages;
    epochImages += n;
    lossSum += p.loss * n;
    accSum += p.accuracy * n;
    progress(p.epoch, p.epochs, epochImages, p.imagesTotal / p.epochs, epochStart, lossSum / epochImages, accSum / epochImages);
    if (budgetMs && performance.now() - started > budgetMs) control.stop(`time budget of ${o.minutes} minutes used`);
    else if (budgetMs) setLearningRate(p.epoch);
  };

  /** Tests the model on the 10,000 test images, saves it and its report (after every epoch, so a stopped run leaves a model). */
  const finishEpoch = async (epoch: number): Promise<void> => {
    const seconds = (performance.now() - epochStart) / 1000;
    const seen = epochImages;
    imagesSeen += seen;
    trainSeconds += seconds;
    const { accuracy: testAccuracy } = await evaluateTest(model, data);
    history.push({ epoch, images: seen, loss: lossSum / seen, trainAccuracy: accSum / seen, testAccuracy, seconds, learningRate: epochLearningRate });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (control.stopped) console.log(`${control.reason}: stopped after ${seen} images of epoch ${epoch}`);
    console.log(
      `epoch ${epoch}: loss ${formatNumber(lossSum / seen, 4)}, train ${formatPercent(accSum / seen, 2)}, test ${formatPercent(testAccuracy, 2)} (${time(seconds)}, ${(seen / seconds).toFixed(0)} img/s)`,
    );
    await saveRun(model, resolve(o.out), {
      model: spec.name,
      spec,
      testAccuracy,
      testImages: data.test.count,
      epochs: Math.round(((earlier?.epochs ?? 0) + imagesSeen / o.trainSize) * 100) / 100,
      imagesSeen: (earlier?.imagesSeen ?? 0) + imagesSeen,
      trainImages: o.trainSize,
      timeBudgetMinutes: o.minutes || null,
      batchSize: o.batch,
      optimizer: { name: 'adam', learningRate: o.lr, decayPerEpoch: o.decay },
      augmentation: o.augment ? augmentationNote : 'none',
      backend: tf.getBackend(),
      trainSeconds: Math.round(trainSeconds),
      wallSeconds: Math.round((performance.now() - started) / 1000),
      imagesPerSecond: Math.round(imagesSeen / trainSeconds),
      node: process.version,
      tfjs: tf.version.tfjs,
      command: `npm run train -- ${process.argv.slice(2).join(' ')}`.trim(),
      date: new Date().toISOString(),
      resumedFrom: earlier ? { epochs: earlier.epochs, trainSeconds: earlier.trainSeconds, command: earlier.command, history: earlier.history } : null,
      history,
    });
    epochImages = 0;
    lossSum = 0;
    accSum = 0;
    epochLearningRate = setLearningRate(epoch + 1);
    epochStart = performance.now();
  };

  // The loop reports an epoch synchronously; testing and saving are async, so training pauses meanwhile.
  let epochWork: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  try {
    const result = await trainModel({
      model,
      dataset: data,
      settings: { epochs: o.epochs, batchSize: o.batch, learningRate: o.lr, optimizer: 'adam', validationSplit: 0, trainSize: o.trainSize, augment: o.augment, seed: o.seed },
      augmentation: DEFAULT_AUGMENT,
      control,
      yieldToPage: async () => {},
      onBatch,
      onEpoch: ({ epoch }) => {
        control.pause();
        epochWork = epochWork
          .then(() => finishEpoch(epoch))
          .catch((error: unknown) => {
            failure = error;
            control.stop(String(error));
          })
          .finally(() => control.resume());
      },
    });
    await epochWork;
    if (failure) throw failure;
    if (result.outcome === 'diverged') throw new Error(`${result.message} (try a smaller --lr)`);
    // Stopped by the time budget inside an epoch: that part epoch is tested and saved too.
    if (result.outcome === 'stopped' && epochImages > 0) await finishEpoch(history.length + 1);
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

const augmentationNote = `random affine (src/augment, Keras ImageDataGenerator ranges): rotation ±${DEFAULT_AUGMENT.rotation}°, shift ±${DEFAULT_AUGMENT.widthShift * 100}%, zoom ±${DEFAULT_AUGMENT.zoom * 100}%, shear ±${DEFAULT_AUGMENT.shear}°`;

/** model.json, weights.bin and report.json in `dir`. */
async function saveRun(model: tf.LayersModel, dir: string, report: object): Promise<void> {
  await saveModel(model, dir);
  await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
}

main().catch((error: unknown) => {
  console.error(`\ntraining failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
