/** The learner's settings for teaching new classes, their defaults and their limits. */
import { DEFAULT_AUGMENT, type AugmentSettings } from '../augment/settings';
import { DEFAULT_FINE_TUNE, type FineTuneSettings } from './fine-tune';
import { DEFAULT_HEAD, type HeadSettings } from './head';

export interface TeachSettings {
  /** Rows per drawing the head trains on: the drawing itself and `copies - 1` augmented copies. */
  copies: number;
  /** MNIST training digits of each class mixed in, so the head keeps reading digits. */
  digitsPerClass: number;
  /** How the copies vary (the lab's augmentation engine, Keras ImageDataGenerator semantics). */
  augmentation: AugmentSettings;
  head: HeadSettings;
  seed: number;
  /** After the head on the frozen body: also train the last convolution block with it, and compare the two. */
  unfreeze: boolean;
  fineTune: FineTuneSettings;
}

export const DEFAULT_TEACH: TeachSettings = { copies: 8, digitsPerClass: 30, augmentation: DEFAULT_AUGMENT, head: DEFAULT_HEAD, seed: 1, unfreeze: false, fineTune: DEFAULT_FINE_TUNE };

/** The fewest drawings per class that can be taught. */
export const MIN_EXAMPLES = 3;

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
