/**
 * Honest time before Train: estimates from throughput measured on this device, for this model spec, batch size,
 * augmentation and backend (a short probe in the training worker), corrected by how long earlier runs with the same
 * setup really took. Never from constants.
 */
import type { BackendName } from '../backend/backend';
import { formatDuration, formatNumber } from '../format';
import { analyzeSpec } from '../model/analyze';
import { FLOP_PER_MULTIPLY_ADD, TRAINING_PASSES } from '../model/estimate';
import { CLASSIC_SPEC, type ModelSpec } from '../model/spec';
import { loadPersisted, savePersisted } from '../state/idb';
import { RECALIBRATION_IMAGES } from './batchnorm';
import type { ThroughputProbe } from './trainer';
import type { TrainSettings } from './settings';

/** A run estimated above this asks for confirmation first. */
export const CONFIRM_ABOVE_SECONDS = 180;
/** A run estimated above this on this device is refused: a tab is no place for longer work (a reload ends it). */
export const REFUSE_ABOVE_SECONDS = 4 * 3600;
/**
 * The most one training image may cost through a network, in FLOP: about 17× the classic net (115 MFLOP). Above
 * it, even measuring the device (a few batches) would keep the training worker busy for minutes.
 */
export const MAX_TRAINING_FLOP_PER_IMAGE = 2e9;
/** The fastest training measured in a browser (DESIGN.md: classic net, WebGPU on an H200, 524 images/s × 115 MFLOP). */
export const FASTEST_BROWSER_FLOPS = 60e9;

/** FLOP to train one image through the network: forward and backward passes. */
export function trainingFlopPerImage(spec: ModelSpec): number {
  return analyzeSpec(spec).multiplyAdds * FLOP_PER_MULTIPLY_ADD * TRAINING_PASSES;
}

/** Training images per run (the validation share is held back). */
const trainingImages = (settings: TrainSettings) => settings.epochs * (settings.trainSize - Math.round(settings.trainSize * settings.validationSplit));

const gflop = (flop: number) => `${formatNumber(flop / 1e9, flop < 1e10 ? 2 : 0)} GFLOP`;

/**
 * Why a run is refused before anything is measured, in the learner's terms, or null: a network too costly per image,
 * or a run that would last longer than the cap even at the fastest speed any browser has trained.
 */
export function costRefusal(spec: ModelSpec, settings: TrainSettings): string | null {
  const perImage = trainingFlopPerImage(spec);
  const fastest = (trainingImages(settings) * perImage) / FASTEST_BROWSER_FLOPS;
  const atFastest = `Even at the fastest any browser has trained in our measurements (about ${formatNumber(FASTEST_BROWSER_FLOPS / 1e9, 0)} GFLOP/s, a data-centre GPU) this run would take ${formatDuration(fastest)}.`;
  if (perImage > MAX_TRAINING_FLOP_PER_IMAGE) {
    const times = perImage / trainingFlopPerImage(CLASSIC_SPEC);
    return (
      `One training image costs ${gflop(perImage)} through this network, ${formatNumber(times, 0)} times the classic net; ` +
      `Digit Lab trains networks of up to ${gflop(MAX_TRAINING_FLOP_PER_IMAGE)} per image. ${atFastest} Use fewer filters, or pool earlier.`
    );
  }
  if (fastest > REFUSE_ABOVE_SECONDS) {
    return `${atFastest} Digit Lab refuses runs over ${formatDuration(REFUSE_ABOVE_SECONDS).replace(/^about /, '')}. Train on fewer images or for fewer epochs.`;
  }
  return null;
}

/** Why a run is refused once this device's speed is measured, or null. */
export function estimateRefusal(estimate: RunEstimate): string | null {
  if (estimate.seconds <= REFUSE_ABOVE_SECONDS) return null;
  return (
    `This run would take ${formatDuration(estimate.seconds)} on this device (${estimate.basis}); Digit Lab refuses runs over ` +
    `${formatDuration(REFUSE_ABOVE_SECONDS).replace(/^about /, '')}, because a reload or a closed laptop would end it. Train on fewer images or for fewer epochs, or make the network smaller.`
  );
}

/** What a "quicker setting" aims for. */
export const QUICK_RUN_SECONDS = 60;
/** Test images scored at the end of every run. */
export const TEST_IMAGES = 10_000;

export interface Calibration {
  probe: ThroughputProbe;
  /** Measured ÷ estimated time of the last run with this setup (1 before any run). */
  correction: number;
  measuredAt: number;
}

export interface RunEstimate {
  seconds: number;
  trainingSeconds: number;
  /** Validation, batch-norm statistics and the test. */
  scoringSeconds: number;
  /** "measured on this device" or "measured on this device, corrected by your last run". */
  basis: string;
}

