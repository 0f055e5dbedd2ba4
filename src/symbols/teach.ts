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
import { DEFAULT_AUGMENT, type AugmentSettings } from '../augment/settings';
import { IMAGE_PIXELS, NUM_CLASSES, type MnistDataset } from '../data/mnist';
import { seededRandom, shuffleInPlace } from '../data/random';
import { modelFromData, type ModelData } from '../model/artifacts';
import { MAX_CLASSES, MAX_EXAMPLES } from './class-set';
import { ExtendError, extractFeatures, splitHead, type HeadWeights } from './features';
import { DEFAULT_HEAD, fitHead, headPredictions, HeadStopped, joinFeatures, pickRows, type FeatureSet, type HeadSettings } from './head';

export interface TeachSettings {
  /** Rows per drawing the head trains on: the drawing itself and `copies - 1` augmented copies. */
  copies: number;
  /** MNIST training digits of each class mixed in, so the head keeps reading digits. */
  digitsPerClass: number;
  /** How the copies vary (the lab's augmentation engine, Keras ImageDataGenerator semantics). */
  augmentation: AugmentSettings;
  head: HeadSettings;
  seed: number;
}

export const DEFAULT_TEACH: TeachSettings = { copies: 8, digitsPerClass: 30, augmentation: DEFAULT_AUGMENT, head: DEFAULT_HEAD, seed: 1 };

/** The fewest drawings per class that can be taught. */
export const MIN_EXAMPLES = 3;
/** From this many drawings in every class, a fifth is held out once instead of k-fold. */
const SLICE_FROM = 20;
const MAX_FOLDS = 4;

export interface HeadRequest {
  /** Names the base model: features computed for the same key are reused. */
  baseKey: string;
  /** The lab model whose body is reused (its last layer must be a dense softmax over the ten digits). */
  base: ModelData;
  /** The new classes, after the ten digits. */
  classNames: string[];
  /** The drawings, n × 784 bytes prepared as MNIST, and each one's class (index into classNames). */
  images: Uint8Array;
  labels: Uint8Array;
  settings: TeachSettings;
  /** Score the extended model on the 10,000 MNIST test digits once it is taught. */
  checkDigits: boolean;
  /**
   * Only compute (and keep) the digit sample's features for this base model, teaching nothing: the page asks while
   * the learner is still drawing, so that Teach later costs only the drawings.
   */
  prepareOnly?: boolean;
}

export type TeachPhase = 'features' | 'fitting' | 'held-out' | 'digits';

export interface HeldOut {
  method: 'k-fold' | 'slice';
  folds: number;
  /** The learner's drawings, each read by a head that never saw it. */
  drawings: { count: number; correct: number };
  /** The MNIST digits of the sample, read the same way. */
  digits: { count: number; correct: number };
  /** confusion[true][read]: the ten digits, then the new classes. */
  confusion: number[][];
}

export interface DigitCheck {
  count: number;
  /** Test digits the base model reads right. */
  base: number;
  /** Test digits the extended model reads right (a digit read as a new class is wrong). */
  extended: number;
  /** Test digits the extended model reads as one of the new classes. */
  readAsNew: number;
}

export type HeadEvent =
  | { type: 'phase'; phase: TeachPhase }
  | { type: 'progress'; phase: TeachPhase; fraction: number }
  /** The head is trained: the page can build the extended model and read with it now. */
  | { type: 'head'; head: HeadWeights; seconds: number; steps: TeachSteps }
  | { type: 'held-out'; heldOut: HeldOut }
  | { type: 'digits'; digits: DigitCheck };

/** Seconds each step before the head took in the engine: rebuilding the base, the digit sample's features (0 when kept from before), the drawings' features, training the head. */
export interface TeachSteps {
  base: number;
  digitFeatures: number;
  drawingFeatures: number;
  fit: number;
}

