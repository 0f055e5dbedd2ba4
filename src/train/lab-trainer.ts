/**
 * The page's side of training, one per lab state: starts runs on the training engine (a worker), keeps what the
 * charts need while a run goes on (live-run.ts), records every run with its weights, installs a completed run's model
 * (finished-run.ts; saying so, with a way back), and gives honest estimates (through EngineHost, which holds the worker). The run outlives the training cell: a learner
 * can switch lessons while it trains. No DOM here; the cell subscribes.
 */
import type { AugmentSettings } from '../augment/settings';
import type { MnistDataset } from '../data/mnist';
import type { ModelSpec } from '../model/spec';
import type { LabState, TrainingStatus } from '../state/lab-state';
import { costRefusal, estimateRefusal, type Calibration, type RunEstimate } from './calibration';
import type { TrainingEngine } from './engine';
import { EngineHost, engineLabel, type EngineChoice } from './engine-host';
import { installCompletedRun, recordRun, type FinishedRun } from './finished-run';
import { contextLostEnd, followRunEvent, resultSoFar, runFraction, startLiveRun, type LiveRun } from './live-run';
import { RunEnding, type RunEnd } from './run-ending';
import { validateTrainSettings, type TrainSettings } from './settings';
import type { HeadEvent, HeadOutcome, HeadRequest } from '../symbols/teach-protocol';
import type { RunEvent, RunOutcome } from './trainer';
import { ChangeNotifier } from '../state/change-notifier';


export interface LabTrainerOptions {
  createEngine: () => TrainingEngine;
  /** Loads MNIST on the page (once for the lab) — the engine gets a copy. */
  dataset: () => Promise<MnistDataset>;
  now?: () => number;
}

/** How long Stop waits for the training worker to take it up before the page ends the worker. */
export const STOP_GRACE_MS = 3000;

/** What a run gives back to `train`: the engine's outcome, its training seconds, the estimate it started with. */
interface EngineRun {
  outcome: RunOutcome;
  seconds: number;
  estimate: RunEstimate | null;
}

export class LabTrainer extends ChangeNotifier {
  private readonly host: EngineHost;
  /** The run in hand's way out from the page (null between runs). */
  private ending: RunEnding | null = null;
  private readonly now: () => number;
  live: LiveRun | null = null;
  last: FinishedRun | null = null;

  constructor(
    private readonly state: LabState,
    options: LabTrainerOptions,
  ) {
    super();
    this.now = options.now ?? (() => performance.now());
    this.host = new EngineHost({
      createEngine: options.createEngine,
      dataset: options.dataset,
      preference: () => this.state.get('backend').preference,
      augmentation: () => this.state.get('augmentation'),
      onChoice: () => this.emit(),
    });
  }

  get busy(): boolean {
    return this.live !== null;
  }

  /** Where the worker trains the network last estimated or trained, and why (null before the first estimate). */
  get choice(): EngineChoice | null {
    return this.host.choice;
  }

  private setStatus(patch: Partial<TrainingStatus>): void {
    this.state.update('training', patch);
  }

  /**
   * Measured estimate for these settings on this device: from a cached calibration, or a short probe in the
   * worker (a few seconds, the page stays responsive).
   */
  estimate(spec: ModelSpec, settings: TrainSettings, signal?: AbortSignal): Promise<RunEstimate> {
    return this.host.estimate(spec, settings, signal);
  }

  /** The measurements behind an estimate (for the "quicker setting" offered before a long run). */
  calibrationFor(spec: ModelSpec, settings: TrainSettings): Promise<Calibration> {
    return this.host.calibrate(spec, settings);
  }

  /** Starts a run; resolves when it has ended (recorded in the history). Throws for settings that cannot run. */
  async train(settingsInput: TrainSettings): Promise<FinishedRun> {
    if (this.live) throw new Error('A run is already going on: stop it first.');
    const parsed = validateTrainSettings(settingsInput);
    if (!parsed.ok) throw new Error(`Nothing was started: ${Object.values(parsed.errors).join(' ')}`);
    const settings = parsed.settings;
    const spec = this.state.get('modelSpec');
    const refusal = costRefusal(spec, settings);
    if (refusal) throw new Error(`Nothing was started: ${refusal}`);
    const augmentation = this.state.get('augmentation');
    const startedAt = Date.now();
    const live = (this.live = startLiveRun(spec, settings, startedAt));
    this.last = null;
    this.setStatus({ runId: live.id, phase: 'starting', paused: false, fraction: 0 });
    this.emit();
    try {
      const ending = (this.ending = new RunEnding());
      const started = this.now();
      // The engine's run, unless the page has to end it first (a lost GPU context, a Stop the worker cannot take up).
      const { outcome, seconds, estimate } = await Promise.race([
        this.startAndRun(live, spec, settings, augmentation),
        ending.requested.then((end) => this.endedFromPage(live, end, started)),
      ]);
      // Marks for the e2e and benchmark timelines: where the page's own work at the end of a run begins and ends.
      performance.mark('digit-lab:run-returned');
      const { record, storageNote } = await recordRun(this.state, { live, startedAt, spec, settings, augmentation, outcome });
      if (outcome.train.outcome === 'completed' && estimate) this.host.recordRun(spec, settings, outcome.backend, estimate.seconds, seconds);
      const { installed, previous } = await installCompletedRun(this.state, record, outcome);
      performance.mark('digit-lab:run-recorded');
      this.last = { record, live, test: outcome.test, installed, previous, storageNote };
      return this.last;
    } finally {
      this.ending?.finish();
      this.ending = null;
      this.live = null;
      this.setStatus({ runId: null, phase: 'idle', paused: false, fraction: 0 });
      this.emit();
    }
  }

