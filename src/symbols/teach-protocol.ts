/**
 * What the page and the training worker exchange to teach new classes (TrainerService.trainHead): the request and
 * why one is refused, the events streamed back while teaching, and the outcome.
 */
import { IMAGE_PIXELS } from '../data/mnist';
import type { ModelData } from '../model/artifacts';
import { MAX_CLASSES, MAX_EXAMPLES } from './class-set';
import type { DigitCheck } from './digit-check';
import type { HeadWeights } from './features';
import type { FineTuneReport } from './fine-tune';
import type { HeldOut } from './held-out';
import { checkTeachSettings, MIN_EXAMPLES, type TeachSettings } from './teach-settings';

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

export type TeachPhase = 'features' | 'fitting' | 'held-out' | 'digits' | 'unfreezing';

export type HeadEvent =
  | { type: 'phase'; phase: TeachPhase }
  | { type: 'progress'; phase: TeachPhase; fraction: number }
  /** The head is trained: the page can build the extended model and read with it now. */
  | { type: 'head'; head: HeadWeights; seconds: number; steps: TeachSteps }
  | { type: 'held-out'; heldOut: HeldOut }
  | { type: 'digits'; digits: DigitCheck }
  /** With the last convolution block unfrozen: the whole extended model (its block changed too) and the comparison. */
  | { type: 'unfrozen'; model: ModelData; report: FineTuneReport };

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

/** A request that cannot be taught; nothing was changed. */
export class TeachError extends Error {
  override name = 'TeachError';
}

/** Throws TeachError with the reason when `request` cannot be taught. */
export function validateHeadRequest(request: HeadRequest): void {
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
