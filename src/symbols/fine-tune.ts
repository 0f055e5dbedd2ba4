/**
 * Optional, after the head is taught on the frozen body: unfreeze the last convolution block (its Conv2D and the
 * batch norm right after it) and train it together with the head, on the same digit sample and drawings — then
 * compare with the frozen body on the same held-out fold and on the 10,000 test digits. Every layer before the block
 * stays frozen (its output is computed once per image), and so do the layers between the block and the head, so the
 * few drawings move one block only. Inference mode throughout (batch norm on its moving averages, dropout off): with
 * a few hundred images a batch's own statistics would be noise. Runs in the training worker; plain numbers out.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE, type MnistDataset } from '../data/mnist';
import { seededRandom, shuffleInPlace } from '../data/random';
import { createOptimizer } from '../model/compile';
import { ExtendError, extractFeatures, type ExtractOptions, type HeadWeights, type ImageBatch } from './features';
import { fitHead, headPredictions, HeadStopped, type FitOptions, type HeadSettings } from './head';

export interface FineTuneSettings {
  /** Passes over the digits and drawings. */
  epochs: number;
  batchSize: number;
  learningRate: number;
}

export const DEFAULT_FINE_TUNE: FineTuneSettings = { epochs: 4, batchSize: 64, learningRate: 0.0003 };

/** A chain of layers cut around its last convolution block. */
export interface ConvSplit {
  /** Frozen: every layer before the block. */
  prefix: tf.layers.Layer[];
  /** Trained: the last Conv2D and the batch norm right after it (if any). */
  block: tf.layers.Layer[];
  /** Frozen: from the block to the head (activation, pooling, dense layers). */
  rest: tf.layers.Layer[];
}

/** Cuts `body` (the layers before the head) around its last Conv2D. */
export function splitLastConvBlock(body: readonly tf.layers.Layer[]): ConvSplit {
  const conv = body.findLastIndex((l) => l.getClassName() === 'Conv2D');
  if (conv < 0) throw new ExtendError('The lab’s model has no convolution layer to unfreeze.');
  const end = body[conv + 1]?.getClassName() === 'BatchNormalization' ? conv + 2 : conv + 1;
  return { prefix: body.slice(0, conv), block: body.slice(conv, end), rest: body.slice(end) };
}

/** Images as the block's input: rows of the prefix's output, and that output's shape per image. */
export interface BlockInputs {
  values: Float32Array;
  labels: Uint8Array;
  shape: [number, number, number];
}

/** The output shape of the prefix for one image ([height, width, channels]). */
function prefixShape(split: ConvSplit): [number, number, number] {
  const last = split.prefix.at(-1);
  // A layer with one output has one shape; with no prefix the block reads the image itself.
  const raw = last ? last.outputShape : [null, IMAGE_SIZE, IMAGE_SIZE, 1];
  const shape = (Array.isArray(raw[0]) ? raw[0] : raw) as (number | null)[];
  if (!shape || shape.length !== 4) throw new ExtendError('The last convolution block’s input has no known shape.');
  return [shape[1]!, shape[2]!, shape[3]!];
}

/** The block's inputs for a batch of images (optionally transformed first: augmentation). */
export async function blockInputs(split: ConvSplit, images: ImageBatch, labels: Uint8Array, options: ExtractOptions = {}): Promise<BlockInputs> {
  const shape = prefixShape(split);
  const { values } = await extractFeatures(split.prefix, images, shape[0] * shape[1] * shape[2], options);
  return { values, labels, shape };
}

/** Joins block inputs of the same shape. */
export function joinInputs(parts: readonly BlockInputs[]): BlockInputs {
  const values = new Float32Array(parts.reduce((n, p) => n + p.values.length, 0));
  const labels = new Uint8Array(parts.reduce((n, p) => n + p.labels.length, 0));
  let v = 0;
  let l = 0;
  for (const p of parts) {
    values.set(p.values, v);
    labels.set(p.labels, l);
    v += p.values.length;
    l += p.labels.length;
  }
  return { values, labels, shape: parts[0].shape };
}

/** The rows of `inputs` at `rows`. */
export function pickInputs(inputs: BlockInputs, rows: ArrayLike<number>): BlockInputs {
  const size = inputs.shape[0] * inputs.shape[1] * inputs.shape[2];
  const values = new Float32Array(rows.length * size);
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    values.set(inputs.values.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
    labels[i] = inputs.labels[rows[i]];
  }
  return { values, labels, shape: inputs.shape };
}

const applyAll = (layers: readonly tf.layers.Layer[], x: tf.Tensor): tf.Tensor => layers.reduce((h, layer) => layer.apply(h, { training: false }) as tf.Tensor, x);

/** The block's trainable weights, as the variables the optimizer updates. */
function blockVariables(split: ConvSplit): tf.Variable[] {
  // LayerVariable.read() returns the tf.Variable that holds the weight (typed as a plain Tensor).
  return split.block.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
}

