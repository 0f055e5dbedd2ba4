/**
 * What becomes of a run once the engine has given it back: its record in the lab's history with its weights kept,
 * and, when it completed, its model as the lab's (saying which model it replaced, so the learner can go back).
 * No DOM here; LabTrainer calls these in turn.
 */
import type { AugmentSettings } from '../augment/settings';
import { BACKEND_LABELS } from '../backend/backend';
import type { ModelSpec } from '../model/spec';
import type { LabState, RunModelKept, RunRecord } from '../state/lab-state';
import { runModelKey, saveModelData, StorageRefused } from '../state/model-store';
import type { TestEvaluation } from './evaluate';
import { useRunModel } from './lab-models';
import type { LiveRun } from './live-run';
import { summariseRun } from './session';
import type { TrainSettings } from './settings';
import type { RunOutcome } from './trainer';

/** How the last run ended, for the cell. */
export interface FinishedRun {
  record: RunRecord;
  live: LiveRun;
  test: TestEvaluation | null;
  /** Whether the run's model became the lab's model. */
  installed: boolean;
  /** The model the lab used before, when the run replaced it (the learner can go back). */
  previous: { runId: string | null; description: string } | null;
  /** A sentence about where the weights are kept, when not in the browser. */
  storageNote: string | null;
}

/** A run that has ended, as the engine (or the page) gave it back. */
export interface EndedRun {
  live: LiveRun;
  startedAt: number;
  spec: ModelSpec;
  settings: TrainSettings;
  augmentation: AugmentSettings;
  outcome: RunOutcome;
}

/**
 * Adds the run to the lab's history, its weights (if it has any) stored in the browser; when the browser refuses to
 * store them they stay in memory, and the note says so.
 */
export async function recordRun(state: LabState, run: EndedRun): Promise<{ record: RunRecord; storageNote: string | null }> {
  const { live, startedAt, spec, settings, augmentation, outcome } = run;
  const backendLabel = BACKEND_LABELS[outcome.backend] + ((outcome.workers ?? 1) > 1 ? `, ${outcome.workers} workers` : '');
  const summary = summariseRun(spec, settings, backendLabel, { train: outcome.train, test: outcome.test, trainable: null });
  const record: RunRecord = { id: live.id, startedAt, ...summary, spec, augmentation, modelKept: outcome.model ? 'memory' : 'none' };
  let storageNote: string | null = null;
  if (outcome.model) {
    try {
      await saveModelData(runModelKey(record.id), outcome.model);
      record.modelKept = 'browser';
    } catch (error) {
      if (!(error instanceof StorageRefused)) throw error;
      record.modelKept = 'memory' satisfies RunModelKept;
      storageNote = `This run’s model could not be stored (${error.message}): you can use it until you reload.`;
    }
  }
  state.set('runs', [...state.get('runs'), record]);
  return { record, storageNote };
}

/**
 * Makes a recorded run's model the lab's. Only a completed run becomes the lab's model by itself; stopped, diverged
 * or lost runs wait for the learner.
 */
export async function installCompletedRun(state: LabState, record: RunRecord, outcome: RunOutcome): Promise<Pick<FinishedRun, 'installed' | 'previous'>> {
  if (outcome.train.outcome !== 'completed' || !outcome.model) return { installed: false, previous: null };
  const before = state.get('model');
  const previous = before ? { runId: before.runId, description: before.description } : { runId: null, description: 'the pre-trained model shipped with the lab' };
  await useRunModel(state, record.id);
  return { installed: true, previous };
}
