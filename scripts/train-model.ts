/**
 * Offline training: a model preset on MNIST in Node, on tfjs's WASM backend (with the lab's gradient kernels),
 * writing data/model/model.json + weights.bin + report.json.
 *
 *   npm run train -- --model classic --epochs 12 --train-size 60000 --batch 128
 *   npm run train -- --help
 *
 * Augmentation is a small random affine warp (rotation, shift, zoom, shear) done here on the pixel bytes, so the
 * script does not depend on the browser augmentation code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '../src/backend/backend';
import { nodeWasmPaths } from '../src/backend/node-wasm';
import { loadPreparedMnist } from '../src/data/node';
import { IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES, type MnistDataset } from '../src/data/mnist';
import { seededRandom, shuffleInPlace, type Random } from '../src/data/random';
import { buildModel } from '../src/model/build';
import { evaluateTest } from '../src/train/evaluate';
import { CLASSIC_SPEC, DENSE_ONLY_SPEC, SMALL_SPEC, type ModelSpec } from '../src/model/spec';

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

/**
 * A random affine warp of one 28×28 byte image into `out` (floats in [0, 1]), bilinear, about the centre:
 * rotation ±10°, shift ±10%, zoom ±10%, shear ±10° (the Keras ImageDataGenerator ranges the lab uses).
 */
function warp(src: Uint8Array, out: Float32Array, offset: number, random: Random): void {
  const rad = Math.PI / 180;
  const rot = (random() * 2 - 1) * 10 * rad;
  const shear = (random() * 2 - 1) * 10 * rad;
  const zx = 1 + (random() * 2 - 1) * 0.1;
  const zy = 1 + (random() * 2 - 1) * 0.1;
  const tx = (random() * 2 - 1) * 0.1 * IMAGE_SIZE;
  const ty = (random() * 2 - 1) * 0.1 * IMAGE_SIZE;
  // Inverse map: output pixel → source coordinate. Forward = T · R · Shear · Zoom about the centre.
  const cos = Math.cos(rot), sin = Math.sin(rot);
  const a = cos * zx, b = (-sin + cos * Math.tan(shear)) * zy;
  const c = sin * zx, d = (cos + sin * Math.tan(shear)) * zy;
  const det = a * d - b * c;
  const ia = d / det, ib = -b / det, ic = -c / det, id = a / det;
  const centre = (IMAGE_SIZE - 1) / 2;
  const px = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= IMAGE_SIZE || yy >= IMAGE_SIZE ? 0 : src[yy * IMAGE_SIZE + xx]);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const dx = x - centre - tx, dy = y - centre - ty;
      const sx = ia * dx + ib * dy + centre, sy = ic * dx + id * dy + centre;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const v = (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) + (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
      out[offset + y * IMAGE_SIZE + x] = v / 255;
    }
  }
}

function makeBatch(data: MnistDataset, indices: Int32Array, augment: Random | null): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  if (!augment) return data.batch('train', indices);
  const n = indices.length;
  const pixels = new Float32Array(n * IMAGE_PIXELS);
  const oneHot = new Float32Array(n * NUM_CLASSES);
  for (let i = 0; i < n; i++) {
    warp(data.image('train', indices[i]), pixels, i * IMAGE_PIXELS, augment);
    oneHot[i * NUM_CLASSES + data.label('train', indices[i])] = 1;
  }
  return { xs: tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1]), ys: tf.tensor2d(oneHot, [n, NUM_CLASSES]) };
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
  const optimizer = tf.train.adam(o.lr);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const indices = Int32Array.from({ length: o.trainSize }, (_, i) => i);
  const random = seededRandom(o.seed);
  console.log(`Training the ${spec.name} net on ${o.trainSize} images, ${o.epochs} epochs, batch ${o.batch}, on ${tf.getBackend()}${o.augment ? ', with augmentation' : ''}`);
  const history: { epoch: number; images: number; loss: number; trainAccuracy: number; testAccuracy: number; seconds: number; learningRate: number }[] = [];
  const started = performance.now();
  let trainSeconds = 0;
  let imagesSeen = 0;
  const budgetMs = o.minutes * 60_000;
  let outOfTime = false;
  const setLearningRate = (epoch: number): number => {
    const timeLeft = budgetMs ? Math.max(0, 1 - (performance.now() - started) / budgetMs) : 1;
    const lr = o.lr * o.decay ** (epoch - 1) * (0.1 + 0.9 * timeLeft);
    // Adam reads its learning rate at every step; it is not exposed as settable in the typings.
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    return lr;
  };
  for (let epoch = 1; epoch <= o.epochs && !outOfTime; epoch++) {
    const lr = setLearningRate(epoch);
    shuffleInPlace(indices, random);
    const epochStart = performance.now();
    let lossSum = 0, accSum = 0, seen = 0;
    for (let start = 0; start < indices.length; start += o.batch) {
      if (budgetMs && performance.now() - started > budgetMs) {
        outOfTime = true;
        break;
      }
      if (budgetMs) setLearningRate(epoch);
      const batch = makeBatch(data, indices.subarray(start, start + o.batch), o.augment ? random : null);
      const [loss, acc] = (await model.trainOnBatch(batch.xs, batch.ys)) as number[];
      const n = batch.xs.shape[0];
      tf.dispose([batch.xs, batch.ys]);
      if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at epoch ${epoch}; try a smaller --lr`);
      lossSum += loss * n; accSum += acc * n; seen += n;
      progress(epoch, o.epochs, seen, indices.length, epochStart, lossSum / seen, accSum / seen);
    }
    if (seen === 0) break;
    imagesSeen += seen;
    const seconds = (performance.now() - epochStart) / 1000;
    trainSeconds += seconds;
    const { accuracy: testAccuracy } = await evaluateTest(model, data);
    history.push({ epoch, images: seen, loss: lossSum / seen, trainAccuracy: accSum / seen, testAccuracy, seconds, learningRate: lr });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (outOfTime) console.log(`time budget of ${o.minutes} minutes used: stopped after ${seen} images of epoch ${epoch}`);
    console.log(`epoch ${epoch}: loss ${(lossSum / seen).toFixed(4)}, train ${((accSum / seen) * 100).toFixed(2)}%, test ${(testAccuracy * 100).toFixed(2)}% (${time(seconds)}, ${(seen / seconds).toFixed(0)} img/s)`);
    // Saved after every epoch, so a long run that is stopped still leaves a model.
    const out = resolve(o.out);
    await saveModel(model, out);
    const report = {
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
      augmentation: o.augment ? 'random affine: rotation ±10°, shift ±10%, zoom ±10%, shear ±10° (scripts/train-model.ts)' : 'none',
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
    };
    await writeFile(join(out, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  }
  model.dispose();
  optimizer.dispose();
}

main().catch((error: unknown) => {
  console.error(`\ntraining failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
