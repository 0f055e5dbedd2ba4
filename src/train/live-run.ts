/**
 * A run while it goes on, as the page follows it: what the charts and the progress line show, kept up to date from
 * the training engine's events. No DOM here; LabTrainer holds the one live run.
 */
import type { BackendName } from '../backend/backend';
import type { ModelSpec } from '../model/spec';
import type { RunPhase } from '../state/lab-state';
import type { RunEstimate } from './calibration';
import { engineLabel } from './engine-host';
import type { EpochMetrics, TrainProgress, TrainResult } from './loop';
import type { RunEnd } from './run-ending';
import type { TrainSettings } from './settings';
import type { RunEvent } from './trainer';

/** What the charts and the progress line show while a run goes on. */
export interface LiveRun {
  id: string;
  spec: ModelSpec;
  settings: TrainSettings;
  phase: RunPhase;
  paused: boolean;
  progress: TrainProgress | null;
  testFraction: number;
  loss: number[];
  accuracy: number[];
  epochs: EpochMetrics[];
  initial: { loss: number; accuracy: number } | null;
  /** Pause asked for, not yet taken up by the engine (it finishes the batch in hand first). */
  pausing: boolean;
  /** Milliseconds the engine took to take up the last Pause or Stop (the rest of the batch in hand). */
  controlLatencyMs: number | null;
  /** Which backend the worker trains on, once it has started. */
  backend: string | null;
  /** The same, as the engine names it. */
  backendName?: BackendName;
  estimate: RunEstimate | null;
}

let runCounter = 0;
const newRunId = (startedAt: number) => `${startedAt}-${(++runCounter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A run about to start (`startedAt`: its wall-clock time, which its id begins with). */
export function startLiveRun(spec: ModelSpec, settings: TrainSettings, startedAt: number): LiveRun {
  return {
    id: newRunId(startedAt),
    spec,
    settings,
    phase: 'starting',
    paused: false,
    pausing: false,
    controlLatencyMs: null,
    progress: null,
    testFraction: 0,
    loss: [],
    accuracy: [],
    epochs: [],
    initial: null,
    backend: null,
    estimate: null,
  };
}

/** Takes in one of the engine's events (all but 'context-lost', which ends the run: see `contextLostEnd`). */
export function followRunEvent(live: LiveRun, event: Exclude<RunEvent, { type: 'context-lost' }>): void {
  switch (event.type) {
    case 'engine':
      if (live.backendName) live.backend = engineLabel({ backend: live.backendName, detail: event.detail });
      break;
    case 'initial-validation':
      live.initial = { loss: event.loss, accuracy: event.accuracy };
      break;
    case 'batch':
      live.phase = 'training';
      live.progress = event.progress;
      live.loss.push(event.progress.loss);
      live.accuracy.push(event.progress.accuracy);
      break;
    case 'epoch':
      live.epochs.push(event.metrics);
      break;
    case 'phase':
      live.phase = event.phase;
      break;
    case 'test-progress':
      live.phase = 'testing';
      live.testFraction = event.fraction;
      break;
  }
}

/** How far the run is, 0–1 for the lab's training status: training is the first 90%, scoring the test digits the rest. */
export function runFraction(live: LiveRun): number {
  const p = live.progress;
  const trained = p ? p.imagesSeen / p.imagesTotal : 0;
  return live.phase === 'testing' ? 0.9 + 0.1 * live.testFraction : 0.9 * trained;
}

/** The page's end for a run whose worker lost its GPU context, saying where the run was. */
export function contextLostEnd(live: LiveRun): RunEnd {
  const where = live.progress ? ` at epoch ${live.progress.epoch}, batch ${live.progress.batch}` : '';
  return {
    kind: 'context-lost',
    message:
      `Training was interrupted${where}: the GPU context was lost (the browser reset the graphics card). ` +
      'The run is kept in the history as interrupted; the lab’s model is unchanged. Train again, or continue on WebAssembly, which needs no GPU.',
  };
}

/** The training result of a run the page ended (`end`) after `durationMs`: its curves so far. */
export function resultSoFar(live: LiveRun, end: RunEnd, durationMs: number): TrainResult {
  return {
    outcome: end.kind,
    message: end.message,
    batchLoss: [...live.loss],
    batchAccuracy: [...live.accuracy],
    epochs: [...live.epochs],
    imagesSeen: live.progress?.imagesSeen ?? 0,
    durationMs,
    batchNormRecalibrated: false,
  };
}
