import type { MnistDataset, TrainValidationSplit } from '../data/mnist';
import type { OptimizerName } from '../model/spec';

/**
 * A run's training and validation images, from its settings: the same for its training, its end-of-run batch-norm
 * measurement and any measurement of its model later.
 */
export function runSplit(dataset: MnistDataset, settings: TrainSettings): TrainValidationSplit {
  return dataset.trainValidationSplit(settings.validationSplit, settings.seed, settings.trainSize);
}

/** Hyperparameters of a training run. */
export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  validationSplit: number;
  /** How many of the 60,000 training images to use (1,000 up to all). */
  trainSize: number;
  augment: boolean;
  seed: number;
}

/**
 * What Train does on a fresh load: the classic net on 5,000 images for one epoch finishes — curves, batch-norm
 * statistics and all 10,000 test digits — in about a minute on two cores without a GPU, and scores about 96.5%
 * (measured: 96.6% with augmentation, seed 42). Batch 32 with Adam at 0.003 also suits all 60,000 images.
 */
export const DEFAULT_TRAIN: TrainSettings = {
  epochs: 1,
  batchSize: 32,
  learningRate: 0.003,
  optimizer: 'adam',
  validationSplit: 0.1,
  trainSize: 5000,
  augment: true,
  seed: 42,
};

export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD with momentum',
  rmsprop: 'RMSprop',
};

/** The ranges a learner may choose; anything outside is refused with a message before training starts. */
export const TRAIN_LIMITS = {
  epochs: { min: 1, max: 50, integer: true, label: 'Epochs' },
  batchSize: { min: 1, max: 1024, integer: true, label: 'Batch size' },
  learningRate: { min: 1e-6, max: 10, integer: false, label: 'Learning rate' },
  validationSplit: { min: 0, max: 0.5, integer: false, label: 'Validation split' },
  trainSize: { min: 1000, max: 60000, integer: true, label: 'Training images' },
  seed: { min: 0, max: 2 ** 31 - 1, integer: true, label: 'Seed' },
} as const;

type NumericKey = keyof typeof TRAIN_LIMITS;
const NUMERIC_KEYS = Object.keys(TRAIN_LIMITS) as NumericKey[];

/** What a form holds: numbers as typed text, the optimizer's name, the augmentation switch. */
export type TrainSettingsInput = { [K in NumericKey]: string | number } & { optimizer: string; augment: boolean };

export type TrainSettingsErrors = Partial<Record<keyof TrainSettings, string>>;

export type ParsedTrainSettings = { ok: true; settings: TrainSettings } | { ok: false; errors: TrainSettingsErrors };

const formatLimit = (n: number) => (Math.abs(n) >= 1000 ? n.toLocaleString('en-US') : String(n));

/** Checks one numeric field; returns the number or a message a learner understands. */
function parseNumber(key: NumericKey, raw: string | number): number | string {
  const limit = TRAIN_LIMITS[key];
  if (typeof raw !== 'number' && typeof raw !== 'string') return `${limit.label} is missing: enter a number from ${formatLimit(limit.min)} to ${formatLimit(limit.max)}.`;
  const text = typeof raw === 'number' ? String(raw) : raw.trim().replace(/[,_\s]/g, '');
  if (text === '') return `${limit.label} is empty: enter a number from ${formatLimit(limit.min)} to ${formatLimit(limit.max)}.`;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return `${limit.label} “${String(raw).trim()}” is not a number: enter a number from ${formatLimit(limit.min)} to ${formatLimit(limit.max)}.`;
  }
  if (limit.integer && !Number.isInteger(value)) return `${limit.label} must be a whole number (got ${text}).`;
  if (value < limit.min || value > limit.max) {
    return `${limit.label} must be from ${formatLimit(limit.min)} to ${formatLimit(limit.max)} (got ${text}).`;
  }
  return value;
}

/** Parses and checks every setting at once, so the learner sees all problems together. Nothing is half-applied. */
export function parseTrainSettings(input: TrainSettingsInput): ParsedTrainSettings {
  const errors: TrainSettingsErrors = {};
  const out: Partial<TrainSettings> = { augment: Boolean(input.augment) };
  for (const key of NUMERIC_KEYS) {
    const parsed = parseNumber(key, input[key]);
    if (typeof parsed === 'string') errors[key] = parsed;
    else out[key] = parsed;
  }
  if ((OPTIMIZERS as readonly string[]).includes(input.optimizer)) out.optimizer = input.optimizer as OptimizerName;
  else errors.optimizer = `Unknown optimizer “${input.optimizer}”: choose Adam, SGD with momentum or RMSprop.`;
  if (out.trainSize !== undefined && out.validationSplit !== undefined && out.batchSize !== undefined) {
    const trainCount = out.trainSize - Math.round(out.trainSize * out.validationSplit);
    if (out.batchSize > trainCount) {
      errors.batchSize = `Batch size ${out.batchSize} is larger than the ${trainCount.toLocaleString('en-US')} training images left after validation.`;
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, settings: out as TrainSettings };
}

/** Checks settings that are already typed (e.g. from a shared URL); same rules as the form. */
export function validateTrainSettings(settings: TrainSettings): ParsedTrainSettings {
  return parseTrainSettings({ ...settings });
}

/** The settings as the form shows them. */
export function settingsToInput(settings: TrainSettings): TrainSettingsInput {
  return { ...settings };
}

/** The batch a GPU is offered: large enough to keep it busy, small enough that 5,000 images still make ~20 updates. */
export const GPU_BATCH_SIZE = 256;

/**
 * The learning rate for another batch size, so that training moves about as far per image: Adam and RMSprop
 * normalise the step size, and a batch k times larger averages away √k of the gradient's noise, so the rate grows
 * by √k (the square-root rule); plain SGD with momentum takes k times the rate (the linear rule, Goyal et al. 2017).
 * Two significant digits, within the form's limits.
 */
export function scaledLearningRate(settings: Pick<TrainSettings, 'learningRate' | 'batchSize' | 'optimizer'>, batchSize: number): number {
  const k = batchSize / settings.batchSize;
  const factor = settings.optimizer === 'sgd' ? k : Math.sqrt(k);
  const rate = Number((settings.learningRate * factor).toPrecision(2));
  return Math.min(TRAIN_LIMITS.learningRate.max, Math.max(TRAIN_LIMITS.learningRate.min, rate));
}
