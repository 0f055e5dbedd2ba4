/**
 * Held-out accuracy of a taught head: heads that never saw the drawings (and digits) they read — k-fold over the
 * drawings and the digit sample, or a held-out slice when there are many drawings — with a confusion matrix.
 */
import { seededRandom, shuffleInPlace } from '../data/random';
import type { HeadWeights } from './features';
import { fitHead, headPredictions, joinFeatures, pickRows, type FeatureSet, type FitOptions, type HeadSettings } from './head';

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

/** From this many drawings in every class, a fifth is held out once instead of k-fold. */
const SLICE_FROM = 20;
const MAX_FOLDS = 4;

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

/** The rows of the items whose fold passes `test`; with `repeat`, each such item's `repeat` consecutive rows. */
export function foldRows(folded: Uint8Array, test: (fold: number) => boolean, repeat = 1): Int32Array {
  return Int32Array.from(Array.from(folded.keys()).filter((i) => test(folded[i])).flatMap((i) => Array.from({ length: repeat }, (_, c) => i * repeat + c)));
}

/** What the held-out heads train on and read, and how they train. */
export interface HeldOutRequest {
  /** The MNIST digit sample's features. */
  digits: FeatureSet;
  /** The drawings' features as drawn. */
  originals: FeatureSet;
  /** Each drawing's `extra` augmented copies, drawing after drawing. */
  augmented: FeatureSet;
  extra: number;
  /** Each drawing's class, as an index into the `newClasses` new classes. */
  drawingLabels: Uint8Array;
  newClasses: number;
  /** The lab model's head the heads start from, and how many classes they answer (digits and new). */
  base: HeadWeights;
  classes: number;
  settings: HeadSettings;
  seed: number;
}

/**
 * Trains a head per fold without that fold's drawings and digits, and has it read them. Returns the tally and which
 * fold each drawing and each digit fell in.
 */
export async function heldOutAccuracy(
  request: HeldOutRequest,
  fit: FitOptions,
  onProgress: (fraction: number) => void,
): Promise<{ heldOut: HeldOut; drawingFold: Uint8Array; digitFold: Uint8Array }> {
  const { digits, originals, augmented, extra, drawingLabels, classes, seed } = request;
  const fewest = Math.min(...Array.from({ length: request.newClasses }, (_, c) => drawingLabels.filter((l) => l === c).length));
  const method: HeldOut['method'] = fewest >= SLICE_FROM ? 'slice' : 'k-fold';
  const folds = method === 'slice' ? 5 : Math.min(MAX_FOLDS, fewest);
  const drawingFold = assignFolds(drawingLabels, folds, seed + 1);
  const digitFold = assignFolds(digits.labels, folds, seed + 2);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const heldOut: HeldOut = { method, folds, drawings: { count: 0, correct: 0 }, digits: { count: 0, correct: 0 }, confusion };
  const rounds = method === 'slice' ? 1 : folds;
  for (let f = 0; f < rounds; f++) {
    const train = joinFeatures([
      pickRows(digits, foldRows(digitFold, (g) => g !== f)),
      pickRows(originals, foldRows(drawingFold, (g) => g !== f)),
      pickRows(augmented, foldRows(drawingFold, (g) => g !== f, extra)),
    ]);
    const foldHead = await fitHead(train, request.base, classes, request.settings, fit);
    for (const [set, folded, tally] of [[digits, digitFold, heldOut.digits], [originals, drawingFold, heldOut.drawings]] as const) {
      const test = pickRows(set, foldRows(folded, (g) => g === f));
      const read = headPredictions(test.values, test.labels.length, foldHead);
      test.labels.forEach((truth, i) => {
        confusion[truth][read[i]]++;
        tally.count++;
        if (read[i] === truth) tally.correct++;
      });
    }
    onProgress((f + 1) / rounds);
  }
  return { heldOut, drawingFold, digitFold };
}
