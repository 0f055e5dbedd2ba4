/**
 * Which model the lab uses, chosen by the learner and kept across reloads: the shipped one, a run's (every run keeps
 * its weights), or an uploaded one. A model is only ever installed here, on the learner's choice or at the end of a
 * completed run — never behind their back.
 */
import type * as tf from '@tensorflow/tfjs';
import type { MnistDataset } from '../data/mnist';
import { formatPercent } from '../format';
import { modelFromData, modelToData } from '../model/artifacts';
import { LabModel } from '../model/lab-model';
import { loadPersisted, savePersisted } from '../state/idb';
import { addNotice, type LabState, type RunRecord } from '../state/lab-state';
import { loadModelData, runModelKey, saveModelData, StorageRefused, StorageUnreadable, StoredModelDamaged } from '../state/model-store';
import type { ModelData } from '../model/artifacts';
import { recalibrateBatchNorm, RECALIBRATION_IMAGES } from './batchnorm';
import { checkCompatible } from './model-io';
import { runSplit } from './settings';
import { yieldToEventLoop } from './yield';

/**
 * Builds stored weights into a model on the page's backend and checks it (the check's probe prediction also warms
 * the kernels up). Yields between the two so neither blocks the page for long. Disposes the model if it fails.
 */
async function buildChecked(data: ModelData): Promise<tf.LayersModel> {
  const model = await modelFromData(data);
  try {
    await yieldToEventLoop();
    await checkCompatible(model);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

export type ModelChoice = { kind: 'shipped' } | { kind: 'run'; runId: string } | { kind: 'uploaded'; description: string };

const CHOICE_KEY = 'labModelChoice';

function isModelChoice(value: unknown): value is ModelChoice {
  const v = value as Partial<{ kind: string; runId: unknown; description: unknown }> | null;
  if (typeof v !== 'object' || v === null) return false;
  if (v.kind === 'shipped') return true;
  if (v.kind === 'run') return typeof v.runId === 'string';
  return v.kind === 'uploaded' && typeof v.description === 'string';
}

/** "Run 3: classic net, 5,400 images" — how the lab names a run's model everywhere. */
export function describeRunModel(run: RunRecord, runNumber: number): string {
  return `run ${runNumber}: ${run.modelName} net trained on ${run.imagesSeen.toLocaleString('en-US')} images`;
}

function runNumber(state: LabState, runId: string): number {
  return state.get('runs').findIndex((r) => r.id === runId) + 1;
}

/** Remembers the learner's choice (a reload brings it back). Storage failures are not fatal: the lab works in memory. */
export async function saveModelChoice(choice: ModelChoice): Promise<boolean> {
  try {
    await savePersisted(CHOICE_KEY, choice);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a run's kept weights still hold training's running batch-norm averages (it was stopped before the run
 * measured its statistics). Runs from older versions did not say: a stopped one is measured again to be sure.
 */
export function needsBatchNormMeasure(run: RunRecord): boolean {
  if (run.batchNormMeasured !== undefined) return !run.batchNormMeasured;
  return run.outcome === 'stopped' && (run.spec?.layers.some((layer) => layer.type === 'batchNorm') ?? true);
}

/** Where "Use this model" finds training images to measure a stopped run's batch-norm statistics on. */
export interface RunModelOptions {
  dataset?: () => Promise<MnistDataset>;
}

/** What "Use this model" did besides installing the model: a sentence for the learner, or null. */
export interface RunModelUse {
  model: LabModel;
  note: string | null;
}

/**
 * When a run was stopped before it measured its batch-norm statistics (and a dataset is given): measures them over
 * training images on `model`, its rebuilt model, as every completed run does when it ends, and stores the measured
 * weights in place of the kept ones. Only the moving statistics change; the trained weights stay. The run is then
 * marked measured (a network without batch norm too: nothing is left to measure). Resolves to a sentence for the
 * learner, or null when nothing was measured.
 */
async function measureIfStopped(state: LabState, run: RunRecord, model: tf.LayersModel, options: RunModelOptions): Promise<string | null> {
  if (!needsBatchNormMeasure(run) || !options.dataset) return null;
  const number = runNumber(state, run.id);
  let images = 0;
  try {
    const dataset = await options.dataset();
    const split = runSplit(dataset, run.settings);
    if (await recalibrateBatchNorm(model, dataset, split.train)) {
      images = Math.min(RECALIBRATION_IMAGES, split.train.length);
      await saveModelData(runModelKey(run.id), await modelToData(model)).catch((error: unknown) => {
        // Refused storage still keeps the measured weights in memory for this page (saveModelData's fallback).
        if (!(error instanceof StorageRefused)) throw error;
      });
    }
  } catch (error) {
    throw new Error(`The batch-norm statistics of run ${number} could not be measured (${(error as Error).message}).`);
  }
  state.set('runs', state.get('runs').map((r) => (r.id === run.id ? { ...r, batchNormMeasured: true } : r)));
  if (images === 0) return null;
  return (
    `Run ${number} was stopped before it measured its batch-norm statistics, so the lab measured them now over ` +
    `${images.toLocaleString('en-US')} training images: its model now scores what it learned.`
  );
}

/**
 * Makes sure a run's stored weights hold measured batch-norm statistics, without making it the lab's model: a stopped
 * run's are measured now and stored in place. The Keras export calls this before it reads the stored weights.
 * Resolves to a sentence saying what was measured, or null when nothing needed it.
 */
export async function measureRunIfStopped(state: LabState, runId: string, options: RunModelOptions): Promise<string | null> {
  const run = state.get('runs').find((r) => r.id === runId);
  if (!run || !needsBatchNormMeasure(run) || !options.dataset) return null;
  // Weights not kept: the export says so itself.
  const data = await loadModelData(runModelKey(runId)).catch(() => null);
  if (!data) return null;
  const model = await buildChecked(data);
  try {
    return await measureIfStopped(state, run, model, options);
  } finally {
    model.dispose();
  }
}

/**
 * Builds a run's model on the page's backend and makes it the lab's model; a stopped run's batch-norm statistics are
 * measured first (given a dataset). Throws a clear message when it cannot; the lab's model is then unchanged.
 */
export async function useRunModel(state: LabState, runId: string, options: RunModelOptions = {}): Promise<RunModelUse> {
  const run = state.get('runs').find((r) => r.id === runId);
  if (!run) throw new Error('That run is no longer in the history.');
  const number = runNumber(state, runId);
  const data = await loadModelData(runModelKey(runId)).catch((error: unknown) => {
    if (error instanceof StoredModelDamaged) throw new Error(`The model of run ${number} was damaged in this browser’s storage and has been removed.`);
    throw error;
  });
  if (!data) throw new Error(`The model of run ${number} was not kept in this browser (its storage was refused or cleared).`);
  const model = await buildChecked(data);
  let note: string | null;
  try {
    note = await measureIfStopped(state, run, model, options);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const labModel = new LabModel(model, 'trained', describeRunModel(run, number), run.spec ?? null, [], { testAccuracy: run.testAccuracy, runId });
  state.set('model', labModel);
  await saveModelChoice({ kind: 'run', runId });
  return { model: labModel, note };
}

/** Makes an uploaded model the lab's model and keeps it (weights in IndexedDB). Resolves to whether it was stored. */
export async function useUploadedModel(state: LabState, model: tf.LayersModel, description: string): Promise<boolean> {
  const labModel = new LabModel(model, 'uploaded', description);
  state.set('model', labModel);
  try {
    await saveModelData('uploaded', await modelToData(model));
    return await saveModelChoice({ kind: 'uploaded', description });
  } catch (error) {
    if (error instanceof StorageRefused) return false;
    throw error;
  }
}

/** Puts the shipped model back (ensureModel loads it again). */
export async function chooseShipped(state: LabState): Promise<void> {
  state.set('model', null);
  await saveModelChoice({ kind: 'shipped' });
}

/**
 * The chosen model, rebuilt: null for the shipped one (or nothing chosen). A choice that can no longer be met — damaged,
 * its run gone, its weights lost or damaged — falls back to the shipped model and says what was lost in a notice.
 */
export async function loadChosenModel(state: LabState, options: RunModelOptions = {}): Promise<LabModel | null> {
  let choice: unknown;
  try {
    choice = await loadPersisted(CHOICE_KEY);
  } catch {
    addNotice(state, 'This browser refused to read its storage: the lab uses the pre-trained model shipped with it, and your choice of model will not be kept after a reload.');
    return null;
  }
  if (choice === undefined) return null;
  const lost = (what: string) => {
    addNotice(state, `${what} The lab uses the pre-trained model shipped with it instead.`);
    void saveModelChoice({ kind: 'shipped' });
    return null;
  };
  if (!isModelChoice(choice)) return lost('The stored choice of model was damaged and has been reset.');
  if (choice.kind === 'shipped') return null;
  const run = choice.kind === 'run' ? state.get('runs').find((r) => r.id === choice.runId) : undefined;
  if (choice.kind === 'run' && !run) return lost('The model you chose, a run’s, is no longer in the run history.');
  const description = choice.kind === 'uploaded' ? choice.description : '';
  const name = run ? `The model of run ${runNumber(state, run.id)}` : `The uploaded model (${description})`;
  let data: Awaited<ReturnType<typeof loadModelData>>;
  try {
    data = await loadModelData(run ? runModelKey(run.id) : 'uploaded');
  } catch (error) {
    if (error instanceof StoredModelDamaged) return lost(`${name} was damaged in this browser’s storage and has been removed.`);
    if (error instanceof StorageUnreadable) return lost(`${name} could not be read: ${error.message}`);
    throw error;
  }
  if (!data) return lost(`${name} is no longer stored in this browser (its storage was refused or cleared).`);
  const model = await buildChecked(data).catch(() => null);
  if (!model) return lost(`${name} could not be rebuilt from this browser’s storage: it is damaged.`);
  if (run) {
    // At start-up a failed measurement is not worth losing the learner's choice: the model is used as it was kept.
    const note = await measureIfStopped(state, run, model, options).catch((error: Error) => `${error.message} The lab uses it as it was kept.`);
    if (note) addNotice(state, note);
    return new LabModel(model, 'trained', describeRunModel(run, runNumber(state, run.id)), run.spec ?? null, [], { testAccuracy: run.testAccuracy, runId: run.id });
  }
  return new LabModel(model, 'uploaded', description);
}

/** "99.6% on the 10,000 test digits", or what is known instead. */
export function describeAccuracy(testAccuracy: number | null): string {
  return testAccuracy === null ? 'test accuracy not measured' : `${formatPercent(testAccuracy)} on the 10,000 test digits`;
}
