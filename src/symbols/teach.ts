/**
 * Teaching the network new classes, as the training worker runs it (TrainerService.trainHead): the lab model's body
 * frozen, its last hidden features computed for a sample of MNIST digits and for the learner's drawings (each with
 * augmented copies, by the lab's own augmentation engine), and a new head trained on them — digits and new classes
 * together, so digits keep working. Then, while the learner can already use the model: held-out accuracy (k-fold
 * over the drawings and the digit sample, or a held-out slice when there are many drawings) with a confusion matrix,
 * and the score on all 10,000 MNIST test digits next to the base model's. Features are kept per base model (plain
 * arrays), so teaching again costs only the new drawings.
 */
import { augmentBatch } from '../augment/augment';
import { IMAGE_PIXELS, NUM_CLASSES, type MnistDataset } from '../data/mnist';
import { seededRandom, shuffleInPlace } from '../data/random';
import { modelFromData, modelToData } from '../model/artifacts';
import { checkTestDigits, type DigitCheck, type TestFeatures } from './digit-check';
import { extendModelData } from './extended-model';
import { ExtendError, extractFeatures, splitHead } from './features';
import { blockInputs, compareUnfrozen, splitLastConvBlock } from './fine-tune';
import { fitHead, HeadStopped, joinFeatures, type FeatureSet } from './head';
import { foldRows, heldOutAccuracy } from './held-out';
import { TeachError, validateHeadRequest, type HeadEvent, type HeadOutcome, type HeadRequest, type TeachSteps } from './teach-protocol';
import { checkTeachSettings } from './teach-settings';

export interface TeachContext {
  dataset: MnistDataset;
  onEvent: (event: HeadEvent) => void;
  yieldNow?: () => Promise<void>;
  /** True when the learner stopped, or a newer request (teaching again, a training run) wants the backend. */
  shouldStop?: () => boolean;
  now?: () => number;
}

/** Features kept for the last base model: the digit sample's, and as much of the test set as has been scored. */
interface BaseFeatures {
  key: string;
  dim: number;
  samples: Map<string, FeatureSet>;
  test: TestFeatures | null;
}

let cache: BaseFeatures | null = null;

function featuresFor(key: string, dim: number): BaseFeatures {
  if (!cache || cache.key !== key || cache.dim !== dim) cache = { key, dim, samples: new Map(), test: null };
  return cache;
}

/** `perClass` training digits of each class, picked by a seeded shuffle (the same for the same seed). */
export function digitSample(dataset: MnistDataset, perClass: number, seed: number): { indices: Int32Array; labels: Uint8Array } {
  const order = shuffleInPlace(Int32Array.from({ length: dataset.train.count }, (_, i) => i), seededRandom(seed));
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  const indices: number[] = [];
  for (const i of order) {
    const label = dataset.label('train', i);
    if (taken[label] < perClass) {
      taken[label]++;
      indices.push(i);
      if (indices.length === perClass * NUM_CLASSES) break;
    }
  }
  return { indices: Int32Array.from(indices), labels: Uint8Array.from(indices, (i) => dataset.label('train', i)) };
}

/** The training images at `indices`, one after another (n × 784 bytes). */
function trainImages(dataset: MnistDataset, indices: Int32Array): Uint8Array {
  const images = new Uint8Array(indices.length * IMAGE_PIXELS);
  indices.forEach((index, i) => images.set(dataset.image('train', index), i * IMAGE_PIXELS));
  return images;
}