export interface HeadOutcome {
  /** Null for a prepareOnly request. */
  head: HeadWeights | null;
  heldOut: HeldOut | null;
  /** Null when not asked for, or stopped before the end (a newer request). */
  digits: DigitCheck | null;
  seconds: { head: number; heldOut: number; digits: number };
}

export interface TeachContext {
  dataset: MnistDataset;
  onEvent: (event: HeadEvent) => void;
  yieldNow?: () => Promise<void>;
  /** True when the learner stopped, or a newer request (teaching again, a training run) wants the backend. */
  shouldStop?: () => boolean;
  now?: () => number;
}

/** A request that cannot be taught; nothing was changed. */
export class TeachError extends Error {
  override name = 'TeachError';
}

/** Features kept for the last base model: the digit sample's, and as much of the test set as has been scored. */
interface BaseFeatures {
  key: string;
  dim: number;
  samples: Map<string, FeatureSet>;
  test: { values: Float32Array; count: number } | null;
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

function validate(request: HeadRequest): void {
  const k = request.classNames.length;
  if (k === 0) throw new TeachError('Add at least one class of your own before teaching.');
  if (k > MAX_CLASSES) throw new TeachError(`At most ${MAX_CLASSES} new classes can be taught.`);
  const n = request.labels.length;
  if (request.images.length !== n * IMAGE_PIXELS) throw new TeachError('The drawings and their classes do not match.');
  const counts = new Array<number>(k).fill(0);
  for (const label of request.labels) {
    if (label >= k) throw new TeachError('A drawing belongs to no class.');
    counts[label]++;
  }
  counts.forEach((count, c) => {
    const name = request.classNames[c];
    if (count < MIN_EXAMPLES) throw new TeachError(`“${name}” has ${count} drawing${count === 1 ? '' : 's'}: draw at least ${MIN_EXAMPLES} of each class.`);
    if (count > MAX_EXAMPLES) throw new TeachError(`“${name}” has more than ${MAX_EXAMPLES} drawings.`);
  });
  const problem = checkTeachSettings(request.settings);
  if (problem) throw new TeachError(problem);
}

/** The limits of the learner's teaching settings. */
export const TEACH_LIMITS = { copies: { min: 1, max: 64 }, digitsPerClass: { min: 1, max: 500 } } as const;

/** Why these settings cannot be used, or null. */
export function checkTeachSettings(s: Pick<TeachSettings, 'copies' | 'digitsPerClass'>): string | null {
  const { copies, digitsPerClass } = TEACH_LIMITS;
  if (!(Number.isInteger(s.copies) && s.copies >= copies.min && s.copies <= copies.max)) return `Copies of each drawing: enter a whole number from ${copies.min} to ${copies.max}.`;
  if (!(Number.isInteger(s.digitsPerClass) && s.digitsPerClass >= digitsPerClass.min && s.digitsPerClass <= digitsPerClass.max)) {
    return `MNIST digits per digit class: enter a whole number from ${digitsPerClass.min} to ${digitsPerClass.max}.`;
  }
  return null;
}

/** Which fold each item falls in: per class, a seeded shuffle dealt round-robin into `folds`. */
export function assignFolds(labels: Uint8Array, folds: number, seed: number): Uint8Array {
  const out = new Uint8Array(labels.length);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => byClass.set(label, [...(byClass.get(label) ?? []), i]));
  const random = seededRandom(seed);
  for (const items of byClass.values()) {
    shuffleInPlace(items, random).forEach((item, position) => (out[item] = position % folds));
  }
  return out;
}

