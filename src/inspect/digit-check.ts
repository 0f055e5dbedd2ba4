/**
 * "Is this a digit at all?" A softmax always picks one of its ten answers — pure noise reads "8, 100% sure". This
 * check looks at what the network computed on the way: how strongly each filter of each convolution block fired
 * (mean and peak per channel), the last hidden layer, and the input's rough shape. A logistic regression fitted on
 * real MNIST digits against generated non-digits (letters drawn as strokes, scribbles, noise: src/inspect/non-digits.ts)
 * turns those numbers into one score; the threshold is set on held-out real digits so that only a small share
 * (half a percent) of them is turned away. The false-rejection rate on the 10,000 MNIST test digits, and how many
 * fresh noise pictures and letters in other fonts it catches, are measured by the tests and stated in the lesson.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../data/mnist';
import { layerBlocks } from './blocks';
import { embeddingLayerIndex } from './embedding';
import { seededRandom } from '../data/random';
import { chainLayers, layerInfo, readProbabilities, runChain } from './activations';
import { inputTensor, topClass, type Prediction } from './predict';
import { asOnPad, makeNonDigits } from './non-digits';

/** Which layer outputs the check reads: each convolution block's output (per channel) and the embedding. */
export interface FeatureTaps {
  /** Layer positions whose feature maps are summarised per channel (mean and peak). */
  maps: number[];
  /** The last hidden layer's position. */
  embedding: number;
}

export function featureTaps(layers: readonly tf.layers.Layer[]): FeatureTaps {
  const blocks = layerBlocks(layers.map(layerInfo));
  return { maps: blocks.filter((b) => b.kind === 'conv').map((b) => b.output), embedding: embeddingLayerIndex(layers) };
}

/** The input's pixels at 14×14 and its ink box's width / height and ink share: what a letter's shape gives away. */
export const SHAPE_FEATURES = 14 * 14 + 2;