export async function teachHead(request: HeadRequest, context: TeachContext): Promise<HeadOutcome> {
  if (request.prepareOnly) {
    const problem = checkTeachSettings(request.settings);
    if (problem) throw new TeachError(problem);
  } else validateHeadRequest(request);
  const now = context.now ?? (() => performance.now());
  const stop = () => {
    if (context.shouldStop?.()) throw new HeadStopped();
  };
  const { settings } = request;
  const classes = NUM_CLASSES + request.classNames.length;
  const started = now();
  let mark = started;
  const lap = () => {
    const t = now();
    const seconds = (t - mark) / 1000;
    mark = t;
    return seconds;
  };
  const steps: TeachSteps = { base: 0, digitFeatures: 0, drawingFeatures: 0, fit: 0 };
  const model = await modelFromData(request.base);
  try {
    const { body, head: base } = await splitHead(model);
    if (base.classes !== NUM_CLASSES) throw new ExtendError(`The lab’s model answers ${base.classes} classes, not the ten digits: teach on a digits model.`);
    // Refused before any work: a model with no convolution block to unfreeze.
    if (settings.unfreeze) splitLastConvBlock(body);
    const dim = base.features;
    const kept = featuresFor(request.baseKey, dim);
    const extract = { yieldNow: context.yieldNow, shouldStop: context.shouldStop };
    context.onEvent({ type: 'phase', phase: 'features' });
    steps.base = lap();

    // The digit sample's features: computed once per base model and sample size.
    const sampleKey = `${settings.digitsPerClass}:${settings.seed}`;
    let digits = kept.samples.get(sampleKey);
    if (!digits) {
      const picked = digitSample(context.dataset, settings.digitsPerClass, settings.seed);
      const { values } = await extractFeatures(body, trainImages(context.dataset, picked.indices), dim, extract);
      stop();
      digits = { values, labels: picked.labels, dim };
      kept.samples.set(sampleKey, digits);
    }
    steps.digitFeatures = lap();
    if (request.prepareOnly) return { head: null, heldOut: null, digits: null, seconds: { head: 0, heldOut: 0, digits: 0 } };

    // The drawings: each once as drawn, and `copies - 1` times augmented.
    const n = request.labels.length;
    const classOf = Uint8Array.from(request.labels, (label) => NUM_CLASSES + label);
    const originals: FeatureSet = { values: (await extractFeatures(body, request.images, dim, extract)).values, labels: classOf, dim };
    stop();
    const extra = settings.copies - 1;
    const repeated = new Uint8Array(n * extra * IMAGE_PIXELS);
    for (let i = 0; i < n; i++) {
      const image = request.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      for (let c = 0; c < extra; c++) repeated.set(image, (i * extra + c) * IMAGE_PIXELS);
    }
    const random = seededRandom(settings.seed);
    const augmented: FeatureSet = {
      values: extra > 0 ? (await extractFeatures(body, repeated, dim, { ...extract, transform: (x) => augmentBatch(x, settings.augmentation, random) })).values : new Float32Array(0),
      labels: Uint8Array.from({ length: n * extra }, (_, r) => classOf[Math.floor(r / extra)]),
      dim,
    };
    stop();

    steps.drawingFeatures = lap();
    context.onEvent({ type: 'phase', phase: 'fitting' });
    const fit = { yieldNow: context.yieldNow, shouldStop: context.shouldStop };
    const head = await fitHead(joinFeatures([digits, originals, augmented]), base, classes, settings.head, fit);
    steps.fit = lap();
    const headSeconds = (now() - started) / 1000;
    context.onEvent({ type: 'head', head, seconds: headSeconds, steps });

    // Held-out accuracy: heads that never saw the drawings (and digits) they read.
    const heldStart = now();
    context.onEvent({ type: 'phase', phase: 'held-out' });
    const { heldOut, drawingFold, digitFold } = await heldOutAccuracy(
      { digits, originals, augmented, extra, drawingLabels: request.labels, newClasses: request.classNames.length, base, classes, settings: settings.head, seed: settings.seed },
      fit,
      (fraction) => context.onEvent({ type: 'progress', phase: 'held-out', fraction }),
    );
    context.onEvent({ type: 'held-out', heldOut });
    const heldOutSeconds = (now() - heldStart) / 1000;

    // All 10,000 test digits, base and extended, from the same features (kept: the next teaching reuses them).
    let check: DigitCheck | null = null;
    const digitStart = now();
    if (request.checkDigits) {
      context.onEvent({ type: 'phase', phase: 'digits' });
      const test = context.dataset.test;
      kept.test ??= { values: new Float32Array(test.count * dim), count: 0 };
      check = await checkTestDigits({ test, scored: kept.test, body, dim, base, extended: head }, extract, (fraction) =>
        context.onEvent({ type: 'progress', phase: 'digits', fraction }),
      );
      if (check) context.onEvent({ type: 'digits', digits: check });
    }

    if (settings.unfreeze && !context.shouldStop?.()) {
      context.onEvent({ type: 'phase', phase: 'unfreezing' });
      // A model of its own: the block's weights change in place.
      const tuned = await modelFromData(request.base);
      try {
        const split = splitLastConvBlock((await splitHead(tuned)).body);
        const picked = digitSample(context.dataset, settings.digitsPerClass, settings.seed);
        // The same augmented copies as the head's (the same seed, the same batches).
        const copyRandom = seededRandom(settings.seed);
        const inputs = {
          digits: await blockInputs(split, trainImages(context.dataset, picked.indices), picked.labels, extract),
          originals: await blockInputs(split, request.images, classOf, extract),
          augmented: await blockInputs(split, repeated, augmented.labels, { ...extract, transform: (x) => augmentBatch(x, settings.augmentation, copyRandom) }),
        };
        stop();
        const compared = await compareUnfrozen(
          {
            split,
            ...inputs,
            heldOutDigits: foldRows(digitFold, (g) => g === 0),
            heldOutDrawings: foldRows(drawingFold, (g) => g === 0),
            baseHead: base,
            taughtHead: head,
            headSettings: settings.head,
            fineTune: settings.fineTune,
            seed: settings.seed,
            test: check ? { dataset: context.dataset, base: check.base, frozen: check.extended } : null,
          },
          { ...fit, now, onProgress: (fraction) => context.onEvent({ type: 'progress', phase: 'unfreezing', fraction }) },
        );
        context.onEvent({ type: 'unfrozen', model: extendModelData(await modelToData(tuned), compared.head), report: compared.report });
      } finally {
        tuned.dispose();
      }
    }
    return { head, heldOut, digits: check, seconds: { head: headSeconds, heldOut: heldOutSeconds, digits: (now() - digitStart) / 1000 } };
  } finally {
    model.dispose();
  }
}