/** A copy of the block's weights, to put back with `restoreBlock`. */
export function saveBlock(split: ConvSplit): tf.Tensor[][] {
  return split.block.map((layer) => layer.getWeights().map((w) => w.clone()));
}

/** Puts back (and frees) weights saved by `saveBlock`. */
export function restoreBlock(split: ConvSplit, saved: tf.Tensor[][]): void {
  split.block.forEach((layer, i) => layer.setWeights(saved[i]));
  tf.dispose(saved.flat());
}

/**
 * Trains the block and a head (started from `head`) together on `train`; the block's weights change in place.
 * Each class weighs the same in the loss, as for the head alone. Returns the new head.
 */
export async function fineTune(split: ConvSplit, train: BlockInputs, head: HeadWeights, settings: FineTuneSettings, seed: number, options: FitOptions = {}): Promise<HeadWeights> {
  const n = train.labels.length;
  const { classes, features } = head;
  const counts = new Array<number>(classes).fill(0);
  for (const label of train.labels) counts[label]++;
  const present = counts.filter((c) => c > 0).length;
  const rowWeights = Float32Array.from(train.labels, (label) => n / (present * counts[label]));
  const x = tf.tensor4d(train.values, [n, ...train.shape]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(train.labels, 'int32'), classes).toFloat());
  const w = tf.tensor1d(rowWeights);
  // A variable made from a tensor shares its data (and takes new data on each update): the start tensors are freed below.
  const kernel0 = tf.tensor2d(head.kernel, [features, classes]);
  const bias0 = tf.tensor1d(head.bias);
  const kernel = tf.variable(kernel0);
  const bias = tf.variable(bias0);
  const variables = [...blockVariables(split), kernel, bias];
  const optimizer = createOptimizer({ optimizer: 'adam', learningRate: settings.learningRate });
  const random = seededRandom(seed);
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), random);
      for (let start = 0; start < n; start += settings.batchSize) {
        if (options.shouldStop?.()) throw new HeadStopped();
        const rows = tf.tensor1d(order.subarray(start, Math.min(n, start + settings.batchSize)), 'int32');
        const cost = optimizer.minimize(
          () =>
            tf.tidy(() => {
              const h = applyAll([...split.block, ...split.rest], x.gather(rows));
              const logits = h.reshape([h.shape[0], -1]).matMul(kernel).add(bias);
              return tf.losses.softmaxCrossEntropy(y.gather(rows), logits, w.gather(rows)) as tf.Scalar;
            }),
          false,
          variables,
        );
        cost?.dispose();
        rows.dispose();
        await options.yieldNow?.();
      }
    }
    return { kernel: (await kernel.data()) as Float32Array, bias: (await bias.data()) as Float32Array, features, classes };
  } finally {
    optimizer.dispose();
    tf.dispose([x, y, w, kernel0, bias0, kernel, bias]);
  }
}

/** The top class of each row of block inputs, read by the block, the rest and `head`. */
export async function readInputs(split: ConvSplit, inputs: BlockInputs, head: HeadWeights, options: ExtractOptions = {}): Promise<Uint8Array> {
  const n = inputs.labels.length;
  const size = inputs.shape[0] * inputs.shape[1] * inputs.shape[2];
  const values = new Float32Array(n * head.features);
  const batch = options.batchSize ?? 250;
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch);
    const out = tf.tidy(() => {
      const h = applyAll([...split.block, ...split.rest], tf.tensor4d(inputs.values.subarray(start * size, end * size), [end - start, ...inputs.shape]));
      return h.reshape([end - start, -1]);
    });
    try {
      values.set((await out.data()) as Float32Array, start * head.features);
    } finally {
      out.dispose();
    }
    await options.yieldNow?.();
  }
  return headPredictions(values, n, head);
}

/** Right and wrong on one held-out fold, with the frozen body and with the last block unfrozen. */
export interface FoldComparison {
  count: number;
  frozen: number;
  unfrozen: number;
}

export interface FineTuneReport {
  /** The same fold of the drawings and of the digit sample, held out from both. */
  heldOut: { drawings: FoldComparison; digits: FoldComparison };
  /** The MNIST test digits: the base model, the frozen-body head, the unfrozen block; null when not scored. */
  digits: { count: number; base: number; frozen: number; unfrozen: number } | null;
  settings: FineTuneSettings;
  seconds: number;
}

export interface CompareRequest {
  split: ConvSplit;
  /** Block inputs of the digit sample, the drawings as drawn, and their augmented copies (`copies - 1` per drawing, in order). */
  digits: BlockInputs;
  originals: BlockInputs;
  augmented: BlockInputs;
  /** Which rows of the digit sample and of the drawings form the held-out fold. */
  heldOutDigits: Int32Array;
  heldOutDrawings: Int32Array;
  /** The body's head (ten digits) and the taught head (all classes), and how heads are trained. */
  baseHead: HeadWeights;
  taughtHead: HeadWeights;
  headSettings: HeadSettings;
  fineTune: FineTuneSettings;
  seed: number;
  /** The MNIST test set to score, with the base and taught heads' scores already known; null to skip. */
  test: { dataset: MnistDataset; base: number; frozen: number } | null;
}