export async function teachHead(request: HeadRequest, context: TeachContext): Promise<HeadOutcome> {
  if (request.prepareOnly) {
    const problem = checkTeachSettings(request.settings);
    if (problem) throw new TeachError(problem);
  } else validate(request);
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
      const images = new Uint8Array(picked.indices.length * IMAGE_PIXELS);
      picked.indices.forEach((index, i) => images.set(context.dataset.image('train', index), i * IMAGE_PIXELS));
      const { values } = await extractFeatures(body, images, dim, extract);
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
    const fewest = Math.min(...Array.from({ length: request.classNames.length }, (_, c) => request.labels.filter((l) => l === c).length));
    const method: HeldOut['method'] = fewest >= SLICE_FROM ? 'slice' : 'k-fold';
    const folds = method === 'slice' ? 5 : Math.min(MAX_FOLDS, fewest);
    context.onEvent({ type: 'phase', phase: 'held-out' });
    const drawingFold = assignFolds(request.labels, folds, settings.seed + 1);
    const digitFold = assignFolds(digits.labels, folds, settings.seed + 2);
    const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    const heldOut: HeldOut = { method, folds, drawings: { count: 0, correct: 0 }, digits: { count: 0, correct: 0 }, confusion };
    const rows = (folded: Uint8Array, test: (fold: number) => boolean, repeat = 1) =>
      Int32Array.from(Array.from(folded.keys()).filter((i) => test(folded[i])).flatMap((i) => Array.from({ length: repeat }, (_, c) => i * repeat + c)));
    const rounds = method === 'slice' ? 1 : folds;
    for (let f = 0; f < rounds; f++) {
      const train = joinFeatures([
        pickRows(digits, rows(digitFold, (g) => g !== f)),
        pickRows(originals, rows(drawingFold, (g) => g !== f)),
        pickRows(augmented, rows(drawingFold, (g) => g !== f, extra)),
      ]);
      const foldHead = await fitHead(train, base, classes, settings.head, fit);
      for (const [set, folded, tally] of [[digits, digitFold, heldOut.digits], [originals, drawingFold, heldOut.drawings]] as const) {
        const test = pickRows(set, rows(folded, (g) => g === f));
        const read = headPredictions(test.values, test.labels.length, foldHead);
        test.labels.forEach((truth, i) => {
          confusion[truth][read[i]]++;
          tally.count++;
          if (read[i] === truth) tally.correct++;
        });
      }
      context.onEvent({ type: 'progress', phase: 'held-out', fraction: (f + 1) / rounds });
    }
    context.onEvent({ type: 'held-out', heldOut });
    const heldOutSeconds = (now() - heldStart) / 1000;

    // All 10,000 test digits, base and extended, from the same features (kept: the next teaching reuses them).
    let check: DigitCheck | null = null;
    const digitStart = now();
    if (request.checkDigits) {
      context.onEvent({ type: 'phase', phase: 'digits' });
      const test = context.dataset.test;
      kept.test ??= { values: new Float32Array(test.count * dim), count: 0 };
      const scored = kept.test;
      while (scored.count < test.count && !context.shouldStop?.()) {
        const end = Math.min(test.count, scored.count + 500);
        const part = await extractFeatures(body, test.images.subarray(scored.count * IMAGE_PIXELS, end * IMAGE_PIXELS), dim, extract);
        if (part.count < end - scored.count) break;
        scored.values.set(part.values, scored.count * dim);
        scored.count = end;
        context.onEvent({ type: 'progress', phase: 'digits', fraction: scored.count / test.count });
      }
      if (scored.count === test.count) {
        const readBase = headPredictions(scored.values, test.count, base);
        const readExtended = headPredictions(scored.values, test.count, head);
        check = { count: test.count, base: 0, extended: 0, readAsNew: 0 };
        for (let i = 0; i < test.count; i++) {
          const label = test.labels[i];
          if (readBase[i] === label) check.base++;
          if (readExtended[i] === label) check.extended++;
          if (readExtended[i] >= NUM_CLASSES) check.readAsNew++;
        }
        context.onEvent({ type: 'digits', digits: check });
      }
    }
    return { head, heldOut, digits: check, seconds: { head: headSeconds, heldOut: heldOutSeconds, digits: (now() - digitStart) / 1000 } };
  } finally {
    model.dispose();
  }
}