/** Shape numbers of one 28×28 input (values 0–1). */
export function shapeFeatures(pixels: ArrayLike<number>, out = new Float32Array(SHAPE_FEATURES)): Float32Array {
  let x0 = IMAGE_SIZE;
  let x1 = -1;
  let y0 = IMAGE_SIZE;
  let y1 = -1;
  let mass = 0;
  out.fill(0, 0, 196);
  for (let y = 0; y < IMAGE_SIZE; y++) {
    for (let x = 0; x < IMAGE_SIZE; x++) {
      const v = pixels[y * IMAGE_SIZE + x];
      out[(y >> 1) * 14 + (x >> 1)] += v / 4;
      mass += v;
      if (v > 0.2) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  out[196] = x1 < 0 ? 0 : (x1 - x0 + 1) / (y1 - y0 + 1);
  out[197] = mass / IMAGE_PIXELS;
  return out;
}

/**
 * The network's part of the features for a batch, from the layer outputs of one pass (`outputs[i]` = layer i's
 * output): [n, Σ 2·channels + embedding size]. Call inside tf.tidy.
 */
export function networkFeatures(outputs: readonly tf.Tensor[], taps: FeatureTaps): tf.Tensor2D {
  const parts: tf.Tensor[] = [];
  for (const i of taps.maps) {
    const maps = outputs[i] as tf.Tensor4D;
    parts.push(tf.mean(maps, [1, 2]), tf.max(maps, [1, 2]));
  }
  const embedding = outputs[taps.embedding];
  parts.push(embedding.reshape([embedding.shape[0], -1]));
  return tf.concat(parts, 1) as tf.Tensor2D;
}

/** One input's full feature vector: the network's numbers followed by the shape numbers. */
export function joinFeatures(network: Float32Array, pixels: ArrayLike<number>): Float32Array {
  const out = new Float32Array(network.length + SHAPE_FEATURES);
  out.set(network);
  shapeFeatures(pixels, out.subarray(network.length));
  return out;
}

/** A fitted check: standardisation, weights, and the threshold on its score. Plain data (stored as JSON). */
export interface DigitCheck {
  version: 1;
  features: number;
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** Scores above this are "not a digit". */
  threshold: number;
  /** How it was calibrated: held-out real digits and the share turned away; non-digits it was fitted on. */
  calibration: { heldOutDigits: number; heldOutRejected: number; fittedDigits: number; fittedNonDigits: number };
}

export interface DigitVerdict {
  /** The check's score (log-odds of "not a digit"). */
  score: number;
  /** How far past the threshold: above 0 is "not a digit". */
  margin: number;
  isDigit: boolean;
}

export function scoreFeatures(check: DigitCheck, features: ArrayLike<number>): number {
  if (features.length !== check.features) throw new RangeError(`${features.length} features, but the check expects ${check.features}`);
  let z = check.bias;
  for (let j = 0; j < check.features; j++) z += (check.weights[j] * (features[j] - check.mean[j])) / check.scale[j];
  return z;
}

export function judge(check: DigitCheck, features: ArrayLike<number>): DigitVerdict {
  const score = scoreFeatures(check, features);
  return { score, margin: score - check.threshold, isDigit: score <= check.threshold };
}

/** The value below which a `share` of `values` lie (linear interpolation between order statistics). */
export function quantile(values: ArrayLike<number>, share: number): number {
  const sorted = Float64Array.from(values).sort();
  if (!sorted.length) throw new RangeError('no values');
  const at = Math.min(sorted.length - 1, Math.max(0, share * (sorted.length - 1)));
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Share of held-out real digits the threshold turns away. */
export const TARGET_REJECTION = 0.005;

export interface FitInput {
  /** Feature rows of real digits (fitted on). */
  digits: Float32Array[];
  /** Feature rows of generated non-digits. */
  nonDigits: Float32Array[];
  /** Feature rows of other real digits: the threshold is set on these. */
  heldOut: Float32Array[];
  targetRejection?: number;
  /** L2 penalty on the (standardised) weights. */
  l2?: number;
  epochs?: number;
}

/**
 * Fits the logistic regression (digits = 0, non-digits = 1, both classes weighted equally; Adam on the full batch)
 * and sets the threshold on the held-out digits. A few seconds for a few thousand rows of ~800 numbers.
 */
export function fitDigitCheck(input: FitInput): DigitCheck {
  const { digits, nonDigits, heldOut } = input;
  if (digits.length < 10 || nonDigits.length < 10 || heldOut.length < 20) throw new RangeError('too few examples to fit the digit check');
  const d = digits[0].length;
  const all = [...digits, ...nonDigits];
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (const x of all) for (let j = 0; j < d; j++) mean[j] += x[j] / all.length;
  for (const x of all) for (let j = 0; j < d; j++) scale[j] += (x[j] - mean[j]) ** 2 / all.length;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]) || 1;
  // Standardised copies once: the epochs then only multiply.
  const standard = (rows: Float32Array[]) => rows.map((x) => Float64Array.from(x, (v, j) => (v - mean[j]) / scale[j]));
  const sets: [Float64Array[], number, number][] = [
    [standard(digits), 0, 0.5 / digits.length],
    [standard(nonDigits), 1, 0.5 / nonDigits.length],
  ];
  const w = new Float64Array(d + 1); // the last entry is the bias
  const m = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  const l2 = input.l2 ?? 1e-2;
  const rate = 0.05;
  const epochs = input.epochs ?? 300;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    g.fill(0);
    for (const [rows, y, weight] of sets) {
      for (const x of rows) {
        let z = w[d];
        for (let j = 0; j < d; j++) z += w[j] * x[j];
        const e = (1 / (1 + Math.exp(-z)) - y) * weight;
        for (let j = 0; j < d; j++) g[j] += e * x[j];
        g[d] += e;
      }
    }
    for (let j = 0; j < d; j++) g[j] += l2 * w[j];
    for (let j = 0; j <= d; j++) {
      m[j] = 0.9 * m[j] + 0.1 * g[j];
      v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
      w[j] -= (rate * (m[j] / (1 - 0.9 ** epoch))) / (Math.sqrt(v[j] / (1 - 0.999 ** epoch)) + 1e-8);
    }
  }
  const partial: DigitCheck = {
    version: 1,
    features: d,
    mean: Array.from(mean),
    scale: Array.from(scale),
    weights: Array.from(w.subarray(0, d)),
    bias: w[d],
    threshold: 0,
    calibration: { heldOutDigits: heldOut.length, heldOutRejected: 0, fittedDigits: digits.length, fittedNonDigits: nonDigits.length },
  };
  const scores = heldOut.map((x) => scoreFeatures(partial, x));
  const threshold = quantile(scores, 1 - (input.targetRejection ?? TARGET_REJECTION));
  return { ...partial, threshold, calibration: { ...partial.calibration, heldOutRejected: scores.filter((s) => s > threshold).length } };
}

/** Whether a value read from a file or storage is a digit check (it may be damaged or from another version). */
export function isDigitCheck(value: unknown): value is DigitCheck {
  const c = value as Partial<DigitCheck> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    c.version === 1 &&
    typeof c.features === 'number' &&
    [c.mean, c.scale, c.weights].every((a) => Array.isArray(a) && a.length === c.features) &&
    Number.isFinite(c.bias) &&
    Number.isFinite(c.threshold)
  );
}