/** Rows of 0…count-1 that are not in `out`. */
const complement = (count: number, out: Int32Array): Int32Array => {
  const held = new Set(out);
  return Int32Array.from({ length: count }, (_, i) => i).filter((i) => !held.has(i));
};

/**
 * The comparison: on one held-out fold, a frozen-body head and an unfrozen block (each trained without the fold);
 * then the block unfrozen on everything, which becomes the model (its weights are left in the block's layers), and
 * the test digits. Returns the head trained with the block, and the report.
 */
export async function compareUnfrozen(request: CompareRequest, options: FitOptions & { onProgress?: (fraction: number) => void; now?: () => number } = {}): Promise<{ head: HeadWeights; report: FineTuneReport }> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const { split, digits, originals, augmented, heldOutDigits, heldOutDrawings } = request;
  const copies = augmented.labels.length / Math.max(1, originals.labels.length);
  const trainDrawings = complement(originals.labels.length, heldOutDrawings);
  const trainAugmented = Int32Array.from(Array.from(trainDrawings).flatMap((i) => Array.from({ length: copies }, (_, c) => i * copies + c)));
  const foldTrain = joinInputs([pickInputs(digits, complement(digits.labels.length, heldOutDigits)), pickInputs(originals, trainDrawings), pickInputs(augmented, trainAugmented)]);
  const foldTest = { digits: pickInputs(digits, heldOutDigits), drawings: pickInputs(originals, heldOutDrawings) };
  const classes = request.taughtHead.classes;
  const tally = (read: Uint8Array, truth: Uint8Array) => read.reduce((n, r, i) => n + (r === truth[i] ? 1 : 0), 0);

  // The frozen body on the fold: a head trained on the block's frozen output of everything else.
  const frozenFeatures = async (inputs: BlockInputs) => {
    const n = inputs.labels.length;
    const out = tf.tidy(() => {
      const h = applyAll([...split.block, ...split.rest], tf.tensor4d(inputs.values, [n, ...inputs.shape]));
      return h.reshape([n, -1]);
    });
    try {
      return { values: (await out.data()) as Float32Array, labels: inputs.labels, dim: out.shape[1]! };
    } finally {
      out.dispose();
    }
  };
  const frozenHead = await fitHead(await frozenFeatures(foldTrain), request.baseHead, classes, request.headSettings, options);
  const frozenRead = {
    digits: tally(await readInputs(split, foldTest.digits, frozenHead, options), foldTest.digits.labels),
    drawings: tally(await readInputs(split, foldTest.drawings, frozenHead, options), foldTest.drawings.labels),
  };
  options.onProgress?.(0.1);

  // The block unfrozen on the same rows, read on the same fold; then put back as it was.
  const saved = saveBlock(split);
  let unfrozenRead: { digits: number; drawings: number };
  try {
    const foldHead = await fineTune(split, foldTrain, frozenHead, request.fineTune, request.seed, options);
    unfrozenRead = {
      digits: tally(await readInputs(split, foldTest.digits, foldHead, options), foldTest.digits.labels),
      drawings: tally(await readInputs(split, foldTest.drawings, foldHead, options), foldTest.drawings.labels),
    };
  } finally {
    restoreBlock(split, saved);
  }
  options.onProgress?.(0.45);

  // The block unfrozen on everything: the model the learner gets.
  const head = await fineTune(split, joinInputs([digits, originals, augmented]), request.taughtHead, request.fineTune, request.seed, options);
  options.onProgress?.(0.8);

  let digitScores: FineTuneReport['digits'] = null;
  if (request.test) {
    const { dataset } = request.test;
    const testSplit = dataset.test;
    let unfrozen = 0;
    for (let start = 0; start < testSplit.count; start += 1000) {
      const end = Math.min(testSplit.count, start + 1000);
      const inputs = await blockInputs(split, testSplit.images.subarray(start * IMAGE_PIXELS, end * IMAGE_PIXELS), testSplit.labels.subarray(start, end), options);
      const read = await readInputs(split, inputs, head, options);
      unfrozen += tally(read, inputs.labels);
      options.onProgress?.(0.8 + (0.2 * end) / testSplit.count);
      if (options.shouldStop?.()) throw new HeadStopped();
    }
    digitScores = { count: testSplit.count, base: request.test.base, frozen: request.test.frozen, unfrozen };
  }
  const report: FineTuneReport = {
    heldOut: {
      drawings: { count: heldOutDrawings.length, frozen: frozenRead.drawings, unfrozen: unfrozenRead.drawings },
      digits: { count: heldOutDigits.length, frozen: frozenRead.digits, unfrozen: unfrozenRead.digits },
    },
    digits: digitScores,
    settings: request.fineTune,
    seconds: (now() - started) / 1000,
  };
  return { head, report };
}
