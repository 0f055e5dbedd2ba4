/**
 * The training engine as the page holds it: one worker per lab state, started on the learner's backend (or, with
 * "Fastest available", the one measured fastest for the network at hand), with the data set sent once, and the
 * device's measured speeds behind every estimate. A worker that fails or has to be ended is replaced on next use.
 * LabTrainer runs on top of it. No DOM here.
 */
import type { AugmentSettings } from '../augment/settings';
import { BACKEND_LABELS, type BackendName, type BackendPreference } from '../backend/backend';
import type { MnistDataset } from '../data/mnist';
import type { ModelSpec } from '../model/spec';
import { BackendPickBook, describePick, pickKey, type BackendPick } from './backend-pick';
import { CalibrationBook, calibrationKey, costRefusal, estimateRun, type Calibration, type RunEstimate } from './calibration';
import type { TrainingEngine } from './engine';
import type { TrainSettings } from './settings';
import type { EngineInfo } from './trainer';

/** Where the worker trains this network, for the cell: the backend in words and, when measured, why. */
export interface EngineChoice {
  /** "WebAssembly (SIMD, 2 threads)". */
  label: string;
  backend: BackendName;
  /** Why "Fastest available" chose it (the measured speeds), or null when the learner chose the backend. */
  reason: string | null;
}

export interface EngineHostOptions {
  createEngine: () => TrainingEngine;
  dataset: () => Promise<MnistDataset>;
  /** The learner's backend preference now (the header's choice). */
  preference: () => BackendPreference;
  /** The augmentation settings now (probes measure with them). */
  augmentation: () => AugmentSettings;
  /** Called when `choice` changes. */
  onChoice: () => void;
}

/** A backend in words: "WebAssembly (SIMD, 1 thread)". */
export function engineLabel(info: Pick<EngineInfo, 'backend' | 'detail'>): string {
  return BACKEND_LABELS[info.backend] + (info.detail ? ` (${info.detail})` : '');
}

export class EngineHost {
  private current: TrainingEngine | null = null;
  private backend: { preference: BackendPreference; started: Promise<EngineInfo> } | null = null;
  private readonly calibrations = new CalibrationBook();
  private readonly probing = new Map<string, Promise<Calibration>>();
  private readonly picks = new BackendPickBook();
  private readonly picking = new Map<string, Promise<BackendPick>>();
  /** Where the worker trains the network last estimated or trained, and why (null before the first estimate). */
  choice: EngineChoice | null = null;

  constructor(private readonly options: EngineHostOptions) {}

  /** The engine if one is running (pause, stop, memory: never starts one). */
  get engine(): TrainingEngine | null {
    return this.current;
  }

  /** Ends the worker (with every tensor in it); the next use starts a fresh one. */
  reset(): void {
    this.current?.terminate();
    this.current = null;
    this.backend = null;
    this.probing.clear();
    this.picking.clear();
  }

  /** The engine, with its backend started by the page's preference (restarted when the learner changes it). */
  async ready(): Promise<{ engine: TrainingEngine; info: EngineInfo }> {
    const preference = this.options.preference();
    // A worker that failed for good (see EngineBroken) is replaced, with a fresh backend and data set.
    if (this.current?.broken) this.reset();
    const engine = (this.current ??= this.options.createEngine());
    if (!this.backend || this.backend.preference !== preference) {
      const started = engine.start(preference);
      this.backend = { preference, started };
      started.catch(() => {
        if (this.backend?.started === started) this.backend = null;
      });
    }
    const info = await this.backend.started;
    await engine.ensureDataset(await this.options.dataset());
    return { engine, info };
  }