  /** Starts the engine, measures, and runs: the outcome with its training time and the estimate it had. */
  private async startAndRun(live: LiveRun, spec: ModelSpec, settings: TrainSettings, augmentation: AugmentSettings): Promise<EngineRun> {
    const { engine, info } = await this.host.engineFor(spec, settings);
    live.backendName = info.backend;
    live.backend = engineLabel(info);
    const estimate = await this.estimate(spec, settings).catch(() => null);
    const tooLong = estimate && estimateRefusal(estimate);
    if (tooLong) throw new Error(`Nothing was started: ${tooLong}`);
    live.estimate = estimate;
    this.emit();
    const t0 = this.now();
    const outcome = await engine.run({ spec, settings, augmentation, workers: this.forcedWorkers ?? undefined }, (event) => this.onEvent(live, event));
    return { outcome, seconds: (this.now() - t0) / 1000, estimate };
  }

  /**
   * A run the page ended: the worker is ended with whatever it was doing (a fresh one, with a fresh GPU context,
   * serves the next run), and the run is kept with its curves so far, without weights. The lab's model lives on the
   * page and is untouched.
   */
  private endedFromPage(live: LiveRun, end: RunEnd, started: number): EngineRun {
    this.host.reset();
    const train = resultSoFar(live, end, this.now() - started);
    const backend = live.backendName ?? this.state.get('backend').active ?? 'cpu';
    return { outcome: { train, test: null, model: null, backend }, seconds: train.durationMs / 1000, estimate: null };
  }

  private onEvent(live: LiveRun, event: RunEvent): void {
    if (event.type === 'context-lost') {
      this.ending?.end(contextLostEnd(live));
      return;
    }
    followRunEvent(live, event);
    const fraction = runFraction(live);
    if (this.state.get('training').phase !== live.phase || Math.abs(this.state.get('training').fraction - fraction) > 0.01) {
      this.setStatus({ phase: live.phase, fraction });
    }
    this.emit();
  }

  /** Pauses at the end of the batch in hand: the returned promise resolves once the engine has taken it up. */
  async pause(): Promise<void> {
    const live = this.live;
    if (!live || !this.engine || live.paused || live.pausing) return;
    live.pausing = true;
    this.emit();
    const asked = this.now();
    await this.engine.pause();
    live.controlLatencyMs = this.now() - asked;
    live.pausing = false;
    live.paused = true;
    this.setStatus({ paused: true });
    this.emit();
  }

  async resume(): Promise<void> {
    const live = this.live;
    if (!live || !this.engine) return;
    await this.engine.resume();
    live.paused = false;
    this.setStatus({ paused: false });
    this.emit();
  }

  /**
   * Stops at the end of the batch in hand. Stop always works: before training has begun (the worker may be measuring
   * this device) the run ends at once, and a worker that does not take Stop up within STOP_GRACE_MS (one very long
   * step) is ended, keeping the run without its weights.
   */
  async stop(reason = 'Stopped by you.'): Promise<void> {
    const live = this.live;
    const ending = this.ending;
    if (!live || !ending) return;
    if (live.phase === 'starting' || !this.engine) {
      ending.end({ kind: 'stopped', message: `${reason} Training had not begun.` });
      return;
    }
    const asked = this.now();
    const grace = setTimeout(() => {
      const seconds = STOP_GRACE_MS / 1000;
      ending.end({ kind: 'stopped', message: `${reason} The training worker was busy with one long step and did not stop within ${seconds} s, so it was ended: this run’s weights were not kept.` });
    }, STOP_GRACE_MS);
    await Promise.race([this.engine.stop(reason), ending.finished]);
    live.controlLatencyMs = this.now() - asked;
    live.paused = false;
    this.emit();
    // The grace period runs until the run has really ended (the engine takes Stop up at the end of the batch).
    void ending.finished.then(() => clearTimeout(grace));
  }

  /**
   * Teaches the lab model new classes in the training engine (src/symbols/teach.ts); refused while a run goes on.
   * `signal` stops it at the engine's next batch.
   */
  async trainHead(request: HeadRequest, onEvent: (event: HeadEvent) => void, signal?: AbortSignal): Promise<HeadOutcome> {
    if (this.live) throw new Error('A training run is going on: teach new classes once it has finished, or stop it.');
    const { engine } = await this.host.ready();
    signal?.throwIfAborted();
    const onAbort = () => void engine.stop('Stopped by you.');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await engine.trainHead(request, onEvent);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Tensors held by the engine (in the worker), for tests and the memory check. */
  async engineMemory(): Promise<{ numTensors: number; numBytes: number } | null> {
    return this.engine ? this.engine.memory() : null;
  }

  /**
   * Training workers for the next runs on WebAssembly: 1, or 2 splitting each batch (see data-parallel.ts); null
   * (the default) lets the worker measure which is faster. For tests and benchmarks (window.digitLab).
   */
  forcedWorkers: number | null = null;

  /** Loses the training worker's WebGL context on purpose, as a GPU reset would (tests; window.digitLab). */
  async loseEngineContext(): Promise<boolean> {
    return this.engine ? this.engine.loseContext() : false;
  }

  /** Ends the worker (used when the lab goes away). */
  dispose(): void {
    this.host.reset();
  }

  /** The engine if one is running (pause, stop and the tests' probes never start one). */
  private get engine(): TrainingEngine | null {
    return this.host.engine;
  }
}

const trainers = new WeakMap<LabState, LabTrainer>();

/** The one trainer of a lab state (created on first use). */
export function labTrainer(state: LabState, options: () => LabTrainerOptions): LabTrainer {
  let trainer = trainers.get(state);
  if (!trainer) trainers.set(state, (trainer = new LabTrainer(state, options())));
  return trainer;
}