/** FNV-1a over the layers: runs of the same network share a calibration whatever its name. */
function hashText(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** This network at this batch size, with or without augmentation (shared by calibrations and backend picks). */
export function workloadKey(spec: ModelSpec, settings: Pick<TrainSettings, 'batchSize' | 'augment'>): string {
  return `b${settings.batchSize}|a${settings.augment ? 1 : 0}|${hashText(JSON.stringify(spec.layers))}`;
}

export function calibrationKey(spec: ModelSpec, settings: Pick<TrainSettings, 'batchSize' | 'augment'>, backend: BackendName): string {
  return `${backend}|${workloadKey(spec, settings)}`;
}

function hasBatchNorm(spec: ModelSpec): boolean {
  return spec.layers.some((l) => l.type === 'batchNorm');
}

/** The run's length in seconds from a calibration: setup + epochs × (train + statistics + validation) + test. */
export function estimateRun(spec: ModelSpec, settings: TrainSettings, calibration: Calibration): RunEstimate {
  const { probe } = calibration;
  const validation = Math.round(settings.trainSize * settings.validationSplit);
  const training = settings.trainSize - validation;
  const trainingSeconds = (settings.epochs * training) / probe.trainImagesPerSecond;
  // Validation before training and after each epoch; batch-norm statistics measured at each epoch's end.
  const statistics = hasBatchNorm(spec) ? settings.epochs * Math.min(RECALIBRATION_IMAGES, training) : 0;
  const scoredImages = validation * (settings.epochs + 1) + statistics + TEST_IMAGES;
  const scoringSeconds = scoredImages / probe.inferImagesPerSecond;
  const raw = probe.setupSeconds + trainingSeconds + scoringSeconds;
  const correction = Number.isFinite(calibration.correction) ? Math.min(2, Math.max(0.5, calibration.correction)) : 1;
  return {
    seconds: raw * correction,
    trainingSeconds: trainingSeconds * correction,
    scoringSeconds: scoringSeconds * correction,
    basis: correction === 1 ? 'measured on this device' : 'measured on this device and corrected by your last run like it',
  };
}

/**
 * The largest number of training images (a round number, 1,000 at least) for one epoch that fits `seconds`, keeping
 * the other settings: the "quicker setting" offered before a long run. On a device too slow for any run to fit,
 * the smallest run (1,000 images, one epoch) is offered if it is quicker than what was asked; else null.
 */
export function quickerTrainSize(spec: ModelSpec, settings: TrainSettings, calibration: Calibration, seconds = QUICK_RUN_SECONDS): number | null {
  let best: number | null = null;
  for (let size = 1000; size <= settings.trainSize; size += size < 10_000 ? 1000 : 5000) {
    const candidate = { ...settings, epochs: 1, trainSize: size };
    if (estimateRun(spec, candidate, calibration).seconds <= seconds) best = size;
    else break;
  }
  if (best !== null) return best;
  const smallest = { ...settings, epochs: 1, trainSize: 1000 };
  return estimateRun(spec, smallest, calibration).seconds < estimateRun(spec, settings, calibration).seconds ? 1000 : null;
}

const STORE_KEY = 'throughput';

function isCalibration(value: unknown): value is Calibration {
  const v = value as Partial<Calibration> | null;
  const p = v?.probe as Partial<ThroughputProbe> | undefined;
  const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  return (
    typeof v === 'object' &&
    v !== null &&
    positive(p?.trainImagesPerSecond) &&
    positive(p?.inferImagesPerSecond) &&
    typeof p?.setupSeconds === 'number' &&
    Number.isFinite(p.setupSeconds) &&
    positive(v.correction)
  );
}

/** Calibrations by key, kept per device in IndexedDB (damaged entries are dropped on read). */
export class CalibrationBook {
  private readonly entries = new Map<string, Calibration>();
  private loaded: Promise<void> | null = null;

  load(): Promise<void> {
    this.loaded ??= loadPersisted<Record<string, unknown>>(STORE_KEY)
      .then((raw) => {
        if (typeof raw !== 'object' || raw === null) return;
        for (const [key, value] of Object.entries(raw)) if (isCalibration(value) && !this.entries.has(key)) this.entries.set(key, value);
      })
      .catch(() => {});
    return this.loaded;
  }

  get(key: string): Calibration | null {
    return this.entries.get(key) ?? null;
  }

  setProbe(key: string, probe: ThroughputProbe): Calibration {
    const entry = { probe, correction: this.entries.get(key)?.correction ?? 1, measuredAt: Date.now() };
    this.entries.set(key, entry);
    this.persist();
    return entry;
  }

  /** After a run that completed: how far off the estimate was sets the next estimate's correction. */
  recordRun(key: string, estimatedSeconds: number, measuredSeconds: number): void {
    const entry = this.entries.get(key);
    if (!entry || !(estimatedSeconds > 0 && measuredSeconds > 0)) return;
    // The estimate already carried the old correction: the new one is relative to the uncorrected figure. Half a step
    // (in log space): runs of the same settings vary by 10–20% on a busy machine, and one run should not swing the next
    // estimate by all of its own noise.
    const correction = Math.sqrt(measuredSeconds / estimatedSeconds) * entry.correction;
    this.entries.set(key, { ...entry, correction: Math.min(2, Math.max(0.5, correction)), measuredAt: Date.now() });
    this.persist();
  }

  private persist(): void {
    void savePersisted(STORE_KEY, Object.fromEntries(this.entries)).catch(() => {});
  }
}