  /**
   * The engine on the backend this network trains on: with "Fastest available", the fastest measured on this device
   * for this network and batch size (measured once in the worker, then kept); otherwise the learner's choice.
   */
  async engineFor(spec: ModelSpec, settings: TrainSettings): Promise<{ engine: TrainingEngine; info: EngineInfo }> {
    const ready = await this.ready();
    if (this.options.preference() !== 'auto') {
      this.setChoice({ label: engineLabel(ready.info), backend: ready.info.backend, reason: null });
      return ready;
    }
    await this.picks.load();
    const key = pickKey(spec, settings, ready.info.device);
    let pick = this.picks.get(key) ?? (await this.measurePick(key, ready.engine, spec, settings));
    let info = ready.info;
    if (info.backend !== pick.backend) {
      info = await this.switchBackend(ready.engine, pick.backend);
      if (info.backend !== pick.backend) {
        // The backend picked earlier no longer starts (a GPU gone, a browser setting): measure again.
        this.picks.forget(key);
        pick = await this.measurePick(key, ready.engine, spec, settings);
        info = await this.switchBackend(ready.engine, pick.backend);
      }
    }
    this.setChoice({ label: engineLabel(info), backend: info.backend, reason: describePick(pick, settings.batchSize) });
    return { engine: ready.engine, info };
  }

  /**
   * Measured estimate for these settings on this device: from a cached calibration, or a short probe in the
   * worker (a few seconds, the page stays responsive).
   */
  async estimate(spec: ModelSpec, settings: TrainSettings, signal?: AbortSignal): Promise<RunEstimate> {
    return estimateRun(spec, settings, await this.calibrate(spec, settings, signal));
  }

  /** The measurements behind an estimate. A network too costly to train is refused before anything is measured. */
  async calibrate(spec: ModelSpec, settings: TrainSettings, signal?: AbortSignal): Promise<Calibration> {
    // Not even measured: the probe itself would hold the worker for minutes.
    const refusal = costRefusal(spec, settings);
    if (refusal) throw new Error(refusal);
    await this.calibrations.load();
    const { engine, info } = await this.engineFor(spec, settings);
    signal?.throwIfAborted();
    const key = calibrationKey(spec, settings, info.backend);
    const known = this.calibrations.get(key);
    if (known) return known;
    let pending = this.probing.get(key);
    if (!pending) {
      pending = engine.probe(spec, settings, this.options.augmentation()).then((probe) => this.calibrations.setProbe(key, probe));
      this.probing.set(key, pending);
      pending.finally(() => this.probing.delete(key)).catch(() => {});
    }
    return pending;
  }

  /** A completed run's time teaches the next estimate (see CalibrationBook.recordRun). */
  recordRun(spec: ModelSpec, settings: TrainSettings, backend: BackendName, estimatedSeconds: number, measuredSeconds: number): void {
    this.calibrations.recordRun(calibrationKey(spec, settings, backend), estimatedSeconds, measuredSeconds);
  }

  private measurePick(key: string, engine: TrainingEngine, spec: ModelSpec, settings: TrainSettings): Promise<BackendPick> {
    let pending = this.picking.get(key);
    if (!pending) {
      pending = engine.pickFastest(spec, settings, this.options.augmentation()).then((outcome) => {
        this.picks.set(key, outcome.pick);
        // The winner's probe is the estimate's calibration: no second probe.
        if (outcome.probe) this.calibrations.setProbe(calibrationKey(spec, settings, outcome.probe.backend), outcome.probe);
        if (this.backend) this.backend = { ...this.backend, started: Promise.resolve(outcome.info) };
        return outcome.pick;
      });
      this.picking.set(key, pending);
      pending.finally(() => this.picking.delete(key)).catch(() => {});
    }
    return pending;
  }

  /** Moves the worker to another backend, keeping "Fastest available" as the learner's preference. */
  private switchBackend(engine: TrainingEngine, backend: BackendName): Promise<EngineInfo> {
    const started = engine.start(backend);
    if (this.backend) this.backend = { ...this.backend, started };
    return started;
  }

  private setChoice(choice: EngineChoice): void {
    if (this.choice?.label === choice.label && this.choice.reason === choice.reason) return;
    this.choice = choice;
    this.options.onChoice();
  }
}
