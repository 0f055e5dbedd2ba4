/**
 * Honest time before Train: estimates from throughput measured on this device, for this model spec, batch size,
 * augmentation and backend (a short probe in the training worker), corrected by how long earlier runs with the same
 * setup really took. Never from constants.
 */
import type { BackendName } from '../backend/backend';
import type { ModelSpec } from '../model/spec';
import { loadPersisted, savePersisted } from '../state/idb';
import { RECALIBRATION_IMAGES } from './batchnorm';
import type { ThroughputProbe } from './trainer';
import type { TrainSettings } from './settings';

/** A run estimated above this asks for confirmation first. */
export const CONFIRM_ABOVE_SECONDS = 180;
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
 * the other settings: the "quicker setting" offered before a long run. Null when even 1,000 images take longer.
 */
export function quickerTrainSize(spec: ModelSpec, settings: TrainSettings, calibration: Calibration, seconds = QUICK_RUN_SECONDS): number | null {
  let best: number | null = null;
  for (let size = 1000; size <= settings.trainSize; size += size < 10_000 ? 1000 : 5000) {
    const candidate = { ...settings, epochs: 1, trainSize: size };
    if (estimateRun(spec, candidate, calibration).seconds <= seconds) best = size;
    else break;
  }
  return best;
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
    // The estimate already carried the old correction: the new one is relative to the uncorrected figure.
    const correction = (measuredSeconds / estimatedSeconds) * entry.correction;
    this.entries.set(key, { ...entry, correction: Math.min(2, Math.max(0.5, correction)), measuredAt: Date.now() });
    this.persist();
  }

  private persist(): void {
    void savePersisted(STORE_KEY, Object.fromEntries(this.entries)).catch(() => {});
  }
}