/**
 * Feature rows for `count` images (bytes 0–255, 784 each) through the chain, in batches; no tensor outlives the call.
 */
export async function featureRows(layers: readonly tf.layers.Layer[], images: Uint8Array, count: number, options: { batchSize?: number; signal?: AbortSignal; onProgress?: (done: number) => void | Promise<void> } = {}): Promise<Float32Array[]> {
  const taps = featureTaps(layers);
  const last = Math.max(taps.embedding, ...taps.maps);
  const batchSize = options.batchSize ?? 100;
  const rows: Float32Array[] = [];
  for (let start = 0; start < count; start += batchSize) {
    options.signal?.throwIfAborted();
    const n = Math.min(batchSize, count - start);
    const pixels = Float32Array.from(images.subarray(start * IMAGE_PIXELS, (start + n) * IMAGE_PIXELS), (v) => v / 255);
    const features = tf.tidy(() => {
      const outputs: tf.Tensor[] = [];
      let h: tf.Tensor = tf.tensor4d(pixels, [n, IMAGE_SIZE, IMAGE_SIZE, 1]);
      for (let i = 0; i <= last; i++) outputs.push((h = layers[i].apply(h, { training: false }) as tf.Tensor));
      return networkFeatures(outputs, taps);
    });
    let values: Float32Array;
    try {
      values = (await features.data()) as Float32Array;
    } finally {
      features.dispose();
    }
    const width = values.length / n;
    for (let b = 0; b < n; b++) rows.push(joinFeatures(values.subarray(b * width, (b + 1) * width), pixels.subarray(b * IMAGE_PIXELS, (b + 1) * IMAGE_PIXELS)));
    await options.onProgress?.(start + n);
  }
  return rows;
}

/** How many examples calibration uses: real digits fitted on and held out, and generated non-digits. */
export const CALIBRATION = { fitted: 3000, heldOut: 2000, perLetter: 20, smallLetters: true, noise: 60, scribbles: 300, seed: 15 } as const;

/**
 * Fits the check for a model: the first `CALIBRATION.fitted` MNIST training digits, as they are and as the pad shows
 * them, against generated non-digits (letters, scribbles, noise), the threshold on the next `heldOut` training digits
 * (both ways). About 11,000 forward passes: run it in a worker.
 */
export async function calibrateDigitCheck(layers: readonly tf.layers.Layer[], trainImages: Uint8Array, options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {}): Promise<DigitCheck> {
  const { fitted, heldOut } = CALIBRATION;
  const needed = fitted + heldOut;
  if (trainImages.length < needed * IMAGE_PIXELS) throw new RangeError(`calibration needs ${needed} training images`);
  const nonDigits = makeNonDigits(seededRandom(CALIBRATION.seed), CALIBRATION);
  const total = 2 * needed + nonDigits.count;
  let done = 0;
  const run = async (images: Uint8Array, count: number) => {
    const base = done;
    const rows = await featureRows(layers, images, count, { signal: options.signal, onProgress: (n) => options.onProgress?.((base + n) / total) });
    done += count;
    return rows;
  };
  // Each digit twice: as MNIST has it, and as the draw pad shows it (enlarged, smoothed, prepared again).
  const onPad = asOnPad(trainImages, needed);
  const digits = [...(await run(trainImages, fitted)), ...(await run(onPad, fitted))];
  const held = [...(await run(trainImages.subarray(fitted * IMAGE_PIXELS), heldOut)), ...(await run(onPad.subarray(fitted * IMAGE_PIXELS), heldOut))];
  const others = await run(nonDigits.images, nonDigits.count);
  return fitDigitCheck({ digits, nonDigits: others, heldOut: held });
}

/** A prediction with the numbers the "not a digit" check reads, from the same single pass. */
export interface CheckedPrediction extends Prediction {
  features: Float32Array;
}

/** The model's answer for one 28×28 image and the check's features for it; no tensor outlives the call. */
export async function predictWithFeatures(model: tf.LayersModel, pixels: ArrayLike<number>): Promise<CheckedPrediction> {
  const layers = chainLayers(model);
  const taps = featureTaps(layers);
  const [probabilities, features] = tf.tidy(() => {
    const { outputs } = runChain(layers, inputTensor(pixels));
    return [outputs[outputs.length - 1], networkFeatures(outputs, taps)];
  });
  try {
    const [p, f] = await Promise.all([probabilities.data(), features.data()]);
    const values = readProbabilities(p);
    return { probabilities: values, ...topClass(values), features: joinFeatures(f as Float32Array, pixels) };
  } finally {
    tf.dispose([probabilities, features]);
  }
}
